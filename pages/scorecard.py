"""The forecast scorecard: the stored backtest, model against the CRM baselines, and the team's pick."""

from __future__ import annotations

import html

import pandas as pd
import panel as pn

from data_access import forecast as fc
from data_access.scorecard import forecast_method, latest_backtest, set_forecast_method
from explain.backtest import METRICS
from explain.baselines import METHODS
from layouts import metric_lines, t
from pages.base import CockpitPage
from pages.state import URL_PARAMETERS

HIGHER_IS_BETTER = frozenset({"auc"})
TEAM_METRIC = "wape"


def _fmt(metric: str, value) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{value:+.1%}" if metric == "bookings_error" else f"{value:.3f}"


def _table(header: list[str], rows: list[list[str]], bold: set[int]) -> str:
    """A plain HTML table; rows whose index is in ``bold`` are emphasised (the picked method)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr{}>{}</tr>".format(
            ' class="picked"' if i in bold else "", "".join(f"<td>{html.escape(c)}</td>" for c in row)
        )
        for i, row in enumerate(rows)
    )
    return f'<table class="scorecard"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


STYLE = """
table.scorecard { border-collapse: collapse; font-size: 14px; }
table.scorecard th, table.scorecard td { padding: 4px 12px; border-bottom: 1px solid #ddd; text-align: right; }
table.scorecard th:first-child, table.scorecard td:first-child { text-align: left; }
table.scorecard tr.picked td { font-weight: 700; background: #eef5fb; }
td.best { color: #1a7f37; }
"""


class ScorecardPage(CockpitPage):
    """How each forecasting method did on this database's own history, and which one the team uses."""

    name_key = "nav_scorecard"
    slug = "scorecard"

    def __init__(self, **params):
        super().__init__(**params)
        self._title = pn.pane.Markdown(margin=(0, 10))
        self._intro = pn.pane.Markdown(styles={"color": "#555"}, margin=(0, 10))
        self._pick = pn.widgets.RadioButtonGroup(options={}, color="primary", variant="outline")
        self._pick_label = pn.pane.Markdown(margin=(0, 10))
        self._saved = pn.pane.Markdown(styles={"color": "#1a7f37"}, margin=(0, 10), css_classes=["saved"])
        self._overall_title = pn.pane.Markdown(margin=(0, 10))
        self._overall = pn.pane.HTML(stylesheets=[STYLE], css_classes=["overall"])
        self._metric = pn.widgets.Select(value="wape", options={}, width=220)
        self._time_title = pn.pane.Markdown(margin=(0, 10))
        self._chart = pn.pane.HoloViews(sizing_mode="stretch_width", min_height=320)
        self._team_title = pn.pane.Markdown(margin=(0, 10))
        self._teams = pn.pane.HTML(stylesheets=[STYLE], css_classes=["teams"])
        self._pick.param.watch(self._on_pick, "value")
        self._metric.param.watch(lambda _e: self._render_chart(), "value")
        self.state.param.watch(lambda _e: self._refresh(), list(URL_PARAMETERS))
        self._layout = pn.Column(
            self._title,
            self._intro,
            pn.Row(self._pick_label, self._pick),
            self._saved,
            self._overall_title,
            self._overall,
            self._time_title,
            self._metric,
            self._chart,
            self._team_title,
            self._teams,
            sizing_mode="stretch_width",
        )
        self._refresh()

    def __panel__(self):
        return self._layout

    def _name(self, method: str) -> str:
        return t(f"method_{method}", self.state.lang)

    def _refresh(self) -> None:
        lang = self.state.lang
        self._title.object = f"## {t('nav_scorecard', lang)}"
        stored = latest_backtest(self.engine)
        shown = stored is not None
        for pane in (self._pick, self._pick_label, self._overall, self._metric, self._chart, self._teams):
            pane.visible = shown
        if not shown:
            self._intro.object = t("scorecard_empty", lang)
            for pane in (self._overall_title, self._time_title, self._team_title, self._saved):
                pane.object = ""
            return
        run_at, self._result = stored
        self._intro.object = t("scorecard_intro", lang, run_at=f"{run_at:%Y-%m-%d %H:%M}")
        self._pick_label.object = f"**{t('the_forecast', lang)}**"
        picked = forecast_method(self.engine)
        with pn.io.hold():
            self._pick.options = {self._name(m): m for m in METHODS}
            self._pick.value = picked
            self._metric.options = {t(f"metric_{m}", lang): m for m in METRICS}
            self._metric.name = t("metric", lang)
        self._overall_title.object = f"### {t('scorecard_all', lang)}"
        self._time_title.object = f"### {t('scorecard_over_time', lang)}"
        self._render_overall(picked)
        self._render_chart()
        self._render_teams(picked)

    def _render_overall(self, picked: str) -> None:
        lang = self.state.lang
        methods = self._result["methods"]
        header = [t("method", lang)] + [t(f"metric_{m}", lang) for m in METRICS]
        rows = [[self._name(m)] + [_fmt(k, methods[m][k]) for k in METRICS] for m in METHODS]
        self._overall.object = _table(header, rows, {METHODS.index(picked)})

    def _render_chart(self) -> None:
        if not getattr(self, "_result", None):
            return
        metric = self._metric.value
        frame = pd.DataFrame(
            [
                {"quarter": c["quarter"], "method": self._name(m), "value": c["methods"][m][metric]}
                for c in self._result["cutoffs"]
                for m in METHODS
            ]
        ).astype({"value": float})
        self._chart.object = metric_lines(frame, t(f"metric_{metric}", self.state.lang))

    def _render_teams(self, picked: str) -> None:
        lang = self.state.lang
        teams = self._result.get("teams", {})
        names = fc.names(self.engine, self.scope, "team", [int(k) for k in teams])
        self._team_title.object = "### " + t(
            "scorecard_by_team", lang, metric=t(f"metric_{TEAM_METRIC}", lang)
        )
        header = [t("team", lang)] + [self._name(m) for m in METHODS]
        rows = [
            [str(names.loc[int(k), f"name_{lang}"]) if int(k) in names.index else k]
            + [_fmt(TEAM_METRIC, by_method.get(m, {}).get(TEAM_METRIC)) for m in METHODS]
            for k, by_method in sorted(teams.items(), key=lambda kv: int(kv[0]))
            if int(k) in names.index  # the viewer's scope decides which teams show
        ]
        self._teams.object = _table(header, rows, set())

    def _on_pick(self, event) -> None:
        if event.new is None or event.new == forecast_method(self.engine):
            return
        set_forecast_method(self.engine, event.new)
        self._saved.object = t("forecast_picked", self.state.lang, method=self._name(event.new))
        self._render_overall(event.new)
