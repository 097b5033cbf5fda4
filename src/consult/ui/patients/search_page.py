"""Finding, registering and editing patients."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consult.domain import phones
from consult.domain.roles import SEXES_AT_BIRTH
from consult.store.dto import PatientDraft, PatientInfo
from consult.store.errors import ConflictError, StoreError, ValidationError
from consult.store.services import patients as patient_service
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.date_field import DateField
from consult.ui.widgets.phone_format import phone_region, prepare_phone_field, show_phone
from consult.ui.widgets.table_model import RowsTableModel
from consult.ui.widgets.tasks import LatestOnly


class PatientTableModel(RowsTableModel[PatientInfo]):
    """Read-only rows of patients: name, date of birth, sex, phone."""

    COL_NAME, COL_DOB, COL_SEX, COL_PHONE = range(4)
    HEADERS = ("Name", "Date of birth", "Sex at birth", "Phone")
    phone_region: str | None = None  # the clinic's country: its numbers in national form

    def patient(self, row: int) -> PatientInfo:
        """The patient on ``row``."""
        return self.item(row)

    def text(self, row: PatientInfo, column: int) -> str:
        if column == self.COL_NAME:
            return f"{row.family_name}, {row.given_name}"
        if column == self.COL_DOB:
            return row.date_of_birth.isoformat()
        if column == self.COL_SEX:
            return row.sex_at_birth
        return phones.display(row.phone, self.phone_region)  # COL_PHONE

    def extra(self, row: PatientInfo, column: int, role: int) -> Any:
        return row.id if role == Qt.ItemDataRole.UserRole else None


class PatientDialog(QDialog):
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
            self.sex.addItem(value.capitalize(), value)
        self.sex.setPlaceholderText(self.tr("Choose…"))
        self.sex.setCurrentIndex(-1)  # nothing preselected: it must be chosen
        add("sex_at_birth", self.tr("Se&x at birth"), self.sex)
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
        )

    def confirm_duplicates(self, duplicates: list[PatientInfo]) -> bool:
        """Ask whether to save although a likely duplicate exists (tests replace this)."""
        names = "\n".join(
            f"• {p.full_name}, born {p.date_of_birth.isoformat()}, "
            f"{show_phone(self.session, p.phone) or 'no phone'}"
            for p in duplicates[:5]
        )
        answer = QMessageBox.question(
            self,
            self.tr("Possible duplicate"),
            self.tr("A patient with the same name and date of birth is already registered:")
            + f"\n\n{names}\n\n"
            + self.tr("Save this patient anyway?"),
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
        missing = self.missing()
        if missing:
            labels = [label for _key, label in missing]
            listed = (
                labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
            )
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
            exclude = self.original.id if self.original else None
            duplicates = patient_service.find_duplicates(self.session.ctx, draft, exclude)
            if duplicates and not self.confirm_duplicates(duplicates):
                return
            if self.original is None:
                saved = patient_service.register(self.session.ctx, draft)
            else:
                saved = patient_service.update(
                    self.session.ctx, self.original.id, self.original.version, draft
                )
        except ValidationError as exc:
            widget = self.fields.get(exc.field)
            if widget is not None:
                widget.setFocus()
            self.error.show_error(exc.message)
            return
        except (ConflictError, StoreError) as exc:
            self.error.show_error(str(exc))
            return
        self.result_patient = saved
        self.accept()


class PatientsPage(QWidget):
    """Search as you type, the results, and the buttons to act on a patient."""

    patient_chosen = Signal(object)  # PatientInfo
    DEBOUNCE_MS = 30  # keystroke to list well within 100 ms; stale queries are dropped

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Patients"), self))
        row = QHBoxLayout()
        label = QLabel(self.tr("Fi&nd:"), self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(
            self.tr("Name, date of birth (YYYY-MM-DD or DD/MM/YYYY) or phone")
        )
        self.search.setAccessibleName(self.tr("Find a patient"))
        self.search.setClearButtonEnabled(True)
        label.setBuddy(self.search)
        row.addWidget(label)
        row.addWidget(self.search, 1)
        self.new_button = QPushButton(self.tr("Regi&ster patient…"), self)
        self.edit_button = QPushButton(self.tr("&Edit…"), self)
        self.open_button = QPushButton(self.tr("&Open"), self)
        for button in (self.new_button, self.edit_button, self.open_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            row.addWidget(button)
        layout.addLayout(row)
        self.model = PatientTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Patients found"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PatientTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Search status"))
        layout.addWidget(self.status)
        self.runner = LatestOnly(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._enter)
        self.new_button.clicked.connect(self.register_patient)
        self.edit_button.clicked.connect(self.edit_patient)
        self.open_button.clicked.connect(self.open_patient)
        self.table.doubleClicked.connect(lambda _index: self.open_patient())
        self.table.activated.connect(lambda _index: self.open_patient())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        self.edit_button.setEnabled(chosen)
        self.open_button.setEnabled(chosen)

    def _enter(self) -> None:
        self._timer.stop()
        self.run_search()
        self.table.setFocus()

    def current(self) -> PatientInfo | None:
        """The selected patient."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.patient(rows[0].row()) if rows else None

    def run_search(self) -> None:
        """Query the database off the GUI thread; only the newest query's result is shown."""
        text = self.search.text()
        ctx = self.session.ctx
        self.status.setText(self.tr("Searching…"))
        if text.strip():
            self.runner.submit(lambda: patient_service.search(ctx, text), self._show, self._fail)
        else:
            self.runner.submit(lambda: patient_service.recent(ctx), self._show, self._fail)

    def _show(self, rows: list[PatientInfo]) -> None:
        self.model.phone_region = phone_region(self.session)
        self.model.set_rows(rows)
        if rows:
            self.table.selectRow(0)
        if not self.search.text().strip():
            self.status.setText(self.tr("Recently registered or edited patients"))
        elif len(rows) >= patient_service.SEARCH_LIMIT:
            self.status.setText(
                self.tr("First %n patients found: type more to narrow it down", "", len(rows))
            )
        else:
            self.status.setText(self.tr("%n patient(s) found", "", len(rows)))
        self._update_buttons()

    def _fail(self, exc: Exception) -> None:
        self.status.setText(self.tr("Search failed: ") + str(exc))

    def reset(self) -> None:
        """Forget the search and what it found (the user signed out)."""
        self._timer.stop()
        self.runner.wait()
        # A newer, empty query: the answer of one still on its way is dropped.
        self.runner.submit(lambda: None, lambda _result: None, lambda _exc: None)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.set_rows([])
        self.status.clear()
        self._update_buttons()

    def register_patient(self) -> None:
        """Open the registration form."""
        dialog = PatientDialog(self.session, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_patient:
            self.search.setText(dialog.result_patient.family_name)
            self.run_search()

    def edit_patient(self) -> None:
        """Edit the selected patient."""
        patient = self.current()
        if patient is None:
            return
        dialog = PatientDialog(self.session, patient, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.run_search()

    def open_patient(self) -> None:
        """Tell the window to open the selected patient's page."""
        patient = self.current()
        if patient is not None:
            self.patient_chosen.emit(patient)
