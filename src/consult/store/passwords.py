"""Password hashing (argon2id) and the rules a new password must meet.

A new password must be at least :data:`MIN_LENGTH` characters long, must not contain
the username, and must be hard to guess: zxcvbn (Dropbox's estimator of how many
guesses an attacker needs) must score it at least :data:`MIN_SCORE` out of 4, with the
person's name and username, the clinic's name and the program's own words counted as
words an attacker would try first. "Welcome123456", "qwertyuiop123" and
"clinicclinic1" are all refused. The screens show the same assessment as it is typed
(:func:`assess`); the services refuse with its warning and suggestions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from consult.store.errors import ValidationError

# OWASP's minimum for argon2id: 19 MiB of memory, 2 iterations, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
MIN_LENGTH = 12
MIN_SCORE = 3
# zxcvbn refuses longer input (its matching is quadratic): a longer password is judged
# by its first 72 characters, which can only underestimate it.
ZXCVBN_MAX_LENGTH = 72
# Words anyone attacking this program's users would try first.
PROGRAM_WORDS = ("consult", "consultation", "clinic", "aesthetics", "patient", "doctor")
SCORE_LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class PasswordStrength:
    """How hard a new password is to guess, and whether it may be used."""

    score: int  # zxcvbn's 0 (guessed at once) to 4 (very hard)
    warning: str  # zxcvbn's warning ("This is a very common password."), or ""
    suggestions: tuple[str, ...]  # zxcvbn's suggestions
    problem: str  # why it may not be used (as the service says it), or "" if it may

    @property
    def acceptable(self) -> bool:
        """Whether the password may be used."""
        return not self.problem

    @property
    def label(self) -> str:
        """The score in words: "Very weak" to "Very strong"."""
        return SCORE_LABELS[self.score]

    def feedback(self) -> str:
        """zxcvbn's warning and suggestions as sentences ("" if it has none)."""
        return " ".join(part for part in (self.warning, *self.suggestions) if part)


def personal_words(*texts: str | None) -> list[str]:
    """What an attacker would try first for this person and clinic: each text (a
    username, a name, the clinic's name) whole and word by word, with the program's own
    words. For zxcvbn's ``user_inputs``."""
    words: dict[str, None] = dict.fromkeys(PROGRAM_WORDS)
    for text in texts:
        folded = (text or "").strip().casefold()
        if folded:
            words.setdefault(folded, None)
            for word in _WORD.findall(folded):
                words.setdefault(word, None)
    return list(words)


def _zxcvbn(password: str, user_inputs: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=user_inputs)
    return result


def assess(
    password: str, username: str = "", context: Iterable[str | None] = ()
) -> PasswordStrength:
    """The strength of ``password`` for the user ``username``; ``context`` holds the
    other words that make it easy to guess (the person's name, the clinic's name)."""
    result = _zxcvbn(password, personal_words(username, *context)) if password else None
    score = int(result["score"]) if result else 0
    feedback = result["feedback"] if result else {}
    warning = str(feedback.get("warning") or "")
    suggestions = tuple(str(s) for s in feedback.get("suggestions") or ())
    name = username.strip().casefold()
    if len(password) < MIN_LENGTH:
        problem = f"must be at least {MIN_LENGTH} characters long"
    elif name and name in password.casefold():
        problem = "must not contain the username"
    elif score < MIN_SCORE:
        advice = " ".join(part for part in (warning, *suggestions) if part) or (
            "Add another word or two. Uncommon words are better."
        )
        problem = f"is too easy to guess. {advice}"
    else:
        problem = ""
    return PasswordStrength(score, warning, suggestions, problem)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True if ``password`` matches ``stored_hash`` (never raises on a wrong password)."""
    try:
        return HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True if the hash was made with weaker parameters than today's."""
    return HASHER.check_needs_rehash(stored_hash)


def check_new_password(password: str, username: str, context: Iterable[str | None] = ()) -> None:
    """Raise :class:`ValidationError` (field ``password``) if ``password`` may not be used,
    saying why: too short, the username in it, or too easy to guess (with zxcvbn's
    warning and suggestions). ``context``: the person's name, the clinic's name."""
    strength = assess(password, username, context)
    if strength.problem:
        raise ValidationError("password", strength.problem)
