"""The causes planted in the sample company, with the model features each one acts through.

Sizes are realistic and sit in the deal-level noise: a catalogue change delays decisions by a gamma-
distributed ~17 days, a competitor lowers win odds by ~40%, and so on. The simulator records, for each
cause, which cells it moved and by how much (with vs without the cause, same random draws).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PlantedCause:
    code: str
    name_en: str
    name_zh: str
    region: str
    segment: str | None  # None: every team of the region
    start: date
    end: date
    features: tuple[str, ...]  # model features the cause shows through
    observable: bool  # False: the cause leaves no trace in what reps record
    description: str


CAUSES: tuple[PlantedCause, ...] = (
    PlantedCause(
        "catalogue_delay",
        "Medical-insurance catalogue change delays tier-3 hospital decisions",
        "医保目录调整导致三甲医院采购决策延迟",
        "suzhou",
        "tier3",
        date(2026, 3, 20),
        date(2026, 6, 20),
        ("decision_days", "days_in_stage"),
        True,
        "Tier-3 hospitals in Suzhou re-run budget approval after the catalogue change: the budget-approval "
        "stage takes ~17 days longer (gamma, shape 4) for deals entering it in the window.",
    ),
    PlantedCause(
        "key_person_unrecorded",
        "Decision-chain key person changed, not recorded by the rep",
        "决策链关键人变更，销售未更新字段",
        "suzhou",
        "tier3",
        date(2026, 3, 20),
        date(2026, 6, 30),
        ("key_person_changed",),
        False,
        "One Suzhou tier-3 rep's hospitals change their decision-chain key person on ~30% of his open deals "
        "(win odds x0.33); from 2026 he records none of these changes, so the forecast keeps old weights.",
    ),
    PlantedCause(
        "competitor_entry",
        "A competitor enters Hangzhou",
        "竞争对手进入杭州市场",
        "hangzhou",
        None,
        date(2025, 10, 1),
        date(2026, 3, 31),
        ("competitor_quote",),
        True,
        "A domestic competitor quotes on ~55% of Hangzhou imaging, surgical and IVD deals open in the window "
        "(win odds x0.4); reps log the competitor quote as an activity.",
    ),
    PlantedCause(
        "rep_departure",
        "A senior rep leaves Nanjing; deals handed to a new hire",
        "南京资深销售离职，商机移交新人",
        "nanjing",
        "tier3",
        date(2025, 8, 15),
        date(2025, 12, 31),
        ("owner_handover", "owner_tenure_days", "days_since_last_activity", "activities_30d"),
        True,
        "The team's top senior rep leaves on 2025-08-15; his open deals go to a junior hired two weeks "
        "earlier: customer contact drops 70% for 45 days, the current stage takes ~20 days longer, win odds x0.55.",
    ),
    PlantedCause(
        "procurement_price_pressure",
        "Provincial volume-based procurement forces deeper IVD and monitoring discounts in Hefei",
        "安徽省集采压价：合肥体外诊断与监护产品需更大折扣",
        "hefei",
        None,
        date(2025, 4, 1),
        date(2025, 9, 30),
        ("discount_pct",),
        True,
        "IVD and monitoring deals quoted in Hefei in the window need ~7 points more discount (gamma noise) "
        "and win odds drop x0.5.",
    ),
    PlantedCause(
        "domestic_clause",
        "Tenders add a domestic-brand clause in Shanghai",
        "上海招标增加国产品牌条款",
        "shanghai",
        None,
        date(2026, 6, 15),
        date(2026, 9, 30),
        ("domestic_clause",),
        True,
        "~45% of Shanghai hospital tenders opened in the window add a domestic-brand clause (win odds x0.27); "
        "reps tag it on the deal.",
    ),
)

CAUSE_BY_CODE = {c.code: c for c in CAUSES}
