"""The notebook facade: numbers as DataFrames, pages as objects that render without a server."""

from __future__ import annotations

import panel as pn
import pytest

import cockpit


def test_notebook_gives_deviation_and_drivers_as_dataframes(small_db_url: str) -> None:
    ck = cockpit.open(small_db_url)
    regions = ck.deviation()
    assert set(regions.name_en) == {"Shanghai", "Suzhou", "Hangzhou", "Nanjing", "Hefei"}
    teams = ck.deviation("team", region_id=2)
    assert teams.name_en.str.startswith("Suzhou").all()
    drivers = ck.drivers("team", 4, "2026Q2", lang="zh")
    assert not drivers.empty and drivers.label.str.contains("[\u4e00-\u9fff]").all()


def test_notebook_pages_render_inline(small_db_url: str) -> None:
    ck = cockpit.open(small_db_url)
    assert "forecast" in ck.pages()
    page = ck.page("forecast")
    root = pn.panel(page).get_root()  # what Jupyter displays
    assert root is not None
    assert not page._rows.empty
    with pytest.raises(ValueError, match="no page named 'nope'.*forecast"):
        ck.page("nope")
