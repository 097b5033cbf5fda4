"""The consent record's pure parts: sealing, signatures, and the readiness review."""

from __future__ import annotations

import json
import math

import pytest

from consult.domain.canonical import canonical_bytes, jcs_bytes, sha256_hex
from consult.domain.consent_document import (
    LEGACY_SCHEMA,
    SCHEMA,
    answer_text,
    canonical_form,
    check_sections_initialled,
    document_language,
    document_number,
    document_sha256,
    local_answer_text,
    seal,
)
from consult.domain.knowledge_model import Choice, Question
from consult.domain.knowledge_texts import KnowledgeTexts, LocalText
from consult.domain.review import (
    MIN_JUSTIFICATION,
    decision_for,
    decision_rule,
    justification_problem,
    review,
)
from consult.domain.signatures import (
    ink_length,
    signature_problem,
    signer_problem,
    signers_problem,
)


def line(n: int, dx: float, dy: float) -> list[dict[str, float]]:
    return [{"x": i * dx, "y": i * dy, "t": i * 10, "p": 0.5} for i in range(n)]


class TestSeal:
    def test_same_document_same_hash_whatever_the_key_order(self) -> None:
        a = seal({"schema": SCHEMA, "b": [1, 2], "a": {"é": "Zoë"}})
        b = seal({"a": {"é": "Zoë"}, "b": [1, 2], "schema": SCHEMA})
        assert a.canonical == b.canonical
        assert a.sha256 == b.sha256 == sha256_hex(jcs_bytes(a.document))
        assert a.sha256 == document_sha256(a.document) == document_sha256(json.loads(a.canonical))
        assert a.short_hash == a.sha256[:12]
        assert "Zoë".encode() in a.canonical  # UTF-8, not escaped

    def test_documents_are_sealed_by_rfc_8785(self) -> None:
        sealed = seal({"schema": SCHEMA, "x": 88.0, "big": 1e21, "zero": -0.0, "p": 0.1})
        assert SCHEMA == "consult.consent/2"
        assert sealed.canonical == (
            b'{"big":1e+21,"p":0.1,"schema":"consult.consent/2","x":88,"zero":0}'
        )
        assert sealed.sha256 == sha256_hex(sealed.canonical)
        assert sealed.document["x"] == 88.0  # the document itself is kept as given

    def test_each_schema_is_hashed_in_its_own_canonical_form(self) -> None:
        # Forms sealed before RFC 8785 keep the form and the hash they were sealed with.
        old = {"schema": LEGACY_SCHEMA, "x": 88.0, "n": "Zoë"}
        assert (
            canonical_form(old)
            == canonical_bytes(old)
            == '{"n":"Zoë","schema":"consult.consent/1","x":88.0}'.encode()
        )
        assert document_sha256(old) == sha256_hex(canonical_bytes(old))
        new = {**old, "schema": SCHEMA}
        assert canonical_form(new) == jcs_bytes(new)
        assert b'"x":88}' in canonical_form(new)
        assert document_sha256(new) != sha256_hex(canonical_bytes(new))
        # Read back from their stored text, both give their hash again.
        for document in (old, new):
            assert document_sha256(json.loads(canonical_form(document))) == (
                document_sha256(document)
            )

    @pytest.mark.parametrize(
        "document",
        [
            [],
            "consult.consent/2",
            {},
            {"schema": "consult.consent/3"},
            {"schema": ["consult.consent/2"]},
            {"schema": SCHEMA, "x": math.inf},
            {"schema": LEGACY_SCHEMA, "x": math.nan},
        ],
    )
    def test_a_document_of_no_known_schema_has_no_hash(self, document: object) -> None:
        with pytest.raises(ValueError):
            document_sha256(document)

    def test_a_document_that_would_not_read_back_as_sealed_is_refused(self) -> None:
        # RFC 8785 writes 2.0**68 as 295147905179352830000, which reads back as an integer
        # no double holds: verify (or an auditor's library) could not recompute the hash.
        with pytest.raises(ValueError, match="would not read back"):
            seal({"schema": SCHEMA, "x": 2.0**68})
        assert seal({"schema": SCHEMA, "x": 2.0**70}).canonical.endswith(
            b'"x":1.1805916207174113e+21}'
        )
        with pytest.raises(ValueError, match="2\\*\\*53"):
            seal({"schema": SCHEMA, "x": 2**70})

    def test_one_character_changes_the_hash(self) -> None:
        assert (
            seal({"schema": SCHEMA, "n": "Zoë"}).sha256
            != seal({"schema": SCHEMA, "n": "Zoe"}).sha256
        )

    def test_only_a_consent_document_can_be_sealed(self) -> None:
        with pytest.raises(ValueError, match="schema"):
            seal({"schema": "something else"})
        with pytest.raises(ValueError, match="schema"):
            seal({"schema": LEGACY_SCHEMA})  # nothing is sealed in the old form any more
        with pytest.raises(ValueError):
            seal({"schema": SCHEMA, "x": math.nan})

    def test_document_number(self) -> None:
        assert document_number(2026, 42, 2) == "C-2026-000042-2"

    def test_initials(self) -> None:
        assert check_sections_initialled([{"id": "a", "heading": "A", "initials": "ZL"}]) is None
        assert (
            check_sections_initialled(
                [{"id": "a", "heading": "A", "initials": "ZL"}, {"id": "b", "initials": "  "}]
            )
            == "b"
        )
        assert check_sections_initialled([{"id": "c", "heading": "Risks"}]) == "Risks"


class TestAnswerText:
    question = Question(
        id="q",
        type="multi",
        label="Q",
        section="s",
        values=(Choice("fish_oil", "Fish oil"), Choice("garlic", "Garlic")),
    )

    def test_labels_not_ids(self) -> None:
        assert answer_text(self.question, ["fish_oil", "garlic"]) == "Fish oil, Garlic"
        assert answer_text(self.question, []) == "none"
        assert answer_text(self.question, "garlic") == "Garlic"
        assert answer_text(self.question, "yes") == "yes"

    def test_yes_no_questions_read_as_words(self) -> None:
        pregnant = Question(id="pregnant", type="ynu", label="Pregnant?", section="s")
        assert [answer_text(pregnant, v) for v in ("yes", "no", "unsure")] == [
            "Yes",
            "No",
            "Not sure",
        ]

    def test_unanswered_and_never(self) -> None:
        assert answer_text(self.question, None) == "—"
        date_question = Question(id="d", type="date", label="D", section="s")
        assert answer_text(date_question, None) == "never"
        assert answer_text(date_question, "2026-01-02") == "2026-01-02"


# The knowledge base's texts in English and, for some of them, Japanese.
_SOURCE = {
    "questions.q.values.fish_oil.label": "Fish oil",
    "questions.q.values.garlic.label": "Garlic",
    "questions.c.values.cured.label": "Cured",
    "context.answers.yes.label": "Yes",
    "context.answers.none_of_these.label": "None of these",
    "context.answers.never.label": "Never",
}
_JA = {
    "questions.q.values.fish_oil.label": "魚油",
    "questions.q.values.garlic.label": "ニンニク",
    "questions.c.values.cured.label": "治癒",
    "context.answers.yes.label": "はい",
    "context.answers.none_of_these.label": "該当なし",
    "context.answers.never.label": "一度もない",
}


class TestLocalAnswerText:
    """An answer as the patient read it, in their language, marked where English stands
    in; in English exactly the printed answer."""

    multi = TestAnswerText.question
    one = Question(id="c", type="one", label="C", section="s", values=(Choice("cured", "Cured"),))
    yn = Question(id="pregnant", type="yn", label="P", section="s")
    date = Question(id="d", type="date", label="D", section="s")
    free = Question(id="t", type="text", label="T", section="s")

    def japanese(self, missing: tuple[str, ...] = ()) -> KnowledgeTexts:
        return KnowledgeTexts("ja", _SOURCE, {k: v for k, v in _JA.items() if k not in missing})

    def test_english_is_the_printed_answer(self) -> None:
        english = KnowledgeTexts("en", _SOURCE, _JA)
        assert local_answer_text(self.multi, ["garlic"], english) == LocalText("Garlic", True, "en")

    def test_every_kind_of_answer_in_japanese(self) -> None:
        ja = self.japanese()
        said = {
            "list": local_answer_text(self.multi, ["fish_oil", "garlic"], ja),
            "none": local_answer_text(self.multi, [], ja),
            "yes": local_answer_text(self.yn, "yes", ja),
            "one": local_answer_text(self.one, "cured", ja),
            "never": local_answer_text(self.date, None, ja),
            "unanswered": local_answer_text(self.yn, None, ja),
            "date": local_answer_text(self.date, "2026-01-02", ja),
            "own words": local_answer_text(self.free, "peanuts", ja),
        }
        assert {k: v.text for k, v in said.items()} == {
            "list": "魚油、ニンニク",
            "none": "該当なし",
            "yes": "はい",
            "one": "治癒",
            "never": "一度もない",
            "unanswered": "—",
            "date": "2026-01-02",
            "own words": "peanuts",
        }
        assert all(v.translated and v.language == "ja" for v in said.values())

    def test_an_english_part_marks_the_whole_answer(self) -> None:
        ja = self.japanese(missing=("questions.q.values.garlic.label",))
        mixed = local_answer_text(self.multi, ["fish_oil", "garlic"], ja)
        assert mixed == LocalText("魚油、Garlic", False, "ja")

    def test_other_languages_separate_with_a_comma(self) -> None:
        french = KnowledgeTexts("fr", _SOURCE, {})
        said = local_answer_text(self.multi, ["fish_oil", "garlic"], french)
        assert said == LocalText("Fish oil, Garlic", False, "fr")

    def test_a_record_names_its_language_or_is_english(self) -> None:
        assert document_language({"language": "ja"}) == "ja"
        assert document_language({}) == "en"
        assert document_language({"language": ""}) == "en"


def _signer(role: str, **fields: object) -> dict:
    return {"role": role, "name": "Mary Carter", "strokes": [line(30, 6, 2)], **fields}


class TestSigners:
    def test_each_role_with_what_it_must_say(self) -> None:
        assert signer_problem(_signer("guardian", relationship="Mother")) is None
        assert signer_problem(_signer("witness")) is None
        assert signer_problem(_signer("interpreter", language="ja")) is None

    @pytest.mark.parametrize(
        ("signer", "why"),
        [
            (_signer("friend"), "Unknown signer role"),
            ({**_signer("witness"), "name": "  "}, "printed name is required"),
            (_signer("guardian"), "relationship to the patient is required"),
            (_signer("interpreter", language=""), "interpreted into is required"),
            ({**_signer("witness"), "strokes": "scribble"}, "damaged"),
            ({**_signer("witness"), "strokes": [line(3, 1, 1)]}, "too small"),
        ],
    )
    def test_refused(self, signer, why) -> None:
        assert why in (signer_problem(signer) or "")

    def test_the_list_each_role_once(self) -> None:
        guardian = _signer("guardian", relationship="Mother")
        assert signers_problem([]) is None
        assert signers_problem([guardian, _signer("witness")]) is None
        assert "Only one guardian" in (signers_problem([guardian, guardian]) or "")
        assert "Unknown" in (signers_problem([guardian, _signer("friend")]) or "")


class TestSignature:
    def test_a_real_signature_passes(self) -> None:
        assert signature_problem([line(30, 6, 2)]) is None

    @pytest.mark.parametrize(
        ("strokes", "why"),
        [
            ([], "empty"),
            ([[]], "empty"),
            ([[{"x": 5, "y": 5, "t": 0, "p": 0.5}]], "too small"),  # a dot
            ([line(30, 1, 0.5)], "too small"),  # a short line
            ([line(7, 10, 10)], "too small"),  # too few points
            ([line(30, 6, 0)], "too small"),  # flat: no height
            ([line(30, 0, 6)], "too small"),  # a vertical stroke: no width
            ([[{"x": "a", "y": 1, "t": 0}]], "damaged"),
            ([[{"x": math.inf, "y": 1, "t": 0}]], "damaged"),
            ([[{"x": 1, "y": 1}]], "damaged"),
        ],
    )
    def test_refused(self, strokes, why) -> None:
        assert why in (signature_problem(strokes) or "")

    def test_ink_length(self) -> None:
        assert ink_length([line(3, 3, 4)]) == pytest.approx(10.0)
        assert ink_length([line(3, 3, 4), line(1, 1, 1)]) == pytest.approx(10.0)


def result(
    *findings: tuple[str, str], outcome: str = "relative", clarify: tuple[str, ...] = ()
) -> dict:
    return {
        "results": [
            {
                "treatment": "ha_filler",
                "outcome": outcome,
                "clarify": list(clarify),
                "findings": [{"rule": r, "severity": s} for r, s in findings],
            }
        ]
    }


def justified(rule: str, text: str) -> dict:
    return {"treatment": "ha_filler", "rule": rule, "kind": "justified", "justification": text}


class TestReview:
    def test_clear_is_ready(self) -> None:
        (item,) = review(result(outcome="clear"), [])
        assert item.status == "ready" and item.can_consent

    def test_absolute_blocks(self) -> None:
        (item,) = review(result(("a", "absolute"), ("r", "relative"), outcome="absolute"), [])
        assert item.status == "blocked" and item.blocking == ("a",) and not item.can_consent

    def test_an_absolute_finding_blocks_before_clarify(self) -> None:
        (item,) = review(result(("a", "absolute"), outcome="absolute", clarify=("pregnant",)), [])
        assert item.status == "blocked" and item.clarify == ("pregnant",)
        assert not item.can_consent

    def test_clarify_comes_before_relative_and_caution(self) -> None:
        (item,) = review(result(("a", "relative"), outcome="clarify", clarify=("pregnant",)), [])
        assert item.status == "clarify" and item.clarify == ("pregnant",)

    def test_relative_needs_a_long_enough_justification(self) -> None:
        found = result(("r", "relative"))
        assert review(found, [])[0].unjustified == ("r",)
        short = justified("r", "INR is checked" + "." * (MIN_JUSTIFICATION - 15))
        assert len(short["justification"]) == MIN_JUSTIFICATION - 1
        assert review(found, [short])[0].status == "needs_decision"
        long = justified("r", "  INR is checked today  ")
        assert review(found, [long])[0].status == "ready"
        acknowledged = {**long, "kind": "acknowledged"}
        assert review(found, [acknowledged])[0].status == "needs_decision"

    def test_caution_needs_acknowledging(self) -> None:
        found = result(("c", "caution"), outcome="caution")
        assert review(found, [])[0].unacknowledged == ("c",)
        ack = {"treatment": "ha_filler", "rule": "c", "kind": "acknowledged"}
        assert review(found, [ack])[0].status == "ready"

    def test_a_decision_counts_only_for_its_treatment_and_rule(self) -> None:
        found = result(("r", "relative"))
        other_treatment = {**justified("r", "x" * 30), "treatment": "prp"}
        other_rule = justified("q", "x" * 30)
        assert review(found, [other_treatment, other_rule])[0].status == "needs_decision"

    def test_the_latest_decision_counts(self) -> None:
        first, second = justified("r", "x" * 30), justified("r", "short")
        assert decision_for([first, second], "ha_filler", "r") is second
        assert decision_for([], "ha_filler", "r") is None
        assert review(result(("r", "relative")), [first, second])[0].status == "needs_decision"

    def test_no_results(self) -> None:
        assert review({}, []) == ()


class TestJustificationsSaySomething:
    @pytest.mark.parametrize(
        "text",
        [
            "",
            "too short",
            "x" * 40,
            "xxxxxxxxxx xxxxxxxxxx xxxxxxxxxx",
            "aaaaaaaaaaaa bbbbbbbbbbbbbbbbb",  # two words only
            "12345678901234567890 1234",
            "ab ab ab ab ab ab ab ab ab ab",
        ],
    )
    def test_refused(self, text: str) -> None:
        assert justification_problem(text) is not None

    @pytest.mark.parametrize(
        "text",
        [
            "INR 2.3 checked today; cannula and firm pressure for ten minutes.",
            "Oncologist agrees: breast cancer cured 2015, no recurrence.",
            "抗凝固薬は主治医と相談済み、圧迫止血を十分に行う。",
            "항응고제는 주치의와 상의함, 충분히 압박 지혈함",
        ],
    )
    def test_accepted(self, text: str) -> None:
        assert justification_problem(text) is None

    def test_a_repeated_character_does_not_justify(self) -> None:
        found = result(("r", "relative"))
        assert review(found, [justified("r", "x" * 30)])[0].status == "needs_decision"


class TestSameFinding:
    def test_a_finding_the_same_as_another_is_decided_with_it(self) -> None:
        found = {
            "results": [
                {
                    "treatment": "ha_filler",
                    "outcome": "relative",
                    "clarify": [],
                    "findings": [
                        {"rule": "a", "severity": "relative"},
                        {"rule": "b", "severity": "relative", "same_as": "a"},
                    ],
                }
            ]
        }
        (item,) = review(found, [])
        assert item.unjustified == ("a",)
        text = "Anticoagulant reviewed with the prescriber, pressure applied."
        (item,) = review(found, [justified("a", text)])
        assert item.status == "ready"
        assert decision_rule(found["results"][0]["findings"][1]) == "a"
        assert decision_rule(found["results"][0]["findings"][0]) == "a"
