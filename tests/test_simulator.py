"""The simulator: seeded and reproducible, and every planted cause leaves the trace its truth claims."""

from __future__ import annotations

import pandas as pd
import pytest

from sample_data.simulator import simulate


@pytest.fixture(scope="module")
def world() -> dict[str, pd.DataFrame]:
    return simulate(20_000, 7)


@pytest.fixture(scope="module")
def deals(world: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Opportunities with their original owner's team, region and segment, the account tier and product line."""
    first_owner = (
        world["ownership_history"]
        .sort_values("start_date")
        .drop_duplicates("opportunity_id")
        .set_index("opportunity_id")
    ).rep_id
    o = world["opportunities"].copy()
    o["first_owner"] = first_owner.reindex(o.id).to_numpy()
    reps, teams = world["reps"].set_index("id"), world["teams"].set_index("id")
    o["team_id"] = reps.team_id.reindex(o.first_owner).to_numpy()
    o["region_id"] = teams.region_id.reindex(o.team_id).to_numpy()
    o["tier"] = world["accounts"].set_index("id").tier.reindex(o.account_id).to_numpy()
    o["line"] = world["products"].set_index("id").line.reindex(o.product_id).to_numpy()
    return o


def _region(world: dict[str, pd.DataFrame], code: str) -> int:
    regions = world["regions"]
    return int(regions.loc[regions.code == code, "id"].iloc[0])


def _between(dates: pd.Series, start: str, end: str) -> pd.Series:
    d = pd.to_datetime(dates)
    return (d >= pd.Timestamp(start)) & (d <= pd.Timestamp(end))


def test_same_seed_same_tables() -> None:
    a, b = simulate(3000, 1), simulate(3000, 1)
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_different_seed_differs() -> None:
    a, b = simulate(3000, 1), simulate(3000, 2)
    assert not a["opportunities"].equals(b["opportunities"])
    assert not a["activities"].equals(b["activities"])


def test_catalogue_delay_lengthens_budget_approval_in_suzhou(world, deals) -> None:
    sh = world["stage_history"]
    b = sh[(sh.stage == "budget_approval") & sh.exited_date.notna()].merge(
        deals[["id", "region_id", "tier"]], left_on="opportunity_id", right_on="id"
    )
    b = b[(b.region_id == _region(world, "suzhou")) & (b.tier == "tier3")]
    days = (pd.to_datetime(b.exited_date) - pd.to_datetime(b.entered_date)).dt.days
    window = _between(b.entered_date, "2026-03-20", "2026-06-20")
    assert window.sum() >= 20
    extra = days[window].mean() - days[~window].mean()
    assert 8 <= extra <= 30, extra  # planted: ~17 days (gamma noise)


def test_competitor_quotes_surge_in_hangzhou(world, deals) -> None:
    a = world["activities"]
    quotes = a[a.kind == "competitor_quote"].merge(
        deals[["id", "region_id"]], left_on="opportunity_id", right_on="id"
    )
    in_window = quotes[_between(quotes.activity_date, "2025-10-01", "2026-03-31")]
    per_region = in_window.groupby("region_id").size()
    hangzhou = per_region.get(_region(world, "hangzhou"), 0)
    others = per_region.drop(_region(world, "hangzhou"), errors="ignore")
    assert hangzhou > 2.5 * others.max()


def test_domestic_clause_tagged_in_shanghai(world, deals) -> None:
    an = world["annotations"]
    clause = an[an.kind == "domestic_clause"].merge(
        deals[["id", "region_id"]], left_on="opportunity_id", right_on="id"
    )
    in_window = clause[_between(clause.annotated_date, "2026-06-15", "2026-09-30")]
    per_region = in_window.groupby("region_id").size()
    shanghai = per_region.get(_region(world, "shanghai"), 0)
    assert shanghai >= 20
    assert shanghai > 3 * per_region.drop(_region(world, "shanghai"), errors="ignore").sum()


def test_nanjing_leaver_deals_reowned(world) -> None:
    oh, reps, teams = world["ownership_history"], world["reps"], world["teams"]
    handed = oh[oh.duplicated("opportunity_id", keep=False)]
    moved = handed[pd.to_datetime(handed.start_date) == pd.Timestamp("2025-08-15")]
    assert len(moved) >= 10
    assert moved.rep_id.nunique() == 1
    successor = reps.set_index("id").loc[int(moved.rep_id.iloc[0])]
    nanjing_tier3 = teams[(teams.region_id == _region(world, "nanjing")) & (teams.segment == "tier3")].id
    assert successor.team_id in set(nanjing_tier3)
    before = handed[
        handed.opportunity_id.isin(moved.opportunity_id) & (handed.rep_id != moved.rep_id.iloc[0])
    ]
    assert before.rep_id.nunique() == 1
    leaver = reps.set_index("id").loc[int(before.rep_id.iloc[0])]
    assert str(leaver.leave_date) == "2025-08-15"
    assert (pd.to_datetime(before.end_date) == pd.Timestamp("2025-08-15")).all()


def test_hefei_discounts_higher(world, deals) -> None:
    quoted = deals[deals.discount_pct.notna() & deals.line.isin(["ivd", "monitoring"])]
    hefei = quoted.region_id == _region(world, "hefei")
    window = _between(quoted.created_date, "2025-04-01", "2025-09-30")
    in_hefei = quoted[hefei & window].discount_pct.mean()
    elsewhere = quoted[~hefei & window].discount_pct.mean()
    assert in_hefei - elsewhere >= 2.0, (in_hefei, elsewhere)


def test_truth_lists_suzhou_catalogue_cell(world) -> None:
    causes, cells = world["truth_causes"], world["truth_cells"]
    cause_id = int(causes.loc[causes.code == "catalogue_delay", "id"].iloc[0])
    suzhou = cells[
        (cells.cause_id == cause_id)
        & (cells.region_id == _region(world, "suzhou"))
        & (cells.quarter == "2026Q2")
    ]
    assert not suzhou.empty
    assert (suzhou.effect_bookings < 0).all()
    assert set(causes.observable) == {True, False}
