"""One engine per process and database URL; the default database is an embedded DuckDB file."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, inspect, select
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

from data_access import schema


class DatabaseProblem(Exception):
    """A database problem worded for the user (no traceback needed)."""


def default_db_path() -> Path:
    """Per-user location of the embedded database: $COCKPIT_HOME or $XDG_DATA_HOME/cockpit."""
    home = os.environ.get("COCKPIT_HOME")
    if home:
        return Path(home) / "cockpit.duckdb"
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "cockpit" / "cockpit.duckdb"


def default_db_url() -> str:
    return f"duckdb:///{default_db_path()}"


def resolve_url(url: str | None) -> str:
    """The URL to use: the given one, $COCKPIT_DB, or the embedded default."""
    return url or os.environ.get("COCKPIT_DB") or default_db_url()


def duckdb_file(url: str) -> Path | None:
    """The file behind an embedded-database URL (None for memory or a server database)."""
    if url.startswith("duckdb:///"):
        path = url.removeprefix("duckdb:///").split("?")[0]
        if path and path != ":memory:":
            return Path(path)
    return None


def is_duckdb(engine: Engine) -> bool:
    return engine.dialect.name == "duckdb"


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (cached: one engine per process and URL)."""
    url = resolve_url(url)
    try:
        engine = create_engine(url, pool_pre_ping=not url.startswith("duckdb"))
    except (ArgumentError, NoSuchModuleError) as exc:
        raise DatabaseProblem(f"invalid database URL {url!r}: {exc}") from None
    return engine


def check_reachable(engine: Engine) -> None:
    """Connect once; raise DatabaseProblem with a one-line reason if that fails."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except (OperationalError, DatabaseError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        where = engine.url.render_as_string()
        if "Could not set lock on file" in reason:
            # An embedded DuckDB file has one owner at a time, typically a running `cockpit serve`.
            pid = match.group(1) if (match := re.search(r"PID (\d+)", reason)) else "?"
            raise DatabaseProblem(
                f"database {where} is in use by another process (PID {pid}, e.g. `cockpit serve`): "
                "stop it first, or use PostgreSQL for several processes at once"
            ) from None
        raise DatabaseProblem(f"cannot reach database {where}: {reason}") from None


def has_schema(engine: Engine) -> bool:
    with engine.connect() as conn:
        return inspect(conn).has_table("opportunities")


def require_data(engine: Engine) -> None:
    """Raise DatabaseProblem unless the database holds a scored sample (schema, deals, forecasts)."""
    check_reachable(engine)
    where = engine.url.render_as_string()
    if not has_schema(engine):
        raise DatabaseProblem(f"database {where} is empty: run `cockpit generate` or `cockpit import` first")
    with engine.connect() as conn:
        deals = conn.execute(select(func.count()).select_from(schema.opportunities)).scalar_one()
        scored = conn.execute(select(func.count()).select_from(schema.forecast_rollup)).scalar_one()
    if deals == 0:
        raise DatabaseProblem(
            f"database {where} has no deals: run `cockpit generate` or `cockpit import` first"
        )
    if scored == 0:
        raise DatabaseProblem(f"database {where} has deals but no forecasts: run `cockpit train` first")
