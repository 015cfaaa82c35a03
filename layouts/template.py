"""The app template (navigation in the sidebar, optional header widgets) and user-facing errors."""

from __future__ import annotations

import html

import panel as pn


def nav_links(nav: list[tuple[str, str]]) -> pn.pane.HTML:
    """The (label, href) pairs as a vertical list of links; labels and hrefs are escaped."""
    items = "".join(
        f'<li><a href="{html.escape(href, quote=True)}">{html.escape(label)}</a></li>' for label, href in nav
    )
    return pn.pane.HTML(
        f'<nav><ul style="list-style:none;padding-left:0;line-height:2">{items}</ul></nav>',
        sizing_mode="stretch_width",
    )


class HistoryReload(pn.reactive.ReactiveHTML):
    """Browser Back/Forward load the page at that address: every view lives in its URL (F26), and the
    app pushes one history entry per drill step, so reloading there restores the earlier view."""

    _template = '<div id="history"></div>'
    _scripts = {"render": "window.addEventListener('popstate', () => window.location.reload())"}


def app_template(
    title: str,
    nav: list[tuple[str, str]] | pn.pane.HTML,
    main: object,
    sidebar: list[object] | None = None,
    header: list[object] | None = None,
) -> pn.template.BootstrapTemplate:
    """A BootstrapTemplate (no web fonts fetched: the app works offline) with ``nav`` links (and then ``sidebar`` objects) in the sidebar,
    ``main`` in the main area and optional ``header`` objects (e.g. a language selector) in the header.
    """
    return pn.template.BootstrapTemplate(
        title=title,
        sidebar=[nav if isinstance(nav, pn.pane.HTML) else nav_links(nav), *(sidebar or [])],
        main=[main],
        header=[*(header or []), HistoryReload(width=0, height=0, margin=0)],
        sidebar_width=260,
    )


def notification_error(message: str) -> None:
    """Show ``message`` as an error notification when notifications are available, else do nothing."""
    notifications = getattr(pn.state, "notifications", None)
    if notifications is not None:
        notifications.error(message)
