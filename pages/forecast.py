"""Forecast-deviation page: heatmap drill region -> team -> rep -> deal, with the drivers of each cell."""

from __future__ import annotations

import html

import holoviews as hv
import pandas as pd
import panel as pn

from data_access import forecast as fc
from data_access.scorecard import forecast_method
from explain.changes import what_changed
from explain.drivers import cell_drivers, deal_waterfall
from explain.labels import cell_label
from explain.whatif import WhatIfError, available_levers, load_model, what_if
from layouts import (
    change_waterfall,
    deal_bars,
    deviation_heatmap,
    driver_bars,
    fmt_money,
    shap_waterfall,
    t,
    unit_name,
)
from pages.base import CockpitPage
from pages.state import URL_PARAMETERS

TOP_DRIVERS = 8
TOP_DEALS = 15  # the rep's largest expected amounts; the rest would push the deal's waterfall out of view
_ROWS_OF = {"region": "region", "team": "team", "rep": "rep", "deal": "rep"}  # heatmap rows at each level


class ForecastPage(CockpitPage):
    """Forecast deviation by region x quarter; click a cell to drill down and see why it moved."""

    name_key = "nav_forecast"
    slug = "forecast"

    def __init__(self, **params):
        super().__init__(**params)
        self._rows = pd.DataFrame()
        self._deals = pd.DataFrame()
        self._has_targets = fc.has_targets(self.engine)
        self._unit = fc.amount_unit(self.engine)  # CNY for the sample; an import says its own
        if not self._has_targets:
            self.state.mode = "change"  # nothing to compare with but the previous snapshot
        self._taps: list[hv.streams.Stream] = []
        self._title = pn.pane.Markdown(margin=(0, 10))
        self._crumbs = pn.Row(margin=(0, 5))
        self._help = pn.pane.Markdown(styles={"color": "#555"}, margin=(0, 10))
        self._mode = pn.widgets.RadioButtonGroup(
            value=self.state.mode, options=[], color="primary", variant="outline"
        )
        self._month = pn.widgets.Select(value=self.state.month, options={}, width=200)
        self._heatmap = pn.pane.HoloViews(sizing_mode="stretch_width", min_height=260)
        self._hint = pn.pane.Markdown(styles={"color": "#777"}, margin=(0, 10))
        self._summary = pn.pane.Markdown(margin=(0, 10))
        self._drivers_help = pn.pane.Markdown(styles={"color": "#555"}, margin=(0, 10))
        self._drivers_chart = pn.pane.HoloViews(sizing_mode="stretch_width", min_height=300)
        self._drivers_box = _box(self._drivers_chart)
        self._drivers_text = pn.pane.Markdown(margin=(0, 10), css_classes=["drivers-text"])
        self._changes_title = pn.pane.Markdown(margin=(0, 10))
        self._from = pn.widgets.Select(options={}, width=160)
        self._to = pn.widgets.Select(options={}, width=160)
        self._changes_plot = pn.pane.HoloViews(sizing_mode="stretch_width")
        self._changes = _box(self._changes_plot)
        self._bucket_deals = pn.pane.HTML(css_classes=["bucket-deals"], margin=(0, 10))
        self._updating = False  # set while the page itself moves the From/To selects
        self._changes_view: tuple | None = None  # the cell and snapshot the From/To were set for
        for select_ in (self._from, self._to):
            select_.param.watch(lambda _e: None if self._updating else self._render_changes(), "value")
        self._wi_title = pn.pane.Markdown(margin=(0, 10))
        # No start/end on the widget: it would clamp a bad value silently; the what-if says what is allowed.
        self._wi_discount = pn.widgets.FloatInput(value=None, step=0.5, width=200)
        self._wi_earlier = pn.widgets.IntSlider(value=0, start=0, end=60, step=1, width=260)
        self._wi_exec = pn.widgets.Select(options={}, width=200)
        self._wi_demo = pn.widgets.Select(options={}, width=200)
        self._wi_run = pn.widgets.Button(color="primary", margin=(22, 10, 0, 10))
        self._wi_result = pn.pane.Markdown(margin=(0, 10), css_classes=["whatif-result"])
        self._wi_run.on_click(lambda _e: self._run_whatif())
        self._wi_levers = {
            "discount_pct": self._wi_discount,
            "decision_earlier_days": self._wi_earlier,
            "exec_sponsor_met": self._wi_exec,
            "demo_done": self._wi_demo,
        }
        self._available_levers = available_levers(load_model(self.engine))  # the data's, not all
        self._parts = pd.DataFrame()
        self._change_deals = pd.DataFrame()
        self._buckets = pd.DataFrame()
        self._deals_title = pn.pane.Markdown(margin=(0, 10))
        self._deals_chart = pn.pane.HoloViews(sizing_mode="stretch_width")
        self._deal_summary = pn.pane.Markdown(margin=(0, 10))
        self._waterfall_plot = pn.pane.HoloViews(sizing_mode="stretch_width")
        self._waterfall = _box(self._waterfall_plot)
        # Below the drivers, shown from rep level down: the rep's deals, then the chosen deal's waterfall
        # (stacked: side by side, the long hospital names squeezed both plots to a sliver).
        self._deal_column = _box(self._deals_title, self._deals_chart, self._deal_summary, self._waterfall)
        self._mode.param.watch(lambda e: setattr(self.state, "mode", e.new), "value")
        self._month.param.watch(lambda e: setattr(self.state, "month", e.new), "value")
        self.state.param.watch(self._on_state, list(URL_PARAMETERS))
        self._layout = pn.Column(
            self._title,
            self._crumbs,
            pn.Row(self._mode, self._month),
            self._help,
            self._heatmap,
            self._hint,
            self._summary,
            self._drivers_help,
            self._drivers_box,
            self._drivers_text,
            self._deal_column,
            self._changes_title,
            pn.Row(self._from, self._to),
            self._changes,
            self._bucket_deals,
            self._wi_title,
            pn.Row(self._wi_discount, self._wi_earlier, self._wi_exec, self._wi_demo, self._wi_run),
            self._wi_result,
            sizing_mode="stretch_width",
        )
        self._refresh()

    def __panel__(self):
        return self._layout

    # -- state -> view ----------------------------------------------------------------------------
    def _on_state(self, *_events) -> None:
        # Show the spinners first; the browser gets them before the (slower) redraw starts.
        self._set_loading(True)
        _after_this_event(self._refresh)

    def _set_loading(self, on: bool) -> None:
        for pane in (
            self._heatmap,
            self._drivers_chart,
            self._deals_chart,
            self._waterfall_plot,
            self._changes_plot,
        ):
            pane.loading = on

    def _refresh(self) -> None:
        self._method = forecast_method(self.engine)  # picked on the scorecard; the model by default
        try:
            self._render_controls()
            self._render_crumbs()
            self._render_heatmap()
            self._heatmap.loading = False  # clickable while the sections below still draw
            self._render_drivers()
            self._render_changes()
            self._render_deals()
            self._render_whatif()
        finally:
            self._set_loading(False)

    def _render_controls(self) -> None:
        lang, st = self.state.lang, self.state
        self._title.object = f"## {t('nav_forecast', lang)}"
        modes = {t("mode_target", lang): "target", t("mode_change", lang): "change"}
        if not self._has_targets:
            modes.pop(t("mode_target", lang))
            st.mode = "change"  # a link may still ask for targets
        self._mode.options = modes
        self._mode.value = st.mode
        months = (1, 2, 3) if st.mode == "target" else (2, 3)
        self._month.options = {t(f"month_{m}", lang): m for m in months}
        self._month.label = t("snapshot_month", lang)
        self._month.value = max(st.month, months[0])
        note = "" if self._has_targets else f" {t('no_targets', lang)}"
        if self._method != "model":
            note += " " + t("method_note", lang, method=t(f"method_{self._method}", lang))
        self._help.object = t(f"mode_help_{st.mode}", lang) + note

    def _name(self, level: str, key: int) -> str:
        names = fc.names(self.engine, self.scope, level, [key])
        if key not in names.index:
            return str(key)
        return names.loc[key, f"name_{self.state.lang}"]

    def _render_crumbs(self) -> None:
        lang, st = self.state.lang, self.state
        crumbs = [pn.widgets.Button(label=t("all_regions", lang), color="light", margin=(0, 2))]
        crumbs[0].on_click(lambda _e: self.state.up_to(None))
        for level in ("region", "team", "rep"):
            key = getattr(st, level)
            if key is None:
                break
            button = pn.widgets.Button(label=f"› {self._name(level, key)}", color="light", margin=(0, 2))
            button.on_click(lambda _e, lv=level: self.state.up_to(lv))
            crumbs.append(button)
        if st.deal is not None:
            crumbs.append(
                pn.widgets.Button(
                    label=f"› {t('deal', lang)} #{st.deal}", color="light", disabled=True, margin=(0, 2)
                )
            )
        self._crumbs.objects = crumbs

    def _render_heatmap(self) -> None:
        st, lang = self.state, self.state.lang
        rows = _ROWS_OF[st.level]
        frame = fc.deviation_by_cell(
            self.engine,
            self.scope,
            rows,
            region_id=st.region,
            team_id=st.team,
            month=st.month,
            mode=st.mode,
            method=self._method,
        )
        self._rows = frame
        plot_frame = frame.assign(label=frame[f"name_{lang}"])[
            ["label", "quarter", "deviation", "forecast", "reference"]
        ]
        element = deviation_heatmap(
            plot_frame, lang=lang, row_title=t(f"level_{rows}", lang), unit=self._unit
        )
        tap = hv.streams.Tap(source=element)
        tap.param.watch(self._on_heatmap_tap, ["x", "y"])
        self._taps = [tap]
        self._heatmap.object = element
        self._hint.object = t("click_hint", lang) if not frame.empty else t("no_data", lang)

    def _selected_row(self) -> pd.Series | None:
        """The selected cell by the model's forecast: the drivers explain the model."""
        st = self.state
        if st.selected is None or st.quarter is None:
            return None
        level, key = st.selected
        parent = fc.hierarchy_of(self.engine, self.scope, level, key)
        frame = fc.deviation_by_cell(
            self.engine,
            self.scope,
            level,
            region_id=parent.get("region_id") if level != "region" else None,
            team_id=parent.get("team_id") if level == "rep" else None,
            month=st.month,
            mode=st.mode,
        )
        hit = frame[(frame.key == key) & (frame.quarter == st.quarter)]
        return None if hit.empty else hit.iloc[0]

    def _render_drivers(self) -> None:
        st, lang = self.state, self.state.lang
        row = self._selected_row()
        if row is None:
            self._summary.object = t("select_cell", lang)
            self._drivers_help.object = ""
            self._drivers_box.visible = False  # no empty chart frame before a cell is chosen
            self._drivers_text.object = ""
            return
        level, key = st.selected
        month = 2 if st.mode == "change" and st.month == 1 else st.month
        cell = fc.Cell(level, key, st.quarter, month)
        sums = fc.driver_sums(self.engine, self.scope, cell)
        if st.mode == "change":
            previous = fc.snapshot_for(self.engine, st.quarter, month - 1)
            reference = fc.driver_sums(self.engine, self.scope, cell, snapshot=previous)
            drivers = cell_drivers(sums, reference, lang=lang, scale_to_cell=False, top=10_000)
            rest_key, ref_name = "pipeline_change", t("previous_forecast", lang)
        else:
            drivers = cell_drivers(
                sums, fc.typical_driver_sums(self.engine, self.scope, cell), lang=lang, top=10_000
            )
            rest_key, ref_name = "pipeline_volume", t("the_target", lang)
        gap = float(row.forecast - row.reference)
        rest = gap - float(drivers.contribution.sum())
        shown = pd.concat(
            [
                drivers.head(TOP_DRIVERS)[["label", "contribution"]],
                pd.DataFrame({"label": [t(rest_key, lang)], "contribution": [rest]}),
            ],
            ignore_index=True,
        )
        self._summary.object = "### " + t(
            "cell_summary",
            lang,
            name=row[f"name_{lang}"],
            quarter=st.quarter,
            forecast=fmt_money(row.forecast, lang, self._unit),
            reference_name=ref_name,
            reference=fmt_money(row.reference, lang, self._unit),
            deviation=f"{row.deviation:+.1%}",
        )
        self._drivers_help.object = f"**{t('drivers_title', lang)}** — " + t(
            "drivers_help" if st.mode == "target" else "drivers_help_change",
            lang,
            unit=unit_name(self._unit, lang),
        )
        self._drivers_chart.object = driver_bars(shown, lang=lang, unit=self._unit)
        self._drivers_box.visible = True
        self._drivers_text.object = "\n".join(
            f"{i}. {r.label}: {fmt_money(r.contribution, lang, self._unit)}"
            # The same order as the bars: largest first (the "won so far, pipeline…" remainder included).
            for i, r in enumerate(shown.iloc[shown.contribution.abs().argsort()[::-1]].itertuples(), start=1)
        )

    def _render_changes(self) -> None:
        """The "what changed" waterfall of the selected cell between two snapshots of its quarter."""
        st, lang = self.state, self.state.lang
        row = self._selected_row() if st.selected is not None else None
        months = [m for m in (1, 2, 3) if row is not None and fc.snapshot_for(self.engine, st.quarter, m)]
        shown = len(months) >= 2
        for widget in (self._from, self._to, self._changes):
            widget.visible = shown
        if not shown:
            self._changes_title.object = ""
            self._bucket_deals.object = ""
            return
        level, key = st.selected
        names = {t(f"month_{m}", lang): m for m in months}
        self._updating = True
        try:
            self._from.name, self._to.name = t("changes_from", lang), t("changes_to", lang)
            self._from.options, self._to.options = names, names
            # A new cell or snapshot starts from the quarter's first snapshot to the chosen one; the
            # user's own From/To stay while only the language changes.
            view = (st.selected, st.quarter, st.month)
            if view != self._changes_view or self._from.value not in months or self._to.value not in months:
                self._changes_view = view
                self._from.value = months[0]
                self._to.value = st.month if st.month in months[1:] else months[-1]
        finally:
            self._updating = False
        self._changes_title.object = (
            "### "
            + t("changes_title", lang, name=row[f"name_{lang}"], quarter=st.quarter)
            + "\n"
            + t("changes_help", lang)
        )
        start_m, end_m = self._from.value, self._to.value
        if start_m >= end_m:  # the buckets run forward in time
            self._changes.visible = False
            self._bucket_deals.object = t("changes_order", lang)
            return
        start = fc.snapshot_for(self.engine, st.quarter, start_m)
        end = fc.snapshot_for(self.engine, st.quarter, end_m)
        deals = fc.deal_changes(self.engine, self.scope, fc.Cell(level, key, st.quarter, end_m), start, end)
        ids = deals.deal_id.tolist()
        shap_a = fc.deal_shap(self.engine, self.scope, ids, start)
        shap_b = fc.deal_shap(self.engine, self.scope, ids, end)
        total_a, buckets, total_b, parts = what_changed(deals, shap_a, shap_b, lang=lang)
        self._change_deals, self._parts, self._buckets = deals, parts, buckets
        labels = [
            t(f"bucket_{b.bucket}", lang) + f" ({b.deals})" + (f" — {b.driver}" if b.driver else "")
            for b in buckets.itertuples()
        ]
        element = change_waterfall(
            pd.DataFrame({"label": labels, "change": buckets.change}),
            total_a,
            total_b,
            t("forecast_at", lang, when=t(f"month_{start_m}", lang)),
            t("forecast_at", lang, when=t(f"month_{end_m}", lang)),
            lang=lang,
            unit=self._unit,
        )
        tap = hv.streams.Tap(source=element)
        tap.param.watch(self._on_bucket_tap, ["y"])
        self._taps.append(tap)
        self._changes_plot.object = element
        self._changes.visible = True
        self._bucket_deals.object = ""

    def _whatif_target(self) -> tuple[str, pd.DataFrame] | None:
        """(name, open deals with features) the what-if acts on: the selected deal, else the cell."""
        st = self.state
        if st.selected is None or st.quarter is None:
            return None
        snapshot = fc.snapshot_for(self.engine, st.quarter, st.month)
        if snapshot is None:
            return None
        if st.deal is not None:
            rows = fc.deal_features(self.engine, self.scope, snapshot, deal_id=st.deal)
            return f"{t('deal', st.lang)} #{st.deal}", rows
        level, key = st.selected
        rows = fc.deal_features(
            self.engine, self.scope, snapshot, cell=fc.Cell(level, key, st.quarter, st.month)
        )
        return self._name(level, key), rows

    def _render_whatif(self) -> None:
        st, lang = self.state, self.state.lang
        shown = st.selected is not None and st.quarter is not None and bool(self._available_levers)
        for name, widget in self._wi_levers.items():
            widget.visible = shown and name in self._available_levers
        self._wi_run.visible = shown
        self._wi_result.object = ""
        if not shown:
            self._wi_title.object = ""
            return
        level, key = st.selected
        name = f"{t('deal', lang)} #{st.deal}" if st.deal is not None else self._name(level, key)
        self._wi_title.object = (
            "### " + t("whatif_title", lang, name=name, quarter=st.quarter) + "\n" + t("whatif_help", lang)
        )
        self._wi_discount.name = t("lever_discount_pct", lang)
        self._wi_discount.placeholder = t("unchanged", lang)
        self._wi_earlier.name = t("lever_decision_earlier_days", lang)
        choices = {t("unchanged", lang): "", t("yes_all", lang): "1", t("no_all", lang): "0"}
        for widget, key_ in ((self._wi_exec, "lever_exec_sponsor_met"), (self._wi_demo, "lever_demo_done")):
            value = widget.value
            widget.name, widget.options = t(key_, lang), choices
            widget.value = value if value in choices.values() else ""
        self._wi_run.name = t("run_whatif", lang)

    def _run_whatif(self) -> None:
        lang = self.state.lang
        levers = {
            "discount_pct": self._wi_discount.value,
            "decision_earlier_days": float(self._wi_earlier.value) or None,
            "exec_sponsor_met": self._wi_exec.value or None,
            "demo_done": self._wi_demo.value or None,
        }
        changes = {k: float(v) for k, v in levers.items() if v is not None and k in self._available_levers}
        target = self._whatif_target()
        try:
            if target is None:
                raise WhatIfError(t("select_cell", lang))
            result = what_if(load_model(self.engine), target[1], changes)
        except WhatIfError as exc:
            self._wi_result.object = t("whatif_error", lang, message=str(exc))
            return
        deals = result.deals
        total = deals.amount.sum()
        moved = result.moved_features(target[1])
        lines = [
            f"- {cell_label(feature, delta, lang)}: {'+' if value > 0 else ''}{fmt_money(value, lang, self._unit)}"
            for feature, (delta, value) in moved.items()
        ]
        rest = float(result.shap_change.drop(list(moved)).sum())
        if abs(rest) >= 0.5:
            lines.append(
                f"- {t('whatif_interplay', lang)}: {'+' if rest > 0 else ''}{fmt_money(rest, lang, self._unit)}"
            )
        shap_lines = "\n".join(lines)
        self._wi_result.object = (
            t(
                "whatif_result",
                lang,
                before=result.expected_before / total,
                after=result.expected_after / total,
                change=result.change_pp,
                deals=len(deals),
                exp_before=fmt_money(result.expected_before, lang, self._unit),
                exp_after=fmt_money(result.expected_after, lang, self._unit),
            )
            + f"\n\n**{t('whatif_shap', lang)}**\n\n"
            + shap_lines
        )

    def _show_bucket(self, bucket: str) -> None:
        lang = self.state.lang
        mine = self._parts[self._parts.bucket == bucket]
        deals = self._change_deals.set_index("deal_id").loc[mine.deal_id.unique()]
        deals = deals.assign(change=mine.groupby("deal_id").change.sum())
        top = deals.reindex(deals.change.abs().sort_values(ascending=False).index).head(TOP_DEALS)
        head = "".join(f"<th>{h}</th>" for h in (t("deal", lang), t("account", lang), t("change", lang)))
        body = "".join(
            f"<tr><td>#{i}</td><td>{html.escape(str(r[f'account_{lang}'] or ''))}</td>"
            f"<td style='text-align:right'>{'+' if r.change > 0 else ''}{fmt_money(r.change, lang, self._unit)}</td></tr>"
            for i, r in top.iterrows()
        )
        title = t(
            "bucket_deals",
            lang,
            bucket=t(f"bucket_{bucket}", lang),
            count=len(deals),
            change=fmt_money(float(mine.change.sum()), lang, self._unit),
        )
        if len(deals) > len(top):
            title += t("bucket_deals_top", lang, shown=len(top))
        self._bucket_deals.object = f"<b>{html.escape(title)}</b><table>{head}{body}</table>"

    def _on_bucket_tap(self, event) -> None:
        y = event.obj.y
        if y is None or self._buckets.empty:
            return
        index = len(self._buckets) + 1 - int(round(y)) - 1  # bar 0 (top) is the start bar
        if 0 <= index < len(self._buckets):
            bucket = str(self._buckets.bucket.iloc[index])
            _after_this_event(lambda: self._show_bucket(bucket))

    def _render_deals(self) -> None:
        st, lang = self.state, self.state.lang
        at_deals = st.rep is not None and st.quarter is not None
        self._deal_column.visible = at_deals
        snapshot = fc.snapshot_for(self.engine, st.quarter, st.month) if at_deals else None
        if not at_deals or snapshot is None:
            self._deals_title.object = ""
            self._deal_summary.object = ""
            self._waterfall.visible = False
            return
        deals = fc.open_deals(self.engine, self.scope, st.rep, snapshot)
        deals["label"] = [
            f"#{d} {a}" for d, a in zip(deals.deal_id, deals[f"account_{lang}"].fillna(""), strict=True)
        ]
        self._deals = deals
        self._deals_title.object = "### " + t(
            "deals_title", lang, rep=self._name("rep", st.rep), quarter=st.quarter
        )
        element = deal_bars(
            deals[["label", "expected_amount", "win_probability"]].head(TOP_DEALS), lang=lang, unit=self._unit
        )
        tap = hv.streams.Tap(source=element)
        tap.param.watch(self._on_deal_tap, ["y"])
        self._taps.append(tap)
        self._deals_chart.object = element
        chosen = deals[deals.deal_id == st.deal] if st.deal is not None else deals.iloc[0:0]
        self._waterfall.visible = not chosen.empty
        if chosen.empty:
            self._deal_summary.object = ""
            return
        d = chosen.iloc[0]
        contributions = fc.deal_contributions(self.engine, self.scope, int(d.deal_id), snapshot)
        steps, base, final = deal_waterfall(
            contributions, lang=lang, money=lambda v: fmt_money(v, lang, self._unit)
        )
        self._deal_summary.object = (
            "### "
            + t("deal_waterfall_title", lang)
            + "\n"
            + t(
                "deal_summary",
                lang,
                account=d[f"account_{lang}"],
                product=d[f"product_{lang}"],
                amount=fmt_money(d.amount, lang, self._unit),
                win=d.win_probability,
                quarter_p=d.close_in_quarter_probability,
            )
            + "\n\n"
            + "\n".join(
                f"- {s.label}: {s.contribution * 100:+.1f} {t('points', lang)}" for s in steps.itertuples()
            )
        )
        self._waterfall_plot.object = shap_waterfall(steps[["label", "contribution"]], base, final, lang=lang)

    # -- clicks -> state --------------------------------------------------------------------------
    def _on_heatmap_tap(self, *events) -> None:
        stream = events[0].obj
        if stream.x is None or stream.y is None or self._rows.empty:
            return
        level = _ROWS_OF[self.state.level]
        hit = self._rows[
            (self._rows[f"name_{self.state.lang}"] == stream.y) & (self._rows.quarter == stream.x)
        ]
        if not hit.empty:
            key, quarter = int(hit.key.iloc[0]), str(stream.x)
            _after_this_event(lambda: self.state.drill(level, key, quarter))

    def _on_deal_tap(self, event) -> None:
        label = event.obj.y
        hit = self._deals[self._deals.label == label] if not self._deals.empty else self._deals
        if label is not None and not hit.empty:
            deal = int(hit.deal_id.iloc[0])
            _after_this_event(lambda: setattr(self.state, "deal", deal))

    # -- URL --------------------------------------------------------------------------------------
    def validate_path(self, values: dict, problems: list[str]) -> None:
        """The drill path must exist and be consistent: parents are derived from the deepest id given."""
        lang = values.get("lang", self.state.lang)
        for level in ("rep", "team", "region"):
            if level in values:
                parents = fc.hierarchy_of(self.engine, self.scope, level, values[level])
                if not parents:
                    problems.append(t("error_not_found", lang, name=level, value=values[level]))
                    for below in ("region", "team", "rep", "deal")[("region", "team", "rep").index(level) :]:
                        values.pop(below, None)
                    continue
                values.update({k.removesuffix("_id"): v for k, v in parents.items()})
                break
        if "deal" in values and "rep" not in values:
            values.pop("deal")
        if "quarter" in values and values["quarter"] not in fc.quarters(self.engine):
            problems.append(t("error_not_found", lang, name="quarter", value=values["quarter"]))
            values.pop("quarter")
        if "quarter" not in values:
            for level in ("region", "team", "rep", "deal"):
                values.pop(level, None)


def _box(*objects) -> pn.Column:
    """A box to show and hide drawn plots by: setting a drawn HoloViews pane's own `visible` makes
    Panel 1.9.4 push its `design` onto the Bokeh figure, which raises on the server."""
    return pn.Column(*objects, sizing_mode="stretch_width", visible=False)


def _after_this_event(action) -> None:
    """Run ``action`` once the current plot event is handled: it replaces the plot that sent the event."""
    doc = pn.state.curdoc
    if doc is not None and doc.session_context is not None:
        doc.add_next_tick_callback(action)
    else:
        action()


if pn.state.served:
    ForecastPage.create_app().servable()
