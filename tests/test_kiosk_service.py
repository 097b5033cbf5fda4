"""The kiosk station's services (issue 19): a manager registers a station, the station
signs in with its own secret and waits, a practitioner hands it one intake, the patient's
answers and counts arrive, the practitioner takes them back. On the clinic's PostgreSQL
server only; an embedded database refuses. The station reaches nothing but that intake:
every other call, for every service function, is refused and audited."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from consult.domain.roles import Qualification, Role
from consult.store import dto
from consult.store.database import Database
from consult.store.errors import (
    AuthenticationError,
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)
from consult.store.models import AuditEntry, Base
from consult.store.services import (
    audit_log,
    consent_register,
    consultations,
    kiosk,
    patient_answers,
    patients,
    users,
)
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories, kiosk_support, security_support
from tests.test_security_roles import TABLE, World

ON_SERVER = pytest.mark.parametrize(
    "backend_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
KIOSK_TABLES = {"kiosk_station", "kiosk_handover"}
# Calls that do nothing at all for a context without a user (no read, no write).
NOTHING_WITHOUT_A_USER = {"users.lock", "users.sign_out"}
# The station's own calls, tested below with the hand-over's consultation.
STATION_CALLS = {
    "kiosk.sign_in_station",
    "kiosk.current_intake",
    "kiosk.save_answers",
    "kiosk.finish",
}


def _entries(db: Database, event: str) -> list[AuditEntry]:
    with db.session() as session:
        return list(
            session.execute(
                select(AuditEntry).where(AuditEntry.event == event).order_by(AuditEntry.id)
            ).scalars()
        )


def _progress(answered: int, asked: int = 40) -> dict[str, int]:
    return {"done": 1, "sections": 6, "answered": answered, "asked": asked}


@ON_SERVER
def test_an_intake_goes_to_a_station_and_comes_back(db: Database, ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    doc, boss = clinic["practitioner"], clinic["manager"]
    kb = knowledge()
    patient, info = security_support.screened(clinic, given="Ada", family="Kioskova")
    station, station_ctx = kiosk_support.waiting(ctx, boss)
    assert kiosk.waiting_stations(doc) == [station]

    sent = kiosk.send(
        doc,
        info.id,
        station.id,
        treatment_ids=["ha_filler"],
        answers={"pregnant": "no"},
        kb=kb,
    )
    assert (sent.state, sent.station) == ("sent", station.name)
    assert kiosk.waiting_stations(doc) == []  # busy with this patient
    intake = kiosk.current_intake(station_ctx)
    assert intake is not None
    assert intake.consultation_id == info.id
    assert intake.treatment_ids == ("ha_filler",)
    assert (intake.sex_at_birth, intake.date_of_birth) == (
        patient.sex_at_birth,
        patient.date_of_birth,
    )
    assert intake.language == patient.language
    assert intake.answers == {"pregnant": "no"}
    # What the station knows: the questionnaire's needs, never the patient's name.
    assert "Kioskova" not in repr(intake) and "Ada" not in repr(intake)
    assert kiosk.progress(doc, info.id).state == "answering"

    answers = factories.no_answers(treatments=["ha_filler"])
    kiosk.save_answers(station_ctx, info.id, answers, _progress(10), kb)
    seen = kiosk.progress(doc, info.id)
    assert (seen.done, seen.sections, seen.answered, seen.asked) == (1, 6, 10, 40)
    kiosk.finish(station_ctx, info.id, answers, _progress(len(answers), len(answers)), kb)
    assert kiosk.progress(doc, info.id).state == "finished"
    with pytest.raises(ConflictError):  # finished: the answers wait for the practitioner
        kiosk.save_answers(station_ctx, info.id, {}, _progress(0), kb)

    taken = kiosk.take_back(doc, info.id)
    assert taken.answers == answers
    assert (taken.state, taken.language) == ("finished", patient.language)
    assert kiosk.current_intake(station_ctx) is None  # waiting again
    assert kiosk.waiting_stations(doc) == [station]
    # The practitioner keeps them as the patient's own, as in patient mode at the desk.
    given = patient_answers.record_given(doc, info.id, taken.answers, taken.language, kb)
    assert given.answers == answers

    events = [
        e.event
        for e in _entries(db, "kiosk.sent")
        + _entries(db, "kiosk.intake_opened")
        + _entries(db, "kiosk.finished")
        + _entries(db, "kiosk.returned")
    ]
    assert events == ["kiosk.sent", "kiosk.intake_opened", "kiosk.finished", "kiosk.returned"]
    [opened] = _entries(db, "kiosk.intake_opened")
    assert opened.username == f"kiosk:{station.name}" and opened.user_id is None
    for event in ("kiosk.sent", "kiosk.finished", "kiosk.returned"):
        for entry in _entries(db, event):
            assert "answers" not in entry.details and "no" not in entry.details.values()


def test_an_embedded_database_has_no_kiosk(sqlite_db: Database) -> None:
    ctx = ServiceContext(sqlite_db, workstation="test-workstation")
    clinic = security_support.contexts(ctx)
    _patient, info = security_support.screened(clinic)
    with pytest.raises(ValidationError, match="PostgreSQL server"):
        kiosk.register_station(clinic["manager"], "Tablet 1")
    with pytest.raises(ValidationError, match="PostgreSQL server"):
        kiosk.sign_in_station(ctx, "Tablet 1", "secret")
    with pytest.raises(ValidationError, match="second screen"):
        kiosk.send(clinic["practitioner"], info.id, 1, treatment_ids=[], answers={}, kb=knowledge())
    assert kiosk.waiting_stations(clinic["practitioner"]) == []


@ON_SERVER
def test_a_station_signs_in_with_its_own_secret_only(db: Database, ctx: ServiceContext) -> None:
    boss = security_support.contexts(ctx)["manager"]
    first = kiosk_support.registered(boss, "Front desk tablet")
    with pytest.raises(AuthenticationError):
        kiosk.sign_in_station(ctx, "Front desk tablet", "not the secret")
    with pytest.raises(AuthenticationError):
        kiosk.sign_in_station(ctx, "No such tablet", first.secret)
    again = kiosk_support.registered(boss, "Front desk tablet")  # a replaced tablet
    assert again.station == first.station and again.secret != first.secret
    with pytest.raises(AuthenticationError):
        kiosk.sign_in_station(ctx, "Front desk tablet", first.secret)
    station_ctx = kiosk.sign_in_station(ctx, "Front desk tablet", again.secret)
    assert station_ctx.user is None and station_ctx.kiosk is not None
    failed = _entries(db, "kiosk.sign_in_failed")
    assert [e.details["known"] for e in failed] == [True, False, True]
    registered = [str(e.details) for e in _entries(db, "kiosk.registered")]
    assert len(registered) == 2
    assert not any(first.secret in d or again.secret in d for d in registered)
    with pytest.raises(ValidationError):
        kiosk.register_station(boss, "")


@ON_SERVER
def test_only_the_sending_practitioner_follows_and_takes_back(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    _patient, info, station, _station_ctx = kiosk_support.handed_over(ctx, clinic)
    other = ctx.signed_in(
        users.create_user(
            clinic["manager"],
            users.NewUser(
                "otherdoc",
                "Dr Other",
                factories.PASSWORD,
                frozenset({Role.PRACTITIONER}),
                Qualification.DOCTOR,
            ),
        )
    )
    for call in (lambda: kiosk.progress(other, info.id), lambda: kiosk.take_back(other, info.id)):
        with pytest.raises(ValidationError, match="handed this intake over"):
            call()
    with pytest.raises(PermissionDeniedError):
        kiosk.send(
            clinic["reception"], info.id, station.id, treatment_ids=[], answers={}, kb=knowledge()
        )
    # One intake per station, one station per intake.
    _p, second, _s, _c = kiosk_support.handed_over(ctx, clinic, family="Second")
    with pytest.raises(ConflictError):
        kiosk.send(
            clinic["practitioner"],
            second.id,
            station.id,
            treatment_ids=[],
            answers={},
            kb=knowledge(),
        )


def _refused(db: Database) -> list[AuditEntry]:
    return _entries(db, "refused")


@ON_SERVER
def test_the_station_reaches_only_the_intake_handed_to_it(
    db: Database, ctx: ServiceContext
) -> None:
    clinic = security_support.contexts(ctx)
    kb = knowledge()
    patient, info, station, station_ctx = kiosk_support.handed_over(ctx, clinic)
    other_patient, other, _other_station, _other_ctx = kiosk_support.handed_over(
        ctx, clinic, given="Bea", family="Elsewhere"
    )
    assert kiosk.current_intake(station_ctx).consultation_id == info.id  # type: ignore[union-attr]
    name = f"kiosk:{station.name}"

    def refused_and_audited(call: Any, action: str) -> None:
        before = len(_refused(db))
        with pytest.raises(PermissionDeniedError):
            call()
        after = _refused(db)
        assert len(after) == before + 1
        assert after[-1].username == name and after[-1].details["action"] == action

    # Another consultation, handed to another station, or to none: refused and audited.
    refused_and_audited(
        lambda: kiosk.save_answers(station_ctx, other.id, {}, _progress(0), kb),
        "save an intake's answers",
    )
    refused_and_audited(
        lambda: kiosk.finish(station_ctx, other.id, {}, _progress(0), kb), "finish an intake"
    )
    # Its own consultation, other patients, the register, the audit log: through the
    # ordinary services, all refused.
    for call in (
        lambda: consultations.get(station_ctx, info.id),
        lambda: consultations.get(station_ctx, other.id),
        lambda: patients.get(station_ctx, patient.id),
        lambda: patients.get(station_ctx, other_patient.id),
        lambda: patients.search(station_ctx, "Elsewhere"),
        lambda: patient_answers.get(station_ctx, info.id),
        lambda: kiosk.progress(station_ctx, info.id),
        lambda: kiosk.take_back(station_ctx, info.id),
        lambda: kiosk.waiting_stations(station_ctx),
        lambda: consent_register.register_page(station_ctx, dto.RegisterFilters()),
        lambda: audit_log.page(station_ctx, audit_log.AuditFilter()),
        lambda: users.sign_in(station_ctx, "doc", factories.PASSWORD),
        lambda: users.count_users(station_ctx),
    ):
        before = len(_refused(db))
        with pytest.raises(PermissionDeniedError):
            call()
        assert len(_refused(db)) == before + 1 and _refused(db)[-1].username == name
    # Taken back: the station's own consultation is out of reach too.
    kiosk.take_back(clinic["practitioner"], info.id)
    refused_and_audited(
        lambda: kiosk.save_answers(station_ctx, info.id, {}, _progress(0), kb),
        "save an intake's answers",
    )


@ON_SERVER
@pytest.mark.slow
def test_every_service_function_refuses_a_station(
    db: Database, ctx: ServiceContext, tmp_path
) -> None:
    """The roles table's every call, made by a station: each refused and audited."""
    clinic_world = World(ctx, tmp_path)
    _station, station_ctx = kiosk_support.waiting(ctx, clinic_world.boss)
    clinic_world.dry = True  # refused calls never reach their arguments
    name = station_ctx.actor.username
    failures = []
    for entry in TABLE:
        base = entry.name.split("(")[0]
        if base in STATION_CALLS:
            continue
        before = len(_refused(db))
        try:
            result = entry.call(clinic_world, station_ctx)
        except PermissionDeniedError:
            after = _refused(db)
            if len(after) != before + 1 or after[-1].username != name:
                failures.append(f"{entry.name}: the station's refusal was not audited")
            continue
        if base in NOTHING_WITHOUT_A_USER and result is None and len(_refused(db)) == before:
            continue
        failures.append(f"{entry.name}: a kiosk station was not refused")
    assert failures == []


def test_the_migrated_kiosk_tables_match_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    assert [d for d in diffs if any(t in repr(d) for t in KIOSK_TABLES)] == []
