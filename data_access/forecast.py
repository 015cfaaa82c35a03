"""Forecast repository: deviation per drill cell, the drivers behind a cell, deals and their SHAP.

Every function takes the viewer's scope and returns a small DataFrame of aggregates computed in the
database from the per-rep roll-ups (``forecast_rollup``, ``driver_rollup``); only the deal level
reads per-deal rows, and then only one rep's or one deal's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, func, select

from data_access import schema as s
from data_access.history import read_frame
from data_access.preferences import preference
from data_access.scope import Scope
from data_access.vocabulary import AMOUNT_UNIT_KEY, DEFAULT_AMOUNT_UNIT

LEVELS = ("region", "team", "rep", "deal")
MODES = ("target", "change")


@dataclass(frozen=True)
class Cell:
    """One heatmap cell: an entity at a drill level, in a quarter, seen at a snapshot month."""

    level: str  # region | team | rep
    key: int
    quarter: str
    month: int = 3


def snapshot_calendar(engine: Engine) -> pd.DataFrame:
    """Every stored snapshot: snapshot_date, quarter, month_of_quarter (sorted by date)."""
    with engine.connect() as conn:
        return read_frame(conn, select(s.snapshots).order_by(s.snapshots.c.snapshot_date))


def snapshot_for(engine: Engine, quarter: str, month: int) -> date | None:
    """The snapshot taken at ``month`` (1..3) of ``quarter``; the latest one in the quarter if that month is not reached yet."""
    sn = s.snapshots
    stmt = (
        select(sn.c.snapshot_date)
        .where(sn.c.quarter == quarter, sn.c.month_of_quarter <= month)
        .order_by(sn.c.month_of_quarter.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        return conn.execute(stmt).scalar()


def _entity(level: str):
    return {"region": s.regions, "team": s.teams, "rep": s.reps}[level]


def _level_filter(table, region_id: int | None, team_id: int | None) -> list:
    out = []
    if region_id is not None:
        out.append(table.c.region_id == region_id)
    if team_id is not None:
        out.append(table.c.team_id == team_id)
    return out


def _forecast_by_cell(
    engine: Engine, scope: Scope, level: str, months: list[int], region_id, team_id, method: str = "model"
) -> pd.DataFrame:
    """Forecast (won so far + expected from open deals) and pipeline per entity, quarter and month.

    ``method``: whose expected amounts: the model's, or a baseline's (``method_rollup``).
    """
    r, sn = s.forecast_rollup, s.snapshots
    key = r.c[f"{level}_id"]
    stmt = (
        select(
            key.label("key"),
            r.c.quarter,
            sn.c.month_of_quarter.label("month"),
            func.sum(r.c.won_amount).label("won"),
            func.sum(r.c.expected_amount).label("expected"),
            func.sum(r.c.won_amount + r.c.open_amount).label("pipeline"),
            func.sum(r.c.open_amount).label("open_amount"),
        )
        .join(sn, sn.c.snapshot_date == r.c.snapshot_date)
        .where(sn.c.month_of_quarter.in_(months), *_level_filter(r, region_id, team_id), *scope.clauses(r))
        .group_by(key, r.c.quarter, sn.c.month_of_quarter)
    )
    with engine.connect() as conn:
        out = read_frame(conn, stmt)
        if method != "model":
            m = s.method_rollup
            mkey = m.c[f"{level}_id"]
            alt = read_frame(
                conn,
                select(
                    mkey.label("key"),
                    m.c.quarter,
                    sn.c.month_of_quarter.label("month"),
                    func.sum(m.c.expected_amount).label("expected"),
                )
                .join(sn, sn.c.snapshot_date == m.c.snapshot_date)
                .where(
                    m.c.method == method,
                    sn.c.month_of_quarter.in_(months),
                    *_level_filter(m, region_id, team_id),
                    *scope.clauses(m),
                )
                .group_by(mkey, m.c.quarter, sn.c.month_of_quarter),
            )
            out = out.drop(columns="expected").merge(alt, on=["key", "quarter", "month"], how="left")
            out["expected"] = out.expected.fillna(0.0)
    out["forecast"] = out.won + out.expected
    return out.drop(columns=["won", "expected"])


def amount_unit(engine: Engine) -> str:
    """What deal amounts count: a currency code (the sample's CNY, an import's USD) or "count"."""
    return preference(engine, AMOUNT_UNIT_KEY, DEFAULT_AMOUNT_UNIT)


def has_targets(engine: Engine) -> bool:
    """Whether any sales target is recorded (an imported CRM export may bring none)."""
    with engine.connect() as conn:
        return conn.execute(select(s.targets.c.team_id).limit(1)).first() is not None


def _targets(engine: Engine, level: str, region_id, team_id) -> pd.DataFrame:
    """Targets per entity (region or team) and quarter; rep level gets the team's."""
    tg, tm = s.targets, s.teams
    group = tm.c.region_id if level == "region" else tg.c.team_id
    stmt = select(group.label("key"), tg.c.quarter, func.sum(tg.c.amount).label("target")).join(
        tm, tm.c.id == tg.c.team_id
    )
    if region_id is not None:
        stmt = stmt.where(tm.c.region_id == region_id)
    if team_id is not None:
        stmt = stmt.where(tg.c.team_id == team_id)
    with engine.connect() as conn:
        return read_frame(conn, stmt.group_by(group, tg.c.quarter))


def names(engine: Engine, scope: Scope, level: str, keys: list[int] | None = None) -> pd.DataFrame:
    """Display names (name_en, name_zh) of regions, teams or reps the viewer may see, indexed by id."""
    table = _entity(level)
    stmt = select(table.c.id, table.c.name_en, table.c.name_zh).where(
        *scope.entity_clauses(level, table.c.id)
    )
    if keys is not None:
        stmt = stmt.where(table.c.id.in_([int(k) for k in keys]))
    with engine.connect() as conn:
        return read_frame(conn, stmt.order_by(table.c.id)).set_index("id")


def deviation_by_cell(
    engine: Engine,
    scope: Scope,
    level: str = "region",
    region_id: int | None = None,
    team_id: int | None = None,
    month: int = 3,
    mode: str = "target",
    method: str = "model",
) -> pd.DataFrame:
    """Forecast deviation per (entity, quarter) at a drill level, by ``method``'s expected amounts.

    mode "target": (forecast - target) / target, the forecast as of the snapshot at ``month`` of the
    quarter (reps get their team's target pro rata to their pipeline). mode "change": change of the
    forecast since the previous monthly snapshot of the same quarter (month 2 or 3).
    Columns: key, name_en, name_zh, quarter, forecast, reference, deviation.
    """
    if level not in LEVELS[:3]:
        raise ValueError(f"unknown drill level {level!r}")
    if mode not in MODES:
        raise ValueError(f"unknown deviation mode {mode!r}")
    if mode == "change" and month == 1:
        month = 2
    months = [month - 1, month] if mode == "change" else [month]
    f = _forecast_by_cell(engine, scope, level, months, region_id, team_id, method)
    if f.empty:
        return pd.DataFrame(
            columns=["key", "name_en", "name_zh", "quarter", "forecast", "reference", "deviation"]
        )
    now = f[f.month == month].drop(columns="month")
    if mode == "change":
        prev = f[f.month == month - 1][["key", "quarter", "forecast"]].rename(
            columns={"forecast": "reference"}
        )
        out = now.merge(prev, on=["key", "quarter"], how="inner")
    elif level == "rep":
        team_target = _targets(engine, "team", region_id, team_id)
        team_pipe = now.groupby("quarter").pipeline.sum().rename("team_pipeline")
        out = now.merge(team_target.groupby("quarter").target.sum().reset_index(), on="quarter").join(
            team_pipe, on="quarter"
        )
        out["reference"] = out.target * out.pipeline / out.team_pipeline
    else:
        out = now.merge(
            _targets(engine, level, region_id, team_id).rename(columns={"target": "reference"}),
            on=["key", "quarter"],
            how="inner",
        )
    out = out[out.reference > 0].copy()
    out["deviation"] = out.forecast / out.reference - 1.0
    labels = names(engine, scope, level, sorted(out.key.unique()))
    out = out.join(labels, on="key")
    return (
        out[["key", "name_en", "name_zh", "quarter", "forecast", "reference", "deviation"]]
        .sort_values(["key", "quarter"])
        .reset_index(drop=True)
    )


def _driver_sums_select():
    d = s.driver_rollup
    return select(
        d.c.feature,
        d.c.stage_index,
        func.sum(d.c.contribution).label("contribution"),
        func.sum(d.c.value_sum).label("value_sum"),
        func.sum(d.c.value_count).label("value_count"),
        func.sum(d.c.amount).label("amount"),
    ).group_by(d.c.feature, d.c.stage_index)


def driver_sums(engine: Engine, scope: Scope, cell: Cell, snapshot: date | None = None) -> pd.DataFrame:
    """Per feature and deal stage: summed amount-weighted contribution, value sums and counts, open amount.

    One cell at its snapshot (or at ``snapshot``). Columns: feature, stage_index, contribution,
    value_sum, value_count, amount.
    """
    d, sn = s.driver_rollup, s.snapshots
    stmt = _driver_sums_select().where(d.c[f"{cell.level}_id"] == cell.key, *scope.clauses(d))
    if snapshot is None:
        stmt = stmt.join(sn, sn.c.snapshot_date == d.c.snapshot_date).where(
            sn.c.quarter == cell.quarter, sn.c.month_of_quarter == cell.month
        )
    else:
        stmt = stmt.where(d.c.snapshot_date == snapshot)
    with engine.connect() as conn:
        return read_frame(conn, stmt.order_by(d.c.feature, d.c.stage_index))


def typical_driver_sums(engine: Engine, scope: Scope, cell: Cell) -> pd.DataFrame:
    """The same sums for the cell's entity over its other quarters, at the same month of the quarter.

    This is the "typical cell" a deviation is explained against: the same region/team/rep, so its
    structure (customer tiers, products, seniority) cancels out and what changed in this quarter stays.
    """
    d, sn = s.driver_rollup, s.snapshots
    stmt = (
        _driver_sums_select()
        .join(sn, sn.c.snapshot_date == d.c.snapshot_date)
        .where(
            sn.c.month_of_quarter == cell.month,
            sn.c.quarter != cell.quarter,
            d.c[f"{cell.level}_id"] == cell.key,
            *scope.clauses(d),
        )
    )
    with engine.connect() as conn:
        return read_frame(conn, stmt.order_by(d.c.feature, d.c.stage_index))


def open_deals(engine: Engine, scope: Scope, rep_id: int, snapshot: date) -> pd.DataFrame:
    """The rep's open deals at a snapshot with their forecasts and the account/product names."""
    fs, o, a, p = s.forecast_snapshots, s.opportunities, s.accounts, s.products
    stmt = (
        select(
            fs.c.opportunity_id.label("deal_id"),
            a.c.name_en.label("account_en"),
            a.c.name_zh.label("account_zh"),
            p.c.name_en.label("product_en"),
            p.c.name_zh.label("product_zh"),
            fs.c.amount,
            fs.c.win_probability,
            fs.c.close_in_quarter_probability,
            fs.c.expected_amount,
        )
        .join(o, o.c.id == fs.c.opportunity_id)
        .outerjoin(a, a.c.id == o.c.account_id)
        .outerjoin(p, p.c.id == o.c.product_id)
        .where(fs.c.rep_id == rep_id, fs.c.snapshot_date == snapshot, *scope.clauses(fs))
        .order_by(fs.c.expected_amount.desc())
    )
    with engine.connect() as conn:
        return read_frame(conn, stmt)


def deal_contributions(engine: Engine, scope: Scope, deal_id: int, snapshot: date) -> pd.DataFrame:
    """One deal's SHAP contributions (probability points) with its feature values, plus its forecast.

    Columns: feature, feature_value, feature_text, contribution, close_in_quarter_probability.
    """
    sh, fs = s.shap_contributions, s.forecast_snapshots
    stmt = (
        select(
            sh.c.feature,
            sh.c.feature_value,
            sh.c.feature_text,
            sh.c.contribution,
            fs.c.close_in_quarter_probability,
        )
        .join(fs, and_(fs.c.opportunity_id == sh.c.opportunity_id, fs.c.snapshot_date == sh.c.snapshot_date))
        .where(sh.c.opportunity_id == deal_id, sh.c.snapshot_date == snapshot, *scope.clauses(fs))
    )
    with engine.connect() as conn:
        return read_frame(conn, stmt)


def hierarchy_of(engine: Engine, scope: Scope, level: str, key: int) -> dict[str, int]:
    """The ids above an entity: for a rep {region_id, team_id, rep_id}, etc. Empty if unknown or out of scope."""
    if key not in names(engine, scope, level, [key]).index:
        return {}
    r, t = s.reps, s.teams
    if level == "region":
        return {"region_id": key}
    if level == "team":
        stmt = select(t.c.region_id, t.c.id.label("team_id")).where(t.c.id == key)
    else:
        stmt = (
            select(t.c.region_id, r.c.team_id, r.c.id.label("rep_id"))
            .join(t, t.c.id == r.c.team_id)
            .where(r.c.id == key)
        )
    with engine.connect() as conn:
        row = conn.execute(stmt).mappings().first()
    return dict(row) if row else {}


def quarters(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [
            q
            for (q,) in conn.execute(select(s.snapshots.c.quarter).distinct().order_by(s.snapshots.c.quarter))
        ]


def deal_changes(engine: Engine, scope: Scope, cell: Cell, start: date, end: date) -> pd.DataFrame:
    """Every deal that counts towards a cell's forecast at snapshot ``start`` or ``end`` (same quarter).

    A deal counts with its expected amount while open in the cell at a snapshot, and with its amount once
    won in the quarter before the snapshot (credited to its last owner, as the roll-ups do), so
    ``start_value`` and ``end_value`` sum to the cell's forecast at each snapshot.
    Columns: deal_id, account_en, account_zh, amount_a/_b, p_a/_b (P(won this quarter)),
    open_a/_b, outcome, closed_date, start_value, end_value.
    """
    fs, o, r, tm, a = s.forecast_snapshots, s.opportunities, s.reps, s.teams, s.accounts
    cell_column = {"region": fs.c.region_id, "team": fs.c.team_id, "rep": fs.c.rep_id}[cell.level]
    owner_column = {"region": tm.c.region_id, "team": tm.c.id, "rep": r.c.id}[cell.level]
    q_start = pd.Period(cell.quarter, freq="Q").start_time.date()

    def at(day: date) -> pd.DataFrame:
        stmt = select(
            fs.c.opportunity_id.label("deal_id"),
            fs.c.amount,
            fs.c.close_in_quarter_probability.label("p"),
            fs.c.expected_amount.label("expected"),
        ).where(fs.c.snapshot_date == day, cell_column == cell.key, *scope.clauses(fs))
        return read_frame(conn, stmt).set_index("deal_id")

    with engine.connect() as conn:
        a_rows, b_rows = at(start), at(end)
        won = read_frame(
            conn,
            select(o.c.id.label("deal_id"), o.c.amount.label("won_amount"), o.c.closed_date.label("won_date"))
            .join(r, r.c.id == o.c.owner_rep_id)
            .join(tm, tm.c.id == r.c.team_id)
            .where(
                o.c.outcome == "won",
                o.c.closed_date >= q_start,
                o.c.closed_date < end,
                owner_column == cell.key,
                *scope.entity_clauses("rep", r.c.id),
                *scope.entity_clauses("team", tm.c.id),
                *scope.entity_clauses("region", tm.c.region_id),
            ),
        ).set_index("deal_id")
        ids = sorted(set(a_rows.index) | set(b_rows.index) | set(won.index))
        info = read_frame(
            conn,
            select(
                o.c.id.label("deal_id"),
                o.c.outcome,
                o.c.closed_date,
                a.c.name_en.label("account_en"),
                a.c.name_zh.label("account_zh"),
            )
            .outerjoin(a, a.c.id == o.c.account_id)
            .where(o.c.id.in_([int(i) for i in ids])),
        ).set_index("deal_id")
    out = info.reindex(ids)
    out = out.join(a_rows.add_suffix("_a")).join(b_rows.add_suffix("_b")).join(won)
    out["open_a"], out["open_b"] = out.p_a.notna(), out.p_b.notna()
    won_date = pd.to_datetime(out.won_date)
    won_by_a = (won_date < pd.Timestamp(start)).fillna(False).to_numpy(bool)
    won_by_b = won_date.notna().to_numpy(bool)
    out["start_value"] = out.expected_a.fillna(0.0) + np.where(won_by_a, out.won_amount.fillna(0.0), 0.0)
    out["end_value"] = out.expected_b.fillna(0.0) + np.where(won_by_b, out.won_amount.fillna(0.0), 0.0)
    return out.drop(columns=["expected_a", "expected_b", "won_date"]).reset_index()


def deal_shap(engine: Engine, scope: Scope, deal_ids: list[int], snapshot: date) -> pd.DataFrame:
    """SHAP contributions (probability points) and feature values of some deals at one snapshot."""
    sh = s.shap_contributions
    stmt = select(
        sh.c.opportunity_id.label("deal_id"), sh.c.feature, sh.c.feature_value, sh.c.contribution
    ).where(
        sh.c.snapshot_date == snapshot,
        sh.c.opportunity_id.in_([int(i) for i in deal_ids]),
        *scope.clauses(sh),
    )
    with engine.connect() as conn:
        return read_frame(conn, stmt)


def deal_features(
    engine: Engine, scope: Scope, snapshot: date, cell: Cell | None = None, deal_id: int | None = None
) -> pd.DataFrame:
    """Model features of a cell's (or one deal's) open deals at a snapshot, as stored at scoring time.

    One row per deal: deal_id, amount, and one column per feature (numbers, or the category's text).
    """
    sh, fs = s.shap_contributions, s.forecast_snapshots
    where = [fs.c.snapshot_date == snapshot, *scope.clauses(fs)]
    if cell is not None:
        where.append(fs.c[f"{cell.level}_id"] == cell.key)
    if deal_id is not None:
        where.append(fs.c.opportunity_id == deal_id)
    with engine.connect() as conn:
        deals = read_frame(conn, select(fs.c.opportunity_id.label("deal_id"), fs.c.amount).where(*where))
        values = read_frame(
            conn,
            select(sh.c.opportunity_id.label("deal_id"), sh.c.feature, sh.c.feature_value, sh.c.feature_text)
            .join(
                fs, and_(fs.c.opportunity_id == sh.c.opportunity_id, fs.c.snapshot_date == sh.c.snapshot_date)
            )
            .where(*where),
        )
    numeric = values[values.feature_text.isna()].pivot(
        index="deal_id", columns="feature", values="feature_value"
    )
    text = values[values.feature_text.notna()].pivot(
        index="deal_id", columns="feature", values="feature_text"
    )
    wide = numeric.join(text, how="outer")
    wide.columns.name = None
    return deals.set_index("deal_id").join(wide).reset_index()
