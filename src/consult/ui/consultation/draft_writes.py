"""The service writes of one open consultation, each made on the version the one before
it left.

The wizard saves as it goes (a debounced answer, a page change, a decision), each save a
service write run off the GUI thread (:func:`~consult.ui.widgets.tasks.run_write`). The
services refuse a write made on a stale version (another workstation may have changed
the consultation), and the GUI thread learns a write's new version only when its result
arrives, after the next write may already have started. So the version travels with the
writes instead: writes run one at a time in the order they were started, and each one
reads here, when it runs, the version the previous one left.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from consult.domain.knowledge_model import KnowledgeBase
from consult.store.dto import ConsultationInfo
from consult.store.services import consultations as consultation_service
from consult.store.services.context import ServiceContext

Write = Callable[[], ConsultationInfo]
"""A write to run off the GUI thread; returns the consultation as stored after it."""


class DraftWrites:
    """Makes the writes of one consultation (``save``, ``run_screening``, ``decide``) as
    work for :func:`~consult.ui.widgets.tasks.run_write`."""

    def __init__(self, ctx: ServiceContext, info: ConsultationInfo, kb: KnowledgeBase) -> None:
        self._ctx = ctx
        self._id = info.id
        self._kb = kb
        self._version = info.version
        self._lock = threading.Lock()

    def _on_latest(self, write: Callable[[int], ConsultationInfo]) -> ConsultationInfo:
        """Run ``write`` on the latest version; keep the version it leaves (a refused
        write leaves the version as it was)."""
        with self._lock:
            info = write(self._version)
            self._version = info.version
            return info

    def save(self, **changes: Any) -> Write:
        """``consultations.save`` of ``changes`` (step, treatments, answers)."""
        ctx, consultation_id, kb = self._ctx, self._id, self._kb
        return lambda: self._on_latest(
            lambda version: consultation_service.save(ctx, consultation_id, version, kb, **changes)
        )

    def screen(self) -> Write:
        """``consultations.run_screening`` of the saved intake under the rules in force."""
        ctx, consultation_id, kb = self._ctx, self._id, self._kb
        return lambda: self._on_latest(
            lambda version: consultation_service.run_screening(ctx, consultation_id, version, kb)
        )

    def decide(self, treatment: str, rule: str, justification: str) -> Write:
        """``consultations.decide``: justify a relative finding or acknowledge a caution."""
        ctx, consultation_id = self._ctx, self._id
        return lambda: self._on_latest(
            lambda version: consultation_service.decide(
                ctx,
                consultation_id,
                version,
                treatment=treatment,
                rule=rule,
                justification=justification,
            )
        )
