"""The backtest scorecard, time-ordered, on the sample and on the real Olist funnel: model vs baselines.

For each dataset: every method's metrics (see ``explain/backtest.py``), and the comparisons the targets
name: the model's WAPE over the stage-weighted baseline's, its AUC minus the best baseline's, and (Olist)
its forecast of the test quarters' conversions against the truth.

    python benchmarks/scorecard.py --json out/scorecard.json
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import ROOT, cached_db, emit

from data_access.engine import get_engine
from data_access.history import load_deal_history
from data_access.importer import Mapping, import_export
from explain.backtest import backtest
from explain.features import feature_names
from explain.scoring import feature_table

OLIST = ROOT.parent / "shared" / "data" / "olist-funnel"
OLIST_FILES = ("olist_marketing_qualified_leads_dataset.csv", "olist_closed_deals_dataset.csv")


def scorecard(url: str) -> dict:
    engine = get_engine(url)
    history, dates, rows = feature_table(load_deal_history(engine), lambda *_: None)
    result = backtest(history, dates, rows, feature_names(history))
    engine.dispose()
    methods = result["methods"]
    model = methods["model"]
    baselines = {k: v for k, v in methods.items() if k != "model"}
    best_auc = max(v["auc"] for v in baselines.values() if v["auc"] is not None)
    return {
        "quarters": [c["quarter"] for c in result["cutoffs"]],
        "methods": methods,
        "wape_over_stage_weighted": round(model["wape"] / methods["stage_weighted"]["wape"], 3),
        "wape_over_stage_weighted_fixed": round(model["wape"] / methods["stage_weighted_fixed"]["wape"], 3),
        "auc_minus_best_baseline": round(model["auc"] - best_auc, 4),
        "model_bookings_error": round(model["bookings_error"], 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    out = {"sample": scorecard(cached_db(40_000, "sample"))}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"duckdb:///{Path(tmp) / 'olist.duckdb'}"
        import_export(get_engine(url), Mapping.load("olist-funnel"), [OLIST / f for f in OLIST_FILES])
        out["olist"] = scorecard(url)
    emit(out, args.json)


if __name__ == "__main__":
    main()
