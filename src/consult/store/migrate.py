"""Schema migrations (Alembic): where a database's schema stands, and moving it.

What the app does on opening a database (back up an older embedded one, then upgrade;
refuse a newer one) is :func:`consult.store.schema.prepare`. On a PostgreSQL server the
app never migrates by itself: the administrator runs ``consult db upgrade``.

On PostgreSQL the schema belongs to an owner role that only ``consult db upgrade`` uses;
:func:`grant_to` gives the workstations' login what the app needs and no more: SELECT and
INSERT on the audit log (no UPDATE, DELETE, TRUNCATE or TRIGGER), no ownership, so it
cannot switch off the audit log's trigger, replace its function or rebuild the table.
"""

from __future__ import annotations

import enum
import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from consult.store.database import Database
from consult.store.errors import StoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class SchemaState(enum.Enum):
    """How a database's schema compares with this program's."""

    EMPTY = "empty"
    CURRENT = "current"
    OLDER = "older"
    NEWER = "newer"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The newest revision this program knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    """Every revision this program knows (a database at another one is newer)."""
    return {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}


def schema_state(db: Database) -> SchemaState:
    """Compare the database's revision with this program's."""
    current = current_revision(db)
    if current is None:
        return SchemaState.EMPTY
    script = ScriptDirectory.from_config(_config())
    if current == script.get_current_head():
        return SchemaState.CURRENT
    known = {rev.revision for rev in script.walk_revisions()}
    return SchemaState.OLDER if current in known else SchemaState.NEWER


def upgrade(db: Database, revision: str = "head") -> None:
    """Upgrade (or create) the schema up to ``revision``."""
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(db: Database, revision: str) -> None:
    """Downgrade the schema to ``revision`` (``base`` drops everything)."""
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


class GrantError(StoreError):
    """The workstations' login cannot be given its rights as asked."""


# What the workstations' login may do, table by table. A signed consent record is never
# updated except for the register's copy of its state; events, treatment records and
# audit entries and treatment addenda are only ever added; only a patient's search tokens
# and a draft treatment chart's injection points (replaced as it is saved) are deleted.
APP_PRIVILEGES: dict[str, str] = {
    "alembic_version": "SELECT",
    "audit_entry": "SELECT, INSERT",
    "clinic": "SELECT, INSERT, UPDATE",
    "app_user": "SELECT, INSERT, UPDATE",
    "patient": "SELECT, INSERT, UPDATE",
    "patient_name_token": "SELECT, INSERT, UPDATE, DELETE",
    "product": "SELECT, INSERT, UPDATE",
    "product_lot": "SELECT, INSERT, UPDATE",
    "consultation": "SELECT, INSERT, UPDATE",
    "consent_record": "SELECT, INSERT, UPDATE (state)",
    "consent_event": "SELECT, INSERT",
    "treatment_record": "SELECT, INSERT",
    "injection_point": "SELECT, INSERT, UPDATE, DELETE",
    "treatment_addendum": "SELECT, INSERT",
}
# A table added later and not listed above.
DEFAULT_PRIVILEGES = "SELECT, INSERT, UPDATE"
_ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$-]{0,62}$")


def grant_to(db: Database, role: str) -> list[str]:
    """Give the workstations' login ``role`` its rights on this schema (PostgreSQL).

    Run as the tables' owner (``consult db upgrade --grant-to ROLE``), after every
    upgrade. Everything is revoked first, so running it again is safe. Returns one line
    per table. :class:`GrantError` if the role does not exist or is (a member of) the
    owner: the workstations must not log in as the owner.
    """
    if db.is_sqlite:
        raise GrantError("--grant-to applies to a PostgreSQL server only.")
    if not _ROLE_NAME.match(role):
        raise GrantError(f"{role!r} is not a role name")
    lines: list[str] = []
    with db.engine.begin() as conn:
        quote = conn.dialect.identifier_preparer.quote
        found = conn.execute(
            text(
                "SELECT r.rolsuper, "
                "pg_has_role(r.oid, c.relowner, 'MEMBER') AS owner, "
                "current_schema() AS schema "
                "FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass('audit_entry') "
                "WHERE r.rolname = :role"
            ),
            {"role": role},
        ).first()
        if found is None:
            raise GrantError(
                f"there is no role {role!r} on the server: create the workstations' login "
                "first (README: PostgreSQL set-up)"
            )
        if found.rolsuper or found.owner:
            raise GrantError(
                f"{role!r} is a superuser or (a member of) the tables' owner: the workstations "
                "need a login of their own that owns nothing (README: PostgreSQL set-up)"
            )
        schema = str(found.schema)
        who, where = quote(role), quote(schema)
        conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who}"))
        conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {where} FROM {who}"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA {where} TO {who}"))
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :schema ORDER BY 1"),
            {"schema": schema},
        ).scalars()
        for table in tables:
            rights = APP_PRIVILEGES.get(str(table), DEFAULT_PRIVILEGES)
            conn.execute(text(f"GRANT {rights} ON {where}.{quote(str(table))} TO {who}"))
            lines.append(f"{table}: {rights}")
        conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {who}"))
    return lines
