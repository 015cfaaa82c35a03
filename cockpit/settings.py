"""Defaults shared by the CLI, the server and the benchmarks."""

from __future__ import annotations

DEFAULT_PORT = 5006
DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_DEALS = 40_000
DEFAULT_SEED = 7
MIN_DEALS = 500  # the sample needs deals in every region and quarter
