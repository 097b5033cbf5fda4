"""The demo clinic: one user per role, about fifty patients from many countries, products."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from consult.domain.intake import asked_questions
from consult.domain.roles import Qualification, Role
from consult.domain.states import ConsentState, ConsultationStep
from consult.knowledge.consent_templates import load_templates
from consult.knowledge.loader import load_knowledge
from consult.store import audit
from consult.store.database import Database
from consult.store.demo_treatment import add_demo_treatment
from consult.store.demo_visits import add_demo_visits
from consult.store.dto import PatientDraft
from consult.store.models import Product, ProductLot, User
from consult.store.services import clinic as clinic_service
from consult.store.services import consents, consultations
from consult.store.services import patients as patient_service
from consult.store.services import products as product_service
from consult.store.services import users as user_service
from consult.store.services.consents import SignatureInput
from consult.store.services.context import ServiceContext
from consult.store.services.users import NewUser


@dataclass(frozen=True)
class DemoUser:
    """A demo account (the password is printed by ``consult demo``)."""

    username: str
    display_name: str
    password: str
    roles: frozenset[Role]
    qualification: Qualification | None
    interface_language: str | None = None
    """The language of their interface (None: the workstation's)."""


DEMO_USERS = (
    DemoUser("manager", "Morgan Hale", "Blue-Heron-2026", frozenset({Role.MANAGER}), None),
    DemoUser(
        "doctor",
        "Dr Amara Okafor",
        "Green-Maple-2026",
        frozenset({Role.PRACTITIONER}),
        Qualification.DOCTOR,
    ),
    DemoUser(
        "nurse",
        "Siobhán Kelly",
        "Amber-River-2026",
        frozenset({Role.PRACTITIONER}),
        Qualification.NURSE_PRESCRIBER,
    ),
    DemoUser("reception", "Priya Raman", "Quiet-Harbour-2026", frozenset({Role.RECEPTION}), None),
    # A doctor who works in Japanese, for the clinic's Japanese patients (issue 18).
    DemoUser(
        "tanaka",
        "田中 美咲",
        "Cedar-Lantern-2026",
        frozenset({Role.PRACTITIONER}),
        Qualification.DOCTOR,
        interface_language="ja",
    ),
)

_JAPANESE_FAMILY_NAMES = frozenset({"山田", "佐藤", "鈴木"})

DEMO_NAMES = [
    ("Zoë", "Lefèvre", "female"),
    ("José", "Muñoz García", "male"),
    ("Chloé", "Dubois", "female"),
    ("Søren", "Kierkegård", "male"),
    ("Ingrid", "Bjørnstad", "female"),
    ("Łucja", "Wiśniewska", "female"),
    ("Mehmet", "Yılmaz", "male"),
    ("Ana", "Conceição", "female"),
    ("Ελένη", "Παπαδοπούλου", "female"),
    ("Γιώργος", "Νικολάου", "male"),
    ("Анна", "Иванова", "female"),
    ("Дмитрий", "Соколов", "male"),
    ("Ольга", "Кузнецова", "female"),
    ("花子", "山田", "female"),
    ("太郎", "佐藤", "male"),
    ("美咲", "鈴木", "female"),
    ("伟", "王", "male"),
    ("秀英", "李", "female"),
    ("민준", "김", "male"),
    ("서연", "이", "female"),
    ("Siobhán", "O'Brien", "female"),
    ("Niamh", "Ní Bhriain", "female"),
    ("Seán", "Ó Ceallaigh", "male"),
    ("Amélie", "Côté", "female"),
    ("François", "Lefèbvre", "male"),
    ("Björn", "Andersson", "male"),
    ("Jürgen", "Müller", "male"),
    ("Renée", "Schäfer", "female"),
    ("Oluwaseun", "Adébáyọ̀", "female"),
    ("Aisha", "Rahman", "female"),
    ("Mohammed", "Al-Sayed", "male"),
    ("Fatima", "Zahra", "female"),
    ("Emma", "Smith", "female"),
    ("Olivia", "Jones", "female"),
    ("Oliver", "Taylor", "male"),
    ("Amelia", "Brown", "female"),
    ("Harry", "Williams", "male"),
    ("Isla", "Wilson", "female"),
    ("Sophie", "Evans", "female"),
    ("Grace", "Thomas", "female"),
    ("Lily", "Roberts", "female"),
    ("Jack", "Johnson", "male"),
    ("Alex", "Morgan", "intersex"),
    ("Zoe", "Lefevre", "female"),
    ("Nguyễn", "Thị Hương", "female"),
    ("Trần", "Văn Minh", "male"),
    ("Ayşe", "Demir", "female"),
    ("Eszter", "Horváth", "female"),
    ("Dvořák", "Kateřina", "female"),
    ("Hana", "Novák", "female"),
]

DEMO_PRODUCTS = [
    (
        "ExoGlow Topical Serum",
        "Regenica Labs",
        "synthetic",
        "exosome",
        [("EG-2407", 400, "ISO 22716 GMP certificate")],
    ),
    (
        "RoseXo Plant Exosome Ampoule",
        "Floraxis",
        "plant",
        "exosome",
        [
            ("RX-118", 300, "ISO 22716 GMP certificate"),
            ("RX-090", -20, "ISO 22716 GMP certificate"),
        ],
    ),
    (
        "CellSecret CM-10",
        "Tokyo Cell Science",
        "human_allogeneic",
        "stem_cell_supernatant",
        [("CS-5521", 200, "FACT accredited; GMP certificate (PMDA)")],
    ),
    (
        "Autologous PRP kit",
        "Arthrex",
        "autologous",
        "prp",
        [("PRP-7781", 500, "CE mark, ISO 13485")],
    ),
    ("Bocouture 50 U", "Merz", None, "botulinum_toxin", [("BC-33012", 250, "EU GMP certificate")]),
    ("Juvéderm Volbella", "Allergan", None, "ha_filler", [("JV-88231", 365, "CE mark, ISO 13485")]),
    ("Hyalase 1500 IU", "Wockhardt", None, "hyaluronidase", [("HY-1201", 180, "UK MHRA GMP")]),
    ("Pascorbin 7.5 g", "Pascoe", None, "iv_vitamin_c", [("PA-4410", 150, "EU GMP certificate")]),
]


def _is_japanese(family_name: str) -> bool:
    """Whether a demo patient is one of the Japanese ones (who read in Japanese)."""
    return family_name in _JAPANESE_FAMILY_NAMES


def ensure_demo(db: Database, *, patients: int = 50, seed: int = 20261121) -> bool:
    """Create the demo clinic if the database has none yet; True if it was created."""
    ctx = ServiceContext(db)
    if clinic_service.get_clinic(ctx) is not None:
        return False
    manager_spec, *others = DEMO_USERS
    _, manager = clinic_service.set_up_clinic(
        ctx,
        name="Harley Lane Aesthetics (demo)",
        address="12 Harley Lane\nLondon W1G 9QD\nUnited Kingdom",
        jurisdiction="GB",
        regenerative_medicine_plan=None,
        manager=NewUser(
            manager_spec.username,
            manager_spec.display_name,
            manager_spec.password,
            manager_spec.roles,
            manager_spec.qualification,
        ),
    )
    as_manager = ctx.signed_in(manager)
    for spec in others:
        user_service.create_user(
            as_manager,
            NewUser(
                spec.username, spec.display_name, spec.password, spec.roles, spec.qualification
            ),
        )
        if spec.interface_language is not None:
            # Their own setting, as they would choose it at File > Language….
            user = user_service.sign_in(ctx, spec.username, spec.password)
            user_service.set_interface_language(ctx.signed_in(user), spec.interface_language)
            user_service.sign_out(ctx.signed_in(user))
    rng = random.Random(seed)
    today = dt.date.today()
    for index in range(patients):
        given, family, sex = DEMO_NAMES[index % len(DEMO_NAMES)]
        age_days = rng.randint(19 * 365, 75 * 365)
        patient_service.register(
            as_manager,
            PatientDraft(
                given_name=given,
                family_name=family,
                date_of_birth=today - dt.timedelta(days=age_days),
                sex_at_birth=sex,
                phone=f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
                email=f"patient{index + 1}@example.org",
                language="ja" if _is_japanese(family) else "en",
            ),
        )
    with db.session() as session:
        for name, maker, source, treatment, lots in DEMO_PRODUCTS:
            product = Product(name=name, manufacturer=maker, source=source, treatment_id=treatment)
            session.add(product)
            session.flush()
            for lot_number, days, accreditation in lots:
                session.add(
                    ProductLot(
                        product_id=product.id,
                        lot_number=lot_number,
                        expiry_date=today + dt.timedelta(days=days),
                        supplier=maker,
                        supplier_accreditation=accreditation,
                    )
                )
        manager_row = session.execute(select(User).where(User.username == "manager")).scalar_one()
        audit.append(
            session,
            audit.Actor(manager_row.id, manager_row.username, ctx.workstation),
            "demo.products_created",
        )
    add_demo_consents(db)
    treat_demo_patient(db)
    add_demo_cases_of_issue_21(db)
    return True


def demo_signature(seed: int, width: int = 480, height: int = 160) -> list[list[dict[str, float]]]:
    """A plausible handwritten signature: two looping strokes, different for each seed."""
    rng = random.Random(seed)
    strokes: list[list[dict[str, float]]] = []
    t = 0
    for part in range(2):
        stroke: list[dict[str, float]] = []
        x0 = 40 + part * 200 + rng.uniform(-10, 10)
        loops = rng.randint(3, 5)
        for step in range(60):
            angle = step / 59 * loops * 2 * math.pi
            x = x0 + step * 2.6 + 14 * math.cos(angle)
            y = height * 0.55 + 22 * math.sin(angle) * (0.6 + 0.4 * rng.random())
            stroke.append(
                {
                    "x": round(min(max(x, 0), width), 1),
                    "y": round(min(max(y, 0), height), 1),
                    "t": t,
                    "p": round(0.35 + 0.3 * rng.random(), 2),
                }
            )
            t += 12
        t += 250
        strokes.append(stroke)
    return strokes


def add_demo_consents(db: Database) -> int:
    """Run a few consultations to signed consent, so reception and managers see records:
    one of them withdrawn and one voided."""
    kb = load_knowledge()
    templates = load_templates()
    ctx = ServiceContext(db)
    doctor = user_service.sign_in(ctx, "doctor", DEMO_USERS[1].password)
    manager = user_service.sign_in(ctx, "manager", DEMO_USERS[0].password)
    japanese = next(u for u in DEMO_USERS if u.interface_language == "ja")
    tanaka = user_service.sign_in(ctx, japanese.username, japanese.password)
    as_doctor, as_manager = ctx.signed_in(doctor), ctx.signed_in(manager)
    # The Japanese patient is seen by the doctor who works in Japanese: her form is read
    # and signed in Japanese (the patient's language), the practitioner's view Japanese.
    by_language = {"ja": ctx.signed_in(tanaka)}
    products = {p.treatment_id: p for p in product_service.list_products(as_doctor)}
    people = patient_service.recent(as_doctor, limit=60)
    by_name = {p.full_name: p for p in people}
    plans: list[tuple[str, str, dict[str, object], str | None]] = [
        ("Zoë Lefèvre", "ha_filler", {}, None),
        ("Ελένη Παπαδοπούλου", "botulinum_toxin", {}, None),
        ("花子 山田", "exosome", {"cold_sore_history": "yes"}, None),
        (
            "Анна Иванова",
            "ha_filler",
            {"anticoagulants": ["warfarin"]},
            "INR 2.3 checked today; cannula technique and firm pressure for 10 minutes.",
        ),
        ("Siobhán O'Brien", "prp", {"smoker": "yes"}, None),
    ]
    signed = 0
    for index, (name, treatment_id, extra, justification) in enumerate(plans):
        patient = by_name.get(name)
        product = products.get(treatment_id)
        if patient is None or product is None:
            continue
        lot = product_service.usable_lots(product, dt.date.today())[0]
        answers = _all_no(kb, patient.sex_at_birth, extra, treatment_id)
        practitioner = by_language.get(patient.language, as_doctor)
        who = tanaka if practitioner is not as_doctor else doctor
        info = consultations.start(practitioner, patient.id)
        route = kb.treatment(treatment_id).routes[0]
        info = consultations.save(
            practitioner,
            info.id,
            info.version,
            kb,
            step=ConsultationStep.SCREENING,
            treatments=[
                {"id": treatment_id, "route": route, "product_id": product.id, "lot_id": lot.id}
            ],
            answers=answers,
        )
        info = consultations.run_screening(practitioner, info.id, info.version, kb)
        for review in consultations.reviews(info):
            for rule in review.unjustified:
                info = consultations.decide(
                    practitioner,
                    info.id,
                    info.version,
                    treatment=treatment_id,
                    rule=rule,
                    justification=justification or "",
                )
            for rule in review.unacknowledged:
                info = consultations.decide(
                    practitioner, info.id, info.version, treatment=treatment_id, rule=rule
                )
        text = consents.consent_text(practitioner, info.id, treatment_id, templates)
        initials = "".join(part[0] for part in name.split()[:2]).upper()
        now = dt.datetime.now(dt.UTC)
        record = consents.sign(
            practitioner,
            info.id,
            treatment_id,
            template_version=text.template_version,
            initials={section.id: initials for section in text.sections},
            choices={"photographs": index % 2 == 0, "data_processing": True},
            patient_signature=SignatureInput(name, demo_signature(index), 480, 160, now),
            practitioner_signature=SignatureInput(
                who.display_name, demo_signature(100 + index), 480, 160, now
            ),
            templates=templates,
            kb=kb,
        )
        signed += 1
        # Reception meets both states a printed copy is marked with.
        if index == 1:
            consents.add_event(
                as_doctor,
                record.id,
                ConsentState.WITHDRAWN,
                "The patient changed her mind before treatment and wants time to think.",
            )
        if index == 4:
            consents.add_event(
                as_manager,
                record.id,
                ConsentState.VOIDED,
                "Signed for the wrong treatment area; consent taken again.",
            )
    user_service.sign_out(as_doctor)
    user_service.sign_out(by_language["ja"])
    user_service.sign_out(as_manager)
    return signed


def treat_demo_patient(db: Database) -> None:
    """The treated patient of issue 20 (:mod:`consult.store.demo_treatment`): chart,
    photos, aftercare, a complication and a review due, by the demo's doctor."""
    ctx = ServiceContext(db)
    doctor = ctx.signed_in(user_service.sign_in(ctx, "doctor", DEMO_USERS[1].password))
    manager = ctx.signed_in(user_service.sign_in(ctx, "manager", DEMO_USERS[0].password))
    try:
        add_demo_treatment(doctor, manager, signature=demo_signature)
    finally:
        user_service.sign_out(doctor)
        user_service.sign_out(manager)


def add_demo_cases_of_issue_21(db: Database) -> None:
    """A minor with her guardian's signature, a form with an interpreter, a blocked
    consultation with its letter and a returning patient's re-confirmation
    (:mod:`consult.store.demo_visits`), by the demo's doctor."""
    ctx = ServiceContext(db)
    doctor = ctx.signed_in(user_service.sign_in(ctx, "doctor", DEMO_USERS[1].password))
    try:
        add_demo_visits(doctor, signature=demo_signature)
    finally:
        user_service.sign_out(doctor)


def _all_no(
    kb: Any, sex_at_birth: str, extra: dict[str, object], treatment: str
) -> dict[str, object]:
    answers: dict[str, object] = dict(extra)
    for _ in range(3):
        for question in asked_questions(answers, sex_at_birth, kb, [treatment]):
            if question.id in answers:
                continue
            answers[question.id] = {
                "yn": "no",
                "ynu": "no",
                "multi": [],
                "date": None,
                "text": "",
            }.get(question.type, question.values[0].id if question.values else "")
    answers.setdefault("fitzpatrick_type", "III")
    return answers
