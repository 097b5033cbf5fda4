"""The intake as FHIR: a Questionnaire made from the knowledge base, and each record's
answers as a QuestionnaireResponse to it, typed.

The Questionnaire has one group per section of the intake and one item per question,
typed as the question is: a yes/no question is ``boolean``, a date ``date``, free text
``text``, and a question with set answers (one, several, or yes/no/not sure) ``choice``
with its answer options as Codings. Its ``version`` is a hash of its items, so two
exports made under knowledge bases that ask the same questions name the same version.

A response's answers are the record's answers as given (the consultation's answers,
which cannot change once a consent of it is signed), written as the types above:
``valueBoolean``, ``valueDate``, ``valueCoding``, ``valueString``; its items are the
questions the sealed form lists, with the wording it printed. An answer the knowledge
base in force cannot type (a question it no longer asks, a value it no longer offers)
keeps the form's printed text as ``valueString``, and is logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from consult.documents.fhir_base import Resource, coding, resource
from consult.domain.knowledge_model import KnowledgeBase, Question

_log = logging.getLogger(__name__)

QUESTIONNAIRE_URL = "urn:consult:questionnaire:intake"
ANSWER_SYSTEM = "urn:consult:intake-answer:{question}"
"""The code system of one question's set answers: the answer ids the knowledge base gives."""
YES_NO_UNSURE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0532"
"""HL7's expanded yes/no indicator, for the questions answered yes, no or not sure."""
_YES_NO_UNSURE = {
    "yes": ("Y", "Yes"),
    "no": ("N", "No"),
    "unsure": ("ASKU", "asked but unknown"),
}
_ITEM_TYPE = {
    "yn": "boolean",
    "ynu": "choice",
    "one": "choice",
    "multi": "choice",
    "date": "date",
    "text": "text",
}
_NOT_ANSWERED = ("", "—", "never", "none")
"""What the form prints for a question left unanswered (see ``answer_text``)."""


def group_link(section_id: str) -> str:
    """The linkId of a section's group: apart from the questions' (a section and a question
    may share an id, and a Questionnaire's linkIds must all differ)."""
    return f"section:{section_id}"


def _options(question: Question) -> list[dict[str, Any]] | None:
    if question.type == "ynu":
        return [
            {"valueCoding": coding(YES_NO_UNSURE_SYSTEM, code, display)}
            for code, display in _YES_NO_UNSURE.values()
        ]
    if question.type in ("one", "multi"):
        system = ANSWER_SYSTEM.format(question=question.id)
        return [
            {"valueCoding": coding(system, choice.id, choice.label)} for choice in question.values
        ]
    return None


def _item(question: Question) -> dict[str, Any]:
    item: dict[str, Any] = {
        "linkId": question.id,
        "text": question.label,
        "type": _ITEM_TYPE[question.type],
    }
    if question.type == "multi":
        item["repeats"] = True
    options = _options(question)
    if options:
        item["answerOption"] = options
    return item


class IntakeQuestionnaire:
    """The knowledge base's intake as a Questionnaire, and responses to it."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._section_of = {question.id: question.section for question in kb.questions}
        groups = []
        for section in kb.sections:
            items = [_item(q) for q in kb.questions if q.section == section.id]
            if items:
                groups.append(
                    {
                        "linkId": group_link(section.id),
                        "text": section.title,
                        "type": "group",
                        "item": items,
                    }
                )
        self._groups = groups
        digest = hashlib.sha256(
            json.dumps(groups, sort_keys=True, ensure_ascii=False).encode("utf-8")
        ).hexdigest()
        self.version = digest[:16]

    @property
    def canonical(self) -> str:
        """The Questionnaire's canonical URL with its version, as a response names it."""
        return f"{QUESTIONNAIRE_URL}|{self.version}"

    def questionnaire(self) -> Resource:
        """The Questionnaire resource."""
        return resource(
            "Questionnaire",
            url=QUESTIONNAIRE_URL,
            version=self.version,
            name="ConsultIntake",
            title="Consult intake questionnaire",
            status="active",
            subjectType=["Patient"],
            item=self._groups,
        )

    def response_items(
        self, summary: Sequence[Mapping[str, Any]], answers: Mapping[str, Any], number: str
    ) -> list[dict[str, Any]]:
        """The items of one record's response: the questions its form lists (``summary``,
        the sealed ``intake_summary``), grouped by section in questionnaire order, each
        with its typed answers; a question the knowledge base does not know comes last,
        outside any group, with its printed answer."""
        grouped: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        unknown: list[dict[str, Any]] = []
        for line in summary:
            question_id = str(line.get("question_id") or "")
            item: dict[str, Any] = {
                "linkId": question_id or "question",
                "text": str(line.get("label") or question_id or "question"),
            }
            printed = str(line.get("answer") or "").strip()
            section = self._section_of.get(question_id)
            if section is None:
                if printed not in _NOT_ANSWERED:
                    item["answer"] = [{"valueString": printed}]
                _log.warning(
                    "record %s: intake question %r is not in the knowledge base; its "
                    "printed answer is exported as text",
                    number,
                    question_id,
                )
                unknown.append(item)
                continue
            question = self._kb.question(question_id)
            typed = _typed(question, answers.get(question_id))
            if typed is None:
                _log.warning(
                    "record %s: the answer to %r does not fit the question as the "
                    "knowledge base asks it; exported as printed",
                    number,
                    question_id,
                )
                typed = [{"valueString": printed}] if printed not in _NOT_ANSWERED else []
            if typed:
                item["answer"] = typed
            grouped.setdefault(section, []).append((self._kb.question_order(question_id), item))
        items = []
        for part in self._kb.sections:
            if part.id in grouped:
                members = [item for _, item in sorted(grouped[part.id], key=lambda p: p[0])]
                items.append({"linkId": group_link(part.id), "text": part.title, "item": members})
        return items + unknown


def _typed(question: Question, value: Any) -> list[dict[str, Any]] | None:
    """The answers to ``question`` as FHIR typed values; [] for no answer; None when the
    value does not fit the question."""
    if value is None:
        return []
    if question.type == "yn":
        return [{"valueBoolean": value == "yes"}] if value in ("yes", "no") else None
    if question.type == "ynu":
        if value not in _YES_NO_UNSURE:
            return None
        code, display = _YES_NO_UNSURE[value]
        return [{"valueCoding": coding(YES_NO_UNSURE_SYSTEM, code, display)}]
    if question.type in ("one", "multi"):
        values = [value] if question.type == "one" else value
        if not isinstance(values, list | tuple):
            return None
        labels = {choice.id: choice.label for choice in question.values}
        if not all(isinstance(v, str) and v in labels for v in values):
            return None
        system = ANSWER_SYSTEM.format(question=question.id)
        return [{"valueCoding": coding(system, v, labels[v])} for v in values]
    if question.type == "date":
        if not isinstance(value, str):
            return None
        try:
            return [{"valueDate": dt.date.fromisoformat(value).isoformat()}]
        except ValueError:
            return None
    text = str(value).strip()
    return [{"valueString": text}] if text else []
