"""Helpers shared by the benchmark scripts (run as ``python benchmarks/X.py``)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CACHE = Path(__file__).resolve().parent / ".cache"


def build(url: str, deals: int, seed: int = 7) -> dict[str, float]:
    """Generate and train into ``url``; return the seconds each took."""
    from data_access.engine import get_engine
    from explain.scoring import train_and_score
    from sample_data import generate

    engine = get_engine(url)
    t0 = time.perf_counter()
    generate(engine, deals=deals, seed=seed)
    t1 = time.perf_counter()
    train_and_score(engine)
    t2 = time.perf_counter()
    engine.dispose()  # DuckDB writes its WAL back into the file on close: the file is complete
    return {"generate_s": round(t1 - t0, 2), "train_s": round(t2 - t1, 2)}


def cached_db(deals: int, name: str) -> str:
    """A generated and trained DuckDB file under benchmarks/.cache, built once per size."""
    path = CACHE / f"{name}-{deals}.duckdb"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.duckdb")
        partial.unlink(missing_ok=True)
        print(f"building {path} ({deals} deals)...", file=sys.stderr)
        build(f"duckdb:///{partial}", deals)
        partial.rename(path)
    return f"duckdb:///{path}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    i = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[i]


def emit(result: dict, path: str | None) -> None:
    text = json.dumps(result, indent=2, ensure_ascii=False, default=str)
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text + "\n")
    print(text)
