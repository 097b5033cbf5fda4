"""``consult verify`` covers the treatment record (issue 20): a clinic with a signed-off
chart (three points, two addenda) and photos (one of them deleted, a tombstone) verifies;
each change made with plain SQL, as someone with the database file or the tables' owner
could make it (a point's amount, a photo's byte, an addendum...), makes verify exit 1
naming what failed. On SQLite and PostgreSQL, with the tamper tests' clinic
(tests/tamper_support.py) treated through the services."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Connection, text

from consult import paths
from consult.domain.canonical import jcs_bytes, sha256_hex
from consult.domain.treatment_chart import ChartPoint
from consult.store.photo_images import prepare_photo
from consult.store.services import clinic as clinic_service
from consult.store.services import photos, treatment_records, users
from consult.store.services.context import ServiceContext
from tests import factories, photo_support
from tests.tamper_support import (
    Clinic,
    build_pg_template,
    build_sqlite_home,
    clone_pg,
    copy_home,
    run_consult,
    verify_args,
)

AMOUNTS = ("4", "2.5", "3")


def _point(x: float, amount: str) -> ChartPoint:
    return ChartPoint(
        view="front",
        x=x,
        y=0.3,
        amount=Decimal(amount),
        unit="mL",
        depth="subcutaneous",
        technique="bolus",
        area="forehead",
    )


def treat(template: Clinic) -> None:
    """Chart, sign off and annotate the clinic's first consent's treatment; add three
    photos (before and after naming the treatment), withdraw the photograph consent and
    delete one of them (a tombstone)."""
    db = template.open()
    try:
        ctx = ServiceContext(db)
        doc = ctx.signed_in(users.sign_in(ctx, "doc", factories.PASSWORD))
        boss = ctx.signed_in(users.sign_in(ctx, "boss", factories.PASSWORD))
        consultation = template.built.consents[0].consultation_id
        [chart] = treatment_records.open_charts(doc, consultation)
        chart = treatment_records.save_draft(
            doc,
            chart.id,
            chart.version,
            lot_id=chart.lot_id,
            areas=["forehead"],
            points=[_point(0.3 + i / 10, amount) for i, amount in enumerate(AMOUNTS)],
        )
        chart = treatment_records.sign_off(doc, chart.id, chart.version)
        treatment_records.add_addendum(doc, chart.id, "Patient phoned: a little bruising.")
        treatment_records.add_addendum(doc, chart.id, "Seen again: the bruising has gone.")
        # The before and after photos name the treatment (as the import dialog does).
        [record] = [
            t.treatment_record_id
            for t in photos.treatments(doc, chart.patient_id)
            if t.consultation_id == consultation
        ]
        added = [
            photos.add_photo(
                doc,
                consultation,
                prepare_photo(photo_support.jpeg_with_gps(colour=(200, 120 + i, 100))),
                area="forehead",
                kind=kind,
                treatment_record_id=record if kind != "progress" else None,
            )
            for i, kind in enumerate(("before", "after", "progress"))
        ]
        photos.withdraw_consent(doc, consultation, "The patient asked by letter")
        settings = clinic_service.get_clinic(boss)
        assert settings is not None
        clinic_service.update_settings(boss, settings.version, {"photo_retention_days": 0})
        photos.delete_photo(boss, added[2].id)
        template.extra.update(chart=chart.id, photos=[p.id for p in added])
    finally:
        db.close()


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Clinic:
    template = build_sqlite_home(tmp_path_factory.mktemp("sqlite-treated") / "home")
    treat(template)
    return template


@pytest.fixture(scope="module")
def pg_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clinic]:
    templates = build_pg_template(tmp_path_factory.mktemp("pg-treated") / "home")
    template = next(templates)
    try:
        treat(template)
        yield template
    finally:
        templates.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def clinic(request: pytest.FixtureRequest, home: paths.Dirs) -> Iterator[Clinic]:
    """A copy of the treated clinic in this test's home (and its own database)."""
    assert home.home is not None
    if request.param == "sqlite":
        template: Clinic = request.getfixturevalue("sqlite_template")
        copy_home(template.home, home.home)
        yield Clinic(home.home, template.built, extra=template.extra)
    else:
        copied = clone_pg(request.getfixturevalue("pg_template"), home.home)
        made = next(copied)
        made.extra = request.getfixturevalue("pg_template").extra
        try:
            yield made
        finally:
            copied.close()


def _ids(extra: dict[str, Any]) -> tuple[int, list[int]]:
    chart = extra["chart"]
    ids = extra["photos"]
    assert isinstance(chart, int) and isinstance(ids, list)
    return chart, ids


# --- the changes -----------------------------------------------------------------------------


def _point_amount(conn: Connection, extra: dict[str, Any]) -> list[str]:
    chart, _ = _ids(extra)
    conn.execute(
        text("UPDATE injection_point SET amount = 9.5 WHERE chart_id = :c AND number = 2"),
        {"c": chart},
    )
    return [f"treatment chart {chart}: injection point 2's amount reads '9.5', the seal '2.5'"]


def _delete_point(conn: Connection, extra: dict[str, Any]) -> list[str]:
    chart, _ = _ids(extra)
    conn.execute(
        text("DELETE FROM injection_point WHERE chart_id = :c AND number = 3"), {"c": chart}
    )
    return [f"treatment chart {chart}: it has 2 injection points, the seal 3"]


def _photo_byte(conn: Connection, extra: dict[str, Any]) -> list[str]:
    _, ids = _ids(extra)
    data = bytearray(
        conn.execute(text("SELECT data FROM photo WHERE id = :i"), {"i": ids[0]}).scalar_one()
    )
    data[len(data) // 2] ^= 0x01
    conn.execute(text("UPDATE photo SET data = :d WHERE id = :i"), {"d": bytes(data), "i": ids[0]})
    return [f"photo {ids[0]}: its bytes do not match its SHA-256"]


def _photo_and_hash(conn: Connection, extra: dict[str, Any]) -> list[str]:
    # Another picture with its own hash: the bytes match, the audit log does not.
    _, ids = _ids(extra)
    other = prepare_photo(photo_support.png()).data
    conn.execute(
        text("UPDATE photo SET data = :d, sha256 = :h WHERE id = :i"),
        {"d": other, "h": hashlib.sha256(other).hexdigest(), "i": ids[1]},
    )
    return [f"photo {ids[1]}: its SHA-256 differs from the one logged"]


def _tombstone_hash(conn: Connection, extra: dict[str, Any]) -> list[str]:
    _, ids = _ids(extra)
    conn.execute(text("UPDATE photo SET sha256 = :h WHERE id = :i"), {"h": "0" * 64, "i": ids[2]})
    return [f"photo {ids[2]}: its SHA-256 differs from the one logged"]


def _delete_photo_row(conn: Connection, extra: dict[str, Any]) -> list[str]:
    _, ids = _ids(extra)
    conn.execute(text("DELETE FROM photo WHERE id = :i"), {"i": ids[0]})
    return [f"photo {ids[0]}: added (audit log), but its row is gone"]


def _addendum_text(conn: Connection, extra: dict[str, Any]) -> list[str]:
    chart, _ = _ids(extra)
    first = conn.execute(
        text("SELECT min(id) FROM treatment_addendum WHERE chart_id = :c"), {"c": chart}
    ).scalar_one()
    conn.execute(
        text("UPDATE treatment_addendum SET text = 'No bruising at all.' WHERE id = :i"),
        {"i": first},
    )
    return [f"treatment chart {chart}: addendum 1 was changed after it was written"]


def _delete_last_addendum(conn: Connection, extra: dict[str, Any]) -> list[str]:
    # The chain of what is left still holds: only the audit log knows there were two.
    chart, _ = _ids(extra)
    last = conn.execute(
        text("SELECT max(id) FROM treatment_addendum WHERE chart_id = :c"), {"c": chart}
    ).scalar_one()
    conn.execute(text("DELETE FROM treatment_addendum WHERE id = :i"), {"i": last})
    return [f"treatment chart {chart}: an addendum logged", "is gone (deleted)"]


def _reseal(conn: Connection, extra: dict[str, Any]) -> list[str]:
    # The sealed JSON and the point rewritten alike, with a new hash over the JSON.
    chart, _ = _ids(extra)
    raw = conn.execute(
        text("SELECT document_json FROM treatment_chart WHERE id = :c"), {"c": chart}
    ).scalar_one()
    document = json.loads(raw)
    document["points"][0]["amount"] = "1"
    resealed = jcs_bytes(document)
    conn.execute(
        text("UPDATE treatment_chart SET document_json = :j, document_sha256 = :h WHERE id = :c"),
        {"j": resealed.decode("utf-8"), "h": sha256_hex(resealed), "c": chart},
    )
    conn.execute(
        text("UPDATE injection_point SET amount = 1 WHERE chart_id = :c AND number = 1"),
        {"c": chart},
    )
    return [f"treatment chart {chart}: its hash differs from the one logged at sign-off"]


def _change_json(conn: Connection, extra: dict[str, Any]) -> list[str]:
    chart, _ = _ids(extra)
    conn.execute(
        text(
            "UPDATE treatment_chart SET document_json = replace(document_json, "
            "'\"forehead\"', '\"glabella\"') WHERE id = :c"
        ),
        {"c": chart},
    )
    return [f"treatment chart {chart}: its sealed JSON does not match its hash"]


def _unsign(conn: Connection, extra: dict[str, Any]) -> list[str]:
    chart, _ = _ids(extra)
    conn.execute(text("UPDATE treatment_chart SET state = 'draft' WHERE id = :c"), {"c": chart})
    return [f"treatment chart {chart}: signed off (audit log), but it reads 'draft'"]


def _chart_lot(conn: Connection, extra: dict[str, Any]) -> list[str]:
    chart, _ = _ids(extra)
    other = conn.execute(
        text("SELECT id FROM product_lot WHERE lot_number = 'LOT-OTHER'")
    ).scalar_one()
    conn.execute(
        text("UPDATE treatment_chart SET lot_id = :l WHERE id = :c"), {"l": other, "c": chart}
    )
    return [f"treatment chart {chart}: its product and lot reads"]


TAMPERING: dict[str, Callable[[Connection, dict[str, Any]], list[str]]] = {
    "change a point's amount": _point_amount,
    "delete a point": _delete_point,
    "change a photo's byte": _photo_byte,
    "replace a photo and its hash": _photo_and_hash,
    "change a tombstone's hash": _tombstone_hash,
    "delete a photo's row": _delete_photo_row,
    "change an addendum": _addendum_text,
    "delete the newest addendum": _delete_last_addendum,
    "reseal a chart with another amount": _reseal,
    "change the sealed JSON": _change_json,
    "turn a signed chart back into a draft": _unsign,
    "change the chart's lot": _chart_lot,
}


@pytest.mark.slow
def test_the_treated_clinic_verifies(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_consult(monkeypatch, capsys, *verify_args(clinic))
    assert code == 0, out + err
    assert "Everything holds" in out
    # Three photos: two hidden with their bytes, one deleted (its tombstone's hash).
    assert "Sealed treatment charts: 1; photos: 3" in out


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(TAMPERING))
def test_tampering_with_the_treatment_record_is_found_and_named(
    clinic: Clinic,
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    engine = clinic.owner_engine()
    try:
        with engine.begin() as conn:
            expected = TAMPERING[kind](conn, clinic.extra)
    finally:
        engine.dispose()
    code, out, err = run_consult(monkeypatch, capsys, *verify_args(clinic))
    assert code == 1, out + err
    assert "Everything holds" not in out
    for fragment in expected:
        assert fragment in out, (fragment, out)
