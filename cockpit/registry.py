"""Page discovery: built-in and plugin pages register under the ``cockpit.pages`` entry-point group."""

from __future__ import annotations

from importlib.metadata import entry_points

GROUP = "cockpit.pages"


def discover_pages() -> dict[str, type]:
    """Every registered page class by entry-point name, built-in ones first, then plugins by name."""
    found = {ep.name: ep for ep in entry_points(group=GROUP)}
    order = sorted(found, key=lambda name: (not found[name].value.startswith("pages."), name))
    return {name: found[name].load() for name in order}
