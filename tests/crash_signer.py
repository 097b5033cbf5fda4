"""A child process for the crash-safety test: signs every consultation ready for consent.

It prints ``SIGNED <consultation id>`` after each signing has committed; the parent
kills it at a random moment and then checks the database.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from sqlalchemy import select

from consult import paths
from consult.documents.consent_pdf import prepare_fonts
from consult.knowledge.consent_templates import load_templates
from consult.knowledge.loader import load_knowledge
from consult.proof import identity as identities
from consult.store.database import open_database
from consult.store.errors import SealedRecordError
from consult.store.models import Consultation
from consult.store.services import consents
from consult.store.services import users as user_service
from consult.store.services.consents import SignatureInput
from consult.store.services.context import ServiceContext


def scribble() -> list[list[dict[str, float]]]:
    return [[{"x": 10 + i * 6, "y": 40 + (i % 5) * 7, "t": i * 16, "p": 0.5} for i in range(30)]]


def main(home: str, password: str) -> int:
    db = open_database(paths.for_home(Path(home)))
    kb, templates = load_knowledge(), load_templates()
    ctx = ServiceContext(db)
    doc = ctx.signed_in(user_service.sign_in(ctx, "doc", password))
    with db.session() as session:
        ready = list(
            session.execute(
                select(Consultation.id, Consultation.treatments)
                .where(Consultation.status == "screened")
                .order_by(Consultation.id)
            ).all()
        )
    # Ready means ready to sign at full pace: the form's fonts parsed and the clinic's
    # signing identity read, which the first signing of a process would otherwise do
    # (a second or more on a busy machine, longer than the parent's latest kill). The
    # identity is made by the first signing of all, through the service, as in the app.
    prepare_fonts()
    if db.config_dir is not None and identities.exists(db.config_dir):
        identities.load(db.config_dir)
    print("READY", len(ready), flush=True)
    for consultation_id, treatments in ready:
        treatment = treatments[0]["id"]
        text = consents.consent_text(doc, consultation_id, treatment, templates)
        now = dt.datetime.now(dt.UTC)
        try:
            consents.sign(
                doc,
                consultation_id,
                treatment,
                template_version=text.template_version,
                initials={s.id: "AB" for s in text.sections},
                choices={"photographs": False, "data_processing": True},
                patient_signature=SignatureInput("Ann Bee", scribble(), 480, 160, now),
                practitioner_signature=SignatureInput("Dr Dana Doe", scribble(), 480, 160, now),
                templates=templates,
                kb=kb,
            )
        except SealedRecordError:
            continue
        print("SIGNED", consultation_id, flush=True)
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
