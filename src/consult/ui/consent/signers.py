"""The consent step's extra signers: a parent or guardian, a witness, an interpreter.

:class:`SignersPanel` shows, under the patient's and the practitioner's signatures, the
signers the treatment takes (:class:`~consult.domain.consent_signers.SignerNeeds`, read
with the consent text): a guardian for a minor and a witness the clinic requires are
shown and cannot be skipped; an interpreter, where the patient reads another language
than the practitioner's interface, is offered behind a check box. Each signer has their
printed name (and a guardian's relationship), a signature pad (:class:`SignatureBox`)
and an error line; the interpreter's statement is shown in the patient's language and
the desk's, as it will be sealed. The panel says what is still missing, so that the step's "Sign and
seal" can say it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from consult.domain.consent_signers import GuardianNeed, SignerNeeds, SignerRole
from consult.store.services.consent_signers import SignerInput, interpreter_statement
from consult.ui.consent.signature_pad import SignatureBox
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.tones import style_with_tones

_NARROWEST_STATEMENT = 360
"""The narrowest (in pixels) the interpreter's statement is laid out, two signers side
by side in a 1024-pixel window."""


class _SideBySide(QHBoxLayout):
    """The signers side by side, at least as tall as their minimum: a box layout holding
    a wrapped label reports a height for each width, and the step's column took that
    (short of the minimum) and squashed the signature pads."""

    def hasHeightForWidth(self) -> bool:
        """No: the minimum height decides (the statement's label sets its own)."""
        return False


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


@dataclass
class SignerForm:
    """One extra signer's fields: their name (and relationship), pad and error line."""

    role: SignerRole
    group: QGroupBox
    name: QLineEdit
    box: SignatureBox
    error: ErrorLabel
    required: bool
    relationship: QLineEdit | None = None
    include: QCheckBox | None = None
    signed_at: dt.datetime | None = None
    fields: list[QWidget] = field(default_factory=list)

    def wanted(self) -> bool:
        """Whether this signer signs: required, or offered and ticked."""
        return self.required or (self.include is not None and self.include.isChecked())


class SignersPanel(QWidget):
    """The extra signers one treatment's consent takes (none: the panel stays hidden).

    ``changed`` is emitted whenever what is missing may have changed.
    """

    changed = Signal()

    def __init__(
        self,
        needs: SignerNeeds,
        desk_language: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.needs = needs
        self.desk_language = desk_language
        self.forms: dict[SignerRole, SignerForm] = {}
        layout = _SideBySide(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if needs.guardian == GuardianNeed.REQUIRED:
            self._add(layout, SignerRole.GUARDIAN, required=True)
        if needs.witness_required:
            self._add(layout, SignerRole.WITNESS, required=True)
        if needs.interpreter_offered(desk_language):
            self._add(layout, SignerRole.INTERPRETER, required=False)

    # Building -------------------------------------------------------------------------

    def _titles(self) -> dict[SignerRole, tuple[str, str, str]]:
        """Each role's group title, pad caption and the role under the name."""
        return {
            SignerRole.GUARDIAN: (
                self.tr("Parent or guardian (required: the patient is under 18)"),
                self.tr("Consent given for the patient"),
                self.tr("Parent or guardian"),
            ),
            SignerRole.WITNESS: (
                self.tr("Witness (required by the clinic for this treatment)"),
                self.tr("Signatures witnessed"),
                self.tr("Witness"),
            ),
            SignerRole.INTERPRETER: (
                self.tr("Interpreter"),
                self.tr("Information interpreted"),
                self.tr("Interpreter"),
            ),
        }

    def _add(self, layout: QHBoxLayout, role: SignerRole, *, required: bool) -> None:
        title, meaning, role_text = self._titles()[role]
        group = QGroupBox(title, self)
        column = QVBoxLayout(group)
        include: QCheckBox | None = None
        if not required:
            include = QCheckBox(self.tr("An interpreter interpreted for the patient"), group)
            column.addWidget(include)
        form_layout = QFormLayout()
        name = QLineEdit(group)
        name.setAccessibleName(self.tr("%1's name").replace("%1", role_text))
        name.setPlaceholderText(self.tr("Full name"))
        form_layout.addRow(self.tr("Name:"), name)
        fields: list[QWidget] = [name]
        relationship: QLineEdit | None = None
        if role == SignerRole.GUARDIAN:
            relationship = QLineEdit(group)
            relationship.setAccessibleName(self.tr("Relationship to the patient"))
            relationship.setPlaceholderText(self.tr("e.g. mother, legal guardian"))
            form_layout.addRow(self.tr("Relationship:"), relationship)
            fields.append(relationship)
        column.addLayout(form_layout)
        if role == SignerRole.INTERPRETER:
            column.addWidget(self._statement(group))
        box = SignatureBox(group, meaning=meaning, name="", role=role_text, mnemonics=False)
        column.addWidget(box, 1)
        error = ErrorLabel(group)
        column.addWidget(error)
        fields.append(box)
        signer = SignerForm(role, group, name, box, error, required, relationship, include)
        signer.fields = fields
        name.textChanged.connect(lambda text, s=signer: self._named(s, text))
        if relationship is not None:
            relationship.textChanged.connect(lambda _t, s=signer: self._fixed(s))
        box.pad.changed.connect(lambda s=signer: self._pad_changed(s))
        if include is not None:
            include.toggled.connect(lambda _on, s=signer: self._included(s))
        self.forms[role] = signer
        self._included(signer)
        layout.addWidget(group, 1)

    def _statement(self, parent: QWidget) -> QLabel:
        """The interpreter's statement in the patient's language, the desk's beside it."""
        into = self.needs.patient_language
        said = [interpreter_statement(into, into)["text"]]
        if self.desk_language != into:
            said.append(interpreter_statement(into, self.desk_language)["text"])
        label = QLabel("\n".join(f"“{text}”" for text in said), parent)
        label.setWordWrap(True)
        # The height the words need at the narrowest the group gets: a wrapped label
        # reports a line or two as its minimum, and the pad under it was squashed to
        # make room in a step too short for everything (its body then scrolls instead).
        label.setMinimumHeight(label.heightForWidth(_NARROWEST_STATEMENT))
        label.setAccessibleName(self.tr("Interpreter's statement"))
        style_with_tones(label, "color: $muted;")
        return label

    # Following the entries ---------------------------------------------------------------

    def _named(self, signer: SignerForm, text: str) -> None:
        signer.box.set_signer(text.strip(), self._titles()[signer.role][2])
        self._fixed(signer)

    def _pad_changed(self, signer: SignerForm) -> None:
        if signer.box.pad.is_empty():
            signer.signed_at = None
            signer.box.set_date_time(None)
        else:
            signer.signed_at = _now()
            signer.box.set_date_time(signer.signed_at)
            self._fixed(signer)
        self.changed.emit()

    def _included(self, signer: SignerForm) -> None:
        on = signer.wanted()
        for widget in signer.fields:
            widget.setEnabled(on)
        if not on:
            signer.error.clear_error()
        self.changed.emit()

    def _fixed(self, signer: SignerForm) -> None:
        signer.error.clear_error()
        self.changed.emit()

    # What the step asks ------------------------------------------------------------------

    def is_empty(self) -> bool:
        """Whether no extra signer is shown."""
        return not self.forms

    def tab_chain(self) -> list[QWidget]:
        """The panel's fields in reading order, for the step's tab order."""
        chain: list[QWidget] = []
        for signer in self.forms.values():
            if signer.include is not None:
                chain.append(signer.include)
            chain.append(signer.name)
            if signer.relationship is not None:
                chain.append(signer.relationship)
            chain.append(signer.box.pad)
        return chain

    def missing(self) -> list[str]:
        """Who still has to sign or be named, in the practitioner's words (empty: none)."""
        out: list[str] = []
        for signer in self.forms.values():
            if signer.wanted() and self._problem(signer) is not None:
                out.append(self._titles()[signer.role][2].lower())
        return out

    def _problem(self, signer: SignerForm) -> tuple[QWidget, str] | None:
        if not signer.name.text().strip():
            return signer.name, self.tr("Enter the signer's name.")
        if signer.relationship is not None and not signer.relationship.text().strip():
            return signer.relationship, self.tr("Enter the relationship to the patient.")
        problem = signer.box.pad.validate()
        if problem:
            return signer.box.pad, problem
        return None

    def check(self) -> tuple[list[QWidget], list[str]]:
        """Show what is missing next to each signer; the widgets to put right and the
        summary's words (as :meth:`ConsentStep._check` gives them)."""
        problems: list[QWidget] = []
        for signer in self.forms.values():
            if not signer.wanted():
                continue
            found = self._problem(signer)
            if found is not None:
                widget, message = found
                signer.error.show_error(message)
                problems.append(widget)
        summary = (
            [self.tr("to sign: %1").replace("%1", ", ".join(self.missing()))] if problems else []
        )
        return problems, summary

    def errors(self) -> list[ErrorLabel]:
        """Every signer's error line."""
        return [signer.error for signer in self.forms.values()]

    def has_input(self) -> bool:
        """Whether anything was entered that closing would throw away."""
        return any(
            signer.name.text().strip()
            or (signer.relationship is not None and signer.relationship.text().strip())
            or not signer.box.pad.is_empty()
            for signer in self.forms.values()
        )

    def inputs(self, now: Callable[[], dt.datetime] = _now) -> list[SignerInput]:
        """What the signers entered, for ``consents.sign`` (only those who sign)."""
        out: list[SignerInput] = []
        for signer in self.forms.values():
            if not signer.wanted():
                continue
            width, height = signer.box.pad.canvas_size()
            out.append(
                SignerInput(
                    role=signer.role,
                    name=signer.name.text().strip(),
                    strokes=signer.box.pad.strokes(),
                    width=width,
                    height=height,
                    signed_at=signer.signed_at or now(),
                    relationship=signer.relationship.text().strip()
                    if signer.relationship is not None
                    else "",
                    language=self.needs.patient_language
                    if signer.role == SignerRole.INTERPRETER
                    else "",
                    desk_language=self.desk_language,
                )
            )
        return out

    def show_validation(self, field_name: str, message: str) -> QWidget | None:
        """Show the service's refusal of a signer (field ``signers.<role>``) next to
        them; the widget to focus, or None if the field is not a signer's."""
        role = field_name.removeprefix("signers.")
        signer = next((s for r, s in self.forms.items() if r == role), None)
        if signer is None:
            return None
        signer.error.show_error(message)
        return signer.box.pad if signer.name.text().strip() else signer.name
