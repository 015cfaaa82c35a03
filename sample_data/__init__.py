"""The seeded simulator of the sample company, with the truth of the causes it planted."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, delete, select

from data_access import schema
from data_access.bulk import bulk_insert
from data_access.migrate import upgrade
from sample_data.simulator import simulate

DEFAULT_DEALS = 40_000
DEFAULT_SEED = 7
MIN_DEALS = 500  # the sample needs deals in every region, team and quarter
SAMPLE_DEALS_KEY, SAMPLE_SEED_KEY = "sample_deals", "sample_seed"


def generate(
    engine: Engine,
    deals: int = DEFAULT_DEALS,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Simulate the company and replace the database's contents with it, all or nothing.

    Returns the row count per table. Model outputs from an earlier training are cleared too.
    """
    say = progress or (lambda _msg: None)
    if deals < MIN_DEALS:
        raise ValueError("--deals must be at least 500 (the sample needs deals in every region and quarter)")
    say("simulating")
    tables = simulate(deals, seed)
    upgrade(engine)
    counts = {}
    with engine.begin() as conn:
        for table in reversed(schema.metadata.sorted_tables):
            conn.execute(delete(table))
        for name, frame in tables.items():
            say(f"writing {name}")
            counts[name] = bulk_insert(conn, schema.metadata.tables[name], frame)
        # What the what-if truth needs to re-run this company's history.
        conn.execute(
            schema.preferences.insert(),
            [{"key": SAMPLE_DEALS_KEY, "value": str(deals)}, {"key": SAMPLE_SEED_KEY, "value": str(seed)}],
        )
    return counts


def sample_parameters(engine: Engine) -> tuple[int, int] | None:
    """(deals, seed) the database was generated with, or None when it holds imported data."""
    with engine.connect() as conn:
        rows = dict(conn.execute(select(schema.preferences.c.key, schema.preferences.c.value)).all())
    if SAMPLE_DEALS_KEY not in rows or SAMPLE_SEED_KEY not in rows:
        return None
    return int(rows[SAMPLE_DEALS_KEY]), int(rows[SAMPLE_SEED_KEY])
