"""A check of a FHIR bundle against FHIR R4 (4.0.1), for the export's tests.

fhir.resources offers R4B and R5 only, so R4 itself is checked with what a receiver of
R4 would use:

- fhirclient's resource classes, generated from the R4 4.0.1 StructureDefinitions, read
  every resource strictly: no element R4 does not define, every required element there,
  each element of its type, single or repeating as R4 says, dates and instants well
  formed;
- the R4 invariants (the constraints of the StructureDefinitions, as FHIRPath) that can
  apply to the resources the export writes, evaluated by fhirpathpy with its R4 model on
  every element of the type they constrain, as fhirclient typed it (:data:`INVARIANTS`;
  the expressions are the specification's, CC0). An invariant fails when it evaluates
  to false; empty is FHIRPath's "unknown" (ref-1 on a reference by identifier only);
- ele-1 in JSON: no element without a value or children (no null, empty string, array
  or object);
- the codes of the required bindings the export uses (:data:`REQUIRED_CODES`, from the
  R4 value sets).

:func:`problems` returns what fails, each naming the resource and the rule; nothing
when the bundle is valid R4.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import fhirpathpy
from fhirclient.models import bundle as r4_bundle
from fhirclient.models.domainresource import DomainResource
from fhirclient.models.fhirabstractbase import FHIRAbstractBase, FHIRValidationError
from fhirpathpy.models import models

R4_MODEL = models["r4"]
_QUIET = {"traceFn": lambda *args: None}

_EXT_1 = ("ext-1", "extension.exists() != value.exists()")
_DOMAIN = (
    ("dom-2", "contained.contained.empty()"),
    (
        "dom-3",
        "contained.where((('#'+id in (%resource.descendants().reference | "
        "%resource.descendants().ofType(canonical) | %resource.descendants().ofType(uri) | "
        "%resource.descendants().ofType(url))) or descendants().where(reference = '#').exists() "
        "or descendants().where(as(canonical) = '#').exists() or "
        "descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()",
    ),
    ("dom-4", "contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()"),
    ("dom-5", "contained.meta.security.empty()"),
)
INVARIANTS: Mapping[str, tuple[tuple[str, str], ...]] = {
    # Keyed by fhirclient's class of the element each constrains.
    "Bundle": (
        ("bdl-1", "total.empty() or (type = 'searchset') or (type = 'history')"),
        ("bdl-2", "entry.search.empty() or (type = 'searchset')"),
        (
            "bdl-3",
            "entry.all(request.exists() = (%resource.type = 'batch' or "
            "%resource.type = 'transaction' or %resource.type = 'history'))",
        ),
        (
            "bdl-4",
            "entry.all(response.exists() = (%resource.type = 'batch-response' or "
            "%resource.type = 'transaction-response' or %resource.type = 'history'))",
        ),
        (
            "bdl-7",
            "(type = 'history') or entry.where(fullUrl.exists())"
            ".select(fullUrl&resource.meta.versionId).isDistinct()",
        ),
        (
            "bdl-9",
            "type = 'document' implies (identifier.system.exists() and identifier.value.exists())",
        ),
        ("bdl-10", "type = 'document' implies (timestamp.hasValue())"),
        ("bdl-12", "type = 'message' implies entry.first().resource.is(MessageHeader)"),
    ),
    "BundleEntry": (
        ("bdl-5", "resource.exists() or request.exists() or response.exists()"),
        ("bdl-8", "fullUrl.contains('/_history/').not()"),
    ),
    "DomainResource": _DOMAIN,
    "Consent": (
        ("ppc-1", "policy.exists() or policyRule.exists()"),
        (
            "ppc-2",
            "patient.exists() or scope.coding.where(system='something' and "
            "code='patient-privacy').exists().not()",
        ),
        (
            "ppc-3",
            "patient.exists() or scope.coding.where(system='something' and "
            "code='research').exists().not()",
        ),
        (
            "ppc-4",
            "patient.exists() or scope.coding.where(system='something' and "
            "code='adr').exists().not()",
        ),
        (
            "ppc-5",
            "patient.exists() or scope.coding.where(system='something' and "
            "code='treatment').exists().not()",
        ),
    ),
    "Organization": (
        ("org-1", "(identifier.count() + name.count()) > 0"),
        # org-2 and org-3 constrain Organization.address and .telecom, from here.
        ("org-2", "address.where(use = 'home').empty()"),
        ("org-3", "telecom.where(use = 'home').empty()"),
    ),
    "PatientContact": (
        (
            "pat-1",
            "name.exists() or telecom.exists() or address.exists() or organization.exists()",
        ),
    ),
    "Questionnaire": (("que-2", "descendants().linkId.isDistinct()"),),
    "QuestionnaireItem": (
        (
            "que-1",
            "(type='group' implies item.empty().not()) and "
            "(type.trace('type')='display' implies item.trace('item').empty())",
        ),
        ("que-3", "type!='display' or code.empty()"),
        ("que-4", "answerOption.empty() or answerValueSet.empty()"),
        (
            "que-5",
            "(type ='choice' or type = 'open-choice' or type = 'decimal' or type = 'integer' or "
            "type = 'date' or type = 'dateTime' or type = 'time' or type = 'string' or "
            "type = 'quantity') or (answerValueSet.empty() and answerOption.empty())",
        ),
        ("que-6", "type!='display' or (required.empty() and repeats.empty())"),
        ("que-8", "(type!='group' and type!='display') or initial.empty()"),
        ("que-9", "type!='display' or readOnly.empty()"),
        (
            "que-10",
            "(type in ('boolean' | 'decimal' | 'integer' | 'string' | 'text' | 'url' | "
            "'open-choice')) or maxLength.empty()",
        ),
        ("que-11", "answerOption.empty() or initial.empty()"),
        ("que-12", "enableWhen.count() > 2 implies enableBehavior.exists()"),
        ("que-13", "repeats=true or initial.count() <= 1"),
    ),
    "QuestionnaireResponseItem": (("qrs-1", "(answer.exists() and item.exists()).not()"),),
    "Attachment": (("att-1", "data.empty() or contentType.exists()"),),
    "FHIRReference": (
        (
            "ref-1",
            "reference.startsWith('#').not() or (reference.substring(1).trace('url') in "
            "%rootResource.contained.id.trace('ids'))",
        ),
    ),
    "Period": (("per-1", "start.hasValue().not() or end.hasValue().not() or (start <= end)"),),
    "ContactPoint": (("cpt-2", "value.empty() or system.exists()"),),
    "Extension": (_EXT_1,),
}

_BASE = {"Extension": "Extension"}
"""The FHIR type to evaluate an element's invariants as, where they read a choice element
(``value`` is Extension.value[x])."""

_MIME = re.compile(r"^[a-z]+/[a-z0-9.+-]+$")
REQUIRED_CODES: Mapping[str, tuple[str, frozenset[str]]] = {
    # FHIRPath from the bundle: (the R4 value set, its codes).
    "Bundle.type": (
        "bundle-type",
        frozenset(
            [
                "document",
                "message",
                "transaction",
                "transaction-response",
                "batch",
                "batch-response",
                "history",
                "searchset",
                "collection",
            ]
        ),
    ),
    "Bundle.entry.resource.ofType(Patient).gender": (
        "administrative-gender",
        frozenset({"male", "female", "other", "unknown"}),
    ),
    "Bundle.entry.resource.ofType(Patient).telecom.system": (
        "contact-point-system",
        frozenset({"phone", "fax", "email", "pager", "url", "sms", "other"}),
    ),
    "Bundle.entry.resource.ofType(Consent).status": (
        "consent-state-codes",
        frozenset({"draft", "proposed", "active", "rejected", "inactive", "entered-in-error"}),
    ),
    "Bundle.entry.resource.ofType(Consent).provision.repeat(provision).type | "
    "Bundle.entry.resource.ofType(Consent).provision.type": (
        "consent-provision-type",
        frozenset({"deny", "permit"}),
    ),
    "Bundle.entry.resource.ofType(Consent).provision.repeat(provision).data.meaning | "
    "Bundle.entry.resource.ofType(Consent).provision.data.meaning": (
        "consent-data-meaning",
        frozenset({"instance", "related", "dependents", "authoredby"}),
    ),
    "Bundle.entry.resource.ofType(Questionnaire).status": (
        "publication-status",
        frozenset({"draft", "active", "retired", "unknown"}),
    ),
    "Bundle.entry.resource.ofType(Questionnaire).repeat(item).type": (
        "item-type",
        frozenset(
            [
                "group",
                "display",
                "question",
                "boolean",
                "decimal",
                "integer",
                "date",
                "dateTime",
                "time",
                "string",
                "text",
                "url",
                "choice",
                "open-choice",
                "attachment",
                "reference",
                "quantity",
            ]
        ),
    ),
    "Bundle.entry.resource.ofType(QuestionnaireResponse).status": (
        "questionnaire-answers-status",
        frozenset({"in-progress", "completed", "amended", "entered-in-error", "stopped"}),
    ),
    "Bundle.entry.resource.ofType(DetectedIssue).status": (
        "observation-status",
        frozenset(
            [
                "registered",
                "preliminary",
                "final",
                "amended",
                "corrected",
                "cancelled",
                "entered-in-error",
                "unknown",
            ]
        ),
    ),
    "Bundle.entry.resource.ofType(DetectedIssue).severity": (
        "detectedissue-severity",
        frozenset({"high", "moderate", "low"}),
    ),
    "Bundle.entry.resource.ofType(Provenance).entity.role": (
        "provenance-entity-role",
        frozenset({"derivation", "revision", "quotation", "source", "removal"}),
    ),
    "Bundle.entry.resource.ofType(Procedure).status": (
        "event-status",
        frozenset(
            [
                "preparation",
                "in-progress",
                "not-done",
                "on-hold",
                "stopped",
                "completed",
                "entered-in-error",
                "unknown",
            ]
        ),
    ),
}
MIME_CODES = (
    "Bundle.entry.resource.ofType(Consent).sourceAttachment.contentType",
    "Bundle.entry.resource.ofType(Provenance).signature.sigFormat",
    "Bundle.entry.resource.ofType(Provenance).signature.extension.value.contentType",
)
"""Elements bound to the mimetypes value set (BCP 13: a type/subtype)."""


def _portable(expression: str) -> str:
    """The expression as fhirpathpy runs it: it has no hasValue(), which for the export's
    primitives (none carries an extension) is exists()."""
    return expression.replace(".hasValue()", ".exists()")


def _elements(node: FHIRAbstractBase, root: FHIRAbstractBase) -> Iterator[tuple[Any, Any]]:
    """Every element of a parsed resource, with the resource it belongs to."""
    owner = root
    if isinstance(node, DomainResource) or type(node).__name__ == "Bundle":
        owner = node
    yield node, owner
    for name, _js, _type, is_list, _many, _required in node.elementProperties():
        value = getattr(node, name)
        for item in value if is_list and value else [value]:
            if isinstance(item, FHIRAbstractBase):
                yield from _elements(item, owner)


def _invariants(node: FHIRAbstractBase) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    for cls in type(node).__mro__:
        found.extend(INVARIANTS.get(cls.__name__, ()))
    return tuple(found)


def _json_problems(value: Any, where: str) -> Iterator[str]:
    if value is None or value == "" or value == [] or value == {}:
        yield f"{where}: ele-1, an element with neither a value nor children"
    elif isinstance(value, str) and not value.strip():
        yield f"{where}: a string of white space only"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_problems(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_problems(item, f"{where}[{index}]")


def _describe(owner_json: Mapping[str, Any]) -> str:
    return f"{owner_json.get('resourceType')}/{owner_json.get('id', '?')}"


def problems(data: Mapping[str, Any]) -> list[str]:
    """What keeps the bundle ``data`` (its JSON) from being valid FHIR R4; [] if nothing."""
    found = list(_json_problems(dict(data), "Bundle"))
    try:
        parsed = r4_bundle.Bundle(dict(data), strict=True)
    except FHIRValidationError as exc:
        return [*found, f"fhirclient (R4 4.0.1): {exc}"]
    owners: dict[int, Mapping[str, Any]] = {}
    for node, owner in _elements(parsed, parsed):
        rules = _invariants(node)
        if not rules:
            continue
        owner_json = owners.setdefault(id(owner), owner.as_json())
        env = {"resource": owner_json, "rootResource": owner_json}
        element = node.as_json()
        base = _BASE.get(type(node).__name__)
        for key, expression in rules:
            path: str | dict[str, str] = _portable(expression)
            if base is not None:
                path = {"base": base, "expression": path}
            result = fhirpathpy.evaluate(element, path, env, R4_MODEL, _QUIET)
            if result not in ([True], []):
                shown = repr(element)[:160]
                found.append(f"{_describe(owner_json)}: {key} fails ({expression}) on {shown}")
    for path, (value_set, codes) in REQUIRED_CODES.items():
        for code in fhirpathpy.evaluate(dict(data), path, {}, R4_MODEL, _QUIET):
            if code not in codes:
                found.append(f"{path}: {code!r} is not in the R4 value set {value_set}")
    for path in MIME_CODES:
        for code in fhirpathpy.evaluate(dict(data), path, {}, R4_MODEL, _QUIET):
            if not _MIME.match(str(code)):
                found.append(f"{path}: {code!r} is not a MIME type")
    return found
