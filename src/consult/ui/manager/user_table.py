"""Users as a read-only table (name, username, roles, qualification, status), and how
a role is named on screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush

from consult.domain.roles import Role
from consult.store.dto import UserInfo
from consult.ui.widgets.formatting import knowledge_label
from consult.ui.widgets.table_model import RowsTableModel
from consult.ui.widgets.tones import qtone
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

ROLE_LABELS: dict[Role, str] = {
    Role.PRACTITIONER: QT_TRANSLATE_NOOP("Roles", "Practitioner"),
    Role.RECEPTION: QT_TRANSLATE_NOOP("Roles", "Reception"),
    Role.MANAGER: QT_TRANSLATE_NOOP("Roles", "Manager"),
}
"""A role as a list or a check box names it (untranslated: :func:`role_label`)."""


def role_label(role: Role) -> str:
    """A role's name in the interface language."""
    return QCoreApplication.translate("Roles", ROLE_LABELS[role])


def roles_text(roles: frozenset[Role]) -> str:
    """A user's roles as people read them."""
    return ", ".join(role_label(role) for role in sorted(roles, key=lambda r: r.value))


class UserTableModel(RowsTableModel[UserInfo]):
    """Read-only rows of users."""

    COL_NAME, COL_USERNAME, COL_ROLES, COL_QUALIFICATION, COL_STATUS = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("UserTableModel", "Name"),
        QT_TRANSLATE_NOOP("UserTableModel", "Username"),
        QT_TRANSLATE_NOOP("UserTableModel", "Roles"),
        QT_TRANSLATE_NOOP("UserTableModel", "Qualification"),
        QT_TRANSLATE_NOOP("UserTableModel", "Status"),
    )

    def user(self, row: int) -> UserInfo:
        """The user on ``row``."""
        return self.item(row)

    def text(self, row: UserInfo, column: int) -> str:
        if column == self.COL_NAME:
            return row.display_name
        if column == self.COL_USERNAME:
            return row.username
        if column == self.COL_ROLES:
            return roles_text(row.roles)
        if column == self.COL_QUALIFICATION:
            if row.qualification is None:
                return "—"
            return knowledge_label("qualification", row.qualification)
        if not row.active:  # COL_STATUS
            return self.tr("Deactivated")
        if row.must_change_password:
            return self.tr("Active: must change password")
        return self.tr("Active")

    def extra(self, row: UserInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QBrush(qtone("muted"))
        return None


__all__ = ["ROLE_LABELS", "UserTableModel", "role_label", "roles_text"]
