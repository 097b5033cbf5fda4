"""Phone numbers on screen: the clinic's way of showing them, and the hint of the field.

Numbers are stored in E.164; :mod:`consult.domain.phones` reads and formats them. Here
the clinic's country is taken from the session, so every screen shows a number alike:
national form for the clinic's country, international form otherwise.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit

from consult.domain import phones
from consult.ui.shell.session import AppSession
from consult.ui.widgets.placeholders import fill


def phone_region(session: AppSession) -> str | None:
    """The clinic's country, in which national numbers are read (None: international only)."""
    clinic = session.clinic
    return phones.region_for_jurisdiction(clinic.jurisdiction if clinic else None)


def show_phone(session: AppSession, stored: str) -> str:
    """A stored number as the clinic reads it ("" stays "")."""
    return phones.display(stored, phone_region(session))


def prepare_phone_field(field: QLineEdit, session: AppSession) -> None:
    """Say in the field's placeholder and tooltip how a number may be typed."""
    region = phone_region(session)
    if region is None:
        field.setPlaceholderText(
            QCoreApplication.translate("PhoneField", "International form: + and the country code")
        )
        field.setToolTip(
            QCoreApplication.translate(
                "PhoneField",
                "Type the number in international form, starting with + and the country "
                "code (for example +33 6 12 34 56 78).",
            )
        )
        return
    example = phones.example(region)
    field.setPlaceholderText(
        fill(QCoreApplication.translate("PhoneField", "For example %1 or %2"), *example)
        if example
        else ""
    )
    field.setToolTip(
        QCoreApplication.translate(
            "PhoneField",
            "Type the number as it is dialled here, or in international form starting "
            "with + and the country code for a number abroad. It is checked and shown "
            "the same way everywhere.",
        )
    )


__all__ = ["phone_region", "prepare_phone_field", "show_phone"]
