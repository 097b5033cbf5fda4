"""The clinic's signing identity: the private key and certificate that sign sealed forms.

It is kept like the audit key (:mod:`consult.store.keys`): outside the database, in the
workstation's config directory, in one file only its owner may read
(``clinic-signing.pem``: the private key, then the certificate and any chain). One file,
so that a key and a certificate that do not belong together are never read: it is
written whole and put in place in one step.

At the first signed form a key (ECDSA on P-256) and a self-signed certificate naming the
clinic are made (:func:`load_or_create`). A manager may instead import the clinic's own
certificate from a PKCS#12 file (:func:`from_pkcs12` and :func:`install`), one issued by
a trust service, say. A certificate replaced that way is kept, its public part only, in
``clinic-signing-retired.pem``: the forms it signed stay recognised as the clinic's
(:func:`trusted_certificates`).

On a clinic with several workstations every workstation should sign with the same
identity: copy the file from the first one, as with the audit key, or import the same
PKCS#12 file on each.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from consult.proof.wording import QT_TRANSLATE_NOOP, Finding

_log = logging.getLogger(__name__)

IDENTITY_FILE = "clinic-signing.pem"
RETIRED_FILE = "clinic-signing-retired.pem"
VALID_YEARS = 30
"""A self-signed certificate's life: a form must verify for as long as it is kept."""
MIN_RSA_BITS = 2048
_NAME_LIMIT = 64  # X.520's upper bound for a common name and an organisation name

SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class IdentityError(Exception):
    """The signing identity is missing, unreadable or cannot sign."""


@dataclass(frozen=True)
class ClinicIdentity:
    """A private key, its certificate and the certificates that chain it to its issuer."""

    key: SigningKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def subject(self) -> str:
        """Who the certificate names (its common name, or the whole subject)."""
        return subject_name(self.certificate)

    @property
    def fingerprint(self) -> str:
        """The certificate's SHA-256 fingerprint, lowercase hex."""
        return fingerprint(self.certificate)

    @property
    def self_signed(self) -> bool:
        """True for a certificate its own key issued (the one Consult makes)."""
        return self.certificate.issuer == self.certificate.subject

    def public_pem(self) -> bytes:
        """The certificate and its chain, PEM: what an auditor is given to trust."""
        return b"".join(
            cert.public_bytes(serialization.Encoding.PEM)
            for cert in (self.certificate, *self.chain)
        )

    def private_pem(self) -> bytes:
        """The whole identity as the identity file holds it (the key unencrypted)."""
        key = self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return key + self.public_pem()


def fingerprint(certificate: x509.Certificate) -> str:
    """A certificate's SHA-256 fingerprint, lowercase hex."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def subject_name(certificate: x509.Certificate) -> str:
    """A certificate's common name, or its whole subject when it has none."""
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if names:
        value = names[0].value
        return value if isinstance(value, str) else value.decode("utf-8", "replace")
    return certificate.subject.rfc4514_string()


def identity_path(config_dir: Path) -> Path:
    """Where the identity is kept."""
    return config_dir / IDENTITY_FILE


def retired_path(config_dir: Path) -> Path:
    """Where the certificates an import replaced are kept."""
    return config_dir / RETIRED_FILE


def exists(config_dir: Path) -> bool:
    """True if this workstation has a signing identity."""
    return identity_path(config_dir).exists()


def load(config_dir: Path) -> ClinicIdentity:
    """Read the identity; :class:`IdentityError` if it is missing or damaged."""
    path = identity_path(config_dir)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise IdentityError(f"The clinic's signing identity {path} does not exist.") from exc
    except OSError as exc:
        raise IdentityError(f"The clinic's signing identity {path} cannot be read: {exc}") from exc
    return from_pem(data, str(path))


def from_pem(data: bytes, where: str) -> ClinicIdentity:
    """The identity ``data`` holds, as :meth:`ClinicIdentity.private_pem` writes it (read
    from ``where``); :class:`IdentityError` if it is damaged or cannot sign."""
    try:
        key = serialization.load_pem_private_key(data, password=None)
        certificates = x509.load_pem_x509_certificates(data)
    except (TypeError, ValueError) as exc:
        raise IdentityError(f"The clinic's signing identity {where} is damaged: {exc}") from exc
    return _checked(key, certificates[0], certificates[1:], where)


def load_or_create(
    config_dir: Path, clinic_name: str, *, now: dt.datetime | None = None
) -> tuple[ClinicIdentity, bool]:
    """The identity, made now (self-signed, naming ``clinic_name``) if there is none yet;
    and whether it was made now.

    Two processes making one at once end with the same identity: the file is put in
    place only where there is none, and the loser reads the winner's.
    """
    if exists(config_dir):
        return load(config_dir), False
    made = self_signed(clinic_name, now=now)
    if _write(identity_path(config_dir), made.private_pem(), replace=False):
        _log.info("made the clinic's signing identity %s (%s)", made.subject, made.fingerprint)
        return made, True
    return load(config_dir), False


def self_signed(clinic_name: str, *, now: dt.datetime | None = None) -> ClinicIdentity:
    """A new key (ECDSA, P-256) and a certificate it signs itself, naming the clinic."""
    name = " ".join(clinic_name.split())[:_NAME_LIMIT] or "Clinic"
    moment = now or dt.datetime.now(dt.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
        ]
    )
    usage = x509.KeyUsage(
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
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # A little in the past: a workstation whose clock runs behind still signs
        # within the certificate's life.
        .not_valid_before(moment - dt.timedelta(days=1))
        .not_valid_after(moment + dt.timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, _DOCUMENT_SIGNING]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return ClinicIdentity(key, certificate)


# RFC 9336's id-kp-documentSigning (cryptography names no constant for it yet).
_DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")


def from_pkcs12(
    data: bytes, password: bytes | None, *, now: dt.datetime | None = None
) -> ClinicIdentity:
    """The identity in a PKCS#12 file (``.p12``, ``.pfx``), checked: it holds a key and
    its certificate, the key is RSA (2048 bits or more) or elliptic-curve, and the
    certificate may sign documents and is valid ``now``."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, password)
    except (TypeError, ValueError) as exc:
        hint = "" if password else " (if it is protected by a password, give it)"
        raise IdentityError(f"not a PKCS#12 file, or the password is wrong{hint}: {exc}") from exc
    if key is None or certificate is None:
        raise IdentityError("the PKCS#12 file must hold a private key and its certificate")
    identity = _checked(key, certificate, chain, "the PKCS#12 file")
    check_current(identity, now=now)
    return identity


def install(config_dir: Path, identity: ClinicIdentity) -> ClinicIdentity | None:
    """Make ``identity`` the clinic's, replacing the one there (returned, or None).

    The replaced certificate is kept among the retired ones, so that the forms it signed
    are still recognised as the clinic's.
    """
    previous: ClinicIdentity | None = None
    if exists(config_dir):
        try:
            previous = load(config_dir)
        except IdentityError:
            # A damaged file is replaced all the same: the import is how it is repaired.
            _log.warning("replacing a damaged signing identity", exc_info=True)
    if previous is not None and previous.fingerprint != identity.fingerprint:
        retired = [*_retired(config_dir), previous.certificate]
        pem = b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in retired)
        _write(retired_path(config_dir), pem, replace=True)
    _write(identity_path(config_dir), identity.private_pem(), replace=True)
    _log.info(
        "the clinic's signing identity is now %s (%s)", identity.subject, identity.fingerprint
    )
    return previous


def check_current(identity: ClinicIdentity, *, now: dt.datetime | None = None) -> None:
    """Refuse (:class:`IdentityError`) an identity whose certificate is not valid ``now``:
    what it signed would not verify."""
    moment = now or dt.datetime.now(dt.UTC)
    certificate = identity.certificate
    if moment > certificate.not_valid_after_utc:
        raise IdentityError(
            f"The clinic's certificate ({identity.subject}) expired on "
            f"{certificate.not_valid_after_utc:%Y-%m-%d}: a manager imports a new one."
        )
    if moment < certificate.not_valid_before_utc:
        raise IdentityError(
            f"The clinic's certificate ({identity.subject}) is valid only from "
            f"{certificate.not_valid_before_utc:%Y-%m-%d}: check this computer's clock."
        )


def trusted_certificates(config_dir: Path) -> list[x509.Certificate]:
    """The clinic's certificates on this workstation: the one it signs with now and the
    ones it signed with before. Only their public parts are read; none: an empty list."""
    path = identity_path(config_dir)
    try:
        current = x509.load_pem_x509_certificates(path.read_bytes())[:1]
    except FileNotFoundError:
        current = []
    except (OSError, ValueError) as exc:
        raise IdentityError(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "The clinic's signing identity %1 cannot be read: %2"
                ),
                path,
                exc,
            )
        ) from exc
    return [*current, *_retired(config_dir)]


def load_certificates(data: bytes, where: str) -> list[x509.Certificate]:
    """The certificates in a file given to trust: PEM (one or more) or one DER."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise IdentityError(f"{where} holds no certificate this program can read: {exc}") from exc


def _retired(config_dir: Path) -> list[x509.Certificate]:
    path = retired_path(config_dir)
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise IdentityError(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "The retired certificates %1 cannot be read: %2"
                ),
                path,
                exc,
            )
        ) from exc


def _checked(
    key: object,
    certificate: x509.Certificate,
    chain: Sequence[x509.Certificate],
    where: str,
) -> ClinicIdentity:
    """An identity from what was read, if the key can sign and its certificate is its own."""
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < MIN_RSA_BITS:
            raise IdentityError(f"{where}: an RSA key of {key.key_size} bits is too weak")
    elif not isinstance(key, ec.EllipticCurvePrivateKey):
        raise IdentityError(f"{where}: the key must be RSA or elliptic-curve")
    public = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*public) != certificate.public_key().public_bytes(*public):
        raise IdentityError(f"{where}: the certificate is not the private key's")
    # Validators (pyHanko's, Adobe's) want the key usage said: digital signature or
    # non-repudiation. A certificate that says neither would sign forms nobody can verify.
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is None or not (usage.digital_signature or usage.content_commitment):
        raise IdentityError(f"{where}: the certificate may not sign documents (key usage)")
    return ClinicIdentity(key, certificate, tuple(chain))


def _write(path: Path, data: bytes, *, replace: bool) -> bool:
    """Write ``data`` to ``path``, readable by its owner only, whole or not at all.

    ``replace`` False: only if there is no file there yet (returns False if there was).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(scratch, path)
            return True
        try:
            os.link(scratch, path)  # fails if the file exists: never overwrites
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(scratch)
