"""The served cockpit: every registered page at /<slug>, sharing navigation; / opens the first page."""

from __future__ import annotations

import panel as pn

from cockpit.registry import discover_pages
from data_access.engine import resolve_url


def routes(db_url: str | None) -> dict:
    """Route -> app factory for every registered page (each session gets its own state and page)."""
    url = resolve_url(db_url)
    pages = discover_pages()
    nav = [(cls.name_key, f"./{cls.slug}") for cls in pages.values()]
    out = {cls.slug: (lambda cls=cls: cls.create_app(url, nav)) for cls in pages.values()}
    first = next(iter(pages.values()))
    out["/"] = lambda: first.create_app(url, nav)
    return out


def serve(db_url: str | None, port: int, address: str, show: bool) -> None:
    """Serve the cockpit (blocking)."""
    pn.extension(notifications=True, design="bootstrap")
    pn.serve(
        routes(db_url),
        port=port,
        address=address,
        show=show,
        title="Cockpit",
        websocket_origin=[f"{address}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"],
    )
