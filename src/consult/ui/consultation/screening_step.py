"""Step 3 of a consultation: the screening of each planned treatment, its findings, and
the practitioner's decisions on them.

Each treatment shows where it stands (by icon, words and tone) and each finding its
severity, message and source; a relative contraindication takes a written clinical
justification, a caution an acknowledgement, and an absolute one blocks the treatment.
The page only shows and asks: the wizard records the decisions (:attr:`decided`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.knowledge_texts import KnowledgeTexts
from consult.domain.review import (
    MIN_JUSTIFICATION,
    TreatmentReview,
    decision_for,
    justification_problem,
)
from consult.store.dto import ConsultationInfo
from consult.store.services import consultations as consultation_service
from consult.ui.consultation.styles import (
    CLEAR,
    SEVERITY_STYLE,
    STATUS_STYLE,
    decided_at,
    icon_text,
    said,
    scrolled,
)
from consult.ui.consultation.worded import desk_text, finding_message
from consult.ui.shell.language import current_language
from consult.ui.widgets.basics import ErrorLabel, first_mnemonics_only, heading
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.tones import style_with_tones
from consult.ui.widgets.words import justification_problem_text


class FindingWidget(QFrame):
    """One finding: severity (icon, words, colour), message, source, and the decision."""

    decided = Signal(str, str, str)  # treatment, rule, justification

    def __init__(
        self,
        treatment: str,
        finding: Mapping[str, Any],
        decision: Mapping[str, Any] | None,
        parent: QWidget | None = None,
        *,
        texts: KnowledgeTexts | None = None,
    ) -> None:
        """``texts``: the practitioner's language, in which the message is shown (None:
        the message as the screening stored it)."""
        super().__init__(parent)
        self.texts = texts
        self.treatment = treatment
        self.rule = str(finding["rule"])
        self.severity = str(finding["severity"])
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        pixmap, words, colour = SEVERITY_STYLE[self.severity]
        layout.addWidget(icon_text(pixmap, said(words), colour, self))
        self.message = QLabel(self._message(finding), self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Finding"))
        layout.addWidget(self.message)
        source = QLabel(self.tr("Source: %1").replace("%1", str(finding.get("source", ""))), self)
        source.setWordWrap(True)
        style_with_tones(source, "color: $muted;")
        layout.addWidget(source)
        # Other rules raising the same finding are listed here, decided with this one.
        self.same_box = QVBoxLayout()
        layout.addLayout(self.same_box)
        self.same_rules: list[str] = []
        self.justification: QPlainTextEdit | None = None
        self.button: QPushButton | None = None
        self.error = ErrorLabel(self)
        justified = decision is not None and decision.get("kind") == "justified"
        if self.severity == "relative" and justified:
            assert decision is not None
            layout.addWidget(
                self._done(
                    fill(
                        self.tr("Justified by %1 on %2: %3"),
                        decision.get("by_name"),
                        decided_at(str(decision.get("at"))),
                        decision.get("justification"),
                    )
                )
            )
        elif self.severity == "relative":
            self.justification = QPlainTextEdit(self)
            self.justification.setTabChangesFocus(True)
            self.justification.setFixedHeight(64)
            self.justification.setPlaceholderText(
                self.tr("Clinical justification for going on (at least %1 characters)").replace(
                    "%1", str(MIN_JUSTIFICATION)
                )
            )
            self.justification.setAccessibleName(self.tr("Clinical justification"))
            layout.addWidget(self.justification)
            self.button = QPushButton(self.tr("Record &justification"), self)
            self.button.setAccessibleName(self.tr("Record justification"))
            self.button.clicked.connect(self._justify)
            layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        elif self.severity == "caution" and decision is not None:
            layout.addWidget(
                self._done(
                    fill(
                        self.tr("Acknowledged by %1 on %2"),
                        decision.get("by_name"),
                        decided_at(str(decision.get("at"))),
                    )
                )
            )
        elif self.severity == "caution":
            self.button = QPushButton(self.tr("Ac&knowledge"), self)
            self.button.setAccessibleName(self.tr("Acknowledge caution"))
            self.button.clicked.connect(lambda: self.decided.emit(self.treatment, self.rule, ""))
            layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)

    def add_same(self, finding: Mapping[str, Any]) -> None:
        """Show another rule's finding on the same condition: one decision covers both."""
        self.same_rules.append(str(finding["rule"]))
        label = QLabel(
            fill(
                self.tr("The same finding, also: %1 (source: %2)"),
                self._message(finding),
                finding.get("source", ""),
            ),
            self,
        )
        label.setWordWrap(True)
        label.setAccessibleName(self.tr("The same finding from another rule"))
        self.same_box.addWidget(label)

    def _message(self, finding: Mapping[str, Any]) -> str:
        """A finding's message in the practitioner's language, marked if untranslated."""
        if self.texts is None:
            return str(finding.get("message", ""))
        return desk_text(finding_message(self.texts, finding))

    def _done(self, text: str) -> QLabel:
        label = QLabel("✔ " + text, self)
        label.setWordWrap(True)
        style_with_tones(label, "color: $ok;")
        label.setAccessibleName(self.tr("Decision"))
        return label

    def _justify(self) -> None:
        assert self.justification is not None
        text = self.justification.toPlainText().strip()
        problem = justification_problem(text)
        if problem is not None:
            written = self.tr(" (%1 characters written so far)").replace("%1", str(len(text)))
            self.error.show_error(
                justification_problem_text(problem)
                + (written if len(text) < MIN_JUSTIFICATION else "")
            )
            self.justification.setFocus()
            return
        self.decided.emit(self.treatment, self.rule, text)

    @property
    def pending(self) -> bool:
        """Whether this finding still needs a decision."""
        return self.button is not None


class TreatmentResultBox(QGroupBox):
    """One treatment's screening: where it stands, its findings, what to clarify."""

    def __init__(
        self,
        title: str,
        result: Mapping[str, Any],
        review: TreatmentReview,
        overrides: Sequence[Mapping[str, Any]],
        kb: KnowledgeBase,
        parent: QWidget | None = None,
        *,
        texts: KnowledgeTexts | None = None,
    ) -> None:
        """``texts``: the practitioner's language (None: the knowledge base's English)."""
        super().__init__(title, parent)
        self.treatment = review.treatment
        self.review = review
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        pixmap, words, colour = STATUS_STYLE[review.status]
        if review.status == "ready" and not result.get("findings"):
            words = CLEAR
        self.status_box = icon_text(pixmap, said(words), colour, self)
        self.status_text = said(words)
        layout.addWidget(self.status_box)
        self.clarify_button: QPushButton | None = None
        self.clarify_text = ""
        if review.clarify:
            labels = []
            for question_id in review.clarify:
                try:
                    label = (
                        kb.question(question_id).label
                        if texts is None
                        else desk_text(texts.question_label(question_id))
                    )
                    labels.append("• " + label)
                except KeyError:
                    labels.append("• " + question_id)
            intro = (
                # An absolute finding blocks whatever the answers; what is open still shows.
                self.tr("Also still to clarify (the treatment stays blocked whatever the answers):")
                if review.status == "blocked"
                else self.tr("These answers are needed before this treatment can be screened:")
            )
            text = QLabel(intro + "\n" + "\n".join(labels), self)
            text.setWordWrap(True)
            text.setAccessibleName(self.tr("Questions to clarify"))
            layout.addWidget(text)
            self.clarify_text = text.text()
            self.clarify_button = QPushButton(self.tr("Go to the &questions"), self)
            self.clarify_button.setAccessibleName(self.tr("Go to the questions to clarify"))
            layout.addWidget(self.clarify_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.findings: list[FindingWidget] = []
        for finding in result.get("findings", []):
            same = next((w for w in self.findings if w.rule == finding.get("same_as")), None)
            if same is not None:
                same.add_same(finding)
                continue
            widget = FindingWidget(
                self.treatment,
                finding,
                decision_for(overrides, self.treatment, str(finding["rule"])),
                self,
                texts=texts,
            )
            layout.addWidget(widget)
            self.findings.append(widget)


class ScreeningPage(QWidget):
    """Step 3: per treatment the outcome and each finding; decisions are recorded here."""

    decided = Signal(str, str, str)  # treatment, rule, justification
    clarify_requested = Signal(object)  # question ids

    def __init__(self, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        # Findings, treatments and questions in the practitioner's interface language.
        self.texts = kb.texts(current_language())
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("3. Screening"), self))
        self.version = QLabel(self)
        self.version.setWordWrap(True)
        self.version.setAccessibleName(self.tr("Rule set"))
        layout.addWidget(self.version)
        self.content = QWidget(self)
        self.column = QVBoxLayout(self.content)
        self.column.addStretch(1)
        layout.addWidget(scrolled(self.content, self), 1)
        self.boxes: list[TreatmentResultBox] = []

    def show_result(self, info: ConsultationInfo) -> None:
        """Show the stored screening of ``info`` with the decisions made on it."""
        for box in self.boxes:
            box.hide()
            box.deleteLater()
        self.boxes = []
        if info.screening is None:
            self.version.setText(self.tr("Not screened yet."))
            return
        self.version.setText(
            self.tr("Screened against rule set %1.").replace(
                "%1", (info.rule_set_version or "")[:12]
            )
        )
        reviews = {r.treatment: r for r in consultation_service.reviews(info)}
        for index, result in enumerate(info.screening["result"]["results"]):
            treatment = str(result["treatment"])
            title = desk_text(self.texts.label("treatment", treatment))
            route = result.get("route")
            if route:
                title += " — " + desk_text(self.texts.label("route", str(route)))
            box = TreatmentResultBox(
                title,
                result,
                reviews[treatment],
                info.overrides,
                self.kb,
                self.content,
                texts=self.texts,
            )
            for finding in box.findings:
                finding.decided.connect(self.decided)
            if box.clarify_button is not None:
                ids = box.review.clarify
                box.clarify_button.clicked.connect(
                    lambda _c=False, ids=ids: self.clarify_requested.emit(ids)
                )
            self.column.insertWidget(index, box)
            self.boxes.append(box)
        # Alt+J, Alt+K and Alt+Q go to the first finding (or treatment) that has them.
        first_mnemonics_only(
            button
            for box in self.boxes
            for button in (
                box.clarify_button,
                *(finding.button for finding in box.findings),
            )
            if button is not None
        )

    def focus_first_pending(self) -> None:
        """Put the focus on the first thing still to do."""
        for box in self.boxes:
            if box.clarify_button is not None:
                box.clarify_button.setFocus()
                return
            for finding in box.findings:
                if finding.pending:
                    (finding.justification or finding.button or finding).setFocus()
                    return

    def finding(self, treatment: str, rule: str) -> FindingWidget | None:
        """The widget of one finding."""
        for box in self.boxes:
            for finding in box.findings:
                if finding.treatment == treatment and rule in (finding.rule, *finding.same_rules):
                    return finding
        return None
