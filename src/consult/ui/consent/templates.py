"""The consent templates the app signs with, and a rendered section's text in the form the
consent text view lays out."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from consult.knowledge.consent_templates import BULLET, ConsentTemplate, load_templates


@functools.cache
def consent_templates() -> Mapping[str, ConsentTemplate]:
    """The shipped consent templates, keyed by treatment id (loaded on first use)."""
    return load_templates()


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
