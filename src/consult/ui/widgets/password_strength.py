"""The strength of a new password, shown under its field as it is typed.

The first-run form (the first manager), adding a user, resetting a password and
changing one's own password all show it: zxcvbn's score in words and its warning and
suggestions, from :func:`consult.store.passwords.assess`, the same assessment the
services refuse a weak password with. While the password would be refused, the form's
submit button says why (its tooltip and accessible description).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from consult.store import passwords
from consult.store.passwords import PasswordStrength
from consult.ui.widgets.tones import style_with_tones
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

_TONES = ("error", "error", "warning", "ok", "ok")
_SCORE_WORDS = (
    QT_TRANSLATE_NOOP("PasswordStrengthLabel", "Very weak"),
    QT_TRANSLATE_NOOP("PasswordStrengthLabel", "Weak"),
    QT_TRANSLATE_NOOP("PasswordStrengthLabel", "Fair"),
    QT_TRANSLATE_NOOP("PasswordStrengthLabel", "Strong"),
    QT_TRANSLATE_NOOP("PasswordStrengthLabel", "Very strong"),
)
"""zxcvbn's score 0 to 4 in words (those of :data:`consult.store.passwords.SCORE_LABELS`)."""
_TOO_EASY = "is too easy to guess."
_PROBLEM_WORDS = {
    f"must be at least {passwords.MIN_LENGTH} characters long": QT_TRANSLATE_NOOP(
        "PasswordStrengthLabel", "must be at least %1 characters long"
    ),
    "must not contain the username": QT_TRANSLATE_NOOP(
        "PasswordStrengthLabel", "must not contain the username"
    ),
    _TOO_EASY: QT_TRANSLATE_NOOP("PasswordStrengthLabel", "is too easy to guess."),
}
"""Why :func:`consult.store.passwords.assess` refuses a password, as the store says it
(the key) and as the label says it; zxcvbn's advice that follows "too easy to guess" is
its own (English) words."""


def problem_text(problem: str) -> str:
    """Why a password is refused, in the interface language as far as Consult's own
    words go (zxcvbn's advice after them stays as zxcvbn gives it)."""
    key, rest = (
        (_TOO_EASY, problem[len(_TOO_EASY) :])
        if problem.startswith(_TOO_EASY)
        else (
            problem,
            "",
        )
    )
    words = _PROBLEM_WORDS.get(key)
    if words is None:
        return problem
    said = QCoreApplication.translate("PasswordStrengthLabel", words)
    return said.replace("%1", str(passwords.MIN_LENGTH)) + rest


# Who the password is for: (username, other words that make it easy to guess).
Context = Callable[[], tuple[str, Iterable[str | None]]]


class PasswordStrengthLabel(QLabel):
    """Under a new-password field: its strength and zxcvbn's feedback, updated as the
    user types; empty while the field is."""

    assessed = Signal(object)  # PasswordStrength | None

    def __init__(
        self,
        field: QLineEdit,
        context: Context,
        submit: QAbstractButton | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.field = field
        self.context = context
        self.submit = submit
        self.strength: PasswordStrength | None = None
        self._submit_tip = submit.toolTip() if submit is not None else ""
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName(self.tr("Password strength"))
        field.textChanged.connect(lambda _text: self.update_strength())
        self.update_strength()

    def set_submit(self, button: QAbstractButton) -> None:
        """The button that submits the form (it says why a weak password is refused)."""
        self.submit = button
        self._submit_tip = button.toolTip()
        self.update_strength()

    def update_strength(self) -> None:
        """Assess the field's text again (also when the username or names change)."""
        password = self.field.text()
        if not password:
            self.strength = None
            self.clear()
            self.setAccessibleDescription("")
            self._tell_submit("")
            self.assessed.emit(None)
            return
        username, words = self.context()
        strength = passwords.assess(password, username, words)
        self.strength = strength
        score = QCoreApplication.translate("PasswordStrengthLabel", _SCORE_WORDS[strength.score])
        text = self.tr("Strength: %1.").replace("%1", score)
        if strength.problem:
            text += " " + self.tr("Not accepted: the password %1").replace(
                "%1", problem_text(strength.problem)
            )
        elif strength.feedback():
            text += " " + strength.feedback()
        self.setText(text)
        self.setAccessibleDescription(text)
        style_with_tones(self, f"color: ${_TONES[strength.score]};")
        self._tell_submit(strength.problem)
        self.assessed.emit(strength)

    def _tell_submit(self, problem: str) -> None:
        if self.submit is None:
            return
        if problem:
            why = self.tr("Refused until the password is stronger: it %1").replace(
                "%1", problem_text(problem)
            )
            self.submit.setToolTip(why)
            self.submit.setAccessibleDescription(why)
        else:
            self.submit.setToolTip(self._submit_tip)
            self.submit.setAccessibleDescription("")


__all__ = ["PasswordStrengthLabel"]
