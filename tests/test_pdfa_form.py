"""The sealed form as an archival record: PDF/A-3b (XMP, output intent, the record as an
associated file), a tagged PDF (structure tree, headings, tables, figures, reading order),
deterministic bytes, A4 or Letter, and the signed file still PDF/A-3b.

Read with pikepdf; its PDF/A validator (veraPDF's PDF/A-3b rules, pikepdf.pdfa) checks
what it can, and the tests check by hand what it leaves unchecked (the embedded file).
"""

from __future__ import annotations

import collections
import io
import re
from zoneinfo import ZoneInfo

import pikepdf
import pikepdf.pdfa
import pytest
from pypdf import PdfReader
from reportlab.lib import pagesizes

from consult import resources
from consult.documents import paper
from consult.documents.consent_pdf import CONTENT_WIDTH, render_consent_pdf, render_reception_view
from consult.domain.consent_document import SCHEMA, seal
from consult.proof.signing import sign_form
from tests import proof_support as support
from tests.consent_samples import CJK, sample_doc
from tests.screening_support import shipped

LONDON = ZoneInfo("Europe/London")
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XMP = "{http://ns.adobe.com/xap/1.0/}"
PDF = "{http://ns.adobe.com/pdf/1.3/}"
_TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
_PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}


def _render(doc, sealed, *, on=paper.A4):
    return render_consent_pdf(
        doc, sealed.sha256, labels=shipped(), zone=LONDON, record=sealed.canonical, paper=on
    )


@pytest.fixture(scope="module")
def sealed():
    return seal({**sample_doc(name=CJK), "schema": SCHEMA})


@pytest.fixture(scope="module")
def form(sealed) -> bytes:
    return _render(sealed.document, sealed)


@pytest.fixture(scope="module")
def signed(form, sealed) -> bytes:
    return sign_form(
        form,
        document_number=sealed.document["document_number"],
        record_sha256=sealed.sha256,
        identity=support.clinic_identity(),
        signer_name=support.CLINIC,
    ).data


def _open(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def test_the_xmp_says_pdfa_3b_and_agrees_with_the_information_dictionary(form, sealed):
    with _open(form) as pdf:
        xmp = pdf.open_metadata()
        info = pdf.docinfo
        assert xmp[f"{PDFAID}part"] == "3" and xmp[f"{PDFAID}conformance"] == "B"
        number = sealed.document["document_number"]
        assert xmp[f"{DC}title"] == str(info["/Title"]) == f"Consent form {number}"
        assert xmp[f"{DC}creator"] == [str(info["/Author"])] == ["Harley Regenerative Clinic"]
        assert xmp[f"{DC}description"] == str(info["/Subject"])
        assert xmp[f"{XMP}CreatorTool"] == str(info["/Creator"]) == "Consult"
        assert xmp[f"{PDF}Producer"] == str(info["/Producer"])
        assert xmp[f"{PDF}Keywords"] == str(info["/Keywords"])
        # The dates: the record's signing time, in both.
        assert str(info["/CreationDate"]) == str(info["/ModDate"]) == "D:20261121103210+00'00'"
        assert xmp[f"{XMP}CreateDate"] == xmp[f"{XMP}ModifyDate"] == "2026-11-21T10:32:10+00:00"
        assert sealed.document["signed_at"].startswith("2026-11-21T10:32:10")
        # PDF/A: the metadata stream stays readable without decoding.
        assert "/Filter" not in pdf.Root.Metadata
        assert pdf.pdf_version == "1.7"
        assert not pdf.is_encrypted and "/Encrypt" not in pdf.trailer


def test_the_output_intent_is_srgb_with_the_shipped_profile(form):
    with _open(form) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and intent.Type == "/OutputIntent"
        assert str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
        profile = intent.DestOutputProfile
        assert profile.N == 3
        shipped_profile = resources.path("icc", "sRGB.icc").read_bytes()
        assert profile.read_bytes() == shipped_profile
        assert shipped_profile[36:40] == b"acsp" and shipped_profile[16:20] == b"RGB "
    assert (resources.path("icc", "LICENSE-LittleCMS.txt")).is_file()


def test_the_record_travels_inside_the_form_as_an_associated_file(form, sealed):
    number = sealed.document["document_number"]
    with _open(form) as pdf:
        (spec,) = pdf.Root.AF
        assert spec.AFRelationship == "/Data"
        assert str(spec.F) == str(spec.UF) == f"consent-{number}.json"
        stream = spec.EF.F
        assert stream.Type == "/EmbeddedFile" and stream.Subtype == "/application/json"
        assert stream.read_bytes() == sealed.canonical
        assert int(stream.Params.Size) == len(sealed.canonical)
        assert str(stream.Params.ModDate) == "D:20261121103210+00'00'"
        # The same file specification is listed with the attachments readers show.
        assert list(pdf.attachments) == [f"consent-{number}.json"]
        assert pdf.attachments[f"consent-{number}.json"].get_file().read_bytes() == (
            sealed.canonical
        )


def test_an_outside_recomputation_of_the_printed_hash_from_the_embedded_json(form, sealed):
    # What an auditor does with the file alone: take the embedded JSON out, canonicalize
    # it with an RFC 8785 library (rfc8785, not Consult's), hash it, read the footer.
    import hashlib
    import json

    import rfc8785

    with _open(form) as pdf:
        (spec,) = pdf.Root.AF
        embedded = spec.EF.F.read_bytes()
    digest = hashlib.sha256(rfc8785.dumps(json.loads(embedded))).hexdigest()
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(form)).pages]
    printed = {found for text in pages for found in re.findall(r"SHA-256 ([0-9a-f]{12})", text)}
    assert printed == {digest[:12]}
    assert digest == sealed.sha256


def test_pikepdfs_pdfa_validator_approves_the_sealed_form(form):
    report = pikepdf.pdfa.validate_written(io.BytesIO(form), "3b")
    # Embedded files are the one construct this validator leaves to others (veraPDF).
    assert report.violations == (), report.summary()
    assert {finding.rule for finding in report.unsupported} <= {"pikepdf:embedded-file"}


def test_a_form_without_a_record_passes_the_validator_outright(sealed):
    view = render_reception_view(sealed.document, sealed.sha256, labels=shipped(), zone=LONDON)
    report = pikepdf.pdfa.validate_written(io.BytesIO(view), "3b")
    assert report.passed, report.summary()
    with _open(view) as pdf:
        assert "/AF" not in pdf.Root and len(pdf.attachments) == 0  # no health data here


def test_the_signed_form_stays_pdfa_3b(signed, form):
    report = pikepdf.pdfa.validate_written(io.BytesIO(signed), "3b")
    assert report.violations == (), report.summary()
    # The signature's field and the record: constructs the validator leaves unchecked.
    assert {finding.rule for finding in report.unsupported} <= {
        "pikepdf:embedded-file",
        "pikepdf:schema-Catalog",
    }
    with _open(signed) as pdf:
        # PDF 1.7, as PDF/A-3 requires: no move to PDF 2.0 for the clinic's ECDSA key.
        assert "/Version" not in pdf.Root and pdf.pdf_version == "1.7"
        assert "/ESIC" in pdf.Root.Extensions and "/ISO_" not in pdf.Root.Extensions
        xmp = pdf.open_metadata()
        info = pdf.docinfo
        assert xmp[f"{PDFAID}part"] == "3" and xmp[f"{PDFAID}conformance"] == "B"
        # The signed revision's producer is the same in both; its modification time is
        # in the XMP alone (the information dictionary keeps no date that disagrees).
        assert (
            xmp[f"{PDF}Producer"] == str(info["/Producer"]) and "pyHanko" in xmp[f"{PDF}Producer"]
        )
        assert "/ModDate" not in info
        assert xmp[f"{XMP}ModifyDate"] > xmp[f"{XMP}CreateDate"]
        assert xmp[f"{DC}title"] == str(info["/Title"])
        # The widget of an invisible signature is printable and never hidden (PDF/A).
        (field,) = pdf.Root.AcroForm.Fields
        assert int(field.F) & 4 and not int(field.F) & (1 | 2 | 32)


def _roles(element, found):
    found[str(element.S)] += 1
    for kid in element.get("/K", []):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR":
            _roles(kid, found)
    return found


def _elements(element):
    yield element
    for kid in element.get("/K", []):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR":
            yield from _elements(kid)


def test_the_form_is_a_tagged_pdf_with_headings_tables_and_figures(form, sealed):
    with _open(form) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        root = pdf.Root.StructTreeRoot
        (document,) = root.K
        assert document.S == "/Document"
        roles = _roles(document, collections.Counter())
        assert roles["/H1"] == 1
        # Patient, treatment, health questions, findings, consent text, signatures.
        assert roles["/H2"] == 6
        sections = len(sealed.document["template"]["sections"])
        assert roles["/H3"] >= sections
        assert roles["/Table"] >= 4 and roles["/TR"] > 20
        assert roles["/TH"] > 10 and roles["/TD"] > 20 and roles["/P"] > 50
        figures = [e for e in _elements(document) if e.S == "/Figure"]
        alts = [str(figure.Alt) for figure in figures]
        assert any(alt.startswith("QR code holding the document number") for alt in alts)
        for signature in sealed.document["signatures"]:
            assert f"Handwritten signature of {signature['name']}" in " ".join(alts)
        # Header cells say whose header they are.
        scopes = {str(e.A.Scope) for e in _elements(document) if e.S == "/TH"}
        assert scopes == {"/Column", "/Row"}
        for page in pdf.pages:
            assert page.Tabs == "/S" and "/Trans" not in page
        assert int(root.ParentTreeNextKey) == len(pdf.pages)


def _marked_content(page: pikepdf.Page):
    """Every painting or text operator of ``page`` with the marked content around it."""
    stack: list[tuple[str, int | None]] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "BDC":
            tag, properties = operands
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            stack.append((str(tag), int(mcid) if mcid is not None else None))
        elif name == "BMC":
            stack.append((str(operands[0]), None))
        elif name == "EMC":
            stack.pop()
        elif name in _TEXT_SHOWING or name in _PAINTING:
            yield name, list(stack)
    assert stack == []


def test_every_mark_on_a_page_is_tagged_content_or_an_artifact(form):
    with _open(form) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for index, page in enumerate(pdf.pages):
            assert int(page.StructParents) == index
            owners = parents[index]
            seen: set[int] = set()
            for operator, stack in _marked_content(page):
                assert stack, f"page {index + 1}: {operator} outside any marked content"
                tag, mcid = stack[0]
                if tag == "/Artifact":
                    continue
                assert mcid is not None and len(stack) == 1  # marked content never nests
                # The parent tree leads from the ink back to its element, which names it.
                element = owners[mcid]
                assert tag == element.S
                kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                assert mcid in [int(k) for k in kids if isinstance(k, int)] or any(
                    isinstance(k, pikepdf.Dictionary) and int(k.get("/MCID", -1)) == mcid
                    for k in kids
                )
                seen.add(mcid)
            assert seen == set(range(len(owners)))  # every element's content is on the page


def _content_order(element, page_of, out):
    """The marked content the tree holds, (page index, MCID), in the tree's own order."""
    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
    for kid in kids:
        if isinstance(kid, int):
            out.append((page_of[element.Pg.objgen], int(kid)))
        elif kid.get("/Type") == "/MCR":
            out.append((page_of[kid.Pg.objgen], int(kid.MCID)))
        else:
            _content_order(kid, page_of, out)
    return out


def test_the_structure_reads_in_the_order_the_form_is_drawn(form):
    with _open(form) as pdf:
        (document,) = pdf.Root.StructTreeRoot.K
        page_of = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        order = _content_order(document, page_of, [])
        # Depth first, the tree meets the content in the order it is drawn: page by page,
        # top to bottom, each page's marked content numbered as it is drawn.
        assert order == sorted(order) and len(order) == len(set(order))
        headings = [str(e.S) for e in _elements(document) if e.S in ("/H1", "/H2")]
        assert headings == ["/H1"] + ["/H2"] * 6


def test_sealing_stays_deterministic(form, sealed):
    again = seal({**sample_doc(name=CJK), "schema": SCHEMA})
    assert again.canonical == sealed.canonical
    assert _render(again.document, again) == form


def test_the_embedded_record_must_be_the_one_whose_hash_is_printed(sealed):
    with pytest.raises(ValueError, match="hash"):
        render_consent_pdf(
            sealed.document, sealed.sha256, labels=shipped(), record=sealed.canonical + b" "
        )


def test_a_us_clinic_prints_on_letter_with_the_same_measure(sealed):
    assert paper.paper_for("US") == paper.LETTER
    for jurisdiction in ("GB", "EU", "JP", "KR", "CN", "OTHER"):
        assert paper.paper_for(jurisdiction) == paper.A4
    assert (paper.A4.width, paper.A4.height) == pagesizes.A4
    assert (paper.LETTER.width, paper.LETTER.height) == pagesizes.LETTER
    letter = _render(sealed.document, sealed, on=paper.LETTER)
    reader = PdfReader(io.BytesIO(letter))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
    with _open(letter) as pdf:
        # The footer's rule spans the measure, centred on the wider sheet.
        rules = [
            [float(x) for x in operands]
            for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
            if str(operator) == "m"
        ]
        left = (612 - CONTENT_WIDTH) / 2
        assert any(abs(x - left) < 0.01 for x, _y in rules)
    report = pikepdf.pdfa.validate_written(io.BytesIO(letter), "3b")
    assert report.violations == (), report.summary()
    assert "Patient: 山田 花子" in reader.pages[0].extract_text()


@pytest.mark.parametrize(
    ("jurisdiction", "setting", "expected"),
    [
        ("US", "a4", paper.A4),
        ("GB", "letter", paper.LETTER),
        ("GB", " Letter ", paper.LETTER),
        ("US", "", paper.LETTER),
        ("US", None, paper.LETTER),
        ("US", "A3", paper.LETTER),  # not a choice: the jurisdiction's, and logged
    ],
)
def test_the_clinic_s_setting_chooses_the_paper(jurisdiction, setting, expected, caplog):
    assert paper.paper_for(jurisdiction, setting) == expected
    assert ("not A4 or Letter" in caplog.text) == (setting == "A3")


def test_the_paper_setting_is_checked():
    assert paper.check_paper_setting(None) == ""
    assert paper.check_paper_setting(" A4 ") == "a4"
    for wrong in ("A3", 4, "legal"):
        with pytest.raises(ValueError, match="A4 or Letter"):
            paper.check_paper_setting(wrong)
