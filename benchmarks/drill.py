"""Server-side cost of one drill step (region -> team -> rep), roll-ups vs loading per-deal rows in pandas.

Our path: deviation_by_cell at the next level + driver_sums/typical_driver_sums + cell_drivers for the
clicked cell. Naive path: pd.read_sql of the forecast_snapshots and shap_contributions rows of the same
snapshots (filtered to the clicked entity), then the same aggregates with pandas group-bys.

    python benchmarks/drill.py --deals 1000000 --repeats 30 --json out/drill.json
"""

from __future__ import annotations

import argparse
import random
import time

import pandas as pd
from _common import cached_db, emit, percentile
from sqlalchemy import func, select, text

from data_access import schema as s
from data_access.engine import get_engine, require_data
from data_access.forecast import Cell, deviation_by_cell, driver_sums, typical_driver_sums
from data_access.scope import FULL_ACCESS
from explain.drivers import cell_drivers

CHILD = {"region": "team", "team": "rep"}


def ours(engine, cell: Cell, region_id: int, team_id: int | None) -> None:
    deviation_by_cell(engine, FULL_ACCESS, CHILD[cell.level], region_id, team_id, cell.month)
    cell_drivers(driver_sums(engine, FULL_ACCESS, cell), typical_driver_sums(engine, FULL_ACCESS, cell), "en")


def naive(engine, cell: Cell, month_dates: list, quarter_date) -> None:
    """Per-deal rows of the clicked entity at every month-``cell.month`` snapshot, aggregated in pandas."""
    col = f"{cell.level}_id"
    dates = ", ".join(f"'{d}'" for d in month_dates)
    with engine.connect() as conn:
        fs = pd.read_sql(
            text(
                "SELECT snapshot_date, opportunity_id, region_id, team_id, rep_id, quarter, amount, "
                f"expected_amount FROM forecast_snapshots WHERE {col} = :key AND snapshot_date IN ({dates})"
            ),
            conn,
            params={"key": cell.key},
        )
        sh = pd.read_sql(
            text(
                "SELECT sh.snapshot_date, sh.opportunity_id, sh.feature, sh.feature_value, sh.contribution "
                "FROM shap_contributions sh JOIN reps r ON r.id = sh.rep_id JOIN teams t ON t.id = r.team_id "
                f"WHERE {'t.region_id' if cell.level == 'region' else 'r.team_id'} = :key "
                f"AND sh.snapshot_date IN ({dates})"
            ),
            conn,
            params={"key": cell.key},
        )
    child = CHILD[cell.level] + "_id"
    fs.groupby([child, "quarter"]).agg(expected=("expected_amount", "sum"), pipeline=("amount", "sum"))
    sh = sh.merge(fs[["snapshot_date", "opportunity_id", "amount"]], on=["snapshot_date", "opportunity_id"])
    stage = sh[sh.feature == "stage_index"][["snapshot_date", "opportunity_id", "feature_value"]]
    sh = sh.merge(
        stage.rename(columns={"feature_value": "stage_index"}), on=["snapshot_date", "opportunity_id"]
    )
    sh["weighted"] = sh.contribution * sh.amount
    sh["has_value"] = sh.feature_value.notna()

    def sums(rows: pd.DataFrame) -> pd.DataFrame:
        return (
            rows.groupby(["feature", "stage_index"])
            .agg(
                contribution=("weighted", "sum"),
                value_sum=("feature_value", "sum"),
                value_count=("has_value", "sum"),
                amount=("amount", "sum"),
            )
            .reset_index()
        )

    here = sh.snapshot_date == quarter_date
    cell_drivers(sums(sh[here]), sums(sh[~here]), "en")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a generated and trained database (default: a cached sample)")
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--month", type=int, default=2)
    parser.add_argument("--json")
    args = parser.parse_args()
    url = args.db or cached_db(args.deals, "drill")
    engine = get_engine(url)
    require_data(engine)
    with engine.connect() as conn:
        deals = conn.execute(select(func.count()).select_from(s.opportunities)).scalar_one()
        snaps = pd.read_sql(select(s.snapshots).where(s.snapshots.c.month_of_quarter == args.month), conn)
        teams = pd.read_sql(select(s.teams.c.id, s.teams.c.region_id), conn)
    rng = random.Random(1)
    steps = []  # (cell, region_id, team_id)
    for _ in range(args.repeats):
        q = rng.choice(list(snaps.quarter))
        team = teams.sample(1, random_state=rng.randrange(10**6)).iloc[0]
        steps.append((Cell("region", int(team.region_id), q, args.month), int(team.region_id), None))
        steps.append((Cell("team", int(team.id), q, args.month), int(team.region_id), int(team.id)))
    month_dates = [d for d in snaps.snapshot_date]
    date_of = dict(zip(snaps.quarter, snaps.snapshot_date))
    ours(engine, *steps[0])  # warm caches and connections
    ours_ms, naive_ms = [], []
    for cell, region_id, team_id in steps:
        t0 = time.perf_counter()
        ours(engine, cell, region_id, team_id)
        t1 = time.perf_counter()
        naive(engine, cell, month_dates, date_of[cell.quarter])
        t2 = time.perf_counter()
        ours_ms.append((t1 - t0) * 1000)
        naive_ms.append((t2 - t1) * 1000)
    p50, n50 = percentile(ours_ms, 50), percentile(naive_ms, 50)
    emit(
        {
            "deals": deals,
            "steps": len(steps),
            "drill_p50_ms": round(p50, 1),
            "drill_p95_ms": round(percentile(ours_ms, 95), 1),
            "naive_p50_ms": round(n50, 1),
            "naive_p95_ms": round(percentile(naive_ms, 95), 1),
            "speedup_p50": round(n50 / p50, 1) if p50 else None,
        },
        args.json,
    )


if __name__ == "__main__":
    main()
