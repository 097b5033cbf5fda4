"""The consent step's choice of a planned course, where the template allows one.

A consent may cover a course of treatments (issue 21, docs/repeat-visits.md): "Course:
N sessions over M weeks", within the template's ``course`` limit. The patient consents
once; each later session is re-confirmed with one signature until the course is done.
The box is shown only for a template that allows a course, unticked (most consents are
for one treatment), its numbers starting at the template's maximum; the service checks
the plan again when the consent is sealed (``consents.sign(course=…)``) and a refusal is
shown under the box.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLabel, QSpinBox, QWidget

from consult.domain.reconfirmation import CourseLimit
from consult.ui.widgets.basics import ErrorLabel

__all__ = ["CourseBox"]


class CourseBox(QGroupBox):
    """ "Course: N sessions over M weeks", ticked to cover a course."""

    def __init__(self, limit: CourseLimit, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Course of treatments"), parent)
        self.limit = limit
        grid = QGridLayout(self)
        self.planned = QCheckBox(self.tr("Course:"), self)
        self.planned.setAccessibleName(self.tr("This consent covers a course of treatments"))
        self.sessions = QSpinBox(self)
        self.sessions.setRange(2, limit.max_sessions)
        self.sessions.setValue(limit.max_sessions)
        self.sessions.setAccessibleName(self.tr("Sessions in the course"))
        self.weeks = QSpinBox(self)
        self.weeks.setRange(1, limit.max_weeks)
        self.weeks.setValue(limit.max_weeks)
        self.weeks.setAccessibleName(self.tr("Weeks the course lasts"))
        sessions_word = QLabel(self.tr("sessions over"), self)
        weeks_word = QLabel(self.tr("weeks"), self)
        grid.addWidget(self.planned, 0, 0)
        grid.addWidget(self.sessions, 0, 1)
        grid.addWidget(sessions_word, 0, 2)
        grid.addWidget(self.weeks, 0, 3)
        grid.addWidget(weeks_word, 0, 4)
        grid.setColumnStretch(5, 1)
        self.hint = QLabel(
            self.tr(
                "Up to %1 sessions over %2 weeks: this visit is the first, each later one "
                "is re-confirmed with one signature."
            )
            .replace("%1", str(limit.max_sessions))
            .replace("%2", str(limit.max_weeks)),
            self,
        )
        self.hint.setWordWrap(True)
        grid.addWidget(self.hint, 1, 0, 1, 6)
        self.error = ErrorLabel(self)
        grid.addWidget(self.error, 2, 0, 1, 6)
        self.planned.toggled.connect(self._show_planned)
        self.sessions.valueChanged.connect(self.error.clear_error)
        self.weeks.valueChanged.connect(self.error.clear_error)
        self._show_planned(False)

    def _show_planned(self, planned: bool) -> None:
        self.sessions.setEnabled(planned)
        self.weeks.setEnabled(planned)
        self.error.clear_error()

    def plan(self) -> dict[str, int] | None:
        """The course to seal (None: this treatment alone)."""
        if not self.planned.isChecked():
            return None
        return {"sessions": self.sessions.value(), "weeks": self.weeks.value()}
