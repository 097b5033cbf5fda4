"""The knowledge base the app uses: the shipped rules plus the clinic's policy, loaded once."""

from __future__ import annotations

import functools
from pathlib import Path

from consult.domain.knowledge_model import KnowledgeBase

_policy_dir: Path | None = None


def use_policy_dir(policy_dir: Path | None) -> None:
    """Load the clinic's policy files from ``policy_dir`` (the app does this at start)."""
    global _policy_dir
    _policy_dir = policy_dir
    knowledge.cache_clear()


@functools.cache
def knowledge() -> KnowledgeBase:
    """The knowledge base in force (loaded on first use; raises KnowledgeError if broken)."""
    from consult.knowledge.loader import load_knowledge

    return load_knowledge(policy_dir=_policy_dir)


def rule_set_version() -> str:
    """The loaded rule set's version, or why it could not be loaded."""
    try:
        return knowledge().version
    except Exception as exc:  # shown in the About box rather than crashing it
        return f"not loaded ({exc})"
