"""Deal history for model training and scoring: the raw rows the models need, read in bulk.

This is the one place that hands rows (not aggregates) out of the database, and only to the
training/scoring job in ``explain``, never to a page.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, Select, select

from data_access import schema as s
from data_access.scope import FULL_ACCESS, Scope


def read_frame(conn: Connection, stmt: Select) -> pd.DataFrame:
    """Run ``stmt`` and return a DataFrame; DuckDB hands its result over columnar (much faster)."""
    if conn.dialect.name == "duckdb":
        compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
        return conn.connection.driver_connection.execute(str(compiled)).df()
    return pd.read_sql(stmt, conn)


def load_deal_history(engine: Engine, scope: Scope = FULL_ACCESS) -> dict[str, pd.DataFrame]:
    """Deals with their account/product attributes, stage history, owners, activities, annotations and
    the extra fields an import brought (``attributes``: opportunity_id, name, value)."""
    o, a, p = s.opportunities, s.accounts, s.products
    owners = s.ownership_history
    r, t = s.reps, s.teams
    deals = (
        select(
            o.c.id,
            o.c.amount,
            o.c.discount_pct,
            o.c.created_date,
            o.c.expected_close_date,
            o.c.closed_date,
            o.c.outcome,
            a.c.tier,
            p.c.line.label("product_line"),
        )
        .select_from(o.outerjoin(a, a.c.id == o.c.account_id).outerjoin(p, p.c.id == o.c.product_id))
        .order_by(o.c.id)
    )
    with engine.connect() as conn:
        frames = {
            "deals": read_frame(conn, deals),
            "stages": read_frame(
                conn,
                select(
                    s.stage_history.c.opportunity_id, s.stage_history.c.stage, s.stage_history.c.entered_date
                ),
            ),
            "owners": read_frame(conn, select(owners.c.opportunity_id, owners.c.rep_id, owners.c.start_date)),
            "reps": read_frame(
                conn,
                select(r.c.id, r.c.team_id, r.c.seniority, r.c.hire_date, t.c.region_id)
                .join(t, t.c.id == r.c.team_id)
                .where(*scope.clauses(r)),
            ),
            "activities": read_frame(
                conn,
                select(
                    s.activities.c.opportunity_id,
                    s.activities.c.kind,
                    s.activities.c.activity_date,
                    s.activities.c.role_met,
                ),
            ),
            "attributes": read_frame(
                conn,
                select(
                    s.deal_attributes.c.opportunity_id, s.deal_attributes.c.name, s.deal_attributes.c.value
                ),
            ),
            "annotations": read_frame(
                conn,
                select(s.annotations.c.opportunity_id, s.annotations.c.kind, s.annotations.c.annotated_date),
            ),
        }
    return frames
