"""The form press (``proof/press.py``): consent forms rendered and signed in a process of
its own, so that the window's GUI thread never waits for that Python (issue 16).

- A consent signed through the service while a press is in use is rendered and signed in
  the press (rendering here is made to fail), and the signed form verifies.
- The press gives the same bytes as rendering here.
- An error in one form is raised to the caller; the press goes on.
- A press with other rules refuses to start; a press that died or that does not answer
  is given up (logged); each time the form is rendered here, so that no consent is lost.
- The app starts the press after sign-in and ends it at exit.
"""

from __future__ import annotations

import json
import logging
import os
import signal
from collections.abc import Iterator

import pytest

from consult.documents.paper import A4
from consult.proof import identity as identities
from consult.proof import press as press_module
from consult.proof.press import (
    FormOrder,
    FormPress,
    PressedForm,
    PressFailed,
    Signing,
    press_form,
    press_here,
    press_in_use,
    use_press,
)
from consult.proof.verification import verify_form
from consult.store.database import Database
from consult.store.models import ConsentRecord
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import proof_support, security_support


@pytest.fixture(scope="module")
def press() -> Iterator[FormPress]:
    started = FormPress(policy_dir=None, cache_dir=None, version=knowledge().version)
    yield started
    started.close()


@pytest.fixture
def in_use(press: FormPress) -> Iterator[FormPress]:
    previous = use_press(press)
    yield press
    use_press(previous)


@pytest.fixture
def order(sqlite_db: Database) -> FormOrder:
    """A consent sealed through the services, as an order signed by a test identity."""
    clinic = security_support.contexts(ServiceContext(sqlite_db))
    _patient, _info, consent = security_support.signed_consent(clinic)
    with sqlite_db.session() as session:
        row = session.get(ConsentRecord, consent.id)
        assert row is not None
        canonical = row.document_json.encode("utf-8")
        return FormOrder(
            json.loads(canonical),
            row.document_sha256,
            canonical,
            row.document_number,
            None,
            A4,
            Signing(proof_support.clinic_identity().private_pem(), "Test Clinic", None, ""),
        )


def test_a_consent_is_rendered_and_signed_in_the_press(
    sqlite_db: Database, in_use: FormPress, monkeypatch: pytest.MonkeyPatch
) -> None:
    def not_here(order: FormOrder, labels: object) -> PressedForm:
        raise AssertionError("the form was rendered in the window's process")

    monkeypatch.setattr(press_module, "press_here", not_here)
    clinic = security_support.contexts(ServiceContext(sqlite_db))
    _patient, _info, consent = security_support.signed_consent(clinic)
    with sqlite_db.session() as session:
        row = session.get(ConsentRecord, consent.id)
        assert row is not None and row.signed_pdf is not None
        signed, pdf = row.signed_pdf, row.pdf
    assert signed.startswith(pdf)
    assert sqlite_db.config_dir is not None
    trusted = identities.load(sqlite_db.config_dir).certificate
    report = verify_form(signed, [trusted])
    assert report.ok, report.checks
    assert report.document_number == consent.document_number
    assert in_use.usable


def test_a_reconfirmation_is_rendered_and_signed_in_the_press(
    sqlite_db: Database, in_use: FormPress, monkeypatch: pytest.MonkeyPatch
) -> None:
    from consult.store.models import ConsentReconfirmation
    from tests import repeat_visit_support

    clinic = security_support.contexts(ServiceContext(sqlite_db))
    visit = repeat_visit_support.second_visit(clinic, "Press")

    def not_here(order: FormOrder, labels: object) -> PressedForm:
        raise AssertionError("the form was rendered in the window's process")

    monkeypatch.setattr(press_module, "press_here", not_here)
    confirmed = repeat_visit_support.reconfirm(clinic["practitioner"], visit)
    with sqlite_db.session() as session:
        row = session.get(ConsentReconfirmation, confirmed.id)
        assert row is not None and row.signed_pdf is not None
        signed, pdf, number = row.signed_pdf, row.pdf, row.document_number
    assert (signed.startswith(pdf) and b"Re-confirm" in pdf) or pdf.startswith(b"%PDF")
    assert sqlite_db.config_dir is not None
    report = verify_form(signed, [identities.load(sqlite_db.config_dir).certificate])
    assert report.ok, report.checks
    assert report.document_number == number


def test_the_press_gives_the_bytes_rendered_here(press: FormPress, order: FormOrder) -> None:
    pressed = press.press(order)
    here = press_here(order, knowledge())
    assert pressed.pdf == here.pdf  # the sealed form: byte for byte
    assert pressed.signed is not None and here.signed is not None
    assert pressed.signed.data.startswith(pressed.pdf)
    assert pressed.signed.certificate_sha256 == here.signed.certificate_sha256
    assert pressed.signed.timestamped is False


def test_an_error_in_a_form_is_raised_here_and_the_press_goes_on(
    press: FormPress, order: FormOrder
) -> None:
    wrong = FormOrder(
        order.document, order.sha256, b"not the record", order.document_number, None, A4, None
    )
    with pytest.raises(ValueError, match="the one whose hash it prints"):
        press.press(wrong)
    assert press.usable
    assert press.press(order).pdf == press_here(order, knowledge()).pdf


def test_a_press_with_other_rules_refuses_and_the_form_is_rendered_here(
    order: FormOrder, caplog: pytest.LogCaptureFixture
) -> None:
    other = FormPress(policy_dir=None, cache_dir=None, version="another rule set")
    previous = use_press(other)
    try:
        with pytest.raises(PressFailed, match=r"refused to start.*another rule set"):
            other.press(order)
        assert not other.usable
        kb = knowledge()
        # The press's version is not the rules given: it is not even asked.
        assert press_form(order, kb, version=kb.version).pdf == press_here(order, kb).pdf
    finally:
        use_press(previous)
        other.close()
    assert "the form press is given up" in caplog.text


def test_a_press_that_died_is_given_up_and_the_form_rendered_here(
    order: FormOrder, caplog: pytest.LogCaptureFixture
) -> None:
    kb = knowledge()
    dying = FormPress(policy_dir=None, cache_dir=None, version=kb.version)
    previous = use_press(dying)
    try:
        assert press_form(order, kb, version=kb.version).pdf  # through the press
        assert dying.usable
        assert dying.pid is not None
        os.kill(dying.pid, signal.SIGKILL)
        with caplog.at_level(logging.WARNING, logger="consult.proof.press"):
            pressed = press_form(order, kb, version=kb.version)
        assert pressed.pdf == press_here(order, kb).pdf
        assert not dying.usable and dying.failure
        assert "the form press is given up" in caplog.text
    finally:
        use_press(previous)
        dying.close()


def test_a_press_that_does_not_answer_is_given_up(
    order: FormOrder, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = knowledge()
    stuck = FormPress(policy_dir=None, cache_dir=None, version=kb.version)
    try:
        stuck.press(order)  # ready
        assert stuck.pid is not None
        os.kill(stuck.pid, signal.SIGSTOP)
        monkeypatch.setattr(press_module, "PRESS_TIMEOUT_S", 0.5)
        with pytest.raises(PressFailed, match="did not render the form"):
            stuck.press(order)
        assert not stuck.usable
    finally:
        stuck.close()
    assert not stuck._process.is_alive()


def test_the_app_starts_the_press_and_ends_it(qapp: object) -> None:
    from consult.ui.shell.app import start_form_press, stop_form_press

    assert press_in_use() is None
    start_form_press()
    started = press_in_use()
    try:
        assert started is not None and started.usable
        assert started.version == knowledge().version
    finally:
        stop_form_press()
    assert press_in_use() is None
    assert not started._process.is_alive()
