"""Stored backtest results and the method the team picked as "the forecast"."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Engine, func, select

from data_access import schema as s
from data_access.preferences import preference, set_preference

FORECAST_METHOD_KEY = "forecast_method"
DEFAULT_METHOD = "model"


def save_backtest(engine: Engine, result: dict, run_at: datetime) -> int:
    """Store a backtest result (kept alongside earlier runs); returns its id."""
    with engine.begin() as conn:
        new_id = conn.execute(select(func.coalesce(func.max(s.backtests.c.id), 0) + 1)).scalar_one()
        conn.execute(s.backtests.insert().values(id=new_id, run_at=run_at, result=json.dumps(result)))
    return int(new_id)


def latest_backtest(engine: Engine) -> tuple[datetime, dict] | None:
    """The newest stored backtest (when it ran, its result), or None if none was run."""
    with engine.connect() as conn:
        row = conn.execute(
            select(s.backtests.c.run_at, s.backtests.c.result).order_by(s.backtests.c.id.desc()).limit(1)
        ).first()
    return None if row is None else (row.run_at, json.loads(row.result))


def forecast_method(engine: Engine) -> str:
    """The method picked as "the forecast" (the model until someone picks another)."""
    return preference(engine, FORECAST_METHOD_KEY, DEFAULT_METHOD)


def set_forecast_method(engine: Engine, method: str) -> None:
    set_preference(engine, FORECAST_METHOD_KEY, method)
