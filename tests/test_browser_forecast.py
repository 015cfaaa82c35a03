"""The forecast story in a real browser: click Suzhou x 2026Q2, then its tier-3 team, read the drivers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures_served import ARTIFACTS, ServedApp

pytestmark = pytest.mark.browser

QUARTER = "2026Q2"
TIMEOUT_MS = 60_000

# Screen position (page coordinates) of the heatmap cell (x factor, y factor): the heatmap is the plot
# whose x range holds quarter factors; its frame scales map the factor centres to canvas pixels.
CELL_POSITION_JS = """
([x, y]) => {
  if (!window.Bokeh || !Bokeh.index) return null;
  for (const view of Bokeh.index.all_views()) {
    const frame = view.frame;
    if (!frame || !frame.x_range || !frame.y_range) continue;
    const xf = frame.x_range.factors, yf = frame.y_range.factors;
    if (!xf || !yf || !xf.includes(x) || !yf.includes(y)) continue;
    const sx = frame.x_scale.compute(frame.x_range.synthetic(x));
    const sy = frame.y_scale.compute(frame.y_range.synthetic(y));
    const box = view.el.getBoundingClientRect();
    if (box.width === 0) continue;
    return [box.left + sx, box.top + sy];
  }
  return null;
}
"""


# True while no Bokeh view shows Panel's loading spinner (a click on a spinner is lost).
IDLE_JS = """
() => !!(window.Bokeh && Bokeh.index) && !Bokeh.index.all_views().some(
  (v) => (v.model.css_classes || []).includes("pn-loading"))
"""


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"forecast-{name}.png"), full_page=True)


def _click_cell(page: Page, row: str, quarter: str = QUARTER) -> None:
    page.wait_for_function(f"({CELL_POSITION_JS})({[quarter, row]!r}) !== null", timeout=TIMEOUT_MS)
    page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS)
    x, y = page.evaluate(CELL_POSITION_JS, [quarter, row])
    page.mouse.click(x, y)


def _heatmap_has_row(page: Page, row: str) -> None:
    page.wait_for_function(f"({CELL_POSITION_JS})({[QUARTER, row]!r}) !== null", timeout=TIMEOUT_MS)


def _no_traceback(page: Page, served: ServedApp, since: int) -> None:
    assert "Traceback" not in page.content()
    assert page.get_by_text("Traceback").count() == 0  # locators also search Bokeh's shadow roots
    assert "Traceback" not in served.output(since), served.output(since)[-3000:]


def test_browser_forecast_drill_to_suzhou_tier3_shows_decision_cycle_driver(
    page: Page, served_app: ServedApp
) -> None:
    start = served_app.mark()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{served_app.base_url}/forecast")
    _heatmap_has_row(page, "Suzhou")
    _shot(page, "1-regions")

    _click_cell(page, "Suzhou")
    page.wait_for_url(re.compile(r"region=2"), timeout=TIMEOUT_MS)
    assert f"quarter={QUARTER}" in page.url
    expect(page.get_by_role("button", name=re.compile("Suzhou"))).to_be_visible()
    _heatmap_has_row(page, "Suzhou Tier-3 Hospitals")
    _shot(page, "2-suzhou-teams")

    _click_cell(page, "Suzhou Tier-3 Hospitals")
    page.wait_for_url(re.compile(r"team=4"), timeout=TIMEOUT_MS)
    drivers = page.locator(".drivers-text")
    expect(drivers).to_contain_text("decision cycle")
    expect(page.get_by_text(re.compile(r"Suzhou Tier-3 Hospitals, 2026Q2: forecast"))).to_be_visible()
    _shot(page, "3-suzhou-tier3")
    _no_traceback(page, served_app, start)

    page.get_by_role("button", name="All regions").click()
    page.wait_for_url(lambda url: "region=" not in url, timeout=TIMEOUT_MS)
    _heatmap_has_row(page, "Shanghai")
    _shot(page, "4-back-to-regions")
    _no_traceback(page, served_app, start)


def _a_rep_of_team_4(db_url: str) -> str:
    from data_access.engine import get_engine
    from data_access.forecast import deviation_by_cell
    from data_access.scope import FULL_ACCESS

    engine = get_engine(db_url)
    try:
        return str(deviation_by_cell(engine, FULL_ACCESS, "rep", region_id=2, team_id=4).name_en.iloc[0])
    finally:
        engine.dispose()


def test_browser_forecast_link_restores_the_view_and_language_switch_shows_chinese(
    page: Page, served_app: ServedApp, story_db_url: str
) -> None:
    rep = _a_rep_of_team_4(story_db_url)
    start = served_app.mark()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{served_app.base_url}/forecast?quarter={QUARTER}&region=2&team=4&month=2")
    assert "month=2" in page.url
    expect(page.get_by_role("button", name=re.compile("Suzhou Tier-3 Hospitals"))).to_be_visible()
    expect(page.locator(".drivers-text")).to_contain_text("1. ")
    _heatmap_has_row(page, rep)
    assert "team=4" in page.url and "region=2" in page.url
    _shot(page, "5-link")

    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("button", name=re.compile("苏州")).first).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_url(re.compile(r"lang=zh"), timeout=TIMEOUT_MS)
    _shot(page, "6-chinese")
    _no_traceback(page, served_app, start)


def test_browser_forecast_back_to_the_top_from_a_rep_clears_the_rep_panels(
    page: Page, served_app: ServedApp, story_db_url: str
) -> None:
    rep = _a_rep_of_team_4(story_db_url)
    start = served_app.mark()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{served_app.base_url}/forecast?quarter={QUARTER}&region=2&team=4&month=3")
    _click_cell(page, rep)
    page.wait_for_url(re.compile(r"rep=\d+"), timeout=TIMEOUT_MS)
    expect(page.get_by_text(re.compile(f"Open deals of {rep}"))).to_be_visible()
    _shot(page, "7-rep")

    page.get_by_role("button", name="All regions").click()
    page.wait_for_url(lambda url: "rep=" not in url and "region=" not in url, timeout=TIMEOUT_MS)
    _heatmap_has_row(page, "Shanghai")
    page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS)
    expect(page.get_by_text(re.compile("Open deals of"))).to_have_count(0)
    expect(page.get_by_text(re.compile("What if:"))).to_have_count(0)
    _shot(page, "8-back-from-rep")
    _no_traceback(page, served_app, start)


def test_browser_back_button_returns_to_the_previous_drill_level(page: Page, served_app: ServedApp) -> None:
    start = served_app.mark()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{served_app.base_url}/forecast")
    _click_cell(page, "Suzhou")
    page.wait_for_url(re.compile(r"region=2"), timeout=TIMEOUT_MS)
    _heatmap_has_row(page, "Suzhou Tier-3 Hospitals")

    page.go_back()
    page.wait_for_url(lambda url: "region=" not in url, timeout=TIMEOUT_MS)
    _heatmap_has_row(page, "Shanghai")  # the regions again, not Suzhou's teams under an old address
    expect(page.get_by_role("button", name=re.compile("› Suzhou"))).to_have_count(0)
    page.go_forward()
    page.wait_for_url(re.compile(r"region=2"), timeout=TIMEOUT_MS)
    _heatmap_has_row(page, "Suzhou Tier-3 Hospitals")
    _no_traceback(page, served_app, start)
