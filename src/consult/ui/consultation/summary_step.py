"""Step 4 of a consultation: what goes on to consent (product, lot and the decisions
made), and what is blocked and why.

A finished consultation's record (:mod:`consult.ui.consultation.record`) shows the same
summary, read-only.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.review import decision_for
from consult.store.dto import ConsultationInfo, ProductInfo
from consult.store.services import consultations as consultation_service
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
    decides against) and hand over the letter (:mod:`consult.ui.consultation.not_treated`).
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
        self.ready: list[str] = []
        self.ready_heading = self.tr("Going on to consent")
        self.blocked: list[str] = []

    def show_summary(
        self,
        info: ConsultationInfo,
        products: Mapping[int, ProductInfo],
    ) -> None:
        """Summarise ``info``: ready treatments with product and lot and decisions, and the
        blocked ones with why."""
        reviews = consultation_service.reviews(info)
        results = {
            r["treatment"]: r for r in (info.screening or {}).get("result", {}).get("results", [])
        }
        planned = {t["id"]: t for t in info.treatments}
        self.ready = [r.treatment for r in reviews if r.can_consent]
        self.blocked = [r.treatment for r in reviews if not r.can_consent]
        parts: list[str] = []
        if self.ready:
            parts.append("<h3>" + html.escape(self.ready_heading) + "</h3><ul>")
            for treatment in self.ready:
                entry = planned.get(treatment, {})
                product = products.get(int(entry.get("product_id", 0) or 0))
                lot = next(
                    (
                        lot
                        for lot in (product.lots if product else ())
                        if lot.id == entry.get("lot_id")
                    ),
                    None,
                )
                name = desk_text(self.texts.label("treatment", treatment))
                line = f"<li><b>{html.escape(name)}</b>"
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
                parts.append(line + "</li>")
            parts.append("</ul>")
        if self.blocked:
            parts.append(
                "<h3>" + html.escape(self.tr("Not going on to consent (blocked)")) + "</h3><ul>"
            )
            for review in reviews:
                if review.can_consent:
                    continue
                name = desk_text(self.texts.label("treatment", review.treatment))
                line = f"<li><b>{html.escape(name)}</b>"
                for finding in results.get(review.treatment, {}).get("findings", []):
                    if finding["rule"] in review.blocking:
                        line += "<br>✖ " + html.escape(
                            self.tr("Absolute contraindication: %1").replace(
                                "%1", desk_text(finding_message(self.texts, finding))
                            )
                        )
                parts.append(line + "</li>")
            parts.append("</ul>")
        self.text.setText("".join(parts))
        if self.state is not None:
            self.state.hide()
            self.state.deleteLater()
        if self.ready:
            self.state_text = self.tr("Ready for consent: %n treatment(s)", "", len(self.ready))
            style = STATUS_STYLE["ready"]
        else:
            self.state_text = self.tr(
                "Nothing can go on to consent in this consultation: every treatment is blocked."
            )
            style = STATUS_STYLE["blocked"]
        self.state = icon_text(style[0], self.state_text, style[2], self)
        self.state_holder.addWidget(self.state)
        self.not_treated_button.setVisible(bool(self.blocked or self.ready))

    def _source(self, source: str | None) -> str:
        """A product's source in the practitioner's language ("not applicable": none)."""
        if source is None:
            return product_source(self.kb, None)
        return desk_text(self.texts.label("product_source", source))
