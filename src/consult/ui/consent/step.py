"""The consent step: after the summary, each ready treatment is consented and sealed.

For every treatment of the consultation that may go to consent and is not signed yet,
one after another, :class:`ConsentStep` shows the consent text exactly as the service
renders it (the patient-specific risks and every override's justification included).
The patient initials each section, answers the photographs and data-processing
questions (no default), and signs once the text has been scrolled to its end; the
practitioner countersigns. "Sign and seal" hands everything to ``consents.sign`` off
the GUI thread (it renders the PDF). The sealed record is then shown with its number
and short hash, and can be printed, previewed or saved: always the stored bytes, and
every print or export is logged by the service.

:class:`ConsentDialog` runs the treatments one after the other; ``ClinicalTabs`` opens
it when the wizard's "Go on to consent" is pressed.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Mapping
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consult.domain.roles import Qualification
from consult.knowledge.consent_templates import (
    BULLET,
    CHOICE_SECTIONS,
    ConsentTemplate,
    load_templates,
)
from consult.store.dto import PatientInfo, UserInfo
from consult.store.errors import StoreError, ValidationError
from consult.store.services import consents
from consult.store.services import consultations as consultation_service
from consult.store.services import patients as patient_service
from consult.store.services.consents import ConsentInfo, ConsentText, SignatureInput
from consult.ui.consent.signature_pad import SignatureBox
from consult.ui.consent.text_view import ConsentTextView
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets import pdf_pages
from consult.ui.widgets.basics import QUALIFICATION_LABELS, ErrorLabel, heading
from consult.ui.widgets.export_panel import ask_save_path
from consult.ui.widgets.geometry import fit_dialog
from consult.ui.widgets.pdf_pages import PdfPreview
from consult.ui.widgets.tasks import run_in_background
from consult.ui.widgets.tones import style_with_tones


@functools.cache
def consent_templates() -> Mapping[str, ConsentTemplate]:
    """The shipped consent templates, keyed by treatment id (loaded on first use)."""
    return load_templates()


def view_body(text: str) -> str:
    """A rendered section's text in the form :class:`ConsentTextView` lays out.

    Rendered text separates paragraphs with one newline and starts list items with
    "• "; the view wants blank lines between paragraphs and a list's items on
    consecutive lines.
    """
    blocks: list[list[str]] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        is_item = line.startswith(BULLET.strip())
        if is_item and blocks and blocks[-1][0].startswith(BULLET.strip()):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return "\n\n".join("\n".join(block) for block in blocks)


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


class _FillingLayout(QVBoxLayout):
    """A column that a scroll area stretches to fill its view, scrolling only below the
    column's minimum height (a word-wrapped label would otherwise make the area ask for
    the column's preferred height, and scroll whenever the view is shorter)."""

    def hasHeightForWidth(self) -> bool:
        """No: the minimum height decides when to scroll."""
        return False


def _plain_button(text: str, name: str, parent: QWidget) -> QPushButton:
    """A push button that Enter never presses by accident (signing is deliberate)."""
    button = QPushButton(text, parent)
    button.setAccessibleName(name)
    button.setAutoDefault(False)
    button.setDefault(False)
    return button


class ConsentStep(QWidget):
    """Consent for one treatment: read, initial, choose, sign, countersign, seal.

    Signals:
        sealed: the record was sealed (its :class:`ConsentInfo`).
        continue_requested: the practitioner pressed "Next treatment" / "Done".
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
        self.pdf: bytes | None = None
        self.busy = False
        self.signed_at: dict[str, dt.datetime | None] = {"patient": None, "practitioner": None}
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)

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
        self.sealed_page = self._build_sealed_page()
        self.stack.addWidget(self.signing_page)
        self.stack.addWidget(self.sealed_page)

        self.text_view.set_sections(
            [(f"{i}. {s.heading}", view_body(s.text)) for i, s in enumerate(text.sections, 1)],
            text.title,
        )
        self.text_view.reachedEnd.connect(self._text_read)
        self.patient_box.pad.changed.connect(lambda: self._pad_changed("patient"))
        self.practitioner_box.pad.changed.connect(lambda: self._pad_changed("practitioner"))
        self.sign_button.clicked.connect(self.sign)
        self.close_button.clicked.connect(self.close_requested)
        self.continue_button.clicked.connect(self.continue_requested)
        self.print_button.clicked.connect(self.print_form)
        self.preview_button.clicked.connect(self.preview_form)
        self.save_button.clicked.connect(self.save_pdf)

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
        columns = QHBoxLayout()
        rows.addLayout(columns, 1)

        left = QVBoxLayout()
        columns.addLayout(left, 3)
        self.text_view = ConsentTextView(body)
        self.text_view.setMinimumHeight(200)
        left.addWidget(self.text_view, 1)
        self.read_hint = QLabel(body)
        self.read_hint.setWordWrap(True)
        self.read_hint.setAccessibleName(self.tr("Reading status"))
        left.addWidget(self.read_hint)
        # The signatures under the text and the initials, side by side across the width.
        signatures = QHBoxLayout()
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

        self.side = QScrollArea(body)
        self.side.setWidgetResizable(True)
        self.side.setFrameShape(QFrame.Shape.NoFrame)
        self.side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side.setMinimumWidth(320)
        panel = QWidget(self.side)
        side = QVBoxLayout(panel)
        side.setContentsMargins(0, 0, 6, 0)
        side.addWidget(self._build_initials(panel))
        side.addWidget(self._build_choices(panel))
        side.addStretch(1)
        self.side.setWidget(panel)
        columns.addWidget(self.side, 2)
        self.body.setWidget(body)
        outer.addWidget(self.body, 1)

        bottom = QHBoxLayout()
        self.close_button = _plain_button(
            self.tr("&Close (nothing is signed)"), self.tr("Close without signing"), page
        )
        bottom.addWidget(self.close_button)
        self.busy_bar = QProgressBar(page)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.setAccessibleName(self.tr("Sealing in progress"))
        self.busy_bar.hide()
        bottom.addWidget(self.busy_bar)
        self.status = QLabel(page)
        self.status.setAccessibleName(self.tr("Signing status"))
        bottom.addWidget(self.status, 1)
        self.sign_button = _plain_button(self.tr("Sign and &seal"), self.tr("Sign and seal"), page)
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
        return page

    def _set_tab_order(self) -> None:
        """Tab follows the paper form: text, initials, choices, signatures, seal."""
        chain: list[QWidget] = [self.text_view, *self.initials.values()]
        for group in self.choices.values():
            chain.extend(group.buttons())
        chain += [self.patient_box.pad, self.practitioner_box.pad, self.sign_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _practitioner_role(self, user: UserInfo | None) -> str:
        if user is None or not user.qualification:
            return self.tr("Practitioner")
        try:
            label = self.tr(QUALIFICATION_LABELS[Qualification(user.qualification)])
        except (KeyError, ValueError):
            label = user.qualification
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
            yes = QRadioButton(self.tr("&Yes") if key == "photographs" else self.tr("Y&es"), group)
            no = QRadioButton(self.tr("&No") if key == "photographs" else self.tr("N&o"), group)
            for button, value, word in ((yes, True, self.tr("yes")), (no, False, self.tr("no"))):
                button.setProperty("value", value)
                button.setAccessibleName(f"{title}: {word}")
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

    def _build_sealed_page(self) -> QWidget:
        page = QWidget(self)
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        column = QVBoxLayout()
        row.addLayout(column, 1)
        self.sealed_label = QLabel(self.tr("✔ Consent signed and sealed"), page)
        font = self.sealed_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.sealed_label.setFont(font)
        style_with_tones(self.sealed_label, "color: $ok;")
        self.sealed_label.setAccessibleName(self.tr("Consent signed and sealed"))
        column.addWidget(self.sealed_label)
        self.sealed_details = QLabel(page)
        self.sealed_details.setWordWrap(True)
        self.sealed_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sealed_details.setAccessibleName(self.tr("Sealed record"))
        column.addWidget(self.sealed_details)
        explain = QLabel(
            self.tr(
                "The record can no longer be changed. Printing, saving and reprinting always "
                "give the stored form, and each time is logged."
            ),
            page,
        )
        explain.setWordWrap(True)
        column.addWidget(explain)
        buttons = QVBoxLayout()
        self.print_button = _plain_button(self.tr("&Print…"), self.tr("Print"), page)
        self.preview_button = _plain_button(
            self.tr("Print pre&view…"), self.tr("Print preview"), page
        )
        self.save_button = _plain_button(self.tr("&Save PDF…"), self.tr("Save PDF"), page)
        for button in (self.print_button, self.preview_button, self.save_button):
            button.setMinimumWidth(220)
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addLayout(buttons)
        self.output_status = QLabel(page)
        self.output_status.setWordWrap(True)
        self.output_status.setAccessibleName(self.tr("Printing and saving status"))
        column.addWidget(self.output_status)
        self.output_error = ErrorLabel(page)
        column.addWidget(self.output_error)
        column.addStretch(1)
        self.continue_button = _plain_button(self.tr("&Done"), self.tr("Done"), page)
        self.continue_button.setMinimumWidth(220)
        column.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.preview = PdfPreview(page)
        row.addWidget(self.preview, 2)
        return page

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

    def set_continue(self, text: str, name: str) -> None:
        """Label the button shown after sealing ("Next treatment: …" or "Done")."""
        self.continue_button.setText(text)
        self.continue_button.setAccessibleName(name)

    def has_input(self) -> bool:
        """Whether anything was entered that closing would throw away (before sealing)."""
        if self.info is not None:
            return False
        return (
            any(edit.text().strip() for edit in self.initials.values())
            or any(group.checkedButton() is not None for group in self.choices.values())
            or not all(box.pad.is_empty() for box in self.pads.values())
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
        return problems, summary

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
            )

        self._set_busy(True)
        run_in_background(work, self._signed, self._sign_failed, self.pool)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.status.setText(self.tr("Sealing the record and rendering the PDF…") if busy else "")
        for widget in (
            self.text_view,
            self.side,
            self.patient_box,
            self.practitioner_box,
            self.sign_button,
            self.close_button,
        ):
            widget.setEnabled(not busy)
        self.busy_changed.emit(busy)

    def _signed(self, info: ConsentInfo) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        self.info = info
        self.sealed_details.setText(
            "<p>"
            + self.tr("Document number: <b>%1</b>").replace("%1", info.document_number)
            + "<br>"
            + self.tr("Document hash (SHA-256, short): <b>%1</b>").replace(
                "%1", info.document_sha256[:12]
            )
            + "<br>"
            + self.tr("Signed at %1 by %2 and %3")
            .replace(
                "%1", info.signed_at.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")
            )
            .replace("%2", self.patient_box.name())
            .replace("%3", self.practitioner_box.name())
            + "</p>"
        )
        self.sealed_details.setToolTip(
            self.tr("Full document hash: %1").replace("%1", info.document_sha256)
        )
        self.stack.setCurrentWidget(self.sealed_page)
        self.title.setText(self.tr("Consent sealed: %1").replace("%1", self.treatment_name))
        try:
            self.pdf = consents.pdf(self.session.ctx, info.id, purpose="viewed")
            # A whole page's width fits the preview (a US letter page is 8.5 inches wide).
            room = self.preview.viewport().width() - 24
            pages = self.preview.show_pdf(self.pdf, dpi=max(48.0, min(72.0, room / 8.5)))
        except (StoreError, OSError, ValueError) as exc:
            self.output_error.show_error(
                self.tr("The form cannot be shown: %1").replace("%1", str(exc))
            )
        else:
            self.output_status.setText(self.tr("The stored form has %n page(s).", "", pages))
        self.continue_button.setFocus()
        self.sealed.emit(info)

    def _sign_failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        if isinstance(exc, ValidationError):
            self.show_validation(exc)
        elif isinstance(exc, StoreError):
            self.message.show_error(self.tr("Not sealed: %1").replace("%1", str(exc)))
        else:
            self.message.show_error(
                self.tr("Not sealed, because of an unexpected error: %1").replace("%1", str(exc))
            )

    def show_validation(self, exc: ValidationError) -> None:
        """Show the service's refusal next to the field it names."""
        field = exc.field
        if field in ("patient_signature", "practitioner_signature"):
            who = field.removesuffix("_signature")
            self.pad_errors[who].show_error(exc.message)
            self._focus(self.pads[who].pad)
        elif field.startswith("choices."):
            key = field.removeprefix("choices.")
            if key in self.choice_errors:
                self.choice_errors[key].show_error(exc.message)
                self._focus(self.choices[key].buttons()[0])
            else:
                self.message.show_error(exc.message)
        elif field == "initials":
            section = next((s for s in self.text.sections if f"“{s.heading}”" in exc.message), None)
            if section is not None:
                self.initials_errors[section.id].show_error(exc.message)
                self._focus(self.initials[section.id])
            else:
                self.message.show_error(exc.message)
        else:
            self.message.show_error(self.tr("Not sealed: %1").replace("%1", exc.message))
            return
        self.message.show_error(self.tr("Not sealed: see the message next to the field."))

    # After sealing ---------------------------------------------------------------------

    @classmethod
    def choose_printer(cls, parent: QWidget) -> QPrinter | None:
        """Ask which printer to use (tests replace this)."""
        return pdf_pages.ask_for_printer(parent)

    @classmethod
    def run_preview(cls, dialog: QPrintPreviewDialog) -> bool:
        """Show the preview; True if the user printed from it (tests replace this)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def print_form(self) -> None:
        """Print a copy of the stored form, "Copy" and the date on every page (logged as
        printed)."""
        info = self.info
        if info is None:
            return
        printer = self.choose_printer(self)
        if printer is None:
            return
        self.output_error.clear_error()
        try:
            pdf = consents.pdf(self.session.ctx, info.id, purpose="printed")
            pages = pdf_pages.paint_pdf(pdf, printer)
        except (StoreError, OSError, ValueError) as exc:
            self.output_error.show_error(self.tr("Not printed: %1").replace("%1", str(exc)))
            return
        self.output_status.setText(
            self.tr("Printed a copy of %1 (%n page(s)).", "", pages).replace(
                "%1", info.document_number
            )
        )

    def preview_form(self) -> None:
        """Show the copy a print gives; printing from the preview is logged."""
        info = self.info
        if info is None:
            return
        self.output_error.clear_error()
        try:
            pdf = consents.print_preview(self.session.ctx, info.id)
        except (StoreError, ValueError) as exc:
            self.output_error.show_error(str(exc))
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print preview — %1").replace("%1", info.document_number))
        dialog.paintRequested.connect(lambda target: pdf_pages.paint_pdf(pdf, target))
        try:
            if not self.run_preview(dialog):
                return
            consents.pdf(self.session.ctx, info.id, purpose="printed")
        except StoreError as exc:
            self.output_error.show_error(str(exc))
            return
        finally:
            dialog.deleteLater()
        self.output_status.setText(
            self.tr("Printed a copy of %1.").replace("%1", info.document_number)
        )

    def save_pdf(self) -> None:
        """Save the stored form, byte for byte, where the user chooses (logged as exported)."""
        info = self.info
        if info is None:
            return
        path = ask_save_path(
            self,
            self.tr("Save the signed consent form"),
            f"{info.document_number}.pdf",
            self.tr("PDF documents (*.pdf)"),
        )
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self.output_error.clear_error()
        try:
            pdf = consents.pdf(self.session.ctx, info.id, purpose="exported")
            _write(path, pdf)
        except (StoreError, OSError) as exc:
            self.output_error.show_error(self.tr("Not saved: %1").replace("%1", str(exc)))
            return
        self.output_status.setText(self.tr("Saved to %1").replace("%1", str(path)))

    def wait(self) -> None:
        """Wait for sealing to finish (closing, signing out)."""
        self.pool.waitForDone()


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so no half file is left."""
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)


class ConsentDialog(QDialog):
    """The consent step of one consultation: every ready, unsigned treatment in turn.

    ``all_signed`` is True once every treatment that may go to consent is signed (the
    consultation is then consented and can no longer change).
    """

    def __init__(
        self,
        session: AppSession,
        consultation_id: int,
        patient: PatientInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.consultation_id = consultation_id
        self.patient = patient
        self.pending: list[str] = []
        self.signed: list[ConsentInfo] = []
        self.all_signed = False
        self.step: ConsentStep | None = None
        self.total = 0
        self.number = 0
        self.setWindowTitle(self.tr("Consent"))
        # Large, never larger than the screen: on a small one it fills the screen.
        window = parent.window() if parent is not None else None
        if window is not None and window.width() > 900:
            preferred = QSize(window.width() - 40, max(window.height() - 40, 640))
        else:
            preferred = QSize(1240, 780)
        fit_dialog(self, preferred, parent)
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack)
        self.notice = QWidget(self)
        column = QVBoxLayout(self.notice)
        self.notice_title = heading(self.tr("Consent"), self.notice)
        column.addWidget(self.notice_title)
        self.notice_text = QLabel(self.notice)
        self.notice_text.setWordWrap(True)
        self.notice_text.setAccessibleName(self.tr("Consent status"))
        column.addWidget(self.notice_text)
        self.notice_error = ErrorLabel(self.notice)
        column.addWidget(self.notice_error)
        column.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.notice_button = _plain_button(self.tr("&Close"), self.tr("Close"), self.notice)
        self.notice_button.clicked.connect(self.accept)
        row.addWidget(self.notice_button)
        column.addLayout(row)
        self.stack.addWidget(self.notice)
        self.load()

    def load(self) -> None:
        """Find the treatments still to consent, and show the first."""
        ctx = self.session.ctx
        try:
            info = consultation_service.get(ctx, self.consultation_id)
            if self.patient is None or self.patient.id != info.patient_id:
                self.patient = patient_service.get(ctx, info.patient_id)
            done = {
                c.treatment_id
                for c in consents.for_patient(ctx, info.patient_id)
                if c.consultation_id == self.consultation_id
            }
        except StoreError as exc:
            self._show_notice("", str(exc))
            return
        ready = [r.treatment for r in consultation_service.reviews(info) if r.can_consent]
        self.pending = [t for t in ready if t not in done]
        self.total = len(self.pending)
        self.number = 0
        self.all_signed = bool(ready) and not self.pending
        self.show_next()

    def _treatment_name(self, treatment_id: str) -> str:
        try:
            return str(knowledge().treatment(treatment_id).name)
        except KeyError:
            return treatment_id

    def _show_notice(self, text: str, error: str = "") -> None:
        self.notice_text.setText(text)
        self.notice_error.show_error(error)
        self.stack.setCurrentWidget(self.notice)
        self.notice_button.setFocus()

    def show_next(self) -> None:
        """Show the next treatment to consent, or say that nothing is left."""
        if self.step is not None:
            old, self.step = self.step, None
            self.stack.removeWidget(old)
            old.hide()
            old.deleteLater()
        if not self.pending:
            self._show_notice(
                self.tr("Every treatment ready for consent in this consultation is signed.")
                if self.all_signed
                else self.tr("No treatment of this consultation can go on to consent.")
            )
            return
        assert self.patient is not None
        treatment = self.pending.pop(0)
        self.number += 1
        try:
            text = consents.consent_text(
                self.session.ctx, self.consultation_id, treatment, consent_templates()
            )
        except StoreError as exc:
            self._show_notice(
                self.tr("The consent text for %1 cannot be shown.").replace(
                    "%1", self._treatment_name(treatment)
                ),
                str(exc),
            )
            return
        name = self._treatment_name(treatment)
        step = ConsentStep(self.session, self.patient, text, name, (self.number, self.total), self)
        if self.pending:
            following = self._treatment_name(self.pending[0])
            step.set_continue(
                self.tr("&Next treatment: %1").replace("%1", following),
                self.tr("Next treatment"),
            )
        step.sealed.connect(self._sealed)
        step.continue_requested.connect(self._continue)
        step.close_requested.connect(self.close_asking)
        self.stack.addWidget(step)
        self.stack.setCurrentWidget(step)
        self.step = step
        self.setWindowTitle(
            self.tr("Consent — %1 — %2").replace("%1", self.patient.full_name).replace("%2", name)
        )
        step.text_view.setFocus()

    def _sealed(self, info: ConsentInfo) -> None:
        self.signed.append(info)
        if not self.pending:
            self.all_signed = True

    def _continue(self) -> None:
        if self.pending:
            self.show_next()
        else:
            self.accept()

    @classmethod
    def confirm_discard(cls, parent: QWidget) -> bool:
        """Ask before throwing away initials, choices or signatures (tests replace this)."""
        answer = QMessageBox.question(
            parent,
            parent.tr("Close without signing?"),
            parent.tr(
                "The initials, choices and signatures entered for this treatment will be "
                "lost. Nothing has been signed yet."
            ),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def close_asking(self) -> None:
        """The practitioner asked to close (Escape, "Close"): never while sealing, and
        only after asking if initials, choices or signatures would be lost."""
        if self._may_close():
            self.discard()

    def _may_close(self) -> bool:
        step = self.step
        if step is None:
            return True
        if step.busy:
            return False
        return not step.has_input() or self.confirm_discard(self)

    def reject(self) -> None:
        """Close without asking (the idle lock, sign-out); anything not sealed is dropped."""
        self.discard()

    def discard(self) -> None:
        """Close without asking, once any sealing has finished."""
        if self.step is not None:
            self.step.wait()
            # Deliver the sealing's result, so that ``signed`` and ``all_signed`` are true.
            QCoreApplication.sendPostedEvents()
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Escape asks before throwing entries away (QDialog would just reject)."""
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.close_asking()
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close box behaves like Escape."""
        if self.isVisible() and not self._may_close():
            event.ignore()
            return
        super().closeEvent(event)
