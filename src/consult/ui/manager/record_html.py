"""A signed consent record as the record dialog shows it: its summary (who, what, when,
the hashes, the signatures and what happened after signing) and its findings (with the
overrides and the intake answers), as HTML for a text browser.

Kept apart from the dialog so that what a record says is read, and changed, in one place.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication

from consult.store.dto import RecordDetail
from consult.ui.widgets.formatting import knowledge_label, local_time
from consult.ui.widgets.words import outcome_text, state_text

_CONTEXT = "RecordDialog"  # the dialog's own translations


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def summary_html(d: RecordDetail) -> str:
    """The record at a glance, its signatures and its events after signing."""
    e = html.escape
    info = d.info
    product = d.product or {}
    rows = [
        (_tr("State"), state_text(info.state)),
        (_tr("Patient"), f"{d.patient.full_name}, born {d.patient.date_of_birth}"),
        (_tr("Contact"), ", ".join(p for p in (d.patient.phone, d.patient.email) if p)),
        (_tr("Practitioner"), d.practitioner_name),
        (_tr("Treatment"), f"{d.treatment_name} ({knowledge_label('route', d.route)})"),
        (
            _tr("Product and lot"),
            f"{product.get('name', '—')} — lot {product.get('lot', '—')}, "
            f"expires {product.get('expiry', '—')}"
            if product
            else "—",
        ),
        (_tr("Signed"), local_time(info.signed_at)),
        (_tr("Screening outcome"), outcome_text(info.outcome)),
        (_tr("Template version"), info.template_version),
        (_tr("Document hash"), info.document_sha256),
        (_tr("PDF hash"), info.pdf_sha256),
    ]
    body = "".join(
        f"<tr><th align='left' style='padding-right:12px'>{e(k)}</th><td>{e(str(v))}</td></tr>"
        for k, v in rows
    )
    signatures = "".join(
        f"<li>{e(s.name)} ({e(s.role)}"
        + (f", {e(knowledge_label('qualification', s.qualification))}" if s.qualification else "")
        + f"), {e(s.meaning)}, {e(s.signed_at)} — {s.points} {e(_tr('points'))}</li>"
        for s in d.signatures
    )
    events = (
        "".join(
            f"<li>{e(local_time(ev.at))}: <b>{e(_tr(ev.kind.replace('_', ' ')))}</b> by "
            f"{e(ev.user_name)}{' — ' + e(ev.reason) if ev.reason else ''}</li>"
            for ev in d.events
        )
        or f"<li>{e(_tr('None'))}</li>"
    )
    return (
        f"<table>{body}</table>"
        f"<h3>{e(_tr('Signatures'))}</h3><ul>{signatures}</ul>"
        f"<h3>{e(_tr('Events after signing'))}</h3><ul>{events}</ul>"
    )


def findings_html(d: RecordDetail) -> str:
    """What screening found, who overrode or acknowledged what, and the intake answers."""
    e = html.escape
    if not d.findings:
        text = e(_tr("Screening found nothing for this treatment."))
    else:
        items = []
        for f in d.findings:
            line = f"<p><b>{e(f.severity.capitalize())}</b> — {e(f.message)}"
            if f.decision == "justified":
                line += (
                    f"<br/><i>{e(_tr('Overridden by'))} {e(f.decided_by)} "
                    f"({e(f.decided_at)}):</i> {e(f.justification)}"
                )
            elif f.decision:
                line += f"<br/><i>{e(_tr('Acknowledged by'))} {e(f.decided_by)}</i>"
            items.append(line + "</p>")
        text = "".join(items)
    intake = "".join(
        f"<tr><td style='padding-right:12px'>{e(label)}</td><td>{e(answer)}</td></tr>"
        for label, answer in d.intake
    )
    return f"{text}<h3>{e(_tr('Intake answers'))}</h3><table>{intake}</table>"
