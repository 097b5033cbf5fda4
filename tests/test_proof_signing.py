"""PAdES signing of a sealed form and checking it on its own (consult.proof), without a
database: the signed file keeps the sealed bytes as its prefix, and every kind of
tampering is named (a changed byte, the signature stripped, another signer, a later
update that changes a page, a footer that is not the record's)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from consult.proof import form_facts, signing
from consult.proof.identity import ClinicIdentity
from consult.proof.signing import SignedForm, sign_form
from consult.proof.verification import FormReport, Outcome, verify_form
from tests import proof_support as support
from tests.proof_support import CLINIC, NUMBER, RECORD_SHA256


def _sign(pdf: bytes, who=None, **extra) -> SignedForm:
    return sign_form(
        pdf,
        document_number=NUMBER,
        record_sha256=RECORD_SHA256,
        identity=who or support.clinic_identity(),
        signer_name=CLINIC,
        **extra,
    )


@pytest.fixture(scope="module")
def sealed() -> bytes:
    return support.sealed_pdf()


@pytest.fixture(scope="module")
def signed(sealed: bytes) -> bytes:
    return _sign(sealed, location="1 Harley Street").data


def _check(report: FormReport, name: str):
    (found,) = [check for check in report.checks if check.name == name]
    return found


def _trusting_the_clinic(data: bytes) -> FormReport:
    return verify_form(data, [support.clinic_identity().certificate])


def test_the_signature_is_added_after_the_sealed_bytes(sealed: bytes, signed: bytes) -> None:
    assert signed.startswith(sealed) and len(signed) > len(sealed)
    reader = PdfFileReader(io.BytesIO(signed))
    (embedded,) = reader.embedded_signatures
    assert embedded.signed_revision == 1  # the sealed form is revision 0, untouched
    signature = embedded.sig_object
    assert embedded.field_name == f"Consent {NUMBER}"
    assert signature["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert signature["/Reason"] == "Consent recorded" == signing.REASON
    assert signature["/Name"] == CLINIC
    assert signature["/Location"] == "1 Harley Street"
    # The form's facts are in the signed revision, tying it to the record and the bytes.
    facts = form_facts.read(reader.get_historical_resolver(1))
    assert facts == form_facts.FormFacts(NUMBER, RECORD_SHA256, hashlib.sha256(sealed).hexdigest())
    assert form_facts.read(reader.get_historical_resolver(0)) is None


def test_an_untouched_form_verifies(signed: bytes, sealed: bytes) -> None:
    report = _trusting_the_clinic(signed)
    assert report.ok and report.failed == [] and report.document_number == NUMBER
    outcomes = {check.name: check.outcome for check in report.checks}
    assert outcomes == {
        "signature": Outcome.OK,
        "signer": Outcome.OK,
        "coverage": Outcome.OK,
        "sealed form": Outcome.OK,
        "printed hash": Outcome.OK,
        # This small stand-in form carries no record, as forms sealed before records were
        # embedded (tests/test_pdfa_record.py checks a real form's).
        "embedded record": Outcome.NOTE,
        "timestamp": Outcome.NOTE,  # B-B: the clinic's clock
    }
    assert report.signer == support.CLINIC
    assert (
        f"bytes 0 to {len(sealed)} are the form as sealed" in _check(report, "sealed form").detail
    )
    assert support.clinic_identity().fingerprint in _check(report, "signer").detail
    assert "all 2 pages print" in _check(report, "printed hash").detail
    assert report.lines()[-1].startswith("Verified")


@pytest.mark.parametrize("where", ["sealed page", "signature value"])
def test_one_byte_changed_fails_naming_the_signature(signed: bytes, sealed: bytes, where) -> None:
    data = bytearray(signed)
    if where == "sealed page":
        position = len(sealed) // 2
        data[position] ^= 0x01
    else:
        (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
        position = embedded.byte_range[1] + 41  # a hex digit inside /Contents < ... >
        data[position] = ord("0") if data[position] != ord("0") else ord("1")
    report = _trusting_the_clinic(bytes(data))
    assert not report.ok
    assert report.failed[0] == "signature"
    assert report.lines()[-1].startswith("Not verified: signature")


def test_a_form_stripped_of_its_signature_is_not_signed(sealed: bytes) -> None:
    report = _trusting_the_clinic(sealed)
    assert not report.ok and report.failed == ["signature"]
    assert "not signed" in _check(report, "signature").detail


def test_a_form_signed_again_with_another_key_is_an_unknown_signer(sealed: bytes) -> None:
    impostor = support.impostor_identity()
    forged = _sign(sealed, impostor).data
    report = _trusting_the_clinic(forged)
    # Sound cryptography, the same clinic's name, but not the clinic's certificate.
    assert not report.ok and report.failed == ["signer"]
    assert _check(report, "signature").outcome is Outcome.OK
    detail = _check(report, "signer").detail
    assert detail.startswith("valid signature, unknown signer") and impostor.fingerprint in detail
    # Trusted, it verifies: trust is the reader's to give.
    assert verify_form(forged, [impostor.certificate]).ok
    # Trusting nothing, nothing is trusted.
    assert verify_form(forged, []).failed == ["signer"]


def test_a_later_update_that_changes_a_page_fails_coverage(signed: bytes) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0]
    added = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 500 Td (I do not consent) Tj ET")
    )
    contents = page.raw_get("/Contents")
    page[generic.NameObject("/Contents")] = generic.ArrayObject([contents, added])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    report = _trusting_the_clinic(out.getvalue())
    assert not report.ok and report.failed == ["coverage"]
    detail = _check(report, "coverage").detail
    assert detail.startswith("changed after signing: 1 incremental update after byte")
    assert _check(report, "signature").outcome is Outcome.OK  # the signed bytes are intact


def test_a_later_update_of_the_properties_alone_is_reported_but_harmless(signed: bytes) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    info = writer.trailer["/Info"]
    info[generic.NameObject("/Title")] = generic.TextStringObject("Renamed by a PDF editor")
    # Rewriting the facts too changes nothing the check reads: it reads the signed revision.
    info[generic.NameObject(form_facts.RECORD_SHA256)] = generic.TextStringObject("0" * 64)
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    report = _trusting_the_clinic(out.getvalue())
    assert report.ok
    detail = _check(report, "coverage").detail
    assert f"covers the file up to byte {len(signed)}" in detail
    assert "1 incremental update after byte" in detail and "change nothing on the pages" in detail


def test_a_footer_that_is_not_the_record_s_fails(sealed: bytes) -> None:
    other = support.sealed_pdf(record_sha256="9" * 64)
    report = _trusting_the_clinic(_sign(other).data)
    assert report.failed == ["printed hash"]
    assert f"SHA-256 {RECORD_SHA256[:12]}" in _check(report, "printed hash").detail


def test_a_file_that_is_no_pdf_fails() -> None:
    report = _trusting_the_clinic(b"%PDF-1.7 but nothing else")
    assert report.failed == ["file"] and not report.ok


def test_a_timestamp_makes_it_pades_b_t(sealed: bytes) -> None:
    stamped = _sign(sealed, timestamper=support.timestamper())
    assert stamped.timestamped and stamped.data.startswith(sealed)
    untrusted_tsa = _trusting_the_clinic(stamped.data)
    assert untrusted_tsa.ok
    assert _check(untrusted_tsa, "timestamp").outcome is Outcome.NOTE
    trusted = verify_form(
        stamped.data, [support.clinic_identity().certificate, support.tsa_certificate()]
    )
    check = _check(trusted, "timestamp")
    assert trusted.ok and check.outcome is Outcome.OK
    assert "by Test Time-Stamping Authority, a service you trust (PAdES B-T)" in check.detail


def test_the_timestamp_service_is_asked_over_http(sealed: bytes) -> None:
    with support.local_tsa() as (url, received):
        stamped = _sign(sealed, timestamper=signing.timestamp_service(url))
    assert stamped.timestamped and received
    assert _trusting_the_clinic(stamped.data).ok


def test_a_timestamp_service_that_does_not_answer_leaves_the_form_b_b(
    sealed: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with support.local_tsa() as (url, _received):
        pass  # closed again: nothing listens there now
    with caplog.at_level(logging.WARNING, logger="consult.proof.signing"):
        plain = _sign(sealed, timestamper=signing.timestamp_service(url))
    assert not plain.timestamped
    assert "signed without one" in caplog.text
    report = _trusting_the_clinic(plain.data)
    assert report.ok and _check(report, "timestamp").outcome is Outcome.NOTE


def test_a_certificate_issued_by_a_trust_service_is_trusted_as_the_clinic_s(
    sealed: bytes,
) -> None:
    # What a manager imports: the clinic's certificate, issued by a CA, with its chain.
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "A Trust Service")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=900))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CLINIC)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=400))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    signed = _sign(sealed, ClinicIdentity(key, leaf, (ca,))).data
    assert verify_form(signed, [leaf]).ok  # the clinic's own certificate
    assert verify_form(signed, [ca]).ok  # or the service that issued it
    assert verify_form(signed, [support.clinic_identity().certificate]).failed == ["signer"]


def test_a_signed_file_whose_structure_trips_the_reader_fails_without_a_crash(
    signed: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(revision: object) -> None:
        raise KeyError("/Info")  # as a crafted cross-reference would make pyHanko raise

    monkeypatch.setattr(form_facts, "read", broken)
    report = _trusting_the_clinic(signed)
    assert not report.ok and report.failed == ["file"]
    assert "structure cannot be read" in report.checks[-1].detail
