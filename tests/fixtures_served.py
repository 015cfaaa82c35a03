"""The real cockpit server (``cockpit serve``) on a copy of the default-size sample, for browser tests.

Registered for every test module by ``pytest_plugins`` in ``tests/conftest.py``.
DuckDB lets one process hold a database file for writing, so the server gets its own copy.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
READY_TIMEOUT_S = 120


@dataclass
class ServedApp:
    """A running server: its base URL and the file its stdout and stderr go to."""

    base_url: str
    log: Path

    def output(self, since: int = 0) -> str:
        """The server's output so far, from character ``since`` on (a test passes its start mark)."""
        return self.log.read_text(errors="replace")[since:]

    def mark(self) -> int:
        return len(self.output())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("cockpit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cockpit"]


def _wait_ready(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"cockpit serve exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    pytest.fail(
        f"cockpit serve not ready at {url} after {READY_TIMEOUT_S} s:\n{log.read_text(errors='replace')[-3000:]}"
    )


def _copy_db(db_url: str, tmp_path_factory: pytest.TempPathFactory, name: str) -> str:
    """A copy of a DuckDB database that only the server process opens."""
    from data_access.engine import get_engine

    get_engine(db_url).dispose()  # closes this process's connections: the file is complete and unlocked
    source = Path(db_url.removeprefix("duckdb:///"))
    target = tmp_path_factory.mktemp("served") / f"{name}.duckdb"
    shutil.copyfile(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + ".wal"))
    return f"duckdb:///{target}"


@pytest.fixture(scope="session")
def served_db_url(story_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the sample that only the server process opens."""
    return _copy_db(story_db_url, tmp_path_factory, "served")


def _serve(db_url: str, tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[ServedApp]:
    """``cockpit serve --db <db_url> --port <free> --no-show`` in a subprocess, ready when /forecast answers 200."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / f"{name}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*_cli(), "serve", "--db", db_url, "--port", str(port), "--address", "127.0.0.1", "--no-show"],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(f"{base}/forecast", proc, log)
        yield ServedApp(base, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        shutil.copyfile(log, ARTIFACTS / f"{name}.log")


@pytest.fixture(scope="session")
def served_app(served_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    """The cockpit served on a copy of the default-size sample."""
    yield from _serve(served_db_url, tmp_path_factory, "server")


@pytest.fixture(scope="session")
def served_maven(maven_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    """The cockpit served on a copy of the imported Maven CRM export."""
    yield from _serve(_copy_db(maven_db_url, tmp_path_factory, "maven"), tmp_path_factory, "server-maven")
