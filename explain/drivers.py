"""Roll-up of SHAP to any drill cell: which drivers moved this number, by how much, in plain words."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from explain.labels import cell_label, deal_label

# Where the pipeline stands (stage, age, timing, size, customer and product mix) rather than a signal
# about the deals: shown as one "stage mix and timing" driver so the signals that explain a change stand out.
MIX_FEATURES = frozenset(
    {
        "stage_index",
        "days_left_in_quarter",
        "deal_age_days",
        "days_to_expected_close",
        "amount_log10",
        "tier",
        "product_line",
    }
)
MIX = "pipeline_mix"
MIX_LABEL = {"en": "pipeline stage mix and timing", "zh": "商机阶段结构与时间"}


def _stage_amounts(frame: pd.DataFrame) -> pd.Series:
    """Open amount per deal stage (every feature's rows carry the same amounts: read one feature's)."""
    one = frame[frame.feature == frame.feature.iloc[0]]
    return one.groupby("stage_index").amount.sum()


def _like_for_like_mean(cell: pd.DataFrame, reference: pd.DataFrame, features: pd.Index) -> pd.Series:
    """The reference's mean of each feature, re-weighted to the cell's deals per stage.

    Comparing a cell's mean with this says how the cell's deals differ from typical deals *at the same
    stage* (a delay in one stage otherwise hides behind fewer deals reaching the later stages).
    """
    if reference.empty:
        return pd.Series(np.nan, index=features)
    ref = reference.groupby(["feature", "stage_index"])[["value_sum", "value_count"]].sum()
    ref_mean = (ref.value_sum / ref.value_count.replace(0, np.nan)).rename("ref_mean")
    overall = reference.groupby("feature")[["value_sum", "value_count"]].sum()
    overall_mean = overall.value_sum / overall.value_count.replace(0, np.nan)
    counts = cell.set_index(["feature", "stage_index"]).value_count
    joined = pd.concat([counts, ref_mean.reindex(counts.index)], axis=1)
    fallback = overall_mean.reindex(joined.index.get_level_values("feature")).to_numpy()
    joined["ref_mean"] = joined.ref_mean.fillna(pd.Series(fallback, index=joined.index))
    weighted = (joined.ref_mean * joined.value_count).groupby(level="feature").sum(min_count=1)
    total = joined.value_count.groupby(level="feature").sum()
    return (weighted / total.replace(0, np.nan)).reindex(features)


def cell_drivers(
    cell: pd.DataFrame, reference: pd.DataFrame, lang: str = "en", scale_to_cell: bool = True, top: int = 8
) -> pd.DataFrame:
    """Drivers of a cell against a reference (the typical cell, or the same cell one snapshot earlier).

    Both frames: feature, stage_index, contribution (sum of amount x probability points), value_sum,
    value_count, amount. With ``scale_to_cell`` (typical-cell comparison) a driver's score is the cell's
    contribution minus what the typical quarter contributes per CNY at each deal stage, times the cell's
    open amount at that stage: like is compared with like, so a pipeline that merely sits in other
    stages moves no signal. Otherwise (previous snapshot) the score is the plain difference. Stage,
    timing and mix features are folded into one driver (``MIX``). Returns the ``top`` drivers by
    |score|: feature, label, contribution (CNY), cell_mean, reference_mean.
    """
    if cell.empty:
        return pd.DataFrame(columns=["feature", "label", "contribution", "cell_mean", "reference_mean"])
    sums = ["contribution", "value_sum", "value_count"]
    c = cell.groupby("feature")[sums].sum()
    r = reference.groupby("feature")[sums].sum().reindex(c.index).fillna(0.0)
    if scale_to_cell and not reference.empty:
        rate = reference.groupby(["feature", "stage_index"]).contribution.sum().unstack()
        rate = rate.div(_stage_amounts(reference), axis=1)
        overall = reference.groupby("feature").contribution.sum() / _stage_amounts(reference).sum()
        stages = _stage_amounts(cell)
        rate = rate.reindex(index=c.index, columns=stages.index)
        rate = rate.apply(
            lambda col: col.fillna(overall.reindex(c.index))
        )  # a stage the typical quarter lacks
        expected = (rate.fillna(0.0) * stages).sum(axis=1)
    else:
        expected = r.contribution
    score = c.contribution - expected
    cell_mean = c.value_sum / c.value_count.replace(0, np.nan)
    ref_mean = (
        _like_for_like_mean(cell, reference, c.index)
        if scale_to_cell
        else r.value_sum / r.value_count.replace(0, np.nan)
    )
    out = pd.DataFrame(
        {
            "feature": c.index,
            "contribution": score.to_numpy(),
            "cell_mean": cell_mean.to_numpy(),
            "reference_mean": ref_mean.to_numpy(),
        }
    )
    mix = out.feature.isin(MIX_FEATURES)
    if mix.any():
        folded = {
            "feature": [MIX],
            "contribution": [out.contribution[mix].sum()],
            "cell_mean": [np.nan],
            "reference_mean": [np.nan],
        }
        out = pd.concat([out[~mix], pd.DataFrame(folded)], ignore_index=True)
    # A feature the data never varies (an annotation an import lacks) moves nothing: not a driver.
    out = out[out.contribution.abs() >= 0.5]
    out = (
        out.reindex(out.contribution.abs().sort_values(ascending=False).index)
        .head(top)
        .reset_index(drop=True)
    )
    out.insert(
        1,
        "label",
        [
            MIX_LABEL.get(lang, MIX_LABEL["en"])
            if f == MIX
            else cell_label(f, m - rm if pd.notna(m) and pd.notna(rm) else None, lang)
            for f, m, rm in zip(out.feature, out.cell_mean, out.reference_mean, strict=True)
        ],
    )
    return out


def deal_waterfall(
    contributions: pd.DataFrame, lang: str = "en", top: int = 10, money: Callable[[float], str] | None = None
) -> tuple[pd.DataFrame, float, float]:
    """A deal's SHAP waterfall: the ``top`` features by |contribution| (the rest summed), base and final
    probability. ``money`` formats the deal's amount in its labels (default: yuan)."""
    if contributions.empty:
        return pd.DataFrame(columns=["feature", "label", "contribution"]), 0.0, 0.0
    final = float(contributions.close_in_quarter_probability.iloc[0])
    base = final - float(contributions.contribution.sum())
    c = contributions.reindex(contributions.contribution.abs().sort_values(ascending=False).index)
    head, rest = c.head(top), c.iloc[top:]
    labels = [
        deal_label(f, v if pd.notna(v) else None, t if isinstance(t, str) else None, lang, money)
        for f, v, t in zip(head.feature, head.feature_value, head.feature_text, strict=True)
    ]
    out = pd.DataFrame(
        {"feature": head.feature.to_numpy(), "label": labels, "contribution": head.contribution.to_numpy()}
    )
    if len(rest):
        other = "other factors" if lang == "en" else "其他因素"
        out.loc[len(out)] = ("other", f"{other} ({len(rest)})", float(rest.contribution.sum()))
    return out, base, final
