"""Schema migrations (Alembic), run programmatically: no alembic.ini is needed at runtime.

``upgrade(engine)`` brings any supported database (DuckDB file or memory, PostgreSQL) to the newest
revision; ``current_revision(engine)`` says where it stands. ``alembic -c
data_access/migrations/alembic.ini ...`` works too, for writing new revisions by hand.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.ddl.impl import DefaultImpl
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DuckDBImpl(DefaultImpl):
    """Alembic has no DuckDB support built in; registering the dialect name is all it needs."""

    __dialect__ = "duckdb"
    # DuckDB runs DDL inside transactions, so a failed migration leaves nothing half-done.
    transactional_ddl = True


def alembic_config() -> Config:
    """An Alembic configuration pointing at this package's migrations folder."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str | None:
    """The newest revision shipped with this code."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate ``engine``'s database to ``revision`` (default: the newest) in one transaction."""
    config = alembic_config()
    with engine.begin() as conn:
        # env.py picks this connection up instead of opening its own.
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it has never been migrated."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
