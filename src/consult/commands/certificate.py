"""``consult certificate``: the clinic's signing certificate, which signs every sealed form.

- ``show``: the certificate this workstation signs with (and the retired ones it still
  recognises), read from the config directory; no database is opened;
- ``import FILE [--password-file F] --as USER``: make the clinic's own certificate (a
  PKCS#12 file) the one that signs from now on; managers only, logged;
- ``export-public FILE``: write the certificate, public part only, for whoever checks
  forms outside the clinic (``consult verify FORM.pdf --trust FILE``);
- ``timestamp-service [URL | --none] --as USER``: name the RFC 3161 timestamp service
  whose timestamp every signed form then carries (PAdES B-T), or none; managers only,
  logged. Without URL or ``--none``: say which one is named.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from consult.commands import actor, output
from consult.commands.base import UsageError, show
from consult.proof import identity

if TYPE_CHECKING:
    from consult.commands.base import Context


def _show(args: argparse.Namespace, ctx: Context) -> int:
    config = ctx.dirs.config
    try:
        current = identity.load(config) if identity.exists(config) else None
        known = identity.trusted_certificates(config)
    except identity.IdentityError as exc:
        raise UsageError(str(exc)) from exc
    if current is None:
        print(
            "No signing certificate yet: Consult makes one for the clinic at the first "
            "signed form, or a manager imports the clinic's own (consult certificate "
            "import FILE)."
        )
    else:
        cert = current.certificate
        issuer = (
            "itself (self-signed, made by Consult)"
            if current.self_signed
            else cert.issuer.rfc4514_string()
        )
        print(f"Signing certificate: {current.subject}")
        print(f"  SHA-256 fingerprint: {current.fingerprint}")
        print(
            f"  valid from {cert.not_valid_before_utc:%Y-%m-%d} "
            f"to {cert.not_valid_after_utc:%Y-%m-%d}"
        )
        print(f"  issued by: {issuer}")
        print(f"  kept in: {identity.identity_path(config)}")
    retired = known[1:] if current is not None else known
    for cert in retired:
        print(
            f"Retired (forms it signed are still the clinic's): {identity.subject_name(cert)}, "
            f"SHA-256 {identity.fingerprint(cert)}"
        )
    return 0


def _import(args: argparse.Namespace, ctx: Context) -> int:
    # For start-up speed only: the database layer is loaded by the commands that use it.
    from consult.commands.app import open_for_use
    from consult.store.services import clinic_signing

    data = _read(args.file, "FILE")
    password = None
    if args.password_file is not None:
        lines = _read(args.password_file, "--password-file").splitlines()
        password = lines[0] if lines else b""
    try:
        new = identity.from_pkcs12(data, password)
    except identity.IdentityError as exc:
        raise UsageError(f"{show(args.file)}: {exc}") from exc
    db = open_for_use(ctx)
    try:
        with actor.signed_in(db, args) as as_user:
            previous = clinic_signing.import_certificate(as_user, new)
    finally:
        db.close()
    print(f"The clinic now signs forms as {new.subject} (SHA-256 {new.fingerprint}).")
    if previous is not None and previous.fingerprint != new.fingerprint:
        print(
            f"The certificate it replaces ({previous.subject}, SHA-256 {previous.fingerprint}) "
            "is kept: the forms it signed are still the clinic's."
        )
    return 0


def _export_public(args: argparse.Namespace, ctx: Context) -> int:
    config = ctx.dirs.config
    if not identity.exists(config):
        raise UsageError(
            "no signing certificate yet: one is made at the first signed form "
            "(or import the clinic's own: consult certificate import FILE)"
        )
    try:
        pem = identity.load(config).public_pem()
    except identity.IdentityError as exc:
        raise UsageError(str(exc)) from exc
    if args.output == "-":
        print(pem.decode("ascii"), end="")
        return 0
    output.write_bytes(ctx, args.output, pem, force=args.force, option="FILE")
    print(f"Wrote the clinic's certificate (public part only) to {args.output}")
    return 0


def _timestamp_service(args: argparse.Namespace, ctx: Context) -> int:
    # For start-up speed only, as above.
    from consult.commands.app import open_for_use
    from consult.proof.timestamp_setting import SETTING, check_timestamp_url
    from consult.store.errors import ValidationError
    from consult.store.services import clinic

    if args.url is not None and args.none:
        raise UsageError("give a URL or --none, not both")
    if args.url is not None:
        try:
            check_timestamp_url(args.url)
        except ValueError as exc:
            raise UsageError(f"URL {show(args.url)}: {exc}") from exc
    db = open_for_use(ctx)
    try:
        with actor.signed_in(db, args) as as_user:
            if args.url is None and not args.none:
                named = str(clinic.settings(as_user).get(SETTING) or "")
                print(
                    f"Signed forms are timestamped by {named} (PAdES B-T)."
                    if named
                    else "No timestamp service: signed forms carry the signing "
                    "workstation's time (PAdES B-B)."
                )
                return 0
            found = clinic.get_clinic(as_user)
            if found is None:
                raise UsageError("this database has no clinic yet")
            try:
                clinic.update_settings(as_user, found.version, {SETTING: args.url or ""})
            except ValidationError as exc:
                raise UsageError(exc.message) from exc
    finally:
        db.close()
    if args.url:
        print(
            f"Signed forms will be timestamped by {args.url} (PAdES B-T); Consult asks it at "
            "each signing (and signs without a timestamp, logged, when it does not answer)."
        )
    else:
        print("No timestamp service: Consult no longer reaches the network to sign forms.")
    return 0


def _read(name: str, option: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise UsageError(f"{option} {show(name)}: {exc.strerror or exc}") from exc


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``certificate`` and its actions."""
    parser = sub.add_parser(
        "certificate",
        help="the clinic's signing certificate: show, import, export-public, timestamp-service",
        description="The clinic's signing certificate signs every sealed form (PAdES). It is "
        "kept outside the database, in the config directory, like the audit key.",
    )
    actions = parser.add_subparsers(dest="certificate_command", metavar="ACTION", required=True)
    shown = actions.add_parser("show", help="the certificate this workstation signs with")
    shown.set_defaults(func=_show)
    imported = actions.add_parser(
        "import",
        help="sign with the clinic's own certificate (a PKCS#12 file) from now on (managers)",
        description="The certificate replaced is kept (public part only), so that the forms "
        "it signed are still recognised as the clinic's. Logged.",
    )
    imported.add_argument("file", metavar="FILE", help="a PKCS#12 file (.p12, .pfx)")
    imported.add_argument(
        "--password-file",
        metavar="F",
        help="the PKCS#12 file's password is the first line of F (default: no password)",
    )
    actor.add_user_option(imported)
    imported.set_defaults(func=_import)
    exported = actions.add_parser(
        "export-public",
        help="write the certificate, public part only, for auditors to trust",
        description="Whoever checks a form outside the clinic trusts this file: "
        "consult verify FORM.pdf --trust FILE.",
    )
    exported.add_argument("output", metavar="FILE", help="the PEM file to write (- = stdout)")
    exported.add_argument("--force", action="store_true", help="replace FILE if it exists")
    exported.set_defaults(func=_export_public)
    stamped = actions.add_parser(
        "timestamp-service",
        help="the RFC 3161 timestamp service that timestamps signed forms (managers)",
        description="With a URL, every form signed from now on carries a timestamp from that "
        "service (PAdES B-T), and Consult reaches it at each signing; --none: no service, "
        "Consult never reaches the network to sign. Without either: say which is named.",
    )
    stamped.add_argument("url", nargs="?", metavar="URL", help="http:// or https:// URL")
    stamped.add_argument("--none", action="store_true", help="no timestamp service")
    actor.add_user_option(stamped)
    stamped.set_defaults(func=_timestamp_service)
