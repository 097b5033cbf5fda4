"""Password hashing for the tests: the app's argon2id hasher, each answer worked out once.

Every clinic the tests build has users with passwords, and the app hashes them with
OWASP's argon2id parameters (19 MiB, 2 iterations): 30 ms of CPU or more per hash and
as much per check, over a thousand times a run. The app has no cheaper setting, and the
tests check those very parameters, so the tests keep the app's hasher and only stop it
doing the same work twice within a test process: the first hash of a password is reused
for that password (the same hash, salt included, a real argon2id hash with the app's
parameters that the app's hasher verifies), and a check of a password against a hash
gives the answer it gave the first time.
"""

from __future__ import annotations

from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError


class RememberingHasher(PasswordHasher):
    """``hasher``'s parameters and hashes, with its answers remembered."""

    def __init__(self, hasher: PasswordHasher) -> None:
        super().__init__(
            time_cost=hasher.time_cost,
            memory_cost=hasher.memory_cost,
            parallelism=hasher.parallelism,
            hash_len=hasher.hash_len,
            salt_len=hasher.salt_len,
            encoding=hasher.encoding,
            type=hasher.type,
        )
        self._hashes: dict[str | bytes, str] = {}
        # A check's answer: True, or the mismatch it raised (raised again as a new one).
        self._checks: dict[tuple[str | bytes, str | bytes], Literal[True] | VerificationError] = {}

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        if salt is not None:
            return super().hash(password, salt=salt)
        if password not in self._hashes:
            self._hashes[password] = super().hash(password)
        return self._hashes[password]

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        key = (hash, password)
        if key not in self._checks:
            try:
                self._checks[key] = super().verify(hash, password)
            except VerifyMismatchError as exc:
                self._checks[key] = exc
        answer = self._checks[key]
        if isinstance(answer, VerificationError):
            raise type(answer)(*answer.args)
        return answer
