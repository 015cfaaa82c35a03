"""Stored model and its outputs: forecasts, SHAP contributions and their roll-ups, per snapshot."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, delete, select

from data_access import schema as s
from data_access.bulk import bulk_insert


@dataclass
class ScoredSnapshot:
    """Everything one snapshot adds: per-deal rows and per-rep roll-ups."""

    date: date
    quarter: str
    month_of_quarter: int
    deals: pd.DataFrame  # forecast_snapshots rows
    shap: pd.DataFrame  # shap_contributions rows
    rollup: pd.DataFrame  # forecast_rollup rows
    drivers: pd.DataFrame  # driver_rollup rows
    methods: pd.DataFrame  # method_rollup rows: the baselines' expected amounts per rep


def replace_model_outputs(
    engine: Engine, payload: bytes, metrics: dict, trained_at: datetime, snapshots: Iterable[ScoredSnapshot]
) -> int:
    """Replace the stored model and all its outputs in one transaction (all or nothing)."""
    count = 0
    with engine.begin() as conn:
        for table in (*s.FACT_TABLES, s.snapshots, s.models):
            conn.execute(delete(table))
        conn.execute(
            s.models.insert().values(
                id=1, kind="forecast", trained_at=trained_at, payload=payload, metrics=json.dumps(metrics)
            )
        )
        for snap in snapshots:
            conn.execute(
                s.snapshots.insert().values(
                    snapshot_date=snap.date, quarter=snap.quarter, month_of_quarter=snap.month_of_quarter
                )
            )
            bulk_insert(conn, s.forecast_snapshots, snap.deals)
            bulk_insert(conn, s.shap_contributions, snap.shap)
            bulk_insert(conn, s.forecast_rollup, snap.rollup)
            bulk_insert(conn, s.driver_rollup, snap.drivers)
            bulk_insert(conn, s.method_rollup, snap.methods)
            count += 1
    return count


def load_model_payload(engine: Engine) -> tuple[bytes, dict] | None:
    """The stored model (JSON payload) and its metrics, or None if nothing was trained yet."""
    with engine.connect() as conn:
        row = conn.execute(
            select(s.models.c.payload, s.models.c.metrics).where(s.models.c.kind == "forecast")
        ).first()
    return None if row is None else (bytes(row.payload), json.loads(row.metrics))
