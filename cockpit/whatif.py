"""A what-if on a drill cell, with the simulator's truth beside it when the database is the sample.

Used by ``cockpit whatif`` and ``benchmarks/whatif.py``; pages call ``explain.whatif`` directly.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from data_access import forecast as fc
from data_access.scope import FULL_ACCESS, Scope
from explain.whatif import WhatIf, load_model, what_if
from sample_data import sample_parameters
from sample_data.simulator import intervention_truth


def cell_what_if(
    engine: Engine, cell: fc.Cell, changes: dict[str, float], scope: Scope = FULL_ACCESS, model=None
) -> tuple[WhatIf, dict]:
    """The model's what-if on the cell's open deals at its snapshot, and a summary with the truth."""
    snapshot = fc.snapshot_for(engine, cell.quarter, cell.month)
    if snapshot is None:
        raise ValueError(f"no snapshot for {cell.quarter} month {cell.month}")
    rows = fc.deal_features(engine, scope, snapshot, cell=cell)
    result = what_if(model or load_model(engine), rows, changes)
    summary = {
        "level": cell.level,
        "key": cell.key,
        "quarter": cell.quarter,
        "snapshot": str(snapshot),
        "changes": changes,
        "deals": len(rows),
        "reached": {
            k.removeprefix("reached_"): int(v.sum())
            for k, v in result.deals.items()
            if k.startswith("reached_")
        },
        "model_pp": round(result.change_pp, 3),
        "expected_before": round(result.expected_before, 2),
        "expected_after": round(result.expected_after, 2),
        "top_shap_change": {k: round(float(v), 2) for k, v in result.shap_change.head(3).items()},
    }
    params = sample_parameters(engine)
    if params is not None:
        summary["truth_pp"] = round(truth_pp(params, snapshot, result, changes), 3)
        summary["error_pp"] = round(summary["model_pp"] - summary["truth_pp"], 3)
    return result, summary


def truth_pp(params: tuple[int, int], snapshot, result: WhatIf, changes: dict[str, float]) -> float:
    """The simulator's re-run of history with the same levers: amount-weighted change in points."""
    deals = result.deals
    ids = deals.deal_id.to_numpy()
    lever_deals = {name: ids[deals[f"reached_{name}"].to_numpy()] for name in changes}
    before, after = intervention_truth(
        *params,
        ids,
        pd.Timestamp(snapshot).date(),
        discount=(lever_deals["discount_pct"], changes["discount_pct"])
        if "discount_pct" in changes
        else None,
        decision_earlier=(lever_deals["decision_earlier_days"], int(changes["decision_earlier_days"]))
        if "decision_earlier_days" in changes
        else None,
    )
    amount = deals.amount.to_numpy()
    return float(100 * (amount * (after - before)).sum() / amount.sum())
