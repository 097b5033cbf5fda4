"""Extra signers (issue 21) in the sealed record and on the printed form: who must sign
(domain), each signer's entry refused like the patient's signature, and the PDF's
signature block with every signer on one page, in the form's language."""

from __future__ import annotations

import copy
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from consult.documents.consent_pdf import render_consent_pdf
from consult.domain.consent_signers import (
    GuardianNeed,
    SignerNeeds,
    SignerRole,
    check_witness_setting,
    guardian_need,
    signers_of,
    witness_required_for,
)
from consult.domain.signatures import signer_problem, signers_problem
from consult.store.services.consent_signers import interpreter_statement
from tests.consent_samples import doc_hash, sample_doc, signature_strokes
from tests.screening_support import shipped

LONDON = ZoneInfo("Europe/London")


def signer(role: str, name: str, seed: int, **fields: Any) -> dict[str, Any]:
    """An extra signer's entry as the record holds it."""
    return {
        "role": role,
        "name": name,
        **fields,
        "meaning": {
            "guardian": "consent given for the patient",
            "witness": "signatures witnessed",
            "interpreter": "information interpreted",
        }[role],
        "signed_at": "2026-11-21T10:33:00Z",
        "width": 400,
        "height": 150,
        "strokes": signature_strokes(seed),
    }


def with_signers(language: str = "en") -> dict[str, Any]:
    doc = sample_doc(language=language)
    doc["signers"] = [
        signer("guardian", "Marie Lefèvre", 3, relationship="mother"),
        signer("witness", "Walter Witness", 4),
        signer(
            "interpreter",
            "Ichiro Tsuyaku",
            5,
            language="ja",
            statement=[interpreter_statement("ja", "ja"), interpreter_statement("ja", "en")],
        ),
    ]
    return doc


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


# Who signs --------------------------------------------------------------------------------


def test_a_minor_needs_a_guardian_unless_a_rule_forbids_the_treatment() -> None:
    assert guardian_need(16, blocked=False) == GuardianNeed.REQUIRED
    assert guardian_need(17, blocked=True) == GuardianNeed.REFUSED
    assert guardian_need(18, blocked=False) == GuardianNeed.NONE
    assert guardian_need(40, blocked=True) == GuardianNeed.NONE
    assert SignerNeeds(GuardianNeed.REQUIRED, True).required() == (
        SignerRole.GUARDIAN,
        SignerRole.WITNESS,
    )
    assert SignerNeeds(GuardianNeed.REFUSED).required() == ()


def test_an_interpreter_is_offered_only_when_the_languages_differ() -> None:
    assert SignerNeeds(patient_language="ja").interpreter_offered("en")
    assert not SignerNeeds(patient_language="ja").interpreter_offered("ja")
    assert not SignerNeeds(patient_language="en").interpreter_offered("en")
    assert not SignerNeeds(patient_language="en-GB").interpreter_offered("en")


def test_the_witness_setting_lists_treatments() -> None:
    assert check_witness_setting(["prp", "ha_filler", "prp"]) == ["ha_filler", "prp"]
    assert witness_required_for(["prp"], "prp")
    assert not witness_required_for(["prp"], "ha_filler")
    assert not witness_required_for(None, "prp")
    for bad in ("prp", [1], ["PRP filler"], {"prp": True}):
        with pytest.raises(ValueError):
            check_witness_setting(bad)


def test_each_signer_is_checked_like_the_patients_signature() -> None:
    good = signer("guardian", "Marie Lefèvre", 3, relationship="mother")
    assert signer_problem(good) is None
    assert "relationship" in str(signer_problem({**good, "relationship": " "}))
    assert "name" in str(signer_problem({**good, "name": ""}))
    scribble = [[{"x": 1, "y": 1, "t": 0}, {"x": 2, "y": 2, "t": 5}]]
    assert "too small" in str(signer_problem({**good, "strokes": scribble}))
    assert "empty" in str(signer_problem({**good, "strokes": []}))
    interpreter = signer("interpreter", "I. Tsuyaku", 5, language="ja")
    assert signer_problem(interpreter) is None
    assert "language" in str(signer_problem({**interpreter, "language": ""}))
    assert "role" in str(signer_problem({**good, "role": "notary"}))
    assert signers_problem([good, signer("witness", "W", 4)]) is None
    assert "one guardian" in str(signers_problem([good, good]))


def test_a_record_without_signers_has_none() -> None:
    assert signers_of(sample_doc()) == []
    assert [s["role"] for s in signers_of(with_signers())] == [
        "guardian",
        "witness",
        "interpreter",
    ]


def test_the_interpreter_statement_names_the_language_in_each_language() -> None:
    assert interpreter_statement("ja", "en") == {
        "language": "en",
        "text": "I interpreted the information on this form into Japanese for the patient, "
        "and the patient's questions and answers.",
    }
    said = interpreter_statement("ja", "ja")
    assert said["language"] == "ja" and "日本語に通訳し" in said["text"]


# The printed form -------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_signer_is_printed_together_on_one_page(language: str) -> None:
    doc = with_signers(language)
    pdf = render_consent_pdf(doc, doc_hash(doc), labels=shipped(), zone=LONDON)
    pages = _pages(pdf)
    names = ["Zoë", "Sofía Núñez", "Marie Lefèvre", "Walter Witness", "Ichiro Tsuyaku"]
    holding = [n for n, page in enumerate(pages) if any(name in page for name in names[2:])]
    assert len(set(holding)) == 1, holding
    page = pages[holding[0]]
    for name in names:
        assert name in page
    if language == "en":
        for words in (
            "Parent or guardian",
            "Relationship to the patient mother",
            "Witness",
            "signatures witnessed",
            "Interpreter",
            "Interpreted into Japanese",
            "consent given for the patient",
            "into Japanese for the patient, and the patient's questions and answers.",
        ):
            assert words in page, words
    else:
        japanese = ("親権者または法定代理人", "立会人", "通訳者", "患者との続柄", "日本語に通訳し")
        for words in japanese:
            assert words.replace(" ", "") in page.replace(" ", ""), words
        # The desk's copy of the statement, in English, is printed under it.
        assert "into Japanese for the patient" in page


def test_a_form_without_signers_prints_as_before() -> None:
    doc = sample_doc()
    plain = render_consent_pdf(doc, doc_hash(doc), labels=shipped(), zone=LONDON)
    again = copy.deepcopy(doc)
    again["signers"] = []
    assert render_consent_pdf(again, doc_hash(again), labels=shipped(), zone=LONDON) != b""
    text = " ".join(_pages(plain))
    assert "Parent or guardian" not in text and "Witness" not in text
