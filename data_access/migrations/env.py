"""Alembic environment: uses the connection handed over by data_access.migrate.upgrade, else the URL.

The URL comes from ``sqlalchemy.url`` in the config if set, else from $COCKPIT_DB or the embedded
default (data_access.engine.resolve_url).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import data_access.migrate  # noqa: F401  registers the DuckDB implementation with Alembic
from data_access.engine import resolve_url
from data_access.schema import metadata

config = context.config
target_metadata = metadata


def _url() -> str:
    return resolve_url(config.get_main_option("sqlalchemy.url") or None)


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    engine = create_engine(_url())
    try:
        with engine.begin() as conn:
            _run_on(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
