"""The clinic's choice of paper for its consent forms, as a manager makes it.

A form is printed on the paper of the clinic's country unless the clinic chooses
otherwise (:mod:`consult.documents.paper`): the choice is one of the clinic's settings,
``form_paper``, and only forms sealed after it is changed take it (a sealed form is
never rendered again). The first choice says which paper "by the country" gives for the
clinic as it is now, so that a manager sees what leaving it there means.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from consult.documents import paper


class FormPaperBox(QComboBox):
    """Paper for consent forms: by the clinic's country (and which that is now), A4 or
    US Letter; its data is the setting's value ("" = by the country)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Paper for consent forms"))
        self.setToolTip(
            self.tr(
                "The paper consent forms are laid out for. Forms already signed keep "
                "the paper they were sealed on."
            )
        )
        self.addItem("", "")
        self.addItem(self.tr("A4"), "a4")
        self.addItem(self.tr("US Letter"), "letter")
        self.set_jurisdiction("")

    def set_jurisdiction(self, jurisdiction: str) -> None:
        """Name the paper "by the clinic's country" gives for ``jurisdiction`` now."""
        by_country = paper.paper_for(jurisdiction)
        self.setItemText(
            0,
            self.tr("By the clinic's country (%1)").replace(
                "%1", self.tr("US Letter") if by_country is paper.LETTER else self.tr("A4")
            ),
        )

    def set_setting(self, value: object) -> None:
        """Show the stored setting (one not understood shows as "by the country", which is
        what forms are then printed on)."""
        try:
            choice = paper.check_paper_setting(value)
        except ValueError:
            choice = ""
        self.setCurrentIndex(max(0, self.findData(choice)))

    def setting(self) -> str:
        """The setting's value for the choice shown: "", "a4" or "letter"."""
        return str(self.currentData() or "")
