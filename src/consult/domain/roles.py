"""The three kinds of user, and what a user is qualified as."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """What a user may do (a user may hold several roles)."""

    PRACTITIONER = "practitioner"
    RECEPTION = "reception"
    MANAGER = "manager"


class Qualification(enum.StrEnum):
    """A practitioner's professional qualification, with the ids an intake file uses."""

    DOCTOR = "doctor"
    DENTIST = "dentist"
    NURSE_PRESCRIBER = "nurse_prescriber"
    NURSE = "nurse"
    AESTHETICIAN = "aesthetician"


SEXES_AT_BIRTH = ("female", "male", "intersex")
"""The ids of the knowledge base's ``context.sexes`` (whose names are its labels), for
the patient service's check; ``tests/test_jurisdictions.py`` keeps them equal."""


def parse_roles(text: str) -> frozenset[Role]:
    """Roles from their stored form (space-separated names)."""
    return frozenset(Role(name) for name in text.split())


def format_roles(roles: frozenset[Role] | set[Role]) -> str:
    """The stored form of a set of roles."""
    return " ".join(sorted(role.value for role in roles))
