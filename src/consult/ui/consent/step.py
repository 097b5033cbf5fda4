"""Consent for one treatment: read, initial, choose, sign, countersign, seal.

:class:`ConsentStep` shows the consent text exactly as the service renders it (the
patient-specific risks and every override's justification included). The patient
initials each section, answers the photographs and data-processing questions (no
default), and signs once the text has been scrolled to its end; the practitioner
countersigns. "Sign and seal" hands everything to ``consents.sign``, a service write run
off the GUI thread (it renders the PDF). The sealed record is then shown by
:class:`~consult.ui.consent.sealed_panel.SealedPanel`.
"""

from __future__ import annotations

import datetime as dt
import itertools

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consult.knowledge.consent_templates import CHOICE_SECTIONS
from consult.store.dto import ConsentInfo, PatientInfo, UserInfo
from consult.store.errors import StoreError, ValidationError
from consult.store.services import consents
from consult.store.services.consents import ConsentText, SignatureInput
from consult.ui.consent.buttons import plain_button
from consult.ui.consent.course import CourseBox
from consult.ui.consent.sealed_panel import SealedPanel
from consult.ui.consent.signature_pad import SignatureBox
from consult.ui.consent.signers import SignersPanel
from consult.ui.consent.templates import consent_templates, view_body
from consult.ui.consent.text_view import ConsentTextView
from consult.ui.consultation.worded import untranslated_text
from consult.ui.patient_mode.consent_handover import PatientConsentHandover
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.language import current_language
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.formatting import knowledge_label
from consult.ui.widgets.refusals import refusal_message, refusal_words
from consult.ui.widgets.tasks import run_write
from consult.ui.widgets.tones import style_with_tones


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


class _FillingLayout(QVBoxLayout):
    """A column that a scroll area stretches to fill its view, scrolling only below the
    column's minimum height (a word-wrapped label would otherwise make the area ask for
    the column's preferred height, and scroll whenever the view is shorter)."""

    def hasHeightForWidth(self) -> bool:
        """No: the minimum height decides when to scroll."""
        return False


class _Columns(QHBoxLayout):
    """The text and the initials, or the two signatures, side by side, at their minimum
    height: a row holding a wrapped label reports a height for each width, which the
    column above took as fixed, squeezing the rows around it below their minimum (the
    signers under it, issue 21; the text above the signatures, whose captions wrap)."""

    def hasHeightForWidth(self) -> bool:
        """No: the minimum height decides."""
        return False


class _WrappedHint(QLabel):
    """A wrapped line under the text that keeps the height its words need at its width:
    a column that ignores height-for-width (:class:`_Columns`) gave it one line, and
    its second (narrow dialog, or Japanese) was drawn over the text above."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Ask for the height the words take at the new width."""
        super().resizeEvent(event)
        self.setMinimumHeight(self.heightForWidth(self.width()))


class ConsentStep(QWidget):
    """Consent for one treatment: read, initial, choose, sign, countersign, seal.

    Signals:
        sealed: the record was sealed (its :class:`ConsentInfo`).
        continue_requested: the practitioner pressed "Next treatment" / "Done" after
            sealing (:class:`~consult.ui.consent.sealed_panel.SealedPanel`).
        close_requested: the practitioner pressed "Close" before sealing.
        busy_changed: sealing started (True) or ended (False).
    """

    sealed = Signal(object)
    continue_requested = Signal()
    close_requested = Signal()
    busy_changed = Signal(bool)

    def __init__(
        self,
        session: AppSession,
        patient: PatientInfo,
        text: ConsentText,
        treatment_name: str,
        position: tuple[int, int] = (1, 1),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.patient = patient
        self.text = text
        self.treatment_name = treatment_name
        self.info: ConsentInfo | None = None
        self.busy = False
        self.signed_at: dict[str, dt.datetime | None] = {"patient": None, "practitioner": None}

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = heading(self.tr("Consent: %1").replace("%1", treatment_name), self)
        top.addWidget(self.title, 1)
        number, total = position
        self.position_label = QLabel(
            self.tr("Treatment %1 of %2").replace("%1", str(number)).replace("%2", str(total)),
            self,
        )
        self.position_label.setAccessibleName(self.tr("Treatment number"))
        top.addWidget(self.position_label)
        layout.addLayout(top)
        self.about = QLabel(
            self.tr("Patient: %1, born %2 · consent text version %3")
            .replace("%1", patient.full_name)
            .replace("%2", patient.date_of_birth.isoformat())
            .replace("%3", text.template_version),
            self,
        )
        self.about.setWordWrap(True)
        self.about.setAccessibleName(self.tr("Patient and consent text"))
        layout.addWidget(self.about)
        self.message = ErrorLabel(self)
        layout.addWidget(self.message)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)
        self.signing_page = self._build_signing_page()
        self.sealed_panel = SealedPanel(session, self)
        self.stack.addWidget(self.signing_page)
        self.stack.addWidget(self.sealed_panel)

        # In the patient's language; a passage shown in English instead is marked, in
        # the patient's language and the practitioner's, never silently mixed in.
        mark = untranslated_text(text.language)
        marks = {
            number: mark
            for number, untranslated in enumerate(
                (text.title_untranslated, *(s.untranslated for s in text.sections))
            )
            if untranslated
        }
        self.text_view.set_sections(
            [(f"{i}. {s.heading}", view_body(s.text)) for i, s in enumerate(text.sections, 1)],
            text.title,
            marks,
        )
        self.text_view.reachedEnd.connect(self._text_read)
        self.patient_box.pad.changed.connect(lambda: self._pad_changed("patient"))
        self.practitioner_box.pad.changed.connect(lambda: self._pad_changed("practitioner"))
        self.sign_button.clicked.connect(self.sign)
        self.handover: PatientConsentHandover | None = None
        self.hand_button.clicked.connect(self.hand_to_patient)
        self.close_button.clicked.connect(self.close_requested)
        self.sealed_panel.continue_requested.connect(self.continue_requested)

    # Building -------------------------------------------------------------------------

    def _build_signing_page(self) -> QWidget:
        page = QWidget(self)
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        # Everything but the buttons scrolls when the screen is too small for it, so
        # "Sign and seal" and "Close" are always in sight.
        self.body = QScrollArea(page)
        self.body.setWidgetResizable(True)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self.body)
        rows = _FillingLayout(body)
        rows.setContentsMargins(0, 0, 0, 0)
        columns = _Columns()
        rows.addLayout(columns, 1)

        left = QVBoxLayout()
        columns.addLayout(left, 3)
        self.text_view = ConsentTextView(body)
        self.text_view.setMinimumHeight(200)
        left.addWidget(self.text_view, 1)
        self.read_hint = _WrappedHint(body)
        self.read_hint.setWordWrap(True)
        self.read_hint.setAccessibleName(self.tr("Reading status"))
        left.addWidget(self.read_hint)
        # The signatures under the text and the initials, side by side across the width.
        signatures = _Columns()
        rows.addLayout(signatures)
        self.patient_box = SignatureBox(
            body,
            meaning=self.tr("Consent given"),
            name=self.patient.full_name,
            role=self.tr("Patient"),
            mnemonics=False,
        )
        self.patient_box.pad.setEnabled(False)
        self.patient_box.pad.set_disabled_hint(
            self.tr("Scroll to the end of the consent text to sign")
        )
        self.patient_error = ErrorLabel(body)
        user = self.session.user
        self.practitioner_box = SignatureBox(
            body,
            meaning=self.tr("Consent taken"),
            name=user.display_name if user else "",
            role=self._practitioner_role(user),
            mnemonics=False,
        )
        self.practitioner_error = ErrorLabel(body)
        for box, error in (
            (self.patient_box, self.patient_error),
            (self.practitioner_box, self.practitioner_error),
        ):
            column = QVBoxLayout()
            column.addWidget(box)
            column.addWidget(error)
            column.addStretch(1)
            signatures.addLayout(column, 1)
        self.pads = {"patient": self.patient_box, "practitioner": self.practitioner_box}
        self.pad_errors = {"patient": self.patient_error, "practitioner": self.practitioner_error}
        # A parent or guardian, a witness, an interpreter, as the treatment needs (issue 21).
        self.signers = SignersPanel(self.text.signers, current_language(), body)
        self.signers.setVisible(not self.signers.is_empty())
        self.signers.changed.connect(self._show_missing)
        rows.addWidget(self.signers)

        self.side = QScrollArea(body)
        self.side.setWidgetResizable(True)
        self.side.setFrameShape(QFrame.Shape.NoFrame)
        self.side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        panel = QWidget(self.side)
        side = QVBoxLayout(panel)
        side.setContentsMargins(0, 0, 6, 0)
        side.addWidget(self._build_initials(panel))
        side.addWidget(self._build_choices(panel))
        # A course of treatments, where the template allows one (issue 21).
        template = consent_templates().get(self.text.treatment_id)
        limit = (
            template.course
            if template is not None and template.version == self.text.template_version
            else None
        )
        self.course = CourseBox(limit, panel) if limit is not None else None
        if self.course is not None:
            side.addWidget(self.course)
        side.addStretch(1)
        self.side.setWidget(panel)
        # Never narrower than what it holds (it does not scroll sideways: the initials
        # would be cut off), nor than 320 pixels.
        bar = self.side.verticalScrollBar().sizeHint().width()
        self.side.setMinimumWidth(max(320, panel.minimumSizeHint().width() + bar))
        columns.addWidget(self.side, 2)
        self.body.setWidget(body)
        outer.addWidget(self.body, 1)

        bottom = QHBoxLayout()
        self.close_button = plain_button(
            self.tr("&Close (nothing is signed)"), self.tr("Close without signing"), page
        )
        bottom.addWidget(self.close_button)
        # Patient mode (docs/patient-mode.md): the patient reads and signs on their screen.
        self.hand_button = plain_button(
            self.tr("Han&d to patient…"), self.tr("Hand to patient"), page
        )
        bottom.addWidget(self.hand_button)
        self.busy_bar = QProgressBar(page)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.setAccessibleName(self.tr("Sealing in progress"))
        self.busy_bar.hide()
        bottom.addWidget(self.busy_bar)
        self.status = QLabel(page)
        # Wrapped: "Sealing the record…" or the signers still to sign must never widen
        # the dialog past a small screen (it grew while sealing, and stayed so).
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Signing status"))
        bottom.addWidget(self.status, 1)
        self.sign_button = plain_button(self.tr("Sign and &seal"), self.tr("Sign and seal"), page)
        self.sign_button.setToolTip(
            self.tr(
                "Freeze the text, initials, choices and both signatures into the signed "
                "record and its PDF. A sealed record can never be edited."
            )
        )
        bottom.addWidget(self.sign_button)
        outer.addLayout(bottom)
        self._show_read_hint()
        self._set_tab_order()
        self._show_missing()
        return page

    def _show_missing(self) -> None:
        """Beside "Sign and seal": which of the extra signers is still to sign."""
        if self.busy:
            return
        missing = self.signers.missing()
        self.status.setText(
            self.tr("Still to sign: %1").replace("%1", ", ".join(missing)) if missing else ""
        )

    def hand_to_patient(self) -> None:
        """The patient reads, initials and signs on their own screen; the practitioner's
        password brings it back here to countersign (docs/patient-mode.md)."""
        if self.busy or self.info is not None or self.handover is not None:
            return
        self.handover = PatientConsentHandover(
            self.session, self.patient, self.text, self, self.window()
        )
        self.handover.returned.connect(self._patient_returned)
        self.handover.start()

    def _patient_returned(self) -> None:
        self.handover = None
        self.practitioner_box.pad.setFocus()

    def _set_tab_order(self) -> None:
        """Tab follows the paper form: text, initials, choices, signatures, seal."""
        chain: list[QWidget] = [self.text_view, *self.initials.values()]
        for group in self.choices.values():
            chain.extend(group.buttons())
        if self.course is not None:
            chain += [self.course.planned, self.course.sessions, self.course.weeks]
        chain += [self.patient_box.pad, self.practitioner_box.pad, *self.signers.tab_chain()]
        chain.append(self.sign_button)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _practitioner_role(self, user: UserInfo | None) -> str:
        if user is None or not user.qualification:
            return self.tr("Practitioner")
        label = knowledge_label("qualification", user.qualification)
        return self.tr("Practitioner, %1").replace("%1", label)

    def _build_initials(self, parent: QWidget) -> QGroupBox:
        group = QGroupBox(self.tr("Patient's initials, section by section"), parent)
        grid = QGridLayout(group)
        grid.setColumnStretch(0, 1)
        intro = QLabel(self.tr("The patient initials each section after reading it."), group)
        intro.setWordWrap(True)
        grid.addWidget(intro, 0, 0, 1, 2)
        self.initials: dict[str, QLineEdit] = {}
        self.initials_errors: dict[str, ErrorLabel] = {}
        row = 1
        edits: list[QLineEdit] = []
        for number, section in enumerate(self.text.sections, 1):
            label = QLabel(f"{number}. {section.heading}", group)
            label.setWordWrap(True)
            edit = QLineEdit(group)
            edit.setMaxLength(6)
            edit.setFixedWidth(72)
            edit.setPlaceholderText(self.tr("Initials"))
            edit.setAccessibleName(self.tr("Initials for %1").replace("%1", section.heading))
            label.setBuddy(edit)
            error = ErrorLabel(group)
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(error, row + 1, 0, 1, 2)
            row += 2
            self.initials[section.id] = edit
            self.initials_errors[section.id] = error
            edit.textChanged.connect(lambda text, e=error: self._fixed(e) if text.strip() else None)
            edits.append(edit)
        for edit, following in itertools.pairwise(edits):
            # Enter moves on to the next section's initials, never seals.
            edit.returnPressed.connect(following.setFocus)
        return group

    def _build_choices(self, parent: QWidget) -> QGroupBox:
        group = QGroupBox(self.tr("Patient's choices"), parent)
        grid = QGridLayout(group)
        grid.setColumnStretch(0, 1)
        intro = QLabel(
            self.tr("Separate yes/no answers; treatment goes ahead whichever is chosen."), group
        )
        intro.setWordWrap(True)
        grid.addWidget(intro, 0, 0, 1, 3)
        numbers = {s.id: n for n, s in enumerate(self.text.sections, 1)}
        headings = {s.id: s.heading for s in self.text.sections}
        self.choices: dict[str, QButtonGroup] = {}
        self.choice_errors: dict[str, ErrorLabel] = {}
        row = 1
        for key in CHOICE_SECTIONS:
            title = headings.get(key, key)
            prefix = f"{numbers[key]}. " if key in numbers else ""
            label = QLabel(prefix + title, group)
            label.setWordWrap(True)
            buttons = QButtonGroup(group)
            buttons.setExclusive(True)
            yes_text = self.tr("&Yes") if key == "photographs" else self.tr("Y&es")
            no_text = self.tr("&No") if key == "photographs" else self.tr("N&o")
            yes = QRadioButton(self._choice_text("yes", yes_text), group)
            no = QRadioButton(self._choice_text("no", no_text), group)
            for button, value, word in ((yes, True, self.tr("yes")), (no, False, self.tr("no"))):
                button.setProperty("value", value)
                button.setAccessibleName(f"{title}: {self._choice_word(value, word)}")
                buttons.addButton(button)
            label.setBuddy(yes)
            error = ErrorLabel(group)
            grid.addWidget(label, row, 0)
            grid.addWidget(yes, row, 1)
            grid.addWidget(no, row, 2)
            grid.addWidget(error, row + 1, 0, 1, 3)
            row += 2
            self.choices[key] = buttons
            self.choice_errors[key] = error
            buttons.buttonClicked.connect(lambda _b, e=error: self._fixed(e))
        return group

    def _patient_reads_other(self) -> bool:
        """Whether the patient reads the consent in another language than the desk."""
        return self.text.language != current_language()

    def _choice_text(self, answer: str, desk: str) -> str:
        """A choice's button: the patient's word, the desk's (with its mnemonic) beside it."""
        word = self.text.choice_words.get(answer)
        if word is None or not self._patient_reads_other():
            return desk
        return f"{word.text} ({desk})"

    def _choice_word(self, value: bool, desk: str) -> str:
        """A choice's word as a screen reader says it, in both languages when they differ."""
        word = self.text.choice_words.get("yes" if value else "no")
        if word is None or not self._patient_reads_other():
            return desk
        return f"{word.text} ({desk})"

    # Reading and signing -------------------------------------------------------------

    def _show_read_hint(self) -> None:
        if self.text_view.has_reached_end():
            self.read_hint.setText(
                self.tr("✔ The whole text has been shown: the patient can sign.")
            )
            style_with_tones(self.read_hint, "color: $ok;")
        else:
            self.read_hint.setText(
                self.tr(
                    "↓ Read the text to its end with the patient: then the patient's "
                    "signature box opens."
                )
            )
            style_with_tones(self.read_hint, "")

    def _text_read(self) -> None:
        pad = self.patient_box.pad
        pad.setEnabled(True)
        pad.set_disabled_hint("")
        self._fixed(self.patient_error)
        self._show_read_hint()

    def _fixed(self, error: ErrorLabel) -> None:
        """A field's problem was put right: hide its message, and the summary once none is left."""
        error.clear_error()
        if not any(label.isVisibleTo(self) for label in self._field_errors()):
            self.message.clear_error()

    def _field_errors(self) -> list[ErrorLabel]:
        return [
            *self.initials_errors.values(),
            *self.choice_errors.values(),
            *self.pad_errors.values(),
            *self.signers.errors(),
        ]

    def _pad_changed(self, who: str) -> None:
        box = self.pads[who]
        if box.pad.is_empty():
            self.signed_at[who] = None
            box.set_date_time(None)
        else:
            self.signed_at[who] = _now()
            box.set_date_time(self.signed_at[who])
            self._fixed(self.pad_errors[who])

    def has_input(self) -> bool:
        """Whether anything was entered that closing would throw away (before sealing)."""
        if self.info is not None:
            return False
        return (
            any(edit.text().strip() for edit in self.initials.values())
            or any(group.checkedButton() is not None for group in self.choices.values())
            or not all(box.pad.is_empty() for box in self.pads.values())
            or self.signers.has_input()
        )

    def clear_errors(self) -> None:
        """Hide every message."""
        self.message.clear_error()
        for error in self._field_errors():
            error.clear_error()

    def _check(self) -> tuple[list[QWidget], list[str]]:
        """Show what is missing next to each field.

        Returns the widgets to put right, in reading order, and a summary of them.
        """
        problems: list[QWidget] = []
        summary: list[str] = []
        read = self.text_view.has_reached_end()
        if not read:
            self.patient_error.show_error(
                self.tr("Read the consent text to its end first: then the patient signs.")
            )
            problems.append(self.text_view)
            summary.append(self.tr("read the text to its end"))
        missing = [key for key, edit in self.initials.items() if not edit.text().strip()]
        for section_id in missing:
            self.initials_errors[section_id].show_error(self.tr("Initials needed."))
            problems.append(self.initials[section_id])
        if missing:
            summary.append(self.tr("%n section(s) to initial", "", len(missing)))
        unanswered = [key for key, group in self.choices.items() if group.checkedButton() is None]
        for key in unanswered:
            self.choice_errors[key].show_error(self.tr("Choose yes or no."))
            problems.append(self.choices[key].buttons()[0])
        if unanswered:
            summary.append(self.tr("%n question(s) to answer yes or no", "", len(unanswered)))
        unsigned = 0
        for who, box in self.pads.items():
            if who == "patient" and not read:
                continue
            problem = box.pad.validate()
            if problem:
                self.pad_errors[who].show_error(problem)
                problems.append(box.pad)
                unsigned += 1
        if unsigned:
            summary.append(self.tr("%n signature(s) missing", "", unsigned))
        others, missing = self.signers.check()
        return problems + others, summary + missing

    def _focus(self, widget: QWidget) -> None:
        if self.side.isAncestorOf(widget):
            self.side.ensureWidgetVisible(widget)
        if self.body.isAncestorOf(widget):
            self.body.ensureWidgetVisible(widget)
        widget.setFocus()

    def _signature(self, who: str) -> SignatureInput:
        box = self.pads[who]
        width, height = box.pad.canvas_size()
        return SignatureInput(
            name=box.name(),
            strokes=box.pad.strokes(),
            width=width,
            height=height,
            signed_at=self.signed_at[who] or _now(),
        )

    def sign(self) -> None:
        """Check everything, then seal the record off the GUI thread."""
        if self.busy or self.info is not None:
            return
        self.clear_errors()
        problems, summary = self._check()
        if problems:
            self.message.show_error(
                self.tr("Not sealed yet: %1 (shown next to each).").replace(
                    "%1", "; ".join(summary)
                )
            )
            self._focus(problems[0])
            return
        ctx = self.session.ctx
        text = self.text
        initials = {key: edit.text().strip() for key, edit in self.initials.items()}
        choices: dict[str, bool] = {}
        for key, group in self.choices.items():
            checked = group.checkedButton()
            assert checked is not None  # _check refused otherwise
            choices[key] = bool(checked.property("value"))
        patient_signature = self._signature("patient")
        practitioner_signature = self._signature("practitioner")
        signers = self.signers.inputs()
        course = self.course.plan() if self.course is not None else None
        templates = consent_templates()
        kb = knowledge()

        def work() -> ConsentInfo:
            return consents.sign(
                ctx,
                text.consultation_id,
                text.treatment_id,
                template_version=text.template_version,
                initials=initials,
                choices=choices,
                patient_signature=patient_signature,
                practitioner_signature=practitioner_signature,
                templates=templates,
                kb=kb,
                signers=signers,
                course=course,
            )

        self._set_busy(True)
        run_write(work, self._signed, self._sign_failed, busy=self.sign_button)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.status.setText(self.tr("Sealing the record and rendering the PDF…") if busy else "")
        for widget in (
            self.text_view,
            self.side,
            self.patient_box,
            self.practitioner_box,
            self.signers,
            self.sign_button,
            self.close_button,
        ):
            widget.setEnabled(not busy)
        self.busy_changed.emit(busy)
        if not busy:
            self._show_missing()

    def _signed(self, info: ConsentInfo) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        self.info = info
        self.stack.setCurrentWidget(self.sealed_panel)
        self.title.setText(self.tr("Consent sealed: %1").replace("%1", self.treatment_name))
        self.sealed_panel.show_record(info, self.patient_box.name(), self.practitioner_box.name())
        self.sealed.emit(info)

    def _sign_failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        if isinstance(exc, ValidationError):
            self.show_validation(exc)
        elif isinstance(exc, StoreError):
            self.message.show_error(self.tr("Not sealed: %1").replace("%1", refusal_message(exc)))
        else:
            self.message.show_error(
                self.tr("Not sealed, because of an unexpected error: %1").replace("%1", str(exc))
            )

    def show_validation(self, exc: ValidationError) -> None:
        """Show the service's refusal next to the field it names."""
        field = exc.field
        message = refusal_words(exc.message)  # in the interface language
        if field in ("patient_signature", "practitioner_signature"):
            who = field.removesuffix("_signature")
            self.pad_errors[who].show_error(message)
            self._focus(self.pads[who].pad)
        elif field.startswith("choices."):
            key = field.removeprefix("choices.")
            if key in self.choice_errors:
                self.choice_errors[key].show_error(message)
                self._focus(self.choices[key].buttons()[0])
            else:
                self.message.show_error(message)
        elif field.startswith("signers."):
            widget = self.signers.show_validation(field, message)
            if widget is None:
                self.message.show_error(self.tr("Not sealed: %1").replace("%1", message))
                return
            self._focus(widget)
        elif field == "course" and self.course is not None:
            self.course.error.show_error(message)
            self._focus(self.course.sessions)
        elif field == "initials":
            section = next((s for s in self.text.sections if f"“{s.heading}”" in exc.message), None)
            if section is not None:
                self.initials_errors[section.id].show_error(message)
                self._focus(self.initials[section.id])
            else:
                self.message.show_error(message)
        else:
            self.message.show_error(self.tr("Not sealed: %1").replace("%1", message))
            return
        self.message.show_error(self.tr("Not sealed: see the message next to the field."))
