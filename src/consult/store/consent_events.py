"""What can happen to a signed consent, and the state its events leave it in.

A sealed consent record never changes: its withdrawal, its voiding, each print and its
hand-over are :class:`~consult.store.models.ConsentEvent` rows beside it. The events that
change its state are named after the state they lead to, and a void outweighs a
withdrawal. The register's ``consent_record.state`` is a copy written with each event
(:func:`consult.store.services.consents.add_event`); ``consult verify`` derives the state
again from the audited events (:mod:`consult.store.integrity`) and compares the two.
"""

from __future__ import annotations

from collections.abc import Iterable

from consult.domain.states import ConsentState

STATE_EVENTS: tuple[ConsentState, ...] = (ConsentState.WITHDRAWN, ConsentState.VOIDED)
"""The events that change a consent's state (each is also the state it leads to)."""
PRINTED = "printed"
HANDED_OVER = "handed_over"
EVENT_KINDS: tuple[str, ...] = (*STATE_EVENTS, PRINTED, HANDED_OVER)
"""Every kind of consent event."""


def state_after(kinds: Iterable[str]) -> ConsentState:
    """The state a consent is in after events of ``kinds`` (other kinds change nothing)."""
    seen = set(kinds)
    if ConsentState.VOIDED in seen:
        return ConsentState.VOIDED
    if ConsentState.WITHDRAWN in seen:
        return ConsentState.WITHDRAWN
    return ConsentState.SIGNED
