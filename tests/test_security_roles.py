"""Roles are enforced by the services: every service function, for every role.

One table names, for each public service function that takes a ``ServiceContext``,
the roles that may call it and a call that succeeds for them. For every role (and for
nobody signed in) an allowed call must succeed; a refused one must raise
:class:`PermissionDeniedError` and leave a "refused" entry in the audit log. A test
checks that the table names every service function, so a new one cannot be added
without saying who may call it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import inspect
import io
import itertools
import pkgutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

import consult.store.services as services_package
from consult import cli, paths
from consult.domain.roles import Qualification, Role
from consult.store import dto, migrate
from consult.store.database import open_database
from consult.store.errors import PermissionDeniedError
from consult.store.models import AuditEntry
from consult.store.photo_images import prepare_photo
from consult.store.services import (
    audit_log,
    clinic,
    clinic_signing,
    complications,
    consent_register,
    consent_validity,
    consents,
    consultation_overview,
    consultations,
    dashboard,
    follow_up,
    form_export,
    kiosk,
    outcomes,
    patient_answers,
    patients,
    photos,
    products,
    recall,
    reception,
    reconfirmation,
    record_detail,
    register_export,
    treatment_records,
    unlock_pin,
    users,
)
from consult.store.services.context import ServiceContext
from consult.store.services.users import NewUser
from consult.ui.shell.knowledge import knowledge
from tests import (
    factories,
    kiosk_support,
    proof_support,
    register_support,
    repeat_visit_support,
    security_support,
)
from tests.treatment_support import fresh_chart, world_chart

P, R, M, NOBODY = "practitioner", "reception", "manager", "nobody"
ANY = frozenset({P, R, M})
EVERYONE = ANY | {NOBODY}
NEW_PASSWORD = "Blue-Lagoon-Sunset-7"
_names = itertools.count(1)


def _surname(prefix: str) -> str:
    """A family name not used before (names may not hold digits)."""
    return prefix + "".join(chr(ord("a") + int(d)) for d in str(next(_names)))


# Service functions that are outside the table, and why.
EXEMPT = {
    "clinic.set_up_clinic": "first run only: refused once a clinic exists (ConflictError)",
    "clinic_signing.signing_for": "runs inside consents.sign, whose role check covers it",
    "clinic_signing.press_sealed": (
        "runs inside consents.sign and reconfirmation.reconfirm, whose role checks cover it"
    ),
}


class World:
    """The clinic the calls run against. ``dry`` worlds build nothing: refused calls
    never reach their arguments, so they get existing ids instead of fresh records."""

    def __init__(self, ctx: ServiceContext, tmp_path: Any) -> None:
        self.ctx = ctx
        self.tmp_path = tmp_path
        self.by_role = security_support.contexts(ctx)
        self.by_role[NOBODY] = ctx
        self.boss = self.by_role[M]
        self.doc = self.by_role[P]
        self.kb = knowledge()
        self.product = factories.product_with_lot(self.boss, security_support.TREATMENT)
        self.patient, self.consultation, self.consent = security_support.signed_consent(
            self.by_role
        )
        self.dry = False

    def fresh_user(self) -> Any:
        if self.dry:
            return users.list_users(self.boss)[0]
        name = f"user{next(_names)}"
        return users.create_user(
            self.boss, NewUser(name, "Temp Person", factories.PASSWORD, frozenset({Role.RECEPTION}))
        )

    def fresh_patient(self) -> Any:
        if self.dry:
            return self.patient
        return patients.register(self.doc, factories.draft("Ada", _surname("Fresh")))

    def fresh_draft(self) -> Any:
        if self.dry:
            return self.consultation
        return consultations.start(self.doc, self.fresh_patient().id)

    def fresh_screened(self, **answers: object) -> Any:
        if self.dry:
            return self.consultation
        return security_support.screened(
            self.by_role,
            family=_surname("Screened"),
            product=self.product,
            answers=factories.no_answers(**answers),
        )[1]

    def fresh_consent(self) -> Any:
        if self.dry:
            return self.consent
        return security_support.sign(self.by_role, self.fresh_screened())


@dataclass(frozen=True)
class Entry:
    name: str
    roles: frozenset[str]
    call: Callable[[World, ServiceContext], Any]


def _decide(w: World, c: ServiceContext) -> Any:
    info = w.fresh_screened(anticoagulants=["warfarin"])
    findings = [] if w.dry else consultations.reviews(info)[0].unjustified
    return consultations.decide(
        c,
        info.id,
        info.version,
        treatment=security_support.TREATMENT,
        rule=findings[0] if findings else "x",
        justification="INR 2.1 checked today; cannula technique, pressure afterwards.",
    )


def _sign(w: World, c: ServiceContext) -> Any:
    info = w.fresh_screened()
    text = (
        consents.consent_text(
            w.doc, info.id, security_support.TREATMENT, security_support.TEMPLATES
        )
        if not w.dry
        else None
    )
    return consents.sign(
        c,
        info.id,
        security_support.TREATMENT,
        template_version=text.template_version if text else "",
        initials={s.id: "ZL" for s in text.sections} if text else {},
        choices={"photographs": True, "data_processing": True},
        patient_signature=security_support.signature("Zoë"),
        practitioner_signature=security_support.signature("Dr Dana Doe"),
        templates=security_support.TEMPLATES,
        kb=w.kb,
    )


def _change_password(w: World, c: ServiceContext) -> Any:
    users.change_own_password(c, factories.PASSWORD, NEW_PASSWORD)
    return users.change_own_password(c, NEW_PASSWORD, factories.PASSWORD)


def _reactivate(w: World, c: ServiceContext) -> Any:
    user = w.fresh_user()
    if not w.dry:
        user = users.deactivate(w.boss, user.id, user.version)
    return users.reactivate(c, user.id, user.version)


def _update_user(w: World, c: ServiceContext) -> Any:
    user = w.fresh_user()
    return users.update_user(
        c,
        user.id,
        user.version,
        roles=frozenset({Role.PRACTITIONER}),
        qualification=Qualification.NURSE,
    )


def _photo_of(w: World, c: ServiceContext, consultation_id: int) -> Any:
    """Add a small photo to a consultation whose consent said yes to photographs."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (180, 120, 100)).save(out, "PNG")
    return photos.add_photo(
        c, consultation_id, prepare_photo(out.getvalue()), area="lips", kind="before"
    )


def _photo_id(w: World) -> int:
    """A photo that may be shown (the dry world's: any id, never reached)."""
    return 1 if w.dry else int(_photo_of(w, w.doc, w.consultation.id).id)


def _photo_past_retention(w: World) -> int:
    """A photo hidden by a withdrawn photograph consent, with no retention left."""
    if w.dry:
        return 1
    consultation_id = w.fresh_consent().consultation_id
    photo = _photo_of(w, w.doc, consultation_id)
    photos.withdraw_consent(w.doc, consultation_id, "The patient asked by letter")
    clinic.update_settings(w.boss, _clinic_version(w), {"photo_retention_days": 0})
    return int(photo.id)


def _handed_over(w: World) -> int:
    """A consultation on a kiosk station (the dry world's: on none)."""
    return int(w.consultation.id if w.dry else kiosk_support.handed_over(w.ctx, w.by_role)[1].id)


def _complication(w: World) -> tuple[int, int]:
    """A fresh complication of the signed consultation: its id and version (any id when
    dry: a refused call never reads it)."""
    if w.dry:
        return 1, 1
    event = complications.record(w.doc, w.consultation.id, security_support.TREATMENT, _event())
    return event.id, event.version


def _event(**changes: Any) -> Any:
    values: dict[str, Any] = {
        "category": "bruising",
        "description": "Bruise at the injection site",
        "noticed_on": dt.date.today(),
        "severity": "mild",
    }
    values.update(changes)
    return complications.ComplicationDraft(**values)


def _review(w: World) -> int:
    """The signed consultation's treatment record id (its review)."""
    later = dt.date.today() + dt.timedelta(days=15)
    rows = [] if w.dry else follow_up.reviews_due(w.boss, later)
    return rows[0].treatment_record_id if rows else 1


def _record_not_treated(w: World, c: ServiceContext, info: Any) -> Any:
    return outcomes.record_not_treated(
        c, info.id, info.version, treatments=[security_support.TREATMENT], reason="", kb=w.kb
    )


def _not_treated(w: World) -> int:
    """A blocked consultation whose outcome is recorded (the dry world's: any id)."""
    if w.dry:
        return 1
    info = w.fresh_screened(pregnant="yes")
    return int(_record_not_treated(w, w.doc, info).consultation_id)


def _clinic_version(w: World) -> int:
    info = clinic.get_clinic(w.ctx)
    assert info is not None
    return info.version


TABLE = [
    # users
    Entry(
        "users.create_user",
        frozenset({M}),
        lambda w, c: users.create_user(
            c,
            NewUser(
                f"new{next(_names)}", "New Person", factories.PASSWORD, frozenset({Role.RECEPTION})
            ),
        ),
    ),
    Entry("users.list_users", frozenset({M}), lambda w, c: users.list_users(c)),
    Entry("users.count_users", EVERYONE, lambda w, c: users.count_users(c)),
    Entry("users.sign_in", EVERYONE, lambda w, c: users.sign_in(c, "doc", factories.PASSWORD)),
    Entry("users.sign_out", EVERYONE, lambda w, c: users.sign_out(c)),
    Entry("users.update_user", frozenset({M}), _update_user),
    Entry(
        "users.reset_password",
        frozenset({M}),
        lambda w, c: (lambda u: users.reset_password(c, u.id, u.version, "Temporary-Pass-31"))(
            w.fresh_user()
        ),
    ),
    Entry(
        "users.deactivate",
        frozenset({M}),
        lambda w, c: (lambda u: users.deactivate(c, u.id, u.version))(w.fresh_user()),
    ),
    Entry("users.reactivate", frozenset({M}), _reactivate),
    Entry("users.change_own_password", ANY, _change_password),
    Entry("users.interface_language", ANY, lambda w, c: users.interface_language(c)),
    Entry("users.set_interface_language", ANY, lambda w, c: users.set_interface_language(c, "ja")),
    # lock() with nobody signed in has nothing to lock: it returns without logging.
    Entry("users.lock", EVERYONE, lambda w, c: users.lock(c)),
    Entry("users.unlock", ANY, lambda w, c: users.unlock(c, factories.PASSWORD)),
    # unlock_pin: a practitioner's own PIN to take patient mode back (with their password).
    Entry("unlock_pin.has_unlock_pin", frozenset({P}), lambda w, c: unlock_pin.has_unlock_pin(c)),
    Entry(
        "unlock_pin.set_unlock_pin",
        frozenset({P}),
        lambda w, c: unlock_pin.set_unlock_pin(c, factories.PASSWORD, "2580"),
    ),
    Entry(
        "unlock_pin.clear_unlock_pin",
        frozenset({P}),
        lambda w, c: unlock_pin.clear_unlock_pin(c, factories.PASSWORD),
    ),
    Entry(
        "unlock_pin.take_back",
        frozenset({P}),
        lambda w, c: unlock_pin.take_back(c, factories.PASSWORD),
    ),
    # clinic
    Entry("clinic.get_clinic", EVERYONE, lambda w, c: clinic.get_clinic(c)),
    Entry("clinic.settings", EVERYONE, lambda w, c: clinic.settings(c)),
    Entry("clinic.idle_lock_minutes", EVERYONE, lambda w, c: clinic.idle_lock_minutes(c)),
    Entry(
        "clinic.update_clinic",
        frozenset({M}),
        lambda w, c: clinic.update_clinic(
            c,
            expected_version=_clinic_version(w),
            name="Renamed Clinic",
            address="",
            jurisdiction="GB",
            regenerative_medicine_plan=None,
        ),
    ),
    Entry(
        "clinic.update_settings",
        frozenset({M}),
        lambda w, c: clinic.update_settings(c, _clinic_version(w), {"idle_lock_minutes": 5}),
    ),
    # patients
    Entry(
        "patients.find_duplicates", ANY, lambda w, c: patients.find_duplicates(c, factories.draft())
    ),
    Entry(
        "patients.register",
        ANY,
        lambda w, c: patients.register(c, factories.draft("Ada", _surname("Registered"))),
    ),
    Entry(
        "patients.update",
        ANY,
        lambda w, c: (
            lambda p: patients.update(c, p.id, p.version, factories.draft("Ada", "Updated"))
        )(w.fresh_patient()),
    ),
    Entry("patients.get", ANY, lambda w, c: patients.get(c, w.patient.id)),
    Entry("patients.search", ANY, lambda w, c: patients.search(c, "zoe")),
    Entry("patients.count", ANY, lambda w, c: patients.count(c)),
    Entry("patients.recent", ANY, lambda w, c: patients.recent(c)),
    # consultations: practitioners run them, managers may read them
    Entry("consultations.start", frozenset({P}), lambda w, c: consultations.start(c, w.patient.id)),
    Entry(
        "consultations.get", frozenset({P, M}), lambda w, c: consultations.get(c, w.consultation.id)
    ),
    Entry("consultations.open_drafts", frozenset({P}), lambda w, c: consultations.open_drafts(c)),
    Entry(
        "consultations.for_patient",
        frozenset({P, M}),
        lambda w, c: consultations.for_patient(c, w.patient.id),
    ),
    Entry(
        "consultations.save",
        frozenset({P}),
        lambda w, c: (lambda i: consultations.save(c, i.id, i.version, w.kb, step="intake"))(
            w.fresh_draft()
        ),
    ),
    Entry(
        "consultations.run_screening",
        frozenset({P}),
        lambda w, c: (lambda i: consultations.run_screening(c, i.id, i.version, w.kb))(
            w.fresh_screened()
        ),
    ),
    Entry("consultations.decide", frozenset({P}), _decide),
    Entry(
        "consultations.abandon",
        frozenset({P}),
        lambda w, c: (lambda i: consultations.abandon(c, i.id, i.version, "Patient left"))(
            w.fresh_draft()
        ),
    ),
    # patient_answers: the patient's own answers in patient mode (issue 19)
    Entry(
        "patient_answers.record_given",
        frozenset({P}),
        lambda w, c: patient_answers.record_given(c, w.fresh_draft().id, {}, "en", w.kb),
    ),
    Entry(
        "patient_answers.note_practitioner_changes",
        frozenset({P}),
        lambda w, c: patient_answers.note_practitioner_changes(c, w.fresh_draft().id, {}),
    ),
    Entry(
        "patient_answers.get",
        frozenset({P, M}),
        lambda w, c: patient_answers.get(c, w.consultation.id),
    ),
    # kiosk: a manager registers a station; the station alone waits, saves and finishes
    # (no user may: tests/test_kiosk_service.py); the practitioner sends and takes back.
    # An embedded database has none (kiosk_support.on_server).
    Entry(
        "kiosk.register_station",
        frozenset({M}),
        lambda w, c: kiosk_support.on_server(w.ctx, lambda: kiosk_support.registered(c)),
    ),
    Entry(
        "kiosk.sign_in_station",
        EVERYONE,
        lambda w, c: kiosk_support.on_server(
            w.ctx,
            lambda: (lambda s: kiosk.sign_in_station(c, s.station.name, s.secret))(
                kiosk_support.registered(w.boss)
            ),
        ),
    ),
    Entry("kiosk.current_intake", frozenset(), lambda w, c: kiosk.current_intake(c)),
    Entry(
        "kiosk.save_answers",
        frozenset(),
        lambda w, c: kiosk.save_answers(c, w.consultation.id, {}, {}, w.kb),
    ),
    Entry(
        "kiosk.finish",
        frozenset(),
        lambda w, c: kiosk.finish(c, w.consultation.id, {}, {}, w.kb),
    ),
    Entry("kiosk.waiting_stations", frozenset({P}), lambda w, c: kiosk.waiting_stations(c)),
    Entry(
        "kiosk.send",
        frozenset({P}),
        lambda w, c: kiosk_support.on_server(
            w.ctx,
            lambda: kiosk.send(
                c,
                w.fresh_draft().id,
                1 if w.dry else kiosk_support.waiting(w.ctx, w.boss)[0].id,
                treatment_ids=[],
                answers={},
                kb=w.kb,
            ),
        ),
    ),
    Entry(
        "kiosk.progress",
        frozenset({P}),
        lambda w, c: kiosk_support.on_server(w.ctx, lambda: kiosk.progress(c, _handed_over(w))),
    ),
    Entry(
        "kiosk.take_back",
        frozenset({P}),
        lambda w, c: kiosk_support.on_server(w.ctx, lambda: kiosk.take_back(c, _handed_over(w))),
    ),
    Entry(
        "consultation_overview.open_drafts",
        frozenset({P}),
        lambda w, c: consultation_overview.open_drafts(c),
    ),
    Entry(
        "consultation_overview.for_patient",
        frozenset({P, M}),
        lambda w, c: consultation_overview.for_patient(c, w.patient.id),
    ),
    Entry(
        "consultation_overview.today",
        frozenset({P}),
        lambda w, c: consultation_overview.today(c),
    ),
    # consents: reception finds and prints signed forms, but never reads the intake
    Entry(
        "consents.consent_text",
        frozenset({P}),
        lambda w, c: (
            lambda i: consents.consent_text(
                c, i.id, security_support.TREATMENT, security_support.TEMPLATES
            )
        )(w.fresh_screened()),
    ),
    Entry("consents.sign", frozenset({P}), _sign),
    # repeat visits (issue 21): where consents stand, and the one-signature re-confirmation
    Entry(
        "consent_validity.for_patient",
        ANY,
        lambda w, c: consent_validity.for_patient(c, w.patient.id),
    ),
    Entry(
        "reconfirmation.repeat_start",
        frozenset({P}),
        lambda w, c: reconfirmation.repeat_start(c, w.consultation.id, ["ha_filler"]),
    ),
    Entry(
        "reconfirmation.check",
        frozenset({P}),
        lambda w, c: reconfirmation.check(
            c, w.consultation.id, security_support.TREATMENT, security_support.TEMPLATES, w.kb
        ),
    ),
    Entry(
        "reconfirmation.reconfirm",
        frozenset({P}),
        lambda w, c: repeat_visit_support.reconfirm(
            c,
            w.consultation
            if w.dry
            else repeat_visit_support.second_visit(w.by_role, _surname("Again")),
        ),
    ),
    Entry(
        "reconfirmation.for_patient",
        ANY,
        lambda w, c: reconfirmation.for_patient(c, w.patient.id),
    ),
    Entry(
        "reconfirmation.pdf",
        frozenset({P, M}),
        lambda w, c: reconfirmation.pdf(
            c, 0 if w.dry else repeat_visit_support.a_reconfirmation(w.by_role, _surname("Pdf"))
        ),
    ),
    Entry(
        "reconfirmation.verify",
        frozenset({P, M}),
        lambda w, c: reconfirmation.verify(
            c, 0 if w.dry else repeat_visit_support.a_reconfirmation(w.by_role, _surname("Ver"))
        ),
    ),
    Entry("consents.get", ANY, lambda w, c: consents.get(c, w.consent.id)),
    Entry("consents.for_patient", ANY, lambda w, c: consents.for_patient(c, w.patient.id)),
    # Printing a (marked) copy is for the desk too; the whole form on screen or in a file
    # holds the health answers, so reception may not open it.
    Entry("consents.pdf", ANY, lambda w, c: consents.pdf(c, w.consent.id, purpose="printed")),
    Entry(
        "consents.pdf(viewed)",
        frozenset({P, M}),
        lambda w, c: consents.pdf(c, w.consent.id, purpose="viewed"),
    ),
    Entry(
        "consents.pdf(exported)",
        frozenset({P, M}),
        lambda w, c: consents.pdf(c, w.consent.id, purpose="exported"),
    ),
    Entry(
        "consents.original",
        frozenset({P, M}),
        lambda w, c: consents.original(c, w.consent.id, purpose="exported"),
    ),
    Entry(
        "consents.print_preview", ANY, lambda w, c: consents.print_preview(c, w.consent.id, kb=w.kb)
    ),
    Entry("consents.document", frozenset({P, M}), lambda w, c: consents.document(c, w.consent.id)),
    Entry(
        "consents.add_event", ANY, lambda w, c: consents.add_event(c, w.consent.id, "handed_over")
    ),
    Entry(
        "consents.add_event(voided)",
        frozenset({P, M}),
        lambda w, c: consents.add_event(
            c, w.fresh_consent().id, "voided", "Signed on the wrong form"
        ),
    ),
    # products
    Entry("products.list_products", frozenset({P, M}), lambda w, c: products.list_products(c)),
    Entry(
        "products.add_product",
        frozenset({M}),
        lambda w, c: products.add_product(
            c,
            name=f"Product {next(_names)}",
            manufacturer="Maker",
            source=None,
            treatment_id="ha_filler",
        ),
    ),
    Entry(
        "products.update_product",
        frozenset({M}),
        lambda w, c: (
            lambda p: products.update_product(
                c,
                p.id,
                p.version,
                name=p.name,
                manufacturer="New",
                source=p.source,
                treatment_id=p.treatment_id,
                active=True,
            )
        )(products.list_products(w.boss)[0]),
    ),
    Entry(
        "products.add_lot",
        frozenset({M}),
        lambda w, c: products.add_lot(
            c,
            w.product[0],
            lot_number=f"L{next(_names)}",
            expiry_date=dt.date(2099, 1, 1),
            supplier="S",
            supplier_accreditation="GMP certificate",
        ),
    ),
    # lot quarantine, complications and follow-up reviews (issue 20)
    Entry(
        "products.quarantine_lot",
        frozenset({M}),
        lambda w, c: products.quarantine_lot(
            c,
            factories.product_with_lot(w.boss, "ha_filler", name=_surname("Held"))[1]
            if not w.dry
            else 1,
            "Field safety notice",
        ),
    ),
    Entry(
        "products.release_lot",
        frozenset({M}),
        lambda w, c: products.release_lot(
            c,
            products.quarantine_lot(
                w.boss,
                factories.product_with_lot(w.boss, "ha_filler", name=_surname("Rel"))[1],
                "Field safety notice",
            ).id
            if not w.dry
            else 1,
            "Notice withdrawn",
        ),
    ),
    Entry(
        "complications.record",
        frozenset({P}),
        lambda w, c: complications.record(
            c, w.consultation.id, security_support.TREATMENT, _event()
        ),
    ),
    Entry(
        "complications.update",
        frozenset({P, M}),
        lambda w, c: complications.update(c, *_complication(w), _event(outcome="resolved")),
    ),
    Entry(
        "complications.get",
        frozenset({P, M}),
        lambda w, c: complications.get(c, _complication(w)[0]),
    ),
    Entry(
        "complications.for_patient",
        frozenset({P, M}),
        lambda w, c: complications.for_patient(c, w.patient.id),
    ),
    Entry(
        "complications.open_complications",
        frozenset({M}),
        lambda w, c: complications.open_complications(c),
    ),
    Entry(
        "complications.history",
        frozenset({P, M}),
        lambda w, c: complications.history(c, _complication(w)[0]),
    ),
    Entry(
        "complications.report",
        frozenset({P, M}),
        lambda w, c: complications.report(c, _complication(w)[0]),
    ),
    Entry(
        "complications.export_report",
        frozenset({P, M}),
        lambda w, c: complications.export_report(
            c,
            _complication(w)[0],
            w.tmp_path / "report.txt",
            treatment_names={},
        ),
    ),
    Entry("follow_up.reviews_due", ANY, lambda w, c: follow_up.reviews_due(c)),
    Entry(
        "recall.search",
        frozenset({M}),
        lambda w, c: recall.search(c, dto.RecallCriteria(lot="LOT")),
    ),
    Entry(
        "follow_up.mark_review",
        ANY,
        lambda w, c: follow_up.mark_review(c, _review(w), follow_up.CALLED),
    ),
    # treatment charts: practitioners write, practitioners and managers read
    Entry(
        "treatment_records.open_charts",
        frozenset({P}),
        lambda w, c: treatment_records.open_charts(c, w.consultation.id),
    ),
    Entry(
        "treatment_records.charts_for",
        frozenset({P, M}),
        lambda w, c: treatment_records.charts_for(c, w.consultation.id),
    ),
    Entry(
        "treatment_records.get",
        frozenset({P, M}),
        lambda w, c: treatment_records.get(c, world_chart(w).id),
    ),
    Entry(
        "treatment_records.charted_consultations",
        frozenset({P, M}),
        lambda w, c: treatment_records.charted_consultations(c, [w.consultation.id]),
    ),
    Entry(
        "treatment_records.lot_choices",
        frozenset({P, M}),
        lambda w, c: treatment_records.lot_choices(c, world_chart(w).id),
    ),
    Entry(
        "treatment_records.save_draft",
        frozenset({P}),
        lambda w, c: (
            lambda ch: treatment_records.save_draft(c, ch.id, ch.version, lot_id=ch.lot_id)
        )(fresh_chart(w)),
    ),
    Entry(
        "treatment_records.sign_off",
        frozenset({P}),
        lambda w, c: (lambda ch: treatment_records.sign_off(c, ch.id, ch.version))(fresh_chart(w)),
    ),
    Entry(
        "treatment_records.add_addendum",
        frozenset({P}),
        lambda w, c: treatment_records.add_addendum(
            c, fresh_chart(w, signed=True).id, "Reviewed the next day: no bruising."
        ),
    ),
    Entry(
        "treatment_records.verify",
        frozenset({P, M}),
        lambda w, c: treatment_records.verify(c, world_chart(w).id),
    ),
    Entry(
        "treatment_records.aftercare_sheet",
        frozenset({P, M}),
        lambda w, c: treatment_records.aftercare_sheet(
            c, world_chart(w).id, templates=security_support.TEMPLATES, kb=w.kb
        ),
    ),
    # the consent register, the reception desk, recalls, exports and the dashboard
    Entry(
        "consent_register.register_page",
        frozenset({M}),
        lambda w, c: consent_register.register_page(c, dto.RegisterFilters()),
    ),
    Entry(
        "consent_register.register_count",
        frozenset({M}),
        lambda w, c: consent_register.register_count(c, dto.RegisterFilters()),
    ),
    Entry(
        "consent_register.practitioners",
        frozenset({M}),
        lambda w, c: consent_register.practitioners(c),
    ),
    Entry(
        "record_detail.record_detail",
        frozenset({P, M}),
        lambda w, c: record_detail.record_detail(c, w.consent.id),
    ),
    Entry("reception.forms_signed_on", ANY, lambda w, c: reception.forms_signed_on(c)),
    Entry("reception.patient_forms", ANY, lambda w, c: reception.patient_forms(c, w.patient.id)),
    Entry("reception.form", ANY, lambda w, c: reception.form(c, w.consent.id)),
    Entry("reception.hand_over", ANY, lambda w, c: reception.hand_over(c, w.consent.id)),
    Entry("reception.consultations_on", ANY, lambda w, c: reception.consultations_on(c)),
    Entry(
        "recall.recall",
        frozenset({M}),
        lambda w, c: recall.recall(c, dto.RecallCriteria(lot="LOT")),
    ),
    Entry(
        "recall.export_recall",
        frozenset({M}),
        lambda w, c: recall.export_recall(
            c, dto.RecallCriteria(lot="LOT"), [], w.tmp_path / "recall.csv"
        ),
    ),
    Entry(
        "register_export.export_register",
        frozenset({M}),
        lambda w, c: register_export.export_register(
            c, dto.RegisterFilters(), "csv", w.tmp_path / "register.csv"
        ),
    ),
    Entry(
        "form_export.export_form",
        frozenset({P, M}),
        lambda w, c: form_export.export_form(
            c, w.consent.id, sealed=False, to="a test", deliver=lambda data: None
        ),
    ),
    Entry(
        "dashboard.dashboard",
        frozenset({M}),
        lambda w, c: dashboard.dashboard(
            c, dt.date.today() - dt.timedelta(days=30), dt.date.today()
        ),
    ),
    # photos (issue 20): practitioners add and read; managers read, withdraw, delete
    Entry(
        "photos.photo_consents",
        frozenset({P, M}),
        lambda w, c: photos.photo_consents(c, w.patient.id),
    ),
    Entry("photos.timeline", frozenset({P, M}), lambda w, c: photos.timeline(c, w.patient.id)),
    Entry("photos.treatments", frozenset({P, M}), lambda w, c: photos.treatments(c, w.patient.id)),
    Entry("photos.image", frozenset({P, M}), lambda w, c: photos.image(c, _photo_id(w))),
    Entry(
        "photos.add_photo",
        frozenset({P}),
        lambda w, c: _photo_of(w, c, w.consultation.id),
    ),
    Entry(
        "photos.withdraw_consent",
        frozenset({P, M}),
        lambda w, c: photos.withdraw_consent(
            c, w.fresh_consent().consultation_id, "The patient asked on the phone"
        ),
    ),
    Entry("photos.past_retention", frozenset({M}), lambda w, c: photos.past_retention(c)),
    Entry(
        "photos.delete_photo",
        frozenset({M}),
        lambda w, c: photos.delete_photo(c, _photo_past_retention(w)),
    ),
    # the audit log
    Entry(
        "audit_log.page", frozenset({M}), lambda w, c: audit_log.page(c, audit_log.AuditFilter())
    ),
    Entry(
        "audit_log.count", frozenset({M}), lambda w, c: audit_log.count(c, audit_log.AuditFilter())
    ),
    Entry("audit_log.event_names", frozenset({M}), lambda w, c: audit_log.event_names(c)),
    Entry(
        "audit_log.export_csv",
        frozenset({M}),
        lambda w, c: audit_log.export_csv(c, audit_log.AuditFilter(), w.tmp_path / "audit.csv"),
    ),
    Entry("audit_log.verify", frozenset({M}), lambda w, c: audit_log.verify(c, None)),
    # the clinic's signing certificate
    Entry(
        "clinic_signing.import_certificate",
        frozenset({M}),
        lambda w, c: clinic_signing.import_certificate(c, proof_support.clinic_identity()),
    ),
    # the outcome of a consultation that ends with treatments not given (issue 21)
    Entry(
        "outcomes.record_not_treated",
        frozenset({P}),
        lambda w, c: _record_not_treated(w, c, w.fresh_screened(pregnant="yes")),
    ),
    Entry(
        "outcomes.for_consultation",
        frozenset({P, M}),
        lambda w, c: outcomes.for_consultation(c, _not_treated(w)),
    ),
    Entry(
        "outcomes.letter_pdf",
        frozenset({P, M}),
        lambda w, c: outcomes.letter_pdf(c, _not_treated(w)),
    ),
]


def _service_functions() -> set[str]:
    found = set()
    for module_info in pkgutil.iter_modules(services_package.__path__):
        module = importlib.import_module(f"{services_package.__name__}.{module_info.name}")
        for name, obj in vars(module).items():
            if (
                inspect.isfunction(obj)
                and obj.__module__ == module.__name__
                and not name.startswith("_")
                and next(iter(inspect.signature(obj).parameters), None) == "ctx"
            ):
                found.add(f"{module_info.name}.{name}")
    return found


def test_the_table_names_every_service_function() -> None:
    named = {entry.name.split("(")[0] for entry in TABLE} | set(EXEMPT)
    missing = _service_functions() - named
    assert not missing, f"say which roles may call {sorted(missing)} in TABLE"
    assert not named - _service_functions(), "TABLE names functions that do not exist"


def _refusals(ctx: ServiceContext) -> list[tuple[str, dict[str, Any]]]:
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(AuditEntry.username, AuditEntry.details)
            .where(AuditEntry.event == "refused")
            .order_by(AuditEntry.id)
        ).all()
        return [(row[0], dict(row[1])) for row in rows]


@pytest.mark.slow
@pytest.mark.parametrize("role", [P, R, M, NOBODY])
def test_every_service_function_for_a_role(ctx: ServiceContext, tmp_path, role: str) -> None:
    world = World(ctx, tmp_path)
    caller = world.by_role[role]
    failures = []
    for entry in TABLE:
        before = _refusals(ctx)
        if role in entry.roles:
            world.dry = False
            try:
                entry.call(world, caller)
            except Exception as exc:
                failures.append(f"{entry.name}: allowed for {role} but raised {exc!r}")
                continue
            if len(_refusals(ctx)) != len(before):
                failures.append(f"{entry.name}: allowed for {role} but logged a refusal")
        else:
            world.dry = True
            try:
                entry.call(world, caller)
            except PermissionDeniedError:
                pass
            else:
                failures.append(f"{entry.name}: {role} was not refused")
                continue
            after = _refusals(ctx)
            expected_name = caller.user.username if caller.user else ""
            if len(after) != len(before) + 1 or after[-1][0] != expected_name:
                failures.append(f"{entry.name}: the refusal of {role} was not logged")
            elif not after[-1][1].get("action") or not after[-1][1].get("needs"):
                failures.append(f"{entry.name}: the refusal entry does not say what was refused")
    assert failures == []
    with ctx.unit_of_work() as session:
        assert session.execute(select(func.count()).select_from(AuditEntry)).scalar_one() > 0


def test_reception_prints_a_signed_form_but_never_reads_the_intake(ctx) -> None:
    clinic_ctxs = security_support.contexts(ctx)
    patient, info, record = security_support.signed_consent(clinic_ctxs)
    desk = clinic_ctxs[R]
    assert [c.id for c in consents.for_patient(desk, patient.id)] == [record.id]
    assert consents.pdf(desk, record.id, purpose="printed").startswith(b"%PDF")
    assert consents.print_preview(desk, record.id, kb=knowledge()).startswith(b"%PDF")
    kb = knowledge()
    for call in (
        lambda: consultations.get(desk, info.id),
        lambda: consents.document(desk, record.id),
        lambda: consultations.run_screening(desk, info.id, info.version, kb),
        lambda: consents.pdf(desk, record.id, purpose="viewed"),
        lambda: consents.pdf(desk, record.id),
    ):
        with pytest.raises(PermissionDeniedError):
            call()
    actions = [details["action"] for _, details in _refusals(ctx)]
    assert actions == [
        "read a consultation's intake",
        "read a consent record",
        "screen a patient",
        "open signed consent forms",
        "open signed consent forms",
    ]


# --- the command line: the same roles, through the same services ------------------------

USERNAMES = {P: "doc", R: "desk", M: "boss"}


@dataclass(frozen=True)
class Command:
    """A command line that acts on records, the roles that may run it, and the file it
    writes (None: it only prints)."""

    words: tuple[str, ...]
    roles: frozenset[str]
    options: Callable[[Path], list[str]]
    writes: str | None

    def argv(self, out: Path) -> list[str]:
        return [*self.words, *self.options(out)]

    @property
    def name(self) -> str:
        return " ".join([*self.words, *self.options(Path("out"))])


CLI_TABLE = [
    Command(
        ("export", "consents"),
        frozenset({M}),
        lambda out: ["-o", str(out / "register.csv")],
        "register.csv",
    ),
    Command(
        ("export", "consents"),
        frozenset({M}),
        lambda out: ["--format", "fhir", "-o", str(out / "bundle.json")],
        "bundle.json",
    ),
    Command(("recall",), frozenset({M}), lambda out: ["--lot", "LOT-R1"], None),
    Command(
        ("recall",),
        frozenset({M}),
        lambda out: ["--lot", "LOT-R1", "--csv", str(out / "recall.csv")],
        "recall.csv",
    ),
    Command(
        ("consent", "pdf"),
        frozenset({P, M}),
        lambda out: ["--id", "1", "-o", str(out / "copy.pdf")],
        "copy.pdf",
    ),
    Command(
        ("consent", "pdf"),
        frozenset({P, M}),
        lambda out: ["--id", "1", "--sealed", "-o", str(out / "sealed.pdf")],
        "sealed.pdf",
    ),
    Command(("certificate", "import"), frozenset({M}), lambda out: [_pkcs12_beside(out)], None),
    Command(
        ("certificate", "timestamp-service"),
        frozenset({M}),
        lambda out: ["https://tsa.example/rfc3161"],
        None,
    ),
    Command(("clinic", "show"), ANY, lambda out: [], None),
    Command(("clinic", "set", "form_paper"), frozenset({M}), lambda out: ["letter"], None),
    Command(("clinic", "set", "time_zone"), frozenset({M}), lambda out: ["Asia/Tokyo"], None),
]


def _pkcs12_beside(out: Path) -> str:
    """The clinic's own certificate as a PKCS#12 file beside the output folder (written
    there when that folder exists, so that nothing is written into it)."""
    bundle = out.parent / "clinic.p12"
    if out.is_dir() and not bundle.exists():
        bundle.write_bytes(proof_support.pkcs12_file(proof_support.clinic_identity(), None))
    return str(bundle)


# Commands that act on no record, and why they need no Consult user.
CLI_EXEMPT = {
    ("demo",): "creates its own demo clinic in its own home",
    ("db", "upgrade"): "the schema, run by the database's owner",
    ("db", "status"): "the schema version",
    ("db", "restored"): "records a server restore in the log (the maintenance actor)",
    ("screen",): "screens an intake file; no database",
    ("knowledge", "check"): "the knowledge files; no database",
    ("knowledge", "report"): "the knowledge files; no database",
    ("verify",): "checks the chain and the seals; prints no patient data",
    ("backup",): "copies the database file, which whoever runs it can read anyway",
    ("restore",): "replaces the database file with a checked backup",
    ("certificate", "show"): "the workstation's certificate file; no database",
    ("certificate", "export-public"): "the certificate's public part; no database",
}

CLI_ON_SERVER = {
    # Runs only on the clinic's PostgreSQL server (this table's home is embedded): the
    # station signs in with its own secret, never as a user; --register is a manager's,
    # refused for a practitioner in tests/test_kiosk_command.py.
    ("kiosk",): "tests/test_kiosk_command.py::test_a_manager_registers_the_station_here",
}


def _leaves(
    parser: argparse.ArgumentParser, words: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [(words, parser)]
    return [
        leaf
        for action in subs
        for name, child in action.choices.items()
        for leaf in _leaves(child, (*words, name))
    ]


def test_every_command_says_whom_it_acts_as() -> None:
    acting = {command.words for command in CLI_TABLE}
    for words, parser in _leaves(cli.build_parser()):
        options = {o for a in parser._actions for o in a.option_strings}
        if words in CLI_EXEMPT:
            assert "--as" not in options, words
        elif words in CLI_ON_SERVER:
            assert "--as" in options, f"{' '.join(words)} must act as a user (--as USER)"
        else:
            assert words in acting, f"add {' '.join(words)} to CLI_TABLE or CLI_EXEMPT"
            assert "--as" in options, f"{' '.join(words)} must act as a user (--as USER)"


@pytest.fixture
def cli_home(home: paths.Dirs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> paths.Dirs:
    """The test's home with one user per role and one signed consent (record 1, treated
    with lot LOT-R1); the database is closed again, as the command line opens it."""
    monkeypatch.chdir(tmp_path)
    db = open_database(home)
    try:
        migrate.upgrade(db)
        people = register_support.clinic(ServiceContext(db, workstation="test"))
        assert register_support.sign_one(people, lot="LOT-R1").id == 1
    finally:
        db.close()
    return home


def _run(argv: list[str], password: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """``consult ARGV`` in this process, with ``password`` as the first line of stdin."""
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdin", io.StringIO(password + "\n"))
        return cli.main(argv)


def _log(home: paths.Dirs) -> list[tuple[str, str, dict[str, Any]]]:
    db = open_database(home)
    try:
        with db.session() as session:
            rows = session.execute(
                select(AuditEntry.event, AuditEntry.username, AuditEntry.details).order_by(
                    AuditEntry.id
                )
            ).all()
            return [(event, name, dict(details)) for event, name, details in rows]
    finally:
        db.close()


@pytest.mark.slow
@pytest.mark.parametrize("role", [P, R, M])
def test_every_command_line_for_a_role(
    cli_home: paths.Dirs, tmp_path: Path, role: str, monkeypatch, capsys
) -> None:
    username = USERNAMES[role]
    failures = []
    for command in CLI_TABLE:
        out = tmp_path / f"out-{len(failures)}-{CLI_TABLE.index(command)}"
        out.mkdir()
        before = len(_log(cli_home))
        code = _run([*command.argv(out), "--as", username], factories.PASSWORD, monkeypatch)
        printed = capsys.readouterr()
        entries = _log(cli_home)[before:]
        events = [(event, name) for event, name, _ in entries]
        written = sorted(p.name for p in out.iterdir())
        if role in command.roles:
            if code != 0:
                failures.append(f"{command.name}: allowed for {role} but {printed.err!r}")
            elif command.writes is not None and written != [command.writes]:
                failures.append(f"{command.name}: allowed for {role} but wrote {written}")
            elif ("refused", username) in events or ("signin", username) not in events:
                failures.append(f"{command.name}: {role} was not signed in alone: {events}")
        else:
            refusals = [d for event, name, d in entries if (event, name) == ("refused", username)]
            if code != 2 or "may not" not in printed.err or printed.err.count("\n") != 1:
                failures.append(f"{command.name}: {role} got {code}, {printed.err!r}")
            elif written:
                failures.append(f"{command.name}: refused for {role} but wrote {written}")
            elif len(refusals) != 1 or not refusals[0].get("action"):
                failures.append(f"{command.name}: the refusal of {role} was not logged: {events}")
            elif any(e.endswith(("exported", "searched")) for e, _ in events):
                failures.append(f"{command.name}: refused for {role} but logged {events}")
        if ("signout", username) not in events[-1:]:
            failures.append(f"{command.name}: {role} was not signed out: {events}")
    assert failures == []


def test_the_command_line_logs_under_the_user_and_refuses_a_wrong_password(
    cli_home: paths.Dirs, tmp_path: Path, monkeypatch, capsys
) -> None:
    target = tmp_path / "register.csv"
    argv = ["export", "consents", "-o", str(target), "--as", "boss"]
    assert _run(argv, "not the password", monkeypatch) == 2
    assert "Traceback" not in capsys.readouterr().err and not target.exists()
    assert _run(argv, factories.PASSWORD, monkeypatch) == 0
    log = _log(cli_home)
    assert ("signin.failed", "boss") in [(event, name) for event, name, _ in log]
    (exported,) = [(name, d) for event, name, d in log if event == "consent.register_exported"]
    assert exported[0] == "boss" and exported[1]["file"] == "register.csv"
    # Without a password (standard input empty), or without --as, nothing happens.
    assert _run([*argv[:-2], "--force", "--as", "boss"], "", monkeypatch) == 2
    assert "no password given" in capsys.readouterr().err
    assert _run(argv[:-2], factories.PASSWORD, monkeypatch) == 2
    assert "--as" in capsys.readouterr().err
