"""Time-ordered backtest of the forecast model against the methods CRMs use today.

Every method predicts the same thing for each deal open at a monthly snapshot: the chance it is won
by the end of the snapshot's quarter. For each cut-off (the first day of a quarter) each method is
fitted on the snapshots before the cut-off (the model also on the training days between them), with only the outcomes known on that day (a deal won
after the cut-off was still open then), and scored on the snapshots of the quarter that follows,
against what really happened.

Methods (``METHODS``, in ``explain/baselines.py``):

- ``model``: the product's calibrated XGBoost (``explain.model``), retrained per cut-off;
- ``stage_weighted``: the win rate of each stage, fitted from history (amount x stage probability);
- ``stage_weighted_fixed``: SuiteCRM's fixed stage probability table, applied to deals expected to
  close this quarter (what EspoCRM/SuiteCRM show as the weighted pipeline);
- ``naive_bayes``: per-field naive Bayes win probability, the method of Odoo's predictive lead scoring
  (numeric fields cut into quintiles, Laplace smoothing);
- ``stage_week_winrate``: the historical win rate by stage x week of the quarter (Gong's projection).

Metrics (``METRICS``), on all test rows of all cut-offs together:

- ``auc``, ``brier``: the usual; ``ece``: expected calibration error over ten equal-width bins;
- ``wape``: of the bookings forecast per top-level region x quarter made at mid-quarter (the snapshot
  of the quarter's second month): won so far + sum of amount x probability, against the quarter's
  actual bookings; sum |forecast - actual| / sum actual;
- ``conversion_error``: the funnel's stage-to-stage conversion rates implied by the probabilities
  (P(win | stage k) / P(win | stage k+1)) against the same ratio of actual rates, mean absolute
  difference weighted by deals at stage k (None where the data has a single stage);
- ``bookings_error``: signed error of the summed mid-quarter forecast against actual bookings.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, roc_auc_score
from sqlalchemy import Engine

from data_access.history import load_deal_history
from data_access.scorecard import save_backtest
from explain.baselines import BUILDERS, METHODS, TARGET
from explain.features import History, feature_names, quarter_end_day, with_labels, won_between
from explain.scoring import between_snapshots, feature_table

METRICS = ("auc", "brier", "ece", "wape", "conversion_error", "bookings_error")


def _day(ts: pd.Timestamp) -> int:
    return int((pd.Timestamp(ts) - pd.Timestamp("1970-01-01")).days)


# -- metrics ---------------------------------------------------------------------------------------
def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    which = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in np.unique(which):
        m = which == b
        total += m.sum() * abs(p[m].mean() - y[m].mean())
    return float(total / len(y))


def conversion_error(stage: np.ndarray, y: np.ndarray, p: np.ndarray) -> float | None:
    frame = (
        pd.DataFrame({"stage": stage, "y": y, "p": p})
        .groupby("stage")
        .agg(n=("y", "size"), actual=("y", "mean"), predicted=("p", "mean"))
    )
    errors, weights = [], []
    for k in frame.index:
        if k + 1 not in frame.index or frame.actual[k + 1] <= 0 or frame.predicted[k + 1] <= 0:
            continue
        actual = frame.actual[k] / frame.actual[k + 1]
        predicted = frame.predicted[k] / frame.predicted[k + 1]
        errors.append(abs(predicted - actual))
        weights.append(frame.n[k])
    return float(np.average(errors, weights=weights)) if errors else None


def wape(cells: pd.DataFrame) -> float | None:
    actual = cells.actual.sum()
    return float((cells.forecast - cells.actual).abs().sum() / actual) if actual > 0 else None


def score(rows: pd.DataFrame, p: np.ndarray, cells: pd.DataFrame) -> dict[str, float | None]:
    """Every metric of one method: ``rows`` are test deals with labels, ``cells`` its bookings forecast."""
    y = rows[TARGET].to_numpy(int)
    both = len(np.unique(y)) == 2
    actual = cells.actual.sum()
    return {
        "auc": float(roc_auc_score(y, p)) if both else None,
        "brier": float(brier_score_loss(y, p)),
        "ece": expected_calibration_error(y, p),
        "wape": wape(cells),
        "conversion_error": conversion_error(rows.stage_index.to_numpy(int), y, p),
        "bookings_error": float(cells.forecast.sum() / actual - 1) if actual > 0 else None,
    }


# -- the run ---------------------------------------------------------------------------------------
def choose_cutoffs(history: History, dates: list[pd.Timestamp], count: int) -> list[pd.Timestamp]:
    """The last ``count`` quarter starts whose quarter is over, with a whole labelled quarter before them."""
    first = pd.Timestamp(dates[0]).to_period("Q").end_time.normalize() + pd.Timedelta(days=1)
    starts = pd.date_range(first + pd.offsets.QuarterBegin(0), dates[-1], freq="QS")
    done = [d for d in starts if quarter_end_day(_day(d)) <= history.as_of and d > first]
    return done[-count:]


def _mid_quarter_cells(history: History, test: pd.DataFrame, p: np.ndarray, level: str) -> pd.DataFrame:
    """Forecast vs actual bookings per ``level`` (region_id or team_id) x quarter, made at mid-quarter."""
    out = []
    for date, idx in test.groupby("snapshot_date").indices.items():
        date = pd.Timestamp(date)
        if date.month % 3 != 2:
            continue
        s = _day(date)
        q_start, q_end = _day(date.to_period("Q").start_time), quarter_end_day(s)
        rows = test.iloc[idx]
        open_part = pd.Series(rows.amount.to_numpy() * p[idx]).groupby(rows[level].to_numpy()).sum()
        so_far = won_between(history, q_start, s - 1).groupby(level).won_amount.sum()
        actual = won_between(history, q_start, q_end).groupby(level).won_amount.sum()
        cells = pd.DataFrame({"open": open_part, "so_far": so_far, "actual": actual}).fillna(0.0)
        out.append(cells.assign(forecast=cells.open + cells.so_far, quarter=str(date.to_period("Q"))))
    cols = ["forecast", "actual", "quarter"]
    return pd.concat(out).rename_axis(level).reset_index() if out else pd.DataFrame(columns=[level, *cols])


def backtest(
    history: History,
    dates: list[pd.Timestamp],
    rows: list[pd.DataFrame],
    features: list[str],
    cutoffs: int = 4,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict:
    """Fit every method per cut-off and score it on the next quarter. Returns the JSON-ready result."""
    say = progress or (lambda _msg, _i, _n: None)
    chosen = choose_cutoffs(history, dates, cutoffs)
    if not chosen:
        raise ValueError("the history is too short to backtest: it needs two finished quarters of snapshots")
    by_date = dict(zip(map(pd.Timestamp, dates), rows, strict=True))
    extra = {pd.Timestamp(f.snapshot_date.iloc[0]): f for f in between_snapshots(history, dates) if len(f)}
    per_cutoff, tests, predictions = [], [], {m: [] for m in METHODS}
    for i, cut in enumerate(chosen):
        say(f"backtest {cut.date()}", i, len(chosen))
        train = pd.concat(
            [
                with_labels(history, f, _day(d), known_at=_day(cut))
                for d, f in (*by_date.items(), *extra.items())
                if d < cut
            ]
        )
        train = train[train[TARGET].notna()]
        test_end = cut + pd.offsets.QuarterBegin(1, startingMonth=1)
        test = pd.concat([f for d, f in by_date.items() if cut <= d < test_end])
        test = test[test[TARGET].notna()].reset_index(drop=True)
        entry = {
            "cutoff": str(cut.date()),
            "quarter": str(cut.to_period("Q")),
            "train_rows": len(train),
            "test_rows": len(test),
            "methods": {},
        }
        monthly = train[train.snapshot_date.isin(by_date)]  # the baselines learn from stored snapshots
        for name in METHODS:
            p = BUILDERS[name]().fit(train if name == "model" else monthly, features).predict(test)
            predictions[name].append(p)
            cells = _mid_quarter_cells(history, test, p, "region_id")
            entry["methods"][name] = score(test, p, cells)
        per_cutoff.append(entry)
        tests.append(test)
    say("scoring", len(chosen), len(chosen))
    test = pd.concat(tests, ignore_index=True)
    # Snapshots in different cut-offs' test windows never repeat, so pooled rows keep their dates.
    methods, teams = {}, {}
    for name in METHODS:
        p = np.concatenate(predictions[name])
        methods[name] = score(test, p, _mid_quarter_cells(history, test, p, "region_id"))
        team_cells = _mid_quarter_cells(history, test, p, "team_id")
        for team, part in test.groupby("team_id").indices.items():
            y = test[TARGET].to_numpy(int)[part]
            teams.setdefault(str(int(team)), {})[name] = {
                "auc": float(roc_auc_score(y, p[part])) if len(np.unique(y)) == 2 else None,
                "wape": wape(team_cells[team_cells.team_id == team]),
            }
    return {"methods": methods, "cutoffs": per_cutoff, "teams": teams}


def run_backtest(
    engine: Engine, cutoffs: int = 4, progress: Callable[[str, int, int], None] | None = None
) -> dict:
    """Backtest the database's history, store the result for the scorecard page, and return it."""
    say = progress or (lambda _msg, _i, _n: None)
    say("loading history", 0, 1)
    history, dates, rows = feature_table(load_deal_history(engine), say)
    result = backtest(history, dates, rows, feature_names(history), cutoffs=cutoffs, progress=say)
    save_backtest(engine, result, datetime.now(UTC).replace(tzinfo=None))
    return result
