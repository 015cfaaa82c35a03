"""Shared fixtures: Panel state reset, a throw-away PostgreSQL cluster, Playwright on system Chromium.

The sample databases and the served app live in ``tests/fixtures_data.py`` and
``tests/fixtures_served.py`` (registered below); they import the product lazily.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.fixtures_data", "tests.fixtures_served"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# --- Panel -----------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _reset_panel_state() -> Iterator[None]:
    """Panel test servers run in non-daemon threads and caches are process-wide: reset both."""
    yield
    try:
        import panel as pn
    except ImportError:  # pragma: no cover - panel is a hard dependency
        return
    pn.state.kill_all_servers()
    clear = getattr(pn.state, "clear_caches", None)
    if clear is not None:
        clear()


# --- Playwright ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Use the Debian Chromium (never `playwright install`) with flags that work in a container."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A tall window: the whole drill (heatmap, drivers, deals) fits in one screenshot."""
    return {**browser_context_args, "viewport": {"width": 1400, "height": 2000}}


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config) -> str | None:
    """Same as pytest-playwright 0.10's fallback ``base_url``, which pytest 9.2 deprecates.

    The plugin defines it as a method on a plugin class (PytestRemovedIn10Warning, an error under
    ``filterwarnings = error``); overriding it here keeps that fixture from running at all.
    """
    return pytestconfig.getoption("--base-url", None) or pytestconfig.getini("base_url") or None


# --- PostgreSQL ------------------------------------------------------------------------------------


def _pg_bin() -> Path:
    root = Path("/usr/lib/postgresql")
    versions = sorted(
        (p for p in root.glob("*") if (p / "bin" / "initdb").exists()),
        key=lambda p: [int(x) if x.isdigit() else x for x in p.name.split(".")],
    )
    if not versions:
        pytest.fail(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: "
            "apt-get install -y postgresql, or set COCKPIT_TEST_PG_URL to a server you own"
        )
    return versions[-1] / "bin"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: str, user: str | None) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as the postgres OS user when we are root (initdb refuses root)."""
    argv = ["su", user, "-c", command] if user else ["bash", "-c", command]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


def _check(result: subprocess.CompletedProcess[str], what: str, log: Path | None = None) -> None:
    if result.returncode != 0:
        extra = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        pytest.fail(
            f"{what} failed ({result.returncode}): {result.stderr.strip()} {result.stdout.strip()} {extra}"
        )


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL: $COCKPIT_TEST_PG_URL if set, else a throw-away cluster for this session."""
    from_env = os.environ.get("COCKPIT_TEST_PG_URL")
    if from_env:
        yield from_env
        return

    pgbin = _pg_bin()
    user = "postgres" if os.geteuid() == 0 else None
    data = Path(tempfile.mkdtemp(prefix="cockpit-pg-"))
    if user:
        shutil.chown(data, user=user)
    data.chmod(0o700)
    port = _free_port()
    log = data / "server.log"
    _check(_as_postgres(f"{pgbin}/initdb -D {data} -A trust -U postgres -E UTF8 --no-sync", user), "initdb")
    # Unix socket in the data dir: no clash with a system server's /var/run/postgresql.
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off"
    started = _as_postgres(f"{pgbin}/pg_ctl -D {data} -l {log} -o '{options}' -w -t 60 start", user)
    try:
        _check(started, "pg_ctl start", log)
        _check(_as_postgres(f"{pgbin}/createdb -h 127.0.0.1 -p {port} -U postgres cockpit", user), "createdb")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/cockpit"
    finally:
        _as_postgres(f"{pgbin}/pg_ctl -D {data} -m immediate -w stop", user)
        shutil.rmtree(data, ignore_errors=True)


@contextlib.contextmanager
def fresh_pg_database(pg_url: str) -> Iterator[str]:
    """A new, empty database on the test server (its URL); dropped on exit."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(make_url(pg_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
        # Engines left open would block DROP DATABASE; FORCE ends their sessions.
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def pg_empty_url(pg_url: str) -> Iterator[str]:
    """A fresh, empty database on the test server for one test; dropped afterwards."""
    with fresh_pg_database(pg_url) as url:
        yield url
