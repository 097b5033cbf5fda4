"""A dialog that saves when its Save (or OK) button is pressed, without freezing the window.

The save is a service write, so it runs off the GUI thread through
:func:`~consult.ui.widgets.tasks.run_write`. Meanwhile the dialog stays open with its
buttons disabled (no second save, and Escape or the window's close button wait too);
it closes as accepted once the write succeeds, and shows the refusal and stays open if
the write fails. The patient, product, lot, user and password dialogs all save this way.

A refusal is said in the interface language where the service wrote it as an
:class:`~consult.store.errors.ErrorText` (:func:`failure_text`, :func:`show_refusal`,
through :mod:`consult.ui.widgets.refusals`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from consult.store.errors import StoreError, ValidationError
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.forms import FieldForm
from consult.ui.widgets.refusals import refusal_text, refusal_words
from consult.ui.widgets.tasks import run_in_background, run_write

T = TypeVar("T")
_log = logging.getLogger(__name__)


def failure_text(exc: Exception) -> str:
    """What to tell the user about a failed write: the service's own words for a refusal
    (in the interface language where the service wrote them as an :class:`ErrorText`),
    and the exception itself for anything else (a bug, logged by ``run_write``)."""
    if isinstance(exc, StoreError):
        return refusal_text(exc)
    return QCoreApplication.translate("SavingDialog", "Not saved: %1").replace("%1", repr(exc))


def show_refusal(exc: Exception, error: ErrorLabel, form: FieldForm | None = None) -> None:
    """Show why a save failed: a :class:`ValidationError` under its field in ``form``
    when the form has that field, anything else in ``error``."""
    if isinstance(exc, ValidationError):
        message = refusal_words(exc.message)
        if form is None or not form.show_error(exc.field, message):
            error.show_error(message)
        return
    error.show_error(failure_text(exc))


class SavingDialog(QDialog):
    """A dialog whose save runs off the GUI thread; see the module's docstring.

    A subclass sets :attr:`buttons` (its button box) and, from its save slot, checks what
    it can on screen and then calls :meth:`save_with`.
    """

    buttons: QDialogButtonBox

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._saving = False

    def is_saving(self) -> bool:
        """True from the moment a save starts until its result is shown."""
        return self._saving

    def read_first(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        """Ask the database something before saving (a likely duplicate, say), off the
        GUI thread, with the buttons disabled until the answer is back."""
        self._saving = True
        self.buttons.setEnabled(False)

        def settle() -> bool:
            if not shiboken6.isValid(self):  # closed with its window meanwhile
                return False
            self._saving = False
            self.buttons.setEnabled(True)
            return True

        def done(result: Any) -> None:
            if settle():
                on_done(result)

        def failed(exc: Exception) -> None:
            if settle():
                on_error(exc)

        run_in_background(work, done, failed)

    def save_with(
        self,
        work: Callable[[], T],
        saved: Callable[[T], None],
        refused: Callable[[Exception], None],
    ) -> None:
        """Run the write ``work``; ``saved(result)`` then close as accepted, or
        ``refused(exc)`` and stay open."""
        self._saving = True

        def done(result: Any) -> None:
            if not shiboken6.isValid(self):  # closed with its window (sign-out, quit)
                _log.info("%s saved after its dialog was closed", type(self).__name__)
                return
            self._saving = False
            saved(result)
            self.accept()

        def failed(exc: Exception) -> None:
            if not shiboken6.isValid(self):
                _log.warning(
                    "%s not saved, after its dialog was closed: %s", type(self).__name__, exc
                )
                return
            self._saving = False
            refused(exc)

        run_write(work, done, failed, busy=self.buttons)

    def reject(self) -> None:
        """Cancel, Escape and the window's close button wait while a save runs (the
        record may already be written)."""
        if not self._saving:
            super().reject()
