"""The ``cockpit`` command: generate the sample company, train the models, serve the app."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm

from cockpit import settings
from data_access import schema
from data_access.engine import (
    DatabaseProblem,
    check_reachable,
    default_db_url,
    duckdb_file,
    get_engine,
    has_schema,
    require_data,
    resolve_url,
)
from data_access.importer import MAX_LISTED
from sample_data import DEFAULT_DEALS, DEFAULT_SEED, MIN_DEALS

app = typer.Typer(
    help="A sales manager's cockpit: forecast deviation, drivers and what-if.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DB_HELP = "Database URL (default: $COCKPIT_DB or the embedded DuckDB file)."


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's error
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn expected failures into one ``error:`` line on stderr and exit status 1."""
    try:
        yield
    except (DatabaseProblem, ValueError, SQLAlchemyError, OSError) as exc:
        typer.echo(f"error: {_first_line(exc)}", err=True)
        for problem in getattr(exc, "problems", [])[1:MAX_LISTED]:  # an import lists its rows
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo("error: interrupted", err=True)
        raise typer.Exit(130) from None


def _deal_count(engine: Engine) -> int:
    if not has_schema(engine):
        return 0
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.opportunities)).scalar_one()


def _scored(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.forecast_rollup)).scalar_one() > 0


def _generate(engine: Engine, deals: int, seed: int) -> None:
    from sample_data import generate

    with tqdm(desc="generating", unit="step", file=sys.stderr, leave=False) as bar:

        def step(msg: str) -> None:
            bar.set_description(msg)
            bar.update(1)

        generate(engine, deals=deals, seed=seed, progress=step)


def _train(engine: Engine) -> None:
    from explain.scoring import train_and_score

    with tqdm(desc="training", total=1, unit="step", file=sys.stderr, leave=False) as bar:

        def step(msg: str, i: int, n: int) -> None:
            bar.set_description(msg, refresh=False)
            bar.total = max(n, 1)
            bar.n = i
            bar.refresh()

        train_and_score(engine, progress=step)


def _engine(db: str | None, create: bool = False) -> Engine:
    """The engine for ``db``; an embedded database file is created only when ``create`` (never by a typo)."""
    url = resolve_url(db)
    path = duckdb_file(url)
    if path is not None and create:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif path is not None and not path.exists():
        raise DatabaseProblem(f"database file {path} does not exist: run `cockpit generate --db {url}` first")
    engine = get_engine(url)
    check_reachable(engine)
    return engine


def _check_deals(deals: int) -> None:
    if deals < MIN_DEALS:
        raise ValueError(
            f"--deals must be at least {MIN_DEALS} (the sample needs deals in every region and quarter)"
        )


@app.command()
def generate(
    deals: int = typer.Option(DEFAULT_DEALS, "--deals", help="Number of deals to simulate."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Random seed (same seed, same company)."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    train: bool = typer.Option(True, "--train/--no-train", help="Train and score after generating."),
) -> None:
    """Replace the database's contents with a simulated company, then train the forecast models."""
    with _user_errors():
        _check_deals(deals)
        engine = _engine(db, create=True)
        start = time.perf_counter()
        _generate(engine, deals, seed)
        if train:
            _train(engine)
        trained = "trained" if train else "not trained"
        typer.echo(
            f"generated {_deal_count(engine):,} deals (seed {seed}, {trained}) in "
            f"{time.perf_counter() - start:.1f} s into {engine.url.render_as_string()}"
        )


@app.command("import")
def import_(
    csv_files: list[Path] = typer.Argument(..., help="The export's CSV files, as the mapping names them."),
    mapping: str = typer.Option(
        ..., "--mapping", help="A mapping YAML file, or a shipped one: maven-crm, olist-funnel."
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    train: bool = typer.Option(True, "--train/--no-train", help="Train and score after importing."),
) -> None:
    """Replace the database's contents with a CRM export (CSV), checked row by row, all or nothing."""
    from data_access.importer import Mapping, read_export, write_export

    with _user_errors():
        start = time.perf_counter()
        export = read_export(Mapping.load(mapping), csv_files)  # every row checked before the database
        engine = _engine(db, create=True)
        with tqdm(desc="importing", unit="step", file=sys.stderr, leave=False) as bar:

            def step(msg: str) -> None:
                bar.set_description(msg)
                bar.update(1)

            counts = write_export(engine, export, progress=step)
        if train:
            _train(engine)
        typer.echo(
            f"imported {counts['opportunities']:,} deals, {counts['reps']:,} reps in {counts['teams']:,} teams "
            f"({'trained' if train else 'not trained'}) in {time.perf_counter() - start:.1f} s "
            f"into {engine.url.render_as_string()}"
        )


def require_deals(engine: Engine) -> None:
    if _deal_count(engine) == 0:
        raise DatabaseProblem(
            f"database {engine.url.render_as_string()} has no deals: "
            "run `cockpit generate` (or `cockpit import`) first"
        )


@app.command()
def train(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Train the forecast models on the database's deals and store forecasts and explanations."""
    with _user_errors():
        engine = _engine(db)
        require_deals(engine)
        start = time.perf_counter()
        _train(engine)
        typer.echo(f"trained on {_deal_count(engine):,} deals in {time.perf_counter() - start:.1f} s")


@app.command()
def backtest(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    json_path: Path | None = typer.Option(None, "--json", help="Also write the result to this JSON file."),
    cutoffs: int = typer.Option(4, "--cutoffs", min=1, max=20, help="Quarters to test, newest first."),
) -> None:
    """Backtest the model against three CRM baselines, time-ordered; the scorecard page shows the result."""
    with _user_errors():
        engine = _engine(db)
        require_deals(engine)
        if json_path is not None and not json_path.parent.is_dir():
            raise ValueError(f"cannot write {json_path}: folder {json_path.parent} does not exist")
        from explain.backtest import METRICS, run_backtest

        with tqdm(desc="backtest", total=1, unit="step", file=sys.stderr, leave=False) as bar:

            def step(msg: str, i: int, n: int) -> None:
                bar.set_description(msg, refresh=False)
                bar.total = max(n, 1)
                bar.n = i
                bar.refresh()

            result = run_backtest(engine, cutoffs=cutoffs, progress=step)
        if json_path is not None:
            json_path.write_text(json.dumps(result, indent=2))
        quarters = ", ".join(c["quarter"] for c in result["cutoffs"])
        typer.echo(f"backtest over {quarters} (fitted before each, scored on it)")
        typer.echo(f"{'method':<22}" + "".join(f"{m:>18}" for m in METRICS))
        for name, metrics in result["methods"].items():
            cells = ("-" if metrics[m] is None else f"{metrics[m]:.3f}" for m in METRICS)
            typer.echo(f"{name:<22}" + "".join(f"{c:>18}" for c in cells))


@app.command()
def whatif(
    quarter: str = typer.Option(..., "--quarter", help="The quarter, e.g. 2026Q3."),
    region: int | None = typer.Option(
        None, "--region", help="Region id (the cell's level is the deepest given)."
    ),
    team: int | None = typer.Option(None, "--team", help="Team id."),
    rep: int | None = typer.Option(None, "--rep", help="Rep id."),
    month: int = typer.Option(2, "--month", min=1, max=3, help="Snapshot in the quarter (1..3)."),
    change: list[str] = typer.Option(
        ...,
        "--set",
        help="LEVER=VALUE, repeatable: discount_pct, decision_earlier_days, exec_sponsor_met, demo_done.",
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """What if a cell's open deals had some levers moved? The model's answer (and, on the sample, the truth)."""
    with _user_errors():
        level, key = next(
            ((lv, k) for lv, k in (("rep", rep), ("team", team), ("region", region)) if k is not None),
            (None, None),
        )
        if level is None:
            raise ValueError("name the cell with --region, --team or --rep")
        changes = {}
        for item in change:
            name, sep, value = item.partition("=")
            try:
                changes[name.strip()] = float(value)
            except ValueError:
                raise ValueError(f"--set {item!r}: write LEVER=NUMBER, e.g. --set discount_pct=8") from None
            if not sep:
                raise ValueError(f"--set {item!r}: write LEVER=NUMBER, e.g. --set discount_pct=8")
        engine = _engine(db)
        require_data(engine)
        from cockpit.whatif import cell_what_if
        from data_access.forecast import Cell

        _, summary = cell_what_if(engine, Cell(level, key, quarter, month), changes)
        typer.echo(
            f"{level} {key}, {quarter} (snapshot {summary['snapshot']}), {summary['deals']} open deals: "
            f"chance to close won this quarter {summary['model_pp']:+.2f} pp, expected bookings "
            f"{summary['expected_before']:,.0f} -> {summary['expected_after']:,.0f}"
        )
        if "truth_pp" in summary:
            typer.echo(
                f"simulator truth (history re-run with the same levers): {summary['truth_pp']:+.2f} pp; "
                f"what-if error {summary['error_pp']:+.2f} pp"
            )


@app.command()
def serve(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    port: int = typer.Option(settings.DEFAULT_PORT, "--port", min=0, max=65535),
    address: str = typer.Option(settings.DEFAULT_ADDRESS, "--address"),
    show: bool = typer.Option(True, "--show/--no-show", help="Open a browser tab."),
) -> None:
    """Serve the cockpit; on first run, fill the embedded database with the sample company."""
    with _user_errors():
        url = resolve_url(db)
        engine = _engine(url, create=url == default_db_url())
        if url == default_db_url():
            if _deal_count(engine) == 0:
                typer.echo("first run: generating the sample company (about a minute)", err=True)
                _generate(engine, DEFAULT_DEALS, DEFAULT_SEED)
            if not _scored(engine):
                _train(engine)
        require_data(engine)
        from cockpit.app import serve as serve_app

        serve_app(url, port, address, show)
