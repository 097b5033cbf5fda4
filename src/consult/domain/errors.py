"""The errors of the domain layer: bad intake data, and a bad condition in the knowledge base."""

from __future__ import annotations


class IntakeError(ValueError):
    """An intake that cannot be screened: the one error type for bad input.

    ``str(error)`` names the field first, e.g.
    ``answers.pregnant: expected one of yes, no, unsure``, so a command line or a form can
    point at the exact place.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ConditionError(ValueError):
    """A condition in the knowledge base that does not parse; ``path`` is its key path."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
