"""The knowledge base the app uses, loaded once."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def knowledge() -> Any:
    """The shipped knowledge base (loaded on first use)."""
    from consult.knowledge.loader import load_knowledge

    return load_knowledge()


def rule_set_version() -> str:
    """The loaded rule set's version, or why it could not be loaded."""
    try:
        return str(knowledge().version)
    except Exception as exc:  # shown in the About box rather than crashing it
        return f"not loaded ({exc})"
