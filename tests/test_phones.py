"""Phone numbers: read in the clinic's country, stored in E.164, shown the clinic's way,
found in either form, and written to the recall CSV as the number itself."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from consult.documents import exports
from consult.domain import phones
from consult.domain.jurisdictions import JURISDICTIONS


def test_every_jurisdiction_has_a_region_or_asks_for_international_numbers() -> None:
    regions = {code: phones.region_for_jurisdiction(code) for code in JURISDICTIONS}
    assert regions == {
        "GB": "GB",
        "EU": None,
        "US": "US",
        "JP": "JP",
        "KR": "KR",
        "CN": "CN",
        "OTHER": None,
    }
    assert phones.region_for_jurisdiction(None) is None


@pytest.mark.parametrize(
    ("typed", "region", "stored", "shown"),
    [
        ("07700 900123", "GB", "+447700900123", "07700 900123"),
        ("+44 7700 900123", "GB", "+447700900123", "07700 900123"),
        ("+44 (0)7700-900123", "GB", "+447700900123", "07700 900123"),
        ("０７５０５ ６０５８３２", "GB", "+447505605832", "07505 605832"),  # full-width
        ("+44 7505 605832", None, "+447505605832", "+44 7505 605832"),
        ("+33 6 12 34 56 78", "GB", "+33612345678", "+33 6 12 34 56 78"),
        ("(201) 555-0123", "US", "+12015550123", "(201) 555-0123"),
        ("090-1234-5678", "JP", "+819012345678", "090-1234-5678"),
        ("010-2000-0000", "KR", "+821020000000", "010-2000-0000"),
        ("131 2345 6789", "CN", "+8613123456789", "131 2345 6789"),
        ("  ", "GB", "", ""),
    ],
)
def test_numbers_are_stored_in_e164_and_shown_the_clinics_way(
    typed: str, region: str | None, stored: str, shown: str
) -> None:
    assert phones.parse(typed, region) == stored
    assert phones.display(stored, region) == shown


@pytest.mark.parametrize(
    ("typed", "region", "start"),
    [
        ("12345", "GB", "Phone number: this is not a valid phone number."),
        ("0000 000000", "GB", "Phone number: this is not a valid phone number."),
        ("+44 12", "GB", "Phone number: this is not a valid phone number."),
        ("+999 123 4567", "GB", "Phone number: this is not a valid phone number."),
        ("call me", "GB", "Phone number: this is not a valid phone number."),
        ("07505 605832", None, "Phone number: type it in international form"),
        ("07505 605832 x12", "GB", "Phone number: an extension is not stored"),
    ],
)
def test_an_invalid_number_is_refused_naming_the_field(
    typed: str, region: str | None, start: str
) -> None:
    with pytest.raises(phones.PhoneNumberError) as refused:
        phones.parse(typed, region)
    assert refused.value.message.startswith(start)


def test_a_number_stored_before_numbers_were_checked_is_shown_as_typed() -> None:
    assert phones.display("087 000 0000", "GB") == "087 000 0000"
    assert not phones.is_e164("087 000 0000")
    assert phones.is_e164("+447700900123")
    assert not phones.is_e164("+44 7700 900123")


def test_search_reads_the_digits_every_way_the_desk_may_mean_them() -> None:
    assert phones.search_prefixes("07505 605832", "GB") == ["07505605832", "447505605832"]
    assert phones.search_prefixes("7505605832", "GB") == ["7505605832", "447505605832"]
    assert phones.search_prefixes("+44 7505 605832", "GB") == ["447505605832"]
    assert "447505" in (phones.search_prefixes("0044 7505", "GB") or [])
    assert phones.search_prefixes("(201) 555", "US") == ["201555", "1201555"]
    assert phones.search_prefixes("07505", None) == ["07505"]
    assert phones.search_prefixes("07", "GB") is None  # too short to be worth a search
    assert phones.search_prefixes("zoe 0750", "GB") is None


# --- the recall CSV ----------------------------------------------------------------------


@dataclass(frozen=True)
class Recall:
    phone: str
    patient_name: str = "Zoë Lefèvre"
    date_of_birth: dt.date = dt.date(1990, 4, 2)
    email: str = "zoe@example.org"
    address: str = '=HYPERLINK("http://x")'
    product_name: str = "Filler"
    manufacturer: str = "Maker"
    lot_number: str = "+LOT-1"
    expiry_date: dt.date = dt.date(2027, 1, 1)
    treatment_id: str = "ha_filler"
    treated_at: dt.datetime = dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC)
    practitioner_name: str = "Dr Dana Doe"
    document_number: str = "C-1"
    consent_state: str = "signed"
    areas: tuple[str, ...] = ()
    doses: tuple[tuple[str, str], ...] = ()


def _phones_written(tmp_path: Path, rows: list[Recall], region: str | None) -> list[list[str]]:
    target = tmp_path / "recall.csv"
    exports.write_recall_csv(rows, target, phone_region=region)
    with open(target, encoding="utf-8-sig", newline="") as handle:
        header, *lines = list(csv.reader(handle))
    assert header[2] == "phone"
    return lines


def test_the_recall_csv_writes_each_phone_number_exactly_without_an_apostrophe(
    tmp_path: Path,
) -> None:
    rows = [
        Recall("+447700900123"),
        Recall("+33612345678"),
        Recall("=1+2"),  # stored before numbers were checked: escaped like any cell
        Recall(""),
    ]
    lines = _phones_written(tmp_path, rows, "GB")
    assert [line[2] for line in lines] == ["07700 900123", "+33 6 12 34 56 78", "'=1+2", ""]
    # The other columns are still escaped.
    assert lines[0][4] == '\'=HYPERLINK("http://x")'
    assert lines[0][7] == "'+LOT-1"
    # Without the clinic's country every number is written in international form.
    lines = _phones_written(tmp_path, rows[:1], None)
    assert lines[0][2] == "+44 7700 900123"


def test_the_phone_cell_is_the_number_the_app_shows() -> None:
    for stored in ("+447700900123", "+12015550123", "+819012345678"):
        for region in ("GB", "US", "JP", None):
            assert exports.phone_cell(stored, region) == phones.display(stored, region)
            assert not exports.phone_cell(stored, region).startswith("'")
