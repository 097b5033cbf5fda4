"""A date typed as people type it: the clinic's date format, ISO, or eight digits.

:class:`DateField` is a text field with, beside it, the date it understood in words
and the age it gives ("16 July 1965 · 61 years"), or why it is not a date. It starts
empty, so an untouched form never holds a plausible but wrong date.

It accepts:

- the locale's short date format, with any of ``/ . -`` or a space between the parts
  (``16/07/1965`` in the United Kingdom, ``7/16/1965`` in the United States);
- ISO ``1965-07-16`` (any date whose first part has four digits is year, month, day);
- eight digits ``19650716`` (year, month, day).

A two-digit year is accepted only where the locale's own short format has one, and is
read as the latest such year not in the future (``65`` is 1965, ``05`` is 2005).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from consult.domain.conditions import age_on
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.tones import style_with_tones

_TOKEN = re.compile(r"d+|M+|y+")
_QUOTED = re.compile(r"'[^']*'")
_EIGHT_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")
_THREE_PARTS = re.compile(r"(\d+)[\s./\-\u202f]+(\d+)[\s./\-\u202f]+(\d+)[\s.\u202f]*")


class DateInputError(ValueError):
    """The text is not a date that may be used; the message says why, in plain words."""


@dataclass(frozen=True)
class DateFormat:
    """The locale's numeric short date format: the order of its parts, and how to show it."""

    order: tuple[str, str, str]  # a permutation of "d", "M", "y"
    display: str  # a QDate format with a four-digit year, e.g. "dd/MM/yyyy"
    hint: str  # the format in letters, e.g. "DD/MM/YYYY"
    two_digit_years: bool

    @classmethod
    def of(cls, locale: QLocale) -> DateFormat:
        """The short date format of ``locale`` (DD/MM/YYYY when it is not numeric)."""
        pattern = locale.dateFormat(QLocale.FormatType.ShortFormat)
        unquoted = _QUOTED.sub("", pattern)
        tokens = _TOKEN.findall(unquoted)
        kinds = tuple(token[0] for token in tokens)
        if sorted(kinds) != ["M", "d", "y"] or any(
            len(token) > 2 and token[0] != "y" for token in tokens
        ):
            # Month or weekday names: fall back to the unambiguous day-month-year.
            return cls(("d", "M", "y"), "dd/MM/yyyy", "DD/MM/YYYY", False)
        two_digits = any(token == "yy" for token in tokens)
        display = _TOKEN.sub(lambda m: "yyyy" if m.group()[0] == "y" else m.group(), unquoted)
        display = display.strip(" .\u202f") or display
        hint = _TOKEN.sub(
            lambda m: {"d": "DD", "M": "MM", "y": "YYYY"}[m.group()[0]], display
        ).replace("\u202f", " ")
        first, second, third = kinds
        return cls((first, second, third), display, hint, two_digits)


def _month_name(locale: QLocale, month: int) -> str:
    return locale.monthName(month, QLocale.FormatType.LongFormat)


def in_words(day: dt.date, locale: QLocale | None = None) -> str:
    """``day`` with the month named: "16 July 1965" (the pattern is the interface
    language's: 「1965年7月16日」 in Japanese)."""
    locale = locale or QLocale()
    pattern = QCoreApplication.translate("DateField", "d MMMM yyyy", "a date in words (QDate)")
    return locale.toString(QDate(day.year, day.month, day.day), pattern)


def age_text(born: dt.date, today: dt.date) -> str:
    """How old someone born on ``born`` is on ``today``: "61 years", "8 months", "12 days"."""
    years = age_on(born, today)
    if years >= 1:
        return (
            QCoreApplication.translate("DateField", "1 year")
            if years == 1
            else fill(QCoreApplication.translate("DateField", "%1 years"), years)
        )
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    if months >= 1:
        return (
            QCoreApplication.translate("DateField", "1 month")
            if months == 1
            else fill(QCoreApplication.translate("DateField", "%1 months"), months)
        )
    days = (today - born).days
    return (
        QCoreApplication.translate("DateField", "1 day")
        if days == 1
        else fill(QCoreApplication.translate("DateField", "%1 days"), days)
    )


def describe_birth_date(born: dt.date, today: dt.date, locale: QLocale | None = None) -> str:
    """A date of birth in words and the age: "16 July 1965 · 61 years"."""
    return f"{in_words(born, locale)} · {age_text(born, today)}"


def _year(text: str, two_digit_years: bool, today: dt.date) -> int | None:
    if len(text) == 4:
        return int(text)
    if len(text) == 2 and two_digit_years:
        year = today.year - today.year % 100 + int(text)
        return year - 100 if year > today.year else year
    return None


def parse_date(
    text: str, fmt: DateFormat, today: dt.date, locale: QLocale | None = None
) -> dt.date | None:
    """The date ``text`` names (None if it is empty); :class:`DateInputError` if none.

    The error message says what is wrong: not the shape of a date, or a day or month
    that does not exist ("There is no 30 February 2023").
    """
    text = text.strip()
    if not text:
        return None
    locale = locale or QLocale()
    how = "YYYYMMDD"
    if match := _EIGHT_DIGITS.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _THREE_PARTS.fullmatch(text):
        parts = match.groups()
        if len(parts[0]) == 4:  # 1965-07-16, 1965/07/16, 1965.07.16
            year, month, day = (int(part) for part in parts)
            how = "YYYY-MM-DD"
        else:
            how = fmt.hint
            by_kind = dict(zip(fmt.order, parts, strict=True))
            found = _year(by_kind["y"], fmt.two_digit_years, today)
            if found is None:
                raise DateInputError(
                    fill(
                        QCoreApplication.translate(
                            "DateField", "“%1”: type the year with four digits (%2)."
                        ),
                        text,
                        fmt.hint,
                    )
                )
            year, month, day = found, int(by_kind["M"]), int(by_kind["d"])
    else:
        raise DateInputError(
            fill(
                QCoreApplication.translate(
                    "DateField", "“%1” is not a date: type it as %2, YYYY-MM-DD or YYYYMMDD."
                ),
                text,
                fmt.hint,
            )
        )
    if not 1 <= year <= 9999:
        raise DateInputError(
            fill(QCoreApplication.translate("DateField", "There is no year %1."), year)
        )
    if not 1 <= month <= 12:
        raise DateInputError(
            fill(
                QCoreApplication.translate(
                    "DateField",
                    "There is no month %1: months go from 1 to 12 (the date is read as %2).",
                ),
                month,
                how,
            )
        )
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        if day == 0:
            raise DateInputError(
                QCoreApplication.translate("DateField", "There is no day 0 in a month.")
            )
        raise DateInputError(
            fill(
                QCoreApplication.translate("DateField", "There is no %1 %2 %3: %2 %3 has %4 days."),
                day,
                _month_name(locale, month),
                year,
                last,
            )
        )
    return dt.date(year, month, day)


class DateField(QWidget):
    """A typed date, with what it was understood as (and the age) beside it.

    Starts empty. :meth:`date` is the date typed, or None while the field is empty or
    holds no acceptable date; :meth:`error` says why a non-empty text is refused. The
    limits are those of a date of birth by default: not in the future and less than
    ``max_years_ago`` years ago.

    Signals:
        dateChanged: the accepted date changed (a ``datetime.date`` or None).
    """

    dateChanged = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        max_years_ago: int | None = 120,
        allow_future: bool = False,
        show_age: bool = True,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.max_years_ago = max_years_ago
        self.allow_future = allow_future
        self.show_age = show_age
        self.today = today
        self._date: dt.date | None = None
        self._error: str | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setMaxLength(24)
        width = self.edit.fontMetrics().horizontalAdvance("0000-00-00 WW")
        self.edit.setMinimumWidth(width)
        self.edit.setMaximumWidth(width + 40)
        layout.addWidget(self.edit)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.summary.setAccessibleName(self.tr("Date understood"))
        layout.addWidget(self.summary, 1)
        self.setFocusProxy(self.edit)
        self._format = DateFormat.of(self.locale())
        self._apply_format()
        self.edit.textChanged.connect(self._text_changed)
        self.edit.editingFinished.connect(self._finished)

    # ----------------------------------------------------------------- public API
    def date(self) -> dt.date | None:
        """The accepted date, or None (empty, or not an acceptable date)."""
        return self._date

    def setDate(self, value: dt.date | QDate | None) -> None:
        """Show ``value`` in the locale's format (None empties the field)."""
        if isinstance(value, QDate):
            value = dt.date(value.year(), value.month(), value.day()) if value.isValid() else None
        if value is None:
            self.edit.clear()
            return
        qdate = QDate(value.year, value.month, value.day)
        self.edit.setText(self.locale().toString(qdate, self._format.display))

    def text(self) -> str:
        """What is typed."""
        return self.edit.text()

    def setText(self, text: str) -> None:
        """Replace what is typed (as if typed)."""
        self.edit.setText(text)

    def is_empty(self) -> bool:
        """Whether nothing (but spaces) is typed."""
        return not self.edit.text().strip()

    def error(self) -> str | None:
        """Why the typed text is refused, or None (empty or accepted)."""
        return self._error

    def show_error(self) -> None:
        """Show the refusal beside the field now (as when the form is saved)."""
        self._show(final=True)

    def format_hint(self) -> str:
        """The locale's format in letters, e.g. "DD/MM/YYYY"."""
        return self._format.hint

    def setAccessibleName(self, name: str) -> None:
        """Name the field and its text box (what a screen reader says on focus)."""
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)

    # ------------------------------------------------------------------ internals
    def changeEvent(self, event: QEvent) -> None:
        """Follow a change of locale: its format is the one shown and accepted."""
        if event.type() == QEvent.Type.LocaleChange and hasattr(self, "_format"):
            self._format = DateFormat.of(self.locale())
            self._apply_format()
            self._text_changed(self.edit.text())
        super().changeEvent(event)

    def _apply_format(self) -> None:
        hint = self._format.hint
        self.edit.setPlaceholderText(hint)
        self.edit.setToolTip(
            self.tr("Type the date as %1, as YYYY-MM-DD, or as eight digits YYYYMMDD.").replace(
                "%1", hint
            )
        )
        self._show(final=False)

    def _evaluate(self, text: str) -> tuple[dt.date | None, str | None]:
        today = self.today()
        try:
            value = parse_date(text, self._format, today, self.locale())
        except DateInputError as exc:
            return None, str(exc)
        if value is None:
            return None, None
        words = in_words(value, self.locale())
        if value > today and not self.allow_future:
            return None, fill(
                QCoreApplication.translate("DateField", "%1 is in the future: check the date."),
                words,
            )
        if self.max_years_ago is not None and age_on(value, today) >= self.max_years_ago:
            return None, fill(
                QCoreApplication.translate(
                    "DateField",
                    "%1 is %2 years ago: a date %3 or more years ago is refused. Check the year.",
                ),
                words,
                age_on(value, today),
                self.max_years_ago,
            )
        return value, None

    def _text_changed(self, text: str) -> None:
        value, self._error = self._evaluate(text)
        changed = value != self._date
        self._date = value
        self._show(final=False)
        if changed:
            self.dateChanged.emit(value)

    def _finished(self) -> None:
        self._show(final=True)

    def _complete(self) -> bool:
        """Whether the text looks finished, so a refusal is worth showing while typing."""
        text = self.edit.text().strip()
        if _EIGHT_DIGITS.fullmatch(text):
            return True
        match = _THREE_PARTS.fullmatch(text)
        if match is None:
            return False
        parts = match.groups()
        if len(parts[0]) == 4:
            return len(parts[2]) == 2
        year = dict(zip(self._format.order, parts, strict=True))["y"]
        return len(year) == 4

    def _show(self, final: bool) -> None:
        if self._date is not None:
            text = (
                describe_birth_date(self._date, self.today(), self.locale())
                if self.show_age
                else in_words(self._date, self.locale())
            )
            self._set_summary(text, error=False)
        elif self._error is not None and (final or self._complete()):
            self._set_summary("⚠ " + self._error, error=True)
        elif not self.edit.text().strip():
            self._set_summary("", error=False, hint=True)
        else:
            self._show_hint()

    def _show_hint(self) -> None:
        self._set_summary(self._format.hint, error=False, hint=True)

    def _set_summary(self, text: str, *, error: bool, hint: bool = False) -> None:
        self.summary.setText(text)
        if error:
            style_with_tones(self.summary, "color: $error;")
        elif hint:
            style_with_tones(self.summary, "color: $muted;")
        else:
            style_with_tones(self.summary, "")
        self.edit.setAccessibleDescription("" if hint else text)
