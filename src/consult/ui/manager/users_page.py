"""The Users tab (managers): who may sign in, with which roles; password resets;
deactivation (users are never deleted); and the clinic's settings: the idle lock and
the paper of its consent forms (:mod:`.form_paper`). The table is :mod:`.user_table`
and the forms :mod:`.user_dialogs`."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consult.documents import aftercare_pdf, paper
from consult.domain import clinic_zone
from consult.store.dto import ClinicInfo, UserInfo
from consult.store.services import clinic as clinic_service
from consult.store.services import users as user_service
from consult.ui.manager.form_paper import FormPaperBox
from consult.ui.manager.form_time_zone import FormTimeZoneBox
from consult.ui.manager.user_dialogs import ResetPasswordDialog, UserDialog
from consult.ui.manager.user_table import UserTableModel
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.saving_dialog import show_refusal
from consult.ui.widgets.tasks import LatestOnly, run_write


class UsersPage(QWidget):
    """Managers keep the list of users and the clinic's settings (idle lock, paper)."""

    loaded = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Users"), self))
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add us&er…"), self)
        self.edit_button = QPushButton(self.tr("Edit r&oles…"), self)
        self.reset_button = QPushButton(self.tr("Reset pass&word…"), self)
        self.active_button = QPushButton(self.tr("Deac&tivate"), self)
        for button in (self.add_button, self.edit_button, self.reset_button, self.active_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.model = UserTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Users"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(UserTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("User list status"))
        layout.addWidget(self.status)
        settings = QHBoxLayout()
        lock_label = QLabel(self.tr("Loc&k the screen after"), self)
        self.idle_minutes = QSpinBox(self)
        low, high = clinic_service.IDLE_LOCK_RANGE
        self.idle_minutes.setRange(low, high)
        self.idle_minutes.setSuffix(self.tr(" minutes without input"))
        self.idle_minutes.setAccessibleName(self.tr("Idle lock minutes"))
        lock_label.setBuddy(self.idle_minutes)
        paper_label = QLabel(self.tr("Paper for co&nsent forms"), self)
        self.form_paper = FormPaperBox(self)
        paper_label.setBuddy(self.form_paper)
        zone_label = QLabel(self.tr("Time &zone of forms"), self)
        self.form_time_zone = FormTimeZoneBox(self)
        zone_label.setBuddy(self.form_time_zone)
        self.save_settings_button = QPushButton(self.tr("&Save settings"), self)
        settings.addWidget(lock_label)
        settings.addWidget(self.idle_minutes)
        settings.addSpacing(12)
        settings.addWidget(paper_label)
        settings.addWidget(self.form_paper)
        settings.addSpacing(12)
        settings.addWidget(zone_label)
        settings.addWidget(self.form_time_zone)
        settings.addWidget(self.save_settings_button)
        settings.addStretch(1)
        layout.addLayout(settings)
        # Issue 20: the telephone the aftercare sheet gives patients, saved with the rest.
        contact = QHBoxLayout()
        phone_label = QLabel(
            self.tr("Out-of-hours &contact (telephone) for aftercare sheets"), self
        )
        self.out_of_hours = QLineEdit(self)
        self.out_of_hours.setAccessibleName(self.tr("Out-of-hours telephone"))
        self.out_of_hours.setPlaceholderText(self.tr("e.g. +44 20 7946 0000"))
        self.out_of_hours.setMaximumWidth(260)
        phone_label.setBuddy(self.out_of_hours)
        contact.addWidget(phone_label)
        contact.addWidget(self.out_of_hours, 1)
        contact.addStretch(1)
        layout.addLayout(contact)
        self.runner = LatestOnly(self)
        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)
        self.save_settings_button.clicked.connect(self.save_settings)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.activated.connect(lambda _index: self.edit_user())
        self._keep: int | None = None
        self._update_buttons()

    def current(self) -> UserInfo | None:
        """The selected user."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.user(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        user = self.current()
        for button in (self.edit_button, self.reset_button, self.active_button):
            button.setEnabled(user is not None)
        self.active_button.setText(
            self.tr("Re&activate")
            if user is not None and not user.active
            else self.tr("Deac&tivate")
        )

    def refresh(self, keep: int | None = None) -> None:
        """Reload users and the settings off the GUI thread; ``keep`` selects a user."""
        current = self.current()
        self._keep = keep if keep is not None else (current.id if current else None)
        ctx = self.session.ctx
        self.status.setText(self.tr("Loading…"))
        self.runner.submit(
            lambda: (
                user_service.list_users(ctx),
                clinic_service.idle_lock_minutes(ctx),
                clinic_service.settings(ctx),
            ),
            self._show,
            self._fail,
        )

    def _show(self, loaded: tuple[list[UserInfo], int, dict[str, object]]) -> None:
        rows, minutes, settings = loaded
        self.model.set_rows(rows)
        row = self.model.row_of(lambda user: user.id == self._keep)
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self.idle_minutes.setValue(minutes)
        clinic = self.session.clinic
        self.form_paper.set_jurisdiction(clinic.jurisdiction if clinic is not None else "")
        self.form_paper.set_setting(settings.get(paper.SETTING))
        self.form_time_zone.set_setting(settings.get(clinic_zone.SETTING))
        self.out_of_hours.setText(str(settings.get(aftercare_pdf.SETTING) or ""))
        active = sum(1 for user in rows if user.active)
        self.status.setText(fill(self.tr("%1 users, %2 active"), len(rows), active))
        self._update_buttons()
        self.loaded.emit()

    def _fail(self, exc: Exception) -> None:
        self.status.setText(
            self.tr("The users could not be loaded: %1").replace("%1", refusal_text(exc))
        )

    def clear(self) -> None:
        """Forget the list (the manager signed out)."""
        self.runner.wait()
        self.model.set_rows([])
        self.error.clear_error()

    def add_user(self) -> None:
        """Add a user."""
        saved = UserDialog.ask(self.session, None, self)
        if saved is not None:
            self.refresh(saved.id)

    def edit_user(self) -> None:
        """Change the selected user's roles, qualification or name."""
        user = self.current()
        if user is None:
            return
        saved = UserDialog.ask(self.session, user, self)
        if saved is not None:
            self.refresh(saved.id)

    def reset_password(self) -> None:
        """Give the selected user a temporary password."""
        user = self.current()
        if user is None:
            return
        saved = ResetPasswordDialog.ask(self.session, user, self)
        if saved is not None:
            self.refresh(saved.id)

    @classmethod
    def confirm(cls, parent: QWidget, question: str) -> bool:
        """Ask a yes/no question (tests replace this)."""
        answer = QMessageBox.question(
            parent, QCoreApplication.translate("UsersPage", "Users"), question
        )
        return answer == QMessageBox.StandardButton.Yes

    def toggle_active(self) -> None:
        """Deactivate the selected user (after asking), or reactivate them: a write, off
        the GUI thread, with the button disabled meanwhile."""
        user = self.current()
        if user is None:
            return
        self.error.clear_error()
        ctx = self.session.ctx
        if user.active:
            question = self.tr(
                "Deactivate %1? They will not be able to sign in. Their records and "
                "signatures are kept."
            ).replace("%1", user.display_name)
            if not self.confirm(self, question):
                return
            run_write(
                lambda: user_service.deactivate(ctx, user.id, user.version),
                self._saved_user,
                self._refused,
                busy=self.active_button,
            )
        else:
            run_write(
                lambda: user_service.reactivate(ctx, user.id, user.version),
                self._saved_user,
                self._refused,
                busy=self.active_button,
            )

    def _saved_user(self, user: UserInfo) -> None:
        self.refresh(user.id)

    def _refused(self, exc: Exception) -> None:
        show_refusal(exc, self.error)

    def save_settings(self) -> None:
        """Save the idle-lock minutes and the forms' paper (clinic settings, logged): a
        write, off the GUI thread, with the button disabled meanwhile."""
        self.error.clear_error()
        if self.session.clinic is None:
            self.error.show_error(self.tr("There is no clinic yet."))
            return
        ctx, minutes = self.session.ctx, self.idle_minutes.value()
        form_paper = self.form_paper.setting()
        time_zone = self.form_time_zone.setting()
        out_of_hours = self.out_of_hours.text()

        def work() -> ClinicInfo:
            current = clinic_service.get_clinic(ctx)
            assert current is not None  # the session has a clinic
            return clinic_service.update_settings(
                ctx,
                current.version,
                {
                    "idle_lock_minutes": minutes,
                    paper.SETTING: form_paper,
                    clinic_zone.SETTING: time_zone,
                    aftercare_pdf.SETTING: out_of_hours,
                },
            )

        run_write(
            work,
            lambda saved: self._settings_saved(saved, minutes, form_paper),
            self._refused,
            busy=self.save_settings_button,
        )

    def _settings_saved(self, saved: ClinicInfo, minutes: int, form_paper: str) -> None:
        self.session.set_clinic(saved)
        on = paper.paper_for(saved.jurisdiction, form_paper)
        self.status.setText(
            self.tr(
                "Saved: the screen locks after %1 minutes without input; consent forms "
                "signed from now on are printed on %2."
            )
            .replace("%1", str(minutes))
            .replace("%2", self.tr("US Letter") if on is paper.LETTER else self.tr("A4"))
        )
