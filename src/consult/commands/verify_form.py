"""``consult verify FILE.pdf``: one signed form checked on its own.

No database is opened and no home is needed: what the form proves, it proves by itself
(:mod:`consult.proof.verification`): the clinic's signature and its signer, that nothing
changed since, the printed hash, and the record the form carries inside it. The signer
is trusted when its certificate is the clinic's own, as this workstation keeps it (the
one it signs with, or signed with before), or one given with ``--trust CERT`` (an
auditor is handed the clinic's public certificate, ``consult certificate
export-public``). Exit 0 when the form is verified,
1 with the list of what failed.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509

from consult.commands.base import EXIT_FAILED, EXIT_OK, UsageError, show
from consult.proof import identity
from consult.proof.verification import quiet_library_loggers, verify_form

if TYPE_CHECKING:
    from consult.commands.base import Context


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Check ``args.file`` against the clinic's certificates and ``args.trust``."""
    data = _read(args.file, "FILE")
    trusted = _trusted(ctx, args.trust or [])
    quiet_library_loggers()
    report = verify_form(data, trusted)
    print(f"{args.file}: {report.document_number or 'no Consult form named'}")
    print("\n".join(report.lines()))
    return EXIT_OK if report.ok else EXIT_FAILED


def _trusted(ctx: Context, given: list[str]) -> list[x509.Certificate]:
    try:
        trusted = identity.trusted_certificates(ctx.dirs.config)
    except identity.IdentityError as exc:
        raise UsageError(str(exc)) from exc
    for name in given:
        try:
            trusted.extend(identity.load_certificates(_read(name, "--trust"), show(name)))
        except identity.IdentityError as exc:
            raise UsageError(f"--trust {exc}") from exc
    return trusted


def _read(name: str, option: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise UsageError(f"{option} {show(name)}: {exc.strerror or exc}") from exc
