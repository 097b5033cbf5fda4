"""Complications (adverse events after a treatment): their vocabulary, and the report of
one event worded for the national pharmacovigilance scheme.

The vocabulary is closed so that the manager's list can be counted and filtered and a
report names the reaction the same way every time; the practitioner's own words go in
the description beside the category.

Severity says how bad the event is for the patient (mild, moderate, severe). *Serious*
is the regulators' word, not a fourth degree of the same scale: as ICH E2A defines it,
an event is serious if it results in death, is life-threatening, needs admission to
hospital or prolongs a stay there, results in persistent or significant disability or
incapacity, or is otherwise medically important (a vascular occlusion threatening sight
or skin, anaphylaxis). A serious event is reported to the scheme at once; the others as
the clinic's policy says.

Pure: the store fills :class:`EventReport` from its rows, and the interface and the
command line show :func:`report_text`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

CATEGORIES: Final[tuple[str, ...]] = (
    "bruising",
    "swelling",
    "infection",
    "nodule",
    "vascular_occlusion",
    "ptosis",
    "allergic_reaction",
    "burn",
    "pigmentation_change",
    "other",
)
"""What happened, in the words a report uses (ids; the interface names them)."""

SEVERITIES: Final[tuple[str, ...]] = ("mild", "moderate", "severe", "serious")
"""How bad: ``serious`` in the regulators' sense (see the module's docstring)."""

OUTCOMES: Final[tuple[str, ...]] = ("ongoing", "resolved", "resolved_with_sequelae", "unknown")
"""How it ended; ``ongoing`` and ``unknown`` events are open (the manager's list)."""

OPEN_OUTCOMES: Final[frozenset[str]] = frozenset({"ongoing", "unknown"})
"""Outcomes that leave an event open."""

SERIOUS_MEANS: Final = (
    "Serious (ICH E2A): resulted in death, was life-threatening, needed or prolonged a "
    "hospital stay, caused persistent or significant disability, or is otherwise "
    "medically important (for example a vascular occlusion threatening sight or skin)."
)
"""What ``serious`` means, for the form and the report."""

_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "bruising": "Bruising",
        "swelling": "Swelling / oedema",
        "infection": "Infection",
        "nodule": "Nodule / lump",
        "vascular_occlusion": "Vascular occlusion",
        "ptosis": "Ptosis",
        "allergic_reaction": "Allergic reaction",
        "burn": "Burn",
        "pigmentation_change": "Pigmentation change",
        "other": "Other",
        "mild": "Mild",
        "moderate": "Moderate",
        "severe": "Severe",
        "serious": "Serious",
        "ongoing": "Ongoing (not yet recovered)",
        "resolved": "Recovered / resolved",
        "resolved_with_sequelae": "Recovered with lasting effects (sequelae)",
        "unknown": "Unknown",
        "female": "Female",
        "male": "Male",
        "intersex": "Intersex",
    }
)
"""The report's English words for the ids (a report is pasted into an English or
bilingual form; the interface has its own translated words)."""


@dataclass(frozen=True)
class Scheme:
    """A national pharmacovigilance scheme: where a clinic reports a suspected reaction."""

    name: str
    where: str


SCHEMES: Final[Mapping[str, Scheme]] = MappingProxyType(
    {
        "GB": Scheme("MHRA Yellow Card scheme", "https://yellowcard.mhra.gov.uk"),
        "EU": Scheme(
            "the national competent authority's reporting scheme (EudraVigilance)",
            "https://www.adrreports.eu",
        ),
        "US": Scheme("FDA MedWatch (Form 3500)", "https://www.fda.gov/medwatch"),
        "JP": Scheme(
            "PMDA adverse reaction reporting (医薬品・医療機器等安全性情報報告)",
            "https://www.pmda.go.jp",
        ),
        "KR": Scheme(
            "MFDS adverse event reporting (Korea Institute of Drug Safety & Risk Management)",
            "https://www.drugsafe.or.kr",
        ),
        "CN": Scheme(
            "NMPA adverse reaction monitoring (National Center for ADR Monitoring)",
            "https://www.cdr-adr.org.cn",
        ),
    }
)
"""The scheme of each jurisdiction (see ``consult.domain.jurisdictions``)."""

OTHER_SCHEME: Final = Scheme("the national pharmacovigilance authority's reporting scheme", "")


def scheme_for(jurisdiction: str | None) -> Scheme:
    """The scheme a clinic in ``jurisdiction`` reports to."""
    return SCHEMES.get(jurisdiction or "", OTHER_SCHEME)


def word(value_id: str) -> str:
    """The report's word for a category, severity, outcome or sex (the id if unknown)."""
    return _WORDS.get(value_id, value_id)


def is_open(outcome: str) -> bool:
    """Whether an event with this outcome is still open."""
    return outcome in OPEN_OUTCOMES


def age_on(born: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class EventReport:
    """What a pharmacovigilance report needs about one event, and no name: the patient is
    an age and a sex, the clinic the reporter."""

    reference: str
    jurisdiction: str
    clinic_name: str
    patient_age: int
    patient_sex: str
    treatment: str
    route: str
    treated_on: dt.date | None
    product: str
    manufacturer: str
    lot_number: str
    expiry_date: dt.date | None
    category: str
    description: str
    noticed_on: dt.date
    severity: str
    action_taken: str
    outcome: str
    follow_up_on: dt.date | None

    @property
    def scheme(self) -> Scheme:
        """Where this report goes."""
        return scheme_for(self.jurisdiction)


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else "not recorded"


def report_text(report: EventReport) -> str:
    """The report as plain text, in the order of a suspected-reaction form (the Yellow
    Card's: patient, reaction, product, outcome, reporter), to paste field by field."""
    scheme = report.scheme
    lines = [
        f"Suspected adverse reaction report — for {scheme.name}",
        *([f"Report at: {scheme.where}"] if scheme.where else []),
        f"Clinic reference: {report.reference}",
        "",
        "PATIENT (no name: identified by the clinic reference only)",
        f"Age at the reaction: {report.patient_age} years",
        f"Sex: {word(report.patient_sex)}",
        "",
        "SUSPECTED REACTION",
        f"Reaction: {word(report.category)}",
        f"Description: {report.description.strip() or 'not given'}",
        f"Date the reaction started: {report.noticed_on.isoformat()}",
        f"Severity: {word(report.severity)}",
        f"Serious: {'yes' if report.severity == 'serious' else 'no'}",
        *([f"  {SERIOUS_MEANS}"] if report.severity == "serious" else []),
        f"Treatment given for the reaction: {report.action_taken.strip() or 'none recorded'}",
        f"Outcome: {word(report.outcome)}",
        f"Follow-up planned: {_date(report.follow_up_on)}",
        "",
        "SUSPECTED PRODUCT",
        f"Product (brand name): {report.product or 'not recorded'}",
        f"Manufacturer: {report.manufacturer or 'not recorded'}",
        f"Batch / lot number: {report.lot_number or 'not recorded'}",
        f"Expiry date: {_date(report.expiry_date)}",
        f"Procedure: {report.treatment}",
        f"Route: {report.route or 'not recorded'}",
        f"Date of treatment: {_date(report.treated_on)}",
        "",
        "REPORTER",
        f"Clinic: {report.clinic_name}",
    ]
    return "\n".join(lines) + "\n"


__all__ = [
    "CATEGORIES",
    "OPEN_OUTCOMES",
    "OTHER_SCHEME",
    "OUTCOMES",
    "SCHEMES",
    "SERIOUS_MEANS",
    "SEVERITIES",
    "EventReport",
    "Scheme",
    "age_on",
    "is_open",
    "report_text",
    "scheme_for",
    "word",
]
