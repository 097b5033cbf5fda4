"""The interface's own words for the states a consultation and a consent go through.

The states themselves are :mod:`consult.domain.states`; these are only how the screen
says them (marked for translation where they are defined, translated where shown).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from PySide6.QtCore import QCoreApplication

from consult.domain.states import ConsentState, ConsultationStatus, ConsultationStep

_CONTEXT: Final = "Words"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate reads
    """Marks ``text`` for translation in ``context`` where it is defined (Qt's own
    ``QT_TRANSLATE_NOOP``, typed: PySide6's returns ``object``)."""
    return text


STATUS_TEXT: Final[Mapping[str, str]] = MappingProxyType(
    {
        ConsultationStatus.DRAFT: QT_TRANSLATE_NOOP("Words", "In progress"),
        ConsultationStatus.SCREENED: QT_TRANSLATE_NOOP("Words", "In progress (screened)"),
        ConsultationStatus.ABANDONED: QT_TRANSLATE_NOOP("Words", "Closed without consent"),
        ConsultationStatus.CONSENTED: QT_TRANSLATE_NOOP("Words", "Consented"),
    }
)
STEP_TEXT: Final[Mapping[str, str]] = MappingProxyType(
    {
        ConsultationStep.TREATMENTS: QT_TRANSLATE_NOOP("Words", "Treatments"),
        ConsultationStep.INTAKE: QT_TRANSLATE_NOOP("Words", "Intake"),
        ConsultationStep.SCREENING: QT_TRANSLATE_NOOP("Words", "Screening"),
        ConsultationStep.SUMMARY: QT_TRANSLATE_NOOP("Words", "Summary"),
        ConsultationStep.CONSENT: QT_TRANSLATE_NOOP("Words", "Consent"),
    }
)
STATE_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        ConsentState.SIGNED: QT_TRANSLATE_NOOP("Words", "Signed"),
        ConsentState.WITHDRAWN: QT_TRANSLATE_NOOP("Words", "Withdrawn"),
        ConsentState.VOIDED: QT_TRANSLATE_NOOP("Words", "Voided"),
    }
)
MARK_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {ConsentState.VOIDED: "VOID", ConsentState.WITHDRAWN: "WITHDRAWN"}
)
"""The word a printed copy of a voided or withdrawn form carries on every page (printed
in English, like the form itself)."""

OUTCOME_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "clear": QT_TRANSLATE_NOOP("Words", "Clear"),
        "caution": QT_TRANSLATE_NOOP("Words", "Caution"),
        "relative": QT_TRANSLATE_NOOP("Words", "Relative (overridden)"),
    }
)


def _say(words: Mapping[str, str], value: str) -> str:
    text = words.get(value)
    return QCoreApplication.translate(_CONTEXT, text) if text else value


def status_text(status: str) -> str:
    """A consultation status as the screen says it."""
    return _say(STATUS_TEXT, status)


def step_text(step: str) -> str:
    """A wizard step as the screen says it."""
    return _say(STEP_TEXT, step)


def state_text(state: str) -> str:
    """A consent state as the screen says it."""
    return _say(STATE_LABELS, state)


def outcome_text(outcome: str) -> str:
    """A screening outcome (of a signed consent) as the register says it."""
    return _say(OUTCOME_LABELS, outcome)
