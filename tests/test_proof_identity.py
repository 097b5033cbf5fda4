"""The clinic's signing identity (consult.proof.identity): made once, kept readable by its
owner only, imported from a PKCS#12 file with its checks, and the certificates it
replaces still trusted; the timestamp service's setting."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from consult.proof import identity
from consult.proof.identity import ClinicIdentity, IdentityError
from consult.proof.timestamp_setting import check_timestamp_url
from tests import proof_support as support

SIGNING = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _certificate(
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    *,
    days: int = 365,
    start: dt.datetime | None = None,
    usage: x509.KeyUsage | None = SIGNING,
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Clinic by a trust service")])
    begin = start or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Some CA")]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(begin)
        .not_valid_after(begin + dt.timedelta(days=days))
    )
    if usage is not None:
        builder = builder.add_extension(usage, critical=True)
    return builder.sign(key, hashes.SHA256())


def test_the_identity_is_made_once_and_kept_for_its_owner_only(home) -> None:
    made, created = identity.load_or_create(home.config, support.CLINIC)
    assert created and made.self_signed and made.subject == support.CLINIC
    path = identity.identity_path(home.config)
    assert path.name == "clinic-signing.pem" and _mode(path) == 0o600
    again, created_again = identity.load_or_create(home.config, "Another Name")
    assert not created_again and again.fingerprint == made.fingerprint
    certificate = made.certificate
    assert isinstance(made.key, ec.EllipticCurvePrivateKey)
    years = (certificate.not_valid_after_utc - certificate.not_valid_before_utc).days / 365
    assert years >= identity.VALID_YEARS
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert identity.trusted_certificates(home.config) == [certificate]
    # Nothing else is left in the folder (no temporary file).
    assert sorted(p.name for p in home.config.iterdir()) == ["clinic-signing.pem"]


def test_a_long_clinic_name_is_cut_to_what_a_certificate_holds() -> None:
    made = identity.self_signed("A" * 100)
    assert made.subject == "A" * 64


def test_two_makers_at_once_end_with_the_same_identity(home, monkeypatch) -> None:
    first = support.clinic_identity()
    real = identity.self_signed

    def slower(name: str, *, now=None) -> ClinicIdentity:
        # Another process puts its identity in place while this one makes its own.
        identity.install(home.config, first)
        return real(name, now=now)

    monkeypatch.setattr(identity, "self_signed", slower)
    kept, created = identity.load_or_create(home.config, support.CLINIC)
    assert not created and kept.fingerprint == first.fingerprint
    assert identity.load(home.config).fingerprint == first.fingerprint


def test_a_key_and_a_certificate_that_do_not_belong_together_are_refused(home) -> None:
    mine, theirs = support.clinic_identity(), support.impostor_identity()
    mixed = ClinicIdentity(mine.key, theirs.certificate)
    identity.identity_path(home.config).write_bytes(mixed.private_pem())
    with pytest.raises(IdentityError, match="the certificate is not the private key's"):
        identity.load(home.config)


def test_a_damaged_identity_is_refused(home) -> None:
    identity.identity_path(home.config).write_bytes(b"-----BEGIN PRIVATE KEY-----\nnonsense\n")
    with pytest.raises(IdentityError, match="damaged"):
        identity.load(home.config)
    with pytest.raises(IdentityError, match="does not exist"):
        identity.load(home.config / "elsewhere")


def test_a_pkcs12_file_is_imported_with_its_password(home) -> None:
    clinic = support.clinic_identity()
    data = support.pkcs12_file(clinic, b"s3cret")
    imported = identity.from_pkcs12(data, b"s3cret")
    assert imported.fingerprint == clinic.fingerprint
    with pytest.raises(IdentityError, match="password is wrong"):
        identity.from_pkcs12(data, b"wrong")
    with pytest.raises(IdentityError, match="if it is protected by a password, give it"):
        identity.from_pkcs12(data, None)
    with pytest.raises(IdentityError, match="not a PKCS#12 file"):
        identity.from_pkcs12(b"not at all", None)
    assert identity.from_pkcs12(support.pkcs12_file(clinic, None), None).fingerprint == (
        clinic.fingerprint
    )


def test_an_unusable_certificate_is_refused_at_import() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    none = serialization.NoEncryption()

    def p12(k, cert) -> bytes:
        return pkcs12.serialize_key_and_certificates(b"x", k, cert, None, none)

    expired = _certificate(key, start=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), days=30)
    with pytest.raises(IdentityError, match="expired on 2020-01-31"):
        identity.from_pkcs12(p12(key, expired), None)
    certifying_only = x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
    with pytest.raises(IdentityError, match="may not sign documents"):
        identity.from_pkcs12(p12(key, _certificate(key, usage=certifying_only)), None)
    with pytest.raises(IdentityError, match="may not sign documents"):
        identity.from_pkcs12(p12(key, _certificate(key, usage=None)), None)  # says nothing
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(IdentityError, match="1024 bits is too weak"):
        identity.from_pkcs12(p12(weak, _certificate(weak)), None)
    # Issued by someone else and signing documents: accepted.
    accepted = identity.from_pkcs12(p12(key, _certificate(key)), None)
    assert not accepted.self_signed


def test_an_import_keeps_the_certificate_it_replaces_as_trusted(home) -> None:
    first, _ = identity.load_or_create(home.config, support.CLINIC)
    second = support.clinic_identity()
    replaced = identity.install(home.config, second)
    assert replaced is not None and replaced.fingerprint == first.fingerprint
    assert identity.load(home.config).fingerprint == second.fingerprint
    assert _mode(identity.identity_path(home.config)) == 0o600
    trusted = [identity.fingerprint(c) for c in identity.trusted_certificates(home.config)]
    assert trusted == [second.fingerprint, first.fingerprint]
    # The retired file holds certificates only, never a key.
    retired = identity.retired_path(home.config).read_bytes()
    assert b"PRIVATE KEY" not in retired
    # Installing the same identity again retires nothing more.
    identity.install(home.config, second)
    assert len(identity.trusted_certificates(home.config)) == 2


def test_an_expired_identity_cannot_sign() -> None:
    made = identity.self_signed("Clinic", now=dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(IdentityError, match="expired on 2009"):
        identity.check_current(made)
    identity.check_current(support.clinic_identity())


def test_certificates_to_trust_are_read_as_pem_or_der() -> None:
    certificate = support.clinic_identity().certificate
    pem = support.clinic_identity().public_pem()
    der = certificate.public_bytes(serialization.Encoding.DER)
    assert identity.load_certificates(pem, "a.pem") == [certificate]
    assert identity.load_certificates(der, "a.der") == [certificate]
    with pytest.raises(IdentityError, match=r"b\.txt holds no certificate"):
        identity.load_certificates(b"hello", "b.txt")


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (None, ""),
        ("", ""),
        ("   ", ""),
        ("http://timestamp.example.org/tsa", "http://timestamp.example.org/tsa"),
        (" https://tsa.example:8443/rfc3161 ", "https://tsa.example:8443/rfc3161"),
    ],
)
def test_the_timestamp_service_setting_takes_an_http_url_or_none(value, stored) -> None:
    assert check_timestamp_url(value) == stored


@pytest.mark.parametrize(
    "value",
    ["ftp://tsa.example.org", "http://", "tsa.example.org", "http://tsa:port", "http://a b", 42],
)
def test_the_timestamp_service_setting_refuses_anything_else(value) -> None:
    with pytest.raises(ValueError):
        check_timestamp_url(value)
