"""Backtest: time-ordered, every method and metric reported, the model checked against the baselines."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data_access.engine import get_engine
from data_access.history import load_deal_history
from data_access.scorecard import latest_backtest
from explain.backtest import METRICS, conversion_error, expected_calibration_error, run_backtest
from explain.baselines import METHODS, NaiveBayes, StageWeekWinRate
from explain.features import build_history, snapshot_features
from tests.test_cli import assert_one_error, run_cli


@pytest.fixture(scope="module")
def story_backtest(story_db_url: str) -> dict:
    return run_backtest(get_engine(story_db_url))


def test_every_method_and_metric_is_reported(story_backtest: dict) -> None:
    assert set(story_backtest["methods"]) == set(METHODS)
    for metrics in story_backtest["methods"].values():
        assert set(metrics) == set(METRICS)
        assert all(metrics[m] is not None for m in ("auc", "brier", "ece", "wape", "conversion_error"))
    quarters = [c["quarter"] for c in story_backtest["cutoffs"]]
    assert quarters == sorted(quarters) and len(quarters) == 4
    for cut in story_backtest["cutoffs"]:
        assert cut["train_rows"] > 0 and cut["test_rows"] > 0
        assert set(cut["methods"]) == set(METHODS)
    assert story_backtest["teams"], "per-team figures feed the scorecard page"


def test_model_beats_the_stage_weighted_pipeline(story_backtest: dict) -> None:
    model, stage = story_backtest["methods"]["model"], story_backtest["methods"]["stage_weighted"]
    assert model["auc"] > stage["auc"]
    assert model["wape"] < stage["wape"]
    best_baseline_auc = max(m["auc"] for name, m in story_backtest["methods"].items() if name != "model")
    assert model["auc"] > best_baseline_auc


def test_result_is_stored_for_the_scorecard(story_db_url: str, story_backtest: dict) -> None:
    stored = latest_backtest(get_engine(story_db_url))
    assert stored is not None
    assert stored[1]["methods"]["model"]["auc"] == pytest.approx(story_backtest["methods"]["model"]["auc"])


def test_training_sees_only_outcomes_known_at_the_cutoff(small_db_url: str) -> None:
    history = build_history(load_deal_history(get_engine(small_db_url)))
    snapshot = pd.Timestamp("2026-02-01")
    cutoff = pd.Timestamp("2026-04-01")
    day = int((cutoff - pd.Timestamp("1970-01-01")).days)
    now = snapshot_features(history, snapshot)
    then = snapshot_features(history, snapshot, known_at=day)
    closed = pd.Series(history.closed, index=history.deal_ids).reindex(now.deal_id).to_numpy()
    later = closed >= day
    assert later.any() and (~later).any()
    # Won after the cut-off: a known win now, still open at the cut-off.
    assert now.won[later].notna().any()
    assert then.won[later].isna().all()
    # The snapshot's quarter ended before the cut-off, so won-in-quarter is known either way.
    assert then.won_in_quarter.notna().all()
    assert (then.won_in_quarter.to_numpy() == now.won_in_quarter.to_numpy()).all()


def test_unseen_categories_and_missing_fields_are_scored() -> None:
    rng = np.random.default_rng(0)
    train = pd.DataFrame(
        {
            "stage_index": rng.integers(0, 6, 400).astype(float),
            "days_left_in_quarter": rng.integers(0, 91, 400).astype(float),
            "tier": pd.Categorical(rng.choice(["tier2", "tier3"], 400)),
            "won_in_quarter": rng.integers(0, 2, 400).astype(float),
        }
    )
    test = train.head(5).assign(tier=pd.Categorical(["private"] * 5), days_left_in_quarter=np.nan)
    for method in (NaiveBayes(), StageWeekWinRate()):
        p = method.fit(train, ["stage_index", "days_left_in_quarter", "tier"]).predict(test)
        assert np.isfinite(p).all() and ((p > 0) & (p < 1)).all()


def test_calibration_and_conversion_metrics() -> None:
    y = np.array([0, 0, 0, 1] * 25)
    assert expected_calibration_error(y, np.full(100, 0.25)) == pytest.approx(0.0)
    assert expected_calibration_error(y, np.full(100, 0.35)) == pytest.approx(0.10)
    stage = np.repeat([0, 1], 50)
    won = np.r_[np.tile([1, 0, 0, 0, 0], 10), np.tile([1, 0], 25)]  # 20% and 50%: 40% convert 0 -> 1
    assert conversion_error(stage, won, won.astype(float)) == pytest.approx(0.0)
    assert conversion_error(stage, won, np.r_[np.full(50, 0.25), np.full(50, 0.5)]) == pytest.approx(0.1)
    assert conversion_error(np.zeros(10, int), won[:10], np.full(10, 0.3)) is None


def test_cli_writes_the_documented_json(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'bt.duckdb'}"
    assert run_cli("generate", "--deals", "800", "--no-train", "--db", url, home=tmp_path).returncode == 0
    out = tmp_path / "backtest.json"
    result = run_cli("backtest", "--db", url, "--json", str(out), "--cutoffs", "2", home=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert set(data) >= {"methods", "cutoffs"}
    assert set(data["methods"]) == set(METHODS)
    assert len(data["cutoffs"]) == 2
    assert "naive_bayes" in result.stdout and "wape" in result.stdout


def test_cli_backtest_refuses_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'bt.duckdb'}"
    assert run_cli("generate", "--deals", "600", "--no-train", "--db", url, home=tmp_path).returncode == 0
    error = assert_one_error(
        run_cli("backtest", "--db", url, "--json", str(tmp_path / "no" / "x.json"), home=tmp_path)
    )
    assert "does not exist" in error
