"""The treatment chart's tables as migrated are the tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from consult.store.database import Database
from consult.store.models import Base

TABLES = {"treatment_chart", "injection_point", "treatment_addendum"}


def _table_of(diff: object) -> str | None:
    while isinstance(diff, list | tuple) and diff:
        for part in diff[1:]:
            name = getattr(part, "name", None)
            table = getattr(part, "table", None)
            if table is not None and getattr(table, "name", None):
                return str(table.name)
            if isinstance(part, str) and part in TABLES:
                return part
            if name in TABLES:
                return str(name)
        diff = diff[0]
    return None


def test_the_migrated_tables_match_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    ours = [diff for diff in diffs if _table_of(diff) in TABLES]
    assert ours == []
