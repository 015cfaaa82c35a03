"""Smoke: every registered page, served for real, renders without a traceback or a console error."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from cockpit.registry import discover_pages
from tests.fixtures_served import ARTIFACTS, ServedApp

pytestmark = pytest.mark.browser

PAGES = discover_pages()
SETTLE_MS = 3000


def _open_and_collect(page: Page, url: str) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    failed: list[str] = []
    page.on(
        "console", lambda msg: errors.append(f"{msg.text} @ {msg.location}") if msg.type == "error" else None
    )
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("requestfailed", lambda req: failed.append(f"{req.url}: {req.failure}"))
    page.goto(url, wait_until="load", timeout=60_000)
    page.wait_for_function(
        "() => window.Bokeh && Bokeh.index && Bokeh.index.roots.length > 0", timeout=60_000
    )
    page.wait_for_timeout(SETTLE_MS)
    return errors, failed


def test_smoke_registry_has_the_forecast_page() -> None:
    assert "forecast" in PAGES
    assert all(getattr(cls, "slug", "") for cls in PAGES.values())


@pytest.mark.parametrize("path", ["", *(cls.slug for cls in PAGES.values())])
def test_smoke_page_renders_without_errors(page: Page, served_app: ServedApp, path: str) -> None:
    start = served_app.mark()
    errors, failed = _open_and_collect(page, f"{served_app.base_url}/{path}")  # "": the app's front page
    page.screenshot(path=str(ARTIFACTS / f"smoke-{path or 'index'}.png"), full_page=True)
    assert errors == [], errors
    assert failed == [], failed
    assert "Traceback" not in page.content()
    assert page.get_by_text("Traceback").count() == 0  # locators also search Bokeh's shadow roots
    assert "Traceback" not in served_app.output(start), served_app.output(start)[-3000:]


def test_smoke_bad_link_still_renders(page: Page, served_app: ServedApp) -> None:
    start = served_app.mark()
    errors, _failed = _open_and_collect(page, f"{served_app.base_url}/forecast?region=abc&month=9")
    page.screenshot(path=str(ARTIFACTS / "smoke-bad-link.png"), full_page=True)
    assert errors == [], errors
    assert "Traceback" not in page.content()
    assert page.get_by_text("Traceback").count() == 0
    assert page.get_by_role("button", name="All regions").is_visible()
    assert page.get_by_text("region=abc").count() >= 1  # the notification names the ignored parameter
    assert "Traceback" not in served_app.output(start), served_app.output(start)[-3000:]
