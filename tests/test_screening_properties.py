"""Property tests: any valid intake screens without error, the outcome follows the
precedence absolute > clarify > relative > caution > clear, and "unsure" is read as the
second edition says."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.domain.errors import IntakeError
from consult.domain.intake import asked_questions, parse_intake
from consult.domain.knowledge_model import SEVERITY_RANK
from consult.domain.screening import screen
from tests.screening_support import shipped

KB = shipped()
DAY = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


@st.composite
def treatments(draw: st.DrawFn) -> list[dict[str, Any]]:
    """One to four planned treatments, never the same treatment by the same route twice."""
    planned: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        treatment = draw(st.sampled_from(KB.treatments))
        route = draw(st.sampled_from(treatment.routes))
        if (treatment.id, route) in seen:
            continue
        seen.add((treatment.id, route))
        entry: dict[str, Any] = {"id": treatment.id}
        if len(treatment.routes) > 1 or draw(st.booleans()):
            entry["route"] = route
        if treatment.product_sources and (
            len(treatment.product_sources) > 1 or draw(st.booleans())
        ):
            entry["product_source"] = draw(st.sampled_from(treatment.product_sources))
        if draw(st.booleans()):
            entry["lot_expiry"] = draw(DAY).isoformat()
        planned.append(entry)
    return planned


def _answer(draw: st.DrawFn, question: Any, born: date, consulted: date) -> Any:
    if question.type == "multi":
        return draw(st.lists(st.sampled_from(question.value_ids), unique=True, max_size=3))
    if question.type == "date":
        span = (consulted - born).days
        return draw(
            st.none()
            | st.integers(min_value=0, max_value=span).map(
                lambda days: (consulted - timedelta(days=days)).isoformat()
            )
        )
    if question.type == "text":
        return draw(st.text(max_size=10))
    # Lean towards "no" so that clear and single-finding outcomes are common too.
    values = list(question.value_ids)
    return draw(st.sampled_from(["no", "no", *values] if "no" in values else values))


@st.composite
def intakes(draw: st.DrawFn) -> dict[str, Any]:
    """A valid intake: only questions that are asked are answered (some left missing)."""
    consulted = draw(DAY)
    born = consulted - timedelta(days=draw(st.integers(min_value=0, max_value=100 * 366)))
    sex = draw(st.sampled_from([c.id for c in KB.sexes]))
    planned = draw(treatments())
    ids = [entry["id"] for entry in planned]
    answers: dict[str, Any] = {}
    for question in KB.questions:
        # asked_when reads only earlier questions, so the answers so far decide this one.
        if question.id not in {q.id for q in asked_questions(answers, sex, KB, ids)}:
            continue
        presence = draw(st.sampled_from(["answer"] * 12 + ["missing", "null"]))
        if presence == "answer":
            answers[question.id] = _answer(draw, question, born, consulted)
        elif presence == "null":
            answers[question.id] = None
    data: dict[str, Any] = {
        "patient": {"date_of_birth": born.isoformat(), "sex_at_birth": sex},
        "consultation_date": consulted.isoformat(),
        "jurisdiction": draw(st.sampled_from([c.id for c in KB.jurisdictions])),
        "practitioner": {"qualification": draw(st.sampled_from([c.id for c in KB.qualifications]))},
        "treatments": planned,
        "answers": answers,
    }
    if draw(st.booleans()):
        data["clinic"] = {"regenerative_medicine_plan": draw(st.none() | st.text(max_size=8))}
    return data


def screened(data: dict[str, Any]) -> Any:
    return screen(parse_intake(data, KB, date.fromisoformat(data["consultation_date"])), KB)


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_valid_intakes_screen_and_the_outcome_follows_the_precedence(data: dict[str, Any]) -> None:
    """absolute > clarify > relative > caution > clear, with the clarify list kept."""
    result = screened(data)
    assert len(result.results) == len(data["treatments"])
    question_ids = {q.id for q in KB.questions}
    for entry, planned in zip(result.results, data["treatments"], strict=True):
        assert entry.treatment == planned["id"]
        ranks = [SEVERITY_RANK[f.severity] for f in entry.findings]
        assert ranks == sorted(ranks, reverse=True)
        assert len({f.rule for f in entry.findings}) == len(entry.findings)
        assert set(entry.clarify) <= question_ids
        severities = {f.severity for f in entry.findings}
        if "absolute" in severities:
            assert entry.outcome == "absolute"
        elif entry.clarify:
            assert entry.outcome == "clarify"
        elif entry.findings:
            assert entry.outcome == entry.findings[0].severity
        else:
            assert entry.outcome == "clear"
    json.dumps(result.to_json())


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_every_clarify_is_a_missing_answer_or_an_unsure_one(data: dict[str, Any]) -> None:
    result = screened(data)
    answers = data["answers"]
    for entry in result.results:
        for qid in entry.clarify:
            question = KB.question(qid)
            assert question.asked_for_treatment(entry.treatment)
            given_answer = answers.get(qid)
            missing = qid not in answers or (question.type != "date" and given_answer is None)
            unsure = given_answer == "unsure"
            blank_text = (
                question.type == "text"
                and isinstance(given_answer, str)
                and not given_answer.strip()
            )
            assert missing or unsure or blank_text


def _as_yes(data: dict[str, Any], question_id: str) -> list[dict[str, Any]]:
    """The intake with "yes" instead of "unsure", and each way the questions "yes" opens
    (one-value follow-ups) could then be answered."""
    base = json.loads(json.dumps(data))
    base["answers"][question_id] = "yes"
    variants = [base]
    for follow_up in sorted(KB.follow_ups(question_id)):
        question = KB.question(follow_up)
        if question.type != "one":
            continue
        for value in question.value_ids:
            variant = json.loads(json.dumps(base))
            variant["answers"][follow_up] = value
            variants.append(variant)
    return variants


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_unsure_is_clarify_exactly_where_yes_could_be_absolute(data: dict[str, Any]) -> None:
    """An "unsure" answer is to clarify where "yes" could give an absolute finding; else it
    gives the findings "yes" gives, marked as unsure."""
    result = screened(data)
    unsure = [qid for qid, value in data["answers"].items() if value == "unsure"]
    for qid in unsure:
        reach = KB.follow_ups(qid) | {qid}
        yes_results = [screened(variant) for variant in _as_yes(data, qid)]
        for index, entry in enumerate(result.results):
            if not KB.question(qid).asked_for_treatment(entry.treatment):
                continue
            if_yes = [r.results[index] for r in yes_results]
            could_be_absolute = any(
                f.severity == "absolute" and KB.rule(f.rule).condition.questions() & reach
                for r in if_yes
                for f in r.findings
            )
            assert (qid in entry.clarify) == could_be_absolute, (qid, entry.treatment)
            if could_be_absolute:
                continue
            # "yes" gives nothing absolute: every finding it gives is there already.
            mine = {f.rule for f in entry.findings}
            assert {f.rule for f in if_yes[0].findings} <= mine, (qid, entry.treatment)
            for finding in entry.findings:
                if finding.rule not in {f.rule for f in screened_without(data, qid, index)}:
                    assert "unsure" in finding.message


def screened_without(data: dict[str, Any], question_id: str, index: int) -> tuple[Any, ...]:
    """The findings with the unsure answer read as "no" (what it adds is marked unsure)."""
    variant = json.loads(json.dumps(data))
    variant["answers"][question_id] = "no"
    # A follow-up of "no" may now be asked (g6pd_test_normal): leave it unanswered.
    return screened(variant).results[index].findings


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
        intake = parse_intake(data, KB, date(2026, 12, 1))
    except IntakeError as exc:
        assert exc.field and str(exc).startswith(exc.field + ": ")
        return
    screen(intake, KB)
