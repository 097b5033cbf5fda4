"""Kiosk stations and hand-overs built through the services, for the kiosk's tests and
the roles table (tests/test_security_roles.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from consult.store.errors import PermissionDeniedError, StoreError
from consult.store.services import kiosk
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import security_support

_numbers = iter(range(1, 10_000))


def registered(boss: ServiceContext, name: str | None = None) -> kiosk.StationCredential:
    """A station registered by a manager (a new name unless ``name``)."""
    return kiosk.register_station(boss, name or f"Tablet {next(_numbers)}")


def waiting(ctx: ServiceContext, boss: ServiceContext) -> tuple[kiosk.StationInfo, ServiceContext]:
    """A station registered, signed in and waiting (it has asked for work)."""
    credential = registered(boss)
    station_ctx = kiosk.sign_in_station(ctx, credential.station.name, credential.secret)
    assert kiosk.current_intake(station_ctx) is None
    return credential.station, station_ctx


def handed_over(
    ctx: ServiceContext, by_role: dict[str, ServiceContext], **patient: Any
) -> tuple[Any, Any, kiosk.StationInfo, ServiceContext]:
    """A screened consultation of a new patient whose intake is on a new waiting station:
    (patient, consultation, station, the station's context)."""
    if "family" not in patient:  # a new family name (and product) for each
        number = next(_numbers)
        patient["family"] = "Kiosk" + "".join(chr(ord("a") + int(d)) for d in str(number))
    found, info = security_support.screened(by_role, **patient)
    station, station_ctx = waiting(ctx, by_role["manager"])
    kiosk.send(
        by_role["practitioner"],
        info.id,
        station.id,
        treatment_ids=[security_support.TREATMENT],
        answers={},
        kb=knowledge(),
    )
    return found, info, station, station_ctx


def on_server(ctx: ServiceContext, call: Callable[[], Any]) -> Any:
    """``call()`` on a PostgreSQL server; on an embedded database (which has no kiosk) it
    must be refused with a StoreError (a role's refusal goes through)."""
    if not ctx.db.is_sqlite:
        return call()
    try:
        call()
    except PermissionDeniedError:
        raise
    except StoreError:
        return None
    raise AssertionError("a kiosk call succeeded on an embedded database")
