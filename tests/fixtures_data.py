"""A small generated and trained sample database, shared by the test modules that import it.

Registered for every test module by ``pytest_plugins`` in ``tests/conftest.py``.
"""

from __future__ import annotations

import pytest

SMALL_DEALS = 3000
SMALL_SEED = 7


def build_sample(url: str, deals: int = SMALL_DEALS, seed: int = SMALL_SEED) -> str:
    """Generate and train the sample company into the (empty) database at ``url``; return ``url``."""
    from data_access.engine import get_engine
    from explain.scoring import train_and_score
    from sample_data import generate

    engine = get_engine(url)
    generate(engine, deals=deals, seed=seed)
    train_and_score(engine)
    return url


@pytest.fixture(scope="session")
def small_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB file with a generated and trained sample (3000 deals, seed 7)."""
    path = tmp_path_factory.mktemp("sample") / "small.duckdb"
    return build_sample(f"duckdb:///{path}")


@pytest.fixture(scope="session")
def story_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The default-size sample (40,000 deals, seed 7): big enough for the planted causes to show per team."""
    from sample_data import DEFAULT_DEALS, DEFAULT_SEED

    path = tmp_path_factory.mktemp("story") / "story.duckdb"
    return build_sample(f"duckdb:///{path}", deals=DEFAULT_DEALS, seed=DEFAULT_SEED)
