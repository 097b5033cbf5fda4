"""The signed consent form PDF: content in the patient's words, Unicode names, fonts,
determinism, time zones, the signature block, printed copies and the reception view."""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from reportlab import rl_config

from consult.documents.consent_pdf import (
    FONT_CJK,
    CopyMark,
    markup,
    render_consent_pdf,
    render_reception_view,
    stamp_copy,
)
from tests.consent_samples import (
    CJK,
    CYRILLIC,
    GREEK,
    HANGUL,
    TRICKY,
    ZOE,
    doc_hash,
    sample_doc,
)
from tests.screening_support import shipped

LONDON = ZoneInfo("Europe/London")


def _render(doc, zone=LONDON):
    digest = doc_hash(doc)
    return render_consent_pdf(doc, digest, labels=shipped(), zone=zone), digest


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def sample():
    doc = sample_doc()
    pdf, digest = _render(doc)
    return doc, pdf, digest, _pages_text(pdf)


@pytest.mark.parametrize("name", [ZOE, GREEK, CYRILLIC, CJK, HANGUL, TRICKY])
def test_patient_name_prints_in_any_script(name):
    doc = sample_doc(name=name)
    pages = _pages_text(_render(doc)[0])
    # In the patient block, the signature block and every footer.
    assert sum(page.count(name) for page in pages) >= len(pages) + 2
    for page in pages:
        assert f"Patient: {name}" in page


def test_form_carries_the_record_in_the_patients_words(sample):
    doc, _pdf, _digest, pages = sample
    text = "\n".join(pages)
    flat = _flat(text)
    assert doc["document_number"] in text
    assert "form edition 2" in text  # the template's edition, not its content hash
    product = doc["treatment"]["product"]
    for value in (product["name"], product["lot"], product["expiry"], "Injection"):
        assert value in text
    # Each finding in the patient's words: its patient_risk sentence, not the message.
    for finding in doc["findings"]:
        if finding["patient_risk"]:
            assert _flat(finding["patient_risk"]) in flat
    assert "Told to the patient" not in flat
    for override in doc["overrides"]:
        assert _flat(override["justification"]) in flat
        assert override["by"] in flat
    assert "2026-11-21 10:12 GMT" in flat and "2026-11-21 10:13 GMT" in flat
    for item in doc["intake_summary"]:
        assert _flat(item["label"]) in flat
    for section in doc["template"]["sections"]:
        assert section["heading"] in text
    assert flat.count(f"Initials: {doc['template']['sections'][0]['initials']}") == len(
        doc["template"]["sections"]
    )
    assert "Patient's answer: Yes" in text  # photographs
    assert "Patient's answer: No" in text  # data processing
    for signature in doc["signatures"]:
        assert signature["name"] in text
        assert signature["meaning"] in text
    assert "2026-11-21 10:31 GMT" in text  # the clinic's zone, with its name, not UTC


def test_no_rule_id_internal_id_or_full_hash_on_the_form(sample):
    from consult.ui.shell.knowledge import knowledge

    doc, _pdf, digest, pages = sample
    text = "\n".join(pages)
    joined = "".join(text.split())  # a hash wrapped over two lines is still found
    for rule in knowledge().rules:
        assert rule.id not in text, rule.id
    for finding in doc["findings"]:
        assert finding["rule"] not in joined
        assert finding["source"] not in text  # the rule's source is for practitioners
    for label in ("Patient ID", "Consultation ", "Rule set", "SHA-256 of", "template ha_filler"):
        assert label not in text
    for internal in (doc["patient"]["id"], doc["consultation"]["id"]):
        assert internal not in text
    assert not re.search(r"[0-9a-f]{64}", joined)
    assert digest not in joined and doc["consultation"]["rule_set_version"] not in joined
    assert doc["template"]["version"] not in joined


def test_overrides_and_acknowledged_cautions_are_listed_apart(sample):
    _doc, _pdf, _digest, pages = sample
    flat = _flat("\n".join(pages))
    overrides = flat.index("Risks your practitioner weighed before going ahead")
    justification = flat.index("Thyroid disease stable for 5 years")
    assert overrides < justification
    doc = sample_doc()
    doc["overrides"] = [
        *doc["overrides"],
        {
            "rule": "filler-antiplatelet",
            "severity": "caution",
            "kind": "acknowledged",
            "justification": "",
            "by": "Dr Sofía Núñez (GMC 7654321)",
            "at": "2026-11-21T10:14:00Z",
        },
    ]
    flat = _flat("\n".join(_pages_text(_render(doc)[0])))
    cautions = flat.index("Cautions your practitioner noted")
    caution = flat.index("Aspirin and fish oil can make bruising more likely.")
    assert overrides < cautions < caution
    # Under its own heading, with who noted it and when, and no empty justification.
    assert "Why your practitioner went ahead" not in flat[cautions:]
    assert "Dr Sofía Núñez (GMC 7654321) 2026-11-21 10:14 GMT" in flat[cautions:]


def test_a_finding_the_same_as_another_prints_once():
    risk = "Because you take a blood thinner, you may bleed and bruise more."
    findings = [
        {
            "rule": "microneedling-anticoagulant",
            "severity": "relative",
            "message": "m; justify.",
            "patient_risk": risk,
            "source": "s",
        },
        {
            "rule": "regen-anticoagulant",
            "severity": "relative",
            "message": "m; justify.",
            "patient_risk": risk + " (from the product)",
            "source": "s",
            "same_as": "microneedling-anticoagulant",
        },
    ]
    overrides = [
        {
            "rule": "microneedling-anticoagulant",
            "severity": "relative",
            "kind": "justified",
            "justification": "INR 2.1 checked today; firm pressure.",
            "by": "Dr A",
            "at": "2026-11-21T10:12:00Z",
        }
    ]
    doc = sample_doc(findings=findings, overrides=overrides)
    flat = _flat("\n".join(_pages_text(_render(doc)[0])))
    # (The sample's consent text is made by the test's own render_for call.)
    findings = flat[flat.index("Screening findings") : flat.index("Consent information")]
    assert findings.count(risk) == 1
    assert "(from the product)" not in findings
    assert "justify" not in findings and "anticoagulant" not in findings


def test_times_print_in_the_zone_with_its_name(monkeypatch):
    doc = sample_doc()
    tokyo = _flat("\n".join(_pages_text(_render(doc, ZoneInfo("Asia/Tokyo"))[0])))
    assert "signed 2026-11-21 19:32 JST" in tokyo and "UTC" not in tokyo
    summer = copy.deepcopy(doc)
    summer["signatures"][0]["signed_at"] = "2026-07-01T13:05:00Z"
    assert "2026-07-01 14:05 BST" in _flat("\n".join(_pages_text(_render(summer)[0])))
    # No zone given: this computer's zone and its abbreviation.
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        local = _flat("\n".join(_pages_text(_render(doc, None)[0])))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert "signed 2026-11-21 11:32 CET" in local


def _signature_pages(pages: list[str]) -> set[int]:
    return {
        i
        for i, page in enumerate(pages)
        for word in ("Signatures", "consent given", "consent taken")
        if word in page
    }


def test_the_signature_block_stays_together_with_its_heading():
    # However long the form, the heading and both signatures share one page.
    for extra in range(0, 40, 3):
        doc = sample_doc()
        doc["intake_summary"] += [
            {"question_id": f"q{n}", "label": f"Extra question {n}?", "answer": "No"}
            for n in range(extra)
        ]
        pages = _pages_text(_render(doc)[0])
        assert len(_signature_pages(pages)) == 1, extra
        (page,) = _signature_pages(pages)
        assert "Signatures" in pages[page].split("consent given")[0]


def test_a_paragraph_introducing_a_list_is_never_left_at_a_page_foot():
    intro = "has written down why:"
    first = "Anticoagulant (apixaban)"
    for extra in range(0, 60, 2):
        doc = sample_doc()
        doc["intake_summary"] = doc["intake_summary"] + [
            {"question_id": f"q{n}", "label": f"Extra question {n}?", "answer": "No"}
            for n in range(extra)
        ]
        pages = [_flat(page) for page in _pages_text(_render(doc)[0])]
        (page,) = [n for n, text in enumerate(pages) if intro in text]
        assert first in pages[page].split(intro)[1], extra


def test_every_page_has_the_footer(sample):
    doc, _pdf, digest, pages = sample
    total = len(pages)
    assert total >= 3  # the sample runs over several pages
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
        assert f"SHA-256 {digest[:12]}" in page
        assert doc["document_number"] in page


def test_user_text_is_escaped():
    doc = sample_doc(name=TRICKY)
    doc["clinic"]["name"] = "Smith & Jones <Aesthetics>"
    doc["findings"] = copy.deepcopy(doc["findings"])  # the samples' list is shared
    doc["findings"][0]["patient_risk"] = "A risk <with markup> & an ampersand."
    text = "\n".join(_pages_text(_render(doc)[0]))
    assert "Smith & Jones <Aesthetics>" in text
    assert "Plasters (adhesive) <rash> & itching" in " ".join(text.split())
    assert "A risk <with markup> & an ampersand." in " ".join(text.split())


def test_same_doc_gives_same_bytes(sample):
    _doc, pdf, digest, _pages = sample
    assert render_consent_pdf(sample_doc(), digest, labels=shipped(), zone=LONDON) == pdf
    changed = sample_doc()
    changed["signed_at"] = "2026-11-22T09:00:00Z"
    assert render_consent_pdf(changed, digest, labels=shipped(), zone=LONDON) != pdf


def test_creation_date_is_the_signing_time(sample):
    _doc, pdf, _digest, _pages = sample
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.creation_date == datetime(2026, 11, 21, 10, 32, 10, tzinfo=UTC)
    assert meta.title == "Consent form C-2026-000123"


def test_invariant_setting_is_restored():
    before = rl_config.invariant
    _render(sample_doc())
    assert rl_config.invariant == before


def _fonts(pdf: bytes) -> dict[str, object]:
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    return fonts


def test_fonts_are_embedded():
    pdf, _digest = _render(sample_doc(name=CJK, jurisdiction="JP"))
    assert b"/FontFile2" in pdf
    fonts = _fonts(pdf)
    names = {str(name).split("+")[-1] for name in fonts}
    assert {"DejaVuSans", "DejaVuSans-Bold", "DroidSansFallback"} <= names
    for font in fonts.values():
        # Every font is an embedded TrueType subset: no reliance on the reader's fonts.
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
        assert "/ToUnicode" in font  # so text can be searched and copied


def test_hangul_uses_its_own_font():
    names = {str(n).split("+")[-1] for n in _fonts(_render(sample_doc(name=HANGUL))[0])}
    assert "NanumSquareR" in names


def test_signatures_are_vectors(sample):
    _doc, pdf, _digest, _pages = sample
    reader = PdfReader(io.BytesIO(pdf))
    segments = 0
    for page in reader.pages:
        assert "/XObject" not in page["/Resources"]  # no raster image of a signature
        content = page.get_contents().get_data()
        segments += content.count(b" l\n") + content.count(b" l ")
    assert segments > 300  # the strokes' line segments of the two signatures


def test_minimal_document_still_renders():
    minimal = {"document_number": "C-1", "treatment": {"product": None}}
    pdf = render_consent_pdf(minimal, "0" * 64, labels=shipped())
    pages = _pages_text(pdf)
    assert "Page 1 of 1" in pages[0]
    assert "No product recorded" in pages[0]
    assert "No signatures recorded." in pages[0]


def test_markup_splits_runs_by_font():
    assert markup("O'Brien <b>&") == "O'Brien &lt;b&gt;&amp;"
    assert markup(f"Dr {CJK}") == f'Dr <font name="{FONT_CJK}">{CJK}</font>'
    assert markup("a\nb") == "a<br/>b"


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="needs poppler-utils and zbar-tools",
)
def test_qr_code_carries_number_and_hash(sample, tmp_path: Path):
    doc, pdf, digest, _pages = sample
    (tmp_path / "form.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "form.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    png = next(tmp_path.glob("page*.png"))
    out = subprocess.run(
        ["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"{doc['document_number']}\nsha256:{digest}"


def test_hash_must_be_a_sha256():
    with pytest.raises(ValueError, match="SHA-256"):
        render_consent_pdf(sample_doc(), "abc123", labels=shipped())


@pytest.mark.parametrize(
    ("jurisdiction", "label"),
    [("KR", "South Korea"), ("CN", "China"), ("JP", "Japan"), ("GB", "United Kingdom")],
)
def test_the_clinic_s_jurisdiction_is_printed_by_name(jurisdiction, label):
    doc = sample_doc(jurisdiction=jurisdiction)
    flat = " ".join("\n".join(_pages_text(_render(doc)[0])).split())
    assert f"Jurisdiction: {label}" in flat
    # The patient reads the regulatory text written for the clinic's country.
    regulation = next(s for s in doc["template"]["sections"] if s["id"] == "product_and_regulation")
    assert " ".join(regulation["text"].split()) in flat


def test_the_form_names_the_document_s_ids_as_the_knowledge_base_does():
    doc = copy.deepcopy(sample_doc())
    doc["treatment"]["route"] = "intradermal"
    doc["treatment"]["product"]["source"] = "human_allogeneic"
    doc["signatures"][1]["qualification"] = "nurse_prescriber"
    flat = _flat("\n".join(_pages_text(_render(doc)[0])))
    kb = shipped()
    for kind, value in (
        ("route", "intradermal"),
        ("product_source", "human_allogeneic"),
        ("qualification", "nurse_prescriber"),
        ("sex", "female"),
        ("jurisdiction", "GB"),
    ):
        assert kb.label(kind, value) != value and kb.label(kind, value) in flat, kind
    # An id the knowledge base does not know (any more) is still printed readably.
    doc["treatment"]["route"] = "cold_plasma"
    assert "Route Cold plasma" in _flat("\n".join(_pages_text(_render(doc)[0])))


def test_plan_numbers_are_printed_for_japan_and_south_korea():
    korea = sample_doc(jurisdiction="KR")
    korea["clinic"]["regenerative_medicine_plan"] = "KR-ARM-2025-017"
    text = "\n".join(_pages_text(_render(korea)[0]))
    assert "Regenerative medicine approval number: KR-ARM-2025-017" in text
    japan = "\n".join(_pages_text(_render(sample_doc(jurisdiction="JP"))[0]))
    # Unchanged wording, so that a reprint of a Japanese form gives the same bytes.
    assert "Regenerative medicine plan number: PB3123456" in japan
    china = "\n".join(_pages_text(_render(sample_doc(jurisdiction="CN"))[0]))
    assert "plan number" not in china and "approval number" not in china


def test_the_form_prints_the_text_for_the_product_s_source():
    from consult.knowledge.consent_templates import load_templates, render_for

    template = load_templates()["exosome"]
    doc = sample_doc(treatment="exosome", jurisdiction="US")
    for source, printed in (("human_allogeneic", True), ("synthetic", False)):
        sections = render_for(template, "US", [], [], product_source=source)
        doc["template"]["sections"] = [
            {"id": s.id, "heading": s.heading, "text": s.text, "initials": "ZL"} for s in sections
        ]
        flat = " ".join("\n".join(_pages_text(_render(doc)[0])).split())
        assert ("donor-derived infection" in flat) is printed, source


# --- printed copies and the reception view ----------------------------------------------

VOIDED = CopyMark(
    date(2026, 12, 1),
    "voided",
    datetime(2026, 11, 22, 9, 5, tzinfo=UTC),
    "Signed for the wrong treatment area; consent taken again.",
)


def test_a_copy_says_copy_and_the_date_on_every_page(sample):
    _doc, pdf, _digest, pages = sample
    stamped = stamp_copy(pdf, CopyMark(date(2026, 12, 1)))
    copied = _pages_text(stamped)
    assert len(copied) == len(pages)
    for page, original in zip(copied, pages, strict=True):
        assert "COPY of the signed form, printed 2026-12-01." in _flat(page)
        assert "VOID" not in page
        assert _flat(original) in _flat(page)  # everything on the page is still there
    assert stamp_copy(pdf, CopyMark(date(2026, 12, 1))) == stamped  # the same every time


@pytest.mark.parametrize(
    ("mark", "word", "verb"),
    [
        (VOIDED, "VOID", "voided"),
        (
            CopyMark(
                date(2026, 12, 1),
                "withdrawn",
                datetime(2026, 11, 23, 16, 0, tzinfo=UTC),
                "The patient changed her mind.",
            ),
            "WITHDRAWN",
            "withdrawn",
        ),
    ],
)
def test_a_voided_or_withdrawn_copy_is_watermarked_on_every_page(sample, mark, word, verb):
    _doc, pdf, _digest, pages = sample
    before = bytes(pdf)
    stamped = _pages_text(stamp_copy(pdf, mark, zone=LONDON))
    assert pdf == before
    assert len(stamped) == len(pages)
    when = mark.state_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M GMT")
    for page in stamped:
        flat = _flat(page)
        assert f"{word}: this consent was {verb} on {when}." in flat
        assert f"Reason: {mark.reason}" in flat
        assert "Copy printed 2026-12-01." in flat


def test_the_watermark_is_drawn_over_every_page_lightly(sample):
    _doc, pdf, _digest, _pages = sample
    reader = PdfReader(io.BytesIO(stamp_copy(pdf, VOIDED)))
    for page in reader.pages:
        content = page.get_contents().get_data()
        assert b"(VOID) Tj" in content  # the word across the page
        states = page["/Resources"]["/ExtGState"].get_object()
        alphas = {float(s.get_object().get("/ca", 1)) for s in states.values()}
        assert min(alphas) < 0.2  # a light tint: the form's text stays readable


def test_a_very_long_reason_is_shortened_never_the_dates(sample):
    _doc, pdf, _digest, _pages = sample
    mark = CopyMark(date(2026, 12, 1), "voided", VOIDED.state_at, "Entered twice. " * 60)
    (first, *_rest) = _pages_text(stamp_copy(pdf, mark, zone=LONDON))
    flat = _flat(first)
    assert "VOID: this consent was voided on 2026-11-22 09:05 GMT." in flat
    assert "Copy printed 2026-12-01. Reason: Entered twice. Entered twice." in flat
    assert "…" in flat


def test_an_unreadable_stored_form_is_refused():
    with pytest.raises(ValueError, match="cannot be read"):
        stamp_copy(b"%PDF-fake", CopyMark(date(2026, 12, 1)))


def test_the_reception_view_shows_who_signed_what_and_no_health_content():
    doc = sample_doc()
    text = "\n".join(
        _pages_text(render_reception_view(doc, doc_hash(doc), labels=shipped(), zone=LONDON))
    )
    flat = _flat(text)
    assert len(_pages_text(render_reception_view(doc, doc_hash(doc), labels=shipped()))) == 1
    for shown in (
        ZOE,
        "1990-04-02",
        "Hyaluronic acid dermal filler",
        "VB24A0193",
        "Dr Sofía Núñez",
        "consent given",
        "consent taken",
        "2026-11-21 10:31 GMT",
    ):
        assert shown in flat
    hidden = [item["label"] for item in doc["intake_summary"]]
    hidden += [f["patient_risk"] for f in doc["findings"] if f["patient_risk"]]
    hidden += [o["justification"] for o in doc["overrides"]]
    hidden += [s["heading"] for s in doc["template"]["sections"]]
    hidden += ["Screening findings", "Health questions"]
    for words in hidden:
        assert _flat(words) not in flat, words


def test_the_phone_prints_as_the_app_shows_it():
    doc = sample_doc()
    doc["clinic"]["jurisdiction"] = "GB"
    doc["patient"]["phone"] = "+447700900123"
    first = _flat(_pages_text(_render(doc)[0])[0])
    assert "07700 900123" in first and "+447700900123" not in first
    doc["clinic"]["jurisdiction"] = "JP"
    first = _flat(_pages_text(_render(doc)[0])[0])
    assert "+44 7700 900123" in first
