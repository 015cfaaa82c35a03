"""ForecastPage as a component (no browser): taps drill the state, the panes follow, links are checked."""

from __future__ import annotations

import pytest

from pages.forecast import ForecastPage
from pages.state import CockpitState

SUZHOU = 2
SUZHOU_TIER3 = 4
QUARTER = "2026Q2"


@pytest.fixture
def forecast(story_db_url: str) -> ForecastPage:
    return ForecastPage(state=CockpitState(db_url=story_db_url))


def _drill_to_suzhou(forecast: ForecastPage) -> None:
    forecast._taps[0].event(x=QUARTER, y="Suzhou")


def test_forecast_page_region_tap_drills_into_the_regions_teams(forecast: ForecastPage) -> None:
    assert forecast.state.level == "region"
    assert "Suzhou" in set(forecast._rows.name_en)

    _drill_to_suzhou(forecast)

    assert forecast.state.region == SUZHOU
    assert forecast.state.quarter == QUARTER
    assert forecast.state.level == "team"
    names = set(forecast._rows.name_en)
    assert names and all(name.startswith("Suzhou") for name in names), names
    assert "Suzhou Tier-3 Hospitals" in names
    assert forecast._drivers_text.object.strip()
    assert forecast._drivers_text.object.startswith("1. ")
    # The numbered list reads in the chart's order, largest first (bars are drawn smallest first).
    listed = [
        line.split(". ", 1)[1].rsplit(": ", 1)[0] for line in forecast._drivers_text.object.splitlines()
    ]
    assert listed == list(reversed(forecast._drivers_chart.object.dimension_values("label")))
    assert "Suzhou" in forecast._summary.object
    assert forecast._summary.object.startswith("### Suzhou, 2026Q2")


def test_forecast_page_team_and_rep_taps_reach_the_deals_and_a_deal_tap_shows_its_waterfall(
    forecast: ForecastPage,
) -> None:
    _drill_to_suzhou(forecast)
    forecast._taps[0].event(x=QUARTER, y="Suzhou Tier-3 Hospitals")
    assert forecast.state.team == SUZHOU_TIER3
    assert forecast.state.level == "rep"
    assert "decision cycle" in forecast._drivers_text.object
    assert not forecast._deal_column.visible

    rep_name = forecast._rows.name_en.iloc[0]
    forecast._taps[0].event(x=QUARTER, y=rep_name)
    assert forecast.state.rep is not None
    assert forecast.state.level == "deal"
    assert forecast._deal_column.visible
    assert not forecast._deals.empty
    assert not forecast._waterfall.visible

    label = forecast._deals.label.iloc[0]
    forecast._taps[-1].event(y=label)
    assert forecast.state.deal == int(forecast._deals.deal_id.iloc[0])
    assert forecast._waterfall.visible
    assert forecast._deal_summary.object.strip()


def test_forecast_page_up_to_top_returns_to_region_level(forecast: ForecastPage) -> None:
    _drill_to_suzhou(forecast)
    forecast.state.up_to(None)
    assert forecast.state.level == "region"
    assert forecast.state.region is None
    assert {"Shanghai", "Suzhou"} <= set(forecast._rows.name_en)
    assert len(forecast._crumbs.objects) == 1


def test_forecast_page_tap_outside_the_cells_changes_nothing(forecast: ForecastPage) -> None:
    forecast._taps[0].event(x=QUARTER, y="Atlantis")
    assert forecast.state.level == "region"
    assert forecast.state.quarter is None


def test_forecast_page_chinese_shows_chinese_names(forecast: ForecastPage) -> None:
    forecast.state.lang = "zh"
    assert "苏州" in set(forecast._rows.name_zh)
    forecast._taps[0].event(x=QUARTER, y="苏州")
    assert forecast.state.region == SUZHOU
    assert "苏州" in forecast._summary.object


def test_forecast_page_apply_url_reports_malformed_values_and_drills_nowhere(forecast: ForecastPage) -> None:
    problems = forecast.apply_url({"region": "abc", "month": "9", "quarter": QUARTER})
    assert len(problems) == 2
    assert any("region" in p and "abc" in p for p in problems)
    assert any("month" in p and "9" in p for p in problems)
    assert forecast.state.region is None
    assert forecast.state.month == CockpitState.param.month.default


@pytest.mark.parametrize("level", ["region", "team", "rep"])
def test_forecast_page_apply_url_reports_an_unknown_id(forecast: ForecastPage, level: str) -> None:
    problems = forecast.apply_url({level: "99999", "quarter": QUARTER})
    assert len(problems) == 1
    assert f"{level}=99999" in problems[0]
    assert forecast.state.team is None
    assert forecast.state.region is None
    assert forecast.state.level == "region"


def test_forecast_page_apply_url_derives_the_region_from_the_team(forecast: ForecastPage) -> None:
    problems = forecast.apply_url({"quarter": QUARTER, "team": str(SUZHOU_TIER3)})
    assert problems == []
    assert forecast.state.team == SUZHOU_TIER3
    assert forecast.state.region == SUZHOU
    assert forecast.state.level == "rep"
    assert set(forecast._rows.name_en) and forecast._rows.name_en.notna().all()
    assert "Suzhou Tier-3 Hospitals" in forecast._summary.object


def test_forecast_page_going_back_up_from_a_deal_hides_the_deal_panels(forecast: ForecastPage) -> None:
    assert not forecast._drivers_box.visible  # no empty chart frame before a cell is chosen
    forecast.apply_url({"quarter": QUARTER, "team": str(SUZHOU_TIER3)})
    assert forecast._drivers_box.visible
    forecast._taps[0].event(x=QUARTER, y=forecast._rows.name_en.iloc[0])
    forecast._taps[-1].event(y=forecast._deals.label.iloc[0])
    assert forecast._waterfall.visible and forecast._deal_column.visible

    forecast.state.up_to(None)
    assert not forecast._deal_column.visible and not forecast._waterfall.visible
    assert not forecast._drivers_box.visible and not forecast._changes.visible
    assert forecast._wi_title.object == "" and not forecast._wi_run.visible


def test_forecast_page_speaks_the_imported_currency(maven_db_url: str) -> None:
    page = ForecastPage(state=CockpitState(db_url=maven_db_url))
    page._taps[0].event(x=page._rows.quarter.iloc[-1], y=page._rows.name_en.iloc[0])
    assert "$" in page._summary.object and "¥" not in page._summary.object
    assert "(USD)" in page._drivers_help.object
    page.state.lang = "zh"
    assert "美元" in page._summary.object and "元" not in page._summary.object.replace("美元", "")


def test_forecast_page_speaks_yuan_on_the_sample(forecast: ForecastPage) -> None:
    _drill_to_suzhou(forecast)
    assert "¥" in forecast._summary.object and "(CNY)" in forecast._drivers_help.object
