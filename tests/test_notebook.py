"""The notebook facade: numbers as DataFrames, pages as objects that render without a server."""

from __future__ import annotations

import numpy as np
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


def test_notebook_deviation_follows_the_method_picked_on_the_scorecard(small_db_url: str) -> None:
    from data_access.scorecard import set_forecast_method

    ck = cockpit.open(small_db_url)
    model = ck.deviation(method="model")
    table = ck.deviation(method="stage_weighted_fixed")
    assert not np.allclose(model.deviation, table.deviation)
    set_forecast_method(ck.engine, "stage_weighted_fixed")
    try:
        np.testing.assert_allclose(ck.deviation().deviation, table.deviation)
    finally:
        set_forecast_method(ck.engine, "model")
    np.testing.assert_allclose(ck.deviation().deviation, model.deviation)
    with pytest.raises(ValueError, match="no forecast method 'gut_feeling'"):
        ck.deviation(method="gut_feeling")
