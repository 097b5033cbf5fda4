"""Step 4 of a consultation: what goes on to consent (product, lot and the decisions
made), and what is blocked and why; once some treatments are settled (a consent signed,
an outcome recorded), which are and how, and which still wait for consent.

A finished consultation's record (:mod:`consult.ui.consultation.record`) shows the same
summary, read-only.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.review import decision_for
from consult.store.dto import ConsultationInfo, ProductInfo
from consult.store.services import consultations as consultation_service
from consult.ui.consultation.standing import Standing, standing_of
from consult.ui.consultation.styles import (
    SEVERITY_STYLE,
    STATUS_STYLE,
    decided_at,
    icon_text,
    product_source,
    said,
    scrolled,
)
from consult.ui.consultation.worded import desk_text, finding_message
from consult.ui.shell.language import current_language
from consult.ui.widgets.basics import heading
from consult.ui.widgets.placeholders import fill


class SummaryPage(QWidget):
    """Step 4: what goes on to consent, and what is blocked.

    "Not treated: letter for the patient…" asks the wizard (:attr:`not_treated_requested`)
    to record that treatments are not given (the blocked ones, and any the practitioner
    decides against) and hand over the letter (:mod:`consult.ui.consultation.not_treated`);
    it is offered while a treatment is neither consented nor recorded, and no outcome is
    recorded yet (the services record one per consultation).
    """

    not_treated_requested = Signal()

    def __init__(self, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        # The summary is the practitioner's: in their interface language.
        self.texts = kb.texts(current_language())
        layout = QVBoxLayout(self)
        self.title = heading(self.tr("4. Summary"), self)
        layout.addWidget(self.title)
        self.state_holder = QVBoxLayout()
        layout.addLayout(self.state_holder)
        self.state: QWidget | None = None
        self.state_text = ""
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setAccessibleName(self.tr("Summary"))
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        layout.addWidget(scrolled(self.text, self), 1)
        self.not_treated_button = QPushButton(
            self.tr("Not treated: lett&er for the patient…"), self
        )
        self.not_treated_button.setAccessibleName(self.tr("Not treated: letter for the patient"))
        self.not_treated_button.setToolTip(
            self.tr(
                "Record that treatments are not given, and why, and print a letter for the "
                "patient in their language: what was found and what to do next."
            )
        )
        self.not_treated_button.clicked.connect(self.not_treated_requested)
        self.not_treated_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.not_treated_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.consented: list[str] = []  # signed or re-confirmed in this consultation
        self.not_treated: list[str] = []  # recorded as not given
        self.ready: list[str] = []  # still waiting for consent
        self.ready_heading = self.tr("Going on to consent")
        self.blocked: list[str] = []  # blocked, no outcome recorded for them yet
        self.offered: list[str] = []  # what the Not-treated letter can still record

    def show_summary(
        self,
        info: ConsultationInfo,
        products: Mapping[int, ProductInfo],
        standing: Standing | None = None,
    ) -> None:
        """Summarise ``info``: what is consented, what was recorded as not treated and
        why, what waits for consent (with product, lot and decisions) and what is blocked
        and why. ``standing`` is where its treatments stand as read from the database
        (:func:`~consult.ui.consultation.standing.read_standing`); without it, nothing
        is settled but what the screening blocks (a consultation read for its record)."""
        if standing is None:
            standing = standing_of(info)
        settled = standing.settlement
        reviews = {r.treatment: r for r in consultation_service.reviews(info)}
        results = {
            r["treatment"]: r for r in (info.screening or {}).get("result", {}).get("results", [])
        }
        self.consented = list(settled.consented)
        self.not_treated = list(settled.not_treated)
        self.ready = [t for t in settled.pending if t in reviews and reviews[t].can_consent]
        self.blocked = list(settled.blocked)
        # What the Not-treated letter can still record: neither consented nor recorded.
        self.offered = (self.blocked + self.ready) if standing.outcome_recordable else []
        parts: list[str] = []
        # What the practitioner acts on first, then what is settled.
        if self.ready:
            heading_ = self.ready_heading
            if self.consented or self.not_treated:
                heading_ = self.tr("Still waiting for consent")
            parts.append(self._section(heading_))
            parts.extend(
                self._item(t, self._ready_details(info, products, t, results)) for t in self.ready
            )
            parts.append("</ul>")
        if self.consented:
            parts.append(self._section(self.tr("Consented")))
            for treatment in self.consented:
                how = (
                    self.tr("Consent re-confirmed at this visit")
                    if treatment in standing.reconfirmed
                    else self.tr("Consent signed")
                )
                parts.append(self._item(treatment, "<br>✔ " + html.escape(how)))
            parts.append("</ul>")
        if self.not_treated:
            parts.append(self._section(self.tr("Recorded as not treated")))
            parts.extend(
                self._item(t, self._not_treated_details(standing, t, results))
                for t in self.not_treated
            )
            parts.append("</ul>")
        if self.blocked:
            parts.append(self._section(self.tr("Not going on to consent (blocked)")))
            for treatment in self.blocked:
                blocking = reviews[treatment].blocking if treatment in reviews else ()
                parts.append(self._item(treatment, self._blocks(treatment, blocking, results)))
            parts.append("</ul>")
        self.text.setText("".join(parts))
        if self.state is not None:
            self.state.hide()
            self.state.deleteLater()
        if self.ready:
            self.state_text = self.tr("Ready for consent: %n treatment(s)", "", len(self.ready))
            style = STATUS_STYLE["ready"]
        elif self.consented or self.not_treated:
            self.state_text = self.tr(
                "Nothing is left to go on to consent: every treatment is consented or "
                "recorded as not treated."
            )
            style = STATUS_STYLE["ready"]
        else:
            self.state_text = self.tr(
                "Nothing can go on to consent in this consultation: every treatment is blocked."
            )
            style = STATUS_STYLE["blocked"]
        self.state = icon_text(style[0], self.state_text, style[2], self)
        self.state_holder.addWidget(self.state)
        self.not_treated_button.setVisible(bool(self.offered))

    @staticmethod
    def _section(title: str) -> str:
        return "<h3>" + html.escape(title) + "</h3><ul>"

    def _item(self, treatment: str, details: str) -> str:
        """One treatment of a section: its name in bold, then ``details`` (markup)."""
        name = desk_text(self.texts.label("treatment", treatment))
        return f"<li><b>{html.escape(name)}</b>{details}</li>"

    def _ready_details(
        self,
        info: ConsultationInfo,
        products: Mapping[int, ProductInfo],
        treatment: str,
        results: Mapping[str, Mapping[str, Any]],
    ) -> str:
        """A treatment waiting for consent: its product and lot, and the decisions made
        on its findings."""
        entry = next((t for t in info.treatments if t["id"] == treatment), {})
        product = products.get(int(entry.get("product_id", 0) or 0))
        lot = next(
            (lot for lot in (product.lots if product else ()) if lot.id == entry.get("lot_id")),
            None,
        )
        line = ""
        if product is not None:
            line += "<br>" + html.escape(
                fill(
                    self.tr("Product: %1 (%2), source: %3"),
                    product.name,
                    product.manufacturer,
                    self._source(product.source),
                )
            )
        if lot is not None:
            line += "<br>" + html.escape(
                fill(
                    self.tr("Lot %1, expires %2; supplier %3 (%4)"),
                    lot.lot_number,
                    lot.expiry_date.isoformat(),
                    lot.supplier,
                    lot.supplier_accreditation,
                )
            )
        for finding in results.get(treatment, {}).get("findings", []):
            decision = decision_for(info.overrides, treatment, finding["rule"])
            if decision is None:
                continue
            words = SEVERITY_STYLE[finding["severity"]][1]
            if decision.get("kind") == "justified":
                detail = fill(
                    self.tr("%1: %2. Justified by %3 on %4: “%5”"),
                    said(words),
                    desk_text(finding_message(self.texts, finding)).rstrip("."),
                    decision.get("by_name"),
                    decided_at(str(decision.get("at"))),
                    decision.get("justification"),
                )
            else:
                detail = fill(
                    self.tr("%1: %2. Acknowledged by %3 on %4"),
                    said(words),
                    desk_text(finding_message(self.texts, finding)).rstrip("."),
                    decision.get("by_name"),
                    decided_at(str(decision.get("at"))),
                )
            line += "<br>• " + html.escape(detail)
        return line

    def _blocks(
        self,
        treatment: str,
        rules: Collection[str],
        results: Mapping[str, Mapping[str, Any]],
    ) -> str:
        """The absolute findings (``rules``) that block ``treatment``, one a line."""
        return "".join(
            "<br>✖ "
            + html.escape(
                self.tr("Absolute contraindication: %1").replace(
                    "%1", desk_text(finding_message(self.texts, finding))
                )
            )
            for finding in results.get(treatment, {}).get("findings", [])
            if finding["rule"] in rules
        )

    def _not_treated_details(
        self, standing: Standing, treatment: str, results: Mapping[str, Mapping[str, Any]]
    ) -> str:
        """Why a treatment recorded as not treated was not given: the absolute findings
        that blocked it, or the practitioner's decision and their note."""
        entry = standing.not_given(treatment)
        if entry is not None and entry.blocked:
            return self._blocks(treatment, entry.findings, results)
        reason = standing.outcome.reason.strip() if standing.outcome is not None else ""
        if reason:
            return "<br>✖ " + html.escape(
                fill(self.tr("Not given: the practitioner's decision: “%1”"), reason)
            )
        return "<br>✖ " + html.escape(self.tr("Not given: the practitioner's decision"))

    def _source(self, source: str | None) -> str:
        """A product's source in the practitioner's language ("not applicable": none)."""
        if source is None:
            return product_source(self.kb, None)
        return desk_text(self.texts.label("product_source", source))
