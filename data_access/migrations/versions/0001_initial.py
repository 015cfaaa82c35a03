"""Initial schema: every table and index of data_access/schema.py as of the first release.

Written out table by table (not ``metadata.create_all``) so that later changes to schema.py need a new
revision instead of silently changing this one.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name_en", sa.String(length=256), nullable=False),
        sa.Column("name_zh", sa.String(length=256), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("tier", sa.String(length=32), nullable=False),
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "activities",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("opportunity_id", sa.BigInteger(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("role_met", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "annotations",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("opportunity_id", sa.BigInteger(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("annotated_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "driver_rollup",
        sa.Column("snapshot_date", sa.Date(), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("feature", sa.String(length=64), nullable=False),
        sa.Column("stage_index", sa.Integer(), nullable=False),
        sa.Column("contribution", sa.Double(), nullable=False),
        sa.Column("amount", sa.Double(), nullable=False),
        sa.Column("value_sum", sa.Double(), nullable=False),
        sa.Column("value_count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "forecast_rollup",
        sa.Column("snapshot_date", sa.Date(), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("open_deals", sa.Integer(), nullable=False),
        sa.Column("open_amount", sa.Double(), nullable=False),
        sa.Column("expected_amount", sa.Double(), nullable=False),
        sa.Column("won_amount", sa.Double(), nullable=False),
    )
    op.create_table(
        "forecast_snapshots",
        sa.Column("snapshot_date", sa.Date(), nullable=False),
        sa.Column("opportunity_id", sa.BigInteger(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.Double(), nullable=False),
        sa.Column("win_probability", sa.Double(), nullable=False),
        sa.Column("close_in_quarter_probability", sa.Double(), nullable=False),
        sa.Column("expected_amount", sa.Double(), nullable=False),
    )
    op.create_table(
        "models",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("trained_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("metrics", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "opportunities",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("owner_rep_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.Double(), nullable=False),
        sa.Column("discount_pct", sa.Double(), nullable=True),
        sa.Column("created_date", sa.Date(), nullable=False),
        sa.Column("expected_close_date", sa.Date(), nullable=True),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("forecast_category", sa.String(length=32), nullable=False),
        sa.Column("closed_date", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=8), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "ownership_history",
        sa.Column("opportunity_id", sa.BigInteger(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name_en", sa.String(length=128), nullable=False),
        sa.Column("name_zh", sa.String(length=128), nullable=False),
        sa.Column("line", sa.String(length=64), nullable=False),
        sa.Column("list_price", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "regions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_en", sa.String(length=128), nullable=False),
        sa.Column("name_zh", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "reps",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("name_en", sa.String(length=128), nullable=False),
        sa.Column("name_zh", sa.String(length=128), nullable=False),
        sa.Column("seniority", sa.String(length=16), nullable=False),
        sa.Column("hire_date", sa.Date(), nullable=False),
        sa.Column("leave_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "shap_contributions",
        sa.Column("snapshot_date", sa.Date(), nullable=False),
        sa.Column("opportunity_id", sa.BigInteger(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("feature", sa.String(length=64), nullable=False),
        sa.Column("feature_value", sa.Double(), nullable=True),
        sa.Column("feature_text", sa.String(length=128), nullable=True),
        sa.Column("contribution", sa.Double(), nullable=False),
    )
    op.create_table(
        "snapshots",
        sa.Column("snapshot_date", sa.Date(), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("month_of_quarter", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("snapshot_date"),
    )
    op.create_table(
        "stage_history",
        sa.Column("opportunity_id", sa.BigInteger(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("entered_date", sa.Date(), nullable=False),
        sa.Column("exited_date", sa.Date(), nullable=True),
    )
    op.create_index("ix_stage_history_opp", "stage_history", ["opportunity_id"], unique=False)
    op.create_table(
        "targets",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.Double(), nullable=False),
    )
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("segment", sa.String(length=32), nullable=False),
        sa.Column("name_en", sa.String(length=128), nullable=False),
        sa.Column("name_zh", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "truth_causes",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name_en", sa.String(length=256), nullable=False),
        sa.Column("name_zh", sa.String(length=256), nullable=False),
        sa.Column("features", sa.String(length=256), nullable=False),
        sa.Column("observable", sa.Boolean(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "truth_cells",
        sa.Column("cause_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("rep_id", sa.Integer(), nullable=True),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("effect_bookings", sa.Double(), nullable=False),
        sa.Column("effect_detail", sa.Text(), nullable=False),
    )
    op.create_table(
        "deal_attributes",
        sa.Column("opportunity_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=256), nullable=True),
    )
    op.create_index("ix_deal_attributes_opp", "deal_attributes", ["opportunity_id"], unique=False)
    op.create_table(
        "backtests",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("run_at", sa.DateTime(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "preferences",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "method_rollup",
        sa.Column("snapshot_date", sa.Date(), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("expected_amount", sa.Double(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("method_rollup")
    op.drop_table("preferences")
    op.drop_table("backtests")
    op.drop_index("ix_deal_attributes_opp", table_name="deal_attributes")
    op.drop_table("deal_attributes")
    op.drop_table("truth_cells")
    op.drop_table("truth_causes")
    op.drop_table("teams")
    op.drop_table("targets")
    op.drop_index("ix_stage_history_opp", table_name="stage_history")
    op.drop_table("stage_history")
    op.drop_table("snapshots")
    op.drop_table("shap_contributions")
    op.drop_table("reps")
    op.drop_table("regions")
    op.drop_table("products")
    op.drop_table("ownership_history")
    op.drop_table("opportunities")
    op.drop_table("models")
    op.drop_table("forecast_snapshots")
    op.drop_table("forecast_rollup")
    op.drop_table("driver_rollup")
    op.drop_table("annotations")
    op.drop_table("activities")
    op.drop_table("accounts")
