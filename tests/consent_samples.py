"""Sample sealed consent documents (``consult.consent/1``) for tests and benchmarks.

The consent text comes from the shipped templates through ``render_for``, so the
samples are the size and shape of a real form. ``sample_doc(language="ja")`` is the same
consent as a Japanese patient reads it: the template, the treatment's name, the questions
and the risk sentences from the shipped Japanese translations (the knowledge base's own),
each consent section flagged ``untranslated`` where English stands in.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.knowledge_texts import LocalText
from consult.knowledge.consent_templates import ConsentTemplate, load_templates, render_for
from consult.knowledge.loader import load_knowledge

ZOE = "Zoë Lefèvre"
GREEK = "Αλέξανδρος Παπαδόπουλος"
CYRILLIC = "Анна Кузнецова"
CJK = "山田 花子"
HANGUL = "김민준"
TRICKY = "Siobhán O'Brien <b>& Co</b>"

INTAKE = [
    ("pregnant", "Are you pregnant?", "No"),
    ("breastfeeding", "Are you breastfeeding?", "No"),
    ("trying_to_conceive", "Are you trying to conceive?", "No"),
    ("cancer_history", "Have you ever been diagnosed with cancer?", "No"),
    ("autoimmune_disease", "Do you have an autoimmune disease?", "Yes"),
    ("autoimmune_types", "Which autoimmune disease?", "Thyroid"),
    ("autoimmune_status", "Is it in a flare or controlled?", "Controlled"),
    ("immunosuppressed", "Is your immune system weakened?", "No"),
    ("anticoagulants", "Blood thinners or painkillers taken regularly", "Apixaban, aspirin"),
    ("bleeding_supplements", "Supplements that affect bleeding", "Fish oil"),
    ("bleeding_disorder", "Do you have a bleeding disorder?", "No"),
    ("allergies", "Allergies", "Latex, other"),
    ("allergies_other", "Other allergies", "Plasters (adhesive) <rash> & itching"),
    ("anaphylaxis_history", "Have you ever had anaphylaxis?", "No"),
    ("active_skin_infection", "Infection at or near the area", "No"),
    ("inflammatory_skin_flare", "Eczema, psoriasis, rosacea or acne flaring", "No"),
    ("cold_sore_history", "Do you get cold sores?", "Yes"),
    ("keloid_history", "Keloid or raised scars", "No"),
    ("recent_dental_or_vaccine", "Dental work or vaccination in the last 2 weeks", "No"),
    ("permanent_filler_in_area", "Permanent filler in the area", "No"),
    ("current_illness_or_fever", "Unwell or feverish today", "No"),
    ("smoker", "Do you smoke?", "No"),
    ("body_image_concern", "Worry a lot about the way you look", "No"),
]

FINDINGS = [
    {
        "rule": "filler-anticoagulant",
        "severity": "relative",
        "message": "Anticoagulant (apixaban): bruising and haematoma risk.",
        "patient_risk": (
            "Because you take a blood thinner, you are more likely to bruise or to have a "
            "collection of blood under the skin (haematoma)."
        ),
        "source": "Clinic policy: bruising, haematoma",
    },
    {
        "rule": "filler-autoimmune",
        "severity": "relative",
        "message": "Autoimmune disease (controlled): delayed inflammatory reactions.",
        "patient_risk": (
            "Because you have an autoimmune condition, a delayed swelling or lump reaction to "
            "the filler may be more likely."
        ),
        "source": "Product IFUs",
    },
    {
        "rule": "filler-antiplatelet",
        "severity": "caution",
        "message": "Antiplatelet, NSAID or bleeding supplement: bruising.",
        "patient_risk": "Aspirin and fish oil can make bruising more likely.",
        "source": "Clinic policy: bruising",
    },
    {
        "rule": "every-cold-sore",
        "severity": "absolute",
        "message": "Example absolute finding <with markup> & an ampersand.",
        "patient_risk": "",
        "source": "Test fixture",
    },
]

OVERRIDES = [
    {
        "rule": "filler-anticoagulant",
        "justification": (
            "Apixaban is not stopped for an elective procedure; cannula technique, "
            "pressure for 10 minutes, and the patient accepts the bruising risk."
        ),
        "by": "Dr Sofía Núñez (GMC 7654321)",
        "at": "2026-11-21T10:12:00Z",
    },
    {
        "rule": "filler-autoimmune",
        "justification": (
            "Thyroid disease stable for 5 years on levothyroxine; no previous filler reactions."
        ),
        "by": "Dr Sofía Núñez (GMC 7654321)",
        "at": "2026-11-21T10:13:30Z",
    },
]


def signature_strokes(seed: int, strokes: int = 4, points: int = 60) -> list[list[dict[str, Any]]]:
    """A deterministic, signature-like scribble on a 400 x 150 pad."""
    out: list[list[dict[str, Any]]] = []
    t = 0
    for s in range(strokes):
        stroke = []
        x0 = 30 + s * 85
        for i in range(points):
            u = i / (points - 1)
            x = x0 + 70 * u + 12 * math.sin(u * 9 + seed)
            y = 75 + 45 * math.sin(u * 7 + s + seed) * (1 - 0.5 * u)
            t += 8
            stroke.append(
                {"x": round(x, 1), "y": round(y, 1), "t": t, "p": round(0.4 + 0.4 * u, 2)}
            )
        out.append(stroke)
    out.append([{"x": 370.0, "y": 60.0, "t": t + 200, "p": 0.8}])  # a dot over an i
    return out


# The sample's answers as the Japanese form shows them (the patient's answers are the
# app's words for the values chosen, in the patient's language).
JA_ANSWERS = {
    "No": "いいえ",
    "Yes": "はい",
    "Thyroid": "甲状腺",
    "Controlled": "コントロールされている",
    "Apixaban, aspirin": "アピキサバン、アスピリン",
    "Fish oil": "魚油",
    "Latex, other": "ラテックス、その他",
    "Plasters (adhesive) <rash> & itching": "絆創膏（粘着剤）で <発疹> & かゆみ",
}
# The sample's findings by the shipped rules they stand for (where a sample's rule id
# is not a shipped one), for the Japanese risk sentences and messages.
_SHIPPED_RULES = {"filler-antiplatelet": "filler-antiplatelet-bruising"}


@functools.cache
def _shipped_knowledge() -> KnowledgeBase:
    return load_knowledge()


@functools.cache
def _shipped_templates() -> Mapping[str, ConsentTemplate]:
    # Parsed once per process: a fifth of a second each, and the samples only read them.
    return load_templates()


def sample_doc(
    *,
    name: str = ZOE,
    treatment: str = "ha_filler",
    jurisdiction: str = "GB",
    document_number: str = "C-2026-000123",
    findings: list[dict[str, Any]] | None = None,
    overrides: list[dict[str, Any]] | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """A complete sealed consent document: about three pages with two signatures.

    ``language`` other than English gives the document a patient of that language
    signs: its ``language``, and the patient-read texts in it from the shipped
    translations (the consent sections, title, treatment name, questions and risks).
    """
    findings = FINDINGS if findings is None else findings
    overrides = OVERRIDES if overrides is None else overrides
    if language != "en":
        findings = [_local_finding(f, language) for f in findings]
    template = _shipped_templates()[treatment]
    messages: dict[str, str | LocalText] = {f["rule"]: f["message"] for f in findings}
    risks: list[str | LocalText] = [
        f["patient_risk"] for f in findings if f["severity"] in ("caution", "relative")
    ]
    if language != "en":
        texts = _shipped_knowledge().texts(language)
        risks = [LocalText(r, True, language) for r in risks]
        messages = {rule: LocalText(m, True, language) for rule, m in messages.items()}
    sections = render_for(
        template,
        jurisdiction,
        risks,
        [(messages[o["rule"]], o["justification"]) for o in overrides],
        language=language,
    )
    initials = "".join(part[0] for part in name.split() if part)[:3] or "X"
    doc = _document(
        name, treatment, jurisdiction, document_number, findings, overrides, template, sections
    )
    if language != "en":
        doc["language"] = language
        doc["template"]["title"] = template.title_for(language).text
        doc["template"]["translation_version"] = template.translation_version(language)
        doc["treatment"]["name"] = texts.label("treatment", treatment).text
        doc["intake_summary"] = [
            {
                "question_id": q,
                "label": texts.question_label(q).text,
                "answer": JA_ANSWERS.get(answer, answer),
            }
            for q, _label, answer in INTAKE
        ]
    for section, rendered in zip(doc["template"]["sections"], sections, strict=True):
        section["initials"] = initials
        if rendered.untranslated:
            section["untranslated"] = True
    return doc


def _local_finding(finding: dict[str, Any], language: str) -> dict[str, Any]:
    """A sample finding with its patient_risk and message in ``language``."""
    texts = _shipped_knowledge().texts(language)
    rule = _SHIPPED_RULES.get(finding["rule"], finding["rule"])
    if not texts.has(f"rules.{rule}.patient_risk"):
        return finding
    local = dict(finding)
    if finding["patient_risk"]:
        local["patient_risk"] = texts.patient_risk(rule).text
    local["message"] = texts.message(rule).text
    return local


def _document(
    name: str,
    treatment: str,
    jurisdiction: str,
    document_number: str,
    findings: list[dict[str, Any]],
    overrides: list[dict[str, Any]],
    template: ConsentTemplate,
    sections: list[Any],
) -> dict[str, Any]:
    return {
        "schema": "consult.consent/1",
        "document_number": document_number,
        "clinic": {
            "name": "Harley Regenerative Clinic",
            "address": "12 Example Street, London W1G 9XX",
            "jurisdiction": jurisdiction,
            "regenerative_medicine_plan": "PB3123456" if jurisdiction == "JP" else None,
        },
        "patient": {
            "id": "P-000042",
            "full_name": name,
            "date_of_birth": "1990-04-02",
            "sex_at_birth": "female",
            "phone": "+44 20 7946 0000",
            "email": "patient@example.org",
        },
        "consultation": {
            "id": "K-2026-000456",
            "date": "2026-11-21",
            "rule_set_version": "rs-4f2a9c1b7d3e",
        },
        "treatment": {
            "id": treatment,
            "name": "Hyaluronic acid dermal filler",
            "route": "injection",
            "product": {
                "name": "Juvéderm Volbella with Lidocaine",
                "manufacturer": "Allergan Aesthetics",
                "source": "synthetic",
                "lot": "VB24A0193",
                "expiry": "2027-08-31",
                "supplier_accreditation": "MHRA-registered wholesaler WDA(H) 12345",
            },
        },
        "intake_summary": [
            {"question_id": q, "label": label, "answer": answer} for q, label, answer in INTAKE
        ],
        "findings": findings,
        "overrides": overrides,
        "template": {
            "id": template.id,
            "version": template.version,
            "title": template.title,
            "sections": [{"id": s.id, "heading": s.heading, "text": s.text} for s in sections],
        },
        "choices": {"photographs": True, "data_processing": False},
        "signatures": [
            {
                "role": "patient",
                "name": name,
                "qualification": None,
                "meaning": "consent given",
                "signed_at": "2026-11-21T10:31:00Z",
                "width": 400,
                "height": 150,
                "strokes": signature_strokes(1),
            },
            {
                "role": "practitioner",
                "name": "Dr Sofía Núñez",
                "qualification": "doctor",
                "meaning": "consent taken",
                "signed_at": "2026-11-21T10:32:10Z",
                "width": 400,
                "height": 150,
                "strokes": signature_strokes(2, strokes=3),
            },
        ],
        "signed_at": "2026-11-21T10:32:10Z",
    }


def doc_hash(doc: dict[str, Any]) -> str:
    """SHA-256 of the document's canonical JSON (the sealing hash)."""
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
