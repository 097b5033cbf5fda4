"""The clinic's signing identity in the store: it signs each sealed form, and a manager
may replace it with the clinic's own certificate.

The identity itself is kept outside the database (:mod:`consult.proof.identity`), in
the workstation's config directory, like the audit key; what the database keeps is the
audit log's word of it: when one was made, and when a manager imported another (who,
and the certificates' fingerprints). The clinic's timestamp service is one of its
settings (:data:`consult.proof.timestamp_setting.SETTING`, changed through
:func:`consult.store.services.clinic.update_settings`).
"""

from __future__ import annotations

import logging
from datetime import tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.documents.paper import Paper
from consult.domain.consent_document import SealedDocument
from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.roles import Role
from consult.proof import identity as identities
from consult.proof.identity import ClinicIdentity, IdentityError
from consult.proof.press import FormKind, FormOrder, PressedForm, Signing, press_form
from consult.proof.timestamp_setting import SETTING as TIMESTAMP_SETTING
from consult.store import audit
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ErrorText,
    StoreError,
)
from consult.store.models import Clinic
from consult.store.services.context import ServiceContext

_log = logging.getLogger(__name__)


class SigningIdentityError(StoreError):
    """The clinic's signing identity cannot be made, read or used: nothing was signed."""


def press_sealed(
    ctx: ServiceContext,
    session: Session,
    sealed: SealedDocument,
    document_number: str,
    *,
    zone: tzinfo | None,
    paper: Paper,
    kb: KnowledgeBase,
    kind: FormKind = FormKind.CONSENT,
) -> PressedForm:
    """The form of ``sealed`` rendered, and signed by the clinic (:func:`signing_for`),
    in the signing's transaction ``session``: by the form press when the window runs one
    (:mod:`consult.proof.press`)."""
    order = FormOrder(
        sealed.document,
        sealed.sha256,
        sealed.canonical,
        document_number,
        zone,
        paper,
        signing_for(ctx, session),
        kind,
    )
    return press_form(order, kb, version=kb.version)


def signing_for(ctx: ServiceContext, session: Session) -> Signing | None:
    """How the form sealed in the transaction ``session`` is signed by the clinic, for
    the form press (:mod:`consult.proof.press`): the identity (made at the first signed
    form, and logged in the same transaction), the clinic's name and place, and its
    timestamp service if it named one. None when the database was opened without a
    config directory (no identity can be kept). Raises :class:`SigningIdentityError`
    when the identity is unusable: a consent is not sealed unsigned behind the clinic's
    back."""
    found = _signer(ctx, session)
    if found is None:
        return None
    identity, clinic = found
    return Signing(identity.private_pem(), clinic.name, _location(clinic), _timestamp_url(clinic))


def _signer(ctx: ServiceContext, session: Session) -> tuple[ClinicIdentity, Clinic] | None:
    """The clinic's identity (made and logged now if there is none) and the clinic."""
    config_dir = ctx.db.config_dir
    if config_dir is None:
        return None
    clinic = session.execute(select(Clinic).order_by(Clinic.id).limit(1)).scalar_one()
    try:
        identity, made = identities.load_or_create(config_dir, clinic.name)
        identities.check_current(identity)
    except (IdentityError, OSError) as exc:
        _log.error("the clinic's signing identity cannot sign", exc_info=True)
        raise SigningIdentityError(
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "The form cannot be signed: %1"), exc)
        ) from exc
    if made:
        audit.append(
            session,
            ctx.actor,
            "certificate.created",
            record_type="clinic",
            record_id=clinic.id,
            details=_described(identity),
        )
    return identity, clinic


def _location(clinic: Clinic) -> str | None:
    """The signature's place: the first line of the clinic's address."""
    return clinic.address.strip().splitlines()[0] if clinic.address.strip() else None


def _timestamp_url(clinic: Clinic) -> str:
    return str((clinic.settings or {}).get(TIMESTAMP_SETTING) or "")


def import_certificate(ctx: ServiceContext, identity: ClinicIdentity) -> ClinicIdentity | None:
    """Make ``identity`` (read from the clinic's PKCS#12 file) the one that signs from
    now on (managers); returns the one it replaces. Logged with both fingerprints."""
    ctx.require("import the clinic's signing certificate", Role.MANAGER)
    config_dir = ctx.db.config_dir
    if config_dir is None:
        raise SigningIdentityError("This database was opened without a config directory.")
    with ctx.unit_of_work() as session:
        clinic = session.execute(select(Clinic).order_by(Clinic.id).limit(1)).scalar_one()
        previous: ClinicIdentity | None = None
        if identities.exists(config_dir):
            try:
                previous = identities.load(config_dir)
            except IdentityError:
                _log.warning("the signing identity replaced was damaged", exc_info=True)
        audit.append(
            session,
            ctx.actor,
            "certificate.imported",
            record_type="clinic",
            record_id=clinic.id,
            details={
                **_described(identity),
                "replaced": previous.fingerprint if previous is not None else None,
            },
        )
        session.flush()
        # Last in the transaction: if the entry cannot be written, nothing is replaced.
        try:
            identities.install(config_dir, identity)
        except OSError as exc:
            raise SigningIdentityError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "The certificate cannot be kept: %1"), exc
                )
            ) from exc
        return previous


def _described(identity: ClinicIdentity) -> dict[str, str | bool]:
    return {
        "subject": identity.subject,
        "sha256": identity.fingerprint,
        "self_signed": identity.self_signed,
        "valid_until": identity.certificate.not_valid_after_utc.date().isoformat(),
    }
