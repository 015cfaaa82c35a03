"""Database-wide settings kept in the ``preferences`` table (the picked forecast method, the amount unit)."""

from __future__ import annotations

from sqlalchemy import Engine, delete, select

from data_access import schema as s


def preference(engine: Engine, key: str, default: str) -> str:
    """The stored value of ``key``, or ``default`` when none is stored."""
    with engine.connect() as conn:
        value = conn.execute(
            select(s.preferences.c.value).where(s.preferences.c.key == key)
        ).scalar_one_or_none()
    return value or default


def set_preference(engine: Engine, key: str, value: str) -> None:
    """Store ``value`` under ``key``, replacing any earlier value."""
    with engine.begin() as conn:
        conn.execute(delete(s.preferences).where(s.preferences.c.key == key))
        conn.execute(s.preferences.insert().values(key=key, value=value))
