"""Extra signers (issue 21) in the FHIR export: each a Provenance agent with their role
(a guardian on the patient's behalf) and a signature typed as ASTM E1762 types it, the
bundle still valid FHIR R4."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from consult.documents.fhir_provenance import STROKES_EXTENSION
from consult.domain.consent_signers import SignerRole
from consult.store.dto import RegisterFilters
from consult.store.services import clinic as clinic_service
from consult.store.services import register_export
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories
from tests.fhir_r4 import problems
from tests.test_signers_service import SIXTEEN, extra, screened, sign


@pytest.fixture
def clinic(ctx: ServiceContext) -> dict[str, Any]:
    people = factories.staff(ctx)
    out: dict[str, Any] = {role: ctx.signed_in(user) for role, user in people.items()}
    out["products"] = {}
    return out


def test_every_signer_is_a_provenance_agent_in_valid_r4(
    clinic: dict[str, Any], tmp_path: Path
) -> None:
    manager = clinic["manager"]
    version = clinic_service.get_clinic(manager).version  # type: ignore[union-attr]
    clinic_service.update_settings(manager, version, {"witness_required": ["prp"]})
    consultation_id = screened(clinic, "prp", SIXTEEN, language="ja")
    sign(
        clinic,
        consultation_id,
        "prp",
        extra(SignerRole.GUARDIAN, "Ann Young", relationship="mother"),
        extra(SignerRole.WITNESS, "Walter Witness"),
        extra(SignerRole.INTERPRETER, "Ichiro Tsuyaku", language="ja"),
    )
    target = tmp_path / "register.json"
    register_export.export_register(manager, RegisterFilters(), "fhir", target, kb=knowledge())
    data = json.loads(target.read_text(encoding="utf-8"))
    assert problems(data) == []
    (provenance,) = [
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Provenance"
    ]
    patient = provenance["agent"][0]["who"]["reference"]
    extras = {a["who"]["display"]: a for a in provenance["agent"] if "display" in a["who"]}
    assert set(extras) == {"Ann Young", "Walter Witness", "Ichiro Tsuyaku"}
    assert extras["Ann Young"]["role"][0]["coding"][0]["code"] == "GUARD"
    assert extras["Ann Young"]["onBehalfOf"] == {"reference": patient}
    assert extras["Walter Witness"]["role"][0]["coding"][0]["code"] == "WIT"
    assert extras["Ichiro Tsuyaku"]["role"][0]["coding"][0]["code"] == "translator"
    types = {
        s["who"].get("display"): s["type"][0]["display"]
        for s in provenance["signature"]
        if "reference" not in s["who"]
    }
    assert types == {
        "Ann Young": "Consent Signature",
        "Walter Witness": "Consent Witness Signature",
        "Ichiro Tsuyaku": "Interpreter Signature",
    }
    for sig in provenance["signature"]:
        assert sig["sigFormat"] == "image/png"
        recorded = next(e for e in sig["extension"] if e["url"] == STROKES_EXTENSION)
        strokes = json.loads(base64.b64decode(recorded["valueAttachment"]["data"]))
        assert strokes["strokes"]
    interpreter = next(
        s for s in provenance["signature"] if s["type"][0]["display"] == "Interpreter Signature"
    )
    recorded = json.loads(base64.b64decode(interpreter["extension"][0]["valueAttachment"]["data"]))
    assert [s["language"] for s in recorded["statement"]] == ["ja", "en"]
    assert dt.datetime.fromisoformat(interpreter["when"]).tzinfo is not None
