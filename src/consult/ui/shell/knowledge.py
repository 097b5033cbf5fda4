"""The knowledge base the app uses: the shipped rules plus the clinic's policy, loaded once.

The app loads it just after the sign-in window is on screen, from the cache in the home
(:func:`knowledge_cache`) when the files are unchanged since the last start.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from consult.domain.knowledge_model import KnowledgeBase
    from consult.paths import Dirs

_policy_dir: Path | None = None
_cache_dir: Path | None = None


def knowledge_cache(dirs: Dirs) -> Path:
    """The folder of the knowledge base cache: under the home's data folder (as
    :mod:`consult.paths` has no cache folder), the same as ``consult screen`` uses."""
    return dirs.data / "cache" / "knowledge"


def use_policy_dir(policy_dir: Path | None, cache_dir: Path | None = None) -> None:
    """Load the clinic's policy files from ``policy_dir`` (the app does this at start),
    keeping the validated files in ``cache_dir`` (None: no cache)."""
    global _policy_dir, _cache_dir
    _policy_dir = policy_dir
    _cache_dir = cache_dir
    knowledge.cache_clear()


def knowledge_sources() -> tuple[Path | None, Path | None]:
    """Where :func:`knowledge` loads from: the clinic's policy folder and the cache."""
    return _policy_dir, _cache_dir


@functools.cache
def knowledge() -> KnowledgeBase:
    """The knowledge base in force (loaded on first use; raises KnowledgeError if broken)."""
    from consult.knowledge.loader import load_knowledge

    return load_knowledge(policy_dir=_policy_dir, cache_dir=_cache_dir)


def rule_set_version() -> str:
    """The loaded rule set's version, or why it could not be loaded."""
    try:
        return knowledge().version
    except Exception as exc:  # shown in the About box rather than crashing it
        return f"not loaded ({exc})"
