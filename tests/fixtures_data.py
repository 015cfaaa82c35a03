"""A small generated and trained sample database, shared by the test modules that import it.

Registered for every test module by ``pytest_plugins`` in ``tests/conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

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


SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
MAVEN_FILES = ("sales_pipeline.csv", "sales_teams.csv", "accounts.csv", "products.csv")
OLIST_FILES = ("olist_marketing_qualified_leads_dataset.csv", "olist_closed_deals_dataset.csv")


def import_shared(url: str, mapping: str, folder: str, files: tuple[str, ...], train: bool = True) -> str:
    """Import one of the real datasets in ../shared/data through its shipped mapping; return ``url``.

    With ``train``, the models are trained and the backtest run too, as a user would before serving.
    """
    from data_access.engine import get_engine
    from data_access.importer import Mapping, import_export
    from explain.backtest import run_backtest
    from explain.scoring import train_and_score

    engine = get_engine(url)
    import_export(engine, Mapping.load(mapping), [SHARED_DATA / folder / f for f in files])
    if train:
        train_and_score(engine)
        run_backtest(engine)
    engine.dispose()  # the file is complete and unlocked for another process
    return url


@pytest.fixture(scope="session")
def maven_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The Maven CRM export imported (shipped mapping), trained and backtested, in its own DuckDB file."""
    path = tmp_path_factory.mktemp("maven") / "maven.duckdb"
    return import_shared(f"duckdb:///{path}", "maven-crm", "maven-crm", MAVEN_FILES)
