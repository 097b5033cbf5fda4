"""The signed consent form PDF: content, Unicode names, fonts, determinism."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab import rl_config

from consult.documents.consent_pdf import FONT_CJK, markup, render_consent_pdf
from tests.consent_samples import CJK, CYRILLIC, GREEK, HANGUL, TRICKY, ZOE, doc_hash, sample_doc


def _render(doc):
    digest = doc_hash(doc)
    return render_consent_pdf(doc, digest), digest


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


def test_form_carries_the_whole_record(sample):
    doc, _pdf, digest, pages = sample
    text = "\n".join(pages)
    flat = " ".join(text.split())
    assert doc["document_number"] in text
    assert doc["template"]["version"] in text
    assert digest in flat.replace(" ", "") or digest in text
    product = doc["treatment"]["product"]
    for value in (product["name"], product["lot"], product["expiry"], "Injection"):
        assert value in text
    for finding in doc["findings"]:
        assert finding["rule"] in text
        assert " ".join(finding["message"].split()) in flat
        assert finding["severity"].upper() in text  # severity as a word, not colour alone
    for override in doc["overrides"]:
        assert " ".join(override["justification"].split()) in flat
        assert override["by"] in flat
        assert datetime.fromisoformat(override["at"]).strftime("%Y-%m-%d %H:%M UTC") in flat
    for item in doc["intake_summary"]:
        assert " ".join(item["label"].split()) in flat
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
    assert "2026-11-21 10:31 UTC" in text


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
    text = "\n".join(_pages_text(_render(doc)[0]))
    assert "Smith & Jones <Aesthetics>" in text
    assert "Plasters (adhesive) <rash> & itching" in " ".join(text.split())
    assert "<with markup> & an ampersand" in " ".join(text.split())


def test_same_doc_gives_same_bytes(sample):
    _doc, pdf, digest, _pages = sample
    assert render_consent_pdf(sample_doc(), digest) == pdf
    changed = sample_doc()
    changed["signed_at"] = "2026-11-22T09:00:00Z"
    assert render_consent_pdf(changed, digest) != pdf


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
    pdf = render_consent_pdf({"document_number": "C-1", "treatment": {"product": None}}, "0" * 64)
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
        render_consent_pdf(sample_doc(), "abc123")


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
