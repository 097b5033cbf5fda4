"""File > Language…: the language of the signed-in user's interface.

The choice is kept on the user's account (so it follows them to any workstation) and
saved like any other write, off the GUI thread. The main window then speaks it at once:
it builds the user's pages again in the new language.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from consult.store.services import users as user_service
from consult.store.services.context import ServiceContext
from consult.ui.shell.language import LANGUAGES, system_language
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.saving_dialog import SavingDialog, show_refusal


class LanguageDialog(SavingDialog):
    """The workstation's language, or one of the languages offered (each named in itself,
    so that someone who cannot read the current one still finds theirs)."""

    def __init__(
        self, ctx: ServiceContext, chosen: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.chosen = chosen
        self.setWindowTitle(self.tr("Language"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The language of your screens, on every workstation you sign in at. Your "
                "pages are shown again in it at once: what is open is saved and closed first."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.group = QButtonGroup(self)
        self.options: dict[str | None, QRadioButton] = {}
        workstation = self.tr("The &workstation's language (%1)").replace(
            "%1", LANGUAGES[system_language()]
        )
        for language, name in ((None, workstation), *LANGUAGES.items()):
            button = QRadioButton(name, self)
            button.setChecked(language == chosen)
            self.group.addButton(button)
            self.options[language] = button
            layout.addWidget(button)
        if chosen not in self.options:  # a language no longer offered
            self.options[None].setChecked(True)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def selected(self) -> str | None:
        """The language ticked (None: the workstation's)."""
        return next(code for code, button in self.options.items() if button.isChecked())

    def save(self) -> None:
        """Keep the choice on the user's account; close once it is stored."""
        self.error.clear_error()
        language = self.selected()

        def saved(stored: str | None) -> None:
            self.chosen = stored

        self.save_with(
            lambda: user_service.set_interface_language(self.ctx, language),
            saved,
            lambda exc: show_refusal(exc, self.error),
        )

    @classmethod
    def ask(cls, ctx: ServiceContext, chosen: str | None, parent: QWidget | None) -> str | None:
        """Show the dialog; the language now stored (unchanged if cancelled)."""
        dialog = cls(ctx, chosen, parent)
        try:
            dialog.exec()
            return dialog.chosen
        finally:
            dialog.deleteLater()
