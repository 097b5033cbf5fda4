"""Photos of treated areas (issue 20): only with the patient's photograph consent, stored
stripped with their hash, hidden when the consent is withdrawn, deleted past retention."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from PIL import Image
from sqlalchemy import select

from consult.domain.photos import PhotoArea, PhotoKind
from consult.domain.roles import Role
from consult.store.errors import (
    NotFoundError,
    PermissionDeniedError,
    SealedRecordError,
    ValidationError,
)
from consult.store.models import AuditEntry, Photo
from consult.store.photo_images import MAX_FILE_BYTES, prepare_photo
from consult.store.services import clinic, consents, photos
from consult.store.services.context import ServiceContext
from tests import photo_support, security_support

P, R, M = Role.PRACTITIONER.value, Role.RECEPTION.value, Role.MANAGER.value


def _events(ctx: ServiceContext, name: str) -> list[AuditEntry]:
    with ctx.unit_of_work() as session:
        rows = session.execute(select(AuditEntry).where(AuditEntry.event == name)).scalars()
        return [row for row in rows]


def _stored(ctx: ServiceContext, photo_id: int) -> Photo:
    with ctx.unit_of_work() as session:
        row = session.get(Photo, photo_id)
        assert row is not None
        session.expunge(row)
        return row


def _add(doc: ServiceContext, consultation_id: int, data: bytes | None = None) -> photos.PhotoInfo:
    return photos.add_photo(
        doc,
        consultation_id,
        prepare_photo(data or photo_support.jpeg_with_gps()),
        area=PhotoArea.LIPS,
        kind=PhotoKind.BEFORE,
    )


def _age_hidden_photos(ctx: ServiceContext, days: int) -> None:
    """Move every hidden photo's hiding ``days`` into the past."""
    with ctx.unit_of_work() as session:
        for row in session.execute(select(Photo).where(Photo.hidden_at.is_not(None))).scalars():
            assert row.hidden_at is not None
            row.hidden_at = row.hidden_at - dt.timedelta(days=days)


def test_a_photo_is_stored_stripped_with_its_hash(ctx: ServiceContext) -> None:
    clinic_ctxs = security_support.contexts(ctx)
    doc = clinic_ctxs[P]
    patient, info, _consent = photo_support.consented(clinic_ctxs)
    original = photo_support.jpeg_with_gps(orientation=6)
    assert b"CameraMaker" in original
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(photo_support.GPS_IFD)
    added = _add(doc, info.id, original)
    row = _stored(ctx, added.id)
    assert row.data is not None
    stored = bytes(row.data)
    assert row.sha256 == hashlib.sha256(stored).hexdigest() == added.sha256
    assert row.size == len(stored) and row.mime == "image/jpeg"
    reopened = Image.open(io.BytesIO(stored))
    exif = reopened.getexif()
    # No GPS, no EXIF at all, no XMP: the position is gone.
    assert not exif.get_ifd(photo_support.GPS_IFD)
    assert len(exif) == 0
    assert b"CameraMaker" not in stored and b"Exif" not in stored
    assert "xmp" not in reopened.info and "exif" not in reopened.info
    # The orientation was applied to the pixels (64×48 turned upright is 48×64).
    assert (row.width, row.height) == reopened.size == (48, 64)
    # taken_at came from DateTimeOriginal (in the clinic's zone: the workstation's here).
    expected = dt.datetime(2026, 11, 20, 10, 15).astimezone().astimezone(dt.UTC)
    assert added.taken_at == expected
    assert row.thumbnail and Image.open(io.BytesIO(bytes(row.thumbnail))).format == "JPEG"
    shown = photos.timeline(doc, patient.id)
    assert [p.id for p in shown] == [added.id]
    assert shown[0].area == PhotoArea.LIPS and shown[0].kind == PhotoKind.BEFORE
    assert photos.image(doc, added.id) == stored
    assert [e.details["sha256"] for e in _events(ctx, "photo.added")] == [added.sha256]
    assert len(_events(ctx, "photo.viewed")) == 1


def test_a_photo_without_a_camera_time_is_taken_at_import(ctx: ServiceContext) -> None:
    clinic_ctxs = security_support.contexts(ctx)
    _patient, info, _consent = photo_support.consented(clinic_ctxs)
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    added = _add(clinic_ctxs[P], info.id, photo_support.png())
    assert before <= added.taken_at <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    assert added.taken_at == added.imported_at


@pytest.mark.parametrize("role", [P, R, M])
def test_refused_without_photo_consent_for_every_role(ctx: ServiceContext, role: str) -> None:
    clinic_ctxs = security_support.contexts(ctx)
    patient, info, _consent = photo_support.consented(clinic_ctxs, photographs=False)
    prepared = prepare_photo(photo_support.jpeg_with_gps())
    caller = clinic_ctxs[role]
    if role == P:
        with pytest.raises(ValidationError) as refused:
            photos.add_photo(
                caller, info.id, prepared, area=PhotoArea.CHEEKS, kind=PhotoKind.BEFORE
            )
        assert refused.value.field == "photo_consent"
        assert "did not consent to photographs" in refused.value.message
        entries = _events(ctx, "photo.refused")
        assert len(entries) == 1
        assert entries[0].patient_id == patient.id and entries[0].username == "doc"
        assert "did not consent" in entries[0].details["reason"]
    else:
        # Reception and managers may never add a photo: refused for the role, logged.
        with pytest.raises(PermissionDeniedError):
            photos.add_photo(
                caller, info.id, prepared, area=PhotoArea.CHEEKS, kind=PhotoKind.BEFORE
            )
        assert [e.details["action"] for e in _events(ctx, "refused")] == ["add photos"]
    with ctx.unit_of_work() as session:
        assert session.execute(select(Photo)).first() is None


def test_reception_reads_no_photos_and_managers_read_them(ctx: ServiceContext) -> None:
    clinic_ctxs = security_support.contexts(ctx)
    patient, info, _consent = photo_support.consented(clinic_ctxs)
    added = _add(clinic_ctxs[P], info.id)
    assert [p.id for p in photos.timeline(clinic_ctxs[M], patient.id)] == [added.id]
    assert photos.image(clinic_ctxs[M], added.id)
    for call in (
        lambda: photos.timeline(clinic_ctxs[R], patient.id),
        lambda: photos.image(clinic_ctxs[R], added.id),
        lambda: photos.photo_consents(clinic_ctxs[R], patient.id),
    ):
        with pytest.raises(PermissionDeniedError):
            call()


def test_a_non_image_and_an_oversized_file_are_refused() -> None:
    with pytest.raises(ValidationError) as not_picture:
        prepare_photo(b"%PDF-1.7 this is not a photo\n" * 20, "notes.pdf")
    assert not_picture.value.field == "photo"
    assert "notes.pdf" in not_picture.value.message
    assert "not a picture" in not_picture.value.message
    with pytest.raises(ValidationError) as damaged:
        prepare_photo(photo_support.jpeg_with_gps()[:300], "cut.jpg")
    assert "damaged" in damaged.value.message or "not a picture" in damaged.value.message
    with pytest.raises(ValidationError) as empty:
        prepare_photo(b"", "empty.jpg")
    assert "empty" in empty.value.message
    with pytest.raises(ValidationError) as large:
        prepare_photo(b"\xff\xd8" + b"0" * MAX_FILE_BYTES, "huge.jpg")
    assert "MB" in large.value.message


def test_a_photo_changed_after_it_was_prepared_is_refused(ctx: ServiceContext) -> None:
    clinic_ctxs = security_support.contexts(ctx)
    _patient, info, _consent = photo_support.consented(clinic_ctxs)
    prepared = prepare_photo(photo_support.png())
    forged = type(prepared)(**{**prepared.__dict__, "data": photo_support.jpeg_with_gps()})
    with pytest.raises(ValidationError):
        photos.add_photo(clinic_ctxs[P], info.id, forged, area=PhotoArea.CHIN, kind=PhotoKind.AFTER)


def test_withdrawal_hides_the_photos_and_refuses_new_ones(ctx: ServiceContext) -> None:
    clinic_ctxs = security_support.contexts(ctx)
    doc = clinic_ctxs[P]
    patient, info, _consent = photo_support.consented(clinic_ctxs)
    _other_patient, other, _ = photo_support.consented(clinic_ctxs, family="Other")
    first, second = _add(doc, info.id), _add(doc, info.id, photo_support.png())
    kept = _add(doc, other.id)
    assert photos.photo_consents(doc, patient.id)[0].stands
    with pytest.raises(ValidationError):
        photos.withdraw_consent(doc, info.id, "no")  # a reason is required
    result = photos.withdraw_consent(doc, info.id, "The patient asked on the phone")
    assert not result.stands and result.withdrawn_at is not None
    assert result.withdrawal_reason == "The patient asked on the phone"
    assert photos.timeline(doc, patient.id) == []
    assert photos.timeline(clinic_ctxs[M], patient.id) == []
    for photo in (first, second):
        with pytest.raises(NotFoundError):
            photos.image(doc, photo.id)
        assert _stored(ctx, photo.id).hidden_at is not None
    # Another patient's photos are untouched.
    assert [p.id for p in photos.timeline(doc, _other_patient.id)] == [kept.id]
    with pytest.raises(ValidationError) as refused:
        _add(doc, info.id)
    assert "withdrew" in refused.value.message
    with pytest.raises(SealedRecordError):
        photos.withdraw_consent(clinic_ctxs[M], info.id, "Asked again by letter")
    withdrawn = _events(ctx, "photo.consent_withdrawn")
    assert [(e.patient_id, e.details["photos_hidden"]) for e in withdrawn] == [(patient.id, 2)]
    assert len(_events(ctx, "photo.refused")) == 1


def test_only_the_treating_practitioner_or_a_manager_withdraws(ctx: ServiceContext) -> None:
    clinic_ctxs = security_support.contexts(ctx)
    _patient, info, _consent = photo_support.consented(clinic_ctxs)
    with pytest.raises(PermissionDeniedError):
        photos.withdraw_consent(clinic_ctxs[R], info.id, "The patient asked at the desk")
    assert photos.withdraw_consent(clinic_ctxs[M], info.id, "The patient wrote to us").withdrawn_at


def test_withdrawing_the_consent_form_hides_its_photos_too(ctx: ServiceContext) -> None:
    clinic_ctxs = security_support.contexts(ctx)
    doc = clinic_ctxs[P]
    patient, info, consent = photo_support.consented(clinic_ctxs)
    _add(doc, info.id)
    consents.add_event(doc, consent.id, "withdrawn", "The patient changed their mind")
    assert photos.timeline(doc, patient.id) == []
    consent_state = photos.photo_consents(doc, patient.id)[0]
    assert consent_state.given and not consent_state.in_force and consent_state.ended_at
    with pytest.raises(ValidationError):
        _add(doc, info.id)


def test_retention_then_a_managers_delete_keeps_a_tombstone(ctx: ServiceContext) -> None:
    clinic_ctxs = security_support.contexts(ctx)
    doc, boss = clinic_ctxs[P], clinic_ctxs[M]
    patient, info, _consent = photo_support.consented(clinic_ctxs)
    added = _add(doc, info.id)
    version = clinic.get_clinic(boss)
    assert version is not None
    with pytest.raises(ValidationError):
        clinic.update_settings(boss, version.version, {"photo_retention_days": -1})
    clinic.update_settings(boss, version.version, {"photo_retention_days": 10})
    assert photos.past_retention(boss) == []  # nothing hidden yet
    photos.withdraw_consent(doc, info.id, "The patient asked on the phone")
    assert photos.past_retention(boss) == []  # hidden, but within the retention
    with pytest.raises(ValidationError):
        photos.delete_photo(boss, added.id)
    _age_hidden_photos(ctx, 11)
    due = photos.past_retention(boss)
    assert [(p.id, p.patient_id, p.sha256) for p in due] == [(added.id, patient.id, added.sha256)]
    assert due[0].patient_name == "Zoë Lefèvre" and due[0].area == PhotoArea.LIPS
    with pytest.raises(PermissionDeniedError):
        photos.delete_photo(doc, added.id)
    with pytest.raises(PermissionDeniedError):
        photos.past_retention(doc)
    photos.delete_photo(boss, added.id)
    tombstone = _stored(ctx, added.id)
    assert tombstone.data is None and tombstone.thumbnail is None
    assert tombstone.deleted_at is not None and tombstone.sha256 == added.sha256
    assert photos.past_retention(boss) == []
    with pytest.raises(SealedRecordError):
        photos.delete_photo(boss, added.id)
    deleted = _events(ctx, "photo.deleted")
    assert [(e.record_id, e.details["sha256"]) for e in deleted] == [(str(added.id), added.sha256)]
