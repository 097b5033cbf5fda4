"""Building test data through the services, as the app does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from consult.domain.roles import Qualification, Role
from consult.store.dto import ClinicInfo, PatientDraft, PatientInfo, ProductInfo, UserInfo
from consult.store.services import clinic as clinic_service
from consult.store.services import patients as patient_service
from consult.store.services import products as product_service
from consult.store.services import users as user_service
from consult.store.services.context import ServiceContext
from consult.store.services.users import NewUser

PASSWORD = "Correct-Horse-42"


def set_up_clinic(ctx: ServiceContext, jurisdiction: str = "GB") -> tuple[ClinicInfo, UserInfo]:
    """A clinic with its first manager (username 'boss')."""
    return clinic_service.set_up_clinic(
        ctx,
        name="Test Clinic",
        address="1 Test Street",
        jurisdiction=jurisdiction,
        regenerative_medicine_plan=None,
        manager=NewUser("boss", "Beatrice Boss", PASSWORD, frozenset({Role.MANAGER})),
    )


def staff(ctx: ServiceContext, jurisdiction: str = "GB") -> dict[str, UserInfo]:
    """A clinic (in ``jurisdiction``) with one user per role; returns them by role name."""
    _, manager = set_up_clinic(ctx, jurisdiction)
    as_manager = ctx.signed_in(manager)
    doctor = user_service.create_user(
        as_manager,
        NewUser(
            "doc", "Dr Dana Doe", PASSWORD, frozenset({Role.PRACTITIONER}), Qualification.DOCTOR
        ),
    )
    reception = user_service.create_user(
        as_manager, NewUser("desk", "Rita Desk", PASSWORD, frozenset({Role.RECEPTION}))
    )
    return {"manager": manager, "practitioner": doctor, "reception": reception}


def draft(given: str = "Zoë", family: str = "Lefèvre", **changes: object) -> PatientDraft:
    """A valid patient form."""
    values: dict[str, object] = {
        "given_name": given,
        "family_name": family,
        "date_of_birth": dt.date(1990, 4, 2),
        "sex_at_birth": "female",
        "phone": "+44 7700 900123",
        "email": "zoe@example.org",
        "address": "",
    }
    values.update(changes)
    return PatientDraft(**values)  # type: ignore[arg-type]


# Questions whose reassuring answer is "yes": a normal G6PD result lets IV vitamin C go on.
REASSURING_YES = frozenset({"g6pd_test_normal"})


def no_answers(
    sex_at_birth: str = "female", treatments: Iterable[str] = (), **answers: object
) -> dict[str, object]:
    """A complete intake for ``treatments`` answering "no" / none / never to everything
    asked (but "yes" to a normal G6PD result), plus ``answers``.

    Questions asked only for some treatments (G6PD deficiency for IV vitamin C) are
    answered only when one of them is in ``treatments``.
    """
    from consult.domain.intake import asked_questions
    from consult.ui.shell.knowledge import knowledge

    kb = knowledge()
    planned = tuple(treatments)
    result: dict[str, object] = dict(answers)
    # Asked-when questions depend on earlier answers: settle them in a few passes.
    for _ in range(3):
        for question in asked_questions(result, sex_at_birth, kb, planned):
            if question.id in result:
                continue
            if question.id in REASSURING_YES:
                result[question.id] = "yes"
            elif question.type in ("yn", "ynu"):
                result[question.id] = "no"
            elif question.type == "multi":
                result[question.id] = []
            elif question.type == "date":
                result[question.id] = None
            elif question.type == "one":
                result[question.id] = question.values[0].id
            else:
                result[question.id] = ""
    return result


def product_with_lot(
    ctx: ServiceContext,
    treatment_id: str,
    *,
    source: str | None = None,
    expiry: dt.date | None = None,
    name: str | None = None,
) -> tuple[int, int]:
    """A product for a treatment with one lot; returns (product id, lot id)."""
    from consult.store.services import products

    product = products.add_product(
        ctx,
        name=name or f"{treatment_id} product",
        manufacturer="Maker Ltd",
        source=source,
        treatment_id=treatment_id,
    )
    lot = products.add_lot(
        ctx,
        product.id,
        lot_number=f"LOT-{treatment_id[:6].upper()}",
        expiry_date=expiry or dt.date.today() + dt.timedelta(days=365),
        supplier="Supplier Ltd",
        supplier_accreditation="GMP certificate",
    )
    return product.id, lot.id


def product(
    ctx: ServiceContext,
    manager: UserInfo,
    treatment_id: str,
    name: str,
    *,
    source: str | None = None,
    lots: tuple[tuple[str, int], ...] = (("LOT-1", 365),),
) -> ProductInfo:
    """A product with lots (lot number, days from today to expiry; negative = expired)."""
    as_manager = ctx.signed_in(manager)
    made = product_service.add_product(
        as_manager, name=name, manufacturer="Maker Ltd", source=source, treatment_id=treatment_id
    )
    for number, days in lots:
        product_service.add_lot(
            as_manager,
            made.id,
            lot_number=number,
            expiry_date=dt.date.today() + dt.timedelta(days=days),
            supplier="Maker Ltd",
            supplier_accreditation="GMP certificate",
        )
    return next(p for p in product_service.list_products(as_manager) if p.id == made.id)


def patient(ctx: ServiceContext, user: UserInfo, **changes: object) -> PatientInfo:
    """A registered patient (a valid form with ``changes``)."""
    values: dict[str, object] = {"given": "Zoë", "family": "Lefèvre"}
    values.update(changes)
    given, family = str(values.pop("given")), str(values.pop("family"))
    return patient_service.register(ctx.signed_in(user), draft(given, family, **values))
