"""Drill queries on a generated and trained sample, on the embedded DuckDB and on PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from data_access.engine import get_engine
from data_access.forecast import Cell, deviation_by_cell, driver_sums, typical_driver_sums
from data_access.scope import FULL_ACCESS
from explain.drivers import cell_drivers
from tests.conftest import fresh_pg_database
from tests.fixtures_data import build_sample


@pytest.fixture(scope="module")
def pg_sample_url(pg_url: str) -> Iterator[str]:
    """The same sample as ``small_db_url`` in a fresh PostgreSQL database, dropped after the module."""
    with fresh_pg_database(pg_url) as url:
        yield build_sample(url)
        get_engine(url).dispose()


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest):
    fixture = "small_db_url" if request.param == "duckdb" else "pg_sample_url"
    return get_engine(request.getfixturevalue(fixture))


def test_region_deviation(engine) -> None:
    dev = deviation_by_cell(engine, FULL_ACCESS, "region")
    quarters = dev.quarter.unique()
    assert len(quarters) >= 8
    assert sorted(dev.key.unique()) == [1, 2, 3, 4, 5]
    assert len(dev) == 5 * len(quarters)
    assert np.isfinite(dev.deviation).all()
    assert (dev.forecast > 0).all() and (dev.reference > 0).all()
    assert dev.name_zh.notna().all()


def test_team_level_filtered_by_region(engine) -> None:
    with engine.connect() as conn:
        suzhou_teams = {t for (t,) in conn.execute(text("SELECT id FROM teams WHERE region_id = 2"))}
    dev = deviation_by_cell(engine, FULL_ACCESS, "team", region_id=2)
    assert not dev.empty
    assert set(dev.key) <= suzhou_teams
    assert np.isfinite(dev.deviation).all()
    change = deviation_by_cell(engine, FULL_ACCESS, "team", region_id=2, month=3, mode="change")
    assert set(change.key) <= suzhou_teams and np.isfinite(change.deviation).all()


def test_rep_level_within_team(engine) -> None:
    dev = deviation_by_cell(engine, FULL_ACCESS, "rep", region_id=2, team_id=4)
    with engine.connect() as conn:
        reps = {r for (r,) in conn.execute(text("SELECT id FROM reps WHERE team_id = 4"))}
    assert not dev.empty and set(dev.key) <= reps


def test_cell_drivers(engine) -> None:
    cell = Cell("team", 4, "2026Q2", 2)
    sums = driver_sums(engine, FULL_ACCESS, cell)
    typical = typical_driver_sums(engine, FULL_ACCESS, cell)
    assert not sums.empty
    assert set(sums.feature) <= set(typical.feature)

    def open_amount_by_stage(frame):  # every feature's rows carry the same amounts
        return frame[frame.feature == frame.feature.iloc[0]].groupby("stage_index").amount.sum()

    # The typical cell sums the entity's other quarters: more open amount than one quarter.
    assert open_amount_by_stage(typical).sum() >= open_amount_by_stage(sums).sum() > 0
    en = cell_drivers(sums, typical, "en")
    zh = cell_drivers(sums, typical, "zh")
    assert 0 < len(en) <= 8
    assert np.isfinite(en.contribution).all()
    assert list(en.contribution.abs()) == sorted(en.contribution.abs(), reverse=True)
    # Drivers are a decomposition, not a sample: they add up to the cell's contributions minus what a
    # typical quarter of this team contributes per CNY at each stage, times the cell's amount there.
    full = cell_drivers(sums, typical, "en", top=len(sums))
    typical_amount = open_amount_by_stage(typical)
    rate = typical.groupby("stage_index").contribution.sum() / typical_amount
    overall = typical.contribution.sum() / typical_amount.sum()
    cell_amount = open_amount_by_stage(sums)
    expected = (cell_amount * rate.reindex(cell_amount.index).fillna(overall)).sum()
    assert full.contribution.sum() == pytest.approx(sums.contribution.sum() - expected, rel=1e-6)
    assert list(zh.feature) == list(en.feature)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in zh.label)
    assert not any("\u4e00" <= ch <= "\u9fff" for label in en.label for ch in label)


@pytest.mark.postgres
def test_duckdb_and_postgres_agree(small_db_url: str, pg_sample_url: str) -> None:
    for level, kwargs in (
        ("region", {}),
        ("team", {"region_id": 3}),
        ("rep", {"region_id": 2, "team_id": 4}),
    ):
        a = deviation_by_cell(get_engine(small_db_url), FULL_ACCESS, level, **kwargs)
        b = deviation_by_cell(get_engine(pg_sample_url), FULL_ACCESS, level, **kwargs)
        assert len(a) == len(b) > 0
        pd.testing.assert_frame_equal(
            a[["key", "quarter"]], b[["key", "quarter"]], check_dtype=False, obj=f"{level} cells"
        )
        np.testing.assert_allclose(a.deviation.to_numpy(), b.deviation.to_numpy(), rtol=1e-6, atol=1e-9)
    cell = Cell("rep", 20, "2026Q2", 2)
    da = cell_drivers(
        driver_sums(get_engine(small_db_url), FULL_ACCESS, cell),
        typical_driver_sums(get_engine(small_db_url), FULL_ACCESS, cell),
    )
    db = cell_drivers(
        driver_sums(get_engine(pg_sample_url), FULL_ACCESS, cell),
        typical_driver_sums(get_engine(pg_sample_url), FULL_ACCESS, cell),
    )
    assert list(da.feature) == list(db.feature)
    np.testing.assert_allclose(da.contribution.to_numpy(), db.contribution.to_numpy(), rtol=1e-6)


def test_a_narrow_scope_hides_other_regions(engine) -> None:
    from data_access.forecast import hierarchy_of, names
    from data_access.scope import Scope

    shanghai_only = Scope(region_ids=frozenset({1}), team_ids=frozenset({1, 2, 3}))
    assert list(names(engine, shanghai_only, "region").index) == [1]
    assert hierarchy_of(engine, shanghai_only, "team", 4) == {}  # a Suzhou team
    assert hierarchy_of(engine, FULL_ACCESS, "team", 4) == {"region_id": 2, "team_id": 4}
    assert hierarchy_of(engine, FULL_ACCESS, "region", 999) == {}
    assert set(deviation_by_cell(engine, shanghai_only, "region").key) == {1}


def test_cell_drivers_leave_out_features_that_never_move() -> None:
    # An imported CRM has no annotations: their feature is constant, its SHAP contribution zero.
    def frame(discount: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "feature": ["discount_pct", "cfo_left"],
                "stage_index": [2, 2],
                "contribution": [discount, 0.0],
                "value_sum": [5.0 * discount, 0.0],
                "value_count": [10, 10],
                "amount": [1000.0, 1000.0],
            }
        )

    drivers = cell_drivers(frame(-300.0), frame(100.0), "en")
    assert list(drivers.feature) == ["discount_pct"]
    assert drivers.contribution.iloc[0] == pytest.approx(-400.0)
