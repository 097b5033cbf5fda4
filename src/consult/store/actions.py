"""What a user may be refused to do: the actions a service names when it asks for a role.

A permission refusal says "Aiko may not deactivate users: this needs the manager role";
the action ("deactivate users") is the one each service passes to
:meth:`~consult.store.services.context.ServiceContext.require`, in English for the audit
log. Those actions are marked for translation here, in the refusals' context, so that the
interface can say the whole refusal in its language; ``tests/test_refusals_translated.py``
checks that every action a service names is listed.
"""

from __future__ import annotations

from typing import Final

from consult.store.errors import QT_TRANSLATE_NOOP, ErrorText

ACTIONS: Final[frozenset[str]] = frozenset(
    (
        QT_TRANSLATE_NOOP("StoreErrors", "add photos"),
        QT_TRANSLATE_NOOP("StoreErrors", "add to a treatment record"),
        QT_TRANSLATE_NOOP("StoreErrors", "change a complication"),
        QT_TRANSLATE_NOOP("StoreErrors", "change the clinic's settings"),
        QT_TRANSLATE_NOOP("StoreErrors", "change the product list"),
        QT_TRANSLATE_NOOP("StoreErrors", "change their password"),
        QT_TRANSLATE_NOOP("StoreErrors", "change users' roles"),
        QT_TRANSLATE_NOOP("StoreErrors", "chart a treatment"),
        QT_TRANSLATE_NOOP("StoreErrors", "check the audit log's integrity"),
        QT_TRANSLATE_NOOP("StoreErrors", "choose their interface language"),
        QT_TRANSLATE_NOOP("StoreErrors", "create users"),
        QT_TRANSLATE_NOOP("StoreErrors", "deactivate users"),
        QT_TRANSLATE_NOOP("StoreErrors", "delete photos past retention"),
        QT_TRANSLATE_NOOP("StoreErrors", "edit patients"),
        QT_TRANSLATE_NOOP("StoreErrors", "export a lot recall"),
        QT_TRANSLATE_NOOP("StoreErrors", "export consent records"),
        QT_TRANSLATE_NOOP("StoreErrors", "export the audit log"),
        QT_TRANSLATE_NOOP("StoreErrors", "find signed consent forms"),
        QT_TRANSLATE_NOOP("StoreErrors", "follow an intake on a kiosk station"),
        QT_TRANSLATE_NOOP("StoreErrors", "hand a form to the patient"),
        QT_TRANSLATE_NOOP("StoreErrors", "hand an intake to a kiosk station"),
        QT_TRANSLATE_NOOP("StoreErrors", "import the clinic's signing certificate"),
        QT_TRANSLATE_NOOP("StoreErrors", "list follow-up reviews"),
        QT_TRANSLATE_NOOP("StoreErrors", "list open complications"),
        QT_TRANSLATE_NOOP("StoreErrors", "look up patients"),
        QT_TRANSLATE_NOOP("StoreErrors", "mark a consent voided"),
        QT_TRANSLATE_NOOP("StoreErrors", "mark a consent withdrawn"),
        QT_TRANSLATE_NOOP("StoreErrors", "mark a follow-up review"),
        QT_TRANSLATE_NOOP("StoreErrors", "open patients"),
        QT_TRANSLATE_NOOP("StoreErrors", "open signed consent forms"),
        QT_TRANSLATE_NOOP("StoreErrors", "override a screening finding"),
        QT_TRANSLATE_NOOP("StoreErrors", "preview signed consent forms"),
        QT_TRANSLATE_NOOP("StoreErrors", "print a patient's letter"),
        QT_TRANSLATE_NOOP("StoreErrors", "print an aftercare sheet"),
        QT_TRANSLATE_NOOP("StoreErrors", "print signed consent forms"),
        QT_TRANSLATE_NOOP("StoreErrors", "quarantine a lot"),
        QT_TRANSLATE_NOOP("StoreErrors", "reactivate users"),
        QT_TRANSLATE_NOOP("StoreErrors", "read a consent record"),
        QT_TRANSLATE_NOOP("StoreErrors", "read a consultation's intake"),
        QT_TRANSLATE_NOOP("StoreErrors", "read a consultation's outcome"),
        QT_TRANSLATE_NOOP("StoreErrors", "read a patient's photos"),
        QT_TRANSLATE_NOOP("StoreErrors", "read complications"),
        QT_TRANSLATE_NOOP("StoreErrors", "read the audit log"),
        QT_TRANSLATE_NOOP("StoreErrors", "read their interface language"),
        QT_TRANSLATE_NOOP("StoreErrors", "read treatment charts"),
        QT_TRANSLATE_NOOP("StoreErrors", "record a complication"),
        QT_TRANSLATE_NOOP("StoreErrors", "record product lots"),
        QT_TRANSLATE_NOOP("StoreErrors", "record that a treatment was not given"),
        QT_TRANSLATE_NOOP("StoreErrors", "register a kiosk station"),
        QT_TRANSLATE_NOOP("StoreErrors", "register patients"),
        QT_TRANSLATE_NOOP("StoreErrors", "release a quarantined lot"),
        QT_TRANSLATE_NOOP("StoreErrors", "report a complication"),
        QT_TRANSLATE_NOOP("StoreErrors", "reset passwords"),
        QT_TRANSLATE_NOOP("StoreErrors", "review photos past retention"),
        QT_TRANSLATE_NOOP("StoreErrors", "review the consent register"),
        QT_TRANSLATE_NOOP("StoreErrors", "run a consultation"),
        QT_TRANSLATE_NOOP("StoreErrors", "screen a patient"),
        QT_TRANSLATE_NOOP("StoreErrors", "search for a lot recall"),
        QT_TRANSLATE_NOOP("StoreErrors", "see the clinic's dashboard"),
        QT_TRANSLATE_NOOP("StoreErrors", "see the day's consultations"),
        QT_TRANSLATE_NOOP("StoreErrors", "see the list of users"),
        QT_TRANSLATE_NOOP("StoreErrors", "see the product list"),
        QT_TRANSLATE_NOOP("StoreErrors", "see whether they have a PIN for patient mode"),
        QT_TRANSLATE_NOOP("StoreErrors", "set a PIN to take patient mode back"),
        QT_TRANSLATE_NOOP("StoreErrors", "sign a treatment off"),
        QT_TRANSLATE_NOOP("StoreErrors", "take an intake back from a kiosk station"),
        QT_TRANSLATE_NOOP("StoreErrors", "take consent"),
        QT_TRANSLATE_NOOP("StoreErrors", "take patient mode back"),
        QT_TRANSLATE_NOOP("StoreErrors", "unlock the screen"),
        QT_TRANSLATE_NOOP("StoreErrors", "verify signed forms"),
        QT_TRANSLATE_NOOP("StoreErrors", "withdraw a photograph consent"),
    )
)
"""Every action a service may refuse, as it names it (English)."""


def action_words(action: str) -> str:
    """``action`` as a refusal's value: an :class:`ErrorText` (said in the interface
    language) when it is listed, the English as it is otherwise (nothing is lost: the
    refusal still reads)."""
    return ErrorText(action) if action in ACTIONS else action
