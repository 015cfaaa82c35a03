"""Time `generate` and `train` per sample size, each size in its own process for a per-size peak RSS.

python benchmarks/generate.py --sizes 40000,1000000 --json out/generate.json
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import build, emit


def one(deals: int) -> dict:
    """Run in the child: generate + train into a fresh temporary DuckDB file."""
    with tempfile.TemporaryDirectory(prefix="cockpit-bench-") as tmp:
        times = build(f"duckdb:///{Path(tmp) / 'bench.duckdb'}", deals)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {"deals": deals, **times, "peak_rss_mb": round(peak_kb / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="40000,1000000", help="comma-separated deal counts")
    parser.add_argument("--json", help="write the result here too")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    runs = []
    for deals in (int(s) for s in args.sizes.split(",") if s.strip()):
        print(f"{deals} deals...", file=sys.stderr)
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(deals)], capture_output=True, text=True, check=False
        )
        if child.returncode != 0:
            raise SystemExit(f"run with {deals} deals failed:\n{child.stderr[-3000:]}")
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(json.dumps(runs[-1]), file=sys.stderr)
    emit({"runs": runs}, args.json)


if __name__ == "__main__":
    main()
