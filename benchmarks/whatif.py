"""What-if against the simulator's truth: the model's answer vs a re-run of history with the same levers.

Samples interventions (one to three levers on a team x quarter at its month-2 snapshot) on the default
sample, asks the model (``explain.whatif``) and the simulator (``sample_data.simulator.intervention_truth``,
every random draw kept) for the amount-weighted change in the chance of closing won this quarter, in
probability points of the team's open pipeline.

    python benchmarks/whatif.py --json out/whatif.json [--interventions 24]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import cached_db, emit

from cockpit.whatif import cell_what_if
from data_access import forecast as fc
from data_access.engine import get_engine
from data_access.scope import FULL_ACCESS
from explain.whatif import LEVERS, load_model

VALUES = {
    "discount_pct": [5.0, 8.0, 10.0, 15.0, 20.0],
    "decision_earlier_days": [7.0, 14.0, 21.0, 28.0],
    "exec_sponsor_met": [1.0],
    "demo_done": [1.0],
}
QUARTERS = ["2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=40_000)
    parser.add_argument("--interventions", type=int, default=24)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    engine = get_engine(cached_db(args.deals, "sample"))
    model = load_model(engine)
    teams = fc.names(engine, FULL_ACCESS, "team").index.tolist()
    rng = np.random.default_rng(args.seed)
    rows, seconds = [], []
    for _ in range(args.interventions):
        levers = rng.choice(list(LEVERS), size=int(rng.integers(1, 4)), replace=False)
        changes = {str(name): float(rng.choice(VALUES[name])) for name in levers}
        cell = fc.Cell("team", int(rng.choice(teams)), str(rng.choice(QUARTERS)), 2)
        start = time.perf_counter()
        _, summary = cell_what_if(engine, cell, changes, model=model)
        seconds.append(time.perf_counter() - start)
        rows.append(summary)
    errors = np.array([abs(r["error_pp"]) for r in rows])
    by_lever = {}
    for name in LEVERS:
        alone = [abs(r["error_pp"]) for r in rows if list(r["changes"]) == [name]]
        touched = [abs(r["error_pp"]) for r in rows if name in r["changes"]]
        by_lever[name] = {
            "interventions": len(touched),
            "mean_abs_error_pp": round(float(np.mean(touched)), 3) if touched else None,
            "alone_mean_abs_error_pp": round(float(np.mean(alone)), 3) if alone else None,
        }
    emit(
        {
            "deals": args.deals,
            "interventions": len(rows),
            "within_2pp": round(float((errors <= 2.0).mean()), 3),
            "mean_abs_error_pp": round(float(errors.mean()), 3),
            "mean_abs_truth_pp": round(float(np.mean([abs(r["truth_pp"]) for r in rows])), 3),
            "mean_abs_model_pp": round(float(np.mean([abs(r["model_pp"]) for r in rows])), 3),
            "seconds_per_what_if_p50": round(float(np.median(seconds)), 3),
            "by_lever": by_lever,
            "cases": rows,
        },
        args.json,
    )


if __name__ == "__main__":
    main()
