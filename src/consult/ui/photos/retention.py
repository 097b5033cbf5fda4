"""The manager's photos past retention: photos hidden by a withdrawn photograph consent
for longer than the clinic keeps them, each to delete (its bytes go; its row and SHA-256
stay, and the deletion is logged), and the retention itself, in days."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from consult.store.errors import StoreError, ValidationError
from consult.store.services import clinic, photos
from consult.store.services.clinic import (
    PHOTO_RETENTION_RANGE,
    PHOTO_RETENTION_SETTING,
    photo_retention_days,
)
from consult.store.services.photos import HiddenPhoto
from consult.ui.photos.words import area_text, kind_text
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.formatting import local_time
from consult.ui.widgets.geometry import fit_dialog
from consult.ui.widgets.refusals import refusal_text, refusal_words
from consult.ui.widgets.table_model import RowsTableModel, read_only_table
from consult.ui.widgets.tasks import LatestOnly, run_write
from consult.ui.widgets.words import QT_TRANSLATE_NOOP


class HiddenPhotoModel(RowsTableModel[HiddenPhoto]):
    """The photos past retention, one per row."""

    HEADERS = (
        QT_TRANSLATE_NOOP("HiddenPhotoModel", "Patient"),
        QT_TRANSLATE_NOOP("HiddenPhotoModel", "Area"),
        QT_TRANSLATE_NOOP("HiddenPhotoModel", "Kind"),
        QT_TRANSLATE_NOOP("HiddenPhotoModel", "Taken"),
        QT_TRANSLATE_NOOP("HiddenPhotoModel", "Hidden since"),
        QT_TRANSLATE_NOOP("HiddenPhotoModel", "SHA-256"),
    )

    def text(self, row: HiddenPhoto, column: int) -> str:
        """What each cell reads."""
        return (
            row.patient_name,
            area_text(row.area),
            kind_text(row.kind),
            local_time(row.taken_at),
            local_time(row.hidden_since),
            row.sha256[:16] + "…",
        )[column]


class RetentionDialog(QDialog):
    """Photos past retention, to delete one by one; the retention to change."""

    loaded = Signal()
    deleted = Signal(int)  # photo id

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._clinic_version: int | None = None
        self.setWindowTitle(self.tr("Photos past retention"))
        fit_dialog(self, QSize(900, 560), parent)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Photos past retention"), self))
        explain = QLabel(
            self.tr(
                "These photos are hidden because the patient withdrew their photograph "
                "consent, and have been hidden for longer than the clinic keeps them. "
                "Deleting one removes the picture; its record and fingerprint (SHA-256) "
                "stay, and the deletion is logged."
            ),
            self,
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        keep_row = QHBoxLayout()
        keep_label = QLabel(self.tr("&Keep hidden photos for"), self)
        self.days = QSpinBox(self)
        self.days.setRange(*PHOTO_RETENTION_RANGE)
        self.days.setSuffix(self.tr(" days"))
        self.days.setAccessibleName(self.tr("Days hidden photos are kept"))
        keep_label.setBuddy(self.days)
        self.save_button = QPushButton(self.tr("&Save retention"), self)
        self.save_button.setAccessibleName(self.tr("Save retention"))
        keep_row.addWidget(keep_label)
        keep_row.addWidget(self.days)
        keep_row.addWidget(self.save_button)
        keep_row.addStretch(1)
        layout.addLayout(keep_row)
        self.model = HiddenPhotoModel(self)
        self.table = read_only_table(self, self.model, self.tr("Photos past retention"), 0)
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Photos past retention status"))
        layout.addWidget(self.status)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.delete_button = QPushButton(self.tr("&Delete photo…"), self)
        self.delete_button.setAccessibleName(self.tr("Delete photo"))
        self.close_button = QPushButton(self.tr("Close"), self)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.runner = LatestOnly(self)
        self.delete_button.clicked.connect(self.delete_selected)
        self.save_button.clicked.connect(self.save_retention)
        self.close_button.clicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()

    def refresh(self) -> None:
        """Read the list and the retention again, off the GUI thread."""
        ctx = self.session.ctx
        self.status.setText(self.tr("Loading…"))

        def read() -> tuple[list[HiddenPhoto], int, int]:
            info = clinic.get_clinic(ctx)
            days = photo_retention_days(clinic.settings(ctx))
            return photos.past_retention(ctx), days, info.version if info else 0

        self.runner.submit(read, self._show, self._failed)

    def _show(self, found: tuple[list[HiddenPhoto], int, int]) -> None:
        rows, days, version = found
        self.model.set_rows(rows)
        self.days.setValue(days)
        self._clinic_version = version
        self.status.setText(self.tr("%n photo(s) past retention", "", len(rows)))
        if rows:
            self.table.selectRow(0)
        self._update_buttons()
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        self.status.clear()
        self.error.show_error(refusal_text(exc) if isinstance(exc, StoreError) else repr(exc))
        self.loaded.emit()

    def current(self) -> HiddenPhoto | None:
        """The selected photo."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self.current() is not None)

    def confirm_delete(self, photo: HiddenPhoto) -> bool:
        """Ask before deleting (tests replace this)."""
        answer = QMessageBox.question(
            self,
            self.tr("Delete photo"),
            self.tr("Delete this photo of %1 for good? Its record and fingerprint stay.").replace(
                "%1", photo.patient_name
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def delete_selected(self) -> None:
        """Delete the selected photo, after asking (a logged write, off the GUI thread)."""
        photo = self.current()
        if photo is None or not self.confirm_delete(photo):
            return
        self.error.clear_error()
        ctx, photo_id = self.session.ctx, photo.id
        run_write(
            lambda: photos.delete_photo(ctx, photo_id),
            lambda _none: self._deleted(photo_id),
            self._refused,
            busy=self.delete_button,
        )

    def _deleted(self, photo_id: int) -> None:
        self.deleted.emit(photo_id)
        self.refresh()

    def _refused(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            self.error.show_error(refusal_words(exc.message))
        else:
            self.error.show_error(refusal_text(exc) if isinstance(exc, StoreError) else repr(exc))

    def save_retention(self) -> None:
        """Save the retention in days (the clinic's setting; logged)."""
        version = self._clinic_version
        if version is None:
            return
        self.error.clear_error()
        ctx, days = self.session.ctx, self.days.value()
        run_write(
            lambda: clinic.update_settings(ctx, version, {PHOTO_RETENTION_SETTING: days}),
            lambda _info: self.refresh(),
            self._refused,
            busy=self.save_button,
        )
