"""``consult verify`` walks every re-confirmation (issue 21): its record and PDF against
their hashes and the ``consent.reconfirmed`` entry, its signed PDF, and its link to the
consent it re-confirms (the number and SHA-256 it names are the stored consent's).

Each tampering is made with plain SQL, as the tables' owner could, on SQLite and on
PostgreSQL (the clinic built once per engine by :mod:`tests.tamper_support`, with a
re-confirmation added), and ``consult verify`` must exit 1 naming the re-confirmation
and what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import Connection, text

from consult.domain.reconfirmation import seal_reconfirmation
from consult.store.database import Database
from consult.store.services import users as user_service
from consult.store.services.context import ServiceContext
from consult.store.services.reconfirmation import ReconfirmationInfo
from tests import factories, repeat_visit_support
from tests.tamper_support import (
    Built,
    Clinic,
    Tampering,
    build_clinic,
    clinic,
    pg_template,
    run_consult,
    sqlite_template,
    tamper,
    verify_args,
    verify_finds,
)

__all__ = ["clinic", "pg_template", "sqlite_template"]  # the fixtures


@dataclass
class WithReconfirmation(Built):
    """The tamper clinic and a patient's second visit, re-confirmed."""

    reconfirmation: ReconfirmationInfo | None = None


def _build(db: Database) -> Built:
    built = build_clinic(db)
    ctx = ServiceContext(db)
    clinic = {
        role: ctx.signed_in(user_service.sign_in(ctx, username, factories.PASSWORD))
        for role, username in (("manager", "boss"), ("practitioner", "doc"))
    }
    info = repeat_visit_support.reconfirm(
        clinic["practitioner"], repeat_visit_support.second_visit(clinic, "Okafor")
    )
    return WithReconfirmation(built.consents, built.users, built.other_lot, reconfirmation=info)


@pytest.fixture(scope="module")
def clinic_build() -> Callable[[Database], Built]:
    """The tamper clinic with a re-confirmation added, for this module's clinic."""
    return _build


def _info(built: Built) -> ReconfirmationInfo:
    assert isinstance(built, WithReconfirmation) and built.reconfirmation is not None
    return built.reconfirmation


def _name(built: Built) -> str:
    info = _info(built)
    return f"re-confirmation {info.document_number} (record {info.id})"


def _row(conn: Connection, built: Built) -> dict[str, object]:
    return dict(
        conn.execute(
            text("SELECT * FROM consent_reconfirmation WHERE id = :id"), {"id": _info(built).id}
        )
        .mappings()
        .one()
    )


def _set(conn: Connection, built: Built, **values: object) -> None:
    assignments = ", ".join(f"{column} = :{column}" for column in values)
    conn.execute(
        text(f"UPDATE consent_reconfirmation SET {assignments} WHERE id = :id"),
        {**values, "id": _info(built).id},
    )


def _record_text(conn: Connection, built: Built) -> list[str]:
    row = _row(conn, built)
    document = str(row["document_json"]).replace("Zoë", "Zoe")
    _set(conn, built, document_json=document)
    return [f"{_name(built)}: its sealed JSON does not match its hash"]


def _pdf_byte(conn: Connection, built: Built) -> list[str]:
    pdf = bytes(_row(conn, built)["pdf"])  # type: ignore[arg-type]
    at = len(pdf) // 2
    _set(conn, built, pdf=pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :])
    return [
        f"{_name(built)}: its stored PDF does not match its hash",
        f"{_name(built)}: its signed PDF does not start with its sealed PDF",
    ]


def _signed_byte(conn: Connection, built: Built) -> list[str]:
    row = _row(conn, built)
    sealed, signed = bytes(row["pdf"]), bytes(row["signed_pdf"])  # type: ignore[arg-type]
    at = len(sealed) // 2
    _set(conn, built, signed_pdf=signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1 :])
    return [
        f"{_name(built)}: its signed PDF differs from the one logged when it was sealed",
        f"{_name(built)}: its signed PDF does not start with its sealed PDF",
    ]


def _another_consent(conn: Connection, built: Built) -> list[str]:
    # The link moved to another patient's consent: the record still names its own.
    other = built.consents[0]
    _set(conn, built, consent_id=other.id)
    return [
        f"{_name(built)}: it names consent {_original(conn, built)}, but its consent record is "
        f"{other.document_number}",
        f"{_name(built)}: it re-confirms consent {other.document_number}, which is another "
        "patient's or another treatment's",
    ]


def _original(conn: Connection, built: Built) -> str:
    document = json.loads(str(_row(conn, built)["document_json"]))
    return str(document["original"]["document_number"])


def _resealed(conn: Connection, built: Built) -> list[str]:
    # The record rewritten to name another hash for the consent, and sealed again so
    # that it matches its own column: the audit log and the stored consent still tell.
    document = json.loads(str(_row(conn, built)["document_json"]))
    stored = document["original"]["document_sha256"]
    document["original"]["document_sha256"] = "0" * 64
    sealed = seal_reconfirmation(document)
    _set(
        conn,
        built,
        document_json=sealed.canonical.decode("utf-8"),
        document_sha256=sealed.sha256,
    )
    return [
        f"{_name(built)}: its JSON hash differs from the one logged when it was sealed",
        f"{_name(built)}: it names the consent's SHA-256 {'0' * 64}, but the stored consent "
        f"{document['original']['document_number']} has {stored}",
    ]


def _deleted(conn: Connection, built: Built) -> list[str]:
    conn.execute(text("DELETE FROM consent_reconfirmation WHERE id = :id"), {"id": _info(built).id})
    info = _info(built)
    return [
        f"re-confirmation {info.document_number} (record {info.id}): sealed (audit entry",
        "but the record is gone (deleted)",
    ]


TAMPERING: dict[str, Tampering] = {
    "change the sealed record's text": _record_text,
    "change one byte of the sealed PDF": _pdf_byte,
    "change one byte of the signed PDF": _signed_byte,
    "point it at another patient's consent": _another_consent,
    "rewrite and reseal it naming another hash": _resealed,
    "delete it": _deleted,
}


@pytest.mark.slow
def test_an_untouched_reconfirmation_verifies(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _info(clinic.built).signed  # its signed PDF is checked too
    code, out, err = run_consult(monkeypatch, capsys, *verify_args(clinic))
    assert code == 0, out + err
    assert "Sealed re-confirmations: 1" in out
    assert "Everything holds" in out and "re-confirmation" not in out.replace(
        "Sealed re-confirmations", ""
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(TAMPERING))
def test_a_tampered_reconfirmation_is_found_and_named(
    clinic: Clinic,
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    verify_finds(clinic, monkeypatch, capsys, tamper(clinic, TAMPERING[kind]))
