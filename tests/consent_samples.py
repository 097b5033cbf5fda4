"""Sample sealed consent documents (``consult.consent/1``) for tests and benchmarks.

The consent text comes from the shipped templates through ``render_for``, so the
samples are the size and shape of a real form.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

from consult.knowledge.consent_templates import ConsentTemplate, load_templates, render_for

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
) -> dict[str, Any]:
    """A complete sealed consent document: about three pages with two signatures."""
    findings = FINDINGS if findings is None else findings
    overrides = OVERRIDES if overrides is None else overrides
    template = _shipped_templates()[treatment]
    messages = {f["rule"]: f["message"] for f in findings}
    sections = render_for(
        template,
        jurisdiction,
        [f["patient_risk"] for f in findings if f["severity"] in ("caution", "relative")],
        [(messages[o["rule"]], o["justification"]) for o in overrides],
    )
    initials = "".join(part[0] for part in name.split() if part)[:3] or "X"
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
            "sections": [
                {"id": s.id, "heading": s.heading, "text": s.text, "initials": initials}
                for s in sections
            ],
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
