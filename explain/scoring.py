"""Train on the database's history, then score and explain every open deal at every snapshot.

Runs outside requests (``cockpit train``, or at the end of ``cockpit generate``); pages only read
what this stores: per-deal forecasts and SHAP contributions, and their roll-ups per rep.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from data_access.history import load_deal_history
from data_access.model_store import ScoredSnapshot, replace_model_outputs
from explain.baselines import BUILDERS, METHODS
from explain.features import (
    History,
    build_history,
    feature_names,
    quarter_label,
    snapshot_features,
    won_between,
)
from explain.model import ForecastModel

FORECAST_TARGET = "won_in_quarter"


def snapshot_dates(first: pd.Timestamp, last: pd.Timestamp) -> list[pd.Timestamp]:
    """Monthly snapshots (first of each month) from ``first`` to ``last``."""
    return list(pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS"))


def feature_table(
    frames: dict[str, pd.DataFrame], say: Callable[[str, int, int], None]
) -> tuple[History, list[pd.Timestamp], list[pd.DataFrame]]:
    """The history index, the monthly snapshot dates, and each snapshot's open deals with features."""
    if frames["deals"].empty:
        raise ValueError("the database has no deals to train on")
    history = build_history(frames)
    created = pd.to_datetime(frames["deals"].created_date)
    first = created.min() + pd.DateOffset(months=4)  # let the pipeline fill before the first snapshot
    last = pd.Timestamp("1970-01-01") + pd.Timedelta(days=history.as_of)
    dates = snapshot_dates(first, last)
    if len(dates) < 3:
        raise ValueError("the history is too short to train on: it needs at least seven months of deals")
    rows = []
    for i, d in enumerate(dates):
        say("computing features", i, len(dates))
        rows.append(snapshot_features(history, d).assign(snapshot_date=d))
    return history, dates, rows


TRAINING_DAY_OFFSETS = (7, 15, 22)  # days after each monthly snapshot the models also learn from


def between_snapshots(
    history: History, dates: list[pd.Timestamp], say: Callable[[str, int, int], None] | None = None
) -> list[pd.DataFrame]:
    """Training rows between the stored monthly snapshots.

    Monthly snapshots show the models only three points of each quarter, too few to learn how the time
    left changes a deal's chance to close this quarter (which a timing what-if asks); the extra days fix
    that. They are used for training only, never stored.
    """
    out = []
    days = [d + pd.Timedelta(days=k) for d in dates for k in TRAINING_DAY_OFFSETS]
    for i, d in enumerate(days):
        day_number = int((d - pd.Timestamp("1970-01-01")).days)
        if day_number < history.as_of:
            if say is not None:
                say("computing training features", i, len(days))
            rows = snapshot_features(history, d)
            # Each extra day keeps a fixed share of the deals, so training costs twice the monthly
            # rows, not four times, while still seeing every week of the quarter.
            keep = (rows.deal_id.to_numpy() * 2654435761 + day_number) % len(TRAINING_DAY_OFFSETS) == 0
            out.append(rows[keep].assign(snapshot_date=d))
    return out


def train_and_score(engine: Engine, progress: Callable[[str, int, int], None] | None = None) -> dict:
    """Train the models and replace every stored forecast and explanation. Returns the model metrics."""
    say = progress or (lambda _msg, _i, _n: None)
    say("loading history", 0, 1)
    history, dates, rows = feature_table(load_deal_history(engine), say)
    table = pd.concat(rows + between_snapshots(history, dates, say), ignore_index=True)
    say("training", 0, 1)
    features = feature_names(history)
    model = ForecastModel.train(table, features)
    say("fitting baselines", 0, 1)
    monthly = table[table.snapshot_date.isin(dates)]  # the baselines use the stored snapshots, as CRMs do
    known = monthly[monthly[FORECAST_TARGET].notna()]
    baselines = {m: BUILDERS[m]().fit(known, features) for m in METHODS if m != "model"}
    del table, monthly, known

    def scored() -> Iterator[ScoredSnapshot]:
        for i, (d, frame) in enumerate(zip(dates, rows, strict=True)):
            say("scoring and explaining", i, len(dates))
            yield score_snapshot(model, d, frame, history, baselines)

    replace_model_outputs(
        engine, model.to_json(), model.metrics, datetime.now(UTC).replace(tzinfo=None), scored()
    )
    return model.metrics


def score_snapshot(
    model: ForecastModel,
    date: pd.Timestamp,
    frame: pd.DataFrame,
    history: History,
    baselines: dict | None = None,
) -> ScoredSnapshot:
    """Forecast, SHAP and roll-ups of one snapshot's open deals (and the baselines' expected amounts)."""
    quarter = quarter_label(int((date - pd.Timestamp("1970-01-01")).days))
    p_quarter, contrib, _ = model.explain(frame, FORECAST_TARGET)
    # An export that records no lost deals (a lead funnel) cannot teach "won at all": use the quarter's.
    p_win = model.predict(frame, "won") if "won" in model.heads else p_quarter
    deals = pd.DataFrame(
        {
            "snapshot_date": date,
            "opportunity_id": frame.deal_id.to_numpy(),
            "region_id": frame.region_id.to_numpy(),
            "team_id": frame.team_id.to_numpy(),
            "rep_id": frame.rep_id.to_numpy(),
            "quarter": quarter,
            "amount": frame.amount.to_numpy(),
            "win_probability": p_win,
            "close_in_quarter_probability": p_quarter,
            "expected_amount": frame.amount.to_numpy() * p_quarter,
        }
    )
    n, k = contrib.shape
    features = np.array(model.features)
    values = np.column_stack(
        [
            frame[f].to_numpy(float) if f not in model.categories else np.full(n, np.nan)
            for f in model.features
        ]
    )
    texts = np.column_stack(
        [
            frame[f].astype(object).to_numpy() if f in model.categories else np.full(n, None)
            for f in model.features
        ]
    )
    shap = pd.DataFrame(
        {
            "snapshot_date": date,
            "opportunity_id": np.repeat(deals.opportunity_id.to_numpy(), k),
            "rep_id": np.repeat(deals.rep_id.to_numpy(), k),
            "feature": pd.Categorical(np.tile(features, n)),
            "feature_value": values.ravel(),
            "feature_text": texts.ravel(),
            "contribution": contrib.ravel(),
        }
    )
    keys = ["region_id", "team_id", "rep_id"]
    open_part = deals.groupby(keys).agg(
        open_deals=("amount", "size"),
        open_amount=("amount", "sum"),
        expected_amount=("expected_amount", "sum"),
    )
    won_part = _won_in_quarter_before(date, history)
    rollup = open_part.join(won_part, how="outer").fillna(0.0).reset_index()
    rollup = rollup.assign(snapshot_date=date, quarter=quarter, open_deals=rollup.open_deals.astype(int))
    weighted = contrib * deals.amount.to_numpy()[:, None]
    drivers = pd.DataFrame(
        {
            "region_id": np.repeat(deals.region_id.to_numpy(), k),
            "team_id": np.repeat(deals.team_id.to_numpy(), k),
            "rep_id": np.repeat(deals.rep_id.to_numpy(), k),
            "feature": np.tile(features, n),
            "stage_index": np.repeat(frame.stage_index.to_numpy().astype(int), k),
            "contribution": weighted.ravel(),
            "amount": np.repeat(deals.amount.to_numpy(), k),
            "value_sum": np.nan_to_num(values.ravel()),
            "value_count": (~np.isnan(values.ravel())).astype(int),
        }
    )
    drivers = (
        drivers.groupby(keys + ["feature", "stage_index"], as_index=False)
        .sum()
        .assign(snapshot_date=date, quarter=quarter)
    )
    methods = [
        deals[keys]
        .assign(expected_amount=deals.amount.to_numpy() * baseline.predict(frame))
        .groupby(keys, as_index=False)
        .expected_amount.sum()
        .assign(method=name)
        for name, baseline in (baselines or {}).items()
    ]
    return ScoredSnapshot(
        date=date.date(),
        quarter=quarter,
        month_of_quarter=(date.month - 1) % 3 + 1,
        deals=deals,
        shap=shap,
        rollup=rollup,
        drivers=drivers,
        methods=pd.concat(methods, ignore_index=True).assign(snapshot_date=date, quarter=quarter)
        if methods
        else pd.DataFrame(),
    )


def _won_in_quarter_before(date: pd.Timestamp, h: History) -> pd.DataFrame:
    """Won amount per rep in the snapshot's quarter before the snapshot (credited to the last owner)."""
    s = int((date - pd.Timestamp("1970-01-01")).days)
    q_start = int((date.to_period("Q").start_time - pd.Timestamp("1970-01-01")).days)
    return won_between(h, q_start, s - 1).groupby(["region_id", "team_id", "rep_id"]).sum()
