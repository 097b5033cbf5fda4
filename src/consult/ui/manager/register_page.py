"""The manager's consent register: filters, a paged table sorted by the database, the
record detail (with withdraw and void), and exports with progress and Cancel."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from consult.documents.exports import ExportCancelled
from consult.domain.roles import Role
from consult.store.errors import StoreError, ValidationError
from consult.store.services import consents
from consult.store.services import register as register_service
from consult.store.services.register import (
    Cursor,
    RecordDetail,
    RegisterFilters,
    RegisterPage,
    RegisterRow,
)
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.export_panel import ExportPanel, ask_save_path
from consult.ui.widgets.formatting import local_time, treatment_names
from consult.ui.widgets.geometry import fit_dialog
from consult.ui.widgets.pdf_pages import PdfPreview
from consult.ui.widgets.tasks import LatestOnly
from consult.ui.widgets.tones import qtone
from consult.ui.widgets.words import OUTCOME_LABELS, STATE_LABELS, outcome_text, state_text

AnyIndex = QModelIndex | QPersistentModelIndex
PageFetcher = Callable[[RegisterFilters, Cursor | None], RegisterPage]


class RegisterTableModel(QAbstractTableModel):
    """The register, a page at a time: ``fetchMore`` asks for the next page.

    With a ``runner`` the pages are fetched off the GUI thread (rows arrive later, and a
    page for filters that have since changed is dropped); without one, synchronously.
    Sorting asks the database: :meth:`sort` changes the filters' sort order.
    """

    (
        COL_SIGNED,
        COL_DOCUMENT,
        COL_PATIENT,
        COL_PRACTITIONER,
        COL_TREATMENT,
        COL_OUTCOME,
        COL_OVERRIDES,
        COL_STATE,
    ) = range(8)
    HEADERS = (
        "Signed",
        "Document",
        "Patient",
        "Practitioner",
        "Treatment",
        "Outcome",
        "Overrides",
        "State",
    )
    SORT_KEYS: ClassVar[dict[int, str]] = {
        COL_SIGNED: "signed_at",
        COL_DOCUMENT: "document_number",
        COL_TREATMENT: "treatment_id",
        COL_OUTCOME: "outcome",
        COL_OVERRIDES: "has_overrides",
        COL_STATE: "state",
    }
    loading_changed = Signal(bool)
    failed = Signal(str)

    def __init__(
        self,
        fetch: PageFetcher,
        runner: LatestOnly | None = None,
        names: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._fetch_page = fetch
        self._runner = runner
        self._names = dict(names or {})
        self._rows: list[RegisterRow] = []
        self._cursor: Cursor | None = None
        self._exhausted = True
        self._loading = False
        self._generation = 0
        self.filters = RegisterFilters()

    # --- paging -----------------------------------------------------------------------

    def set_filters(self, filters: RegisterFilters) -> None:
        """Start again from the first page with other filters (or another sort order)."""
        self.beginResetModel()
        self.filters = filters
        self._rows = []
        self._cursor = None
        # Nothing to fetch while views and testers react to the reset: the first page is
        # asked for right after it, once.
        self._exhausted = True
        self._loading = False
        self._generation += 1
        self.endResetModel()
        self._exhausted = False
        self._request()

    def refresh(self) -> None:
        """Load the register again with the same filters."""
        self.set_filters(self.filters)

    def is_loading(self) -> bool:
        """True while a page is being fetched."""
        return self._loading

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._request()

    def _request(self) -> None:
        filters, cursor, generation = self.filters, self._cursor, self._generation
        self._set_loading(True)
        if self._runner is None:
            try:
                page = self._fetch_page(filters, cursor)
            except Exception as exc:
                self._failed(exc, generation)
                return
            self._arrived(page, generation)
            return
        fetch = self._fetch_page
        self._runner.submit(
            lambda: fetch(filters, cursor),
            lambda page: self._arrived(page, generation),
            lambda exc: self._failed(exc, generation),
        )

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def _arrived(self, page: RegisterPage, generation: int) -> None:
        if generation != self._generation:
            return
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
        self._cursor = page.cursor
        self._exhausted = page.cursor is None
        self._set_loading(False)

    def _failed(self, exc: Exception, generation: int) -> None:
        if generation != self._generation:
            return
        self._exhausted = True
        self._set_loading(False)
        self.failed.emit(str(exc))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.SORT_KEYS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.filters.sort, self.filters.descending):
            self.set_filters(self.filters.sorted_by(key, descending))

    def sort_column(self) -> int:
        """The column the register is sorted by."""
        return next(c for c, key in self.SORT_KEYS.items() if key == self.filters.sort)

    # --- the table --------------------------------------------------------------------

    def record(self, row: int) -> RegisterRow:
        """The register line on ``row``."""
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole:
            if section in self.SORT_KEYS:
                return self.tr("Click to sort by this column")
            return self.tr("Filter by practitioner above; this column does not sort")
        return None

    def text(self, row: RegisterRow, column: int) -> str:
        """What a cell shows."""
        if column == self.COL_SIGNED:
            return local_time(row.signed_at)
        if column == self.COL_DOCUMENT:
            return row.document_number
        if column == self.COL_PATIENT:
            return row.patient_name
        if column == self.COL_PRACTITIONER:
            return row.practitioner_name
        if column == self.COL_TREATMENT:
            return self._names.get(row.treatment_id, row.treatment_id)
        if column == self.COL_OUTCOME:
            return outcome_text(row.outcome)
        if column == self.COL_OVERRIDES:
            return self.tr("Yes") if row.has_overrides else ""
        if column == self.COL_STATE:
            return state_text(row.state)
        return ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.HEADERS):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole and row.state == "voided":
            return qtone("muted")
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.COL_PATIENT:
            born = row.date_of_birth.isoformat() if row.date_of_birth else "?"
            return self.tr("Born %1").replace("%1", born)
        return None


class ReasonDialog(QDialog):
    """Asks why a consent is withdrawn or voided (at least 5 characters)."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        label = QLabel(prompt, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.reason = QPlainTextEdit(self)
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        label.setBuddy(self.reason)
        layout.addWidget(self.reason)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if len(self.reason.toPlainText().strip()) < 5:
            self.error.show_error(self.tr("Give the reason (at least 5 characters)."))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget, title: str, prompt: str) -> str | None:
        """The reason typed, or None if cancelled (tests replace this)."""
        dialog = cls(title, prompt, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.reason.toPlainText().strip()
        return None


class RecordDialog(QDialog):
    """One signed record: summary, findings and overrides, signatures and events, its own
    audit trail and the stored form; withdraw and void for whoever may."""

    changed = Signal(int)  # consent id

    def __init__(self, session: AppSession, consent_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.consent_id = consent_id
        self.detail: RecordDetail | None = None
        self._pdf: bytes | None = None
        self.setWindowTitle(self.tr("Consent record"))
        fit_dialog(self, QSize(980, 700), parent)
        layout = QVBoxLayout(self)
        self.title = heading("", self)
        layout.addWidget(self.title)
        self.tabs = QTabWidget(self)
        self.summary = QTextBrowser(self)
        self.summary.setAccessibleName(self.tr("Record summary"))
        self.findings = QTextBrowser(self)
        self.findings.setAccessibleName(self.tr("Findings and overrides"))
        self.trail = QTableWidget(0, 5, self)
        self.trail.setAccessibleName(self.tr("Audit trail of this record"))
        self.trail.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("Who"),
                self.tr("Workstation"),
                self.tr("Event"),
                self.tr("Details"),
            ]
        )
        self.trail.verticalHeader().hide()
        self.trail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.trail.setWordWrap(False)
        trail_header = self.trail.horizontalHeader()
        trail_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        trail_header.setStretchLastSection(True)
        self.preview = PdfPreview(self)
        self.tabs.addTab(self.summary, self.tr("&Summary"))
        self.tabs.addTab(self.findings, self.tr("&Findings and overrides"))
        self.tabs.addTab(self.trail, self.tr("&Audit trail"))
        self.tabs.addTab(self.preview, self.tr("F&orm (PDF)"))
        layout.addWidget(self.tabs, 1)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.withdraw_button = QPushButton(self.tr("&Withdraw…"), self)
        self.void_button = QPushButton(self.tr("&Void…"), self)
        self.open_button = QPushButton(self.tr("Open &PDF"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        for button in (self.withdraw_button, self.void_button, self.open_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.withdraw_button.clicked.connect(lambda: self.change("withdrawn"))
        self.void_button.clicked.connect(lambda: self.change("voided"))
        self.open_button.clicked.connect(self.open_pdf)
        self.close_button.clicked.connect(self.accept)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.load()

    def load(self) -> None:
        """Read the record again (the view is logged)."""
        try:
            self.detail = register_service.record_detail(self.session.ctx, self.consent_id)
        except StoreError as exc:
            self.error.show_error(str(exc))
            for button in (self.withdraw_button, self.void_button, self.open_button):
                button.setEnabled(False)
            return
        detail = self.detail
        info = detail.info
        self.title.setText(
            f"{info.document_number} — {detail.patient.full_name} — {detail.treatment_name}"
        )
        self.summary.setHtml(self._summary_html(detail))
        self.findings.setHtml(self._findings_html(detail))
        self.trail.setRowCount(len(detail.audit_trail))
        for row, entry in enumerate(detail.audit_trail):
            details = ", ".join(f"{k}: {v}" for k, v in sorted(entry.details.items()))
            for column, text in enumerate(
                (
                    local_time(entry.at),
                    entry.username or "—",
                    entry.workstation,
                    entry.event,
                    details,
                )
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.trail.setItem(row, column, item)
        can_withdraw = detail.may_change and info.state == "signed"
        self.withdraw_button.setVisible(detail.may_change or info.state == "signed")
        self.withdraw_button.setEnabled(can_withdraw)
        self.void_button.setEnabled(detail.may_change)
        self.void_button.setVisible(detail.may_change or info.state != "voided")

    def _summary_html(self, d: RecordDetail) -> str:
        e = html.escape
        info = d.info
        product = d.product or {}
        rows = [
            (self.tr("State"), state_text(info.state)),
            (self.tr("Patient"), f"{d.patient.full_name}, born {d.patient.date_of_birth}"),
            (self.tr("Contact"), ", ".join(p for p in (d.patient.phone, d.patient.email) if p)),
            (self.tr("Practitioner"), d.practitioner_name),
            (self.tr("Treatment"), f"{d.treatment_name} ({d.route})"),
            (
                self.tr("Product and lot"),
                f"{product.get('name', '—')} — lot {product.get('lot', '—')}, "
                f"expires {product.get('expiry', '—')}"
                if product
                else "—",
            ),
            (self.tr("Signed"), local_time(info.signed_at)),
            (self.tr("Screening outcome"), outcome_text(info.outcome)),
            (self.tr("Template version"), info.template_version),
            (self.tr("Document hash"), info.document_sha256),
            (self.tr("PDF hash"), info.pdf_sha256),
        ]
        body = "".join(
            f"<tr><th align='left' style='padding-right:12px'>{e(k)}</th><td>{e(str(v))}</td></tr>"
            for k, v in rows
        )
        signatures = "".join(
            f"<li>{e(s.name)} ({e(s.role)}{', ' + e(s.qualification) if s.qualification else ''}),"
            f" {e(s.meaning)}, {e(s.signed_at)} — {s.points} {e(self.tr('points'))}</li>"
            for s in d.signatures
        )
        events = (
            "".join(
                f"<li>{e(local_time(ev.at))}: <b>{e(self.tr(ev.kind.replace('_', ' ')))}</b> by "
                f"{e(ev.user_name)}{' — ' + e(ev.reason) if ev.reason else ''}</li>"
                for ev in d.events
            )
            or f"<li>{e(self.tr('None'))}</li>"
        )
        return (
            f"<table>{body}</table>"
            f"<h3>{e(self.tr('Signatures'))}</h3><ul>{signatures}</ul>"
            f"<h3>{e(self.tr('Events after signing'))}</h3><ul>{events}</ul>"
        )

    def _findings_html(self, d: RecordDetail) -> str:
        e = html.escape
        if not d.findings:
            text = e(self.tr("Screening found nothing for this treatment."))
        else:
            items = []
            for f in d.findings:
                line = f"<p><b>{e(f.severity.capitalize())}</b> — {e(f.message)}"
                if f.decision == "justified":
                    line += (
                        f"<br/><i>{e(self.tr('Overridden by'))} {e(f.decided_by)} "
                        f"({e(f.decided_at)}):</i> {e(f.justification)}"
                    )
                elif f.decision:
                    line += f"<br/><i>{e(self.tr('Acknowledged by'))} {e(f.decided_by)}</i>"
                items.append(line + "</p>")
            text = "".join(items)
        intake = "".join(
            f"<tr><td style='padding-right:12px'>{e(label)}</td><td>{e(answer)}</td></tr>"
            for label, answer in d.intake
        )
        return f"{text}<h3>{e(self.tr('Intake answers'))}</h3><table>{intake}</table>"

    def _load_pdf(self) -> bytes | None:
        if self._pdf is None:
            try:
                self._pdf = consents.pdf(self.session.ctx, self.consent_id, purpose="viewed")
            except StoreError as exc:
                self.error.show_error(str(exc))
                return None
        return self._pdf

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.preview and not self.preview.shown:
            pdf = self._load_pdf()
            if pdf is not None:
                self.preview.show_pdf(pdf)

    def open_pdf(self) -> None:
        """Open the stored form in the system's PDF viewer."""
        from consult.ui.widgets.pdf_pages import open_externally

        pdf = self._load_pdf()
        if pdf is not None and self.detail is not None:
            open_externally(pdf, self.detail.info.document_number)

    def change(self, kind: str) -> None:
        """Withdraw or void the record, with a reason."""
        if self.detail is None:
            return
        title = self.tr("Withdraw consent") if kind == "withdrawn" else self.tr("Void consent")
        prompt = (
            self.tr("Why is the patient's consent withdrawn? The record is kept, marked withdrawn.")
            if kind == "withdrawn"
            else self.tr(
                "Why is this record void (for example, entered for the wrong patient)? "
                "The record is kept, marked void."
            )
        )
        reason = ReasonDialog.ask(self, title, prompt)
        if reason is None:
            return
        try:
            consents.add_event(self.session.ctx, self.consent_id, kind, reason)
        except ValidationError as exc:
            self.error.show_error(exc.message)
            return
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        self.error.clear_error()
        self.load()
        self.changed.emit(self.consent_id)


class RegisterPage(QWidget):
    """Filters, the register and its exports."""

    DEBOUNCE_MS = 150

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.names = treatment_names()
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Consent register"), self))
        layout.addLayout(self._filter_bar())
        self.runner = LatestOnly(self)
        self.count_runner = LatestOnly(self)
        self.model = RegisterTableModel(
            lambda filters, after: register_service.register_page(
                self.session.ctx, filters, after=after
            ),
            self.runner,
            self.names,
            self,
        )
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Consent records"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((130, 150, 220, 170, 190, 150, 80)):
            header.resizeSection(column, width)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(RegisterTableModel.COL_SIGNED, Qt.SortOrder.DescendingOrder)
        header.sectionClicked.connect(self._header_clicked)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Register status"))
        bottom.addWidget(self.status, 1)
        self.open_button = QPushButton(self.tr("&Open record…"), self)
        self.csv_button = QPushButton(self.tr("Export &CSV…"), self)
        self.fhir_button = QPushButton(self.tr("E&xport FHIR…"), self)
        for button in (self.open_button, self.csv_button, self.fhir_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            bottom.addWidget(button)
        layout.addLayout(bottom)
        self.exporting = ExportPanel(self)
        layout.addWidget(self.exporting)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply_filters)
        self._count: int | None = None
        self.model.loading_changed.connect(lambda _loading: self._show_status())
        self.model.failed.connect(self.error.show_error)
        self.model.modelReset.connect(self._update_buttons)
        self.open_button.clicked.connect(self.open_record)
        self.table.doubleClicked.connect(lambda _index: self.open_record())
        self.table.activated.connect(lambda _index: self.open_record())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.fhir_button.clicked.connect(lambda: self.export("fhir"))
        self._update_buttons()

    def _filter_bar(self) -> QGridLayout:
        grid = QGridLayout()
        self.from_check = QCheckBox(self.tr("Fro&m"), self)
        self.to_check = QCheckBox(self.tr("&To"), self)
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addMonths(-1), self)
        self.date_to = QDateEdit(today, self)
        for check, edit, name in (
            (self.from_check, self.date_from, self.tr("Signed from")),
            (self.to_check, self.date_to, self.tr("Signed until")),
        ):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
            edit.setAccessibleName(name)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(lambda _on: self.filters_changed())
            edit.dateChanged.connect(lambda _d: self.filters_changed())
        self.practitioner = QComboBox(self)
        self.practitioner.addItem(self.tr("Any practitioner"), None)
        self.treatment = QComboBox(self)
        self.treatment.addItem(self.tr("Any treatment"), None)
        for tid, name in sorted(self.names.items(), key=lambda item: item[1].casefold()):
            self.treatment.addItem(name, tid)
        self.outcome = QComboBox(self)
        self.outcome.addItem(self.tr("Any outcome"), None)
        for key in OUTCOME_LABELS:
            self.outcome.addItem(outcome_text(key), key)
        self.overrides = QComboBox(self)
        self.overrides.addItem(self.tr("With or without overrides"), None)
        self.overrides.addItem(self.tr("With overrides"), True)
        self.overrides.addItem(self.tr("Without overrides"), False)
        self.state = QComboBox(self)
        self.state.addItem(self.tr("Any state"), None)
        for key in STATE_LABELS:
            self.state.addItem(state_text(key), key)
        combos = (
            (self.practitioner, self.tr("Practitioner")),
            (self.treatment, self.tr("Treatment")),
            (self.outcome, self.tr("Outcome")),
            (self.overrides, self.tr("Overrides")),
            (self.state, self.tr("State")),
        )
        for combo, name in combos:
            combo.setAccessibleName(name)
            combo.currentIndexChanged.connect(lambda _i: self.filters_changed())
        self.reset_button = QPushButton(self.tr("Reset filt&ers"), self)
        self.reset_button.setAccessibleName(self.tr("Reset filters"))
        self.reset_button.clicked.connect(self.reset_filters)
        grid.addWidget(self.from_check, 0, 0)
        grid.addWidget(self.date_from, 0, 1)
        grid.addWidget(self.to_check, 0, 2)
        grid.addWidget(self.date_to, 0, 3)
        grid.addWidget(self.practitioner, 0, 4)
        grid.addWidget(self.treatment, 0, 5)
        grid.addWidget(self.outcome, 1, 0, 1, 2)
        grid.addWidget(self.overrides, 1, 2, 1, 2)
        grid.addWidget(self.state, 1, 4)
        grid.addWidget(self.reset_button, 1, 5, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(4, 1)
        grid.setColumnStretch(5, 1)
        return grid

    def filters(self) -> RegisterFilters:
        """The filters the bar shows, with the table's sort order."""

        def day(check: QCheckBox, edit: QDateEdit) -> dt.date | None:
            if not check.isChecked():
                return None
            q = edit.date()
            return dt.date(q.year(), q.month(), q.day())

        return RegisterFilters(
            date_from=day(self.from_check, self.date_from),
            date_to=day(self.to_check, self.date_to),
            practitioner_id=self.practitioner.currentData(),
            treatment_id=self.treatment.currentData(),
            outcome=self.outcome.currentData(),
            has_overrides=self.overrides.currentData(),
            state=self.state.currentData(),
            sort=self.model.filters.sort,
            descending=self.model.filters.descending,
        )

    def filters_changed(self) -> None:
        """Apply the filters shortly (typing a date changes it several times)."""
        self._timer.start()

    def reset_filters(self) -> None:
        """Back to the whole register, newest first."""
        for widget in (self.from_check, self.to_check):
            widget.blockSignals(True)
            widget.setChecked(False)
            widget.blockSignals(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        for combo in (self.practitioner, self.treatment, self.outcome, self.overrides, self.state):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.model.filters = RegisterFilters()
        self.table.horizontalHeader().setSortIndicator(
            RegisterTableModel.COL_SIGNED, Qt.SortOrder.DescendingOrder
        )
        self.apply_filters()

    def refresh(self) -> None:
        """Load the practitioners for the filter, then the register."""
        try:
            people = register_service.practitioners(self.session.ctx)
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        chosen = self.practitioner.currentData()
        self.practitioner.blockSignals(True)
        self.practitioner.clear()
        self.practitioner.addItem(self.tr("Any practitioner"), None)
        for uid, name in people:
            self.practitioner.addItem(name, uid)
        self.practitioner.setCurrentIndex(max(0, self.practitioner.findData(chosen)))
        self.practitioner.blockSignals(False)
        self.apply_filters()

    def apply_filters(self) -> None:
        """Ask the database for the first page and the count."""
        self._timer.stop()
        filters = self.filters()
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            self.error.show_error(self.tr("The end date is before the start date."))
            return
        self.error.clear_error()
        self._count = None
        self.model.set_filters(filters)
        ctx = self.session.ctx
        self.count_runner.submit(
            lambda: register_service.register_count(ctx, filters),
            self._counted,
            lambda exc: self.error.show_error(str(exc)),
        )
        self._show_status()

    def _counted(self, count: int) -> None:
        self._count = count
        self._show_status()

    def _show_status(self) -> None:
        if self._count is None:
            text = self.tr("Counting…")
        elif self._count >= register_service.COUNT_CAP:
            text = self.tr("More than %1 records").replace("%1", f"{register_service.COUNT_CAP:,}")
        else:
            text = self.tr("%n record(s)", "", self._count)
        shown = self.model.rowCount()
        if self.model.is_loading():
            text += " — " + self.tr("loading…")
        elif shown and self.model.canFetchMore():
            text += " — " + self.tr("%n shown (scroll for more)", "", shown)
        self.status.setText(text)

    def _header_clicked(self, column: int) -> None:
        header = self.table.horizontalHeader()
        current = self.model.sort_column()
        if column not in RegisterTableModel.SORT_KEYS:
            header.setSortIndicator(
                current,
                Qt.SortOrder.DescendingOrder
                if self.model.filters.descending
                else Qt.SortOrder.AscendingOrder,
            )
            return
        if column == current:
            descending = not self.model.filters.descending
        else:
            descending = column in (RegisterTableModel.COL_SIGNED, RegisterTableModel.COL_OVERRIDES)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(column, order)
        self.model.sort(column, order)
        self._count = self._count  # the count does not change with the order
        self._show_status()

    def current(self) -> RegisterRow | None:
        """The selected record."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.current() is not None)
        self.csv_button.setEnabled(not self.exporting.running)
        self.fhir_button.setEnabled(not self.exporting.running)

    def open_record(self) -> None:
        """Show the selected record."""
        row = self.current()
        if row is None:
            return
        dialog = RecordDialog(self.session, row.id, self)
        dialog.changed.connect(lambda _id: self.model.refresh())
        dialog.exec()

    def export(self, fmt: str) -> None:
        """Export the filtered register (off the GUI thread, with progress and Cancel)."""
        if self.exporting.running:
            return
        stamp = dt.date.today().isoformat()
        if fmt == "csv":
            path = ask_save_path(
                self,
                self.tr("Export the register as CSV"),
                f"consents-{stamp}.csv",
                self.tr("CSV files (*.csv)"),
            )
        else:
            path = ask_save_path(
                self,
                self.tr("Export the register as FHIR"),
                f"consents-{stamp}.fhir.json",
                self.tr("FHIR JSON bundles (*.json)"),
            )
        if path is None:
            return
        filters, ctx, names = self.filters(), self.session.ctx, self.names

        def work(progress: Any, cancelled: Any) -> Any:
            return register_service.export_register(
                ctx,
                filters,
                fmt,
                path,
                treatment_names=names,
                progress=progress,
                cancelled=cancelled,
            )

        self.exporting.start(
            self.tr("Exporting to %1…").replace("%1", path.name),
            work,
            self._exported,
            self._export_failed,
        )
        self._update_buttons()

    def _exported(self, result: register_service.ExportResult) -> None:
        self._update_buttons()
        self.status.setText(
            self.tr("Exported %1 record(s) to %2")
            .replace("%1", str(result.records))
            .replace("%2", str(result.path))
        )

    def _export_failed(self, exc: Exception) -> None:
        self._update_buttons()
        if isinstance(exc, ExportCancelled):
            self.status.setText(self.tr("Export cancelled; no file was written."))
        else:
            self.error.show_error(str(exc))

    def leave(self) -> None:
        """Wait for background work (sign-out, quit)."""
        if self.exporting.running:
            self.exporting.cancel()
        self.runner.wait()
        self.count_runner.wait()

    @staticmethod
    def may_use(roles: frozenset[Role]) -> bool:
        """Managers review the register."""
        return Role.MANAGER in roles


__all__ = ["RecordDialog", "RegisterPage", "RegisterTableModel"]
