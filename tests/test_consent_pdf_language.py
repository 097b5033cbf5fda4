"""The consent form in the patient's language (issue 18): a Japanese form's labels, texts,
dates and fonts, its document language, its marks, and ``consult verify`` on it; an
English form printed exactly as before."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pikepdf
import pikepdf.pdfa
import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from pypdf import PdfReader

from consult import paths
from consult.documents import form_words as module
from consult.documents.consent_pdf import (
    CopyMark,
    font_chain,
    form_language,
    render_consent_pdf,
    render_reception_view,
    stamp_copy,
)
from consult.documents.form_words import FormWords, english_labels, form_words
from consult.domain.consent_document import SCHEMA, seal
from consult.proof.signing import sign_form
from tests import proof_support as support
from tests.consent_samples import CJK, doc_hash, sample_doc
from tests.screening_support import shipped

TOKYO = ZoneInfo("Asia/Tokyo")
UNTRANSLATED = "この部分は翻訳されていないため、英語で表示しています。"


def _japanese(**changes: Any) -> dict[str, Any]:
    doc = sample_doc(name=CJK, jurisdiction="JP", language="ja", **changes)
    doc["clinic"].update(name="東京再生医療クリニック", address="東京都港区南青山1-2-3")
    return doc


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _elements(element: Any) -> list[Any]:
    """Every structure element under ``element``, depth first."""
    found = []
    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            found += [kid, *_elements(kid)]
    return found


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def japanese() -> tuple[dict[str, Any], bytes]:
    doc = _japanese()
    return doc, render_consent_pdf(doc, doc_hash(doc), labels=shipped(), zone=TOKYO)


def test_the_japanese_catalog_translates_every_label() -> None:
    words = form_words("ja")
    untranslated = [key for key in english_labels() if not words.translated(key)]
    assert untranslated == ["header.separator"]  # " · " is the same in Japanese
    assert words.text("consent.untranslated") == UNTRANSLATED


def test_a_missing_or_broken_label_falls_back_to_english() -> None:
    english = {"a": "Page {page} of {total}", "b": "Patient"}
    words = FormWords("xx", english, {"b": "患者"})
    assert words.text("a", page=1, total=3) == "Page 1 of 3"
    assert words.text("b") == "患者"
    assert not words.translated("a") and words.translated("b")
    assert form_words("xx").text("patient.name") == "Name"  # a language with no catalog


def test_a_translated_label_that_drops_a_placeholder_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "translations" / "ja"
    folder.mkdir(parents=True)
    (tmp_path / "form_labels.yaml").write_text(
        "labels:\n  footer.page: '{number} · Page {page} of {total}'\n  patient.name: Name\n",
        encoding="utf-8",
    )
    (folder / "form_labels.yaml").write_text(
        "language: ja\nentries:\n"
        "  footer.page:\n    en: '{number} · Page {page} of {total}'\n    ja: '{page} ページ'\n"
        "  patient.name:\n    en: Name\n    ja: 氏名\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(module, "catalog_folder", lambda: tmp_path)
    module.english_labels.cache_clear()
    module.form_words.cache_clear()
    try:
        words = module.form_words("ja")
        assert words.text("patient.name") == "氏名"
        # The document number would be lost: the English stands in.
        assert words.text("footer.page", number="C-1", page=1, total=2) == "C-1 · Page 1 of 2"
    finally:
        module.english_labels.cache_clear()
        module.form_words.cache_clear()


def test_the_form_language_is_the_records() -> None:
    assert form_language({"language": "ja"}) == "ja"
    assert form_language({}) == "en"  # records sealed before they named a language
    assert form_language({"language": "../../etc"}) == "en"


def test_a_japanese_form_reads_japanese(japanese: tuple[dict[str, Any], bytes]) -> None:
    doc, pdf = japanese
    text = _squash("\n".join(_pages(pdf)))
    for label in (
        "患者",
        "氏名",
        "生年月日",
        "健康状態に関する質問と回答",
        "問診で確認された事項",
        "同意事項（患者が読み、イニシャルを記入したもの）",
        "イニシャル：山花",
        "署名",
        "署名の意味",
        "同意します",
        "施術者",
        "患者の回答：はい",
        "1/3ページ",
        "適用される法域：日本",
        "出生時の性別",
        "女性",
    ):
        assert _squash(label) in text, label
    # The texts the patient read: the template's title and sections, the treatment.
    assert _squash(doc["template"]["title"]) in text
    assert _squash(doc["treatment"]["name"]) in text
    for section in doc["template"]["sections"]:
        assert _squash(section["heading"]) in text
    # Dates the Japanese way; times in the clinic's zone, named.
    assert "1990年4月2日" in text and "2027年8月31日" in text
    assert _squash("2026年11月21日 19:32 JST") in text
    # No English label is left.
    for english in ("Date of birth", "Signatures", "Page 1 of", "Initials", "Patient's answer"):
        assert english not in text


def test_every_character_of_a_japanese_form_has_a_glyph_embedded(
    japanese: tuple[dict[str, Any], bytes],
) -> None:
    _, pdf = japanese
    chain = font_chain()
    covered = set(chain.base).union(*(cover for _, cover in chain.fallbacks))
    drawn = {char for page in _pages(pdf) for char in page if not char.isspace()}
    assert {char for char in drawn if ord(char) not in covered} == set()
    assert any("\u3040" <= char <= "\u30ff" for char in drawn)  # kana were drawn
    with pikepdf.open(io.BytesIO(pdf)) as document:
        fonts = {
            str(font.BaseFont): font
            for page in document.pages
            for font in page.Resources.Font.values()
        }
        assert fonts
        for name, font in fonts.items():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert "/FontFile2" in descriptor, f"{name} is not embedded"
            assert "/ToUnicode" in font, f"{name} has no ToUnicode map"
        assert any("Droid" in name for name in fonts)


def test_a_japanese_form_names_its_language(japanese: tuple[dict[str, Any], bytes]) -> None:
    _, pdf = japanese
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert str(document.Root.Lang) == "ja"
        metadata = document.Root.Metadata.read_bytes().decode("utf-8")
        assert "<rdf:li>ja</rdf:li>" in metadata
        assert "/StructTreeRoot" in document.Root  # still tagged


def test_an_untranslated_section_is_marked_in_the_patients_language() -> None:
    doc = _japanese()
    english = sample_doc(name=CJK, jurisdiction="JP")
    # English standing in for a missing translation of the third section.
    doc["template"]["sections"][2].update(
        heading=english["template"]["sections"][2]["heading"],
        text=english["template"]["sections"][2]["text"],
        untranslated=True,
    )
    pdf = render_consent_pdf(doc, doc_hash(doc), labels=shipped(), zone=TOKYO)
    text = _squash("\n".join(_pages(pdf)))
    assert text.count(_squash(UNTRANSLATED)) == 1
    assert _squash(english["template"]["sections"][2]["heading"]) in text
    # Tagged as English (the heading and each paragraph), for a screen reader.
    with pikepdf.open(io.BytesIO(pdf)) as document:
        (root,) = document.Root.StructTreeRoot.K
        english_parts = [
            element for element in _elements(root) if str(element.get("/Lang", "")) == "en"
        ]
        assert [str(e.S) for e in english_parts][:2] == ["/H3", "/P"]
        assert len(english_parts) == 1 + len(
            [line for line in english["template"]["sections"][2]["text"].split("\n") if line]
        )


def test_other_untranslated_passages_are_marked_too() -> None:
    doc = _japanese()
    doc["template"]["title_untranslated"] = True
    doc["treatment"]["untranslated"] = True
    doc["intake_summary"][0].update(label="Are you pregnant?", untranslated=True)
    doc["findings"][0].update(patient_risk="You may bruise more easily.", untranslated=True)
    pdf = render_consent_pdf(doc, doc_hash(doc), labels=shipped(), zone=TOKYO)
    text = _squash("\n".join(_pages(pdf)))
    # Under the title, after the treatment, the intake and the findings: each says so.
    assert text.count(_squash(UNTRANSLATED)) == 4
    assert text.count(_squash("* " + UNTRANSLATED)) == 3  # the notes of the asterisks
    for marked in (
        "* Are you pregnant?",
        "* You may bruise more easily.",
        "* " + doc["treatment"]["name"],
    ):
        assert _squash(marked) in text, marked
    # An English form never says so (its sections are all in English).
    plain = sample_doc()
    plain["template"]["sections"][2]["untranslated"] = True
    shown = _squash("\n".join(_pages(render_consent_pdf(plain, doc_hash(plain), labels=shipped()))))
    assert "英語" not in shown


def test_an_english_record_naming_english_prints_the_same_bytes() -> None:
    doc = sample_doc()
    digest = doc_hash(doc)
    london = ZoneInfo("Europe/London")
    before = render_consent_pdf(doc, digest, labels=shipped(), zone=london)
    named = {**doc, "language": "en"}
    assert render_consent_pdf(named, digest, labels=shipped(), zone=london) == before


def test_a_japanese_copy_and_reception_view_are_japanese(
    japanese: tuple[dict[str, Any], bytes],
) -> None:
    doc, pdf = japanese
    voided = CopyMark(
        date(2026, 12, 1),
        "voided",
        datetime(2026, 11, 30, 0, 30, tzinfo=UTC),
        "患者の取り違え",
        language="ja",
    )
    first = _squash(_pages(stamp_copy(pdf, voided, zone=TOKYO))[0])
    assert _squash("無効：この同意は2026年11月30日 09:30 JSTに無効とされました。") in first
    assert _squash("控えの印刷日：2026年12月1日。理由：患者の取り違え") in first
    copy = _squash(_pages(stamp_copy(pdf, CopyMark(date(2026, 12, 1), language="ja")))[0])
    assert _squash("署名済みの同意書の控え（2026年12月1日 印刷）。") in copy
    view = _squash(
        "\n".join(_pages(render_reception_view(doc, doc_hash(doc), labels=shipped(), zone=TOKYO)))
    )
    assert _squash("受付では、健康状態に関する質問と回答") in view
    assert "質問と回答" not in view.replace(_squash("受付では、健康状態に関する質問と回答"), "")


def test_consult_verify_holds_for_a_signed_japanese_form(tmp_path: Path) -> None:
    sealed = seal({**_japanese(), "schema": SCHEMA})
    pdf = render_consent_pdf(
        sealed.document, sealed.sha256, labels=shipped(), zone=TOKYO, record=sealed.canonical
    )
    signed = sign_form(
        pdf,
        document_number=str(sealed.document["document_number"]),
        record_sha256=sealed.sha256,
        identity=support.clinic_identity(),
        signer_name=support.CLINIC,
    )
    form = tmp_path / "form.pdf"
    form.write_bytes(signed.data)
    certificate = tmp_path / "clinic.pem"
    certificate.write_bytes(support.clinic_identity().certificate.public_bytes(Encoding.PEM))
    nobody = tmp_path / "nobody"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in (paths.HOME_ENV, "CONSULT_DATABASE_URL") and not key.startswith("XDG_")
    }
    environment.update(HOME=str(nobody), XDG_CONFIG_HOME=str(nobody / ".config"))
    done = subprocess.run(
        [sys.executable, "-m", "consult", "verify", str(form), "--trust", str(certificate)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok      visible text: the pages show the record's document number" in done.stdout
    assert f"patient {CJK}" in done.stdout


def test_a_japanese_form_is_pdfa_3b_and_tagged_signed_or_not() -> None:
    sealed = seal({**_japanese(), "schema": SCHEMA})
    pdf = render_consent_pdf(
        sealed.document, sealed.sha256, labels=shipped(), zone=TOKYO, record=sealed.canonical
    )
    signed = sign_form(
        pdf,
        document_number=str(sealed.document["document_number"]),
        record_sha256=sealed.sha256,
        identity=support.clinic_identity(),
        signer_name=support.CLINIC,
    ).data
    for data in (pdf, signed):
        report = pikepdf.pdfa.validate_written(io.BytesIO(data), "3b")
        assert report.violations == (), report.summary()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        (root,) = document.Root.StructTreeRoot.K
        headings = [str(kid.S) for kid in root.K if kid.get("/S") in ("/H1", "/H2")]
        assert headings == ["/H1"] + ["/H2"] * 6
        assert document.Root.MarkInfo.Marked
