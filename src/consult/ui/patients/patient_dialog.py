"""Registering a patient, or editing one's identity and contact details.

What can be checked on screen is checked at once (what is missing, an impossible date,
a phone number that cannot be read), and the field is pointed out. A likely duplicate
(same name and date of birth) is looked for off the GUI thread and shown before saving;
the save itself is a service write (see :class:`SavingDialog`).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from consult.domain.roles import SEXES_AT_BIRTH
from consult.store.dto import PatientDraft, PatientInfo
from consult.store.errors import ValidationError
from consult.store.services import patients as patient_service
from consult.ui.shell.language import LANGUAGES, current_language
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.date_field import DateField
from consult.ui.widgets.formatting import knowledge_label
from consult.ui.widgets.phone_format import phone_region, prepare_phone_field, show_phone
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.refusals import refusal_words
from consult.ui.widgets.saving_dialog import SavingDialog, failure_text


class PatientDialog(SavingDialog):
    """Register a new patient or edit one; validation says which field is wrong and why."""

    def __init__(
        self,
        session: AppSession,
        patient: PatientInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.original = patient
        self.result_patient: PatientInfo | None = None
        self.setWindowTitle(self.tr("Edit patient") if patient else self.tr("Register a patient"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.fields: dict[str, QWidget] = {}

        def add(key: str, label: str, widget: QWidget) -> None:
            text = QLabel(label, self)
            text.setBuddy(widget)
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(text, widget)
            self.fields[key] = widget

        self.given = QLineEdit(self)
        add("given_name", self.tr("&Given name"), self.given)
        self.family = QLineEdit(self)
        add("family_name", self.tr("&Family name"), self.family)
        self.dob = DateField(self)  # starts empty: an untouched form holds no date
        add("date_of_birth", self.tr("Date of &birth"), self.dob)
        self.sex = QComboBox(self)
        for value in SEXES_AT_BIRTH:
            self.sex.addItem(knowledge_label("sex", value), value)
        self.sex.setPlaceholderText(self.tr("Choose…"))
        self.sex.setCurrentIndex(-1)  # nothing preselected: it must be chosen
        add("sex_at_birth", self.tr("Se&x at birth"), self.sex)
        self.language = QComboBox(self)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        # A new patient reads what the desk reads, until someone says otherwise.
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.language.setToolTip(
            self.tr("The language the patient reads their questions, consent and form in.")
        )
        add("language", self.tr("Patient's &language"), self.language)
        self.phone = QLineEdit(self)
        add("phone", self.tr("&Phone"), self.phone)
        prepare_phone_field(self.phone, session)
        self.email = QLineEdit(self)
        add("email", self.tr("&E-mail"), self.email)
        self.address = QPlainTextEdit(self)
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(60)
        add("address", self.tr("&Address"), self.address)
        layout.addLayout(form)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if patient is not None:
            self.given.setText(patient.given_name)
            self.family.setText(patient.family_name)
            self.dob.setDate(patient.date_of_birth)
            self.sex.setCurrentIndex(self.sex.findData(patient.sex_at_birth))
            self.phone.setText(show_phone(session, patient.phone))
            self.email.setText(patient.email)
            self.address.setPlainText(patient.address)
            self._show_language(patient.language)

    def draft(self) -> PatientDraft:
        """What the form holds now."""
        sex = self.sex.currentData()
        return PatientDraft(
            given_name=self.given.text(),
            family_name=self.family.text(),
            date_of_birth=self.dob.date(),
            sex_at_birth=str(sex) if sex is not None else "",
            phone=self.phone.text(),
            email=self.email.text(),
            address=self.address.toPlainText(),
            language=str(self.language.currentData()),
        )

    def _show_language(self, code: str) -> None:
        """Select the patient's language, adding it when it is not one the desk offers
        (a patient registered elsewhere keeps their language)."""
        index = self.language.findData(code)
        if index < 0:
            self.language.addItem(code, code)
            index = self.language.count() - 1
        self.language.setCurrentIndex(index)

    def confirm_duplicates(self, duplicates: list[PatientInfo]) -> bool:
        """Ask whether to save although a likely duplicate exists (tests replace this)."""
        line = self.tr("• %1, born %2, %3")
        names = "\n".join(
            fill(
                line,
                p.full_name,
                p.date_of_birth.isoformat(),
                show_phone(self.session, p.phone) or self.tr("no phone"),
            )
            for p in duplicates[:5]
        )
        answer = QMessageBox.question(
            self,
            self.tr("Possible duplicate"),
            self.tr(
                "A patient with the same name and date of birth is already registered:"
                "\n\n%1\n\nSave this patient anyway?"
            ).replace("%1", names),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Save

    def missing(self) -> list[tuple[str, str]]:
        """The required fields left empty, in form order: (field key, what to say)."""
        empty = (
            ("given_name", self.tr("given name"), not self.given.text().strip()),
            ("family_name", self.tr("family name"), not self.family.text().strip()),
            ("date_of_birth", self.tr("date of birth"), self.dob.is_empty()),
            ("sex_at_birth", self.tr("sex at birth"), self.sex.currentIndex() < 0),
        )
        return [(key, label) for key, label, is_empty in empty if is_empty]

    def _refuse(self, field: str, message: str) -> None:
        widget = self.fields.get(field)
        if widget is not None:
            widget.setFocus()
        self.error.show_error(message)

    def save(self) -> None:
        """Say what is missing or wrong, point out a likely duplicate, then save."""
        if self.is_saving():
            return
        missing = self.missing()
        if missing:
            labels = [label for _key, label in missing]
            # Joined in the interface's words ("a, b and c"; 「a、b、c」).
            listed = labels[0]
            for label in labels[1:-1]:
                listed = fill(self.tr("%1, %2"), listed, label)
            if len(labels) > 1:
                listed = fill(self.tr("%1 and %2"), listed, labels[-1])
            self._refuse(missing[0][0], self.tr("Still to fill in: %1.").replace("%1", listed))
            return
        if self.dob.error() is not None:
            self.dob.show_error()
            self._refuse(
                "date_of_birth", self.tr("Date of birth: %1").replace("%1", self.dob.error() or "")
            )
            return
        draft = self.draft()
        try:
            patient_service.validate(draft, region=phone_region(self.session))
        except ValidationError as exc:
            self._refuse(exc.field, refusal_words(exc.message))
            return
        ctx = self.session.ctx
        exclude = self.original.id if self.original else None
        self.read_first(
            lambda: patient_service.find_duplicates(ctx, draft, exclude),
            lambda duplicates: self._duplicates_checked(draft, duplicates),
            self._refused,
        )

    def _duplicates_checked(self, draft: PatientDraft, duplicates: list[PatientInfo]) -> None:
        if duplicates and not self.confirm_duplicates(duplicates):
            return
        ctx, original = self.session.ctx, self.original
        if original is None:
            self.save_with(lambda: patient_service.register(ctx, draft), self._saved, self._refused)
        else:
            self.save_with(
                lambda: patient_service.update(ctx, original.id, original.version, draft),
                self._saved,
                self._refused,
            )

    def _saved(self, patient: PatientInfo) -> None:
        self.result_patient = patient

    def _refused(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            self._refuse(exc.field, refusal_words(exc.message))
        else:
            self.error.show_error(failure_text(exc))


__all__ = ["PatientDialog"]
