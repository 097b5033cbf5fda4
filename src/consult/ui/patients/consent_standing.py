"""Where each of a patient's consents stands, on their page (issue 21): for each treatment
consented, valid until a date (and the session of a course), expired, withdrawn, voided,
consented at every visit, or its course complete.

A repeat visit within validity re-confirms the consent with one signature
(docs/repeat-visits.md), so the desk and the practitioner see here, before starting, what
the visit will need. Read off the GUI thread.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from consult.domain.reconfirmation import Validity
from consult.store.services import consent_validity
from consult.store.services.consent_validity import ConsentStanding
from consult.ui.shell.session import AppSession
from consult.ui.widgets.formatting import treatment_name
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import LatestOnly

_log = logging.getLogger(__name__)


class ConsentStandingView(QWidget):
    """One line per treatment the patient consented to, saying where its consent stands."""

    loaded = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.standings: list[ConsentStanding] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(self.tr("Consents"), self)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.lines = QLabel(self)
        self.lines.setWordWrap(True)
        self.lines.setTextFormat(Qt.TextFormat.PlainText)
        self.lines.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lines.setAccessibleName(self.tr("Where the patient's consents stand"))
        layout.addWidget(self.lines)
        self.runner = LatestOnly(self)

    def load(self, patient_id: int) -> None:
        """Read where the patient's consents stand (off the GUI thread)."""
        ctx = self.session.ctx
        self.lines.setText(self.tr("Loading…"))
        self.runner.submit(
            lambda: consent_validity.for_patient(ctx, patient_id), self._show, self._fail
        )

    def _show(self, standings: list[ConsentStanding]) -> None:
        if not shiboken6.isValid(self):  # the page was closed meanwhile
            return
        self.standings = standings
        self.lines.setText(
            "\n".join(self.describe(s) for s in standings)
            if standings
            else self.tr("No consent signed yet.")
        )
        self.loaded.emit()

    def _fail(self, exc: Exception) -> None:
        _log.warning("the consents' standing could not be read", exc_info=exc)
        if not shiboken6.isValid(self):
            return
        self.lines.setText(
            self.tr("Where the consents stand could not be read: ") + refusal_text(exc)
        )
        self.loaded.emit()

    def describe(self, item: ConsentStanding) -> str:
        """One treatment's line: its name and where its consent stands."""
        standing = item.standing
        until = standing.valid_until.isoformat() if standing.valid_until else ""
        words = {
            Validity.VALID: self.tr("valid until %1").replace("%1", until),
            Validity.EXPIRED: self.tr("expired on %1").replace("%1", until),
            Validity.EVERY_VISIT: self.tr("consented at every visit"),
            Validity.COURSE_COMPLETE: self.tr("course complete"),
            Validity.WITHDRAWN: self.tr("withdrawn"),
            Validity.VOIDED: self.tr("voided"),
        }
        line = f"{treatment_name(item.treatment_id)}: {words[standing.validity]}"
        if standing.course is not None:
            line += " · " + self.tr("session %1 of %2").replace(
                "%1", str(standing.sessions_done)
            ).replace("%2", str(standing.course.sessions))
        return f"{line} ({item.consent.document_number})"
