"""Recording a complication after a treatment, or editing one as it evolves: the form a
practitioner fills in from the patient's consultation record (and a manager opens from
the list of open complications). It saves through the complications service off the
GUI thread (:class:`SavingDialog`); a refusal is shown at its field. Every save is
audited with the values before and after: the event's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from consult.domain import complications as vocabulary
from consult.store.services import complications as complication_service
from consult.store.services.complications import ComplicationDraft, ComplicationInfo
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.complication_words import complication_word, serious_means
from consult.ui.widgets.date_field import DateField
from consult.ui.widgets.formatting import treatment_name
from consult.ui.widgets.forms import FieldForm
from consult.ui.widgets.geometry import fit_dialog
from consult.ui.widgets.saving_dialog import SavingDialog, show_refusal


def _choices(box: QComboBox, ids: Sequence[str]) -> None:
    for value_id in ids:
        box.addItem(complication_word(value_id), value_id)


def _text_box(parent: QWidget, name: str) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    box.setAccessibleName(name)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 4 + 12)
    return box


class ComplicationDialog(SavingDialog):
    """Record an event after one of a consultation's consented treatments, or edit one."""

    def __init__(
        self,
        session: AppSession,
        *,
        consultation_id: int,
        treatment_ids: Sequence[str],
        existing: ComplicationInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.consultation_id = consultation_id
        self.existing = existing
        self.saved: ComplicationInfo | None = None
        self.setWindowTitle(
            self.tr("Edit the complication") if existing else self.tr("Record a complication")
        )
        layout = QVBoxLayout(self)
        self.form = FieldForm()
        self.treatment = QComboBox(self)
        for treatment_id in treatment_ids:
            self.treatment.addItem(treatment_name(treatment_id), treatment_id)
        self.treatment.setEnabled(existing is None and len(treatment_ids) > 1)
        self.form.add_field("treatment_id", self.tr("&Treatment"), self.treatment, self)
        self.category = QComboBox(self)
        _choices(self.category, vocabulary.CATEGORIES)
        self.form.add_field("category", self.tr("&What happened"), self.category, self)
        self.description = _text_box(self, self.tr("Description"))
        self.description.setPlaceholderText(
            self.tr("Where, how large, how it looks; what the patient reports")
        )
        self.form.add_field("description", self.tr("&Description"), self.description, self)
        self.noticed_on = DateField(self, max_years_ago=5, show_age=False)
        self.noticed_on.setAccessibleName(self.tr("Noticed on"))
        self.form.add_field("noticed_on", self.tr("&Noticed on"), self.noticed_on, self)
        self.severity = QComboBox(self)
        _choices(self.severity, vocabulary.SEVERITIES)
        self.form.add_field("severity", self.tr("&Severity"), self.severity, self)
        self.serious_note = QLabel(serious_means(), self)
        self.serious_note.setWordWrap(True)
        self.serious_note.setAccessibleName(self.tr("What serious means"))
        self.form.addRow("", self.serious_note)
        self.action_taken = _text_box(self, self.tr("Action taken"))
        self.form.add_field("action_taken", self.tr("&Action taken"), self.action_taken, self)
        self.outcome = QComboBox(self)
        _choices(self.outcome, vocabulary.OUTCOMES)
        self.form.add_field("outcome", self.tr("&Outcome"), self.outcome, self)
        self.follow_up_on = DateField(self, max_years_ago=5, allow_future=True, show_age=False)
        self.follow_up_on.setAccessibleName(self.tr("Follow-up on"))
        self.form.add_field("follow_up_on", self.tr("&Follow-up on"), self.follow_up_on, self)
        layout.addLayout(self.form)
        layout.addStretch(1)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.severity.currentIndexChanged.connect(self._severity_changed)
        if existing is not None:
            self._fill(existing)
        else:
            self.noticed_on.setDate(dt.date.today())
        self._severity_changed()
        fit_dialog(self, QSize(620, 560), parent)

    def _fill(self, event: ComplicationInfo) -> None:
        self.treatment.setCurrentIndex(max(0, self.treatment.findData(event.treatment_id)))
        self.category.setCurrentIndex(max(0, self.category.findData(event.category)))
        self.description.setPlainText(event.description)
        self.noticed_on.setDate(event.noticed_on)
        self.severity.setCurrentIndex(max(0, self.severity.findData(event.severity)))
        self.action_taken.setPlainText(event.action_taken)
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(event.outcome)))
        self.follow_up_on.setDate(event.follow_up_on)

    def _severity_changed(self) -> None:
        """What serious means is shown while serious is chosen."""
        self.form.setRowVisible(self.serious_note, self.severity.currentData() == "serious")

    def draft(self) -> ComplicationDraft:
        """What the form holds."""
        return ComplicationDraft(
            category=str(self.category.currentData()),
            description=self.description.toPlainText(),
            noticed_on=self.noticed_on.date(),
            severity=str(self.severity.currentData()),
            action_taken=self.action_taken.toPlainText(),
            outcome=str(self.outcome.currentData()),
            follow_up_on=self.follow_up_on.date(),
        )

    def save(self) -> None:
        """Save through the complications service; a refusal is shown at its field."""
        if self.is_saving():
            return
        self.form.clear_errors()
        self.error.clear_error()
        if not self.follow_up_on.is_empty() and self.follow_up_on.date() is None:
            self.form.show_error("follow_up_on", self.follow_up_on.error() or "")
            return
        ctx, draft, existing = self.session.ctx, self.draft(), self.existing
        if existing is None:
            treatment_id = str(self.treatment.currentData() or "")
            consultation_id = self.consultation_id
            self.save_with(
                lambda: complication_service.record(ctx, consultation_id, treatment_id, draft),
                self._saved,
                self._refused,
            )
        else:
            self.save_with(
                lambda: complication_service.update(ctx, existing.id, existing.version, draft),
                self._saved,
                self._refused,
            )

    def _saved(self, event: ComplicationInfo) -> None:
        self.saved = event

    def _refused(self, exc: Exception) -> None:
        show_refusal(exc, self.error, self.form)

    @classmethod
    def ask(
        cls,
        session: AppSession,
        parent: QWidget | None,
        *,
        consultation_id: int,
        treatment_ids: Sequence[str],
        existing: ComplicationInfo | None = None,
    ) -> ComplicationInfo | None:
        """Show the dialog; the saved event, or None if cancelled (tests replace this)."""
        dialog = cls(
            session,
            consultation_id=consultation_id,
            treatment_ids=treatment_ids,
            existing=existing,
            parent=parent,
        )
        try:
            dialog.exec()
            return dialog.saved
        finally:
            dialog.deleteLater()


__all__ = ["ComplicationDialog"]
