"""Who signs a consent besides the patient and the practitioner, and when they must.

Three more signers can sign a consent form (issue 21, docs/signers.md):

- a **parent or guardian**, required when the patient is under 18 on the consultation
  date and the rules allow the treatment with a guardian's consent (a relative finding
  the practitioner overrode); refused when a rule is absolute for them (in GB the law
  forbids cosmetic toxin and filler under 18), since no one's signature makes that lawful;
- a **witness**, required for the treatments the clinic lists in its
  ``witness_required`` setting (and welcome for any other);
- an **interpreter**, offered when the patient reads another language than the
  practitioner's interface: they state that they interpreted the form and sign.

The rules live here, without Qt or the database, so that the consent step (which shows
the pads) and the signing service (which refuses a record without a required signer)
decide alike.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

ADULT_AGE: Final = 18
"""Whole years on the consultation date from which a patient consents alone."""

WITNESS_SETTING: Final = "witness_required"
"""The clinic setting listing the treatments whose consent a witness must sign."""

_TREATMENT_ID: Final = re.compile(r"[a-z0-9_]+")


class SignerRole(enum.StrEnum):
    """The role of a signer beside the patient and the practitioner."""

    GUARDIAN = "guardian"
    WITNESS = "witness"
    INTERPRETER = "interpreter"


MEANINGS: Final[Mapping[SignerRole, str]] = {
    SignerRole.GUARDIAN: "consent given for the patient",
    SignerRole.WITNESS: "signatures witnessed",
    SignerRole.INTERPRETER: "information interpreted",
}
"""What each signer's signature means, as the record says it (the form translates it)."""


class GuardianNeed(enum.StrEnum):
    """Whether a parent or guardian signs a treatment's consent."""

    NONE = "none"
    """An adult patient: no guardian signs."""
    REQUIRED = "required"
    """A minor, and the rules allow the treatment with a guardian's consent."""
    REFUSED = "refused"
    """A minor, and a rule forbids the treatment outright: no guardian can consent."""


def guardian_need(age: int, blocked: bool) -> GuardianNeed:
    """Whether a guardian signs for a patient of ``age`` (whole years on the consultation
    date) whose treatment is ``blocked`` (an absolute finding) or not."""
    if age >= ADULT_AGE:
        return GuardianNeed.NONE
    return GuardianNeed.REFUSED if blocked else GuardianNeed.REQUIRED


@dataclass(frozen=True)
class SignerNeeds:
    """Which extra signers one treatment's consent takes."""

    guardian: GuardianNeed = GuardianNeed.NONE
    witness_required: bool = False
    patient_language: str = "en"

    def interpreter_offered(self, desk_language: str) -> bool:
        """Whether an interpreter is offered: the patient reads another language than
        the practitioner's interface (``desk_language``)."""
        return _base(self.patient_language) != _base(desk_language)

    def required(self) -> tuple[SignerRole, ...]:
        """The signers the consent cannot be sealed without."""
        roles: list[SignerRole] = []
        if self.guardian == GuardianNeed.REQUIRED:
            roles.append(SignerRole.GUARDIAN)
        if self.witness_required:
            roles.append(SignerRole.WITNESS)
        return tuple(roles)


def _base(language: str) -> str:
    return language.split("-", 1)[0].lower()


def witness_required_for(setting: Any, treatment_id: str) -> bool:
    """Whether the clinic's ``witness_required`` setting (a list of treatment ids, or
    nothing) names ``treatment_id``."""
    return isinstance(setting, list | tuple) and treatment_id in setting


def check_witness_setting(value: Any) -> list[str]:
    """The ``witness_required`` setting made tidy (unique treatment ids, sorted); raises
    ValueError for anything else."""
    if not isinstance(value, list | tuple):
        raise ValueError("list the treatments whose consent a witness signs")
    ids: set[str] = set()
    for item in value:
        if not isinstance(item, str) or not _TREATMENT_ID.fullmatch(item):
            raise ValueError(f"{item!r} is not a treatment id")
        ids.add(item)
    return sorted(ids)


def signers_of(document: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    """The extra signers of a sealed document (none for one sealed before issue 21)."""
    signers = document.get("signers")
    return [s for s in signers if isinstance(s, Mapping)] if isinstance(signers, list) else []
