"""Pure chart builders: DataFrames in, HoloViews elements (Bokeh backend) out.

No Panel and no data access here: each builder draws exactly the frame it is given, so it can be
tested without a server. Empty frames give an empty but valid element.
"""

from __future__ import annotations

import holoviews as hv
import numpy as np
import pandas as pd
from bokeh.models import CustomJSTickFormatter, NumeralTickFormatter

# Registers the Bokeh backend and its plotting options, without hv.extension's notebook machinery.
import holoviews.plotting.bokeh  # noqa: F401  isort: skip
from layouts.strings import fmt_money, money_affixes, t

RED = "#d7301f"
GREEN = "#1a9850"
NEUTRAL = "#8c8c8c"
# Diverging red -> pale yellow -> green, readable with dark text in the middle.
DIVERGING_CMAP = "RdYlGn"

ROW_PX = 28  # height of one heatmap row / bar; fits an 8-9pt label with air around it
CHROME_PX = 110  # title, x axis and toolbar
MIN_HEIGHT = 250


def _height(rows: int) -> int:
    return max(MIN_HEIGHT, CHROME_PX + ROW_PX * rows)


def _pct(value: float, digits: int = 1) -> str:
    if pd.isna(value):
        return "–"
    text = f"{value * 100:+.{digits}f}%"
    # "-0.0%" reads as a problem; a zero is just zero.
    return "0%" if float(text[:-1]) == 0 else text


# fmt_money in JavaScript: axis ticks read like the labels beside them (¥12.3M, 1230万元), not "12.3m".
MONEY_TICK_JS = """
const size = Math.abs(tick), sign = tick < 0 ? "-" : "";
const short = (v) => { const s = v >= 100 ? v.toFixed(0) : v.toFixed(1); return s.endsWith(".0") ? s.slice(0, -2) : s; };
if (zh) {
  if (size >= 0.99995e8) return sign + short(size / 1e8) + "亿" + suffix;
  if (size >= 9999.5) return sign + short(size / 1e4) + "万" + suffix;
  return sign + size.toFixed(0) + suffix;
}
for (const [letter, scale] of [["B", 1e9], ["M", 1e6], ["K", 1e3]]) {
  if (size >= scale * 0.9995) return sign + prefix + short(size / scale) + letter;
}
return sign + prefix + size.toFixed(0);
"""


def money_ticks(lang: str = "en", unit: str = "CNY") -> CustomJSTickFormatter:
    """An axis formatter that writes amounts as ``fmt_money`` does, in ``lang`` and ``unit``."""
    prefix, suffix = money_affixes(unit)
    return CustomJSTickFormatter(
        args={"zh": lang == "zh", "prefix": prefix, "suffix": suffix}, code=MONEY_TICK_JS
    )


def _points(value: float, lang: str) -> str:
    return f"{value * 100:+.1f} {t('points', lang)}"


def deviation_heatmap(
    frame: pd.DataFrame, lang: str = "en", title: str = "", row_title: str = "", unit: str = "CNY"
) -> hv.Overlay:
    """Deviation per row (``label``) and ``quarter`` as a diverging heatmap with % labels in the cells.

    ``frame`` columns: ``label`` (row name), ``quarter`` (e.g. "2026Q2"), ``deviation`` (fraction),
    ``forecast`` and ``reference`` (amounts in ``unit``, see ``fmt_money``). Rows keep the frame's order, first row on top; quarters are
    sorted left to right. Colours are centred on zero: red below, green above. ``row_title`` (e.g.
    ``t("level_team", lang)``) names the rows in the hover.

    Returns an ``hv.Overlay`` of ``hv.HeatMap * hv.Labels`` (always, also when empty); the HeatMap is
    ``overlay.get(0)``, for streams such as ``hv.streams.Tap(source=...)``.
    """
    frame = frame.loc[:, ["label", "quarter", "deviation", "forecast", "reference"]].copy()
    frame["label"] = frame["label"].astype(str)
    frame["quarter"] = frame["quarter"].astype(str)
    rows = list(dict.fromkeys(frame["label"]))
    quarters = sorted(frame["quarter"].unique())
    deviation = pd.to_numeric(frame["deviation"], errors="coerce").astype(float)
    frame["deviation"] = deviation
    biggest = float(np.nanmax(np.abs(deviation))) if deviation.notna().any() else 0.0
    limit = max(biggest, 0.1)
    # Whole percents once cells get narrow, so neighbouring labels never touch.
    digits = 1 if len(quarters) <= 6 else 0
    frame["deviation_text"] = deviation.map(lambda v: _pct(v, digits))
    frame["forecast_text"] = frame["forecast"].map(lambda v: fmt_money(v, lang, unit))
    frame["reference_text"] = frame["reference"].map(lambda v: fmt_money(v, lang, unit))
    # Dark cells (far from zero) get white text.
    frame["text_color"] = np.where(np.abs(deviation.fillna(0)) > 0.6 * limit, "white", "black")

    # Bokeh puts the first categorical factor at the bottom: list rows bottom-up so row 1 is on top.
    x = hv.Dimension("quarter", label=t("quarter", lang), values=quarters)
    y = hv.Dimension("label", label=" ", values=rows[::-1])
    vdims = [
        hv.Dimension("deviation", label=t("deviation", lang)),
        "deviation_text",
        "forecast_text",
        "reference_text",
    ]
    heatmap = hv.HeatMap(frame, kdims=[x, y], vdims=vdims).opts(
        cmap=DIVERGING_CMAP,
        clim=(-limit, limit),
        clipping_colors={"NaN": "#eeeeee"},
        colorbar=True,
        colorbar_opts={"formatter": NumeralTickFormatter(format="+0%")},
        tools=["tap", "hover"],
        hover_tooltips=[
            (row_title or " ", "@label"),
            (t("quarter", lang), "@quarter"),
            (t("deviation", lang), "@deviation_text"),
            (t("forecast", lang), "@forecast_text"),
            (t("reference", lang), "@reference_text"),
        ],
        responsive=True,
        # Row names plus ~60 px per quarter keep the cell labels apart.
        min_width=max(400, 300 + 60 * len(quarters)),
        shared_axes=False,
        height=_height(len(rows)),
        xaxis="top",
        title=title,
        toolbar="above",
        line_color="white",
        line_width=1,
    )
    labels = hv.Labels(frame, kdims=[x, y], vdims=["deviation_text", "text_color"]).opts(
        text_font_size="8pt",
        text_color="text_color",
    )
    return (heatmap * labels).opts(responsive=True, height=_height(len(rows)), shared_axes=False)


def _signed_colors(values: pd.Series) -> np.ndarray:
    return np.where(values < 0, RED, GREEN)


def driver_bars(frame: pd.DataFrame, lang: str = "en", unit: str = "CNY") -> hv.Bars:
    """Horizontal bars of each driver's signed ``contribution`` (in ``unit``), largest |contribution| on top.

    ``frame`` columns: ``label`` (driver in plain words), ``contribution`` (signed amount).
    Red for negative, green for positive; the hover shows the amount formatted with ``fmt_money``.
    """
    frame = frame.loc[:, ["label", "contribution"]].copy()
    frame["label"] = frame["label"].astype(str)
    frame["contribution"] = pd.to_numeric(frame["contribution"], errors="coerce").fillna(0.0).astype(float)
    # With inverted axes Bokeh draws the first factor at the bottom: smallest first puts the largest on top.
    frame = frame.iloc[np.argsort(frame["contribution"].abs().to_numpy(), kind="stable")]
    frame["color"] = _signed_colors(frame["contribution"])
    frame["contribution_text"] = frame["contribution"].map(
        lambda v: ("+" if v > 0 else "") + fmt_money(v, lang, unit)
    )
    value = hv.Dimension("contribution", label=t("contribution", lang))
    return hv.Bars(
        frame, kdims=[hv.Dimension("label", label=" ")], vdims=[value, "color", "contribution_text"]
    ).opts(
        invert_axes=True,
        color="color",
        line_color=None,
        tools=["hover"],
        hover_tooltips=[(" ", "@label"), (t("contribution", lang), "@contribution_text")],
        xformatter=money_ticks(lang, unit),
        xticks=4,  # the labels leave the axis narrow: few ticks, so their labels never touch
        responsive=True,
        min_width=400,
        shared_axes=False,
        height=_height(len(frame)),
        show_grid=True,
        toolbar="above",
        default_tools=[],
    )


def shap_waterfall(frame: pd.DataFrame, base: float, final: float, lang: str = "en") -> hv.Overlay:
    """A horizontal waterfall from the average deal's probability (``base``) to this deal's (``final``).

    ``frame`` columns: ``label`` (driver in plain words), ``contribution`` (probability points, e.g.
    -0.08), drawn in the given order from top to bottom. The top bar "Average deal" spans 0..``base``,
    each driver floats from the running total, the bottom bar "This deal" spans 0..``final``. When the
    contributions do not add up to ``final - base`` (rounding, omitted small drivers), an "Other
    factors" bar carries the rest, so the chain always ends at ``final``.

    Returns ``hv.Rectangles * hv.Labels``; ``rectangles.data`` has ``x0``/``x1`` per bar.
    """
    frame = frame.loc[:, ["label", "contribution"]].copy()
    frame["contribution"] = pd.to_numeric(frame["contribution"], errors="coerce").fillna(0.0).astype(float)
    steps = list(zip(frame["label"].astype(str), frame["contribution"]))
    rest = float(final) - float(base) - float(frame["contribution"].sum())
    if abs(rest) > 1e-6:
        steps.append((t("other_factors", lang), rest))

    bars = [(t("base_rate", lang), 0.0, float(base), NEUTRAL, f"{base:.0%}")]
    running = float(base)
    for label, value in steps:
        color = RED if value < 0 else GREEN
        bars.append((label, running, running + value, color, _points(value, lang)))
        running += value
    bars.append((t("this_deal", lang), 0.0, float(final), NEUTRAL, f"{final:.0%}"))

    count = len(bars)
    table = pd.DataFrame(bars, columns=["label", "x0", "x1", "color", "text"])
    # Numeric y positions (first bar on top) with the labels as ticks: Rectangles need numbers.
    table["y0"] = [count - 1 - i - 0.4 for i in range(count)]
    table["y1"] = table["y0"] + 0.8
    table["y"] = table["y0"] + 0.4
    table["x_text"] = table[["x0", "x1"]].max(axis=1) + 0.01
    yticks = list(zip(table["y"], table["label"]))
    rectangles = hv.Rectangles(table, kdims=["x0", "y0", "x1", "y1"], vdims=["color", "label", "text"]).opts(
        color="color",
        line_color=None,
        tools=["hover"],
        hover_tooltips=[(" ", "@label"), (t("close_in_quarter", lang), "@text")],
    )
    labels = hv.Labels(table, kdims=["x_text", "y"], vdims=["text"]).opts(
        text_align="left", text_font_size="8pt", text_color="#333333"
    )
    right = max(1.0, float(table[["x0", "x1"]].max().max()) + 0.25)  # room for "+77.5 个百分点"
    return (rectangles * labels).opts(
        xlim=(0, right),
        ylim=(-0.6, count - 0.4),
        yticks=yticks,
        xformatter=NumeralTickFormatter(format="0%"),
        xticks=5,
        xlabel=t("close_in_quarter", lang),
        ylabel="",
        responsive=True,
        min_width=400,
        shared_axes=False,
        height=_height(count),
        show_grid=True,
        toolbar="above",
    )


def deal_bars(frame: pd.DataFrame, lang: str = "en", unit: str = "CNY") -> hv.Bars:
    """Horizontal bars of each deal's ``expected_amount``, coloured by ``win_probability`` (red..green).

    ``frame`` columns: ``label`` (deal name), ``expected_amount`` (in ``unit``), ``win_probability`` (0..1).
    The largest expected amount is on top; tap selects a deal (``hv.streams.Selection1D``).
    """
    frame = frame.loc[:, ["label", "expected_amount", "win_probability"]].copy()
    frame["label"] = frame["label"].astype(str)
    frame["expected_amount"] = pd.to_numeric(frame["expected_amount"], errors="coerce").astype(float)
    frame["win_probability"] = pd.to_numeric(frame["win_probability"], errors="coerce").astype(float)
    frame = frame.sort_values("expected_amount", kind="stable", na_position="first")
    frame["amount_text"] = frame["expected_amount"].map(lambda v: fmt_money(v, lang, unit))
    frame["probability_text"] = frame["win_probability"].map(lambda v: "–" if pd.isna(v) else f"{v:.0%}")
    amount = hv.Dimension("expected_amount", label=t("expected_amount", lang))
    probability = hv.Dimension("win_probability", label=t("win_probability", lang), range=(0, 1))
    return hv.Bars(
        frame,
        kdims=[hv.Dimension("label", label=" ")],
        vdims=[amount, probability, "amount_text", "probability_text"],
    ).opts(
        invert_axes=True,
        color="win_probability",
        cmap=DIVERGING_CMAP,
        clim=(0, 1),
        colorbar=True,
        colorbar_opts={"formatter": NumeralTickFormatter(format="0%")},
        line_color=None,
        tools=["tap", "hover"],
        hover_tooltips=[
            (t("deal", lang), "@label"),
            (t("expected_amount", lang), "@amount_text"),
            (t("win_probability", lang), "@probability_text"),
        ],
        xformatter=money_ticks(lang, unit),
        xticks=4,
        responsive=True,
        min_width=400,
        shared_axes=False,
        height=_height(len(frame)),
        show_grid=True,
        toolbar="above",
    )


def metric_lines(frame: pd.DataFrame, metric_label: str) -> hv.Overlay:
    """One line per method of a metric over the backtest's quarters.

    ``frame`` columns: ``quarter`` (str), ``method`` (display name), ``value`` (float; NaN skipped).
    """
    frame = frame.loc[:, ["quarter", "method", "value"]].dropna().copy()
    frame["quarter"] = frame["quarter"].astype(str)
    quarter = hv.Dimension("quarter", label=" ")
    value = hv.Dimension("value", label=metric_label)
    layers = []
    for method, part in frame.groupby("method", sort=False):
        layers.append(hv.Curve(part, quarter, value, label=method).opts(line_width=2, tools=["hover"]))
        layers.append(hv.Scatter(part, quarter, value, label=method).opts(size=7, tools=["hover"]))
    if not layers:
        layers = [hv.Curve([], quarter, value)]
    return hv.Overlay(layers).opts(
        legend_position="right",
        responsive=True,
        min_width=500,
        height=320,
        show_grid=True,
        toolbar="above",
    )


def change_waterfall(
    frame: pd.DataFrame,
    start: float,
    end: float,
    start_label: str,
    end_label: str,
    lang: str = "en",
    unit: str = "CNY",
) -> hv.Overlay:
    """A horizontal waterfall of a forecast from ``start`` to ``end`` through change buckets (in ``unit``).

    ``frame`` columns: ``label`` (bucket in words, with its top driver), ``change`` (amount), in order
    from top to bottom, between a ``start_label`` bar and an ``end_label`` bar. Bar ``i`` from the top
    sits at y = count - 1 - i, which is how a tap finds its bucket.
    """
    frame = frame.loc[:, ["label", "change"]].copy()
    bars = [(start_label, 0.0, float(start), NEUTRAL, fmt_money(start, lang, unit))]
    running = float(start)
    for label, value in zip(frame["label"].astype(str), frame["change"].astype(float)):
        bars.append(
            (
                label,
                running,
                running + value,
                RED if value < 0 else GREEN,
                ("+" if value > 0 else "") + fmt_money(value, lang, unit),
            )
        )
        running += value
    bars.append((end_label, 0.0, float(end), NEUTRAL, fmt_money(end, lang, unit)))
    count = len(bars)
    table = pd.DataFrame(bars, columns=["label", "x0", "x1", "color", "text"])
    table["y0"] = [count - 1 - i - 0.4 for i in range(count)]
    table["y1"] = table["y0"] + 0.8
    table["y"] = table["y0"] + 0.4
    right = float(table[["x0", "x1"]].max().max()) or 1.0
    table["x_text"] = table[["x0", "x1"]].max(axis=1) + 0.01 * right
    rectangles = hv.Rectangles(table, kdims=["x0", "y0", "x1", "y1"], vdims=["color", "label", "text"]).opts(
        color="color",
        line_color=None,
        tools=["hover", "tap"],
        hover_tooltips=[(" ", "@label"), ("", "@text")],
    )
    labels = hv.Labels(table, kdims=["x_text", "y"], vdims=["text"]).opts(
        text_align="left", text_font_size="8pt", text_color="#333333"
    )
    return (rectangles * labels).opts(
        xlim=(0, right * 1.25),
        ylim=(-0.6, count - 0.4),
        yticks=list(zip(table["y"], table["label"])),
        xformatter=money_ticks(lang, unit),
        xlabel=t("forecast", lang),
        ylabel="",
        responsive=True,
        min_width=400,
        shared_axes=False,
        height=_height(count),
        show_grid=True,
        toolbar="above",
    )
