"""SHAP speed: explain 100k open deals, and re-explain one changed deal; ours vs shap.TreeExplainer.

Ours is XGBoost's own tree SHAP (``pred_contribs``, what ``explain.model.ForecastModel.explain`` calls,
calibrated to probability points); the peer is ``shap.TreeExplainer`` on the same booster and rows.
A deal that changes (an annotation, a stage move) is re-explained alone: the others' explanations do
not depend on it. The model-size trade-off retrains the forecast head at several depths and tree
counts and reports hold-out AUC beside the time to explain all deals.

    python benchmarks/shap_speed.py --json out/shap.json [--deals 100000]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd
import shap
from _common import cached_db, emit

from data_access.engine import get_engine
from data_access.history import load_deal_history
from explain import model as model_module
from explain.features import feature_names
from explain.model import ForecastModel
from explain.scoring import between_snapshots, feature_table

TARGET = "won_in_quarter"
SIZES = [(2, 150), (3, 75), (3, 150), (4, 150), (6, 300)]


def timed(fn, repeat: int = 1) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def peer(model: ForecastModel, rows: pd.DataFrame, one: pd.DataFrame, total: int) -> dict:
    """shap.TreeExplainer on the same booster and rows as ours."""
    booster = model.heads[TARGET].booster
    matrix = model.matrix(rows)
    explainer = shap.TreeExplainer(booster)
    peer_s = timed(lambda: explainer.shap_values(matrix))
    ours_s = timed(lambda: booster.predict(matrix, pred_contribs=True))
    peer_one_ms = 1000 * timed(lambda: explainer.shap_values(model.matrix(one)), repeat=20)
    mine = booster.predict(matrix, pred_contribs=True)[:, :-1]
    theirs = np.asarray(explainer.shap_values(matrix))
    return {
        "rows": len(rows),
        "shap_tree_explainer_s": round(peer_s, 2),
        "ours_same_rows_s": round(ours_s, 2),
        "shap_tree_explainer_all_s_scaled": round(peer_s * total / len(rows), 1),
        "shap_reexplain_one_ms": round(peer_one_ms, 2),
        "max_abs_difference": float(np.max(np.abs(mine - theirs))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=100_000, help="open deals to explain")
    parser.add_argument(
        "--peer-rows", type=int, default=20_000, help="rows shap.TreeExplainer explains (timed, then scaled)"
    )
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    engine = get_engine(cached_db(40_000, "sample"))
    history, dates, rows = feature_table(load_deal_history(engine), lambda *_: None)
    features = feature_names(history)
    table = pd.concat(rows + between_snapshots(history, dates), ignore_index=True)
    # Open deals to explain: every snapshot's open deals stacked (each a real deal on a real day).
    pool = pd.concat(rows, ignore_index=True)
    # A pool smaller than asked is drawn with replacement: a repeated deal costs as much to explain.
    deals = pool.sample(n=args.deals, random_state=0, replace=len(pool) < args.deals)
    deals = deals.reset_index(drop=True)
    out = {"open_deals": len(deals), "sizes": []}
    one = deals.iloc[[123]]
    for depth, rounds in SIZES:
        model_module.PARAMS["max_depth"], model_module.ROUNDS = depth, rounds
        start = time.perf_counter()
        model = ForecastModel.train(table, features, targets=(TARGET,))
        entry = {
            "max_depth": depth,
            "trees": rounds,
            "holdout_auc": round(model.metrics[TARGET]["auc"], 4),
            "train_s": round(time.perf_counter() - start, 2),
            "explain_all_s": round(timed(lambda: model.explain(deals, TARGET)), 2),  # noqa: B023
            "reexplain_one_ms": round(1000 * timed(lambda: model.explain(one, TARGET), repeat=50), 2),  # noqa: B023
        }
        if (depth, rounds) == (3, 150):  # the shipped size: the peer on the same booster and rows
            entry["peer"] = peer(model, deals.head(args.peer_rows), one, len(deals))
        out["sizes"].append(entry)
        print(entry, flush=True)
    shipped = next(s for s in out["sizes"] if (s["max_depth"], s["trees"]) == (3, 150))
    out.update(
        {
            "explain_all_s": shipped["explain_all_s"],
            "reexplain_one_ms": shipped["reexplain_one_ms"],
            "peer_explain_all_s": shipped["peer"]["shap_tree_explainer_all_s_scaled"],
            "ratio_peer_over_ours": round(
                shipped["peer"]["shap_tree_explainer_s"] / shipped["peer"]["ours_same_rows_s"], 2
            ),
        }
    )
    emit(out, args.json)


if __name__ == "__main__":
    main()
