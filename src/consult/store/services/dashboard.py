"""The manager's dashboard: consents per month and treatment, and how often each
practitioner overrode a relative contraindication, over a period.

Voided consents (recorded in error) are left out of both figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Integer, Text, cast, func, select

from consult.domain.roles import Role
from consult.domain.states import ConsentState
from consult.store.dto import Dashboard, MonthCount, OverrideRate
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ErrorText,
    ValidationError,
)
from consult.store.models import ConsentRecord
from consult.store.services.context import ServiceContext
from consult.store.services.lookups import local_day_start, user_names


def dashboard(ctx: ServiceContext, date_from: dt.date, date_to: dt.date) -> Dashboard:
    """Consents per month per treatment, and the override rate per practitioner."""
    ctx.require("see the clinic's dashboard", Role.MANAGER)
    period = _period(date_from, date_to)
    with ctx.unit_of_work() as session:
        if session.get_bind().dialect.name == "postgresql":
            month: ColumnElement[Any] = func.to_char(
                func.timezone("UTC", ConsentRecord.signed_at), "YYYY-MM"
            )
        else:  # stored as UTC text, "YYYY-MM-DD HH:MM:SS"
            month = func.substr(cast(ConsentRecord.signed_at, Text), 1, 7)
        per_month = tuple(
            MonthCount(str(m), str(t), int(n))
            for m, t, n in session.execute(
                select(month.label("month"), ConsentRecord.treatment_id, func.count())
                .where(*period)
                .group_by(month, ConsentRecord.treatment_id)
                .order_by(month, ConsentRecord.treatment_id)
            )
        )
        overrides = func.sum(cast(ConsentRecord.has_overrides, Integer))
        rates = session.execute(
            select(ConsentRecord.practitioner_id, func.count(), overrides)
            .where(*period)
            .group_by(ConsentRecord.practitioner_id)
        ).all()
        users = user_names(session, {pid for pid, _n, _o in rates})
        override_rates = tuple(
            sorted(
                (
                    OverrideRate(pid, users.get(pid, "?"), int(n), int(o or 0))
                    for pid, n, o in rates
                ),
                key=lambda r: r.practitioner_name.casefold(),
            )
        )
        return Dashboard(date_from, date_to, per_month, override_rates)


def _period(date_from: dt.date, date_to: dt.date) -> list[ColumnElement[bool]]:
    if date_from > date_to:
        raise ValidationError(
            "date_to",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "The end date is before the start date.")),
        )
    return [
        ConsentRecord.signed_at >= local_day_start(date_from),
        ConsentRecord.signed_at < local_day_start(date_to + dt.timedelta(days=1)),
        ConsentRecord.state != ConsentState.VOIDED,
    ]
