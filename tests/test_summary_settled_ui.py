"""The summary after part of a consultation is settled, through the real wizard: a
treatment recorded as not treated, or one of two consents signed and the consent dialog
closed before the second. The summary says which treatments are consented, which were
recorded as not treated and why, and which still wait for consent; "Ready for consent"
counts only those; the Not-treated letter offers only what is unsettled. Screenshots at
1366x768 and 1024x700, light and dark (``CONSULT_SCREENSHOTS``)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from consult.store.database import Database
from consult.store.errors import ValidationError
from consult.store.services import consultations as consultation_service
from consult.store.services import outcomes
from consult.store.services.context import ServiceContext
from consult.ui.consultation.standing import standing_of
from consult.ui.consultation.summary_step import SummaryPage
from consult.ui.consultation.wizard import ConsultationWizard
from consult.ui.shell.knowledge import knowledge
from consult.ui.widgets.formatting import treatment_name
from tests import factories
from tests.consultation_end_support import (
    FILLER,
    NOTE,
    TOXIN,
    clinic,
    screened_at_summary,
    wizard_from_today,
)
from tests.screen_support import out_dir, palette
from tests.test_consent_step import fill, read_to_end, seal, sign_both, wait_loaded
from tests.test_consultation_end_service import not_given, sign
from tests.test_consultation_wizard import (
    make_session,
    reopen,
    screened_draft,
    settle,
)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
__all__ = ["clinic", "palette"]  # the fixtures

EXOSOME = "exosome"


def test_a_treatment_recorded_not_treated_is_shown_so_and_the_count_drops(
    qtbot: Any,
    sqlite_db: Database,
    home: Any,
    clinic: dict[str, Any],
) -> None:
    consultation_id, window, wizard = wizard_from_today(qtbot, sqlite_db, home, clinic)
    summary = wizard.summary_page
    assert summary.state_text == "Ready for consent: 2 treatment(s)"
    assert summary.offered == [FILLER, TOXIN] and summary.not_treated_button.isVisibleTo(wizard)

    # The toxin: the practitioner decides not to give it.
    summary.not_treated_button.click()
    qtbot.waitUntil(lambda: getattr(wizard, "not_treated_dialog", None) is not None)
    dialog = wizard.not_treated_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.declined[TOXIN], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.reason, NOTE)
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=20000)
    # Recorded: the summary behind the dialog is read again and says so.
    qtbot.waitUntil(lambda: summary.not_treated == [TOXIN])
    dialog.cancel_button.click()  # "Close"
    qtbot.waitUntil(lambda: wizard.not_treated_dialog is None)

    assert summary.ready == [FILLER] and summary.consented == []
    assert summary.state_text == "Ready for consent: 1 treatment(s)"
    text = summary.text.text()
    assert "Still waiting for consent" in text and "Recorded as not treated" in text
    assert text.index("Still waiting for consent") < text.index(treatment_name(FILLER))
    assert text.index(treatment_name(FILLER)) < text.index("Recorded as not treated")
    assert text.index("Recorded as not treated") < text.index(treatment_name(TOXIN))
    assert html.escape("the practitioner's decision: “" + NOTE + "”") in text
    assert "Consented" not in text
    # The outcome is recorded once per consultation: the letter is not offered again
    # (the service would refuse the filler), while the filler can go on to consent.
    assert summary.offered == [] and not summary.not_treated_button.isVisibleTo(wizard)
    info = consultation_service.get(window.session.ctx, consultation_id)
    with pytest.raises(ValidationError):
        outcomes.record_not_treated(
            window.session.ctx,
            consultation_id,
            info.version,
            treatments=[FILLER],
            reason=NOTE,
            kb=knowledge(),
        )
    assert wizard.consent_button.isVisible() and wizard.consent_button.isEnabled()


def test_one_of_two_signed_and_the_dialog_closed_is_shown_consented(
    qtbot: Any,
    sqlite_db: Database,
    home: Any,
    clinic: dict[str, Any],
) -> None:
    _consultation_id, window, wizard = wizard_from_today(qtbot, sqlite_db, home, clinic)
    flow = window.workspace.clinical
    summary = wizard.summary_page

    wizard.consent_button.click()
    qtbot.waitUntil(lambda: flow.consent_dialog is not None)
    consent = flow.consent_dialog
    assert consent is not None
    wait_loaded(qtbot, consent)
    step = consent.step
    assert step is not None and step.text.treatment_id == FILLER and consent.total == 2
    read_to_end(qtbot, step)
    fill(step)
    sign_both(step)
    seal(qtbot, step)
    step.sealed_panel.continue_button.click()
    wait_loaded(qtbot, consent)
    consent.close_asking()  # nothing entered for the toxin: closes without asking
    qtbot.waitUntil(lambda: flow.consent_dialog is None)
    assert flow.consultation.wizard is wizard

    # The summary is read again as the dialog closes: the filler is consented.
    qtbot.waitUntil(lambda: summary.consented == [FILLER])
    assert summary.ready == [TOXIN] and summary.not_treated == []
    assert summary.state_text == "Ready for consent: 1 treatment(s)"
    text = summary.text.text()
    assert "Still waiting for consent" in text and "Consent signed" in text
    assert text.index("Still waiting for consent") < text.index(treatment_name(TOXIN))
    assert text.index(treatment_name(TOXIN)) < text.index("Consented")
    assert text.index("Consented") < text.index(treatment_name(FILLER))
    assert wizard.consent_button.isEnabled()
    # The Not-treated letter offers the toxin only.
    assert summary.offered == [TOXIN] and summary.not_treated_button.isVisibleTo(wizard)
    summary.not_treated_button.click()
    qtbot.waitUntil(lambda: getattr(wizard, "not_treated_dialog", None) is not None)
    dialog = wizard.not_treated_dialog
    assert dialog is not None and list(dialog.declined) == [TOXIN] and dialog.blocked == []
    dialog.reject()
    qtbot.waitUntil(lambda: wizard.not_treated_dialog is None)


def three_settled_differently(qtbot: Any, db: Database, home: Any) -> ConsultationWizard:
    """A consultation planning the filler (signed), the toxin (recorded as not given)
    and an exosome treatment (waiting for consent), settled through the services and
    reopened in the wizard, at its summary."""
    ctx = ServiceContext(db)
    people = factories.staff(ctx)
    manager, doctor = people["manager"], people["practitioner"]
    products = {
        FILLER: factories.product(ctx, manager, FILLER, "Volbella"),
        TOXIN: factories.product(ctx, manager, TOXIN, "Azzalure"),
        EXOSOME: factories.product(ctx, manager, EXOSOME, "ExoGlow", source="synthetic"),
    }
    session = make_session(db, home, doctor)
    doc = session.ctx
    person, info = screened_at_summary(ctx, doc, doctor, products)
    sign(doc, info.id, FILLER)
    not_given(doc, info.id, TOXIN)
    wizard = reopen(qtbot, session, person, info.id)
    settle(qtbot, wizard)
    assert wizard.page == "summary"
    return wizard


@pytest.mark.parametrize("size", [(1366, 768), (1024, 700)])
def test_screenshots_of_a_summary_settled_three_ways(
    qtbot: Any,
    sqlite_db: Database,
    home: Any,
    palette: str,
    size: tuple[int, int],
    tmp_path: Path,
) -> None:
    wizard = three_settled_differently(qtbot, sqlite_db, home)
    summary = wizard.summary_page
    # Reopened: the summary says where each stands from the start.
    assert summary.consented == [FILLER]
    assert summary.not_treated == [TOXIN]
    assert summary.ready == [EXOSOME]
    assert summary.state_text == "Ready for consent: 1 treatment(s)"
    assert summary.offered == [] and wizard.consent_button.isEnabled()
    wizard.resize(*size)
    wizard.show()
    qtbot.waitExposed(wizard)
    qtbot.wait(50)
    assert summary.text.isVisible() and summary.state is not None and summary.state.isVisible()
    image = wizard.grab()
    assert image.width() == size[0]
    path = out_dir(tmp_path) / f"summary-settled-{size[0]}x{size[1]}-{palette}.png"
    assert image.save(str(path))


def test_a_blocked_treatment_recorded_says_why_and_a_reconfirmed_one_says_so(
    qtbot: Any,
    sqlite_db: Database,
    home: Any,
    clinic: dict[str, Any],
) -> None:
    doctor = clinic["people"]["practitioner"]
    session = make_session(sqlite_db, home, doctor)
    kb = knowledge()
    person = factories.patient(clinic["ctx"], doctor, family="Sato")
    blocked = screened_draft(clinic, session, person, pregnant="yes")
    assert [r.status for r in consultation_service.reviews(blocked)] == ["blocked"]
    outcome = outcomes.record_not_treated(
        session.ctx, blocked.id, blocked.version, treatments=[FILLER], reason="", kb=kb
    )
    summary = SummaryPage(kb)
    qtbot.addWidget(summary)
    summary.show_summary(blocked, {}, standing_of(blocked, outcome=outcome))
    assert summary.not_treated == [FILLER] and summary.blocked == [] and summary.ready == []
    text = summary.text.text()
    assert "Recorded as not treated" in text and "Absolute contraindication" in text
    assert "(blocked)" not in text and "decision" not in text
    assert summary.state_text.startswith("Nothing is left to go on to consent")
    assert summary.offered == [] and summary.not_treated_button.isHidden()

    ready = screened_draft(clinic, session, factories.patient(clinic["ctx"], doctor))
    summary.show_summary(ready, {}, standing_of(ready, reconfirmed=frozenset({FILLER})))
    assert summary.consented == [FILLER] and summary.ready == []
    assert "Consent re-confirmed at this visit" in summary.text.text()
    assert "Consent signed" not in summary.text.text()
    # Without a standing (a consultation's record): nothing settled but what is blocked.
    summary.show_summary(ready, {})
    assert summary.ready == [FILLER] and summary.consented == []
    assert summary.state_text == "Ready for consent: 1 treatment(s)"
    assert summary.offered == [FILLER] and not summary.not_treated_button.isHidden()
