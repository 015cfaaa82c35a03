"""The "what changed" waterfall: buckets add up exactly from the start bar to the end bar."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data_access import forecast as fc
from data_access.engine import get_engine
from data_access.scope import FULL_ACCESS
from explain.changes import change_buckets, what_changed
from pages.forecast import ForecastPage
from pages.state import CockpitState


def _forecast(engine, level: str, key: int, quarter: str, month: int, parent: dict) -> float:
    frame = fc.deviation_by_cell(
        engine,
        FULL_ACCESS,
        level,
        region_id=parent.get("region_id"),
        team_id=parent.get("team_id"),
        month=month,
    )
    return float(frame[(frame.key == key) & (frame.quarter == quarter)].forecast.iloc[0])


@pytest.mark.parametrize(
    ("level", "key", "months"), [("region", 2, (1, 3)), ("team", 4, (1, 2)), ("rep", 20, (2, 3))]
)
def test_buckets_add_up_from_start_to_end(small_db_url: str, level: str, key: int, months: tuple) -> None:
    engine = get_engine(small_db_url)
    quarter = "2026Q2"
    start, end = (fc.snapshot_for(engine, quarter, m) for m in months)
    deals = fc.deal_changes(engine, FULL_ACCESS, fc.Cell(level, key, quarter, months[1]), start, end)
    ids = deals.deal_id.tolist()
    total_a, buckets, total_b, parts = what_changed(
        deals, fc.deal_shap(engine, FULL_ACCESS, ids, start), fc.deal_shap(engine, FULL_ACCESS, ids, end)
    )
    assert total_a + buckets.change.sum() == pytest.approx(total_b, abs=1e-6)
    # The bars are the heatmap's numbers for the same cell.
    parent = {} if level == "region" else fc.hierarchy_of(engine, FULL_ACCESS, level, key)
    parent = {k: v for k, v in parent.items() if (level == "team" and k == "region_id") or level == "rep"}
    assert total_a == pytest.approx(_forecast(engine, level, key, quarter, months[0], parent), rel=1e-9)
    assert total_b == pytest.approx(_forecast(engine, level, key, quarter, months[1], parent), rel=1e-9)
    assert {"won", "lost", "new"} <= set(buckets.bucket)
    assert (buckets.deals > 0).all()
    assert buckets.driver.str.len().gt(0).any()


def test_each_deal_lands_in_the_right_bucket() -> None:
    deals = pd.DataFrame(
        {
            "deal_id": [1, 2, 3, 4, 5, 6],
            "outcome": ["won", "lost", None, None, None, "won"],
            "open_a": [True, True, False, True, True, False],
            "open_b": [False, False, True, True, True, False],
            "amount_a": [100.0, 50.0, np.nan, 80.0, 80.0, np.nan],
            "amount_b": [np.nan, np.nan, 30.0, 100.0, 80.0, np.nan],
            "p_a": [0.5, 0.4, np.nan, 0.5, 0.6, np.nan],
            "p_b": [np.nan, np.nan, 0.2, 0.4, 0.3, np.nan],
            "start_value": [50.0, 20.0, 0.0, 40.0, 48.0, 0.0],
            "end_value": [100.0, 0.0, 6.0, 40.0, 24.0, 70.0],
        }
    )
    parts = change_buckets(deals)
    by_deal = parts.groupby("deal_id").bucket.apply(set).to_dict()
    assert by_deal[1] == {"won"} and by_deal[2] == {"lost"} and by_deal[3] == {"new"}
    assert by_deal[4] == {"amount_up", "pushed_out"}  # +20 x 0.5 = +10 amount, the rest -10 odds
    assert by_deal[5] == {"pushed_out"} and by_deal[6] == {"won"}  # 6: created and won in between
    assert parts.change.sum() == pytest.approx((deals.end_value - deals.start_value).sum())
    amount = parts[(parts.deal_id == 4) & (parts.bucket == "amount_up")].change.iloc[0]
    assert amount == pytest.approx(10.0)


def test_forecast_page_shows_the_waterfall_and_a_bucket_lists_its_deals(small_db_url: str) -> None:
    page = ForecastPage(state=CockpitState(db_url=small_db_url))
    page._taps[0].event(x="2026Q2", y=page._rows[page._rows.key == 2].name_en.iloc[0])
    assert page._changes.visible
    assert "What changed" in page._changes_title.object
    lost = list(page._buckets.bucket).index("lost")
    change_tap = page._taps[1]
    change_tap.event(x=1.0, y=float(len(page._buckets) - lost))  # the "Lost" bar's row
    assert "Lost:" in page._bucket_deals.object and "<td>#" in page._bucket_deals.object
    listed = page._bucket_deals.object.count("<td>#")
    lost_deals = int(page._buckets.deals.iloc[lost])
    assert listed == min(lost_deals, 15)
    assert (f"the {listed} that moved most are listed" in page._bucket_deals.object) == (lost_deals > listed)
    page._to.value = page._from.value
    assert "earlier than the To" in page._bucket_deals.object and not page._changes.visible
    page._from.value, page._to.value = 3, 1  # backwards would leave the won deals out of the start bar
    assert "earlier than the To" in page._bucket_deals.object and not page._changes.visible


def test_forecast_page_waterfall_runs_from_the_quarter_start_to_the_chosen_snapshot(
    small_db_url: str,
) -> None:
    page = ForecastPage(state=CockpitState(db_url=small_db_url))
    page._taps[0].event(x="2026Q2", y=page._rows[page._rows.key == 2].name_en.iloc[0])
    team = page._rows.name_en.iloc[0]
    page._taps[0].event(x="2026Q2", y=team)  # a second drill must not keep the first cell's choice
    assert (page._from.value, page._to.value) == (1, page.state.month)
    assert page._changes.visible and page._bucket_deals.object == ""

    page._from.value = 2  # the user's own choice stays while only the language changes
    page.state.lang = "zh"
    assert (page._from.value, page._to.value) == (2, page.state.month)
    page.state.month = 2
    assert (page._from.value, page._to.value) == (1, 2)
