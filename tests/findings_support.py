"""What the verify findings tests share: a stand-in translator for the findings'
context, so a test sees which words the interface translates (each message id and each
phrase among its values) without waiting for the catalog's Japanese."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from consult.proof.wording import FINDINGS_CONTEXT, Finding
from consult.ui.manager.findings import finding_words


class Bracketing(QTranslator):
    """Says every finding's message id in brackets: "[audit entry %1: %2]"."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return f"[{source}]" if context == FINDINGS_CONTEXT else ""


def said_in_brackets(finding: str) -> str:
    """``finding`` as the interface says it with :class:`Bracketing` installed."""
    translator = Bracketing()
    QCoreApplication.installTranslator(translator)
    try:
        return finding_words(finding)
    finally:
        QCoreApplication.removeTranslator(translator)


def assert_translatable(problems: list[str]) -> None:
    """Every problem is a :class:`Finding`, its English the same as its message id with
    its values filled in, and the interface translates it (its id, at least)."""
    assert problems
    for problem in problems:
        assert isinstance(problem, Finding), problem
        said = said_in_brackets(problem)
        assert said.startswith("[") and said != str(problem), (said, problem)


__all__ = ["Bracketing", "assert_translatable", "said_in_brackets"]
