"""The record inside a signed form, as the consent service seals it: ``consult verify``
recomputes its hash and reads the pages against it, and names the embedded record when
it is replaced, taken out, or not what the pages show; the clinic's paper (Letter in the
US, or the clinic's setting) reaches the form."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import rfc8785
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from consult.documents import paper
from consult.documents.consent_pdf import render_consent_pdf
from consult.domain.consent_document import SCHEMA, seal
from consult.proof.signing import sign_form
from consult.proof.verification import Outcome, verify_form
from consult.store.database import Database
from consult.store.errors import ValidationError
from consult.store.models import AuditEntry, ConsentRecord
from consult.store.services import clinic as clinic_service
from consult.store.services.context import ServiceContext
from tests import factories
from tests import proof_support as support
from tests.cli_fuzz_support import run_main
from tests.consent_samples import sample_doc
from tests.register_support import sign_one
from tests.screening_support import shipped


def _clinic(ctx: ServiceContext, jurisdiction: str) -> dict[str, Any]:
    people = factories.staff(ctx, jurisdiction)
    out: dict[str, Any] = {role: ctx.signed_in(user) for role, user in people.items()}
    return {**out, "users": people, "products": {}}


def _row(db: Database, consent_id: int) -> ConsentRecord:
    with db.session() as session:
        row = session.get(ConsentRecord, consent_id)
        assert row is not None and row.signed_pdf is not None
        session.expunge(row)
        return row


def _size(pdf: bytes) -> set[tuple[float, float]]:
    """The pages' sizes in points, to a tenth (as the file writes them, rounded)."""
    return {
        (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1))
        for page in PdfReader(io.BytesIO(pdf)).pages
    }


A4 = (595.3, 841.9)


@pytest.fixture
def signed_form(sqlite_db: Database) -> ConsentRecord:
    """A form signed through the consent service, in a British clinic."""
    ctx = ServiceContext(sqlite_db, workstation="test-workstation")
    return _row(sqlite_db, sign_one(_clinic(ctx, "GB")).id)


def _verify(tmp_path: Path, data: bytes) -> tuple[int, str]:
    target = tmp_path / "form.pdf"
    target.write_bytes(data)
    outcome = run_main(["verify", str(target)])  # in the clinic's home: its own trusted
    return int(str(outcome.code)), outcome.stdout


def test_the_service_seals_the_record_into_the_form(signed_form: ConsentRecord, tmp_path: Path):
    with pikepdf.open(io.BytesIO(signed_form.signed_pdf)) as pdf:
        (spec,) = pdf.Root.AF
        embedded = spec.EF.F.read_bytes()
        assert str(spec.F) == f"consent-{signed_form.document_number}.json"
    assert embedded == signed_form.document_json.encode("utf-8")
    assert json.loads(embedded)["schema"] == SCHEMA
    # Recomputed outside Consult: RFC 8785 (the rfc8785 package) and SHA-256.
    outside = hashlib.sha256(rfc8785.dumps(json.loads(embedded))).hexdigest()
    assert outside == signed_form.document_sha256
    assert _size(signed_form.pdf) == {A4}
    code, out = _verify(tmp_path, signed_form.signed_pdf)
    assert code == 0, out
    assert f"ok      embedded record: consent-{signed_form.document_number}.json" in out
    assert f"is {outside}, the one the signature records and the pages print" in out
    assert "ok      visible text: the pages show the record's document number" in out
    assert "patient Zoë Lefèvre" in out


def _replace_record(data: bytes, change) -> bytes:
    """The signed ``data`` with its embedded record rewritten by ``change`` in an
    incremental update (the signed bytes left as they are)."""
    writer = PdfWriter(io.BytesIO(data), incremental=True)
    spec = writer.root_object["/AF"][0].get_object()
    stream = spec["/EF"]["/F"].get_object()
    stream.set_data(change(stream.get_data()))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _with_choice_changed(record: bytes) -> bytes:
    value = json.loads(record)
    value["choices"]["photographs"] = not value["choices"]["photographs"]
    return rfc8785.dumps(value)  # as canonical as the sealed one, and another record


def test_a_replaced_record_exits_1_naming_it(signed_form: ConsentRecord, tmp_path: Path):
    tampered = _replace_record(bytes(signed_form.signed_pdf), _with_choice_changed)
    assert tampered.startswith(bytes(signed_form.signed_pdf))  # the signed bytes untouched
    code, out = _verify(tmp_path, tampered)
    assert code == 1, out
    failed = out.splitlines()[-1]
    assert failed.startswith("Not verified: ") and "embedded record" in failed
    assert "not the record sealed" in out
    # The same replacement written over the file as a whole (no update): named too.
    with pikepdf.open(io.BytesIO(signed_form.signed_pdf)) as pdf:
        stream = pdf.Root.AF[0].EF.F
        stream.write(_with_choice_changed(stream.read_bytes()))
        rewritten = io.BytesIO()
        pdf.save(rewritten)
    code, out = _verify(tmp_path, rewritten.getvalue())
    assert code == 1 and "embedded record" in out.splitlines()[-1], out


def test_a_record_taken_out_exits_1_naming_it(signed_form: ConsentRecord, tmp_path: Path):
    writer = PdfWriter(io.BytesIO(signed_form.signed_pdf), incremental=True)
    del writer.root_object[NameObject("/AF")]
    del writer.root_object[NameObject("/Names")]
    out = io.BytesIO()
    writer.write(out)
    code, said = _verify(tmp_path, out.getvalue())
    assert code == 1, said
    assert "embedded record" in said.splitlines()[-1]
    assert "the record the form was signed with has been taken out of the file" in said


def test_pages_that_do_not_show_the_record_fail_the_visible_text_check():
    # A form printed for one patient carrying (and hashing, and signed for) another's
    # record: its hash checks out, its pages do not.
    shown = seal({**sample_doc(name="Ada Lovelace"), "schema": SCHEMA})
    carried = seal({**sample_doc(name="Grace Hopper"), "schema": SCHEMA})
    pdf = render_consent_pdf(
        shown.document, carried.sha256, labels=shipped(), record=carried.canonical
    )
    signed = sign_form(
        pdf,
        document_number=str(carried.document["document_number"]),
        record_sha256=carried.sha256,
        identity=support.clinic_identity(),
        signer_name=support.CLINIC,
    )
    report = verify_form(signed.data, [support.clinic_identity().certificate])
    outcomes = {check.name: check for check in report.checks}
    assert outcomes["embedded record"].outcome is Outcome.OK
    assert outcomes["visible text"].outcome is Outcome.FAILED
    assert "its patient 'Grace Hopper'" in outcomes["visible text"].detail
    assert report.failed == ["visible text"]


def test_a_us_clinic_signs_on_letter_and_its_setting_changes_the_paper(
    sqlite_db: Database, tmp_path: Path
):
    ctx = ServiceContext(sqlite_db, workstation="test-workstation")
    clinic = _clinic(ctx, "US")
    first = _row(sqlite_db, sign_one(clinic).id)
    assert _size(first.pdf) == {(612.0, 792.0)}
    code, out = _verify(tmp_path, first.signed_pdf)
    assert code == 0, out
    manager = clinic["manager"]
    with pytest.raises(ValidationError, match="A4 or Letter"):
        clinic_service.update_settings(manager, 0, {paper.SETTING: "A3"})
    info = clinic_service.get_clinic(manager)
    assert info is not None
    clinic_service.update_settings(manager, info.version, {paper.SETTING: "a4"})
    assert clinic_service.settings(manager)[paper.SETTING] == "a4"
    second = _row(sqlite_db, sign_one(clinic, given="Ann", family="Other").id)
    assert _size(second.pdf) == {A4}
    with sqlite_db.session() as session:
        changes = [
            entry.details for entry in session.query(AuditEntry).filter_by(event="settings.changed")
        ]
    assert changes[-1]["after"] == {paper.SETTING: "a4"}
