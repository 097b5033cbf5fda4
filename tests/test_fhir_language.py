"""The FHIR export says which language the patient read (issue 18): the Patient's
``communication``, the Consent's and the QuestionnaireResponse's ``language`` (BCP 47),
English for records sealed before records named a language; still valid FHIR R4."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from consult.documents.fhir import ExportRecord, write_fhir_bundle
from consult.documents.fhir_parties import ClinicIdentity
from tests.consent_samples import CJK, doc_hash, sample_doc
from tests.fhir_r4 import problems
from tests.screening_support import shipped

BCP47 = "urn:ietf:bcp:47"


def _bundle(tmp_path: Path, doc: dict[str, Any]) -> dict[str, Any]:
    record = ExportRecord(
        consent_id=1,
        document=doc,
        document_sha256=doc_hash(doc),
        pdf=b"%PDF-1.7 sample",
        state="signed",
        practitioner_id=2,
        signed_at=dt.datetime(2026, 11, 21, 10, 32, 10, tzinfo=dt.UTC),
    )
    target = tmp_path / "bundle.json"
    write_fhir_bundle(
        [record],
        target,
        clinic=ClinicIdentity("5f0c6a3e-0a1b-4c2d-8e9f-0123456789ab", "東京再生医療クリニック"),
        kb=shipped(),
        now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    )
    data: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    return data


def _one(data: dict[str, Any], kind: str) -> dict[str, Any]:
    (found,) = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]
    return found


@pytest.mark.parametrize(
    ("doc", "language"),
    [
        (sample_doc(name=CJK, jurisdiction="JP", language="ja"), "ja"),
        (sample_doc(), "en"),  # no language in the record: English, as it was read
    ],
    ids=["ja", "en"],
)
def test_the_bundle_names_the_patients_language(
    tmp_path: Path, doc: dict[str, Any], language: str
) -> None:
    data = _bundle(tmp_path, doc)
    assert problems(data) == []
    (communication,) = _one(data, "Patient")["communication"]
    assert communication["preferred"] is True
    (coding,) = communication["language"]["coding"]
    assert (coding["system"], coding["code"]) == (BCP47, language)
    consent = _one(data, "Consent")
    assert consent["language"] == language
    assert consent["sourceAttachment"]["language"] == language
    assert _one(data, "QuestionnaireResponse")["language"] == language
