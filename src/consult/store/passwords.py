"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from consult.store.errors import ValidationError

# OWASP's minimum for argon2id: 19 MiB of memory, 2 iterations, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
MIN_LENGTH = 12

# The most common passwords of at least MIN_LENGTH characters (and variants of the app).
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678910",
        "password1234",
        "password12345",
        "passwordpassword",
        "qwertyuiop12",
        "qwertyuiopasdf",
        "qwerty123456",
        "1q2w3e4r5t6y",
        "iloveyou1234",
        "administrator",
        "letmein12345",
        "welcome12345",
        "changeme1234",
        "abcdefghijkl",
        "abc123456789",
        "aaaaaaaaaaaa",
        "111111111111",
        "000000000000",
        "consult12345",
        "consultation",
        "clinic123456",
        "password123!",
        "p@ssw0rd1234",
        "football1234",
        "baseball1234",
        "princess1234",
        "sunshine1234",
        "trustno11234",
    }
)


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


def check_new_password(password: str, username: str) -> None:
    """Raise :class:`ValidationError` if ``password`` may not be used."""
    if len(password) < MIN_LENGTH:
        raise ValidationError("password", f"must be at least {MIN_LENGTH} characters long")
    if password.casefold() == username.casefold() or username.casefold() in password.casefold():
        raise ValidationError("password", "must not contain the username")
    if password.casefold() in COMMON_PASSWORDS or len(set(password)) < 4:
        raise ValidationError("password", "is too common or too easy to guess")
