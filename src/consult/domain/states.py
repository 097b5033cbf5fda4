"""The states a consultation and a consent go through: one name for each, used by the
store, the documents, the command line and the interface (which keeps only its own words
for showing them)."""

from __future__ import annotations

import enum


class ConsultationStatus(enum.StrEnum):
    """Where a consultation stands."""

    DRAFT = "draft"
    """Being filled in; not screened on its current answers."""
    SCREENED = "screened"
    """Screened on its current answers; not yet consented."""
    ABANDONED = "abandoned"
    """Closed without consent."""
    CONSENTED = "consented"
    """A consent was signed."""


class ConsultationStep(enum.StrEnum):
    """The wizard step a consultation was last on (to resume it there)."""

    TREATMENTS = "treatments"
    INTAKE = "intake"
    SCREENING = "screening"
    SUMMARY = "summary"
    CONSENT = "consent"


class ConsentState(enum.StrEnum):
    """A signed consent's state in the register."""

    SIGNED = "signed"
    """In force."""
    WITHDRAWN = "withdrawn"
    """The patient withdrew it after signing."""
    VOIDED = "voided"
    """Recorded in error and voided by a manager."""
