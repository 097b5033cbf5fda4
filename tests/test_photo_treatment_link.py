"""A photo imported through the app names the treatment it documents (issue 20).

The import dialog offers the consultation's treatments by name and "Not for a
treatment": a photo imported for the toxin treatment is linked to its treatment record
(the service's read, the timeline's and the comparison's captions) and its FHIR Media is
``partOf`` that treatment's Procedure (the bundle valid R4); one not for a treatment has
no ``partOf``. The service refuses a treatment record of another consultation or
patient. ``consult verify`` still passes on a home with linked photos. Pictures of the
dialog at 1366x768 and 1024x700, light and dark.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from consult import paths
from consult.domain.photos import PhotoArea, PhotoKind
from consult.store.database import Database
from consult.store.dto import ConsultationInfo, PatientInfo, RegisterFilters
from consult.store.errors import ValidationError
from consult.store.models import AuditEntry, ConsentRecord, TreatmentRecord
from consult.store.photo_images import prepare_photo
from consult.store.services import consents, consultations, photos, register_export
from consult.store.services import patients as patient_service
from consult.store.services.context import ServiceContext
from consult.ui.patients.patient_page import PatientPage
from consult.ui.photos.import_dialog import PhotoImportDialog
from consult.ui.photos.timeline import PhotoTimeline
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets.formatting import treatment_name
from consult.ui.widgets.tasks import wait_for_writes
from tests import factories, photo_support, security_support
from tests.fhir_r4 import problems
from tests.screen_support import out_dir, palette
from tests.test_cli import consult
from tests.test_mnemonics import claims, clashes

__all__ = ["palette"]

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

TOXIN = "botulinum_toxin"
FILLER = "ha_filler"


@dataclass(frozen=True)
class Treated:
    """A patient whose consultation consented to a toxin and a filler, photographs yes."""

    clinic: dict[str, ServiceContext]
    patient: PatientInfo
    consultation: ConsultationInfo
    records: dict[str, int]  # treatment id -> treatment record id

    @property
    def doc(self) -> ServiceContext:
        return self.clinic["practitioner"]


def _consented(
    clinic: dict[str, ServiceContext], treatments: Sequence[str], *, family: str = "Lefèvre"
) -> tuple[PatientInfo, ConsultationInfo]:
    """A new patient, ``treatments`` planned, screened clear and each consented to."""
    doc, kb = clinic["practitioner"], knowledge()
    patient = patient_service.register(doc, factories.draft("Zoë", family))
    planned = []
    for treatment in treatments:
        product, lot = factories.product_with_lot(
            clinic["manager"], treatment, name=f"{treatment} {family}"
        )
        route = kb.treatment(treatment).routes[0]
        planned.append({"id": treatment, "route": route, "product_id": product, "lot_id": lot})
    info = consultations.start(doc, patient.id)
    info = consultations.save(
        doc,
        info.id,
        info.version,
        kb,
        step="intake",
        treatments=planned,
        answers=factories.no_answers(treatments=treatments),
    )
    info = consultations.run_screening(doc, info.id, info.version, kb)
    for treatment in treatments:
        text = consents.consent_text(doc, info.id, treatment, security_support.TEMPLATES)
        consents.sign(
            doc,
            info.id,
            treatment,
            template_version=text.template_version,
            initials={section.id: "ZL" for section in text.sections},
            choices={"photographs": True, "data_processing": True},
            patient_signature=security_support.signature("Zoë Lefèvre"),
            practitioner_signature=security_support.signature("Dr Dana Doe"),
            templates=security_support.TEMPLATES,
            kb=kb,
        )
    return patient, info


def _records(db: Database, consultation_id: int) -> dict[str, int]:
    with db.session() as session:
        return {
            row.treatment_id: row.id
            for row in session.execute(
                select(TreatmentRecord).where(TreatmentRecord.consultation_id == consultation_id)
            ).scalars()
        }


@pytest.fixture
def treated(sqlite_db: Database) -> Treated:
    clinic = security_support.contexts(ServiceContext(sqlite_db))
    patient, info = _consented(clinic, (TOXIN, FILLER))
    return Treated(clinic, patient, info, _records(sqlite_db, info.id))


def _page(qtbot: Any, db: Database, home: Any, ctx: ServiceContext) -> PatientPage:
    session = AppSession(db, home)
    assert ctx.user is not None
    session.set_user(ctx.user)
    page = PatientPage(session)
    qtbot.addWidget(page)
    return page


def _shown(qtbot: Any, page: PatientPage, patient: PatientInfo) -> PhotoTimeline:
    with qtbot.waitSignal(page.photos.loaded, timeout=30000):
        page.set_patient(patient)
    return page.photos


def _photo_file(tmp_path: Path, name: str, colour: tuple[int, int, int]) -> Path:
    path = tmp_path / name
    path.write_bytes(photo_support.jpeg_with_gps((320, 240), colour))
    return path


def _open_dialog(
    qtbot: Any, timeline: PhotoTimeline, monkeypatch: Any, chosen: list[Path]
) -> PhotoImportDialog:
    """Click Import photos…: the files are "chosen"; the import dialog opens."""
    monkeypatch.setattr(PhotoTimeline, "choose_files", lambda self: chosen)
    timeline.import_button.click()
    dialog = timeline.import_dialog
    assert isinstance(dialog, PhotoImportDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _import(qtbot: Any, timeline: PhotoTimeline, dialog: PhotoImportDialog, shown: int) -> None:
    """Import the dialog's file; wait until the timeline shows ``shown`` photos."""
    with qtbot.waitSignal(timeline.imported, timeout=30000) as done:
        dialog.import_button.click()
    assert done.args == [1, []]
    qtbot.waitUntil(
        lambda: timeline.import_dialog is None and len(timeline.thumbnail_buttons) == shown,
        timeout=30000,
    )
    wait_for_writes()


def _resources(bundle: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        e["fullUrl"]: e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == kind
    }


def test_a_photo_imported_for_the_toxin_is_part_of_its_procedure(
    qtbot, sqlite_db, home: paths.Dirs, treated: Treated, tmp_path, monkeypatch
) -> None:
    page = _page(qtbot, sqlite_db, home, treated.clinic["practitioner"])
    timeline = _shown(qtbot, page, treated.patient)
    assert timeline.consultation.currentData() == treated.consultation.id
    # Two treatments: the dialog names both, and waits for the practitioner to choose.
    dialog = _open_dialog(
        qtbot, timeline, monkeypatch, [_photo_file(tmp_path, "IMG_0001.JPG", (200, 120, 100))]
    )
    names = [dialog.treatment.itemText(i) for i in range(dialog.treatment.count())]
    assert names == [treatment_name(TOXIN), treatment_name(FILLER), "Not for a treatment"]
    assert dialog.treatment.isVisibleTo(dialog)
    assert dialog.treatment.currentIndex() == -1
    assert not dialog.import_button.isEnabled()
    dialog.area.setCurrentIndex(dialog.area.findData(PhotoArea.GLABELLA.value))
    dialog.kind.setCurrentIndex(dialog.kind.findData(PhotoKind.BEFORE.value))
    dialog.treatment.setCurrentIndex(dialog.treatment.findText(treatment_name(TOXIN)))
    assert dialog.import_button.isEnabled()
    _import(qtbot, timeline, dialog, 1)
    # A general photo, not for a treatment; the dialog offers the last choices again.
    dialog = _open_dialog(
        qtbot, timeline, monkeypatch, [_photo_file(tmp_path, "IMG_0002.JPG", (90, 140, 200))]
    )
    assert dialog.chosen_area() == PhotoArea.GLABELLA
    assert dialog.chosen_treatment() == treated.records[TOXIN]
    dialog.kind.setCurrentIndex(dialog.kind.findData(PhotoKind.PROGRESS.value))
    dialog.choose_treatment(None)
    assert dialog.treatment.currentText() == "Not for a treatment"
    _import(qtbot, timeline, dialog, 2)

    # The service's read: one photo names the toxin's record, the other none.
    linked = {
        p.kind: p.treatment_record_id for p in photos.timeline(treated.doc, treated.patient.id)
    }
    assert linked == {PhotoKind.BEFORE: treated.records[TOXIN], PhotoKind.PROGRESS: None}
    with sqlite_db.session() as session:
        logged = [
            e.details["treatment_record"]
            for e in session.query(AuditEntry).filter(AuditEntry.event == "photo.added")
        ]
    assert sorted(logged, key=str) == sorted([treated.records[TOXIN], None], key=str)
    # The captions: the thumbnail and the comparison name the treatment.
    [before] = [b for b in timeline.thumbnail_buttons if b.text() == "Before"]
    assert before.accessibleName().endswith(", " + treatment_name(TOXIN))
    assert treatment_name(TOXIN) in before.toolTip()
    [general] = [b for b in timeline.thumbnail_buttons if b.text() == "Progress"]
    assert treatment_name(TOXIN) not in general.accessibleName()
    comparison = timeline.compare()
    assert comparison is not None  # deleted when closed, below
    captions = [comparison.earlier.itemText(i) for i in range(comparison.earlier.count())]
    assert [c.endswith(" · " + treatment_name(TOXIN)) for c in captions] == [True, False]
    qtbot.waitUntil(comparison.is_ready, timeout=30000)
    comparison.close()
    wait_for_writes()

    # The FHIR export of the day: the toxin photo's Media is part of the toxin's Procedure.
    with sqlite_db.session() as session:
        signed = session.execute(
            select(ConsentRecord.signed_at).where(
                ConsentRecord.consultation_id == treated.consultation.id
            )
        ).scalars()
        day = min(signed).astimezone().date()
    target = tmp_path / "export.json"
    register_export.export_register(
        treated.clinic["manager"],
        RegisterFilters(date_from=day, date_to=day),
        "fhir",
        target,
        kb=knowledge(),
    )
    bundle = json.loads(target.read_text(encoding="utf-8"))
    assert problems(bundle) == []
    [toxin_procedure] = [
        url
        for url, p in _resources(bundle, "Procedure").items()
        if p["code"]["coding"][0]["code"] == TOXIN
    ]
    media = {m["extension"][0]["valueCode"]: m for m in _resources(bundle, "Media").values()}
    assert set(media) == {"before", "progress"}
    assert media["before"]["partOf"] == [{"reference": toxin_procedure}]
    assert "partOf" not in media["progress"]

    # consult verify holds on this home, the linked photo in it.
    page.close()
    sqlite_db.close()
    checked = consult("verify", home=home.home)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_only_treatment_is_chosen_and_none_is_not_asked(
    qtbot, sqlite_db, home, tmp_path, monkeypatch
) -> None:
    clinic = security_support.contexts(ServiceContext(sqlite_db))
    patient, info = _consented(clinic, (TOXIN,))
    [record] = _records(sqlite_db, info.id).values()
    page = _page(qtbot, sqlite_db, home, clinic["practitioner"])
    timeline = _shown(qtbot, page, patient)
    dialog = _open_dialog(
        qtbot, timeline, monkeypatch, [_photo_file(tmp_path, "IMG_0003.JPG", (180, 90, 90))]
    )
    assert dialog.chosen_treatment() == record
    assert dialog.treatment.currentText() == treatment_name(TOXIN)
    assert dialog.import_button.isEnabled()
    dialog.reject()
    qtbot.waitUntil(lambda: timeline.import_dialog is None, timeout=5000)
    assert timeline.import_button.isEnabled()
    # A consultation without a treatment record (none consented): the choice is hidden.
    bare = PhotoImportDialog([Path("IMG_0004.JPG")], info.consultation_date, [])
    qtbot.addWidget(bare)
    assert not bare.form.isRowVisible(bare.treatment)
    assert bare.chosen_treatment() is None and bare.import_button.isEnabled()


def test_the_service_refuses_a_treatment_of_another_consultation(treated: Treated) -> None:
    clinic = treated.clinic
    other_patient, other = _consented(clinic, (FILLER,), family="Okafor")
    foreign = _records_of(clinic, other_patient.id)
    picture = prepare_photo(photo_support.jpeg_with_gps())
    for record_id in (foreign, 999_999):
        with pytest.raises(ValidationError) as refused:
            photos.add_photo(
                treated.doc,
                treated.consultation.id,
                picture,
                area="lips",
                kind="before",
                treatment_record_id=record_id,
            )
        assert refused.value.field == "treatment_record"
        assert refused.value.message == "That treatment is not of this consultation."
    assert photos.timeline(treated.doc, treated.patient.id) == []  # nothing was stored
    # The same record with its own consultation is taken.
    added = photos.add_photo(
        treated.doc, other.id, picture, area="lips", kind="before", treatment_record_id=foreign
    )
    assert added.treatment_record_id == foreign


def _records_of(clinic: dict[str, ServiceContext], patient_id: int) -> int:
    """The one treatment record of a patient, read through photos.treatments."""
    [only] = photos.treatments(clinic["practitioner"], patient_id)
    assert only.in_force and only.treatment_id == FILLER
    return only.treatment_record_id


def test_treatments_lists_the_patients_records_and_which_may_be_named(
    treated: Treated,
) -> None:
    listed = photos.treatments(treated.clinic["manager"], treated.patient.id)
    assert [(t.treatment_id, t.consultation_id, t.in_force) for t in listed] == [
        (TOXIN, treated.consultation.id, True),
        (FILLER, treated.consultation.id, True),
    ]
    assert {t.treatment_id: t.treatment_record_id for t in listed} == treated.records


# --- pictures to look at ----------------------------------------------------------------


@pytest.mark.qt_log_ignore("support raise", "grabbing the keyboard")  # the popup, offscreen
@pytest.mark.parametrize(("width", "height"), ((1366, 768), (1024, 700)))
def test_pictures_of_the_import_dialog(
    qtbot, sqlite_db, home, treated: Treated, tmp_path, monkeypatch, palette, width, height
) -> None:
    page = _page(qtbot, sqlite_db, home, treated.clinic["practitioner"])
    page.resize(width, height - 60)  # the tab's share of the window
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=30000):
        timeline = _shown(qtbot, page, treated.patient)
    qtbot.wait(100)  # the layout settles (the consultation box's new width)
    chosen = [_photo_file(tmp_path, f"IMG_{n:04d}.JPG", (200 - 20 * n, 120, 100)) for n in range(6)]
    dialog = _open_dialog(qtbot, timeline, monkeypatch, chosen)
    assert dialog.width() <= width and dialog.height() <= height
    assert clashes(dialog) == {} and clashes(page) == {}
    assert {"a", "k", "t", "i"} <= set(claims(dialog))  # area, kind, treatment, import
    out = out_dir(tmp_path)
    page.grab().save(str(out / f"photos-import-page-{width}x{height}-{palette}.png"))
    dialog.grab().save(str(out / f"photos-import-dialog-{width}x{height}-{palette}.png"))
    dialog.treatment.showPopup()
    qtbot.wait(50)
    popup = dialog.treatment.view().window()
    popup.grab().save(str(out / f"photos-import-treatments-{width}x{height}-{palette}.png"))
    dialog.treatment.hidePopup()
    dialog.reject()
