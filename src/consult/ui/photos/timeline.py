"""A patient's photos on their page: grouped by day and area, newest first, each a
thumbnail button (Tab reaches it, Return or Space opens the comparison from it); import
into a consultation whose photograph consent stands (the import dialog asks the area, the
kind and which of its treatments the photos document); withdraw that consent; compare;
and, for managers, the photos past retention.

Only what the photos service shows is here: a photo whose consent ended is never read.
The list and the thumbnails (stored beside each photo) are read and decoded on a pool
thread; a withdrawal, an import or a deletion reads them again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from consult.domain.photos import PhotoArea
from consult.domain.roles import Role
from consult.store.dto import PatientInfo
from consult.store.errors import StoreError, ValidationError
from consult.store.services import photos
from consult.store.services.photos import PhotoConsent, PhotoInfo, PhotoTreatment
from consult.ui.manager.reason_dialog import ReasonDialog
from consult.ui.photos.comparison import ComparisonDialog
from consult.ui.photos.decode import decoded
from consult.ui.photos.import_dialog import NO_TREATMENT, PhotoImportDialog
from consult.ui.photos.importer import FILE_FILTER, PhotoImport
from consult.ui.photos.retention import RetentionDialog
from consult.ui.photos.words import area_text, kind_text
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.formatting import local_time, treatment_name
from consult.ui.widgets.refusals import refusal_text, refusal_words
from consult.ui.widgets.tasks import LatestOnly, run_write

_log = logging.getLogger(__name__)

THUMBNAIL_PX = 96
"""The thumbnails' longest side on screen."""
PROGRESS_FROM = 3
"""An import of this many files or more shows a progress bar."""


@dataclass(frozen=True)
class Shown:
    """What the timeline shows: the consents, the photos and their thumbnails, and the
    treatments a photo may name."""

    consents: tuple[PhotoConsent, ...]
    photos: tuple[PhotoInfo, ...]
    thumbnails: dict[int, QImage]
    treatments: tuple[PhotoTreatment, ...] = ()

    def treatment_names(self) -> dict[int, str]:
        """Each treatment record's treatment name, by the record's id."""
        return {t.treatment_record_id: treatment_name(t.treatment_id) for t in self.treatments}


def _read(ctx: Any, patient_id: int) -> Shown:
    """Read and decode everything the timeline shows (on a pool thread)."""
    consents = tuple(photos.photo_consents(ctx, patient_id))
    infos = tuple(photos.timeline(ctx, patient_id))
    return Shown(
        consents,
        infos,
        {p.id: decoded(p.thumbnail, THUMBNAIL_PX) for p in infos if p.thumbnail},
        tuple(photos.treatments(ctx, patient_id)),
    )


def groups(shown: Sequence[PhotoInfo]) -> list[tuple[str, list[PhotoInfo]]]:
    """The photos grouped by the day they were taken (this workstation's) and area:
    newest day first, areas in the vocabulary's order, each group oldest first."""
    order = list(PhotoArea)
    grouped: dict[tuple[str, int], list[PhotoInfo]] = {}
    for photo in sorted(shown, key=lambda p: (p.taken_at, p.id)):
        day = photo.taken_at.astimezone().date().isoformat()
        grouped.setdefault((day, order.index(photo.area)), []).append(photo)
    keys = sorted(grouped, key=lambda key: (key[0], -key[1]), reverse=True)
    return [(f"{day} · {area_text(order[area])}", grouped[(day, area)]) for day, area in keys]


class PhotoTimeline(QWidget):
    """The patient's photos, with import, comparison and withdrawal (see the module)."""

    loaded = Signal()
    imported = Signal(int, list)  # stored, problems

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.patient: PatientInfo | None = None
        self.shown: Shown | None = None
        self.thumbnail_buttons: list[QToolButton] = []
        self._import: PhotoImport | None = None
        self.import_dialog: PhotoImportDialog | None = None
        self.comparison: ComparisonDialog | None = None
        self._names: dict[int, str] = {}
        # The import dialog's last choices, offered again: area and kind, and the
        # treatment chosen for each consultation.
        self._area: str | None = None
        self._kind: str | None = None
        self._treatment_for: dict[int, int] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Photos"), self)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        choose = QHBoxLayout()
        self.consultation = QComboBox(self)
        self.consultation.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        caption = QLabel(self.tr("Consultatio&n:"), self)
        caption.setBuddy(self.consultation)
        self.consultation.setAccessibleName(self.tr("Consultation"))
        choose.addWidget(caption)
        choose.addWidget(self.consultation)
        self.import_button = QPushButton(self.tr("I&mport photos…"), self)
        choose.addWidget(self.import_button)
        choose.addStretch(1)
        layout.addLayout(choose)
        self.strip = QScrollArea(self)
        self.strip.setWidgetResizable(True)
        self.strip.setFrameShape(QFrame.Shape.StyledPanel)
        self.strip.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.strip.setMinimumHeight(THUMBNAIL_PX + 80)
        self.strip.setAccessibleName(self.tr("The patient's photos"))
        layout.addWidget(self.strip, 1)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(self.tr("Photo import progress"))
        self.progress.hide()
        layout.addWidget(self.progress)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Photos status"))
        layout.addWidget(self.status)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        actions = QHBoxLayout()
        self.compare_button = QPushButton(self.tr("C&ompare…"), self)
        self.withdraw_button = QPushButton(self.tr("&Withdraw photo consent…"), self)
        self.retention_button = QPushButton(self.tr("Photos past re&tention…"), self)
        for button in (self.import_button, self.compare_button, self.withdraw_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.retention_button.setAccessibleName(self.tr("Photos past retention"))
        actions.addWidget(self.compare_button)
        actions.addWidget(self.withdraw_button)
        actions.addStretch(1)
        actions.addWidget(self.retention_button)
        layout.addLayout(actions)
        self.runner = LatestOnly(self)
        self.import_button.clicked.connect(self.import_photos)
        self.compare_button.clicked.connect(lambda: self.compare())
        self.withdraw_button.clicked.connect(self.withdraw)
        self.retention_button.clicked.connect(self.open_retention)
        self.consultation.currentIndexChanged.connect(self._update_buttons)
        self._fill([])
        self._update_buttons()

    # --- who may do what -------------------------------------------------------------

    def _has(self, *roles: Role) -> bool:
        user = self.session.user
        return user is not None and user.has(*roles)

    def current_consent(self) -> PhotoConsent | None:
        """The photograph consent of the consultation chosen."""
        consultation_id = self.consultation.currentData()
        if self.shown is None or consultation_id is None:
            return None
        return next((c for c in self.shown.consents if c.consultation_id == consultation_id), None)

    def _may_withdraw(self, consent: PhotoConsent | None) -> bool:
        user = self.session.user
        return (
            consent is not None
            and user is not None
            and consent.given
            and consent.withdrawn_at is None
            and (user.has(Role.MANAGER) or consent.practitioner_id == user.id)
        )

    def _update_buttons(self) -> None:
        consent = self.current_consent()
        practitioner = self._has(Role.PRACTITIONER)
        importing = self._import is not None or self.import_dialog is not None
        self.import_button.setVisible(practitioner)
        self.import_button.setEnabled(
            practitioner and not importing and consent is not None and consent.stands
        )
        self.withdraw_button.setEnabled(not importing and self._may_withdraw(consent))
        self.compare_button.setEnabled(bool(self.shown and self.shown.photos))
        self.retention_button.setVisible(self._has(Role.MANAGER))
        if consent is not None and not consent.stands and practitioner:
            self.import_button.setToolTip(refusal_words(consent.refusal))
        else:
            self.import_button.setToolTip("")

    # --- reading ---------------------------------------------------------------------

    def set_patient(self, patient: PatientInfo) -> None:
        """Show ``patient``'s photos."""
        self.patient = patient
        self.refresh()

    def refresh(self) -> None:
        """Read the photos again, off the GUI thread (practitioners and managers)."""
        self.error.clear_error()
        self._reload()

    def _reload(self) -> None:
        """Read the photos again, leaving any message shown."""
        if self.patient is None or not self._has(Role.PRACTITIONER, Role.MANAGER):
            self.shown = None
            self._fill([])
            self._update_buttons()
            return
        ctx, patient_id = self.session.ctx, self.patient.id
        self.status.setText(self.tr("Loading…"))
        self.runner.submit(lambda: _read(ctx, patient_id), self._guarded(self._show), self._fail)

    def _guarded(self, slot: Callable[[Any], None]) -> Callable[[Any], None]:
        """``slot``, skipped if this widget was destroyed meanwhile (a sign-out)."""

        def call(value: Any) -> None:
            if shiboken6.isValid(self):
                slot(value)

        return call

    def _show(self, shown: Shown) -> None:
        self.shown = shown
        self._names = shown.treatment_names()
        chosen = self.consultation.currentData()
        self.consultation.blockSignals(True)
        self.consultation.clear()
        for consent in shown.consents:
            if not consent.given:
                continue
            state = (
                self.tr("photographs allowed")
                if consent.stands
                else self.tr("photograph consent withdrawn")
                if consent.withdrawn_at is not None
                else self.tr("consent form withdrawn or voided")
            )
            self.consultation.addItem(
                f"{consent.consultation_date.isoformat()} — {state}", consent.consultation_id
            )
        index = self.consultation.findData(chosen)
        if index < 0:  # the newest consultation whose consent stands, else the newest
            standing = [c.consultation_id for c in shown.consents if c.given and c.stands]
            index = self.consultation.findData(standing[0]) if standing else 0
        self.consultation.setCurrentIndex(max(index, 0) if self.consultation.count() else -1)
        self.consultation.blockSignals(False)
        self._fill(shown.photos)
        if not any(c.given for c in shown.consents):
            self.status.setText(self.tr("No photos: the patient has not consented to photographs."))
        else:
            self.status.setText(self.tr("%n photo(s)", "", len(shown.photos)))
        self._update_buttons()
        self.loaded.emit()

    def _fail(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self.status.setText(self.tr("The photos could not be loaded: ") + refusal_text(exc))
        self.loaded.emit()

    def _fill(self, shown: Sequence[PhotoInfo]) -> None:
        """Lay the thumbnails out in their groups (day and area)."""
        strip = QWidget()
        row = QHBoxLayout(strip)
        row.setContentsMargins(6, 6, 6, 6)
        row.setSpacing(18)
        self.thumbnail_buttons = []
        thumbnails = self.shown.thumbnails if self.shown is not None else {}
        for caption, members in groups(shown):
            group = QVBoxLayout()
            group.setSpacing(4)
            label = QLabel(caption, strip)
            group.addWidget(label)
            pictures = QHBoxLayout()
            pictures.setSpacing(6)
            for photo in members:
                pictures.addWidget(self._thumbnail(photo, thumbnails.get(photo.id), strip))
            pictures.addStretch(1)
            group.addLayout(pictures)
            group.addStretch(1)
            row.addLayout(group)
        if not shown:
            empty = QLabel(self.tr("No photos to show."), strip)
            empty.setEnabled(False)
            row.addWidget(empty)
        row.addStretch(1)
        self.strip.setWidget(strip)

    def _thumbnail(self, photo: PhotoInfo, image: QImage | None, parent: QWidget) -> QToolButton:
        button = QToolButton(parent)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setIconSize(QSize(THUMBNAIL_PX, THUMBNAIL_PX))
        if image is not None and not image.isNull():
            button.setIcon(QIcon(QPixmap.fromImage(image)))
        button.setText(kind_text(photo.kind))
        taken = local_time(photo.taken_at)
        what = [area_text(photo.area), kind_text(photo.kind), taken]
        treatment = self._names.get(photo.treatment_record_id or 0)
        if treatment:
            what.append(treatment)
        button.setToolTip(" · ".join(what))
        button.setAccessibleName(", ".join(what))
        button.setProperty("photo_id", photo.id)
        button.clicked.connect(lambda: self.compare(photo))
        self.thumbnail_buttons.append(button)
        return button

    # --- acting ----------------------------------------------------------------------

    def choose_files(self) -> list[Path]:
        """The files to import, from a file dialog (several at once; tests replace it)."""
        names, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Import photos"), "", FILE_FILTER
        )
        return [Path(name) for name in names]

    def offered_treatments(self, consultation_id: int) -> list[PhotoTreatment]:
        """The consultation's treatments a new photo may document."""
        treatments = self.shown.treatments if self.shown is not None else ()
        return [t for t in treatments if t.consultation_id == consultation_id and t.in_force]

    def import_photos(self) -> None:
        """Import photo files into the chosen consultation: the files from a file dialog,
        then what they show (area, kind, treatment) from the import dialog."""
        consent = self.current_consent()
        busy = self._import is not None or self.import_dialog is not None
        if consent is None or not consent.stands or busy:
            return
        paths = self.choose_files()
        if not paths:
            return
        consultation_id = consent.consultation_id
        dialog = PhotoImportDialog(
            paths,
            consent.consultation_date,
            self.offered_treatments(consultation_id),
            area=self._area,
            kind=self._kind,
            treatment_record_id=self._treatment_for.get(consultation_id),
            parent=self,
        )
        self.import_dialog = dialog
        dialog.accepted.connect(lambda: self._start_import(dialog, consultation_id, paths))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self._update_buttons()
        dialog.open()

    def _dialog_closed(self, dialog: PhotoImportDialog) -> None:
        if self.import_dialog is dialog:
            self.import_dialog = None
        dialog.deleteLater()
        if shiboken6.isValid(self):
            self._update_buttons()

    def _start_import(
        self, dialog: PhotoImportDialog, consultation_id: int, paths: Sequence[Path]
    ) -> None:
        self._area, self._kind = dialog.chosen_area(), dialog.chosen_kind()
        treatment = dialog.chosen_treatment()
        self._treatment_for[consultation_id] = NO_TREATMENT if treatment is None else treatment
        self.error.clear_error()
        job = PhotoImport(
            self.session.ctx,
            consultation_id,
            paths,
            area=self._area,
            kind=self._kind,
            treatment_record_id=treatment,
            parent=self,
        )
        self._import = job
        job.progressed.connect(self._progressed)
        job.finished.connect(self._imported)
        if job.total >= PROGRESS_FROM:
            self.progress.setRange(0, job.total)
            self.progress.setValue(0)
            self.progress.show()
        self.status.setText(self.tr("Importing %n photo(s)…", "", job.total))
        self._update_buttons()
        job.start()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        self.status.setText(
            self.tr("Imported %1 of %2…").replace("%1", str(done)).replace("%2", str(total))
        )

    def _imported(self, stored: int, problems: list[str]) -> None:
        if self._import is not None:
            self._import.deleteLater()
        self._import = None
        self.progress.hide()
        if problems:
            shown = list(dict.fromkeys(problems))
            self.error.show_error(
                self.tr("%n file(s) not imported:", "", len(problems)) + "\n" + "\n".join(shown)
            )
        self.imported.emit(stored, problems)
        self._reload()

    def compare(self, start: PhotoInfo | None = None) -> ComparisonDialog | None:
        """Open the comparison (from ``start``, a photo clicked, if given) in its own
        window, which may stay open beside the page; it is deleted when closed."""
        if self.shown is None or not self.shown.photos:
            return None
        dialog = ComparisonDialog(self.session, self.shown.photos, start, self, self._names)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.comparison = dialog
        dialog.show()
        return dialog

    def withdraw(self) -> None:
        """Record that the patient withdrew their photograph consent for the chosen
        consultation: its photos are hidden at once (a logged write, off the GUI thread)."""
        consent = self.current_consent()
        if not self._may_withdraw(consent) or consent is None:
            return
        reason = ReasonDialog.ask(
            self,
            self.tr("Withdraw photograph consent"),
            self.tr(
                "Why is the patient's consent to photographs withdrawn? The consultation's "
                "photos are hidden from every view and export at once; the clinic deletes "
                "them after its retention period."
            ),
        )
        if reason is None:
            return
        ctx, consultation_id = self.session.ctx, consent.consultation_id
        run_write(
            lambda: photos.withdraw_consent(ctx, consultation_id, reason),
            self._guarded(lambda _consent: self.refresh()),
            self._guarded(self._refused),
            busy=self.withdraw_button,
        )

    def _refused(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            self.error.show_error(refusal_words(exc.message))
        else:
            self.error.show_error(refusal_text(exc) if isinstance(exc, StoreError) else repr(exc))

    def open_retention(self) -> None:
        """The manager's photos past retention."""
        dialog = RetentionDialog(self.session, self)
        dialog.deleted.connect(lambda _photo_id: self.refresh())
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def wait(self) -> None:
        """Wait for the reads under way (closing, tests)."""
        self.runner.wait()
