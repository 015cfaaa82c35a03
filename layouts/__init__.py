"""Presentation: chart builders, the app template and the UI string catalogue. Imports nothing of ours."""

from layouts.charts import (
    change_waterfall,
    deal_bars,
    deviation_heatmap,
    driver_bars,
    metric_lines,
    shap_waterfall,
)
from layouts.strings import CATALOGUE, LANGUAGES, fmt_money, t, unit_name
from layouts.template import app_template, nav_links, notification_error

__all__ = [
    "CATALOGUE",
    "LANGUAGES",
    "app_template",
    "change_waterfall",
    "deal_bars",
    "deviation_heatmap",
    "driver_bars",
    "fmt_money",
    "metric_lines",
    "nav_links",
    "notification_error",
    "shap_waterfall",
    "t",
    "unit_name",
]
