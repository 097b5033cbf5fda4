"""Certificates and keys as pyHanko takes them: asn1crypto objects (which are untyped).

Consult holds them as ``cryptography`` objects; these convert at the edge, through PEM,
with pyHanko's own loaders.
"""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data

from consult.proof.identity import SigningKey


def certificate(value: x509.Certificate) -> Any:
    """``value`` as an ``asn1crypto.x509.Certificate``."""
    (loaded,) = load_certs_from_pemder_data(value.public_bytes(serialization.Encoding.PEM))
    return loaded


def private_key(value: SigningKey) -> Any:
    """``value`` as an ``asn1crypto.keys.PrivateKeyInfo``."""
    pem = value.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return load_private_key_from_pemder_data(pem, passphrase=None)


def to_cryptography(value: Any) -> x509.Certificate:
    """An ``asn1crypto`` certificate (from a signature, say) as a ``cryptography`` one."""
    return x509.load_der_x509_certificate(value.dump())
