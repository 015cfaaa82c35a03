"""The UI string catalogue and CNY formatting."""

from __future__ import annotations

import re

import pytest

from layouts.strings import CATALOGUE, LANGUAGES, fmt_money, t, unit_name

# Keys whose English and Chinese may legitimately be the same text (none today).
SAME_IN_BOTH: set[str] = set()


def test_catalogue_every_key_has_all_languages() -> None:
    for key, entry in CATALOGUE.items():
        assert set(entry) == set(LANGUAGES), key
        assert all(text.strip() for text in entry.values()), key


def test_catalogue_chinese_differs_from_english() -> None:
    for key, entry in CATALOGUE.items():
        if key not in SAME_IN_BOTH:
            assert entry["zh"] != entry["en"], key
            assert re.search(r"[\u4e00-\u9fff]", entry["zh"]), key


def test_catalogue_placeholders_match_between_languages() -> None:
    for key, entry in CATALOGUE.items():
        fields = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in entry.items()}
        assert fields["zh"] == fields["en"], key


@pytest.mark.parametrize(
    "key",
    [
        "app_title", "nav_forecast", "language", "mode", "mode_target", "mode_change",
        "mode_help_target", "mode_help_change", "snapshot_month", "month_1", "month_2", "month_3",
        "level_region", "level_team", "level_rep", "level_deal", "all_regions", "drivers_title",
        "drivers_help", "pipeline_volume", "deal_waterfall_title", "base_rate", "this_deal",
        "deals_title", "win_probability", "close_in_quarter", "expected_amount", "amount",
        "forecast", "target", "deviation", "loading", "no_data", "error_bad_url", "click_hint",
        "back", "deal",
    ],
)  # fmt: skip
def test_catalogue_has_required_key(key: str) -> None:
    assert key in CATALOGUE


def test_t_formats_and_translates() -> None:
    assert t("app_title") == "Sales cockpit"
    assert t("app_title", "zh") == "销售驾驶舱"
    assert t("deals_title", "en", rep="Li Wei", quarter="2026Q2") == "Open deals of Li Wei in 2026Q2"
    assert "Li Wei" in t("deals_title", "zh", rep="Li Wei", quarter="2026Q2")


def test_t_falls_back_to_english_for_unknown_language() -> None:
    assert t("back", "fr") == "Back"


def test_t_unknown_key_raises() -> None:
    with pytest.raises(KeyError):
        t("no_such_key")


@pytest.mark.parametrize(
    ("value", "en", "zh"),
    [
        (12.3e6, "¥12.3M", "1230万元"),
        (850e3, "¥850K", "85万元"),
        (1.5e8, "¥150M", "1.5亿元"),
        (2.5e9, "¥2.5B", "25亿元"),
        (-2e6, "-¥2M", "-200万元"),
        (999, "¥999", "999元"),
        (0, "¥0", "0元"),
        # Rounding never shows "1000K" or "10000万".
        (999.6e3, "¥1M", "100万元"),
        (9999.6e4, "¥100M", "1亿元"),
    ],
)
def test_fmt_money_cny_examples(value: float, en: str, zh: str) -> None:
    assert fmt_money(value, "en") == en
    assert fmt_money(value, "zh") == zh


def test_fmt_money_nan_is_a_dash() -> None:
    assert fmt_money(float("nan"), "en") == "–"


@pytest.mark.parametrize(
    ("unit", "en", "zh", "name_en", "name_zh"),
    [
        ("USD", "$598K", "59.8万美元", "USD", "美元"),
        ("count", "598K", "59.8万", "deals", "笔"),
        ("CHF", "CHF 598K", "59.8万CHF", "CHF", "CHF"),
    ],
)
def test_fmt_money_speaks_the_imported_unit(unit: str, en: str, zh: str, name_en: str, name_zh: str) -> None:
    assert fmt_money(598e3, "en", unit) == en
    assert fmt_money(598e3, "zh", unit) == zh
    assert (unit_name(unit, "en"), unit_name(unit, "zh")) == (name_en, name_zh)
