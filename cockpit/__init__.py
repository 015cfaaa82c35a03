"""Cockpit: a sales manager's cockpit on Panel. ``cockpit.open()`` gives the notebook facade."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cockpit.notebook import Cockpit

__version__ = "0.1.0"
__all__ = ["open", "__version__"]


def open(db_url: str | None = None) -> Cockpit:
    """Open the cockpit on a database (default: $COCKPIT_DB or the embedded sample) for notebook use."""
    from cockpit.notebook import Cockpit

    return Cockpit(db_url)
