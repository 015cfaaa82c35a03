"""The imported Maven CRM export in a real browser: regional office -> manager -> agent -> deal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures_served import ARTIFACTS, ServedApp
from tests.test_browser_forecast import CELL_POSITION_JS, IDLE_JS, TIMEOUT_MS, _no_traceback

pytestmark = pytest.mark.browser

QUARTER = "2017Q3"

# The row factors of the plot whose x factors hold ``quarter`` (the heatmap), top row first.
ROWS_JS = """
(quarter) => {
  if (!window.Bokeh || !Bokeh.index) return null;
  for (const view of Bokeh.index.all_views()) {
    const frame = view.frame;
    if (!frame || !frame.x_range || !frame.y_range) continue;
    const xf = frame.x_range.factors, yf = frame.y_range.factors;
    if (xf && yf && xf.includes(quarter) && view.el.getBoundingClientRect().width > 0) return [...yf].reverse();
  }
  return null;
}
"""

# Screen position of the bar labelled ``label`` in a horizontal bar chart (categorical y, numeric x).
BAR_POSITION_JS = """
(label) => {
  if (!window.Bokeh || !Bokeh.index) return null;
  for (const view of Bokeh.index.all_views()) {
    const frame = view.frame;
    if (!frame || !frame.y_range || !frame.y_range.factors || frame.x_range.factors) continue;
    if (!frame.y_range.factors.includes(label)) continue;
    const box = view.el.getBoundingClientRect();
    if (box.width === 0) continue;
    const sy = frame.y_scale.compute(frame.y_range.synthetic(label));
    const sx = frame.x_scale.compute(frame.x_range.start + 0.02 * (frame.x_range.end - frame.x_range.start));
    return [box.left + sx, box.top + sy];
  }
  return null;
}
"""


def _rows(page: Page, expected: str | None = None) -> list[str]:
    test = f"(({ROWS_JS})({QUARTER!r}) || []).length > 0"
    if expected is not None:
        test = f"(({ROWS_JS})({QUARTER!r}) || []).includes({expected!r})"
    page.wait_for_function(test, timeout=TIMEOUT_MS)
    return page.evaluate(ROWS_JS, QUARTER)


def _click(page: Page, js: str, arg) -> None:
    page.wait_for_function(f"({js})({arg!r}) !== null", timeout=TIMEOUT_MS)
    page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS)
    x, y = page.evaluate(js, arg)
    page.mouse.click(x, y)


def test_browser_drills_the_imported_maven_export(page: Page, served_maven: ServedApp) -> None:
    start = served_maven.mark()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{served_maven.base_url}/forecast")
    assert sorted(_rows(page, "East")) == ["Central", "East", "West"]  # the regional offices
    expect(page.get_by_text(re.compile("records no sales targets"))).to_be_visible()

    _click(page, CELL_POSITION_JS, [QUARTER, "East"])
    page.wait_for_url(re.compile(r"region="), timeout=TIMEOUT_MS)
    expect(page.get_by_role("button", name=re.compile("East"))).to_be_visible()
    page.wait_for_function(f"!(({ROWS_JS})({QUARTER!r}) || []).includes('East')", timeout=TIMEOUT_MS)
    managers = _rows(page)
    manager = managers[0]

    _click(page, CELL_POSITION_JS, [QUARTER, manager])
    page.wait_for_url(re.compile(r"team="), timeout=TIMEOUT_MS)
    expect(page.get_by_role("button", name=re.compile(re.escape(manager)))).to_be_visible()
    page.wait_for_function(f"!(({ROWS_JS})({QUARTER!r}) || []).includes({manager!r})", timeout=TIMEOUT_MS)
    agent = _rows(page)[0]

    _click(page, CELL_POSITION_JS, [QUARTER, agent])
    page.wait_for_url(re.compile(r"rep="), timeout=TIMEOUT_MS)
    expect(page.get_by_text(f"Open deals of {agent} in {QUARTER}")).to_be_visible()
    label = page.evaluate(
        """() => { for (const v of Bokeh.index.all_views()) { const f = v.frame;
             if (!f || !f.y_range || !f.y_range.factors || !v.el.getBoundingClientRect().width) continue;
             const deals = f.y_range.factors.filter((x) => String(x).startsWith("#"));
             if (deals.length) return deals[deals.length - 1]; } return null; }"""
    )
    assert label and label.startswith("#")
    _click(page, BAR_POSITION_JS, label)
    page.wait_for_url(re.compile(r"deal="), timeout=TIMEOUT_MS)
    expect(page.get_by_text("Why this deal is likely")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "maven-deal.png"), full_page=True)
    _no_traceback(page, served_maven, start)


def test_browser_scorecard_on_the_imported_export(page: Page, served_maven: ServedApp) -> None:
    start = served_maven.mark()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{served_maven.base_url}/scorecard")
    table = page.locator(".overall table")
    expect(table).to_contain_text("Naive Bayes (Odoo-style)")
    expect(table).to_contain_text("Stage × week win rate (Gong-style)")
    expect(page.locator(".overall tr.picked")).to_contain_text("Cockpit model")
    page.get_by_role("button", name="Stage-weighted (fitted)").click()
    expect(page.locator(".saved")).to_contain_text("Stage-weighted (fitted)")
    page.reload()
    expect(page.locator(".overall tr.picked")).to_contain_text("Stage-weighted (fitted)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "maven-scorecard.png"), full_page=True)
    _no_traceback(page, served_maven, start)
