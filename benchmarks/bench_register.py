"""The consent register at scale: 100,000 patients and 1,000,000 signed consent records.

    cd /work/main && uv run python benchmarks/bench_register.py [--backend sqlite|postgresql|all]
        [--patients 100000] [--records 1000000] [--repeats 21] [--dir /tmp/consult-bench-register]

Builds the data once (bulk inserts: executemany on SQLite, COPY on PostgreSQL; small fake
PDF bytes and JSON, no rendering) and keeps it for the next run (``--rebuild`` to start
again, ``--drop`` to remove it). Then times the register's first page and each filter
change and sort order through the service (``consent_register.register_page``: the database
query plus the name look-ups of the page), median and p95 over ``--repeats``; and, in a
fresh process, the resident memory with the register's Qt model open and a few pages
fetched. Targets: ≤ 100 ms per page, ≤ 300 MB resident.

PostgreSQL is measured when CONSULT_TEST_PG_URL (or the local test server) answers; the
data lives in the schema ``bench_register``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from consult import paths
from consult.store import migrate
from consult.store.database import Database, open_database
from consult.store.dto import RegisterFilters
from consult.store.services import consent_register
from consult.store.services.context import ServiceContext
from tests import factories

TARGET_MS = 100.0
TARGET_RSS_MB = 300.0
PG_SCHEMA = "bench_register"
DEFAULT_PG_URL = "postgresql+psycopg://consult_test:consult_test@localhost:5432/consult_test"
TREATMENTS = (
    "exosome",
    "stem_cell_supernatant",
    "prp",
    "botulinum_toxin",
    "ha_filler",
    "hyaluronidase",
    "chemical_peel",
    "laser_resurfacing",
    "iv_vitamin_c",
    "microneedling",
    "stem_cell_cellular",
)
PRACTITIONERS = 8
GIVEN = ["Zoë", "José", "Ελένη", "Анна", "花子", "Siobhán", "Mehmet", "Ingrid", "Oliver", "Aisha"]
FAMILY = ["Lefèvre", "Muñoz", "Παπαδοπούλου", "Иванова", "山田", "O'Brien", "Yılmaz", "Smith"]
FAKE_PDF = b"%PDF-1.7\n% fake benchmark form\n" + b"0" * 200 + b"\n%%EOF\n"
FAKE_DOC = json.dumps({"schema": "consult.consent/1", "bench": True, "text": "x" * 300})


def _now() -> float:
    return time.perf_counter()


def pg_base_url() -> str | None:
    url = os.environ.get("CONSULT_TEST_PG_URL") or DEFAULT_PG_URL
    engine = create_engine(url)
    try:
        with engine.connect():
            return url
    except Exception:
        return None
    finally:
        engine.dispose()


def pg_schema_url(base: str) -> str:
    return (
        make_url(base)
        .update_query_dict({"options": f"-csearch_path={PG_SCHEMA}"})
        .render_as_string(hide_password=False)
    )


# --- building ---------------------------------------------------------------------------


def _sqlite_ts(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _rows(args: argparse.Namespace, practitioner_ids: list[int], for_pg: bool) -> dict[str, Any]:
    """Generators of every table's rows (deterministic)."""
    rng = random.Random(20261122)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    ts: Callable[[dt.datetime], Any] = (lambda v: v) if for_pg else _sqlite_ts
    boolean: Callable[[bool], Any] = (lambda v: v) if for_pg else int
    n_consultations = args.records // 2

    def patients() -> Iterator[tuple[Any, ...]]:
        for pid in range(1, args.patients + 1):
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            yield (
                pid,
                given,
                family,
                dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20000)),
                rng.choice(("female", "male")),
                f"+44 7700 {pid:06d}",
                f"p{pid}@example.org",
                "",
                f"{given} {family}".lower(),
                f"447700{pid:06d}",
                1,
                ts(now),
                ts(now),
            )

    # Each consultation: one day in the last five years, two different treatments.
    starts: list[tuple[dt.datetime, int, int]] = []

    def consultations() -> Iterator[tuple[Any, ...]]:
        span = 5 * 365 * 86400
        for cid in range(1, n_consultations + 1):
            at = now - dt.timedelta(seconds=span * (n_consultations - cid) // n_consultations)
            patient, practitioner = rng.randint(1, args.patients), rng.choice(practitioner_ids)
            starts.append((at, patient, practitioner))
            yield (
                cid,
                patient,
                practitioner,
                at.date(),
                "GB",
                "consented",
                "consent",
                "[]",
                "{}",
                "[]",
                "bench",
                1,
                ts(at),
                ts(at),
            )

    events: list[tuple[Any, ...]] = []

    def consents() -> Iterator[tuple[Any, ...]]:
        rid = 0
        for cid in range(1, n_consultations + 1):
            at, patient, practitioner = starts[cid - 1]
            first, second = rng.sample(TREATMENTS, 2)
            for position, treatment in enumerate((first, second), start=1):
                rid += 1
                roll = rng.random()
                outcome = "relative" if roll < 0.12 else ("caution" if roll < 0.40 else "clear")
                overrides = outcome == "relative"
                fate = rng.random()
                state = "voided" if fate < 0.01 else ("withdrawn" if fate < 0.03 else "signed")
                if state != "signed":
                    events.append(
                        (
                            rid,
                            state,
                            "benchmark reason",
                            practitioner,
                            ts(at + dt.timedelta(days=1)),
                        )
                    )
                yield (
                    rid,
                    f"C-{at.year}-{cid:07d}-{position}",
                    cid,
                    patient,
                    practitioner,
                    treatment,
                    "v1",
                    ts(at + dt.timedelta(minutes=position)),
                    boolean(overrides),
                    outcome,
                    FAKE_DOC,
                    "0" * 64,
                    FAKE_PDF,
                    "0" * 64,
                    state,
                )

    return {
        "patient": (
            "id, given_name, family_name, date_of_birth, sex_at_birth, phone, email, address, "
            "search_name, phone_digits, version, created_at, updated_at",
            patients,
        ),
        "consultation": (
            "id, patient_id, practitioner_id, consultation_date, jurisdiction, status, step, "
            "treatments, answers, overrides, rule_set_version, version, created_at, updated_at",
            consultations,
        ),
        "consent_record": (
            "id, document_number, consultation_id, patient_id, practitioner_id, treatment_id, "
            "template_version, signed_at, has_overrides, outcome, document_json, "
            "document_sha256, pdf, pdf_sha256, state",
            consents,
        ),
        "consent_event": ("consent_id, kind, reason, user_id, at", lambda: iter(events)),
    }


def _staff(db: Database) -> tuple[ServiceContext, list[int]]:
    from consult.domain.roles import Qualification, Role
    from consult.store.services import users
    from consult.store.services.users import NewUser

    ctx = ServiceContext(db)
    people = factories.staff(ctx)
    manager = ctx.signed_in(people["manager"])
    ids = [people["practitioner"].id]
    for n in range(PRACTITIONERS - 1):
        made = users.create_user(
            manager,
            NewUser(
                f"prac{n}",
                f"Practitioner {n:02d}",
                factories.PASSWORD,
                frozenset({Role.PRACTITIONER}),
                Qualification.DOCTOR,
            ),
        )
        ids.append(made.id)
    return manager, ids


def build(db: Database, args: argparse.Namespace) -> None:
    """Fill an empty, migrated database."""
    _, practitioner_ids = _staff(db)
    tables = _rows(args, practitioner_ids, for_pg=not db.is_sqlite)
    started = _now()
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        for table, (columns, rows) in tables.items():
            t0 = _now()
            count = 0
            if db.is_sqlite:
                marks = ", ".join("?" for _ in columns.split(","))
                cur = conn.cursor()
                cur.execute("BEGIN")
                batch: list[tuple[Any, ...]] = []
                for row in rows():
                    batch.append(row)
                    if len(batch) >= 20000:
                        cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
                    count += len(batch)
                cur.execute("COMMIT")
            else:
                with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows():
                        copy.write_row(row)
                        count += 1
                conn.commit()
            print(f"  {table}: {count:,} rows in {_now() - t0:.0f} s", flush=True)
        if not db.is_sqlite:
            with conn.cursor() as cur:
                for table in tables:
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                cur.execute("ANALYZE")
            conn.commit()
    finally:
        raw.close()
    print(f"  built in {_now() - started:.0f} s", flush=True)


def open_bench(backend: str, args: argparse.Namespace) -> Database:
    """The benchmark's database, built if it is not there yet."""
    if backend == "sqlite":
        home = Path(args.dir) / "home"
        dirs = paths.for_home(home)
        if args.rebuild and dirs.database_file.exists():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{dirs.database_file}{suffix}").unlink(missing_ok=True)
        fresh = not dirs.database_file.exists()
        db = open_database(dirs.ensure())
    else:
        base = pg_base_url()
        assert base is not None
        admin = create_engine(base)
        with admin.begin() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": PG_SCHEMA}
            ).first()
            if exists and args.rebuild:
                conn.execute(text(f"DROP SCHEMA {PG_SCHEMA} CASCADE"))
                exists = None
            if not exists:
                conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
        admin.dispose()
        fresh = not exists
        db = open_database(paths.for_home(Path(args.dir) / "pg-home").ensure(), pg_schema_url(base))
    if fresh:
        print(
            f"building {backend}: {args.patients:,} patients, {args.records:,} records", flush=True
        )
        migrate.upgrade(db)
        build(db, args)
    return db


# --- measuring --------------------------------------------------------------------------


def _manager(db: Database) -> ServiceContext:
    from consult.store.services import users

    ctx = ServiceContext(db)
    return ctx.signed_in(users.sign_in(ctx, "boss", factories.PASSWORD))


def cases(db: Database, manager: ServiceContext) -> list[tuple[str, RegisterFilters]]:
    today = dt.date.today()
    someone = consent_register.practitioners(manager)[3][0]
    base = RegisterFilters()
    return [
        ("first page (newest first)", base),
        ("signed in the last 30 days", RegisterFilters(date_from=today - dt.timedelta(days=30))),
        ("one practitioner", RegisterFilters(practitioner_id=someone)),
        ("one treatment", RegisterFilters(treatment_id="prp")),
        ("outcome: relative", RegisterFilters(outcome="relative")),
        ("with overrides", RegisterFilters(has_overrides=True)),
        ("state: voided (1%)", RegisterFilters(state="voided")),
        (
            "state: withdrawn + one treatment",
            RegisterFilters(state="withdrawn", treatment_id="exosome"),
        ),
        (
            "practitioner + treatment + last year",
            RegisterFilters(
                practitioner_id=someone,
                treatment_id="ha_filler",
                date_from=today - dt.timedelta(days=365),
                date_to=today,
            ),
        ),
        (
            "voided + overrides + practitioner (rare)",
            RegisterFilters(state="voided", has_overrides=True, practitioner_id=someone),
        ),
        (
            "a month three years ago",
            RegisterFilters(
                date_from=today - dt.timedelta(days=3 * 365 + 30),
                date_to=today - dt.timedelta(days=3 * 365),
            ),
        ),
        ("sorted by treatment (A→Z)", base.sorted_by("treatment_id", False)),
        ("sorted by state (Z→A)", base.sorted_by("state", True)),
        ("sorted by document number", base.sorted_by("document_number", False)),
        ("sorted oldest first", base.sorted_by("signed_at", False)),
        (
            "one treatment, sorted by outcome",
            RegisterFilters(treatment_id="botulinum_toxin").sorted_by("outcome", True),
        ),
    ]


def _timed(fn: Callable[[], Any], repeats: int) -> tuple[float, float, Any]:
    result = fn()  # warm-up (plans, caches)
    times = []
    for _ in range(repeats):
        t0 = _now()
        result = fn()
        times.append((_now() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, result


def measure(db: Database, repeats: int) -> list[tuple[str, float, float, int]]:
    manager = _manager(db)
    out = []
    for name, filters in cases(db, manager):
        median, p95, page = _timed(
            lambda f=filters: consent_register.register_page(manager, f), repeats
        )
        out.append((name, median, p95, len(page.rows)))
    # Scrolling: the 50th page of the default order, by keyset.
    cursor = None
    for _ in range(49):
        cursor = consent_register.register_page(manager, RegisterFilters(), after=cursor).cursor
    median, p95, page = _timed(
        lambda: consent_register.register_page(manager, RegisterFilters(), after=cursor), repeats
    )
    out.append(("page 50 (keyset, scrolling)", median, p95, len(page.rows)))
    median, p95, count = _timed(
        lambda: consent_register.register_count(manager, RegisterFilters()), 5
    )
    out.append((f"count, capped at {consent_register.COUNT_CAP:,}", median, p95, count))
    median, p95, count = _timed(
        lambda: consent_register.register_count(manager, RegisterFilters(state="voided")), 5
    )
    out.append(("count of voided records", median, p95, count))
    return out


def rss_child(backend: str, args: argparse.Namespace) -> int:
    """In a fresh process: open the register's Qt model, fetch pages, report memory."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QTableView

    from consult.ui.manager.register_model import RegisterTableModel

    app = QApplication([])
    db = open_bench(backend, args)
    manager = _manager(db)
    model = RegisterTableModel(
        lambda f, after: consent_register.register_page(manager, f, after=after)
    )
    view = QTableView()
    view.setModel(model)
    view.resize(1280, 800)
    model.set_filters(RegisterFilters())
    for _ in range(20):
        if model.canFetchMore():
            model.fetchMore()
    app.processEvents()
    status = Path("/proc/self/status").read_text()
    fields = {
        line.split(":")[0]: int(line.split()[1])
        for line in status.splitlines()
        if line.startswith("Vm")
    }
    print(
        json.dumps(
            {
                "rows": model.rowCount(),
                "rss_mb": fields["VmRSS"] / 1024,
                "peak_mb": fields["VmHWM"] / 1024,
            }
        )
    )
    db.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--dir", default="/tmp/consult-bench-register")
    parser.add_argument("--rebuild", action="store_true", help="build the data again")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--drop", action="store_true", help="remove the data and stop")
    parser.add_argument("--rss-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        return rss_child(args.rss_child, args)
    backends = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]
    if "postgresql" in backends and pg_base_url() is None:
        print("PostgreSQL not reachable: measuring SQLite only")
        backends.remove("postgresql")
    if args.drop:
        import shutil

        shutil.rmtree(args.dir, ignore_errors=True)
        base = pg_base_url()
        if base:
            admin = create_engine(base)
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            admin.dispose()
        return 0
    ok = True
    for backend in backends:
        db = open_bench(backend, args)
        try:
            if args.build_only:
                continue
            results = measure(db, args.repeats)
        finally:
            db.close()
        print(
            f"\n{backend}: register page of {consent_register.PAGE_SIZE} rows, "
            f"median / p95 of {args.repeats} (ms)"
        )
        for name, median, p95, rows in results:
            flag = "" if "count" in name or median <= TARGET_MS else "  MISSED"
            ok = ok and (bool(flag) is False)
            print(f"  {name:45s} {median:8.1f} {p95:8.1f}   ({rows:,}){flag}")
        child = subprocess.run(
            [sys.executable, __file__, "--rss-child", backend, "--dir", args.dir],
            capture_output=True,
            text=True,
            check=False,
        )
        lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
        if child.returncode or not lines:
            print(child.stdout, child.stderr)
            ok = False
            continue
        memory = json.loads(lines[-1])
        print(
            f"  RSS with the register model open ({memory['rows']:,} rows fetched): "
            f"{memory['rss_mb']:.0f} MB (peak {memory['peak_mb']:.0f} MB; "
            f"target ≤ {TARGET_RSS_MB:.0f} MB)"
        )
        ok = ok and memory["peak_mb"] <= TARGET_RSS_MB
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
