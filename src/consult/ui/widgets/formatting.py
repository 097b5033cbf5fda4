"""How the interface writes times and names treatments: one way for every page.

Names from the knowledge base (treatments, routes, sources, sexes at birth…) are given
in the desk's interface language where the knowledge base has a translation, in English
otherwise (they are names, not sentences: the English stands in unmarked here; what a
patient reads is marked, see :mod:`consult.domain.knowledge_texts`)."""

from __future__ import annotations

import datetime as dt
import logging

from consult.domain.knowledge_model import LabelKind
from consult.store.dto import ConsultationInfo
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.language import current_language

_log = logging.getLogger(__name__)


def local_time(value: dt.datetime) -> str:
    """A timestamp on this workstation's clock, to the minute."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def treatment_name(treatment_id: str) -> str:
    """A treatment's name from the knowledge base (its id if the knowledge base cannot be
    read or no longer has it: a list still shows)."""
    try:
        return knowledge().texts(current_language()).label("treatment", treatment_id).text
    except Exception:
        _log.warning("treatment names unavailable", exc_info=True)
        return treatment_id


def knowledge_label(kind: LabelKind, value_id: str) -> str:
    """The knowledge base's name for a route, product source, qualification, jurisdiction
    or sex at birth (its id if the knowledge base cannot be read: a record still shows)."""
    try:
        return knowledge().texts(current_language()).label(kind, value_id).text
    except Exception:
        _log.warning("%s names unavailable", kind, exc_info=True)
        return value_id


def treatment_names() -> dict[str, str]:
    """Treatment ids to their names, from the knowledge base (empty if it cannot be read:
    lists then show ids)."""
    try:
        kb = knowledge()
        texts = kb.texts(current_language())
        return {t.id: texts.label("treatment", t.id).text for t in kb.treatments}
    except Exception:
        _log.warning("treatment names unavailable", exc_info=True)
        return {}


def consultation_treatments(info: ConsultationInfo) -> str:
    """The planned treatments of a consultation, by name."""
    names = [treatment_name(str(entry.get("id"))) for entry in info.treatments]
    return ", ".join(names) or "—"
