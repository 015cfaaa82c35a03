"""The scorecard page as a component: the stored backtest, side by side, and the team's pick."""

from __future__ import annotations

import pytest

from data_access.engine import get_engine
from data_access.scorecard import forecast_method, set_forecast_method
from explain.backtest import run_backtest
from layouts import t
from pages.scorecard import ScorecardPage
from tests.fixtures_data import build_sample


@pytest.fixture(scope="module")
def backtested_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = build_sample(f"duckdb:///{tmp_path_factory.mktemp('sc') / 'sc.duckdb'}", deals=1500)
    run_backtest(get_engine(url), cutoffs=2)
    return url


def test_scorecard_shows_every_method_and_the_pick(backtested_url: str) -> None:
    page = ScorecardPage(db_url=backtested_url)
    table = page._overall.object
    for method in ("model", "stage_weighted", "stage_weighted_fixed", "naive_bayes", "stage_week_winrate"):
        assert t(f"method_{method}") in table
    assert 'class="picked"' in table and table.count('class="picked"') == 1
    assert len(page._chart.object) > 0  # one line per method over the quarters
    assert "<td>" in page._teams.object


def test_picking_a_method_is_saved_for_the_team(backtested_url: str) -> None:
    engine = get_engine(backtested_url)
    set_forecast_method(engine, "model")
    page = ScorecardPage(db_url=backtested_url)
    page._pick.value = "stage_week_winrate"
    assert forecast_method(engine) == "stage_week_winrate"
    assert t("method_stage_week_winrate") in page._saved.object
    assert ScorecardPage(db_url=backtested_url)._pick.value == "stage_week_winrate"  # a new session sees it
    set_forecast_method(engine, "model")


def test_scorecard_in_chinese(backtested_url: str) -> None:
    page = ScorecardPage(db_url=backtested_url)
    page.state.lang = "zh"
    assert "朴素贝叶斯" in page._overall.object and "预测评分卡" in page._title.object


def test_scorecard_without_a_backtest_says_how_to_run_one(small_db_url: str) -> None:
    page = ScorecardPage(db_url=small_db_url)
    assert "cockpit backtest" in page._intro.object
    assert not page._overall.visible


def test_the_picked_method_drives_the_forecast_heatmap(backtested_url: str) -> None:
    from data_access import forecast as fc
    from data_access.scope import FULL_ACCESS
    from pages.forecast import ForecastPage

    engine = get_engine(backtested_url)
    model = fc.deviation_by_cell(engine, FULL_ACCESS, "region", method="model")
    fixed = fc.deviation_by_cell(engine, FULL_ACCESS, "region", method="stage_weighted_fixed")
    assert len(model) == len(fixed) and (model.forecast != fixed.forecast).any()
    assert (model.reference == fixed.reference).all()  # same targets, another forecast
    set_forecast_method(engine, "stage_weighted_fixed")
    try:
        page = ForecastPage(db_url=backtested_url)
        assert page._rows.forecast.round(2).tolist() == fixed.forecast.round(2).tolist()
        assert t("method_stage_weighted_fixed") in page._help.object
    finally:
        set_forecast_method(engine, "model")
    assert (
        ForecastPage(db_url=backtested_url)._rows.forecast.round(2).tolist()
        == model.forecast.round(2).tolist()
    )
