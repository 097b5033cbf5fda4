"""The aftercare sheet: the template's aftercare section in the patient's language, what
was done, the review date and the clinic's out-of-hours telephone."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from consult.documents.aftercare_pdf import check_out_of_hours_setting
from consult.store.errors import ValidationError
from consult.store.services import clinic, patients, treatment_records
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories, security_support
from tests.treatment_support import point, treated


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _charted(ctx: ServiceContext, language: str) -> tuple[ServiceContext, int]:
    t = treated(ctx)
    if language != "en":
        patients.update(
            t.doc,
            t.patient.id,
            t.patient.version,
            factories.draft("Zoë", "Lefèvre", language=language),
        )
    info = clinic.get_clinic(t.boss)
    assert info is not None
    clinic.update_settings(
        t.boss,
        info.version,
        {"out_of_hours_phone": "+44 20 7946 0000", "review_after_days": {"ha_filler": 14}},
    )
    [chart] = treatment_records.open_charts(t.doc, t.consultation.id)
    chart = treatment_records.save_draft(
        t.doc,
        chart.id,
        chart.version,
        lot_id=chart.lot_id,
        areas=["Lips"],
        points=[point("front", 0.5, 0.7, "0.5"), point("front", 0.45, 0.7, "0.3")],
    )
    treatment_records.sign_off(t.doc, chart.id, chart.version)
    return t.doc, chart.id


def test_the_aftercare_sheet_in_english(ctx: ServiceContext) -> None:
    doc, chart_id = _charted(ctx, "en")
    pdf = treatment_records.aftercare_sheet(
        doc, chart_id, templates=security_support.TEMPLATES, kb=knowledge()
    )
    text = " ".join(_text(pdf).split())
    assert "Aftercare" in text
    assert "Do not touch, press or massage the area" in text  # the template's section
    assert "Lips" in text and "LOT-HA_FIL" in text and "0.8 mL" in text
    assert "Out of hours, telephone: +44 20 7946 0000" in text
    assert "Your review appointment" in text
    assert "Not yet translated" not in text


def test_the_aftercare_sheet_in_japanese(ctx: ServiceContext) -> None:
    doc, chart_id = _charted(ctx, "ja")
    pdf = treatment_records.aftercare_sheet(
        doc, chart_id, templates=security_support.TEMPLATES, kb=knowledge()
    )
    text = _text(pdf)
    assert "施術後のケア" in text
    assert "診療時間外の連絡先" in text and "+44 20 7946 0000" in text
    assert "Do not touch, press or massage" not in " ".join(text.split())
    assert "LOT-HA_FIL" in text


def test_the_out_of_hours_setting_is_checked(ctx: ServiceContext) -> None:
    assert check_out_of_hours_setting("  +81 3-1234-5678 ") == "+81 3-1234-5678"
    assert check_out_of_hours_setting("") == ""
    with pytest.raises(ValueError):
        check_out_of_hours_setting("call Bob")
    with pytest.raises(ValueError):
        check_out_of_hours_setting("123")
    boss = security_support.contexts(ctx)["manager"]
    info = clinic.get_clinic(boss)
    assert info is not None
    with pytest.raises(ValidationError):
        clinic.update_settings(boss, info.version, {"out_of_hours_phone": "not a number"})


def test_the_manager_sets_the_out_of_hours_telephone_beside_the_other_settings(
    qtbot, sqlite_db, home
) -> None:
    from consult.store.services.context import ServiceContext as Context
    from consult.ui.manager.users_page import UsersPage
    from consult.ui.shell.session import AppSession

    staff = factories.staff(Context(sqlite_db))
    session = AppSession(sqlite_db, home)
    session.set_user(staff["manager"])
    page = UsersPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    assert page.out_of_hours.text() == ""
    page.out_of_hours.setText("+44 20 7946 0000")
    page.save_settings_button.click()
    qtbot.waitUntil(lambda: "Saved" in page.status.text())
    assert clinic.settings(session.ctx)["out_of_hours_phone"] == "+44 20 7946 0000"
    page.out_of_hours.setText("ask at the desk")
    page.save_settings_button.click()
    qtbot.waitUntil(lambda: not page.error.isHidden())
    assert clinic.settings(session.ctx)["out_of_hours_phone"] == "+44 20 7946 0000"
