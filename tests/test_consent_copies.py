"""The signed form as the patient reads it, printed copies and the reception view, through
the services as the app calls them (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import time

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from consult.store.errors import PermissionDeniedError
from consult.store.models import AuditEntry, ConsentEvent, ConsentRecord
from consult.store.services import consents, consultations
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories
from tests.test_consent_service import TEMPLATES, _screened, _sign

JUSTIFICATION = "INR 2.1 checked today; firm pressure after needling for ten minutes."


@pytest.fixture
def clinic(ctx: ServiceContext):
    staff = factories.staff(ctx)
    return {role: ctx.signed_in(user) for role, user in staff.items()}


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _decide_all(clinic, info):
    doc = clinic["practitioner"]
    for review in consultations.reviews(info):
        for rule in review.unjustified:
            info = consultations.decide(
                doc,
                info.id,
                info.version,
                treatment=review.treatment,
                rule=rule,
                justification=JUSTIFICATION,
            )
        for rule in review.unacknowledged:
            info = consultations.decide(
                doc, info.id, info.version, treatment=review.treatment, rule=rule
            )
    return info


def _needling_with_blood_thinners(clinic):
    """Exosome by microneedling for a patient on warfarin and aspirin who gets cold sores:
    a relative finding raised by two rules (one ``same_as`` the other) and cautions."""
    answers = factories.no_answers(anticoagulants=["warfarin", "aspirin"], cold_sore_history="yes")
    _, info = _screened(
        clinic, "exosome", answers, source="plant", route="microneedling", family="Lefèvre"
    )
    return _decide_all(clinic, info)


@pytest.fixture
def signed_in_london(clinic, monkeypatch):
    """A form signed on a workstation in London (its zone prints as GMT)."""
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        info = _needling_with_blood_thinners(clinic)
        record = _sign(clinic, info, "exosome")
    finally:
        monkeypatch.undo()
        time.tzset()
    return info, record


def test_a_patients_form_has_no_rule_id_internal_id_message_or_hash(
    clinic, signed_in_london
) -> None:
    info, record = signed_in_london
    manager = clinic["manager"]
    document = consents.document(manager, record.id)
    findings = document["findings"]
    assert {f["severity"] for f in findings} >= {"relative", "caution"}
    assert any(f.get("same_as") for f in findings)
    pages = _pages(consents.pdf(manager, record.id))
    text = "\n".join(pages)
    flat = _flat(text)
    joined = "".join(text.split())  # a hash wrapped over two lines is found all the same
    for rule in knowledge().rules:
        assert rule.id not in text, rule.id
    for label in ("Patient ID", "Consultation ", "justify", "Told to the patient"):
        assert label not in text, label
    assert not re.search(r"[0-9a-f]{64}", joined)
    assert record.document_sha256 not in joined
    assert document["consultation"]["rule_set_version"] not in joined
    for finding in findings:
        assert _flat(finding["message"]) not in flat, finding["rule"]
    # Each finding in the patient's words, the one the same as another left out.
    for finding in findings:
        if not finding.get("same_as"):
            assert _flat(finding["patient_risk"]) in flat
    same = [f for f in findings if f.get("same_as")]
    own = {f["rule"]: f["patient_risk"] for f in findings if not f.get("same_as")}
    for finding in same:
        if finding["patient_risk"] != own[finding["same_as"]]:
            assert _flat(finding["patient_risk"]) not in flat
    # Overrides with their reason; acknowledged cautions apart, with no empty reason.
    overrides = flat.index("Risks your practitioner weighed before going ahead")
    cautions = flat.index("Cautions your practitioner noted")
    assert overrides < flat.index(_flat(JUSTIFICATION)) < cautions
    assert "Why your practitioner went ahead" not in flat[cautions:]
    # Times in the clinic's zone, with its name: the signatures were made at 10:30 UTC.
    assert "2026-11-21 10:30 GMT" in flat and " UTC" not in flat
    # The heading and both signatures on one page.
    (signature_page,) = {
        n for n, page in enumerate(pages) if "consent given" in page or "consent taken" in page
    }
    assert "Signatures" in pages[signature_page]
    assert info.id  # the consultation's number is in the record, not on the form


def test_the_consent_text_names_each_risk_in_the_patients_words(clinic) -> None:
    info = _needling_with_blood_thinners(clinic)
    text = consents.consent_text(clinic["practitioner"], info.id, "exosome", TEMPLATES)
    risks = next(s.text for s in text.sections if s.id == "patient_specific_risks")
    findings = consultations.get(clinic["practitioner"], info.id).screening["result"]["results"][0][
        "findings"
    ]
    relative = next(f for f in findings if f["severity"] == "relative" and not f.get("same_as"))
    assert f"{relative['patient_risk'].rstrip('.')} — {JUSTIFICATION}" in risks
    for finding in findings:
        assert finding["message"].rstrip(".") not in risks
        assert finding["rule"] not in risks
    assert "justify" not in risks
    for finding in findings:
        if finding.get("same_as"):
            assert risks.count(finding["patient_risk"]) <= 2  # the list and the reason


def _stored(ctx: ServiceContext, consent_id: int) -> tuple[bytes, str]:
    with ctx.unit_of_work() as session:
        row = session.get(ConsentRecord, consent_id)
        assert row is not None
        return bytes(row.pdf), row.pdf_sha256


def test_reception_prints_a_dated_copy_then_a_void_one_and_the_sealed_bytes_stay(
    clinic, ctx: ServiceContext
) -> None:
    _, info = _screened(clinic, "ha_filler", factories.no_answers())
    record = _sign(clinic, info, "ha_filler")
    stored, stored_sha = _stored(ctx, record.id)
    sealed_pages = _pages(stored)
    desk = clinic["reception"]
    today = dt.datetime.now().astimezone().date().isoformat()
    copy = _pages(consents.pdf(desk, record.id, purpose="printed"))
    assert len(copy) == len(sealed_pages)
    for page in copy:
        assert f"COPY of the signed form, printed {today}." in page
    reason = "Entered for the wrong patient; the right one signs again."
    consents.add_event(clinic["manager"], record.id, "voided", reason)
    void = _pages(consents.pdf(desk, record.id, purpose="printed"))
    with ctx.unit_of_work() as session:
        voided_at = session.execute(
            select(ConsentEvent.at).where(
                ConsentEvent.consent_id == record.id, ConsentEvent.kind == "voided"
            )
        ).scalar_one()
        marked = [
            details["marked"]
            for details in session.execute(
                select(AuditEntry.details).where(
                    AuditEntry.event == "consent.printed", AuditEntry.record_id == str(record.id)
                )
            ).scalars()
        ]
        prints = session.execute(
            select(ConsentEvent.kind).where(
                ConsentEvent.consent_id == record.id, ConsentEvent.kind == "printed"
            )
        ).all()
    local = voided_at.astimezone()
    when = f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
    assert len(void) == len(sealed_pages)
    for page in void:
        flat = _flat(page)
        assert f"VOID: this consent was voided on {when}." in flat
        assert f"Reason: {reason}" in flat
        assert f"Copy printed {today}." in flat
    assert marked == ["copy", "voided"] and len(prints) == 2
    # Printing never touches the sealed form.
    assert _stored(ctx, record.id) == (stored, stored_sha)
    assert hashlib.sha256(stored).hexdigest() == stored_sha == record.pdf_sha256
    # The original a manager opens is the sealed form as the clinic signed it: the sealed
    # bytes, unchanged, then the signature.
    with ctx.unit_of_work() as session:
        row = session.get(ConsentRecord, record.id)
        assert row is not None and row.signed_pdf is not None
        signed = bytes(row.signed_pdf)
    assert consents.pdf(clinic["manager"], record.id) == signed
    assert signed.startswith(stored) and len(signed) > len(stored)


def test_a_withdrawn_form_prints_marked_withdrawn(clinic) -> None:
    _, info = _screened(clinic, "ha_filler", factories.no_answers())
    record = _sign(clinic, info, "ha_filler")
    reason = "The patient changed her mind before treatment."
    consents.add_event(clinic["practitioner"], record.id, "withdrawn", reason)
    for page in _pages(consents.pdf(clinic["reception"], record.id, purpose="printed")):
        assert "WITHDRAWN: this consent was withdrawn on" in page
        assert f"Reason: {reason}" in _flat(page)


def test_reception_may_not_open_the_whole_form(clinic, ctx: ServiceContext) -> None:
    _, info = _screened(clinic, "ha_filler", factories.no_answers())
    record = _sign(clinic, info, "ha_filler")
    desk = clinic["reception"]
    for purpose in ("viewed", "exported"):
        with pytest.raises(PermissionDeniedError, match="open signed consent forms"):
            consents.pdf(desk, record.id, purpose=purpose)
    with ctx.unit_of_work() as session:
        refused = session.execute(
            select(AuditEntry.details).where(AuditEntry.event == "refused")
        ).scalars()
        assert [d["action"] for d in refused] == ["open signed consent forms"] * 2


def test_the_reception_preview_has_the_identity_and_signature_pages_only(
    clinic, ctx: ServiceContext
) -> None:
    info = _needling_with_blood_thinners(clinic)
    record = _sign(clinic, info, "exosome")
    document = consents.document(clinic["manager"], record.id)
    consents.add_event(clinic["manager"], record.id, "voided", "Signed on the wrong form.")
    preview = _pages(consents.print_preview(clinic["reception"], record.id, kb=knowledge()))
    assert len(preview) == 1
    flat = _flat(preview[0])
    for shown in ("Zoë Lefèvre", "Dr Dana Doe", "consent given", "consent taken", "Signatures"):
        assert shown in flat
    assert "VOID: this consent was voided on" in flat and "Signed on the wrong form." in flat
    hidden = [item["label"] for item in document["intake_summary"]]
    hidden += [f["patient_risk"] for f in document["findings"]]
    hidden += [o["justification"] for o in document["overrides"] if o["justification"]]
    hidden += [s["heading"] for s in document["template"]["sections"]]
    for words in hidden:
        assert _flat(words) not in flat, words
    # Practitioners and managers preview every page of the copy.
    stored, _sha = _stored(ctx, record.id)
    whole = _pages(consents.print_preview(clinic["manager"], record.id, kb=knowledge()))
    assert len(whole) == len(_pages(stored))
    with ctx.unit_of_work() as session:
        pages = [
            d["pages"]
            for d in session.execute(
                select(AuditEntry.details).where(AuditEntry.event == "consent.previewed")
            ).scalars()
        ]
    assert pages == ["identity and signatures", "all"]
