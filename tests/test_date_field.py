"""DateField and its parser: the clinic's format, ISO, eight digits; refusals in words."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QLocale, Qt

from consult.ui.widgets.date_field import (
    DateField,
    DateFormat,
    DateInputError,
    age_text,
    describe_birth_date,
    parse_date,
)

TODAY = dt.date(2026, 5, 1)
GB = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
DE = QLocale(QLocale.Language.German, QLocale.Country.Germany)
JP = QLocale(QLocale.Language.Japanese, QLocale.Country.Japan)


def parse(text: str, locale: QLocale = GB) -> dt.date | None:
    return parse_date(text, DateFormat.of(locale), TODAY, locale)


def test_the_locales_short_format_is_shown_in_letters_with_a_four_digit_year() -> None:
    assert DateFormat.of(GB).hint == "DD/MM/YYYY"
    assert DateFormat.of(US).hint == "MM/DD/YYYY"
    assert DateFormat.of(DE).hint == "DD.MM.YYYY"
    assert DateFormat.of(JP).hint == "YYYY/MM/DD"
    assert DateFormat.of(US).display == "M/d/yyyy"


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("16/07/1965", GB, dt.date(1965, 7, 16)),
        (" 16/7/1965 ", GB, dt.date(1965, 7, 16)),
        ("16-07-1965", GB, dt.date(1965, 7, 16)),
        ("16 07 1965", GB, dt.date(1965, 7, 16)),
        ("7/16/1965", US, dt.date(1965, 7, 16)),
        ("7/16/65", US, dt.date(1965, 7, 16)),  # the US short format has two-digit years
        ("3/2/05", US, dt.date(2005, 3, 2)),
        ("16.07.65", DE, dt.date(1965, 7, 16)),
        ("1965/07/16", JP, dt.date(1965, 7, 16)),
        ("1965-07-16", GB, dt.date(1965, 7, 16)),
        ("1965-07-16", US, dt.date(1965, 7, 16)),
        ("19650716", US, dt.date(1965, 7, 16)),
        ("2024-02-29", GB, dt.date(2024, 2, 29)),
        ("", GB, None),
        ("   ", GB, None),
    ],
)
def test_accepted_dates(text: str, locale: QLocale, expected: dt.date | None) -> None:
    assert parse(text, locale) == expected


@pytest.mark.parametrize(
    ("text", "locale", "message"),
    [
        ("2023-02-30", GB, "There is no 30 February 2023: February 2023 has 28 days."),
        ("2023-02-29", GB, "There is no 29 February 2023"),
        ("31/04/2020", GB, "There is no 31 April 2020: April 2020 has 30 days."),
        ("00/04/2020", GB, "There is no day 0"),
        ("16/13/1965", GB, "There is no month 13: months go from 1 to 12 (the date is read as "),
        ("16/07/1965", US, "There is no month 16"),
        ("19651316", GB, "(the date is read as YYYYMMDD)"),
        ("16/07/65", GB, "type the year with four digits (DD/MM/YYYY)"),
        ("16/07/196", US, "type the year with four digits (MM/DD/YYYY)"),
        ("0000-01-01", GB, "There is no year 0."),
        ("1965-07", GB, "is not a date: type it as DD/MM/YYYY, YYYY-MM-DD or YYYYMMDD."),
        ("16 July 1965", GB, "is not a date"),
        ("1965071", GB, "is not a date"),
    ],
)
def test_refused_dates_say_why(text: str, locale: QLocale, message: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse(text, locale)
    assert message in str(caught.value)


def test_ages_in_words() -> None:
    assert age_text(dt.date(1965, 7, 16), TODAY) == "60 years"
    assert age_text(dt.date(2025, 5, 1), TODAY) == "1 year"
    assert age_text(dt.date(2025, 8, 2), TODAY) == "8 months"
    assert age_text(dt.date(2026, 3, 15), TODAY) == "1 month"
    assert age_text(dt.date(2026, 4, 19), TODAY) == "12 days"
    assert age_text(dt.date(2026, 4, 30), TODAY) == "1 day"
    assert describe_birth_date(dt.date(1965, 7, 16), TODAY, GB) == "16 July 1965 · 60 years"


@pytest.fixture
def field(qtbot) -> DateField:
    widget = DateField(today=lambda: TODAY)
    widget.setLocale(GB)
    qtbot.addWidget(widget)
    return widget


def test_typing_shows_the_date_understood_and_the_age(qtbot, field: DateField) -> None:
    assert field.is_empty() and field.date() is None and field.error() is None
    assert field.edit.placeholderText() == "DD/MM/YYYY"
    with qtbot.waitSignal(field.dateChanged) as changed:
        qtbot.keyClicks(field.edit, "16/07/1965")
    assert changed.args == [dt.date(1965, 7, 16)]
    assert field.summary.text() == "16 July 1965 · 60 years"
    assert field.edit.accessibleDescription() == "16 July 1965 · 60 years"


def test_an_unfinished_date_shows_the_format_until_the_field_is_left(
    qtbot, field: DateField
) -> None:
    qtbot.keyClicks(field.edit, "16/07/19")
    assert field.date() is None and field.error() is not None
    assert field.summary.text() == "DD/MM/YYYY"  # still typing: no alarm yet
    field.edit.editingFinished.emit()  # leaving the field
    assert field.summary.text().startswith("⚠ ")
    qtbot.keyClicks(field.edit, "65")
    assert field.date() == dt.date(1965, 7, 16)


def test_a_complete_impossible_date_is_refused_while_typing(qtbot, field: DateField) -> None:
    qtbot.keyClicks(field.edit, "2023-02-30")
    assert field.summary.text() == "⚠ There is no 30 February 2023: February 2023 has 28 days."


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("02/05/2026", "2 May 2026 is in the future: check the date."),
        ("01/05/1906", "1 May 1906 is 120 years ago: a date 120 or more years ago is refused."),
    ],
)
def test_implausible_dates_of_birth_are_refused(
    qtbot, field: DateField, typed: str, message: str
) -> None:
    qtbot.keyClicks(field.edit, typed)
    assert field.date() is None
    assert field.error() is not None and message in field.error()
    field.show_error()
    assert message in field.summary.text()


def test_limits_can_be_changed_for_other_dates(qtbot) -> None:
    field = DateField(max_years_ago=None, allow_future=True, show_age=False, today=lambda: TODAY)
    field.setLocale(GB)
    qtbot.addWidget(field)
    field.setText("02/05/2030")
    assert field.date() == dt.date(2030, 5, 2)
    assert field.summary.text() == "2 May 2030"
    field.setText("01/01/1800")
    assert field.date() == dt.date(1800, 1, 1)


def test_set_date_shows_the_locales_format_and_follows_a_change_of_locale(
    qtbot, field: DateField
) -> None:
    field.setDate(dt.date(1965, 7, 6))
    assert field.text() == "06/07/1965"
    field.setDate(QDate(1990, 4, 2))
    assert field.date() == dt.date(1990, 4, 2)
    field.setDate(QDate())
    assert field.is_empty() and field.date() is None
    field.setLocale(US)
    assert field.edit.placeholderText() == "MM/DD/YYYY"
    field.setText("7/16/1965")
    assert field.date() == dt.date(1965, 7, 16)
    field.setDate(None)
    assert field.text() == ""


def test_the_name_given_to_the_field_is_the_text_boxs(qtbot, field: DateField) -> None:
    field.setAccessibleName("Date of birth")
    assert field.edit.accessibleName() == "Date of birth"
    assert field.focusProxy() is field.edit
    assert field.edit.focusPolicy() & Qt.FocusPolicy.TabFocus
