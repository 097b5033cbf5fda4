"""The re-confirmation of one treatment's consent at a repeat visit: one signature.

Where the consent signed at an earlier visit is still valid and nothing the rules read
has changed (:func:`consult.store.services.reconfirmation.check`), the consent dialog
shows this instead of the whole consent: the consent it re-confirms (its number, date
and validity, the session of a course), the risks the screening found today in the
patient's words, the statement the patient signs, and one signature pad. Sealing runs
off the GUI thread; the sealed form can then be opened like a consent's.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from consult.documents.reconfirmation_pdf import statement
from consult.store.dto import PatientInfo
from consult.store.services import reconfirmation
from consult.store.services.consents import SignatureInput
from consult.store.services.reconfirmation import ReconfirmationInfo, ReconfirmCheck
from consult.ui.consent.signature_pad import SignatureBox
from consult.ui.consent.templates import consent_templates
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import run_write

_log = logging.getLogger(__name__)


class ReconfirmStep(QWidget):
    """One treatment's re-confirmation: what it confirms, and the patient's signature."""

    sealed = Signal(object)  # ReconfirmationInfo
    continue_requested = Signal()
    close_requested = Signal()

    def __init__(
        self,
        session: AppSession,
        patient: PatientInfo,
        consultation_id: int,
        check: ReconfirmCheck,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert check.original is not None and check.standing is not None
        self.session = session
        self.consultation_id = consultation_id
        self.check = check
        self.busy = False
        self.info: ReconfirmationInfo | None = None
        original, standing = check.original, check.standing
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Re-confirm consent: %1").replace("%1", name), self))
        session_text = (
            self.tr("session %1 of %2")
            .replace("%1", str(standing.next_session))
            .replace("%2", str(standing.course.sessions))
            if standing.course is not None
            else self.tr("session %1").replace("%1", str(standing.next_session))
        )
        self.about = QLabel(
            self.tr(
                "Nothing the screening rules read has changed since consent %1 was signed on "
                "%2, the findings, the consent text and the product are the same, and the "
                "consent is valid until %3: %4. The patient re-confirms it with one signature."
            )
            .replace("%1", original.document_number)
            .replace("%2", original.signed_at.astimezone().date().isoformat())
            .replace("%3", standing.valid_until.isoformat() if standing.valid_until else "—")
            .replace("%4", session_text),
            self,
        )
        self.about.setWordWrap(True)
        self.about.setAccessibleName(self.tr("What is re-confirmed"))
        layout.addWidget(self.about)
        self.statement = QLabel(statement(patient.language), self)
        self.statement.setWordWrap(True)
        self.statement.setAccessibleName(self.tr("What the patient confirms"))
        layout.addWidget(self.statement)
        self.box = SignatureBox(
            self,
            meaning=self.tr("Consent re-confirmed"),
            name=patient.full_name,
            role=self.tr("Patient"),
        )
        layout.addWidget(self.box, 1)
        self.message = ErrorLabel(self)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.close_button = QPushButton(self.tr("&Close"), self)
        self.close_button.setAccessibleName(self.tr("Close"))
        self.seal_button = QPushButton(self.tr("&Re-confirm and seal"), self)
        self.seal_button.setAccessibleName(self.tr("Re-confirm and seal"))
        self.continue_button = QPushButton(self.tr("C&ontinue"), self)
        self.continue_button.setAccessibleName(self.tr("Continue"))
        self.continue_button.hide()
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.seal_button)
        buttons.addWidget(self.continue_button)
        layout.addLayout(buttons)
        self.close_button.clicked.connect(self.close_requested)
        self.seal_button.clicked.connect(self.seal)
        self.continue_button.clicked.connect(self.continue_requested)

    def has_input(self) -> bool:
        """Whether closing would throw a signature away."""
        return self.info is None and not self.box.pad.is_empty()

    def seal(self) -> None:
        """Seal the re-confirmation off the GUI thread."""
        if self.busy or self.info is not None:
            return
        self.message.clear_error()
        problem = self.box.pad.validate()
        if problem:
            self.message.show_error(problem)
            self.box.pad.setFocus()
            return
        width, height = self.box.pad.canvas_size()
        signature = SignatureInput(
            name=self.box.name(),
            strokes=self.box.pad.strokes(),
            width=width,
            height=height,
            signed_at=dt.datetime.now().astimezone().replace(microsecond=0),
        )
        ctx, consultation_id = self.session.ctx, self.consultation_id
        treatment_id, templates, kb = self.check.treatment_id, consent_templates(), knowledge()
        self.busy = True

        def work() -> ReconfirmationInfo:
            return reconfirmation.reconfirm(
                ctx,
                consultation_id,
                treatment_id,
                patient_signature=signature,
                templates=templates,
                kb=kb,
            )

        run_write(work, self._sealed, self._failed, busy=self.seal_button)

    def _sealed(self, info: ReconfirmationInfo) -> None:
        self.busy = False
        self.info = info
        self.box.setEnabled(False)
        self.seal_button.hide()
        self.continue_button.show()
        self.continue_button.setFocus()
        self.message.clear_error()
        self.about.setText(
            self.tr("Sealed: re-confirmation %1 of consent %2 (session %3).")
            .replace("%1", info.document_number)
            .replace("%2", self.check.original.document_number if self.check.original else "")
            .replace("%3", str(info.session_number))
        )
        self.sealed.emit(info)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        _log.warning("a re-confirmation was not sealed", exc_info=exc)
        self.message.show_error(refusal_text(exc))
