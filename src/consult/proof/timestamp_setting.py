"""The clinic's timestamp service: the one setting that lets signing reach the network.

A form signed by the clinic alone (PAdES B-B) says when it was signed by the clock of
the workstation that signed it. A timestamp from an RFC 3161 time-stamping authority
(a TSA) makes it PAdES B-T: a third party vouches that the signature existed at that
time. Consult asks a TSA only when the clinic has named one in its settings
(``timestamp_url``); with none, signing never leaves the workstation.
"""

from __future__ import annotations

from urllib.parse import urlsplit

SETTING = "timestamp_url"
"""The clinic setting (in the clinic's settings) naming the TSA, or "" for none."""
MAX_LENGTH = 500


def check_timestamp_url(value: object) -> str:
    """The setting's value as stored: "" for none (``None`` or blank), otherwise an
    ``http`` or ``https`` URL with a host; ValueError for anything else."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("give the timestamp service's URL as text")
    url = value.strip()
    if not url:
        return ""
    if len(url) > MAX_LENGTH or not url.isprintable() or any(c.isspace() for c in url):
        raise ValueError("not a URL")
    try:
        parts = urlsplit(url)
        port = parts.port  # a port that is not a number (or out of range) raises here
    except ValueError as exc:
        raise ValueError(f"not a URL: {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
        raise ValueError("use an http:// or https:// URL naming the timestamp service")
    return url
