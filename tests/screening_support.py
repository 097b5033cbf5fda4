"""Helpers for the screening tests: the shipped knowledge base and intake builders."""

from __future__ import annotations

import copy
import datetime as dt
import functools
from typing import Any

from consult.domain.intake import parse_intake
from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.screening import TreatmentResult, screen
from consult.knowledge.loader import load_knowledge

ANTICOAGULANTS = ["warfarin", "apixaban", "rivaroxaban", "dabigatran", "edoxaban", "heparin"]
ANTIPLATELETS = ["clopidogrel", "ticagrelor", "prasugrel", "aspirin"]


@functools.cache
def shipped() -> KnowledgeBase:
    """The shipped knowledge base, loaded once per test session."""
    return load_knowledge()


def all_no_answers(
    kb: KnowledgeBase | None = None, treatments: tuple[str, ...] = ()
) -> dict[str, Any]:
    """An answer to every question that raises nothing: "no", none, never, skin type II.

    Questions asked only after a "yes" (cancer_types …) are left out, as the wizard would.
    With IV vitamin C among ``treatments``, the G6PD test is answered "normal".
    """
    kb = kb or shipped()
    answers: dict[str, Any] = {}
    if "iv_vitamin_c" in treatments:
        answers["g6pd_test_normal"] = "yes"
    for question in kb.questions:
        if question.asked_when is not None and question.id not in (
            "pregnant",
            "breastfeeding",
            "trying_to_conceive",
        ):
            continue
        answers[question.id] = {
            "yn": "no",
            "ynu": "no",
            "multi": [],
            "date": None,
            "one": "II",
            "text": "",
        }[question.type]
    return answers


def intake(
    treatment: str = "exosome",
    route: str | None = None,
    source: str | None = None,
    answers: dict[str, Any] | None = None,
    *,
    born: str = "1986-05-10",
    sex: str = "female",
    on: str = "2026-11-21",
    jurisdiction: str = "GB",
    qualification: str = "doctor",
    plan: str | None = None,
    lot_expiry: str | None = None,
    treatments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An intake in the exchange format: every answer "no" unless given in ``answers``."""
    entry: dict[str, Any] = {"id": treatment}
    if route is not None:
        entry["route"] = route
    if source is not None:
        entry["product_source"] = source
    if lot_expiry is not None:
        entry["lot_expiry"] = lot_expiry
    planned = treatments if treatments is not None else [entry]
    merged = all_no_answers(treatments=tuple(str(t.get("id")) for t in planned))
    merged.update(copy.deepcopy(answers or {}))
    if merged.get("g6pd_deficiency") != "no" and "g6pd_test_normal" not in (answers or {}):
        merged.pop("g6pd_test_normal", None)
    return {
        "patient": {"date_of_birth": born, "sex_at_birth": sex},
        "consultation_date": on,
        "jurisdiction": jurisdiction,
        "practitioner": {"qualification": qualification},
        "clinic": {"regenerative_medicine_plan": plan},
        "treatments": planned,
        "answers": merged,
    }


NEUTRAL: dict[str, Any] = {"jurisdiction": "JP", "plan": "JP-PLAN-1"}
"""Where no jurisdiction rule fires for a doctor: Japan, with a registered plan number."""


def run(data: dict[str, Any]) -> list[TreatmentResult]:
    """Screen an intake with the shipped rules.

    "Today" is the consultation date, so that boundary cases may lie in any year (the
    limit on future consultations is tested on its own).
    """
    kb = shipped()
    try:
        today: dt.date | None = dt.date.fromisoformat(data["consultation_date"])
    except (KeyError, TypeError, ValueError):
        today = None  # a bad date: parse_intake names it
    return list(screen(parse_intake(data, kb, today), kb).results)


def only(data: dict[str, Any]) -> TreatmentResult:
    """Screen an intake with one treatment and return its result."""
    (result,) = run(data)
    return result


def fired(result: TreatmentResult) -> dict[str, str]:
    """The rules that fired, with their severities."""
    return {finding.rule: finding.severity for finding in result.findings}


def cancer(types: list[str], status: str = "remission") -> dict[str, Any]:
    """Answers for a cancer history."""
    return {
        "cancer_history": "yes",
        "cancer_types": types,
        "cancer_status": status,
        "cancer_last_treatment_date": None,
    }


def autoimmune(status: str) -> dict[str, Any]:
    """Answers for an autoimmune disease."""
    return {
        "autoimmune_disease": "yes",
        "autoimmune_types": ["lupus"],
        "autoimmune_status": status,
    }
