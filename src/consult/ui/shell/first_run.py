"""The first-run page: no clinic yet, so the clinic and its first manager are set up.

Built only once the database is open (it needs the clinic services and the password
strength meter), unlike the sign-in page, which is on screen before.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from consult.domain.jurisdictions import REGENERATIVE_MEDICINE_ACTS
from consult.domain.roles import Role
from consult.store.errors import StoreError, ValidationError
from consult.store.services import clinic as clinic_service
from consult.store.services.users import NewUser
from consult.ui.shell.language import interface_locale
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, centred_card, heading
from consult.ui.widgets.password_strength import PasswordStrengthLabel
from consult.ui.widgets.refusals import refusal_text, refusal_words
from consult.ui.widgets.words import (
    JURISDICTION_WORDS,
    jurisdiction_text,
    regenerative_medicine_act_text,
)


class FirstRunPage(QWidget):
    """No clinic yet: ask for the clinic and the first manager, then sign them in."""

    finished = Signal(object)  # the manager's UserInfo

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        _, layout = centred_card(self)
        layout.addWidget(heading(self.tr("Welcome to Consult"), self))
        intro = QLabel(
            self.tr(
                "Set up your clinic and the first manager account. "
                "Managers add the other users afterwards."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.fields: dict[str, QWidget] = {}

        def add(key: str, label: str, widget: QWidget) -> None:
            text = QLabel(label, self)
            text.setBuddy(widget)
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(text, widget)
            self.fields[key] = widget

        self.name = QLineEdit(self)
        add("name", self.tr("Clinic &name"), self.name)
        self.address = QPlainTextEdit(self)
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(64)
        add("address", self.tr("&Address"), self.address)
        self.jurisdiction = QComboBox(self)
        for code in JURISDICTION_WORDS:
            self.jurisdiction.addItem(f"{jurisdiction_text(code)} ({code})", code)
        add("jurisdiction", self.tr("&Jurisdiction"), self.jurisdiction)
        self.plan = QLineEdit(self)
        add("plan", self.tr("Regenerative-medicine &plan or approval number"), self.plan)
        self.manager_name = QLineEdit(self)
        add("display_name", self.tr("Manager's full na&me"), self.manager_name)
        self.username = QLineEdit(self)
        add("username", self.tr("&Username"), self.username)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        add("password", self.tr("Pass&word (12+ characters)"), self.password)
        self.password_strength = PasswordStrengthLabel(
            self.password,
            lambda: (self.username.text(), (self.manager_name.text(), self.name.text())),
            parent=self,
        )
        form.addRow("", self.password_strength)
        self.password2 = QLineEdit(self)
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        add("password2", self.tr("&Repeat password"), self.password2)
        self.jurisdiction.currentIndexChanged.connect(self._jurisdiction_changed)
        layout.addLayout(form)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.button = QPushButton(self.tr("&Create clinic"), self)
        self.button.setDefault(True)
        self.button.setAccessibleName(self.tr("Create clinic"))
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        self.password_strength.set_submit(self.button)
        # A password with the person's or the clinic's name in it is easy to guess.
        for edit in (self.username, self.manager_name, self.name):
            edit.textChanged.connect(lambda _text: self.password_strength.update_strength())
        # Return in any one-line field submits the form (the page is not a dialog, so the
        # default button alone would not).
        for edit in (
            self.name,
            self.plan,
            self.manager_name,
            self.username,
            self.password,
            self.password2,
        ):
            edit.returnPressed.connect(self.submit)
        self._jurisdiction_changed()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Return submits the form from any field that does not use it itself (the
        jurisdiction list, the button), as in a dialog."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            self.submit()
            event.accept()
            return
        super().keyPressEvent(event)

    def _jurisdiction_changed(self) -> None:
        # JP (Act on the Safety of Regenerative Medicine) and KR (Advanced Regenerative Bio
        # Act): the screening refuses treatments that need a plan when there is none.
        code = str(self.jurisdiction.currentData())
        self.plan.setEnabled(code in REGENERATIVE_MEDICINE_ACTS)
        if code not in REGENERATIVE_MEDICINE_ACTS:
            where = interface_locale().createSeparatedList(
                [jurisdiction_text(c) for c in REGENERATIVE_MEDICINE_ACTS]
            )
            self.plan.setPlaceholderText(self.tr("Only for %1").replace("%1", where))
            self.plan.setToolTip(
                self.tr(
                    "Clinics in %1 record here their registered plan or approval number "
                    "for regenerative medicine."
                ).replace("%1", where)
            )
        else:
            act = regenerative_medicine_act_text(code)
            self.plan.setPlaceholderText(self.tr("Registered plan or approval number, if any"))
            self.plan.setToolTip(
                self.tr(
                    "The clinic's registered plan or approval number for regenerative "
                    "medicine under the %1. Leave it empty if the clinic has none: "
                    "treatments that need one are then refused at screening."
                ).replace("%1", act)
            )

    def submit(self) -> None:
        """Create the clinic and the manager, or say what is wrong."""
        if self.password.text() != self.password2.text():
            self._fail("password2", self.tr("The two passwords differ."))
            return
        try:
            clinic, user = clinic_service.set_up_clinic(
                self.session.ctx,
                name=self.name.text(),
                address=self.address.toPlainText(),
                jurisdiction=str(self.jurisdiction.currentData()),
                regenerative_medicine_plan=self.plan.text() if self.plan.isEnabled() else None,
                manager=NewUser(
                    username=self.username.text(),
                    display_name=self.manager_name.text(),
                    password=self.password.text(),
                    roles=frozenset({Role.MANAGER}),
                    qualification=None,
                ),
            )
        except ValidationError as exc:
            self._fail(exc.field, refusal_words(exc.message))
            return
        except StoreError as exc:
            self._fail("", refusal_text(exc))
            return
        self.session.set_clinic(clinic)
        self.finished.emit(user)

    def _fail(self, field: str, message: str) -> None:
        widget = self.fields.get(field)
        label = ""
        if widget is not None:
            widget.setFocus()
            label = widget.accessibleName() + ": "
        self.error.show_error(label + message)


__all__ = ["FirstRunPage"]
