"""Defaults shared by the CLI, the server and the benchmarks."""

from __future__ import annotations

DEFAULT_PORT = 5006
DEFAULT_ADDRESS = "127.0.0.1"
