"""Models and explanations: no leakage from the future, calibrated, saved and loaded, additive, in words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data_access.engine import get_engine
from data_access.history import load_deal_history
from data_access.model_store import load_model_payload
from explain.features import FEATURES, build_history, snapshot_features
from explain.labels import cell_label, deal_label
from explain.model import ForecastModel
from explain.scoring import FORECAST_TARGET

SNAPSHOT = pd.Timestamp("2025-11-01")


@pytest.fixture(scope="module")
def frames(small_db_url: str) -> dict[str, pd.DataFrame]:
    return load_deal_history(get_engine(small_db_url))


def _cut(frames: dict[str, pd.DataFrame], day: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """The history as it was recorded on ``day``: later rows gone, later outcomes still open."""
    deals = frames["deals"][frames["deals"].created_date < day].copy()
    later = deals.closed_date >= day
    deals.loc[later, ["closed_date", "outcome"]] = [pd.NaT, None]
    return {
        "deals": deals,
        "stages": frames["stages"][frames["stages"].entered_date < day],
        "owners": frames["owners"][frames["owners"].start_date < day],
        "reps": frames["reps"],
        "activities": frames["activities"][frames["activities"].activity_date < day],
        "annotations": frames["annotations"][frames["annotations"].annotated_date < day],
    }


def test_features_at_a_snapshot_ignore_everything_recorded_later(frames) -> None:
    full = snapshot_features(build_history(frames), SNAPSHOT).set_index("deal_id")
    then = snapshot_features(build_history(_cut(frames, SNAPSHOT)), SNAPSHOT).set_index("deal_id")
    assert len(full) > 100
    assert sorted(full.index) == sorted(then.index)  # the same deals were open
    columns = [f for f in FEATURES if f not in ("tier", "product_line")]
    pd.testing.assert_frame_equal(full.loc[then.index, columns], then[columns], check_dtype=False)


def test_model_is_calibrated_saved_and_loaded(small_db_url: str) -> None:
    payload, metrics = load_model_payload(get_engine(small_db_url))
    model = ForecastModel.from_json(payload)
    assert set(metrics) == {"won_in_quarter", "won"}
    assert metrics[FORECAST_TARGET]["auc"] > 0.75
    frames = load_deal_history(get_engine(small_db_url))
    rows = pd.concat(
        [
            snapshot_features(build_history(frames), d).assign(snapshot_date=d)
            for d in pd.date_range("2025-01-01", "2026-06-01", freq="MS")
        ]
    )
    known = rows[rows[FORECAST_TARGET].notna()]
    p = model.predict(known, FORECAST_TARGET)
    assert model.to_json() == ForecastModel.from_json(model.to_json()).to_json()
    # Calibration: in each probability decile, the predicted mean is close to the observed rate.
    bins = pd.qcut(p, 10, duplicates="drop")
    table = pd.DataFrame({"p": p, "y": known[FORECAST_TARGET].to_numpy()}).groupby(bins, observed=True).mean()
    assert (table.p - table.y).abs().mean() < 0.08


def test_contributions_add_up_to_the_probability(small_db_url: str, frames) -> None:
    payload, _ = load_model_payload(get_engine(small_db_url))
    model = ForecastModel.from_json(payload)
    rows = snapshot_features(build_history(frames), SNAPSHOT)
    p, contributions, base = model.explain(rows, FORECAST_TARGET)
    assert contributions.shape == (len(rows), len(FEATURES))
    head = model.heads[FORECAST_TARGET]
    bias = head.booster.predict(model.matrix(rows), pred_contribs=True)[:, -1]
    np.testing.assert_allclose(
        contributions.sum(axis=1), p - head.calibrate(bias), atol=1e-6
    )  # float32 trees
    assert 0 < base < 1


def test_driver_labels_are_plain_words_in_both_languages() -> None:
    assert cell_label("decision_days", 17.2, "en") == "decision cycle lengthened +17 days"
    assert cell_label("decision_days", 17.2, "zh") == "决策周期延长17天"
    assert cell_label("decision_days", -5, "en") == "decision cycle shortened 5 days"
    assert cell_label("competitor_quote", 0.3, "en") == "competitor quotes on more deals (+30 pts)"
    assert cell_label("imported_column_x", 2.0, "en") == "imported column x higher"
    assert deal_label("decision_days", 48.0, None, "en") == "in decision for 48 days"
    assert deal_label("domestic_clause", 1.0, None, "zh") == "招标含国产品牌条款"
    assert deal_label("tier", None, "tier3", "en") == "customer tier: tier3"


def test_small_driver_differences_keep_a_digit_instead_of_reading_zero() -> None:
    assert cell_label("exec_sponsor_met", -0.003, "en") == "executive sponsor met on fewer deals (−0.3 pts)"
    assert cell_label("decision_days", 0.4, "en") == "decision cycle lengthened +0.4 days"
    assert cell_label("exec_sponsor_met", 0.0002, "en") == "executive sponsor met on more deals (+<0.1 pts)"
