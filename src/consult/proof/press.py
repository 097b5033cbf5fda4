"""Rendering and signing a consent form, in a process of its own when the window runs.

Sealing a consent (or a re-confirmation) renders its PDF (ReportLab) and signs it
(pyHanko): some 70 ms of pure Python. On the write thread of the window's process that
Python holds the interpreter's lock, and the GUI thread waits for it in slices: the
window's longest stalls of a consultation (issue 16). The window therefore starts a
*press* (:class:`FormPress`): one process, started in the background at sign-in, that
loads the same knowledge base, and to which the write thread hands each form's rendering
and signing, waiting for it without holding the lock. The process runs on the machine's
other core.

:func:`press_form` is the one way a consent or re-confirmation form is rendered and
signed. It uses the press in use (:func:`use_press`) when there is one and its knowledge
base is the one given, and renders here otherwise (the command line, the tests, a press
that failed). The bytes are the same either way: the press runs this very function,
:func:`press_here`. A press that dies, refuses or does not answer in time is logged and
not used again; the form is then rendered here, so that no consent is lost to it.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from enum import StrEnum
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from consult.documents.consent_pdf import Labels, render_consent_pdf
from consult.documents.paper import Paper
from consult.documents.reconfirmation_pdf import render_reconfirmation_pdf
from consult.proof import identity as identities
from consult.proof.signing import TIMESTAMP_TIMEOUT_S, SignedForm, sign_form, timestamp_service

_log = logging.getLogger(__name__)

PRESS_TIMEOUT_S = 30 + 2 * TIMESTAMP_TIMEOUT_S
"""How long a form may take in the press (its timestamp request included) before the
press is given up and the form rendered here."""

START_TIMEOUT_S = 120
"""How long the press may take to start (its imports and the knowledge base) before the
first form it is given is rendered here instead."""


STOP_WAIT_S = 1.0
"""How long a press that was told to stop may take to end before it is killed."""


@dataclass(frozen=True)
class Signing:
    """Who signs a form and how: the clinic's identity (as its file holds it), the
    signer's name and place, and the timestamp service to ask ("" for none)."""

    identity_pem: bytes
    signer_name: str
    location: str | None
    timestamp_url: str


class FormKind(StrEnum):
    """Which form a sealed document is printed as."""

    CONSENT = "consent"
    RECONFIRMATION = "reconfirmation"


@dataclass(frozen=True)
class FormOrder:
    """One sealed document to render as its form (and sign, with ``signing``)."""

    document: Mapping[str, Any]
    sha256: str
    record: bytes
    document_number: str
    zone: tzinfo | None
    paper: Paper
    signing: Signing | None
    kind: FormKind = FormKind.CONSENT


@dataclass(frozen=True)
class PressedForm:
    """The rendered form, and the signed form (None when it was not to be signed)."""

    pdf: bytes
    signed: SignedForm | None


class PressFailed(Exception):
    """The press could not render a form (it died, refused to start or timed out)."""


def press_here(order: FormOrder, labels: Labels) -> PressedForm:
    """Render and sign ``order`` in this process (the press runs this too)."""
    if order.kind is FormKind.RECONFIRMATION:
        pdf = render_reconfirmation_pdf(
            order.document, order.sha256, record=order.record, zone=order.zone, paper=order.paper
        )
    else:
        pdf = render_consent_pdf(
            order.document,
            order.sha256,
            labels=labels,
            zone=order.zone,
            record=order.record,
            paper=order.paper,
        )
    signing = order.signing
    if signing is None:
        return PressedForm(pdf, None)
    signed = sign_form(
        pdf,
        document_number=order.document_number,
        record_sha256=order.sha256,
        identity=identities.from_pem(signing.identity_pem, "the clinic's signing identity"),
        signer_name=signing.signer_name,
        location=signing.location,
        timestamper=timestamp_service(signing.timestamp_url) if signing.timestamp_url else None,
    )
    return PressedForm(pdf, signed)


def _serve(conn: Connection, policy_dir: Path | None, cache_dir: Path | None, version: str) -> None:
    """The press's process: load the knowledge base, say whether it is ``version``, then
    render each order received until the window's end of the pipe closes."""
    from consult.documents.consent_pdf import prepare_fonts
    from consult.knowledge.loader import load_knowledge

    try:
        kb = load_knowledge(policy_dir=policy_dir, cache_dir=cache_dir)
        if kb.version != version:
            raise PressFailed(f"its rule set is {kb.version}, the window's {version}")
        prepare_fonts()
    except Exception as exc:  # told to the window, which renders without the press
        conn.send(("refused", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", version))
    while True:
        try:
            order = conn.recv()
        except (EOFError, OSError):
            return  # the window closed its end
        try:
            answer: tuple[str, Any] = ("done", press_here(order, kb))
        except Exception as exc:  # raised again in the window, as rendering here would
            answer = ("error", _sendable(exc))
        conn.send(answer)


def _sendable(exc: Exception) -> Exception:
    """``exc`` if it survives the pipe, else a PressFailed that says it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return PressFailed(f"{type(exc).__name__}: {exc}")
    return exc


class FormPress:
    """A process that renders and signs consent forms (see the module).

    Started at once, in the background: its imports and knowledge base load while the
    user signs in. One form at a time; safe to call from any thread.
    """

    def __init__(self, *, policy_dir: Path | None, cache_dir: Path | None, version: str) -> None:
        self.version = version
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(child, policy_dir, cache_dir, version),
            name="consult-form-press",
            daemon=True,
        )
        self._process.start()
        child.close()
        self._lock = threading.Lock()
        self._ready = False
        self.failure: str | None = None
        """Why the press is no longer used (None while it is)."""

    @property
    def usable(self) -> bool:
        """False once the press failed: forms are then rendered in the window's process."""
        return self.failure is None

    @property
    def pid(self) -> int | None:
        """The press's process id."""
        return self._process.pid

    def press(self, order: FormOrder) -> PressedForm:
        """Render and sign ``order`` in the press; what ``press_here`` raises is raised
        here; :class:`PressFailed` if the press cannot (it is then not used again)."""
        with self._lock:
            if self.failure is not None:
                raise PressFailed(self.failure)
            try:
                if not self._ready:
                    self._await_ready()
                self._conn.send(order)
                kind, value = self._receive(PRESS_TIMEOUT_S, "render the form")
            except PressFailed as exc:
                self._give_up(str(exc))
                raise
            except (EOFError, OSError, pickle.PicklingError) as exc:
                self._give_up(f"{type(exc).__name__}: {exc}")
                raise PressFailed(str(self.failure)) from exc
        if kind == "error":
            raise value
        assert isinstance(value, PressedForm)
        return value

    def _await_ready(self) -> None:
        kind, value = self._receive(START_TIMEOUT_S, "start")
        if kind != "ready":
            raise PressFailed(f"the press refused to start: {value}")
        self._ready = True

    def _receive(self, timeout: float, what: str) -> tuple[str, Any]:
        if not self._conn.poll(timeout):
            raise PressFailed(f"the press did not {what} within {timeout:.0f} s")
        kind, value = self._conn.recv()
        return str(kind), value

    def _give_up(self, reason: str) -> None:
        self.failure = reason
        _log.warning("the form press is given up (%s): forms are rendered in the window", reason)
        self._stop()

    def close(self) -> None:
        """End the press (the window closes)."""
        with self._lock:
            if self.failure is None:
                self.failure = "closed"
            self._stop()

    def _stop(self) -> None:
        """Close the pipe (a ready press then ends by itself) and make sure it ended. No
        form is in the press: the caller holds the lock."""
        self._conn.close()
        self._process.join(STOP_WAIT_S if self._ready else 0)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


_press: FormPress | None = None


def use_press(press: FormPress | None) -> FormPress | None:
    """Hand forms to ``press`` from now on (None: render them here); the press used
    until now, for the caller to close."""
    global _press
    previous, _press = _press, press
    return previous


def press_in_use() -> FormPress | None:
    """The press forms are handed to, if any."""
    return _press


def press_form(order: FormOrder, labels: Labels, *, version: str | None) -> PressedForm:
    """Render and sign ``order``: in the press if there is one, usable, with the rule
    set ``version`` of ``labels``; else here (see the module)."""
    press = _press
    if press is not None and press.usable and version == press.version:
        try:
            return press.press(order)
        except PressFailed:
            pass  # logged by the press; rendered here instead
    return press_here(order, labels)
