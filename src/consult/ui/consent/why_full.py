"""Why a repeat visit needs the full consent, in the practitioner's words (issue 21).

The re-confirmation check (:func:`consult.store.services.reconfirmation.check`) names
each difference from the consented visit; this says them: the consent no longer valid
(and why), the answers the rules read that changed (by question), an age a rule tests
crossed, new or gone findings (by the rule's message), a new consent text, another
product. The consent dialog shows it above the consent, so that the practitioner can
tell the patient why they read and sign it all again.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.reconfirmation import Change, Difference


def _question(kb: KnowledgeBase, question_id: str) -> str:
    try:
        return kb.question(question_id).label
    except KeyError:
        return question_id


def _finding(kb: KnowledgeBase, rule_id: str) -> str:
    gone = rule_id.startswith("-")
    rule = rule_id.removeprefix("-")
    try:
        message = kb.rule(rule).message
    except KeyError:
        message = rule
    return (
        QCoreApplication.translate("WhyFullConsent", "no longer found: %1").replace("%1", message)
        if gone
        else message
    )


def reason(kb: KnowledgeBase, difference: Difference) -> str:
    """One difference, said."""
    items = difference.items
    change = difference.change
    if change == Change.NOT_VALID:
        state = items[0] if items else ""
        return {
            "expired": QCoreApplication.translate("WhyFullConsent", "the consent has expired"),
            "withdrawn": QCoreApplication.translate("WhyFullConsent", "the consent was withdrawn"),
            "voided": QCoreApplication.translate("WhyFullConsent", "the consent was voided"),
            "every_visit": QCoreApplication.translate(
                "WhyFullConsent", "this treatment is consented at every visit"
            ),
            "course_complete": QCoreApplication.translate(
                "WhyFullConsent", "every session of the course has been given"
            ),
        }.get(state, state)
    if change == Change.ANSWER:
        return QCoreApplication.translate(
            "WhyFullConsent", "changed answers the screening reads: %1"
        ).replace("%1", "; ".join(_question(kb, q) for q in items))
    if change == Change.AGE:
        return QCoreApplication.translate(
            "WhyFullConsent", "the patient has reached an age the screening tests (%1)"
        ).replace("%1", ", ".join(items))
    if change == Change.FINDINGS:
        return QCoreApplication.translate(
            "WhyFullConsent", "the screening finds something new: %1"
        ).replace("%1", "; ".join(_finding(kb, f) for f in items))
    if change == Change.TEMPLATE:
        return (
            QCoreApplication.translate(
                "WhyFullConsent", "the consent text is a new version (%1 → %2)"
            )
            .replace("%1", items[0] if items else "")
            .replace("%2", items[1] if len(items) > 1 else "")
        )
    if change == Change.PRODUCT:
        return QCoreApplication.translate("WhyFullConsent", "another product or route is planned")
    return QCoreApplication.translate("WhyFullConsent", "no consent for this treatment yet")


def why_full(kb: KnowledgeBase, differences: tuple[Difference, ...]) -> str:
    """The notice above a full consent at a repeat visit ("" at a first visit)."""
    said = [reason(kb, d) for d in differences if d.change != Change.NO_CONSENT]
    if not said:
        return ""
    return QCoreApplication.translate("WhyFullConsent", "A full consent is needed: %1.").replace(
        "%1", "; ".join(said)
    )
