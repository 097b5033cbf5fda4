"""Property tests: any valid intake screens without error, and the outcome is consistent."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.domain.errors import IntakeError
from consult.domain.intake import parse_intake
from consult.domain.knowledge_model import SEVERITY_RANK
from consult.domain.screening import screen
from tests.screening_support import shipped

KB = shipped()
DAY = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


@st.composite
def treatments(draw: st.DrawFn) -> dict[str, Any]:
    treatment = draw(st.sampled_from(KB.treatments))
    entry: dict[str, Any] = {"id": treatment.id}
    if len(treatment.routes) > 1 or draw(st.booleans()):
        entry["route"] = draw(st.sampled_from(treatment.routes))
    if treatment.product_sources and (len(treatment.product_sources) > 1 or draw(st.booleans())):
        entry["product_source"] = draw(st.sampled_from(treatment.product_sources))
    if draw(st.booleans()):
        entry["lot_expiry"] = draw(DAY).isoformat()
    return entry


def _answer(draw: st.DrawFn, question: Any) -> Any:
    if question.type == "multi":
        return draw(st.lists(st.sampled_from(question.value_ids), unique=True, max_size=3))
    if question.type == "date":
        return draw(st.none() | DAY.map(date.isoformat))
    if question.type == "text":
        return draw(st.text(max_size=10))
    # Lean towards "no" so that clear and single-finding outcomes are common too.
    values = list(question.value_ids)
    return draw(st.sampled_from(["no", *values] if "no" in values else values))


@st.composite
def intakes(draw: st.DrawFn) -> dict[str, Any]:
    consulted = draw(DAY)
    born = consulted - timedelta(days=draw(st.integers(min_value=0, max_value=100 * 366)))
    answers: dict[str, Any] = {}
    for question in KB.questions:
        presence = draw(st.sampled_from(["answer"] * 12 + ["missing", "null"]))
        if presence == "answer":
            answers[question.id] = _answer(draw, question)
        elif presence == "null":
            answers[question.id] = None
    data: dict[str, Any] = {
        "patient": {
            "date_of_birth": born.isoformat(),
            "sex_at_birth": draw(st.sampled_from([c.id for c in KB.sexes])),
        },
        "consultation_date": consulted.isoformat(),
        "jurisdiction": draw(st.sampled_from([c.id for c in KB.jurisdictions])),
        "practitioner": {"qualification": draw(st.sampled_from([c.id for c in KB.qualifications]))},
        "treatments": draw(st.lists(treatments(), min_size=1, max_size=4)),
        "answers": answers,
    }
    if draw(st.booleans()):
        data["clinic"] = {"regenerative_medicine_plan": draw(st.none() | st.text(max_size=8))}
    return data


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_valid_intakes_screen_and_outcome_matches_findings(data: dict[str, Any]) -> None:
    result = screen(parse_intake(data, KB), KB)
    assert len(result.results) == len(data["treatments"])
    question_ids = {q.id for q in KB.questions}
    for entry, planned in zip(result.results, data["treatments"], strict=True):
        assert entry.treatment == planned["id"]
        ranks = [SEVERITY_RANK[f.severity] for f in entry.findings]
        assert ranks == sorted(ranks, reverse=True)
        assert len({f.rule for f in entry.findings}) == len(entry.findings)
        assert set(entry.clarify) <= question_ids
        if entry.clarify:
            assert entry.outcome == "clarify"
        elif entry.findings:
            assert entry.outcome == entry.findings[0].severity
        else:
            assert entry.outcome == "clear"
    json.dumps(result.to_json())


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_every_missing_asked_answer_is_clarified(data: dict[str, Any]) -> None:
    result = screen(parse_intake(data, KB), KB)
    answers = data["answers"]
    for entry in result.results:
        for qid in entry.clarify:
            question = KB.question(qid)
            given_answer = answers.get(qid)
            missing = qid not in answers or (question.type != "date" and given_answer is None)
            unsure = given_answer == "unsure"
            blank_text = (
                question.type == "text"
                and isinstance(given_answer, str)
                and not given_answer.strip()
            )
            assert missing or unsure or blank_text


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def damaged(draw: st.DrawFn) -> Any:
    # A valid intake with one value somewhere replaced by arbitrary JSON.
    data = draw(intakes())
    paths: list[tuple[Any, Any]] = []

    def collect(node: Any) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            paths.append((node, key))
            if isinstance(value, dict | list):
                collect(value)

    collect(data)
    parent, key = draw(st.sampled_from(paths))
    parent[key] = draw(JSON)
    return data


@settings(max_examples=300, deadline=None)
@given(st.one_of(JSON, damaged()))
def test_any_json_either_screens_or_raises_intake_error(data: Any) -> None:
    try:
        intake = parse_intake(data, KB)
    except IntakeError as exc:
        assert exc.field and str(exc).startswith(exc.field + ": ")
        return
    screen(intake, KB)
