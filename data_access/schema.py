"""The sales database schema (SQLAlchemy Core), portable between DuckDB and PostgreSQL.

Ids are assigned by the writer (simulator, importer), not by the database: DuckDB has no SERIAL and
bulk loads are faster without sequences. Hierarchy columns (region/team/rep) are copied onto
forecast and SHAP rows at snapshot time so drill queries need no joins and reflect who owned a deal
*then*.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

regions = Table(
    "regions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("code", String(32), nullable=False, unique=True),
    Column("name_en", String(128), nullable=False),
    Column("name_zh", String(128), nullable=False),
)

teams = Table(
    "teams",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("region_id", Integer, nullable=False),
    Column("segment", String(32), nullable=False),
    Column("name_en", String(128), nullable=False),
    Column("name_zh", String(128), nullable=False),
)

reps = Table(
    "reps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("team_id", Integer, nullable=False),
    Column("manager_id", Integer),
    Column("name_en", String(128), nullable=False),
    Column("name_zh", String(128), nullable=False),
    Column("seniority", String(16), nullable=False),
    Column("hire_date", Date, nullable=False),
    Column("leave_date", Date),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name_en", String(256), nullable=False),
    Column("name_zh", String(256), nullable=False),
    Column("kind", String(32), nullable=False),  # hospital | distributor
    Column("tier", String(32), nullable=False),  # tier3 | tier2 | private | distributor
    Column("city", String(64), nullable=False),
    Column("region_id", Integer, nullable=False),
)

products = Table(
    "products",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name_en", String(128), nullable=False),
    Column("name_zh", String(128), nullable=False),
    Column("line", String(64), nullable=False),
    Column("list_price", Double, nullable=False),
)

opportunities = Table(
    "opportunities",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("external_id", String(64)),  # the id in the CRM it was imported from
    Column("owner_rep_id", Integer, nullable=False),
    Column("account_id", Integer),
    Column("product_id", Integer),
    Column("amount", Double, nullable=False),
    Column("discount_pct", Double),
    Column("created_date", Date, nullable=False),
    Column("expected_close_date", Date),
    Column("stage", String(32), nullable=False),
    Column("forecast_category", String(32), nullable=False),
    Column("closed_date", Date),
    Column("outcome", String(8)),  # won | lost | NULL while open
)

deal_attributes = Table(
    "deal_attributes",
    metadata,
    Column("opportunity_id", BigInteger, nullable=False),
    Column("name", String(64), nullable=False),  # an imported field the model uses as a category
    Column("value", String(256)),
    Index("ix_deal_attributes_opp", "opportunity_id"),
)

stage_history = Table(
    "stage_history",
    metadata,
    Column("opportunity_id", BigInteger, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("entered_date", Date, nullable=False),
    Column("exited_date", Date),
    Index("ix_stage_history_opp", "opportunity_id"),
)

ownership_history = Table(
    "ownership_history",
    metadata,
    Column("opportunity_id", BigInteger, nullable=False),
    Column("rep_id", Integer, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
)

activities = Table(
    "activities",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("opportunity_id", BigInteger, nullable=False),
    Column("rep_id", Integer, nullable=False),
    Column("kind", String(32), nullable=False),  # visit | call | demo | meeting | competitor_quote
    Column("activity_date", Date, nullable=False),
    Column("role_met", String(64)),  # department_head | equipment_dept | procurement | president | finance
)

annotations = Table(
    "annotations",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("opportunity_id", BigInteger, nullable=False),
    Column("rep_id", Integer, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("annotated_date", Date, nullable=False),
    Column("note", Text),
)

targets = Table(
    "targets",
    metadata,
    Column("team_id", Integer, nullable=False),
    Column("quarter", String(8), nullable=False),
    Column("amount", Double, nullable=False),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("snapshot_date", Date, primary_key=True),
    Column("quarter", String(8), nullable=False),
    Column("month_of_quarter", Integer, nullable=False),
)

forecast_snapshots = Table(
    "forecast_snapshots",
    metadata,
    Column("snapshot_date", Date, nullable=False),
    Column("opportunity_id", BigInteger, nullable=False),
    Column("region_id", Integer, nullable=False),
    Column("team_id", Integer, nullable=False),
    Column("rep_id", Integer, nullable=False),
    Column("quarter", String(8), nullable=False),
    Column("amount", Double, nullable=False),
    Column("win_probability", Double, nullable=False),
    Column("close_in_quarter_probability", Double, nullable=False),
    Column("expected_amount", Double, nullable=False),
)

shap_contributions = Table(
    "shap_contributions",
    metadata,
    Column("snapshot_date", Date, nullable=False),
    Column("opportunity_id", BigInteger, nullable=False),
    Column("rep_id", Integer, nullable=False),
    Column("feature", String(64), nullable=False),
    Column("feature_value", Double),
    Column("feature_text", String(128)),
    Column("contribution", Double, nullable=False),  # probability points, this deal
)

forecast_rollup = Table(
    "forecast_rollup",
    metadata,
    Column("snapshot_date", Date, nullable=False),
    Column("quarter", String(8), nullable=False),
    Column("region_id", Integer, nullable=False),
    Column("team_id", Integer, nullable=False),
    Column("rep_id", Integer, nullable=False),
    Column("open_deals", Integer, nullable=False),
    Column("open_amount", Double, nullable=False),
    Column("expected_amount", Double, nullable=False),
    Column("won_amount", Double, nullable=False),  # won in the quarter before the snapshot
)

method_rollup = Table(
    "method_rollup",
    metadata,
    Column("snapshot_date", Date, nullable=False),
    Column("quarter", String(8), nullable=False),
    Column("region_id", Integer, nullable=False),
    Column("team_id", Integer, nullable=False),
    Column("rep_id", Integer, nullable=False),
    Column("method", String(32), nullable=False),  # a baseline the team may pick as "the forecast"
    Column("expected_amount", Double, nullable=False),
)

driver_rollup = Table(
    "driver_rollup",
    metadata,
    Column("snapshot_date", Date, nullable=False),
    Column("quarter", String(8), nullable=False),
    Column("region_id", Integer, nullable=False),
    Column("team_id", Integer, nullable=False),
    Column("rep_id", Integer, nullable=False),
    Column("feature", String(64), nullable=False),
    Column("stage_index", Integer, nullable=False),  # deals' stage: explanations compare like with like
    Column("contribution", Double, nullable=False),  # sum of amount x probability contribution
    Column("amount", Double, nullable=False),
    Column("value_sum", Double, nullable=False),
    Column("value_count", Integer, nullable=False),
)

models = Table(
    "models",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),  # forecast bundle
    Column("trained_at", DateTime, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("metrics", Text, nullable=False),  # JSON
)

backtests = Table(
    "backtests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("run_at", DateTime, nullable=False),
    Column("result", Text, nullable=False),  # JSON, the shape documented in explain/backtest.py
)

preferences = Table(
    "preferences",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

truth_causes = Table(
    "truth_causes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("code", String(64), nullable=False, unique=True),
    Column("name_en", String(256), nullable=False),
    Column("name_zh", String(256), nullable=False),
    Column("features", String(256), nullable=False),  # comma-separated model features it acts through
    Column("observable", Boolean, nullable=False),  # False: leaves no trace in recorded fields
    Column("start_date", Date, nullable=False),  # when the cause began acting
    Column("end_date", Date, nullable=False),
    Column("description", Text, nullable=False),
)

truth_cells = Table(
    "truth_cells",
    metadata,
    Column("cause_id", Integer, nullable=False),
    Column("level", String(16), nullable=False),  # region | team | rep
    Column("region_id", Integer, nullable=False),
    Column("team_id", Integer),
    Column("rep_id", Integer),
    Column("quarter", String(8), nullable=False),
    Column("effect_bookings", Double, nullable=False),  # realised bookings with minus without the cause
    Column("effect_detail", Text, nullable=False),
)

FACT_TABLES = (forecast_snapshots, shap_contributions, forecast_rollup, method_rollup, driver_rollup)
