"""What-if on several actionable features at once: new win probabilities, bookings and SHAP change.

Only the levers in ``LEVERS`` can be moved, within their feasible range and step; anything else is
refused with a message saying why. A what-if reads the stored model and features and writes nothing.

The answer is the model's: it learned from history how deals *like* the changed ones turned out,
which is not always what the change would cause (a demo done is the mark of a good deal as much as
its cause). ``benchmarks/whatif.py`` measures that gap against the simulator's re-run of history.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from data_access.model_store import load_model_payload
from explain.model import ForecastModel

TARGET = "won_in_quarter"


@dataclass(frozen=True)
class Lever:
    feature: str  # the model feature it moves
    kind: (
        str  # "set": the lever's value replaces the feature's; "earlier": the rest of the path moves earlier
    )
    low: float
    high: float
    step: float
    applies: str  # which deals it can act on: "quoted" (have a price), "all"


LEVERS: dict[str, Lever] = {
    "discount_pct": Lever("discount_pct", "set", 0.0, 40.0, 0.5, "quoted"),
    "decision_earlier_days": Lever("days_left_in_quarter", "earlier", 0.0, 60.0, 1.0, "all"),
    "exec_sponsor_met": Lever("exec_sponsor_met", "set", 0.0, 1.0, 1.0, "all"),
    "demo_done": Lever("demo_done", "set", 0.0, 1.0, 1.0, "all"),
}


def load_model(engine: Engine) -> ForecastModel:
    """The stored forecast model (read-only)."""
    stored = load_model_payload(engine)
    if stored is None:
        raise WhatIfError("no trained model in this database: run `cockpit train` first")
    return ForecastModel.from_json(stored[0])


class WhatIfError(ValueError):
    """A change that cannot be made: not actionable, or outside its feasible range."""


def check_changes(changes: dict[str, float], features: list[str] | None = None) -> None:
    """Refuse anything that is not an actionable lever within its feasible range and step."""
    if not changes:
        raise WhatIfError(f"choose at least one lever to change: {', '.join(LEVERS)}")
    for name, value in changes.items():
        lever = LEVERS.get(name)
        if lever is None:
            known = features is not None and name in features
            why = "is not something a team can change" if known else "is not a feature"
            raise WhatIfError(f"{name} {why}; the actionable levers are {', '.join(LEVERS)}")
        if value is None or not np.isfinite(value) or not lever.low <= value <= lever.high:
            raise WhatIfError(
                f"{name} = {value} is outside its feasible range {lever.low:g} to {lever.high:g}"
            )
        if abs(value / lever.step - round(value / lever.step)) > 1e-9:
            raise WhatIfError(f"{name} = {value} is not a multiple of its step {lever.step:g}")


def apply_changes(
    rows: pd.DataFrame, changes: dict[str, float]
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The rows with the levers moved, and which deals each lever reached."""
    out = rows.copy()
    reached: dict[str, np.ndarray] = {}
    for name, value in changes.items():
        lever = LEVERS[name]
        if lever.applies == "quoted":
            mask = rows[lever.feature].notna().to_numpy()
        else:
            mask = np.ones(len(rows), dtype=bool)
        if lever.kind == "set":
            out.loc[mask, lever.feature] = value
        else:
            # Budget approval (and what follows it) happens ``value`` days earlier: the deal's remaining
            # path is the same, only sooner, which the model reads as that much more of the quarter left
            # and an expected close that much nearer.
            out.loc[mask, "days_left_in_quarter"] = out.loc[mask, "days_left_in_quarter"] + value
            out.loc[mask, "days_to_expected_close"] = out.loc[mask, "days_to_expected_close"] - value
        reached[name] = mask
    return out, reached


@dataclass
class WhatIf:
    deals: pd.DataFrame  # deal_id, amount, p_before, p_after, and per lever a column: deals it reached
    shap_change: pd.Series  # feature -> change of amount-weighted contributions (CNY), largest first
    changed: pd.DataFrame  # the rows as the levers left them

    def moved_features(self, rows: pd.DataFrame) -> dict[str, tuple[float, float]]:
        """Features the levers moved: (mean change of the value over the deals reached, SHAP change)."""
        out = {}
        for feature in self.shap_change.index:
            before = pd.to_numeric(rows[feature], errors="coerce").to_numpy(float)
            after = pd.to_numeric(self.changed[feature], errors="coerce").to_numpy(float)
            diff = ~np.isclose(before, after, equal_nan=True)
            if diff.any():
                out[feature] = (
                    float(np.nanmean(after[diff] - before[diff])),
                    float(self.shap_change[feature]),
                )
        return out

    @property
    def expected_before(self) -> float:
        return float((self.deals.amount * self.deals.p_before).sum())

    @property
    def expected_after(self) -> float:
        return float((self.deals.amount * self.deals.p_after).sum())

    @property
    def change_pp(self) -> float:
        """Amount-weighted change of the chance to close won this quarter, in probability points."""
        total = self.deals.amount.sum()
        return float(100 * (self.expected_after - self.expected_before) / total) if total > 0 else 0.0


def available_levers(model: ForecastModel) -> list[str]:
    """The levers this database can answer: those whose feature the model learned from. An import
    without quotes or meetings never varies them, so the model would answer "no change" for nothing."""
    used = set(model.heads[TARGET].booster.get_score(importance_type="weight"))
    return [name for name, lever in LEVERS.items() if lever.feature in used]


def what_if(model: ForecastModel, rows: pd.DataFrame, changes: dict[str, float]) -> WhatIf:
    """The model's answer for ``rows`` (a cell's or a deal's open deals) with ``changes`` applied."""
    check_changes(changes, model.features)
    available = available_levers(model)
    for name in changes:
        if name not in available:
            raise WhatIfError(
                f"{name}: this data never records {LEVERS[name].feature}, so the model has nothing to "
                f"learn it from; levers here: {', '.join(available) or 'none'}"
            )
    if rows.empty:
        raise WhatIfError("there are no open deals here to change")
    changed, reached = apply_changes(rows, changes)
    p_before, phi_before, _ = model.explain(rows, TARGET)
    p_after, phi_after, _ = model.explain(changed, TARGET)
    amount = rows.amount.to_numpy(float)
    delta = ((phi_after - phi_before) * amount[:, None]).sum(axis=0)
    shap_change = pd.Series(delta, index=model.features)
    shap_change = shap_change.reindex(shap_change.abs().sort_values(ascending=False).index)
    deals = pd.DataFrame(
        {
            "deal_id": rows.deal_id.to_numpy(),
            "amount": amount,
            "p_before": p_before,
            "p_after": p_after,
            **{f"reached_{name}": mask for name, mask in reached.items()},
        }
    )
    return WhatIf(deals=deals, shap_change=shap_change, changed=changed)
