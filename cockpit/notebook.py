"""Notebook facade: the cockpit's numbers as DataFrames and its pages as objects, without a server.

import cockpit
c = cockpit.open()
c.deviation("team", region_id=2)
c.drivers("team", 4, "2026Q2")
c.page("forecast")
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cockpit.registry import discover_pages
from data_access import forecast
from data_access.engine import get_engine, require_data, resolve_url
from data_access.scope import FULL_ACCESS, Scope
from data_access.scorecard import forecast_method
from explain.baselines import METHODS
from explain.drivers import cell_drivers


class Cockpit:
    """One database, seen with full access (or ``scope``)."""

    def __init__(self, db_url: str | None = None, scope: Scope = FULL_ACCESS) -> None:
        self.db_url = resolve_url(db_url)
        self.engine = get_engine(self.db_url)
        self.scope = scope
        require_data(self.engine)

    def __repr__(self) -> str:
        return f"Cockpit({self.engine.url.render_as_string()!r})"

    def deviation(
        self,
        level: str = "region",
        region_id: int | None = None,
        team_id: int | None = None,
        month: int = 3,
        mode: str = "target",
        method: str | None = None,
    ) -> pd.DataFrame:
        """Forecast deviation per (entity, quarter) at a drill level (see ``forecast.deviation_by_cell``).

        ``method``: one of ``explain.baselines.METHODS``; by default the one the team picked on the
        scorecard page, as the forecast page shows.
        """
        method = method or forecast_method(self.engine)
        if method not in METHODS:
            raise ValueError(f"no forecast method {method!r}; choose one of {', '.join(METHODS)}")
        return forecast.deviation_by_cell(
            self.engine, self.scope, level, region_id, team_id, month, mode, method=method
        )

    def drivers(self, level: str, key: int, quarter: str, month: int = 3, lang: str = "en") -> pd.DataFrame:
        """The drivers of one cell against the same entity's typical quarter."""
        cell = forecast.Cell(level, int(key), quarter, month)
        return cell_drivers(
            forecast.driver_sums(self.engine, self.scope, cell),
            forecast.typical_driver_sums(self.engine, self.scope, cell),
            lang,
        )

    @staticmethod
    def pages() -> dict[str, type]:
        """Every registered page (built-in and plugins): name -> Viewer class."""
        return discover_pages()

    def page(self, name: str, **params: Any) -> Any:
        """An instance of the page ``name`` on this database, for display in a notebook cell."""
        pages = discover_pages()
        if name not in pages:
            raise ValueError(f"no page named {name!r}; registered: {', '.join(sorted(pages)) or 'none'}")
        return pages[name](db_url=self.db_url, **params)
