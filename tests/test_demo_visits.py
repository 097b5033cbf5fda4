"""The demo clinic's cases of issue 21: a 16-year-old's consent with her guardian's
signature, a form with an interpreter, a blocked consultation with its letter in the
patient's language, and a returning toxin patient's re-confirmation; every form
verifies (``consult verify``'s integrity check)."""

from __future__ import annotations

import io
import json

from pypdf import PdfReader

from consult import paths
from consult.store import integrity
from consult.store.database import Database
from consult.store.demo import DEMO_USERS, ensure_demo
from consult.store.demo_visits import (
    BLOCKED,
    GUARDIAN,
    INTERPRETED,
    INTERPRETER,
    MINOR,
    RETURNING,
)
from consult.store.models import ConsentReconfirmation, ConsentRecord
from consult.store.services import consultations, outcomes, patients, users
from consult.store.services.context import ServiceContext


def _doctor(db: Database) -> ServiceContext:
    ctx = ServiceContext(db)
    spec = next(u for u in DEMO_USERS if u.username == "doctor")
    return ctx.signed_in(users.sign_in(ctx, spec.username, spec.password))


def _record(db: Database, patient_id: int, treatment: str) -> dict[str, object]:
    with db.session() as session:
        row = (
            session.query(ConsentRecord)
            .filter_by(patient_id=patient_id, treatment_id=treatment)
            .one()
        )
        return dict(json.loads(row.document_json))


def test_the_demo_has_the_cases_of_issue_21_and_they_verify(
    sqlite_db: Database, home: paths.Dirs
) -> None:
    assert ensure_demo(sqlite_db, patients=30)
    doctor = _doctor(sqlite_db)
    by_name = {p.full_name: p for p in patients.recent(doctor, limit=200)}
    # A 16-year-old's PRP consent, signed by her mother as parent or guardian.
    minor = by_name[" ".join(MINOR)]
    today = consultations.for_patient(doctor, minor.id)[0].consultation_date
    years = today.year - minor.date_of_birth.year
    years -= (today.month, today.day) < (minor.date_of_birth.month, minor.date_of_birth.day)
    assert years == 16
    [guardian] = _record(sqlite_db, minor.id, "prp")["signers"]  # type: ignore[misc]
    assert (guardian["role"], guardian["name"], guardian["relationship"]) == (
        "guardian",
        *GUARDIAN,
    )
    # A Japanese reader's filler consent with an interpreter's statement in both languages.
    japanese = by_name[f"{INTERPRETED[0]} {INTERPRETED[1]}"]
    [interpreter] = _record(sqlite_db, japanese.id, "ha_filler")["signers"]  # type: ignore[misc]
    assert interpreter["role"] == "interpreter" and interpreter["name"] == INTERPRETER
    assert [s["language"] for s in interpreter["statement"]] == ["ja", "en"]
    # A blocked consultation: its outcome recorded, the letter in Japanese.
    blocked = by_name[f"{BLOCKED[0]} {BLOCKED[1]}"]
    [consultation] = consultations.for_patient(doctor, blocked.id)
    assert consultation.status == "abandoned"
    outcome = outcomes.for_consultation(doctor, consultation.id)
    assert outcome is not None and outcome.language == "ja"
    assert outcome.treatments[0].findings == ("toxin-pregnant-breastfeeding",)
    letter = outcomes.letter_pdf(doctor, consultation.id)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(letter)).pages)
    assert "本日のご相談について" in text and "今後について" in text
    # The returning toxin patient re-confirmed her consent with one signature.
    returning = by_name[RETURNING]
    with sqlite_db.session() as session:
        rows = session.query(ConsentReconfirmation).filter_by(patient_id=returning.id).all()
        assert [r.treatment_id for r in rows] == ["botulinum_toxin"]
    # Every sealed form, re-confirmation and chart verifies.
    with sqlite_db.session() as session:
        report = integrity.verify(session, home.backups)
    assert report.ok, report.lines()
    assert report.reconfirmations == 1
