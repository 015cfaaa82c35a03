"""What-if: only actionable levers within their ranges, several at once, read-only, checked against truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from data_access import forecast as fc
from data_access import schema
from data_access.engine import get_engine
from data_access.scope import FULL_ACCESS
from explain.whatif import LEVERS, WhatIfError, available_levers, check_changes, load_model, what_if
from pages.forecast import ForecastPage
from pages.state import CockpitState
from sample_data import sample_parameters
from sample_data.simulator import intervention_truth
from tests.test_cli import assert_one_error, run_cli

QUARTER = "2026Q2"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stage_index": 3}, "stage_index is not something a team can change"),
        ({"weather": 1}, "weather is not a feature"),
        ({"discount_pct": 55}, "discount_pct = 55 is outside its feasible range 0 to 40"),
        ({"decision_earlier_days": -7}, "outside its feasible range 0 to 60"),
        ({"discount_pct": 8.3}, "not a multiple of its step 0.5"),
        ({"exec_sponsor_met": 0.5}, "not a multiple of its step 1"),
        ({}, "choose at least one lever"),
    ],
)
def test_what_cannot_be_changed_is_refused(changes: dict, message: str) -> None:
    with pytest.raises(WhatIfError, match=message):
        check_changes(changes, ["stage_index", "discount_pct"])


def _fingerprint(url: str) -> dict:
    engine = get_engine(url)
    with engine.connect() as conn:
        counts = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in schema.metadata.sorted_tables
        }
        expected = conn.execute(select(func.sum(schema.forecast_snapshots.c.expected_amount))).scalar_one()
        payload = conn.execute(select(schema.models.c.payload)).scalar_one()
    return {"counts": counts, "expected": expected, "payload": bytes(payload)}


def test_several_levers_at_once_roll_up_to_the_team_and_nothing_is_written(small_db_url: str) -> None:
    before = _fingerprint(small_db_url)
    engine = get_engine(small_db_url)
    snapshot = fc.snapshot_for(engine, QUARTER, 2)
    rows = fc.deal_features(engine, FULL_ACCESS, snapshot, cell=fc.Cell("team", 4, QUARTER, 2))
    changes = {"discount_pct": 10.0, "decision_earlier_days": 14.0, "demo_done": 1.0}
    result = what_if(load_model(engine), rows, changes)
    deals = result.deals
    assert len(deals) == len(rows) > 0
    assert deals.reached_discount_pct.sum() == rows.discount_pct.notna().sum()  # only quoted deals
    assert deals.reached_decision_earlier_days.all() and deals.reached_demo_done.all()
    moved = result.changed
    assert (moved.discount_pct.dropna() == 10.0).all()
    assert (moved.days_left_in_quarter == rows.days_left_in_quarter + 14).all()
    change = result.expected_after - result.expected_before
    assert change == pytest.approx(float((deals.amount * (deals.p_after - deals.p_before)).sum()))
    assert float(result.shap_change.sum()) == pytest.approx(change, rel=1e-6, abs=1.0)  # SHAP adds up
    assert set(result.moved_features(rows)) >= {"discount_pct", "days_left_in_quarter", "demo_done"}
    assert _fingerprint(small_db_url) == before


def test_simulator_truth_responds_only_to_levers_with_a_cause(small_db_url: str) -> None:
    engine = get_engine(small_db_url)
    params = sample_parameters(engine)
    assert params == (3000, 7)
    snapshot = fc.snapshot_for(engine, QUARTER, 2)
    rows = fc.deal_features(engine, FULL_ACCESS, snapshot, cell=fc.Cell("region", 2, QUARTER, 2))
    ids = rows.deal_id.to_numpy()
    same_before, same_after = intervention_truth(*params, ids, snapshot)  # a demo, a meeting: no hook
    assert np.array_equal(same_before, same_after)
    early_before, early_after = intervention_truth(*params, ids, snapshot, decision_earlier=(ids, 21))
    assert early_after.mean() > early_before.mean()  # closing sooner lands more wins in the quarter
    assert ((early_before >= 0) & (early_before <= 1) & (early_after >= 0) & (early_after <= 1)).all()
    quoted = rows.deal_id[rows.discount_pct.notna()].to_numpy()
    deep_before, deep_after = intervention_truth(*params, ids, snapshot, discount=(quoted, 35.0))
    assert deep_after.mean() <= deep_before.mean()


def test_cli_whatif_reports_the_model_and_the_truth(small_db_url: str, tmp_path) -> None:
    get_engine(small_db_url).dispose()  # the CLI process opens the file next
    ok = run_cli(
        "whatif",
        "--db",
        small_db_url,
        "--team",
        "4",
        "--quarter",
        QUARTER,
        "--set",
        "decision_earlier_days=14",
        home=tmp_path,
    )
    assert ok.returncode == 0, ok.stderr
    assert "pp, expected bookings" in ok.stdout and "simulator truth" in ok.stdout
    bad = run_cli(
        "whatif",
        "--db",
        small_db_url,
        "--team",
        "4",
        "--quarter",
        QUARTER,
        "--set",
        "stage_index=2",
        home=tmp_path,
    )
    assert "not something a team can change" in assert_one_error(bad)


def test_forecast_page_runs_a_what_if_on_the_selected_cell(small_db_url: str) -> None:
    page = ForecastPage(state=CockpitState(db_url=small_db_url))
    page._taps[0].event(x=QUARTER, y=page._rows[page._rows.key == 2].name_en.iloc[0])
    assert page._wi_run.visible and "What if" in page._wi_title.object
    page._wi_run.clicks += 1  # nothing chosen yet
    assert "choose at least one lever" in page._wi_result.object
    page._wi_earlier.value = 14
    page._wi_exec.value = "1"
    page._wi_run.clicks += 1
    text = page._wi_result.object
    assert "Chance to close won this quarter" in text and "more time left in the quarter (+14 days)" in text
    page.state.lang = "zh"
    page._wi_run.clicks += 1
    assert "本季度赢单概率" in page._wi_result.object


def test_forecast_page_says_why_an_out_of_range_discount_is_refused(small_db_url: str) -> None:
    page = ForecastPage(state=CockpitState(db_url=small_db_url))
    page._taps[0].event(x=QUARTER, y=page._rows[page._rows.key == 2].name_en.iloc[0])
    page._wi_discount.value = 250.0  # typed by the user: the page must not clamp it silently
    page._wi_run.clicks += 1
    assert "outside its feasible range 0 to 40" in page._wi_result.object


def test_only_levers_the_data_records_are_offered(small_db_url: str, maven_db_url: str) -> None:
    assert available_levers(load_model(get_engine(small_db_url))) == list(LEVERS)
    # The Maven export has no quotes, meetings or demos: only the timing of the decision can move.
    maven = load_model(get_engine(maven_db_url))
    assert available_levers(maven) == ["decision_earlier_days"]
    page = ForecastPage(state=CockpitState(db_url=maven_db_url))
    page._taps[0].event(x=page._rows.quarter.iloc[-1], y=page._rows.name_en.iloc[0])
    assert page._wi_earlier.visible and page._wi_run.visible
    assert not (page._wi_discount.visible or page._wi_exec.visible or page._wi_demo.visible)
    rows = pd.DataFrame({"deal_id": [1], "amount": [100.0], **{f: [0.0] for f in maven.features}})
    with pytest.raises(WhatIfError, match="demo_done: this data never records demo_done"):
        what_if(maven, rows, {"demo_done": 1.0})
