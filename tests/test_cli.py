"""The ``cockpit`` command as a user runs it: one ``error:`` line on failure, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest


def run_cli(*args: str, home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COCKPIT_DB"}
    env["COCKPIT_HOME"] = str(home)  # never touch the user's embedded database
    return subprocess.run(
        [sys.executable, "-m", "cockpit", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


def assert_one_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def tables(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return sorted(
            r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()
        )


def test_unreachable_database(tmp_path: Path) -> None:
    result = run_cli("train", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x", home=tmp_path)
    assert "cannot reach database" in assert_one_error(result)


def test_invalid_url(tmp_path: Path) -> None:
    assert "invalid database URL" in assert_one_error(run_cli("train", "--db", "nosuch://x", home=tmp_path))


def test_train_on_empty_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE TABLE keep (x INTEGER)")
    before = tables(path)
    error = assert_one_error(run_cli("train", "--db", f"duckdb:///{path}", home=tmp_path))
    assert "cockpit generate" in error and "no deals" in error
    assert tables(path) == before


@pytest.mark.parametrize("command", ["train", "serve"])
def test_missing_database_file_is_not_created(tmp_path: Path, command: str) -> None:
    path = tmp_path / "typo" / "cockpit.duckdb"
    extra = ["--no-show"] if command == "serve" else []
    error = assert_one_error(run_cli(command, "--db", f"duckdb:///{path}", *extra, home=tmp_path))
    assert "does not exist" in error and "cockpit generate" in error
    assert not path.parent.exists()


def test_generate_too_few_deals(tmp_path: Path) -> None:
    error = assert_one_error(run_cli("generate", "--deals", "10", home=tmp_path))
    assert "--deals" in error and "500" in error
    assert not (tmp_path / "cockpit.duckdb").exists()


def test_serve_explicit_empty_database(tmp_path: Path) -> None:
    path = tmp_path / "nothing.duckdb"
    error = assert_one_error(run_cli("serve", "--no-show", "--db", f"duckdb:///{path}", home=tmp_path))
    assert "cockpit generate" in error


def test_generate_and_train(tmp_path: Path) -> None:
    path = tmp_path / "x.duckdb"
    result = run_cli("generate", "--deals", "3000", "--db", f"duckdb:///{path}", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "3,000 deals" in result.stdout
    with duckdb.connect(str(path), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM opportunities").fetchone()[0] == 3000
        assert conn.execute("SELECT count(*) FROM forecast_rollup").fetchone()[0] > 0
    # Training again on the generated database works too.
    again = run_cli("train", "--db", f"duckdb:///{path}", home=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "trained on 3,000 deals" in again.stdout


@pytest.mark.parametrize("args", [["--bogus"], ["generate", "--deals", "many"], ["serve", "--port", "99999"]])
def test_bad_flags_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    result = run_cli(*args, home=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_import_cockpit_is_light() -> None:
    code = (
        "import sys, cockpit; print(callable(cockpit.open), 'pandas' in sys.modules, 'panel' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False", "False"]
