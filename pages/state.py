"""The shared state of a cockpit session: language, comparison and the drill path (all in the URL)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import param

from data_access.forecast import MODES

URL_PARAMETERS = ("lang", "mode", "month", "quarter", "region", "team", "rep", "deal")
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")


class CockpitState(param.Parameterized):
    """One per browser session (or notebook); pages read and write it, the URL mirrors it."""

    db_url = param.String(
        default=None, allow_None=True, doc="Database URL; None means $COCKPIT_DB or the embedded default."
    )
    lang = param.Selector(
        default="en", objects=["en", "zh"], doc="UI language: English or Simplified Chinese."
    )
    mode = param.Selector(
        default="target",
        objects=list(MODES),
        doc="What deviation means: vs target, or change since the previous snapshot.",
    )
    month = param.Integer(
        default=3, bounds=(1, 3), doc="Which monthly snapshot of each quarter the forecast is read at (1..3)."
    )
    quarter = param.String(default=None, allow_None=True, doc="Quarter of the selected cell, e.g. '2026Q2'.")
    region = param.Integer(default=None, allow_None=True, doc="Drilled-into region id.")
    team = param.Integer(default=None, allow_None=True, doc="Drilled-into team id.")
    rep = param.Integer(default=None, allow_None=True, doc="Drilled-into rep id.")
    deal = param.Integer(default=None, allow_None=True, doc="Selected deal id (deal level).")

    @property
    def level(self) -> str:
        """The level the heatmap shows: regions, a region's teams, a team's reps, or a rep's deals."""
        if self.rep is not None:
            return "deal"
        if self.team is not None:
            return "rep"
        if self.region is not None:
            return "team"
        return "region"

    @property
    def selected(self) -> tuple[str, int] | None:
        """The selected cell's (level, key): the deepest id set, or None at the top."""
        for level in ("rep", "team", "region"):
            key = getattr(self, level)
            if key is not None:
                return level, key
        return None

    def drill(self, level: str, key: int, quarter: str) -> None:
        """Select a cell one level down (keeps the ids above, clears the ones below)."""
        order = ["region", "team", "rep", "deal"]
        below = {name: None for name in order[order.index(level) + 1 :]}
        self.param.update(**{level: key, "quarter": quarter}, **below)

    def up_to(self, level: str | None) -> None:
        """Go back up: keep ids down to ``level`` (None: the top) and clear the rest."""
        order = ["region", "team", "rep", "deal"]
        keep = order.index(level) + 1 if level else 0
        self.param.update(**{name: None for name in order[keep:]})

    def url_query(self) -> str:
        """The state as a URL query string (only what is set)."""
        values = {name: getattr(self, name) for name in URL_PARAMETERS}
        return "?" + urlencode({k: v for k, v in values.items() if v is not None})


def parse_url_args(args: dict[str, str]) -> tuple[dict, list[tuple[str, str]]]:
    """Well-formed link parameters as typed values, and the (name, raw value) pairs that are not."""
    values, bad = {}, []
    for name in URL_PARAMETERS:
        raw = args.get(name)
        if raw in (None, ""):
            continue
        value = _parse(name, raw)
        if value is None:
            bad.append((name, raw))
        else:
            values[name] = value
    return values, bad


def _parse(name: str, raw: str):
    if name == "lang":
        return raw if raw in ("en", "zh") else None
    if name == "mode":
        return raw if raw in MODES else None
    if name == "quarter":
        return raw if _QUARTER.match(raw) else None
    try:
        value = int(raw)
    except ValueError:
        return None
    if name == "month" and not 1 <= value <= 3:
        return None
    return value if value >= 0 else None
