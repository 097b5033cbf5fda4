"""The demo clinic: one user per role, about fifty patients from many countries, products."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import select

from consult.domain.roles import Qualification, Role
from consult.store import audit
from consult.store.database import Database
from consult.store.dto import PatientDraft
from consult.store.models import Product, ProductLot, User
from consult.store.services import clinic as clinic_service
from consult.store.services import patients as patient_service
from consult.store.services import users as user_service
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
)

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
    return True
