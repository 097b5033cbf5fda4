"""The interface's own words for the states a consultation and a consent go through, the
roles, and the jurisdictions the first-run page offers.

The states themselves are :mod:`consult.domain.states`; these are only how the screen
says them (marked for translation where they are defined, translated where shown).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from PySide6.QtCore import QCoreApplication

from consult.domain.review import MIN_JUSTIFICATION
from consult.domain.roles import Role
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


SEVERITY_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "absolute": QT_TRANSLATE_NOOP("Words", "Absolute"),
        "relative": QT_TRANSLATE_NOOP("Words", "Relative"),
        "caution": QT_TRANSLATE_NOOP("Words", "Caution"),
    }
)
"""A finding's severity in one word (the record of a signed consent)."""

EVENT_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        ConsentState.WITHDRAWN: QT_TRANSLATE_NOOP("Words", "withdrawn"),
        ConsentState.VOIDED: QT_TRANSLATE_NOOP("Words", "voided"),
        "printed": QT_TRANSLATE_NOOP("Words", "printed"),
        "handed_over": QT_TRANSLATE_NOOP("Words", "handed over"),
    }
)
"""What happened to a signed consent (:data:`consult.store.consent_events.EVENT_KINDS`)."""

ROLE_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        Role.PRACTITIONER: QT_TRANSLATE_NOOP("Words", "practitioner"),
        Role.RECEPTION: QT_TRANSLATE_NOOP("Words", "reception"),
        Role.MANAGER: QT_TRANSLATE_NOOP("Words", "manager"),
    }
)
"""A role as a running text says it (the status bar's "Ann Lee (manager)")."""

JURISDICTION_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "GB": QT_TRANSLATE_NOOP("Words", "United Kingdom"),
        "EU": QT_TRANSLATE_NOOP("Words", "European Union"),
        "US": QT_TRANSLATE_NOOP("Words", "United States"),
        "JP": QT_TRANSLATE_NOOP("Words", "Japan"),
        "KR": QT_TRANSLATE_NOOP("Words", "South Korea"),
        "CN": QT_TRANSLATE_NOOP("Words", "China"),
        "OTHER": QT_TRANSLATE_NOOP("Words", "Other"),
    }
)
"""The jurisdictions in the order the first-run page offers them, in the words of
:data:`consult.domain.jurisdictions.JURISDICTION_LABELS` (the page is on screen before
the knowledge base loads; tests/test_language_words.py keeps the two equal)."""

REGENERATIVE_MEDICINE_ACT_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "JP": QT_TRANSLATE_NOOP("Words", "Act on the Safety of Regenerative Medicine"),
        "KR": QT_TRANSLATE_NOOP("Words", "Advanced Regenerative Bio Act"),
    }
)
"""The law a jurisdiction's regenerative-medicine plan is given under, in the words of
:data:`consult.domain.jurisdictions.REGENERATIVE_MEDICINE_ACTS`."""

JUSTIFICATION_PROBLEM_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        f"Write a clinical justification of at least {MIN_JUSTIFICATION} characters.": (
            QT_TRANSLATE_NOOP("Words", "Write a clinical justification of at least %1 characters.")
        ),
        "Write the clinical reason in words (at least three different words): what makes it "
        "safe to go on for this patient.": QT_TRANSLATE_NOOP(
            "Words",
            "Write the clinical reason in words (at least three different words): what makes "
            "it safe to go on for this patient.",
        ),
    }
)
"""Why :func:`consult.domain.review.justification_problem` refuses a justification, as
the domain says it (the key) and as the interface says it (``%1``: the fewest characters)."""


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


def role_text(role: str) -> str:
    """A role as running text says it."""
    return _say(ROLE_WORDS, role)


def jurisdiction_text(code: str) -> str:
    """A jurisdiction's name as the first-run page says it."""
    return _say(JURISDICTION_WORDS, code)


def regenerative_medicine_act_text(code: str) -> str:
    """The name of the law a jurisdiction's regenerative-medicine plan is given under."""
    return _say(REGENERATIVE_MEDICINE_ACT_WORDS, code)


def severity_text(severity: str) -> str:
    """A finding's severity in one word."""
    return _say(SEVERITY_WORDS, severity)


def event_text(kind: str) -> str:
    """What happened to a signed consent, in a word or two."""
    return _say(EVENT_WORDS, kind)


def justification_problem_text(problem: str) -> str:
    """Why a clinical justification is refused, in the interface language."""
    return _say(JUSTIFICATION_PROBLEM_WORDS, problem).replace("%1", str(MIN_JUSTIFICATION))
