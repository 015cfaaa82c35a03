"""Deal features *as of* a snapshot date: only what was recorded before that day is used.

Every feature is computed for (deal, snapshot) pairs with sorted-key lookups (NumPy searchsorted), so
a million deals over thirty snapshots take seconds and nothing from after the snapshot leaks in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.vocabulary import DECISION_STAGE, EXECUTIVE_ROLES, QUOTE_STAGE, STAGES

NUMERIC_FEATURES = (
    "stage_index",
    "days_in_stage",
    "decision_days",
    "deal_age_days",
    "days_to_expected_close",
    "days_left_in_quarter",
    "amount_log10",
    "discount_pct",
    "activities_30d",
    "days_since_last_activity",
    "exec_sponsor_met",
    "demo_done",
    "competitor_quote",
    "key_person_changed",
    "cfo_left",
    "domestic_clause",
    "owner_handover",
    "owner_tenure_days",
    "owner_senior",
)
CATEGORICAL_FEATURES = ("tier", "product_line")
FEATURES = NUMERIC_FEATURES + CATEGORICAL_FEATURES
BINARY_FEATURES = frozenset(
    {
        "exec_sponsor_met",
        "demo_done",
        "competitor_quote",
        "key_person_changed",
        "cfo_left",
        "domestic_clause",
        "owner_handover",
        "owner_senior",
    }
)

_K = np.int64(1_000_000)  # key = deal index * _K + day number


def _days(values) -> np.ndarray:
    """Dates to int day numbers (NaT -> a far-future day)."""
    ts = pd.to_datetime(pd.Series(values)).astype("datetime64[s]")
    out = (ts - pd.Timestamp("1970-01-01")).dt.days
    return out.fillna(900_000).to_numpy(np.int64)


@dataclass
class History:
    """Deal history indexed for fast as-of lookups (built once, queried per snapshot)."""

    deal_ids: np.ndarray
    created: np.ndarray
    closed: np.ndarray
    won: np.ndarray  # 1 won, 0 lost, -1 still open
    expected_close: np.ndarray
    amount: np.ndarray
    discount: np.ndarray
    tier: np.ndarray
    product_line: np.ndarray
    stage_keys: np.ndarray
    stage_pos: np.ndarray
    stage_day: np.ndarray
    decision_day: np.ndarray
    quote_day: np.ndarray
    owner_keys: np.ndarray
    owner_rep: np.ndarray
    owner_first: np.ndarray
    activity_keys: np.ndarray
    event_keys: dict[str, np.ndarray]
    rep_info: pd.DataFrame  # index rep id: team_id, region_id, seniority, hire_day
    attributes: dict[str, np.ndarray]  # feature name -> each deal's value of an imported field
    as_of: int  # the last day the data knows about
    final_owner: np.ndarray  # rep owning each deal last


def _keys(index: np.ndarray, days: np.ndarray) -> np.ndarray:
    return index.astype(np.int64) * _K + days


def build_history(frames: dict[str, pd.DataFrame]) -> History:
    deals = frames["deals"].sort_values("id").reset_index(drop=True)
    ids = deals.id.to_numpy(np.int64)
    pos_of = pd.Series(np.arange(len(ids)), index=ids)

    def idx(column: pd.Series) -> np.ndarray:
        return pos_of.reindex(column.to_numpy()).to_numpy()

    stages = frames["stages"]
    stage_rank = {name: i for i, name in enumerate(STAGES)}
    stages = stages[stages.stage.isin(stage_rank)]
    s_idx, s_day = idx(stages.opportunity_id), _days(stages.entered_date)
    s_keys = _keys(s_idx, s_day)
    order = np.argsort(s_keys, kind="stable")
    stage_pos = stages.stage.map(stage_rank).to_numpy(np.int64)[order]

    def first_entry(stage: str) -> np.ndarray:
        out = np.full(len(ids), 900_000, dtype=np.int64)
        m = stages.stage.to_numpy() == stage
        np.minimum.at(out, s_idx[m], s_day[m])
        return out

    owners = frames["owners"]
    o_keys = _keys(idx(owners.opportunity_id), _days(owners.start_date))
    o_order = np.argsort(o_keys, kind="stable")
    o_first = np.r_[True, idx(owners.opportunity_id)[o_order][1:] != idx(owners.opportunity_id)[o_order][:-1]]

    acts = frames["activities"]
    a_idx, a_day = idx(acts.opportunity_id), _days(acts.activity_date)
    events: dict[str, np.ndarray] = {
        "exec_sponsor_met": np.sort(_keys(a_idx, a_day)[acts.role_met.isin(EXECUTIVE_ROLES).to_numpy()]),
        "demo_done": np.sort(_keys(a_idx, a_day)[(acts.kind == "demo").to_numpy()]),
        "competitor_quote": np.sort(_keys(a_idx, a_day)[(acts.kind == "competitor_quote").to_numpy()]),
    }
    notes = frames["annotations"]
    n_keys = _keys(idx(notes.opportunity_id), _days(notes.annotated_date))
    for kind in ("key_person_changed", "cfo_left", "domestic_clause"):
        events[kind] = np.sort(n_keys[(notes.kind == kind).to_numpy()])
    customer_contact = ~acts.kind.isin(["competitor_quote"]).to_numpy()
    reps = frames["reps"].set_index("id")
    reps = reps.assign(hire_day=_days(reps.hire_date))
    outcome = deals.outcome.astype(object).to_numpy()
    return History(
        deal_ids=ids,
        created=_days(deals.created_date),
        closed=_days(deals.closed_date),
        won=np.where(outcome == "won", 1, np.where(outcome == "lost", 0, -1)),
        expected_close=_days(deals.expected_close_date),
        amount=deals.amount.to_numpy(float),
        discount=deals.discount_pct.to_numpy(float) if "discount_pct" in deals else np.full(len(ids), np.nan),
        tier=deals.tier.astype(object).fillna("unknown").to_numpy(),
        product_line=deals.product_line.astype(object).fillna("unknown").to_numpy(),
        stage_keys=s_keys[order],
        stage_pos=stage_pos,
        stage_day=s_day[order],
        decision_day=first_entry(DECISION_STAGE),
        quote_day=first_entry(QUOTE_STAGE),
        owner_keys=o_keys[o_order],
        owner_rep=owners.rep_id.to_numpy(np.int64)[o_order],
        owner_first=o_first,
        activity_keys=np.sort(_keys(a_idx, a_day)[customer_contact]),
        event_keys=events,
        rep_info=reps[["team_id", "region_id", "seniority", "hire_day"]],
        attributes=_attributes(frames.get("attributes"), pos_of, len(ids)),
        final_owner=_final_owner(
            len(ids), idx(owners.opportunity_id)[o_order], owners.rep_id.to_numpy(np.int64)[o_order]
        ),
        as_of=_last_day(s_day, _days(deals.created_date), _days(deals.closed_date), a_day),
    )


_RESERVED = frozenset(
    {
        *FEATURES,
        "deal_id",
        "rep_id",
        "team_id",
        "region_id",
        "amount",
        "won",
        "won_in_quarter",
        "snapshot_date",
    }
)


def _attributes(rows: pd.DataFrame | None, pos_of: pd.Series, n: int) -> dict[str, np.ndarray]:
    """Imported fields as one value array per field, aligned with the deals (None where absent)."""
    out: dict[str, np.ndarray] = {}
    if rows is None or rows.empty:
        return out
    for name, part in rows.groupby("name", sort=True):
        values = np.full(n, None, dtype=object)
        where = pos_of.reindex(part.opportunity_id.to_numpy()).to_numpy()
        ok = ~np.isnan(where)
        values[where[ok].astype(int)] = part.value.to_numpy(object)[ok]
        out[name if name not in _RESERVED else f"{name}_field"] = values
    return out


def feature_names(h: History) -> list[str]:
    """The model's features for this history: the built-in ones plus every imported field."""
    return [*FEATURES, *h.attributes]


def won_between(h: History, first_day: int, last_day: int) -> pd.DataFrame:
    """Deals won from day ``first_day`` to ``last_day`` (inclusive), credited to their last owner."""
    hit = (h.won == 1) & (h.closed >= first_day) & (h.closed <= last_day)
    rep = h.final_owner[hit]
    info = h.rep_info.reindex(rep)
    won = pd.DataFrame(
        {
            "region_id": info.region_id.to_numpy(),
            "team_id": info.team_id.to_numpy(),
            "rep_id": rep,
            "won_amount": h.amount[hit],
        }
    )
    return won.dropna().astype({"region_id": int, "team_id": int})


def _last_day(*days: np.ndarray) -> int:
    """The last recorded day of any kind (missing dates are stored as a far-future day)."""
    return int(max(d[d < 900_000].max(initial=0) for d in days))


def _final_owner(n: int, deal_index: np.ndarray, rep: np.ndarray) -> np.ndarray:
    out = np.full(n, -1, dtype=np.int64)
    out[deal_index] = rep  # rows are sorted by start date, so the last write wins
    return out


def quarter_label(day_number: int) -> str:
    ts = pd.Timestamp("1970-01-01") + pd.Timedelta(days=int(day_number))
    return f"{ts.year}Q{ts.quarter}"


def quarter_end_day(day_number: int) -> int:
    ts = pd.Timestamp("1970-01-01") + pd.Timedelta(days=int(day_number))
    end = (ts + pd.offsets.QuarterEnd(0)).normalize()
    return int((end - pd.Timestamp("1970-01-01")).days)


def snapshot_features(h: History, snapshot: pd.Timestamp, known_at: int | None = None) -> pd.DataFrame:
    """Features of every deal open at ``snapshot`` (created before it, not yet closed), with labels.

    A snapshot sees what was recorded *before* its day: stage entries, owners, activities and
    annotations dated on the snapshot day itself belong to the next one.

    Columns: FEATURES, plus deal_id, rep_id, team_id, region_id, amount, and the labels
    ``won_in_quarter`` / ``won`` (NaN where the outcome is not known yet). Labels are what was known
    on day number ``known_at`` (default: the end of the data): a backtest passes its cut-off, so a deal
    won after the cut-off is still open, not a win.
    """
    s = int((pd.Timestamp(snapshot) - pd.Timestamp("1970-01-01")).days)
    open_ = np.flatnonzero((h.created < s) & (h.closed >= s))
    k = _keys(open_, np.full(len(open_), s))
    f: dict[str, np.ndarray] = {}
    # Stage at s: the last stage entered before s.
    i = np.searchsorted(h.stage_keys, k, side="left") - 1
    valid = (i >= 0) & (h.stage_keys[np.maximum(i, 0)] // _K == open_)
    f["stage_index"] = np.where(valid, h.stage_pos[np.maximum(i, 0)], 0).astype(float)
    f["days_in_stage"] = np.where(valid, s - h.stage_day[np.maximum(i, 0)], s - h.created[open_]).astype(
        float
    )
    dd = h.decision_day[open_]
    f["decision_days"] = np.where(dd < s, s - dd, np.nan)
    f["deal_age_days"] = (s - h.created[open_]).astype(float)
    planned = h.expected_close[open_]
    f["days_to_expected_close"] = np.where(planned < 900_000, planned - s, np.nan)  # NaN: not recorded
    f["days_left_in_quarter"] = np.full(len(open_), float(quarter_end_day(s) - s))
    f["amount_log10"] = np.log10(np.maximum(h.amount[open_], 1.0))
    f["discount_pct"] = np.where(h.quote_day[open_] < s, h.discount[open_], np.nan)
    hi = np.searchsorted(h.activity_keys, k)
    lo = np.searchsorted(h.activity_keys, k - 30)
    f["activities_30d"] = (hi - lo).astype(float)
    last = h.activity_keys[np.maximum(hi - 1, 0)] if len(h.activity_keys) else np.zeros(len(k), np.int64)
    has_last = (hi > 0) & (last // _K == open_)
    f["days_since_last_activity"] = np.where(has_last, s - last % _K, s - h.created[open_]).astype(float)
    for name, keys in h.event_keys.items():
        f[name] = (np.searchsorted(keys, k) > np.searchsorted(keys, open_.astype(np.int64) * _K)).astype(
            float
        )
    j = np.searchsorted(h.owner_keys, k, side="left") - 1
    j_ok = (j >= 0) & (h.owner_keys[np.maximum(j, 0)] // _K == open_)
    rep = np.where(j_ok, h.owner_rep[np.maximum(j, 0)], -1)
    f["owner_handover"] = np.where(j_ok, ~h.owner_first[np.maximum(j, 0)], False).astype(float)
    info = h.rep_info.reindex(rep)
    f["owner_tenure_days"] = (s - info.hire_day.to_numpy(float)).astype(float)
    f["owner_senior"] = (info.seniority.to_numpy() == "senior").astype(float)
    frame = pd.DataFrame(f)
    frame["tier"] = pd.Categorical(h.tier[open_])
    frame["product_line"] = pd.Categorical(h.product_line[open_])
    for name, values in h.attributes.items():
        frame[name] = pd.Categorical(values[open_])
    frame["deal_id"] = h.deal_ids[open_]
    frame["rep_id"] = rep
    frame["team_id"] = info.team_id.to_numpy()
    frame["region_id"] = info.region_id.to_numpy()
    frame["amount"] = h.amount[open_]
    return with_labels(h, frame, s, known_at)


def with_labels(
    h: History, frame: pd.DataFrame, snapshot_day: int, known_at: int | None = None
) -> pd.DataFrame:
    """Set ``won_in_quarter`` / ``won`` of a snapshot's deals to what was known on day ``known_at``."""
    known = h.as_of if known_at is None else min(known_at, h.as_of)
    open_ = np.searchsorted(h.deal_ids, frame.deal_id.to_numpy())
    q_end = quarter_end_day(snapshot_day)
    won, closed = h.won[open_], h.closed[open_]
    won = np.where(closed < known, won, -1)  # closed after ``known``: still open then
    won_by_end = (won == 1) & (closed <= q_end)
    return frame.assign(
        won_in_quarter=np.where(won_by_end, 1.0, np.where(q_end < known, 0.0, np.nan)),
        won=np.where(won == -1, np.nan, won.astype(float)),
    )
