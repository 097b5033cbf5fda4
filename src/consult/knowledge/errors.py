"""The error raised for a knowledge-base or policy file that cannot be loaded."""

from __future__ import annotations


class KnowledgeError(Exception):
    """A broken knowledge or policy file.

    The message names the file, the key path inside it and what is wrong, e.g.
    ``.../rules/prp.yaml: rules[3].severity: 'sever' is not one of …``.
    """

    def __init__(self, file: str, path: str, message: str) -> None:
        where = f"{file}: {path}" if path else file
        super().__init__(f"{where}: {message}")
        self.file = file
        self.path = path
        self.message = message
