"""Follow-up reviews: each treatment's review date from the clinic's days per treatment,
the desk's list of reviews due and overdue, and the called / booked marks (audited)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from consult.domain import follow_up as rules
from consult.store.errors import PermissionDeniedError, ValidationError
from consult.store.models import AuditEntry
from consult.store.services import clinic as clinic_service
from consult.store.services import consents, follow_up
from tests import security_support


@pytest.fixture
def clinic(ctx):
    return security_support.contexts(ctx)


def test_review_days_default_and_setting() -> None:
    days = rules.review_days(None)
    assert days["ha_filler"] == 14 and days["chemical_peel"] == 7 and "iv_vitamin_c" not in days
    days = rules.review_days({"ha_filler": 21, "botulinum_toxin": None, "prp": 30})
    assert days["ha_filler"] == 21 and "botulinum_toxin" not in days and days["prp"] == 30
    assert rules.review_date(days, "prp", dt.date(2026, 12, 1)) == dt.date(2026, 12, 31)
    assert rules.review_date(days, "iv_vitamin_c", dt.date(2026, 12, 1)) is None
    for bad in ([14], {"ha_filler": 0}, {"ha_filler": True}, {"HA filler": 3}, {"x": 400}):
        with pytest.raises(ValueError):
            rules.check_review_setting(bad)


def test_the_setting_is_checked_by_the_clinic_service(clinic) -> None:
    boss = clinic["manager"]
    version = clinic_service.get_clinic(boss).version  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as caught:
        clinic_service.update_settings(boss, version, {rules.SETTING: {"ha_filler": -1}})
    assert caught.value.field == rules.SETTING
    clinic_service.update_settings(boss, version, {rules.SETTING: {"ha_filler": 21}})
    assert clinic_service.settings(boss)[rules.SETTING] == {"ha_filler": 21}


def test_reviews_due_and_overdue_then_called_and_booked(clinic, ctx) -> None:
    desk = clinic["reception"]
    patient, _info, consent = security_support.signed_consent(clinic, family="Review")
    today = dt.date.today()
    assert follow_up.reviews_due(desk, today) == []  # due in 14 days: not yet listed
    [soon] = follow_up.reviews_due(desk, today + dt.timedelta(days=7))
    assert soon.days_overdue == -7 and soon.due_on == today + dt.timedelta(days=14)
    [late] = follow_up.reviews_due(desk, today + dt.timedelta(days=20))
    assert (late.patient_id, late.treatment_id, late.treated_on) == (
        patient.id,
        security_support.TREATMENT,
        today,
    )
    assert late.days_overdue == 6 and late.phone == patient.phone and late.mark is None
    assert follow_up.reviews_due(desk, today + dt.timedelta(days=14 + 91)) == []
    follow_up.mark_review(desk, late.treatment_record_id, follow_up.CALLED, "voicemail")
    [called] = follow_up.reviews_due(desk, today + dt.timedelta(days=20))
    assert called.mark == "called" and called.marked_by == "Rita Desk"
    follow_up.mark_review(desk, late.treatment_record_id, follow_up.BOOKED)
    assert follow_up.reviews_due(desk, today + dt.timedelta(days=20)) == []
    with pytest.raises(ValidationError):
        follow_up.mark_review(desk, late.treatment_record_id, "forgotten")
    with ctx.db.session() as session:
        events = [
            (e.event, e.username, e.details)
            for e in session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
            if e.event.startswith("review.")
        ]
    assert events == [
        ("review.called", "desk", {"treatment": "ha_filler", "note": "voicemail"}),
        ("review.booked", "desk", {"treatment": "ha_filler"}),
    ]
    assert consent.patient_id == patient.id


def test_withdrawn_consents_and_treatments_without_review_are_not_listed(clinic) -> None:
    boss = clinic["manager"]
    _, _, consent = security_support.signed_consent(clinic, family="Withdrawn")
    later = dt.date.today() + dt.timedelta(days=15)
    assert len(follow_up.reviews_due(boss, later)) == 1
    consents.add_event(
        clinic["practitioner"], consent.id, "withdrawn", "Patient changed their mind"
    )
    assert follow_up.reviews_due(boss, later) == []
    version = clinic_service.get_clinic(boss).version  # type: ignore[union-attr]
    clinic_service.update_settings(boss, version, {rules.SETTING: {"ha_filler": None}})
    security_support.signed_consent(clinic, family="Noreview")
    assert follow_up.reviews_due(boss, later) == []


def test_who_may_list_and_mark(clinic) -> None:
    _, _, _ = security_support.signed_consent(clinic, family="Roles")
    later = dt.date.today() + dt.timedelta(days=15)
    for role in ("reception", "practitioner", "manager"):
        assert len(follow_up.reviews_due(clinic[role], later)) == 1
    nobody = clinic["manager"].signed_in(None)
    with pytest.raises(PermissionDeniedError):
        follow_up.reviews_due(nobody, later)
