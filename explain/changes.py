"""What changed in a cell's forecast between two snapshots, as waterfall buckets that add up exactly.

Each deal's change (its value at the end snapshot minus at the start, see
``data_access.forecast.deal_changes``) goes to buckets:

- ``new``: not in the cell's forecast at the start, open at the end;
- ``won`` / ``lost``: open at the start, closed by the end (a won deal counts its amount from then on);
- ``moved``: changed owner into or out of the cell while open;
- ``amount_up`` / ``amount_down``: open at both, the amount changed (valued at the start probability);
- ``pulled_in`` / ``pushed_out``: open at both, the chance of closing won this quarter rose or fell
  (the rest of the deal's change: timing, stage, activity, as the model reads them).

So start + sum of buckets = end, to the cent. Each bucket carries its deals and its top SHAP driver.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from explain.labels import cell_label

BUCKETS = ("new", "pulled_in", "pushed_out", "amount_up", "amount_down", "won", "lost", "moved")


def change_buckets(deals: pd.DataFrame) -> pd.DataFrame:
    """Per deal and bucket: the share of the deal's change that bucket explains.

    ``deals``: the frame of ``deal_changes``. Returns columns deal_id, bucket, change (CNY).
    """
    d = deals
    change = d.end_value - d.start_value
    closed = d.outcome.isin(["won", "lost"]) & d.open_a & ~d.open_b
    parts: list[pd.DataFrame] = []

    def add(mask, bucket, values) -> None:
        values = pd.Series(values, index=d.index)[mask]
        if mask.any():
            parts.append(pd.DataFrame({"deal_id": d.deal_id[mask], "bucket": bucket, "change": values}))

    won = closed & (d.outcome == "won")
    add(won, "won", change)
    add(closed & (d.outcome == "lost"), "lost", change)
    # Created and won between the snapshots, never open at one: a win all the same.
    add(~d.open_a & ~d.open_b & (change != 0), "won", change)
    add(~d.open_a & d.open_b, "new", change)
    moved = d.open_a & ~d.open_b & ~closed
    add(moved, "moved", change)
    both = d.open_a & d.open_b
    amount_part = (d.amount_b - d.amount_a).fillna(0.0) * d.p_a.fillna(0.0)
    odds_part = change - amount_part
    add(both & (amount_part > 0), "amount_up", amount_part)
    add(both & (amount_part < 0), "amount_down", amount_part)
    add(both & (odds_part > 0), "pulled_in", odds_part)
    add(both & (odds_part < 0), "pushed_out", odds_part)
    if not parts:
        return pd.DataFrame(columns=["deal_id", "bucket", "change"])
    return pd.concat(parts, ignore_index=True)


def top_driver(
    bucket: str,
    deal_ids: np.ndarray,
    shap_a: pd.DataFrame,
    shap_b: pd.DataFrame,
    amounts: pd.Series,
    lang: str = "en",
) -> str:
    """The feature that moved a bucket's deals most, in words.

    New deals: what their forecast rests on at the end; won, lost or moved: what pointed that way at the
    start; deals open at both snapshots: the largest amount-weighted change of SHAP contribution. The
    words compare the bucket's deals with the cell's other deals (or with themselves at the start).
    """
    ids = {int(i) for i in deal_ids}

    def weighted(frame: pd.DataFrame) -> pd.Series:
        w = amounts.reindex(frame.deal_id.to_numpy()).fillna(0.0).to_numpy()
        return (frame.contribution * w).groupby(frame.feature.to_numpy()).sum()

    def mean_value(frame: pd.DataFrame, feature: str) -> float:
        return float(frame.loc[frame.feature == feature, "feature_value"].mean())

    a, b = shap_a[shap_a.deal_id.isin(ids)], shap_b[shap_b.deal_id.isin(ids)]
    if bucket == "new":
        score, mine, others = weighted(b), b, shap_b[~shap_b.deal_id.isin(ids)]
    elif bucket in ("won", "lost", "moved"):
        score, mine, others = weighted(a), a, shap_a[~shap_a.deal_id.isin(ids)]
        score = score if bucket == "won" else -score
    else:
        score, mine, others = weighted(b).sub(weighted(a), fill_value=0.0), b, a
        score = -score if bucket in ("pushed_out", "amount_down") else score
    if score.empty or score.max() <= 0:
        return ""
    feature = str(score.idxmax())
    delta = mean_value(mine, feature) - mean_value(others, feature)
    return cell_label(feature, delta if np.isfinite(delta) else None, lang)


def what_changed(
    deals: pd.DataFrame, shap_a: pd.DataFrame, shap_b: pd.DataFrame, lang: str = "en"
) -> tuple[float, pd.DataFrame, float, pd.DataFrame]:
    """(start, buckets, end, parts): bucket rows (bucket, change, deals, driver) in ``BUCKETS`` order,
    empty buckets left out; ``parts`` maps each deal to its buckets (for the click-through)."""
    parts = change_buckets(deals)
    amounts = deals.set_index("deal_id").amount_b.fillna(deals.set_index("deal_id").amount_a)
    rows = []
    for bucket in BUCKETS:
        mine = parts[parts.bucket == bucket]
        if mine.empty:
            continue
        rows.append(
            {
                "bucket": bucket,
                "change": float(mine.change.sum()),
                "deals": int(mine.deal_id.nunique()),
                "driver": top_driver(bucket, mine.deal_id.to_numpy(), shap_a, shap_b, amounts, lang),
            }
        )
    buckets = pd.DataFrame(rows, columns=["bucket", "change", "deals", "driver"])
    return float(deals.start_value.sum()), buckets, float(deals.end_value.sum()), parts
