"""The consent templates the app signs with, and a rendered section's text in the form the
consent text view lays out.

Parsing the templates takes about a second the first time: :func:`warm_up` starts it on a
pool thread while a consultation is still under way, so that the consent step finds them
ready.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping

from consult.knowledge.consent_templates import BULLET, ConsentTemplate, load_templates
from consult.ui.widgets.tasks import run_in_background

_loading = threading.Lock()  # one thread parses; another asking meanwhile waits for it


@functools.cache
def _templates() -> Mapping[str, ConsentTemplate]:
    return load_templates()


def consent_templates() -> Mapping[str, ConsentTemplate]:
    """The shipped consent templates, keyed by treatment id (loaded on first use, on
    whichever thread asks first)."""
    with _loading:
        return _templates()


def warm_up() -> None:
    """Load the templates on a pool thread if they are not loaded yet (a failure is
    logged there, and told by the consent step that needs them)."""
    if _templates.cache_info().currsize:
        return
    run_in_background(consent_templates, lambda _templates: None, lambda _exc: None)


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
