"""Chart builders: the data they carry and that Bokeh can render them."""

from __future__ import annotations

import holoviews as hv
import numpy as np
import pandas as pd
import pytest
from bokeh.models import Plot

from layouts.charts import GREEN, RED, deal_bars, deviation_heatmap, driver_bars, money_ticks, shap_waterfall
from layouts.strings import fmt_money
from layouts.template import app_template, notification_error


def _render(element: hv.core.Dimensioned) -> Plot:
    model = hv.render(element, backend="bokeh")
    assert isinstance(model, Plot)
    return model


@pytest.fixture
def heatmap_frame() -> pd.DataFrame:
    rows = ["North", "South", "East"]
    quarters = ["2026Q2", "2025Q4", "2026Q1"]
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        [
            {"label": r, "quarter": q, "deviation": rng.normal(0, 0.3), "forecast": 1.2e7, "reference": 1e7}
            for r in rows
            for q in quarters
        ]
    )


def test_deviation_heatmap_has_all_rows_and_quarters(heatmap_frame: pd.DataFrame) -> None:
    overlay = deviation_heatmap(heatmap_frame, title="Regions")
    assert isinstance(overlay, hv.Overlay)
    heatmap, labels = overlay.get(0), overlay.get(1)
    assert isinstance(heatmap, hv.HeatMap) and isinstance(labels, hv.Labels)
    assert set(heatmap.dimension_values("label")) == {"North", "South", "East"}
    assert set(heatmap.dimension_values("quarter")) == {"2025Q4", "2026Q1", "2026Q2"}
    assert len(labels) == len(heatmap_frame)


def test_deviation_heatmap_axis_order_and_centred_colours(heatmap_frame: pd.DataFrame) -> None:
    overlay = deviation_heatmap(heatmap_frame)
    model = _render(overlay)
    assert list(model.x_range.factors) == ["2025Q4", "2026Q1", "2026Q2"]
    # Bokeh draws the first factor at the bottom: the first row must be last to sit on top.
    assert list(model.y_range.factors) == ["East", "South", "North"]
    mapper = model.renderers[0].glyph.fill_color.transform
    limit = heatmap_frame["deviation"].abs().max()
    assert mapper.low == pytest.approx(-limit) and mapper.high == pytest.approx(limit)


def test_deviation_heatmap_small_deviations_use_at_least_ten_percent(heatmap_frame: pd.DataFrame) -> None:
    frame = heatmap_frame.assign(deviation=0.01)
    mapper = _render(deviation_heatmap(frame)).renderers[0].glyph.fill_color.transform
    assert (mapper.low, mapper.high) == (-0.1, 0.1)


def test_deviation_heatmap_labels_show_percent(heatmap_frame: pd.DataFrame) -> None:
    frame = heatmap_frame.assign(deviation=-0.123)
    frame.loc[0, "deviation"] = np.nan
    texts = set(deviation_heatmap(frame).get(1).dimension_values("deviation_text"))
    assert texts == {"-12.3%", "–"}


def test_deviation_heatmap_height_grows_with_rows() -> None:
    rows = [f"Rep {i}" for i in range(30)]
    frame = pd.DataFrame(
        [{"label": r, "quarter": "2026Q1", "deviation": 0.1, "forecast": 1, "reference": 1} for r in rows]
    )
    assert _render(deviation_heatmap(frame)).height > _render(deviation_heatmap(frame.head(3))).height >= 250


def test_driver_bars_sorted_by_absolute_contribution_largest_on_top() -> None:
    frame = pd.DataFrame({"label": ["small", "big negative", "medium"], "contribution": [1e5, -3e6, 2e6]})
    bars = driver_bars(frame)
    assert list(bars.dimension_values("label")) == ["small", "medium", "big negative"]
    assert list(bars.dimension_values("color")) == [GREEN, GREEN, RED]
    assert list(bars.dimension_values("contribution_text")) == ["+¥100K", "+¥2M", "-¥3M"]
    model = _render(bars)
    # Inverted axes: the last factor is the top bar.
    assert model.y_range.factors[-1] == "big negative"


def test_shap_waterfall_runs_from_base_to_final() -> None:
    frame = pd.DataFrame({"label": ["meetings", "discount"], "contribution": [-0.08, 0.13]})
    overlay = shap_waterfall(frame, base=0.30, final=0.35)
    bars = overlay.get(0).data
    assert list(bars["label"]) == ["Average deal", "meetings", "discount", "This deal"]
    assert (bars["x0"].iloc[0], bars["x1"].iloc[0]) == (0.0, 0.30)
    assert bars["x1"].iloc[-2] == pytest.approx(0.35)
    assert bars["x1"].iloc[-1] == pytest.approx(0.35)
    assert list(bars["color"].iloc[1:3]) == [RED, GREEN]
    _render(overlay)


def test_shap_waterfall_adds_other_factors_when_contributions_do_not_add_up() -> None:
    frame = pd.DataFrame({"label": ["meetings"], "contribution": [-0.08]})
    bars = shap_waterfall(frame, base=0.30, final=0.25, lang="zh").get(0).data
    assert list(bars["label"]) == ["平均商机", "meetings", "其他因素", "本商机"]
    assert bars["x1"].iloc[-2] == pytest.approx(0.25)


def test_deal_bars_carry_amount_and_probability() -> None:
    frame = pd.DataFrame(
        {"label": ["Deal A", "Deal B"], "expected_amount": [1e6, 3e6], "win_probability": [0.2, 0.9]}
    )
    bars = deal_bars(frame)
    assert list(bars.dimension_values("label")) == ["Deal A", "Deal B"]
    assert list(bars.dimension_values("win_probability")) == [0.2, 0.9]
    model = _render(bars)
    assert {type(tool).__name__ for tool in model.tools} >= {"TapTool", "HoverTool"}


@pytest.mark.parametrize(
    ("build", "columns"),
    [
        (deviation_heatmap, ["label", "quarter", "deviation", "forecast", "reference"]),
        (driver_bars, ["label", "contribution"]),
        (deal_bars, ["label", "expected_amount", "win_probability"]),
        (lambda frame: shap_waterfall(frame, 0.3, 0.3), ["label", "contribution"]),
    ],
)
def test_builders_accept_empty_frames(build, columns: list[str]) -> None:
    _render(build(pd.DataFrame(columns=columns)))


def test_app_template_puts_nav_links_in_sidebar() -> None:
    import panel as pn

    template = app_template(
        "Cockpit", [("Forecast <deviation>", "/forecast?lang=zh&x=1")], pn.pane.Markdown("hi")
    )
    html = template.sidebar[0].object
    assert 'href="/forecast?lang=zh&amp;x=1"' in html and "Forecast &lt;deviation&gt;" in html


def test_notification_error_without_a_server_does_nothing() -> None:
    notification_error("boom")


def test_driver_bars_axis_keeps_few_ticks_so_labels_never_touch() -> None:
    frame = pd.DataFrame({"label": ["a long driver label", "b"], "contribution": [-12e6, 3e6]})
    plot = hv.renderer("bokeh").get_plot(driver_bars(frame)).state
    assert plot.below[0].ticker.desired_num_ticks <= 5


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "unit"), [("en", "CNY"), ("zh", "CNY"), ("en", "USD"), ("zh", "count")])
def test_money_ticks_read_like_the_labels_beside_them(page, lang: str, unit: str) -> None:
    """The axis formatter runs in the browser: its ticks must match fmt_money (¥12.3M, 1230万元)."""
    ticks = [0, 1, 850, -999.4, 9999, 12_345, 150_000, -2_500_000, 12_300_000, 99_996_000, 1.5e8, 2e9]
    formatter = money_ticks(lang, unit)
    shown = page.evaluate(
        "([code, args, ticks]) => ticks.map((tick) => new Function('tick', ...Object.keys(args), code)"
        "(tick, ...Object.values(args)))",
        [formatter.code, formatter.args, ticks],
    )
    assert shown == [fmt_money(v, lang, unit) for v in ticks]


def test_amount_axes_use_the_money_formatter() -> None:
    bars = driver_bars(pd.DataFrame({"label": ["a", "b"], "contribution": [-2e6, 1e6]}), lang="zh")
    formatter = _render(bars).below[0].formatter
    assert formatter.args == {"zh": True, "prefix": "¥", "suffix": "元"}
