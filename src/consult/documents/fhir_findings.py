"""The screening's findings as FHIR DetectedIssues, one for every finding on the form.

Each names the rule that found it (Consult's rule id), says what was found, and carries
its severity in FHIR's words: an absolute contraindication is ``high``, a relative one
``moderate``, a caution ``low``. When the practitioner went ahead, the decision is the
issue's mitigation: a relative contraindication overridden with a clinical
justification (quoted), a caution acknowledged. The issue implicates the Consent and
the Procedure it was found for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from consult.documents.fhir_base import (
    DECISION_SYSTEM,
    RULE_SYSTEM,
    Ids,
    Resource,
    coding,
    instant,
    ref,
    resource,
    utc,
)
from consult.domain.states import ConsentState

SEVERITY: Mapping[str, str] = {"absolute": "high", "relative": "moderate", "caution": "low"}
"""A finding's severity as FHIR's DetectedIssue says it."""


def _mitigation(
    decision: Mapping[str, Any], practitioner_url: str, signed_at: dt.datetime
) -> dict[str, Any]:
    why = str(decision.get("justification") or "").strip()
    justified = decision.get("kind") == "justified"
    mitigation: dict[str, Any] = {
        "action": {
            "coding": [coding(DECISION_SYSTEM, str(decision.get("kind")))],
            "text": (
                f"Overridden with a clinical justification: {why}"
                if justified and why
                else "Risk acknowledged by the practitioner"
            ),
        },
    }
    if decision.get("at"):
        mitigation["date"] = instant(decision["at"], signed_at)
    mitigation["author"] = ref(practitioner_url, str(decision.get("by") or "") or None)
    return mitigation


def detected_issues(
    doc: Mapping[str, Any],
    *,
    state: str,
    signed_at: dt.datetime,
    urls: Mapping[str, str],
    ids: Ids,
) -> list[tuple[str, Resource]]:
    """One DetectedIssue per finding of the sealed document; ``urls`` the fullUrls of its
    ``patient``, ``practitioner``, ``consent`` and ``procedure``."""
    number = str(doc["document_number"])
    decisions = {str(d.get("rule")): d for d in doc.get("overrides", [])}
    out = []
    for index, finding in enumerate(doc.get("findings", []), start=1):
        rule = str(finding.get("rule") or f"finding-{index}")
        decision = decisions.get(rule)
        body = resource(
            "DetectedIssue",
            status="entered-in-error" if state == ConsentState.VOIDED else "final",
            code={"coding": [coding(RULE_SYSTEM, rule)], "text": rule},
            severity=SEVERITY.get(str(finding.get("severity")), "low"),
            patient=ref(urls["patient"]),
            identifiedDateTime=utc(signed_at),
            author=ref(urls["practitioner"]),
            implicated=[ref(urls["consent"]), ref(urls["procedure"])],
            detail=str(finding["message"]) if finding.get("message") else None,
            mitigation=(
                [_mitigation(decision, urls["practitioner"], signed_at)] if decision else None
            ),
        )
        out.append((ids.url("detected-issue", f"{number}:{rule}"), body))
    return out
