"""What the photo files about to be imported show: the treated area, whether before,
after or during a course, and which of the consultation's treatments they document.

A photo named with a treatment is linked to that treatment's record: the FHIR export
makes its Media ``partOf`` the treatment's Procedure, so what was photographed stays
with what was done. A photo may also be for no treatment (a general before photo).
When the consultation has several treatments the practitioner must choose; when it has
one, that one is chosen for them; when it has none, the choice is not shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.domain.photos import PhotoArea, PhotoKind
from consult.store.services.photos import PhotoTreatment
from consult.ui.photos.words import area_text, kind_text
from consult.ui.widgets.formatting import treatment_name
from consult.ui.widgets.geometry import fit_dialog

NAMES_SHOWN = 4
"""How many of the files are named; the rest are counted."""
NO_TREATMENT = 0
"""The treatment box's data for "Not for a treatment" (no treatment record has id 0)."""


class PhotoImportDialog(QDialog):
    """Ask what ``paths`` show before they are imported into one consultation.

    ``treatments``: the consultation's treatments a photo may name (in force);
    ``treatment_record_id``: the one to choose first (the last chosen, or the treatment
    the import was started from), else the only treatment, else none until chosen.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        consultation_date: dt.date,
        treatments: Sequence[PhotoTreatment],
        *,
        area: str | None = None,
        kind: str | None = None,
        treatment_record_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import photos"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("%n file(s) for the consultation of %1:", "", len(paths)).replace(
                "%1", consultation_date.isoformat()
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        names = [path.name for path in paths[:NAMES_SHOWN]]
        if len(paths) > NAMES_SHOWN:
            names.append(self.tr("and %n more", "", len(paths) - NAMES_SHOWN))
        self.files = QLabel("\n".join(names), self)
        self.files.setAccessibleName(self.tr("Files to import"))
        self.files.setIndent(12)
        layout.addWidget(self.files)
        self.form = QFormLayout()
        self.area = QComboBox(self)
        for place in PhotoArea:
            self.area.addItem(area_text(place), place.value)
        self.kind = QComboBox(self)
        for kind_of in PhotoKind:
            self.kind.addItem(kind_text(kind_of), kind_of.value)
        self.treatment = QComboBox(self)
        self.treatment.setPlaceholderText(self.tr("Choose the treatment"))
        for treatment in treatments:
            self.treatment.addItem(
                treatment_name(treatment.treatment_id), treatment.treatment_record_id
            )
        self.treatment.addItem(self.tr("Not for a treatment"), NO_TREATMENT)
        self.treatment.setToolTip(
            self.tr("A photo of a treatment is kept with its record and exported as part of it.")
        )
        for text, box in (
            (self.tr("Treated are&a:"), self.area),
            (self.tr("&Kind:"), self.kind),
            (self.tr("&Treatment:"), self.treatment),
        ):
            caption = QLabel(text, self)
            caption.setBuddy(box)
            box.setAccessibleName(text.replace("&", "").rstrip(":"))
            self.form.addRow(caption, box)
        self.form.setRowVisible(self.treatment, bool(treatments))
        layout.addLayout(self.form)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = QPushButton(self.tr("&Import"), self)
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._choose(self.area, area)
        self._choose(self.kind, kind)
        offered = [t.treatment_record_id for t in treatments]
        if treatment_record_id in offered:
            self.treatment.setCurrentIndex(offered.index(treatment_record_id))
        elif treatment_record_id == NO_TREATMENT and treatments:
            self.treatment.setCurrentIndex(len(offered))
        elif len(offered) == 1:
            self.treatment.setCurrentIndex(0)
        elif offered:
            self.treatment.setCurrentIndex(-1)  # several: the practitioner says which
        else:
            self.treatment.setCurrentIndex(len(offered))
        self.treatment.currentIndexChanged.connect(self._update)
        self._update()
        fit_dialog(self, QSize(max(self.sizeHint().width(), 460), self.sizeHint().height()), parent)

    @staticmethod
    def _choose(box: QComboBox, value: str | None) -> None:
        index = box.findData(value) if value is not None else -1
        if index >= 0:
            box.setCurrentIndex(index)

    def _update(self) -> None:
        self.import_button.setEnabled(self.treatment.currentIndex() >= 0)

    def chosen_area(self) -> str:
        """The treated area chosen (a :class:`PhotoArea` value)."""
        return str(self.area.currentData())

    def chosen_kind(self) -> str:
        """Before, after or progress (a :class:`PhotoKind` value)."""
        return str(self.kind.currentData())

    def chosen_treatment(self) -> int | None:
        """The treatment record the photos document (None: not for a treatment)."""
        data = self.treatment.currentData()
        return int(data) if data is not None and data != NO_TREATMENT else None

    def choose_treatment(self, treatment_record_id: int | None) -> None:
        """Choose the treatment with this record (None: not for a treatment)."""
        index = self.treatment.findData(
            NO_TREATMENT if treatment_record_id is None else treatment_record_id
        )
        if index >= 0:
            self.treatment.setCurrentIndex(index)
