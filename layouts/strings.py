"""The UI string catalogue (English and Simplified Chinese) and amount formatting.

Every user-visible word goes through :func:`t`, so a missing translation fails loudly in tests
(``KeyError``) instead of showing a raw key to the user.
"""

from __future__ import annotations

import math

LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}

CATALOGUE: dict[str, dict[str, str]] = {
    "app_title": {"en": "Sales cockpit", "zh": "销售驾驶舱"},
    "nav_forecast": {"en": "Forecast deviation", "zh": "预测偏差"},
    "language": {"en": "Language", "zh": "语言"},
    "mode": {"en": "Compare", "zh": "比较方式"},
    "mode_target": {"en": "Forecast vs target", "zh": "预测 vs 目标"},
    "mode_change": {"en": "Change since previous snapshot", "zh": "较上一快照的变化"},
    "mode_help_target": {
        "en": "Deviation = (won so far + expected from open pipeline − target) ÷ target, "
        "as of the chosen snapshot in each quarter.",
        "zh": "偏差 =(已赢单金额 + 在手商机预期金额 − 目标)÷ 目标,以每个季度所选快照时点计算。",
    },
    "mode_help_change": {
        "en": "Deviation = change of the forecast since the previous monthly snapshot "
        "÷ the previous forecast.",
        "zh": "偏差 = 预测较上一月度快照的变化 ÷ 上一快照的预测。",
    },
    "no_targets": {
        "en": "This database records no sales targets, so the forecast is compared with the previous "
        "snapshot.",
        "zh": "该数据库未记录销售目标,因此预测与上一快照比较。",
    },
    "snapshot_month": {"en": "Snapshot in quarter", "zh": "季度内快照时点"},
    "month_1": {"en": "Start of quarter", "zh": "季度初"},
    "month_2": {"en": "Start of month 2", "zh": "第二个月初"},
    "month_3": {"en": "Start of month 3", "zh": "第三个月初"},
    "level_region": {"en": "Region", "zh": "区域"},
    "level_team": {"en": "Team", "zh": "团队"},
    "level_rep": {"en": "Sales rep", "zh": "销售代表"},
    "level_deal": {"en": "Deal", "zh": "商机"},
    "all_regions": {"en": "All regions", "zh": "全部区域"},
    "drivers_title": {"en": "Why this number moved", "zh": "数字变化的原因"},
    "drivers_help": {
        "en": "Contribution of each driver to the forecast, compared with a typical cell "
        "at the same point of the quarter ({unit})",
        "zh": "各驱动因素对预测的贡献,与季度内同一时点的典型单元格相比({unit})",
    },
    "pipeline_volume": {
        "en": "Won so far, pipeline size and stage mix vs target",
        "zh": "已赢单、在手商机规模与阶段结构相对目标",
    },
    "pipeline_change": {"en": "Deals added, closed or resized", "zh": "新增、关闭或金额变化的商机"},
    "drivers_help_change": {
        "en": "Contribution of each driver to the change of the forecast since the previous snapshot ({unit})",
        "zh": "各驱动因素对预测较上一快照变化的贡献({unit})",
    },
    "cell_summary": {
        "en": "{name}, {quarter}: forecast {forecast} vs {reference_name} {reference} ({deviation})",
        "zh": "{name}，{quarter}：预测 {forecast}，{reference_name} {reference}（{deviation}）",
    },
    "previous_forecast": {"en": "previous forecast", "zh": "上次预测"},
    "the_target": {"en": "target", "zh": "目标"},
    "deal_summary": {
        "en": "{account} · {product}: amount {amount}, win probability {win:.0%}, closes won this quarter {quarter_p:.0%}",
        "zh": "{account} · {product}：金额 {amount}，赢单概率 {win:.0%}，本季度成交概率 {quarter_p:.0%}",
    },
    "select_cell": {
        "en": "Select a cell to see why its number moved.",
        "zh": "选择一个单元格，查看数字变化的原因。",
    },
    "error_not_found": {
        "en": "Nothing found for {name}={value}; showing the level above.",
        "zh": "未找到 {name}={value}，已显示上一层。",
    },
    "deal_waterfall_title": {
        "en": "Why this deal is likely (or not) to close won this quarter",
        "zh": "这笔商机本季度赢单概率的构成",
    },
    "base_rate": {"en": "Average deal", "zh": "平均商机"},
    "this_deal": {"en": "This deal", "zh": "本商机"},
    "other_factors": {"en": "Other factors", "zh": "其他因素"},
    "deals_title": {"en": "Open deals of {rep} in {quarter}", "zh": "{rep} 在 {quarter} 的在手商机"},
    "win_probability": {"en": "Win probability", "zh": "赢单概率"},
    "close_in_quarter": {"en": "Probability of closing won this quarter", "zh": "本季度赢单概率"},
    "expected_amount": {"en": "Expected amount", "zh": "预期金额"},
    "amount": {"en": "Amount", "zh": "金额"},
    "contribution": {"en": "Contribution", "zh": "贡献"},
    "forecast": {"en": "Forecast", "zh": "预测"},
    "target": {"en": "Target", "zh": "目标"},
    "reference": {"en": "Reference", "zh": "参照值"},
    "deviation": {"en": "Deviation", "zh": "偏差"},
    "quarter": {"en": "Quarter", "zh": "季度"},
    "points": {"en": "pts", "zh": "个百分点"},
    "loading": {"en": "Loading…", "zh": "加载中…"},
    "no_data": {"en": "No data for this selection", "zh": "当前选择下没有数据"},
    "error_bad_url": {
        "en": "Ignored an invalid link parameter: {name}={value}",
        "zh": "已忽略无效的链接参数:{name}={value}",
    },
    "nav_scorecard": {"en": "Forecast scorecard", "zh": "预测评分卡"},
    "scorecard_intro": {
        "en": "Each method was fitted at the start of each quarter on what was known then and scored on "
        "that quarter's deals (backtest run {run_at}). Lower is better except AUC.",
        "zh": "每种方法在每个季度初仅用当时已知的数据训练,并在该季度的商机上评分(回测时间 {run_at})。"
        "除 AUC 外,数值越低越好。",
    },
    "scorecard_empty": {
        "en": "No backtest yet: run `cockpit backtest` to score the forecast against the baselines "
        "(on the embedded database, stop `cockpit serve` first: the file has one user at a time).",
        "zh": "尚无回测结果:请运行 `cockpit backtest`,将预测与基准方法对比"
        "(使用内置数据库时请先停止 `cockpit serve`:该文件同一时间只能被一个进程使用)。",
    },
    "method_note": {
        "en": "The heatmap uses “{method}”, the forecast picked on the scorecard; the drivers below explain "
        "the Cockpit model's forecast.",
        "zh": "热力图使用评分卡上选定的预测方法“{method}”;下方驱动因素解释的是 Cockpit 模型的预测。",
    },
    "the_forecast": {"en": "The forecast", "zh": "采用的预测方法"},
    "forecast_picked": {
        "en": "Saved: the team's forecast is now “{method}”.",
        "zh": "已保存:团队预测方法为“{method}”。",
    },
    "scorecard_all": {"en": "All quarters tested", "zh": "全部回测季度"},
    "scorecard_over_time": {"en": "By quarter", "zh": "按季度"},
    "scorecard_by_team": {"en": "By team: {metric}", "zh": "按团队:{metric}"},
    "metric": {"en": "Metric", "zh": "指标"},
    "method": {"en": "Method", "zh": "方法"},
    "team": {"en": "Team", "zh": "团队"},
    "method_model": {"en": "Cockpit model (XGBoost)", "zh": "Cockpit 模型(XGBoost)"},
    "method_stage_weighted": {"en": "Stage-weighted (fitted)", "zh": "阶段加权(拟合)"},
    "method_stage_weighted_fixed": {"en": "Stage-weighted (CRM table)", "zh": "阶段加权(CRM 固定表)"},
    "method_naive_bayes": {"en": "Naive Bayes (Odoo-style)", "zh": "朴素贝叶斯(Odoo 式)"},
    "method_stage_week_winrate": {"en": "Stage × week win rate (Gong-style)", "zh": "阶段×周赢率(Gong 式)"},
    "metric_auc": {"en": "AUC", "zh": "AUC(区分度)"},
    "metric_brier": {"en": "Brier score", "zh": "Brier 分数"},
    "metric_ece": {"en": "Calibration error", "zh": "校准误差"},
    "metric_wape": {"en": "Bookings WAPE", "zh": "成交额 WAPE"},
    "metric_conversion_error": {"en": "Stage conversion error", "zh": "阶段转化率误差"},
    "metric_bookings_error": {"en": "Bookings bias", "zh": "成交额偏差"},
    "changes_title": {"en": "What changed: {name}, {quarter}", "zh": "变化分解:{name},{quarter}"},
    "changes_help": {
        "en": "The forecast between two snapshots of the quarter, deal by deal; click a bar to list its deals.",
        "zh": "本季度两个快照之间的预测变化,逐笔商机归类;点击条形查看对应商机。",
    },
    "changes_from": {"en": "From", "zh": "从"},
    "changes_to": {"en": "To", "zh": "到"},
    "changes_order": {
        "en": "Pick a From snapshot earlier than the To snapshot.",
        "zh": "请选择早于“到”的“从”快照。",
    },
    "forecast_at": {"en": "{when}: forecast", "zh": "{when}的预测"},
    "bucket_new": {"en": "New deals", "zh": "新增商机"},
    "bucket_pulled_in": {"en": "Pulled in", "zh": "提前"},
    "bucket_pushed_out": {"en": "Pushed out (slipped)", "zh": "推迟(滑单)"},
    "bucket_amount_up": {"en": "Amount up", "zh": "金额上调"},
    "bucket_amount_down": {"en": "Amount down", "zh": "金额下调"},
    "bucket_won": {"en": "Won", "zh": "赢单"},
    "bucket_lost": {"en": "Lost", "zh": "输单"},
    "bucket_moved": {"en": "Changed owner", "zh": "负责人变更"},
    "bucket_deals": {"en": "{bucket}: {count} deals, {change}", "zh": "{bucket}:{count} 笔商机,{change}"},
    "bucket_deals_top": {
        "en": " (the {shown} that moved most are listed)",
        "zh": "(列出变化最大的 {shown} 笔)",
    },
    "account": {"en": "Account", "zh": "客户"},
    "change": {"en": "Change", "zh": "变化"},
    "whatif_title": {"en": "What if: {name}, {quarter}", "zh": "假设分析:{name},{quarter}"},
    "whatif_help": {
        "en": "Move several levers at once for this cell's open deals; nothing is saved. The answer is the "
        "model's: what happened to deals like these in the past.",
        "zh": "可同时调整多个杠杆,作用于该单元格的在手商机;不会保存任何修改。结果来自模型:历史上类似商机的表现。",
    },
    "lever_discount_pct": {"en": "Discount quoted (%)", "zh": "报价折扣(%)"},
    "lever_decision_earlier_days": {
        "en": "Budget approval starts earlier (days)",
        "zh": "预算审批提前启动(天)",
    },
    "lever_exec_sponsor_met": {"en": "Executive sponsor met", "zh": "已见高层决策人"},
    "lever_demo_done": {"en": "Demo done", "zh": "已完成演示"},
    "unchanged": {"en": "unchanged", "zh": "不变"},
    "yes_all": {"en": "yes, on every deal", "zh": "是,所有商机"},
    "no_all": {"en": "no, on every deal", "zh": "否,所有商机"},
    "run_whatif": {"en": "Run what-if", "zh": "运行假设分析"},
    "whatif_result": {
        "en": "Chance to close won this quarter: **{before:.1%} → {after:.1%}** ({change:+.1f} pp, amount-weighted) "
        "on {deals} open deals; expected bookings from them **{exp_before} → {exp_after}**.",
        "zh": "本季度赢单概率:**{before:.1%} → {after:.1%}**(按金额加权 {change:+.1f} 个百分点),"
        "共 {deals} 笔在手商机;其预期成交额 **{exp_before} → {exp_after}**。",
    },
    "whatif_shap": {"en": "Where the change comes from (SHAP)", "zh": "变化来源(SHAP)"},
    "whatif_interplay": {"en": "through other features (interactions)", "zh": "经由其他因素(交互作用)"},
    "whatif_error": {"en": "Cannot run this what-if: {message}", "zh": "无法运行该假设分析:{message}"},
    "click_hint": {"en": "Click a cell to drill down", "zh": "点击单元格查看下一层明细"},
    "back": {"en": "Back", "zh": "返回"},
    "deal": {"en": "Deal", "zh": "商机"},
    "unit_count": {"en": "deals", "zh": "笔"},
}


def t(key: str, lang: str = "en", **fmt: object) -> str:
    """The UI string ``key`` in ``lang`` (English when that language lacks it), formatted with ``fmt``.

    Raises ``KeyError`` for an unknown key, so a missing string is caught by tests.
    """
    entry = CATALOGUE[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**fmt) if fmt else text


def _short(number: float) -> str:
    """``12.3``, ``850``, ``2``: one decimal below 100, none above, no trailing ``.0``."""
    text = f"{number:.0f}" if number >= 100 else f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text


# Amount units: English prefix and Chinese suffix. "count": a deal is worth 1 (a lead funnel).
_UNITS = {
    "CNY": ("¥", "元"),
    "USD": ("$", "美元"),
    "EUR": ("€", "欧元"),
    "GBP": ("£", "英镑"),
    "BRL": ("R$", "雷亚尔"),
    "JPY": ("JP¥", "日元"),
    "count": ("", ""),
}


def unit_name(unit: str = "CNY", lang: str = "en") -> str:
    """How the page names the amounts' unit: ``CNY``/``人民币``, ``USD``/``美元``, ``deals``/``笔``."""
    if unit == "count":
        return t("unit_count", lang)
    if lang == "zh":
        return "人民币" if unit == "CNY" else _UNITS.get(unit, ("", unit))[1]
    return unit


def money_affixes(unit: str = "CNY") -> tuple[str, str]:
    """The English prefix and Chinese suffix of an amount in ``unit`` (``("¥", "元")`` for CNY)."""
    return _UNITS.get(unit, (f"{unit} ", unit))


def fmt_money(value: float, lang: str = "en", unit: str = "CNY") -> str:
    """A compact amount in ``unit`` (a currency code, or "count"): English ``¥12.3M``/``$850K``/``42``;
    Chinese ``1230万元``/``85万美元``/``1.2亿元``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    prefix, suffix = money_affixes(unit)
    sign = "-" if value < 0 else ""
    size = abs(float(value))
    if lang == "zh":
        # Thresholds sit half a rounding step below the unit, so 9999.6万 reads 1亿, not 10000万.
        if size >= 0.99995e8:
            return f"{sign}{_short(size / 1e8)}亿{suffix}"
        if size >= 9999.5:
            return f"{sign}{_short(size / 1e4)}万{suffix}"
        return f"{sign}{size:.0f}{suffix}"
    for letter, scale in (("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if size >= scale * 0.9995:
            return f"{sign}{prefix}{_short(size / scale)}{letter}"
    return f"{sign}{prefix}{size:.0f}"
