"""Fast bulk loads of DataFrames: DuckDB scans the DataFrame directly, PostgreSQL takes COPY.

``DataFrame.to_sql`` through duckdb-engine manages ~30k rows/s, far too slow for a million deals.
"""

from __future__ import annotations

import contextlib
import io

import pandas as pd
from sqlalchemy import Connection, Integer, Table


def bulk_insert(conn: Connection, table: Table, frame: pd.DataFrame, chunk_rows: int = 500_000) -> int:
    """Append ``frame`` (columns named like ``table``'s, extra columns ignored) inside ``conn``'s transaction."""
    if frame.empty:
        return 0
    columns = [c.name for c in table.columns if c.name in frame.columns]
    frame = _integers_as_integers(table, frame[columns])
    col_list = ", ".join(f'"{c}"' for c in columns)
    if conn.dialect.name == "duckdb":
        raw = conn.connection.driver_connection
        view = f"_bulk_{table.name}"
        for start in range(0, len(frame), chunk_rows):
            raw.register(view, frame.iloc[start : start + chunk_rows])
            casts = ", ".join(f'CAST("{c}" AS {_duck_type(table, c)})' for c in columns)
            try:
                raw.execute(f'INSERT INTO "{table.name}" ({col_list}) SELECT {casts} FROM {view}')
            except Exception:
                # In an aborted transaction unregister fails too; its error would hide the real one.
                with contextlib.suppress(Exception):
                    raw.unregister(view)
                raise
            raw.unregister(view)
    elif conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(f'COPY "{table.name}" ({col_list}) FROM STDIN WITH (FORMAT csv)') as copy:
            for start in range(0, len(frame), chunk_rows):
                buffer = io.StringIO()
                frame.iloc[start : start + chunk_rows].to_csv(
                    buffer, index=False, header=False, date_format="%Y-%m-%d"
                )
                copy.write(buffer.getvalue())
    else:  # any other SQLAlchemy dialect: slower but correct
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        conn.execute(table.insert(), records)
    return len(frame)


def _integers_as_integers(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Integer columns that pandas made float (a None among ints) back to nullable ints.

    COPY would otherwise send "101.0" to an INTEGER column, which PostgreSQL rejects.
    """
    floats = [
        c
        for c in frame.columns
        if isinstance(table.c[c].type, Integer) and pd.api.types.is_float_dtype(frame[c].dtype)
    ]
    if not floats:
        return frame
    return frame.astype({c: "Int64" for c in floats})


def _duck_type(table: Table, column: str) -> str:
    from sqlalchemy.dialects import postgresql  # DuckDB understands PostgreSQL type names

    return table.c[column].type.compile(dialect=postgresql.dialect())
