"""Storage on both supported databases: migrations, bulk loads, transactions and readable errors."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator

import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, func, inspect, select, text

from data_access import schema
from data_access.bulk import bulk_insert
from data_access.engine import DatabaseProblem, check_reachable, get_engine, require_data
from data_access.migrate import current_revision, head_revision, upgrade


@pytest.fixture(params=["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """An engine on a fresh, empty database of each supported kind."""
    if request.param == "duckdb":
        url = f"duckdb:///{tmp_path / 'storage.duckdb'}"
    else:
        url = request.getfixturevalue("pg_empty_url")
    engine = create_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def migrated_engine(empty_engine: Engine) -> Engine:
    upgrade(empty_engine)
    return empty_engine


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # released on close: nothing listens there now


def _key_columns(engine: Engine, table: str, kind: str) -> set[tuple[str, ...]]:
    """Primary-key or unique column tuples as the database has them (duckdb-engine reflects neither)."""
    if engine.dialect.name == "duckdb":
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT constraint_column_names FROM duckdb_constraints() "
                    "WHERE table_name = :table AND constraint_type = :kind"
                ),
                {"table": table, "kind": kind},
            )
            return {tuple(row[0]) for row in rows}
    inspector = inspect(engine)
    if kind == "PRIMARY KEY":
        columns = inspector.get_pk_constraint(table)["constrained_columns"]
        return {tuple(columns)} if columns else set()
    return {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)}


def _index_names(engine: Engine, table: str) -> set[str]:
    if engine.dialect.name == "duckdb":  # duckdb-engine does not reflect indexes
        with engine.connect() as conn:
            sql = text("SELECT index_name FROM duckdb_indexes() WHERE table_name = :table")
            return {row[0] for row in conn.execute(sql, {"table": table})}
    return {ix["name"] for ix in inspect(engine).get_indexes(table)}


def _count(engine: Engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _read(engine: Engine, table, order_by) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(select(table).order_by(*order_by), conn)


# --- migrations ------------------------------------------------------------------------------------


def test_migrate_upgrade_creates_every_table_and_column_of_the_schema(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision() == "0001"

    inspector = inspect(empty_engine)
    tables = set(inspector.get_table_names()) - {"alembic_version"}
    assert tables == set(schema.metadata.tables)
    for name, table in schema.metadata.tables.items():
        columns = {c["name"]: c for c in inspector.get_columns(name)}
        assert list(columns) == [c.name for c in table.columns], name
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable, f"{name}.{column.name}"
        assert _key_columns(empty_engine, name, "PRIMARY KEY") == (
            {tuple(c.name for c in table.primary_key.columns)} if table.primary_key.columns else set()
        ), name
        expected_unique = {(c.name,) for c in table.columns if c.unique}
        assert _key_columns(empty_engine, name, "UNIQUE") == expected_unique, name
    assert (
        _index_names(empty_engine, "stage_history")
        == {ix.name for ix in schema.stage_history.indexes}
        == {"ix_stage_history_opp"}
    )


def test_migrate_upgrade_twice_is_a_no_op(migrated_engine: Engine) -> None:
    upgrade(migrated_engine)
    assert current_revision(migrated_engine) == "0001"


def test_migrate_upgrade_works_on_in_memory_duckdb() -> None:
    engine = create_engine("duckdb:///:memory:")
    try:
        upgrade(engine)
        assert current_revision(engine) == "0001"
    finally:
        engine.dispose()


def test_migrate_ids_are_not_generated_by_the_database(migrated_engine: Engine) -> None:
    # Writers assign ids; on PostgreSQL an integer primary key must not silently become SERIAL.
    inspector = inspect(migrated_engine)
    for name in ("opportunities", "regions", "activities"):
        id_column = next(c for c in inspector.get_columns(name) if c["name"] == "id")
        assert not id_column.get("default"), name


# --- bulk loads ------------------------------------------------------------------------------------


def test_bulk_insert_round_trips_stage_history(migrated_engine: Engine) -> None:
    frame = pd.DataFrame(
        {
            "opportunity_id": [10_000_000_001, 2, 3],
            "stage": ["qualify", "propose", "negotiate"],
            "entered_date": pd.to_datetime(["2025-01-02", "2025-02-03", "2025-03-04"]),
            "exited_date": [dt.date(2025, 2, 1), None, dt.date(2025, 4, 1)],
            "ignored_extra_column": ["x", "y", "z"],
        }
    )
    with migrated_engine.begin() as conn:
        assert bulk_insert(conn, schema.stage_history, frame) == 3

    back = _read(migrated_engine, schema.stage_history, [schema.stage_history.c.stage])
    assert list(back.columns) == [c.name for c in schema.stage_history.columns]
    back = back.set_index("stage")
    assert back.loc["qualify", "opportunity_id"] == 10_000_000_001
    assert pd.Timestamp(back.loc["propose", "entered_date"]) == pd.Timestamp("2025-02-03")
    assert pd.Timestamp(back.loc["qualify", "exited_date"]) == pd.Timestamp("2025-02-01")
    assert pd.isna(back.loc["propose", "exited_date"])


def test_bulk_insert_round_trips_opportunities_with_nulls(migrated_engine: Engine) -> None:
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "owner_rep_id": [7, 8, 9],
            # None among ints gives a float64 column: it must still load into an INTEGER column.
            "account_id": [101, None, 103],
            "product_id": pd.array([5, pd.NA, 6], dtype="Int64"),
            "amount": [1_250_000.5, 80_000.0, 3.25],
            "discount_pct": [0.1, float("nan"), 0.0],
            "created_date": [dt.date(2025, 1, 1), dt.date(2025, 1, 2), dt.date(2025, 1, 3)],
            "expected_close_date": pd.to_datetime(["2025-06-30", None, "2025-09-30"]),
            "stage": ["won", "lost", "propose"],
            "forecast_category": ["closed", "omitted", "pipeline"],
            "closed_date": [dt.date(2025, 5, 5), dt.date(2025, 5, 6), None],
            "outcome": ["won", "lost", None],
        }
    )
    with migrated_engine.begin() as conn:
        assert bulk_insert(conn, schema.opportunities, frame) == 3

    back = _read(migrated_engine, schema.opportunities, [schema.opportunities.c.id])
    assert back["id"].tolist() == [1, 2, 3]
    assert back["owner_rep_id"].tolist() == [7, 8, 9]
    assert back["account_id"].iloc[0] == 101 and pd.isna(back["account_id"].iloc[1])
    assert back["product_id"].iloc[2] == 6 and pd.isna(back["product_id"].iloc[1])
    assert back["amount"].tolist() == [1_250_000.5, 80_000.0, 3.25]
    assert back["discount_pct"].iloc[0] == pytest.approx(0.1) and pd.isna(back["discount_pct"].iloc[1])
    assert [pd.Timestamp(d) for d in back["created_date"]] == list(
        pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03"])
    )
    assert pd.Timestamp(back["expected_close_date"].iloc[2]) == pd.Timestamp("2025-09-30")
    assert pd.isna(back["expected_close_date"].iloc[1])
    assert back["stage"].tolist() == ["won", "lost", "propose"]
    assert back["outcome"].iloc[0] == "won" and pd.isna(back["outcome"].iloc[2])
    assert pd.isna(back["closed_date"].iloc[2])


def test_bulk_insert_empty_frame_inserts_nothing(migrated_engine: Engine) -> None:
    with migrated_engine.begin() as conn:
        assert bulk_insert(conn, schema.stage_history, pd.DataFrame(columns=["opportunity_id"])) == 0
    assert _count(migrated_engine, schema.stage_history) == 0


def test_bulk_insert_failure_leaves_the_table_unchanged(migrated_engine: Engine) -> None:
    good = pd.DataFrame(
        {
            "opportunity_id": [1],
            "stage": ["qualify"],
            "entered_date": [dt.date(2025, 1, 1)],
            "exited_date": [None],
        }
    )
    with migrated_engine.begin() as conn:
        bulk_insert(conn, schema.stage_history, good)
    assert _count(migrated_engine, schema.stage_history) == 1

    more = good.assign(opportunity_id=[2])
    bad = good.assign(opportunity_id=[3], stage=[None])  # stage is NOT NULL
    with pytest.raises(Exception) as raised:  # noqa: B017 - the driver's own error type differs per database
        with migrated_engine.begin() as conn:
            bulk_insert(conn, schema.stage_history, more)  # succeeds, then must be rolled back
            bulk_insert(conn, schema.stage_history, bad)
    assert "null" in str(raised.value).lower()

    back = _read(migrated_engine, schema.stage_history, [schema.stage_history.c.opportunity_id])
    assert back["opportunity_id"].tolist() == [1]


# --- readable errors -------------------------------------------------------------------------------


def test_check_reachable_on_closed_postgres_port_raises_one_line_problem() -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/cockpit?connect_timeout=5"
    engine = create_engine(url)
    try:
        with pytest.raises(DatabaseProblem) as raised:
            check_reachable(engine)
    finally:
        engine.dispose()
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("cannot reach database")
    assert "127.0.0.1" in message


def test_get_engine_with_unknown_scheme_raises_problem() -> None:
    with pytest.raises(DatabaseProblem, match="invalid database URL"):
        get_engine("nonsense://x")


def test_require_data_on_empty_migrated_database_says_to_generate(migrated_engine: Engine) -> None:
    with pytest.raises(DatabaseProblem, match="cockpit generate"):
        require_data(migrated_engine)


def test_require_data_on_unmigrated_database_says_to_generate(empty_engine: Engine) -> None:
    with pytest.raises(DatabaseProblem, match="cockpit generate"):
        require_data(empty_engine)


def test_check_reachable_names_the_process_holding_an_embedded_database(tmp_path) -> None:
    import subprocess
    import sys

    path = tmp_path / "held.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; held = duckdb.connect({str(path)!r}); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        engine = create_engine(f"duckdb:///{path}")
        with pytest.raises(DatabaseProblem) as raised:
            check_reachable(engine)
        engine.dispose()
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    message = str(raised.value)
    assert "\n" not in message
    assert f"in use by another process (PID {holder.pid}, e.g. `cockpit serve`): stop it first" in message
