"""One vocabulary of jurisdictions: the knowledge base, the first run, the clinic service."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from consult.domain.jurisdictions import (
    JURISDICTION_LABELS,
    JURISDICTIONS,
    REGENERATIVE_MEDICINE_ACTS,
    has_regenerative_medicine_plan,
)
from consult.domain.roles import SEXES_AT_BIRTH, Qualification
from consult.store.database import Database
from consult.store.errors import ValidationError
from consult.store.services import clinic as clinic_service
from consult.store.services.context import ServiceContext
from consult.store.services.products import PRODUCT_SOURCES
from consult.ui.shell.first_run import FirstRunPage
from consult.ui.shell.session import AppSession
from tests import factories
from tests.screening_support import shipped


def test_the_vocabulary_is_the_knowledge_base_s() -> None:
    kb = shipped()
    assert [(c.id, c.label) for c in kb.jurisdictions] == list(JURISDICTION_LABELS.items())
    assert tuple(c.id for c in kb.jurisdictions) == JURISDICTIONS
    assert JURISDICTIONS[-1] == "OTHER"
    assert {"KR": "South Korea", "CN": "China"}.items() <= JURISDICTION_LABELS.items()


def test_the_ids_checked_without_the_knowledge_base_are_its_own() -> None:
    kb = shipped()
    assert tuple(c.id for c in kb.sexes) == SEXES_AT_BIRTH
    assert [c.id for c in kb.qualifications] == [q.value for q in Qualification]
    assert tuple(c.id for c in kb.product_sources) == PRODUCT_SOURCES


def test_labels_and_plan_numbers() -> None:
    kb = shipped()
    assert kb.label("jurisdiction", "KR") == "South Korea"
    assert kb.label("jurisdiction", "CN") == "China"
    assert kb.label("jurisdiction", "XX") == "XX"  # an unknown code prints as it is
    assert [j for j in JURISDICTIONS if has_regenerative_medicine_plan(j)] == ["JP", "KR"]
    assert REGENERATIVE_MEDICINE_ACTS["KR"] == "Advanced Regenerative Bio Act"
    assert REGENERATIVE_MEDICINE_ACTS["JP"] == "Act on the Safety of Regenerative Medicine"


@pytest.mark.parametrize("jurisdiction", ["KR", "CN"])
def test_a_clinic_can_be_in_south_korea_or_china(sqlite_db: Database, jurisdiction: str) -> None:
    ctx = ServiceContext(sqlite_db)
    clinic, manager = factories.set_up_clinic(ctx, jurisdiction=jurisdiction)
    assert clinic.jurisdiction == jurisdiction
    saved = clinic_service.update_clinic(
        ctx.signed_in(manager),
        expected_version=clinic.version,
        name=clinic.name,
        address=clinic.address,
        jurisdiction="KR" if jurisdiction == "CN" else "CN",
        regenerative_medicine_plan=None,
    )
    assert saved.jurisdiction in {"KR", "CN"} - {jurisdiction}


def test_an_unknown_jurisdiction_is_refused(sqlite_db: Database) -> None:
    with pytest.raises(ValidationError, match="KR, CN, OTHER"):
        factories.set_up_clinic(ServiceContext(sqlite_db), jurisdiction="TW")


@pytest.fixture
def first_run(qtbot, sqlite_db: Database, home) -> FirstRunPage:
    page = FirstRunPage(AppSession(sqlite_db, home))
    qtbot.addWidget(page)
    return page


def _choose(page: FirstRunPage, code: str) -> None:
    page.jurisdiction.setCurrentIndex(page.jurisdiction.findData(code))


def test_first_run_offers_every_jurisdiction(first_run: FirstRunPage) -> None:
    combo = first_run.jurisdiction
    offered = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]
    assert offered == [(code, f"{label} ({code})") for code, label in JURISDICTION_LABELS.items()]
    assert ("KR", "South Korea (KR)") in offered
    assert ("CN", "China (CN)") in offered


@pytest.mark.parametrize(
    ("code", "enabled"),
    [("GB", False), ("EU", False), ("US", False), ("JP", True), ("KR", True), ("CN", False)],
)
def test_the_plan_number_is_asked_for_japan_and_south_korea(
    first_run: FirstRunPage, code: str, enabled: bool
) -> None:
    _choose(first_run, "OTHER")
    assert not first_run.plan.isEnabled()
    _choose(first_run, code)
    assert first_run.plan.isEnabled() is enabled
    if enabled:
        assert REGENERATIVE_MEDICINE_ACTS[code] in first_run.plan.toolTip()
    else:
        assert "Japan and South Korea" in first_run.plan.placeholderText()


@pytest.mark.parametrize(("code", "kept"), [("KR", "KR-ARM-2025-017"), ("CN", None)])
def test_first_run_creates_a_korean_or_chinese_clinic(
    qtbot, first_run: FirstRunPage, code: str, kept: str | None
) -> None:
    qtbot.keyClicks(first_run.name, "Seoul Skin Clinic")
    _choose(first_run, "KR")
    qtbot.keyClicks(first_run.plan, "KR-ARM-2025-017")
    _choose(first_run, code)  # for China the field is disabled and its text not saved
    qtbot.keyClicks(first_run.manager_name, "Kim Min-jun")
    qtbot.keyClicks(first_run.username, "minjun")
    qtbot.keyClicks(first_run.password, "Hangul-and-Hanja-42")
    qtbot.keyClicks(first_run.password2, "Hangul-and-Hanja-42")
    with qtbot.waitSignal(first_run.finished):
        qtbot.mouseClick(first_run.button, Qt.MouseButton.LeftButton)
    clinic = clinic_service.get_clinic(first_run.session.ctx)
    assert clinic is not None
    assert clinic.jurisdiction == code
    assert clinic.regenerative_medicine_plan == kept
