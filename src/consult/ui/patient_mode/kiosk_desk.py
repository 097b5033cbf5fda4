"""The desk's side of an intake on a kiosk station: send it, follow the patient's
progress, take it back.

Every call runs off the GUI thread: the send and the taking back as writes
(``run_write``), the progress as a read every :data:`POLL_MS` (counts and state only,
never an answer, from ``kiosk.progress``). The answers reach the desk only when the
practitioner takes the intake back (:attr:`KioskFollower.taken`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from consult.domain.knowledge_model import KnowledgeBase
from consult.store.errors import StoreError
from consult.store.services import kiosk as kiosk_service
from consult.store.services.context import ServiceContext
from consult.store.services.kiosk import HandoverProgress, StationInfo, TakenBack
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import run_in_background, run_write

_log = logging.getLogger(__name__)
POLL_MS = 2000
"""How often the desk reads the patient's progress on the station."""


class KioskFollower(QObject):
    """One intake on one kiosk station, seen from the desk.

    :attr:`sent` once the station has it; :attr:`progress` (sections done, sections,
    questions answered, questions) and :attr:`state` ("sent", "answering", "finished",
    "paused") as they change; :attr:`taken` with the patient's answers once taken back;
    :attr:`failed` with a message the desk can show.
    """

    sent = Signal()
    progress = Signal(int, int, int, int)
    state = Signal(str)
    taken = Signal(object)  # TakenBack
    failed = Signal(str)

    def __init__(
        self,
        ctx: ServiceContext,
        kb: KnowledgeBase,
        consultation_id: int,
        station: StationInfo,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kb = kb
        self.consultation_id = consultation_id
        self.station = station
        self.last_state = ""
        self.is_sent = False  # the station has the intake (until taken back)
        self.closed = False
        self._reading = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def send(
        self,
        treatment_ids: Sequence[str],
        answers: Mapping[str, Any],
        *,
        previous: tuple[Mapping[str, Any], dt.date] | None = None,
        confirmations: Mapping[str, str] | None = None,
    ) -> None:
        """Hand the intake (with the desk's answers so far) to the station; at a repeat
        visit with the last intake (``previous``: its answers and date) and the sections
        the desk has confirmed, so that the station asks the patient about the others."""
        ctx, kb, consultation_id, station_id = (
            self.ctx,
            self.kb,
            self.consultation_id,
            self.station.id,
        )
        treatments, given = tuple(treatment_ids), dict(answers)
        confirmed = dict(confirmations or {})
        run_write(
            lambda: kiosk_service.send(
                ctx,
                consultation_id,
                station_id,
                treatment_ids=treatments,
                answers=given,
                kb=kb,
                previous=previous,
                confirmations=confirmed,
            ),
            self._sent,
            self._failed,
        )

    def _sent(self, _progress: HandoverProgress) -> None:
        self.is_sent = True
        if self.closed:
            return
        self.sent.emit()
        self.timer.start()

    def poll(self) -> None:
        """Read the patient's progress (once at a time)."""
        if self._reading or self.closed:
            return
        self._reading = True
        ctx, consultation_id = self.ctx, self.consultation_id
        run_in_background(
            lambda: kiosk_service.progress(ctx, consultation_id), self._read, self._read_failed
        )

    def _read(self, found: HandoverProgress) -> None:
        self._reading = False
        if self.closed:
            return
        if found.sections:  # none until the station has shown the questions
            self.progress.emit(found.done, found.sections, found.answered, found.asked)
        if found.state != self.last_state:
            self.last_state = found.state
            self.state.emit(found.state)

    def _read_failed(self, exc: Exception) -> None:
        self._reading = False
        # A server that does not answer for a moment: the next poll tries again.
        _log.warning("kiosk progress of consultation %s not read: %s", self.consultation_id, exc)

    def take_back(self) -> None:
        """Take the intake back from the station (the practitioner's password given)."""
        self.timer.stop()
        ctx, consultation_id = self.ctx, self.consultation_id
        run_write(lambda: kiosk_service.take_back(ctx, consultation_id), self._taken, self._failed)

    def _taken(self, taken: TakenBack) -> None:
        self.closed = True
        _log.info(
            "consultation %s taken back from kiosk station %r (%d answers)",
            self.consultation_id,
            taken.station,
            len(taken.answers),
        )
        self.taken.emit(taken)

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, StoreError):
            _log.error(
                "kiosk hand-over of consultation %s failed", self.consultation_id, exc_info=exc
            )
        self.failed.emit(refusal_text(exc))

    def stop(self) -> None:
        """The desk closed: follow no more."""
        self.closed = True
        self.timer.stop()
