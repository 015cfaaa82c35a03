"""Plain-language driver labels in English and Simplified Chinese.

A cell label says how the cell differs from a typical one ("decision cycle lengthened +17 days");
a deal label says the deal's own value ("decision cycle 48 days"). Features an imported CRM brings
that we have no words for get a generic label built from the column name.
"""

from __future__ import annotations

import math
from collections.abc import Callable

# feature -> (unit, English up, English down, Chinese up, Chinese down, English deal, Chinese deal)
# {d} is the absolute difference, {v} the deal's own value; units: days, count, pp (share), pct, log.
_LABELS: dict[str, tuple[str, str, str, str, str, str, str]] = {
    "decision_days": (
        "days",
        "decision cycle lengthened +{d} days",
        "decision cycle shortened {d} days",
        "决策周期延长{d}天",
        "决策周期缩短{d}天",
        "in decision for {v} days",
        "决策已{v}天",
    ),
    "days_in_stage": (
        "days",
        "deals stuck longer in their stage (+{d} days)",
        "deals moving faster through stages ({d} days less)",
        "商机在当前阶段停留更久（+{d}天）",
        "商机推进更快（少{d}天）",
        "{v} days in current stage",
        "当前阶段已停留{v}天",
    ),
    "stage_index": (
        "stage",
        "pipeline further along (+{d} stages)",
        "pipeline in earlier stages ({d} stages behind)",
        "商机阶段更靠后（+{d}个阶段）",
        "商机阶段偏早（落后{d}个阶段）",
        "stage {v} of 6",
        "第{v}/6阶段",
    ),
    "deal_age_days": (
        "days",
        "older deals (+{d} days)",
        "younger deals ({d} days)",
        "商机存续更久（+{d}天）",
        "商机更新（少{d}天）",
        "open for {v} days",
        "已开启{v}天",
    ),
    "days_to_expected_close": (
        "days",
        "expected close dates further out (+{d} days)",
        "expected close dates nearer ({d} days)",
        "预计成交日期推后（+{d}天）",
        "预计成交日期提前（{d}天）",
        "expected close in {v} days",
        "预计{v}天后成交",
    ),
    "days_left_in_quarter": (
        "days",
        "more time left in the quarter (+{d} days)",
        "less time left in the quarter ({d} days)",
        "本季度剩余时间更多（+{d}天）",
        "本季度剩余时间更少（{d}天）",
        "{v} days left in quarter",
        "本季度剩余{v}天",
    ),
    "amount_log10": (
        "log",
        "larger deals (x{d})",
        "smaller deals (÷{d})",
        "单笔金额更大（×{d}）",
        "单笔金额更小（÷{d}）",
        "deal size",
        "商机金额",
    ),
    "discount_pct": (
        "pct",
        "deeper discounts requested (+{d} pts)",
        "smaller discounts ({d} pts less)",
        "客户要求更高折扣（+{d}个百分点）",
        "折扣更低（少{d}个百分点）",
        "discount {v}%",
        "折扣{v}%",
    ),
    "activities_30d": (
        "count",
        "more customer activities in the last 30 days (+{d} per deal)",
        "fewer customer activities in the last 30 days (−{d} per deal)",
        "近30天客户活动增加（每单+{d}次）",
        "近30天客户活动减少（每单−{d}次）",
        "{v} customer activities in 30 days",
        "近30天客户活动{v}次",
    ),
    "days_since_last_activity": (
        "days",
        "longer since last customer contact (+{d} days)",
        "more recent customer contact ({d} days sooner)",
        "距上次客户接触更久（+{d}天）",
        "客户接触更及时（早{d}天）",
        "last contact {v} days ago",
        "{v}天前最后接触客户",
    ),
    "exec_sponsor_met": (
        "pp",
        "executive sponsor met on more deals (+{d} pts)",
        "executive sponsor met on fewer deals (−{d} pts)",
        "见到院领导/财务的商机更多（+{d}个百分点）",
        "见到院领导/财务的商机更少（−{d}个百分点）",
        "executive sponsor met",
        "已见院领导/财务",
    ),
    "demo_done": (
        "pp",
        "more deals had a demo (+{d} pts)",
        "fewer deals had a demo (−{d} pts)",
        "完成演示的商机更多（+{d}个百分点）",
        "完成演示的商机更少（−{d}个百分点）",
        "demo done",
        "已完成演示",
    ),
    "competitor_quote": (
        "pp",
        "competitor quotes on more deals (+{d} pts)",
        "competitor quotes on fewer deals (−{d} pts)",
        "竞争对手报价的商机增加（+{d}个百分点）",
        "竞争对手报价的商机减少（−{d}个百分点）",
        "competitor has quoted",
        "竞争对手已报价",
    ),
    "key_person_changed": (
        "pp",
        "decision-chain key person changed on more deals (+{d} pts)",
        "fewer decision-chain changes (−{d} pts)",
        "决策链关键人变更增加（+{d}个百分点）",
        "决策链关键人变更减少（−{d}个百分点）",
        "decision-chain key person changed",
        "决策链关键人已变更",
    ),
    "cfo_left": (
        "pp",
        "customer CFO left on more deals (+{d} pts)",
        "fewer customer CFO departures (−{d} pts)",
        "客户财务负责人离职增加（+{d}个百分点）",
        "客户财务负责人离职减少（−{d}个百分点）",
        "customer CFO left",
        "客户财务负责人已离职",
    ),
    "domestic_clause": (
        "pp",
        "tenders add a domestic-brand clause on more deals (+{d} pts)",
        "fewer domestic-brand tender clauses (−{d} pts)",
        "招标增加国产品牌条款的商机增加（+{d}个百分点）",
        "国产品牌条款减少（−{d}个百分点）",
        "tender adds domestic-brand clause",
        "招标含国产品牌条款",
    ),
    "owner_handover": (
        "pp",
        "more deals handed over to a new rep (+{d} pts)",
        "fewer handed-over deals (−{d} pts)",
        "移交给新销售的商机增加（+{d}个百分点）",
        "移交商机减少（−{d}个百分点）",
        "handed over to a new rep",
        "已移交新销售",
    ),
    "owner_tenure_days": (
        "days",
        "more experienced owners (+{d} days tenure)",
        "less experienced owners ({d} days less tenure)",
        "负责人经验更丰富（司龄+{d}天）",
        "负责人经验不足（司龄少{d}天）",
        "owner tenure {v} days",
        "负责人司龄{v}天",
    ),
    "owner_senior": (
        "pp",
        "more deals owned by senior reps (+{d} pts)",
        "fewer deals owned by senior reps (−{d} pts)",
        "资深销售负责的商机更多（+{d}个百分点）",
        "资深销售负责的商机更少（−{d}个百分点）",
        "senior owner",
        "资深销售负责",
    ),
    "tier": (
        "cat",
        "customer tier mix",
        "customer tier mix",
        "客户等级结构",
        "客户等级结构",
        "customer tier: {v}",
        "客户等级：{v}",
    ),
    "product_line": (
        "cat",
        "product mix",
        "product mix",
        "产品结构",
        "产品结构",
        "product line: {v}",
        "产品线：{v}",
    ),
}


def _magnitude(unit: str, delta: float) -> str:
    d = abs(delta)
    if unit == "pp":
        d *= 100
    if unit == "log":
        return f"{10**d:.1f}"
    # One more digit for small differences, and "<0.1" below that: "(−0 pts)" reads as a mistake.
    digits = 1 if unit in ("pct", "count", "stage") else 0
    if d < 10**-digits:
        digits += 1
    text = f"{d:.{digits}f}"
    return text if float(text) > 0 or d == 0 else f"<{10**-digits:g}"


def cell_label(feature: str, delta: float | None, lang: str = "en") -> str:
    """How a cell differs from the typical one on ``feature`` (``delta`` = cell mean - typical mean)."""
    spec = _LABELS.get(feature)
    if spec is None:
        name = feature.replace("_", " ")
        if delta is None or not math.isfinite(delta):
            return name
        return (
            f"{name} {'higher' if delta > 0 else 'lower'}"
            if lang == "en"
            else f"{name}{'偏高' if delta > 0 else '偏低'}"
        )
    unit, en_up, en_down, zh_up, zh_down, _, _ = spec
    if unit == "cat" or delta is None or not math.isfinite(delta):
        return (en_up if lang == "en" else zh_up).split("（")[0].split(" (")[0].format(d="").strip()
    up = delta >= 0
    template = (en_up if up else en_down) if lang == "en" else (zh_up if up else zh_down)
    return template.format(d=_magnitude(unit, delta))


def deal_label(
    feature: str,
    value: float | None,
    text: str | None,
    lang: str = "en",
    money: Callable[[float], str] | None = None,
) -> str:
    """A feature's value on one deal, in words; ``money`` formats an amount (default: yuan)."""
    spec = _LABELS.get(feature)
    shown = text if text is not None else value
    if spec is None:
        return f"{feature.replace('_', ' ')} = {shown}"
    unit, *_, en, zh = spec
    template = en if lang == "en" else zh
    if unit == "pp" and value is not None and math.isfinite(value):
        yes = value >= 0.5
        return (
            template if yes else ("not: " + template if lang == "en" else "未" + template.removeprefix("已"))
        )
    if unit == "stage" and value is not None:
        shown = int(value) + 1
    elif unit == "log" and value is not None:
        if money is not None:
            return f"{template} {money(10**value)}"
        return f"{template} ¥{10**value / 1e4:,.0f}万" if lang == "zh" else f"{template} ¥{10**value:,.0f}"
    elif value is not None and math.isfinite(value) and text is None:
        shown = f"{value:.1f}".rstrip("0").rstrip(".") if unit == "pct" else f"{value:.0f}"
    elif value is not None and not math.isfinite(value) and text is None:
        return (template.split("{v}")[0] + "—").strip() if unit != "cat" else template.format(v="—")
    return template.format(v=shown)
