"""A signed consent record as the record dialog shows it: its summary (who, what, when,
the hashes, the signatures and what happened after signing) and its findings (with the
overrides and the intake answers), as HTML for a text browser.

Kept apart from the dialog so that what a record says is read, and changed, in one place.
Its words are the record dialog's (the "RecordDialog" translation context).
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QCoreApplication

from consult.store.dto import FindingLine, RecordDetail
from consult.ui.consultation.worded import desk_text, finding_message
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.language import current_language
from consult.ui.widgets.formatting import knowledge_label, local_time, treatment_name
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.words import (
    QT_TRANSLATE_NOOP,
    event_text,
    outcome_text,
    severity_text,
    state_text,
)

_SIGNER_WORDS = {
    "patient": QT_TRANSLATE_NOOP("RecordDialog", "patient"),
    "practitioner": QT_TRANSLATE_NOOP("RecordDialog", "practitioner"),
    "consent given": QT_TRANSLATE_NOOP("RecordDialog", "consent given"),
    "consent taken": QT_TRANSLATE_NOOP("RecordDialog", "consent taken"),
}
"""Who signed and what their signature means, as the sealed record stores them
(:func:`consult.store.services.consents.sign`), in the dialog's words."""


def _said(value: str) -> str:
    words = _SIGNER_WORDS.get(value)
    return QCoreApplication.translate("RecordDialog", words) if words else value


def _signed_at(stamp: str) -> str:
    """A time as the record stores it (ISO 8601, UTC), on the desk's clock."""
    try:
        return local_time(dt.datetime.fromisoformat(stamp))
    except ValueError:
        return stamp


def _finding_text(finding: FindingLine) -> str:
    """A finding's message in the desk's language (the rule's translated message, or the
    stored English marked untranslated), as the screening step shows it."""
    texts = knowledge().texts(current_language())
    return desk_text(finding_message(texts, {"rule": finding.rule, "message": finding.message}))


def _product_text(product: dict[str, object]) -> str:
    if not product:
        return "—"
    return fill(
        QCoreApplication.translate("RecordDialog", "%1 — lot %2, expires %3"),
        product.get("name", "—"),
        product.get("lot", "—"),
        product.get("expiry", "—"),
    )


def summary_html(d: RecordDetail) -> str:
    """The record at a glance, its signatures and its events after signing."""
    e = html.escape
    info = d.info
    born = QCoreApplication.translate("RecordDialog", "%1, born %2")
    rows = [
        (QCoreApplication.translate("RecordDialog", "State"), state_text(info.state)),
        (
            QCoreApplication.translate("RecordDialog", "Patient"),
            fill(born, d.patient.full_name, d.patient.date_of_birth),
        ),
        (
            QCoreApplication.translate("RecordDialog", "Contact"),
            ", ".join(p for p in (d.patient.phone, d.patient.email) if p),
        ),
        (QCoreApplication.translate("RecordDialog", "Practitioner"), d.practitioner_name),
        (
            QCoreApplication.translate("RecordDialog", "Treatment"),
            # The desk's names (the sealed record keeps those the patient read).
            f"{treatment_name(d.info.treatment_id)} ({knowledge_label('route', d.route)})",
        ),
        (
            QCoreApplication.translate("RecordDialog", "Product and lot"),
            _product_text(d.product or {}),
        ),
        (QCoreApplication.translate("RecordDialog", "Signed"), local_time(info.signed_at)),
        (
            QCoreApplication.translate("RecordDialog", "Screening outcome"),
            outcome_text(info.outcome),
        ),
        (QCoreApplication.translate("RecordDialog", "Template version"), info.template_version),
        (QCoreApplication.translate("RecordDialog", "Document hash"), info.document_sha256),
        (QCoreApplication.translate("RecordDialog", "PDF hash"), info.pdf_sha256),
    ]
    body = "".join(
        f"<tr><th align='left' style='padding-right:12px'>{e(k)}</th><td>{e(str(v))}</td></tr>"
        for k, v in rows
    )
    points = QCoreApplication.translate("RecordDialog", "%1 points")
    signatures = "".join(
        f"<li>{e(s.name)} ({e(_said(s.role))}"
        + (f", {e(knowledge_label('qualification', s.qualification))}" if s.qualification else "")
        + f"), {e(_said(s.meaning))}, {e(_signed_at(s.signed_at))} — "
        + f"{e(points.replace('%1', str(s.points)))}</li>"
        for s in d.signatures
    )
    by = QCoreApplication.translate("RecordDialog", "<b>%1</b> by %2")
    events = (
        "".join(
            f"<li>{e(local_time(ev.at))}: "
            + fill(by, e(event_text(ev.kind)), e(ev.user_name))
            + f"{' — ' + e(ev.reason) if ev.reason else ''}</li>"
            for ev in d.events
        )
        or "<li>" + e(QCoreApplication.translate("RecordDialog", "None")) + "</li>"
    )
    # Translated outside the f-string: lupdate does not read inside one.
    signatures_heading = e(QCoreApplication.translate("RecordDialog", "Signatures"))
    events_heading = e(QCoreApplication.translate("RecordDialog", "Events after signing"))
    return (
        f"<table>{body}</table>"
        f"<h3>{signatures_heading}</h3><ul>{signatures}</ul>"
        f"<h3>{events_heading}</h3><ul>{events}</ul>"
    )


def findings_html(d: RecordDetail) -> str:
    """What screening found, who overrode or acknowledged what, and the intake answers."""
    e = html.escape
    if not d.findings:
        text = e(
            QCoreApplication.translate(
                "RecordDialog", "Screening found nothing for this treatment."
            )
        )
    else:
        items = []
        for f in d.findings:
            line = f"<p><b>{e(severity_text(f.severity))}</b> — {e(_finding_text(f))}"
            if f.decision == "justified":
                overridden = QCoreApplication.translate("RecordDialog", "Overridden by %1 (%2):")
                line += (
                    "<br/><i>"
                    + e(fill(overridden, f.decided_by, _signed_at(f.decided_at)))
                    + f"</i> {e(f.justification)}"
                )
            elif f.decision:
                acknowledged = QCoreApplication.translate("RecordDialog", "Acknowledged by %1")
                line += f"<br/><i>{e(acknowledged.replace('%1', f.decided_by))}</i>"
            items.append(line + "</p>")
        text = "".join(items)
    intake = "".join(
        f"<tr><td style='padding-right:12px'>{e(label)}</td><td>{e(answer)}</td></tr>"
        for label, answer in d.intake
    )
    heading = e(QCoreApplication.translate("RecordDialog", "Intake answers"))
    return f"{text}<h3>{heading}</h3><table>{intake}</table>"
