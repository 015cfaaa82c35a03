"""Planted-cause recovery: does the top driver of each truth cell name a feature the cause acts through?

For each cell in truth_cells (observable causes) and snapshot months 2 and 3 taken after the cause began, the cell's drivers against
its typical quarter are computed; the top driver is the most negative contribution when the cause cut
bookings (the most positive otherwise), among the signal drivers: the folded "pipeline stage mix and
timing" bar is not a cause and is counted apart (``mix_bar_on_top``; ``strict_recovery`` counts a cell
only when that bar is not the largest either). Unobservable causes are reported apart with the month-3
forecast error of their cells.

    python benchmarks/recovery.py --deals 40000 --json out/recovery.json
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd
from _common import build, emit
from sqlalchemy import select

from data_access import schema as s
from data_access.engine import get_engine, require_data
from data_access.forecast import Cell, driver_sums, snapshot_for, typical_driver_sums
from data_access.scope import FULL_ACCESS
from explain.drivers import MIX, cell_drivers

MONTHS = (2, 3)


def truth(engine) -> pd.DataFrame:
    c, tc = s.truth_causes, s.truth_cells
    stmt = select(tc, c.c.code, c.c.features, c.c.observable, c.c.start_date).join(c, c.c.id == tc.c.cause_id)
    with engine.connect() as conn:
        return pd.read_sql(stmt, conn)


def key_of(row) -> int:
    return int(getattr(row, f"{row.level}_id"))


def forecast_error(engine, level: str, key: int, quarter: str) -> dict:
    """Forecast at month 3 of the quarter vs bookings actually won in it, for one cell."""
    r, sn, o, reps, teams = s.forecast_rollup, s.snapshots, s.opportunities, s.reps, s.teams
    with engine.connect() as conn:
        f = pd.read_sql(
            select(r.c.won_amount, r.c.expected_amount)
            .join(sn, sn.c.snapshot_date == r.c.snapshot_date)
            .where(r.c.quarter == quarter, sn.c.month_of_quarter == 3, r.c[f"{level}_id"] == key),
            conn,
        )
        won = pd.read_sql(
            select(o.c.amount, o.c.closed_date, reps.c.id.label("rep_id"), reps.c.team_id, teams.c.region_id)
            .join(reps, reps.c.id == o.c.owner_rep_id)
            .join(teams, teams.c.id == reps.c.team_id)
            .where(o.c.outcome == "won"),
            conn,
        )
    won = won[won[f"{level}_id"] == key]
    closed = pd.to_datetime(won.closed_date)
    actual = float(
        won.amount[closed.dt.year.astype(str) + "Q" + closed.dt.quarter.astype(str) == quarter].sum()
    )
    predicted = float((f.won_amount + f.expected_amount).sum())
    return {
        "forecast_m3": round(predicted),
        "actual_won": round(actual),
        "error_pct": round(100 * (predicted / actual - 1), 1) if actual else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a generated and trained database (default: a fresh sample)")
    parser.add_argument("--deals", type=int, default=40_000)
    parser.add_argument("--json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cockpit-recovery-") as tmp:
        url = args.db
        if not url:
            url = f"duckdb:///{Path(tmp) / 'recovery.duckdb'}"
            build(url, args.deals)
        engine = get_engine(url)
        require_data(engine)
        cells = truth(engine)
        checked, misses, unobservable, mix_on_top, strict = 0, [], [], 0, 0
        for row in cells.itertuples(index=False):
            key = key_of(row)
            if not row.observable:
                unobservable.append(
                    {
                        "cause": row.code,
                        "level": row.level,
                        "key": key,
                        "quarter": row.quarter,
                        "effect_bookings": row.effect_bookings,
                        **forecast_error(engine, row.level, key, row.quarter),
                    }
                )
                continue
            features = set(row.features.split(","))
            for month in MONTHS:
                snapshot = snapshot_for(engine, row.quarter, month)
                if snapshot is None or snapshot <= pd.Timestamp(row.start_date).date():
                    continue  # a snapshot taken before the cause began cannot show it
                cell = Cell(row.level, key, row.quarter, month)
                sums = driver_sums(engine, FULL_ACCESS, cell)
                drivers = cell_drivers(sums, typical_driver_sums(engine, FULL_ACCESS, cell), top=len(sums))
                checked += 1
                if drivers.empty:
                    misses.append(
                        {
                            "cause": row.code,
                            "level": row.level,
                            "key": key,
                            "quarter": row.quarter,
                            "month": month,
                            "named_instead": None,
                            "label": "no open deals",
                        }
                    )
                    continue
                # The signal drivers are ranked; the folded stage/timing/mix bar is counted apart.
                sign = -1.0 if row.effect_bookings < 0 else 1.0
                mix_first = drivers.loc[(drivers.contribution * sign).idxmax()].feature == MIX
                mix_on_top += mix_first
                signals = drivers[drivers.feature != MIX]
                top = signals.loc[(signals.contribution * sign).idxmax()]
                strict += (top.feature in features) and not mix_first
                if top.feature not in features:
                    misses.append(
                        {
                            "cause": row.code,
                            "level": row.level,
                            "key": key,
                            "quarter": row.quarter,
                            "month": month,
                            "named_instead": top.feature,
                            "label": top.label,
                        }
                    )
        engine.dispose()
    recovered = checked - len(misses)
    emit(
        {
            "deals": args.deals if not args.db else None,
            "cells": checked,
            "recovered": recovered,
            "planted_cause_recovery": round(recovered / checked, 3) if checked else None,
            "mix_bar_on_top": mix_on_top,
            "strict_recovery": round(strict / checked, 3) if checked else None,
            "misses": misses,
            "unobservable": unobservable,
        },
        args.json,
    )


if __name__ == "__main__":
    main()
