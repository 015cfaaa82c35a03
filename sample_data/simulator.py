"""The seeded simulator: one hidden state per deal drives its stages, activities, annotations and outcome.

Everything is vectorised over deals (NumPy), so a million deals take seconds. Counterfactual worlds
(one planted cause switched off, or all of them) reuse the same random draws, which is how the truth
tables measure each cause's effect on bookings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from data_access.vocabulary import FORECAST_CATEGORY, STAGES
from sample_data import company
from sample_data.causes import CAUSE_BY_CODE, CAUSES

EPOCH = date(2024, 1, 1)
HISTORY_START = date(2024, 3, 1)
FIRST_SNAPSHOT = date(2024, 7, 1)
AS_OF = date(2026, 12, 1)  # fixed, so the same seed gives the same data on any day
N_STAGES = len(STAGES)


def day(d: date) -> int:
    return (d - EPOCH).days


def to_date(days: np.ndarray) -> np.ndarray:
    return np.datetime64(EPOCH, "D") + days.astype("timedelta64[D]")


def quarter_of(days: np.ndarray) -> np.ndarray:
    ts = pd.DatetimeIndex(to_date(np.asarray(days)))
    return np.asarray(ts.year.astype(str) + "Q" + ts.quarter.astype(str), dtype=object)


def snapshot_dates(first: date = FIRST_SNAPSHOT, last: date = AS_OF) -> list[date]:
    """Monthly snapshots on the first of each month."""
    out, d = [], first
    while d <= last:
        out.append(d)
        d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return out


@dataclass
class Org:
    regions: pd.DataFrame
    teams: pd.DataFrame
    reps: pd.DataFrame
    accounts: pd.DataFrame
    products: pd.DataFrame
    leaver_id: int  # the Nanjing senior rep who leaves
    successor_id: int  # the junior who takes his deals
    silent_rep_id: int  # the Suzhou rep who stops recording key-person changes


def build_org(rng: np.random.Generator, n_deals: int) -> Org:
    regions = pd.DataFrame(
        [(i + 1, code, en, zh) for i, (code, en, zh, _, _) in enumerate(company.REGIONS)],
        columns=["id", "code", "name_en", "name_zh"],
    )
    team_rows, rep_rows, account_rows = [], [], []
    reps_per_team = max(4, round(n_deals / 8000))
    names = [
        (s_en + " " + g_en, s_zh + g_zh)
        for s_en, s_zh in company.SURNAMES
        for g_en, g_zh in company.GIVEN_NAMES
    ]
    order = rng.permutation(len(names))
    rep_id = 0

    def next_name(i: int) -> tuple[str, str]:
        en, zh = names[order[i % len(names)]]
        suffix = i // len(names)
        return (en, zh) if suffix == 0 else (f"{en} {suffix + 1}", f"{zh}{suffix + 1}")

    for r_i, (_code, ren, rzh, _, cities) in enumerate(company.REGIONS):
        for s_i, (scode, sen, szh, _, _tiers) in enumerate(company.SEGMENTS):
            team_id = r_i * len(company.SEGMENTS) + s_i + 1
            team_rows.append((team_id, r_i + 1, scode, f"{ren} {sen}", f"{rzh}{szh}"))
            rep_id += 1
            manager_id = rep_id
            en, zh = next_name(rep_id)
            rep_rows.append(
                (
                    rep_id,
                    team_id,
                    None,
                    en,
                    zh,
                    "manager",
                    date(2014, 3, 1) + timedelta(days=int(rng.integers(0, 1500))),
                    None,
                )
            )
            for k in range(reps_per_team):
                rep_id += 1
                senior = k < max(2, int(reps_per_team * 0.4))
                hired = (
                    date(2015, 1, 1) + timedelta(days=int(rng.integers(0, 2200)))
                    if senior
                    else date(2021, 6, 1) + timedelta(days=int(rng.integers(0, 900)))
                )
                en, zh = next_name(rep_id)
                rep_rows.append(
                    (rep_id, team_id, manager_id, en, zh, "senior" if senior else "junior", hired, None)
                )
        n_tier = {
            "tier3": max(6, n_deals // 5000),
            "tier2": max(8, n_deals // 3000),
            "private": max(6, n_deals // 4000),
            "distributor": max(4, n_deals // 8000),
        }
        for tier, count in n_tier.items():
            patterns = company.ACCOUNT_NAMES[tier]
            for n in range(count):
                city_en, city_zh = cities[n % len(cities)]
                p_en, p_zh = patterns[n % len(patterns)]
                k = n // len(patterns) + 1
                account_rows.append(
                    (
                        len(account_rows) + 1,
                        p_en.format(city=city_en, n=k),
                        p_zh.format(city=city_zh, n=k),
                        "distributor" if tier == "distributor" else "hospital",
                        tier,
                        city_en,
                        r_i + 1,
                    )
                )
    teams = pd.DataFrame(team_rows, columns=["id", "region_id", "segment", "name_en", "name_zh"])
    reps = pd.DataFrame(
        rep_rows,
        columns=["id", "team_id", "manager_id", "name_en", "name_zh", "seniority", "hire_date", "leave_date"],
    )
    # The Nanjing tier-3 leaver (its first senior rep) and a junior hired two weeks before he goes.
    nanjing_t3 = int(teams.query("region_id == 4 and segment == 'tier3'").id.iloc[0])
    leaver_id = int(reps[(reps.team_id == nanjing_t3) & (reps.seniority == "senior")].id.iloc[0])
    leave = CAUSE_BY_CODE["rep_departure"].start
    reps.loc[reps.id == leaver_id, "leave_date"] = leave
    successor_id = int(reps.id.max()) + 1
    en, zh = next_name(successor_id)
    manager = int(reps.loc[reps.id == leaver_id, "manager_id"].iloc[0])
    reps.loc[len(reps)] = (
        successor_id,
        nanjing_t3,
        manager,
        en,
        zh,
        "junior",
        leave - timedelta(days=14),
        None,
    )
    suzhou_t3 = int(teams.query("region_id == 2 and segment == 'tier3'").id.iloc[0])
    silent_rep_id = int(reps[(reps.team_id == suzhou_t3) & (reps.seniority == "senior")].id.iloc[0])
    accounts = pd.DataFrame(
        account_rows, columns=["id", "name_en", "name_zh", "kind", "tier", "city", "region_id"]
    )
    products = pd.DataFrame(
        [(i + 1, en, zh, line, price) for i, (en, zh, line, price, _) in enumerate(company.PRODUCTS)],
        columns=["id", "name_en", "name_zh", "line", "list_price"],
    )
    return Org(regions, teams, reps, accounts, products, leaver_id, successor_id, silent_rep_id)


@dataclass
class Draws:
    """Every random number a world needs, drawn once so counterfactual worlds differ only by the cause."""

    owner: np.ndarray
    account: np.ndarray
    product: np.ndarray
    created: np.ndarray
    quality: np.ndarray
    amount: np.ndarray
    duration_unit: np.ndarray  # n x stages, mean 1
    stuck_from: np.ndarray  # stage from which a stalled deal slows down (N_STAGES: never)
    u_win: np.ndarray
    loss_stage: np.ndarray
    loss_frac: np.ndarray
    estimate_noise: np.ndarray
    discount: np.ndarray
    u_cause: np.ndarray  # n x 6 uniforms for cause/event membership
    cause_size: np.ndarray  # n x 4 gamma draws (mean 1) for cause sizes
    event_frac: np.ndarray  # n x 4 uniforms: when in the deal's life an event happens


def draw_deals(rng: np.random.Generator, org: Org, n: int) -> Draws:
    teams, reps, accounts = org.teams, org.reps, org.accounts
    region_share = np.array([r[3] for r in company.REGIONS])
    seg_share = np.array([s[3] for s in company.SEGMENTS])
    team_p = (
        region_share[teams.region_id.to_numpy() - 1]
        * seg_share[[[s[0] for s in company.SEGMENTS].index(x) for x in teams.segment]]
    )
    team_idx = rng.choice(len(teams), size=n, p=team_p / team_p.sum())
    team_of = teams.id.to_numpy()[team_idx]
    # Days in the history, weighted by month seasonality.
    days = np.arange(day(HISTORY_START), day(AS_OF) + 1)
    months = pd.DatetimeIndex(to_date(days)).month.to_numpy()
    w = np.array(company.MONTH_WEIGHT)[months - 1]
    created = rng.choice(days, size=n, p=w / w.sum())
    # Owner: a non-manager rep of the team employed on the creation day (seniors get more deals).
    sellers = reps[reps.seniority != "manager"]
    owner = np.empty(n, dtype=np.int64)
    for tid, group in sellers.groupby("team_id"):
        mask = team_of == tid
        weight = np.where(group.seniority == "senior", 1.3, 1.0)
        owner[mask] = rng.choice(group.id.to_numpy(), size=int(mask.sum()), p=weight / weight.sum())
    # Deals of the leaver created after he left, and of the successor before she joined, swap owners.
    leave, joined = day(CAUSE_BY_CODE["rep_departure"].start), day(CAUSE_BY_CODE["rep_departure"].start) - 14
    owner[(owner == org.leaver_id) & (created >= leave)] = org.successor_id
    owner[(owner == org.successor_id) & (created < joined)] = org.leaver_id
    # Account: one of the region's accounts of a tier the team serves.
    seg_tiers = {s[0]: s[4] for s in company.SEGMENTS}
    account = np.empty(n, dtype=np.int64)
    seg_of_team = teams.set_index("id").segment
    region_of_team = teams.set_index("id").region_id
    for tid in teams.id:
        mask = team_of == tid
        pool = accounts[
            (accounts.region_id == region_of_team[tid]) & accounts.tier.isin(seg_tiers[seg_of_team[tid]])
        ].id.to_numpy()
        account[mask] = rng.choice(pool, size=int(mask.sum()))
    product = np.empty(n, dtype=np.int64)
    for seg, weights in company.LINE_WEIGHTS.items():
        mask = seg_of_team.reindex(team_of).to_numpy() == seg
        product[mask] = rng.choice(
            np.arange(1, len(company.PRODUCTS) + 1), size=int(mask.sum()), p=np.array(weights) / sum(weights)
        )
    stuck = rng.random(n) < 0.2
    return Draws(
        owner=owner,
        account=account,
        product=product,
        created=created,
        quality=rng.standard_normal(n),
        amount=np.exp(rng.normal(0.0, 0.35, n)),
        duration_unit=rng.gamma(3.0, 1 / 3.0, size=(n, N_STAGES)),
        stuck_from=np.where(stuck, rng.integers(0, N_STAGES, n), N_STAGES),
        u_win=rng.random(n),
        loss_stage=rng.choice(
            N_STAGES, size=n, p=np.array(company.LOSS_STAGE_WEIGHTS) / sum(company.LOSS_STAGE_WEIGHTS)
        ),
        loss_frac=rng.random(n),
        estimate_noise=np.exp(rng.normal(0.0, 0.15, n)),
        discount=rng.normal(9.0, 3.0, n),
        u_cause=rng.random((n, 6)),
        cause_size=rng.gamma(4.0, 0.25, size=(n, 4)),
        event_frac=rng.random((n, 4)),
    )


@dataclass(frozen=True)
class Intervention:
    """Levers moved on some deals, everything else (every random draw) kept: the what-if truth.

    ``discount``: (deal mask, pct) the quoted discount those deals get instead of theirs;
    ``decision_earlier``: (deal mask, days) budget approval, and every stage after it, starts this many
    days earlier (never before the previous stage). Levers the simulated customers do not respond to
    (meeting an executive, a demo: symptoms of a good deal here, not causes) have no hook, so their
    true effect is nil.
    """

    discount: tuple[np.ndarray, float] | None = None
    decision_earlier: tuple[np.ndarray, int] | None = None


@dataclass
class World:
    entry: np.ndarray  # n x (stages+1): day each stage is entered; last column = would-be win day
    won: np.ndarray
    close: np.ndarray  # day the deal closes (won or lost)
    last_stage: np.ndarray  # last open stage reached
    discount: np.ndarray
    competitor_day: np.ndarray  # day a competitor quote is logged (large = never)
    key_person_day: np.ndarray
    key_person_recorded: np.ndarray
    cfo_day: np.ndarray
    clause: np.ndarray
    handed_over: np.ndarray
    p_win: np.ndarray  # the chance of winning the simulated customer had in mind (before the draw)
    p_without_events: np.ndarray  # the same before any event hurt the deal
    lost_plain: np.ndarray  # the day it would be lost for no event's sake
    lost_caused: np.ndarray  # the day it would be lost because of an event (= lost_plain if none)


NEVER = 10**6


def run_world(org: Org, d: Draws, enabled: frozenset[str], intervention: Intervention | None = None) -> World:
    """Play every deal's life forward with the given planted causes switched on (and a what-if lever)."""
    n = len(d.created)
    reps = org.reps.set_index("id")
    team = reps.team_id.reindex(d.owner).to_numpy()
    teams = org.teams.set_index("id")
    region = teams.region_id.reindex(team).to_numpy()
    region_code = org.regions.set_index("id").code.reindex(region).to_numpy()
    accounts = org.accounts.set_index("id")
    tier = accounts.tier.reindex(d.account).to_numpy()
    line = org.products.set_index("id").line.reindex(d.product).to_numpy()
    senior = reps.seniority.reindex(d.owner).to_numpy() == "senior"
    tier_dur = pd.Series(company.TIER_DURATION).reindex(tier).to_numpy()
    tier_logit = pd.Series(company.TIER_WIN_LOGIT).reindex(tier).to_numpy()
    u, size, frac = d.u_cause, d.cause_size, d.event_frac

    def on(code: str) -> bool:
        return code in enabled

    def window(code: str) -> tuple[int, int]:
        c = CAUSE_BY_CODE[code]
        return day(c.start), day(c.end)

    leave = day(CAUSE_BY_CODE["rep_departure"].start)
    handed = d.owner == org.leaver_id  # refined below: only deals still open at the leave date
    entry = np.zeros((n, N_STAGES + 1), dtype=np.int64)
    entry[:, 0] = d.created
    cat_lo, cat_hi = window("catalogue_delay")
    for i in range(N_STAGES):
        dur = d.duration_unit[:, i] * company.STAGE_MEAN_DAYS[i] * tier_dur
        dur = dur * np.where(i >= d.stuck_from, 2.6, 1.0)
        if i == STAGES.index("budget_approval") and on("catalogue_delay"):
            hit = (
                (region_code == "suzhou")
                & (tier == "tier3")
                & (entry[:, i] >= cat_lo)
                & (entry[:, i] <= cat_hi)
            )
            dur = dur + np.where(hit, 17.0 * size[:, 0], 0.0)
        if on("rep_departure"):
            in_stage = handed & (entry[:, i] <= leave) & (entry[:, i] + dur > leave)
            dur = dur + np.where(in_stage, 20.0 * size[:, 1], 0.0)
        entry[:, i + 1] = entry[:, i] + np.maximum(1, np.rint(dur)).astype(np.int64)
    if intervention is not None and intervention.decision_earlier is not None:
        deals, days = intervention.decision_earlier
        b = STAGES.index("budget_approval")
        room = np.maximum(entry[:, b] - entry[:, b - 1] - 1, 0)
        shift = np.where(deals, np.minimum(int(days), room), 0)
        entry[:, b:] -= shift[:, None]
    would_close = entry[:, N_STAGES]
    handed = handed & (d.created < leave) & (would_close > leave)
    logit = -0.15 + 0.9 * d.quality + 0.3 * senior + tier_logit - 0.9 * (d.stuck_from < N_STAGES)
    base_logit = logit.copy()  # before any event: a loss beyond this one's odds is caused by an event
    event_day = np.full(n, NEVER, dtype=np.int64)  # the first day an event hurt the deal
    # Discount quoted on entering the solution stage.
    discount = np.clip(d.discount - 1.5 * d.quality, 0.0, 40.0)
    quote_day = entry[:, STAGES.index("solution_demo")]
    lo, hi = window("procurement_price_pressure")
    if on("procurement_price_pressure"):
        hit = (
            (region_code == "hefei")
            & np.isin(line, ("ivd", "monitoring"))
            & (quote_day >= lo)
            & (quote_day <= hi)
        )
        discount = discount + np.where(hit, 7.0 * size[:, 2], 0.0)
        logit -= 0.7 * hit
    if intervention is not None and intervention.discount is not None:
        deals, pct = intervention.discount
        discount = np.where(deals, float(pct), discount)
    logit -= 0.04 * np.maximum(discount - 12.0, 0.0)  # deep discounts signal a weak position
    event_day = np.where(discount > 12.0, np.minimum(event_day, quote_day), event_day)
    # Competitors: a baseline everywhere, plus the Hangzhou entrant.
    life = np.maximum(would_close - d.created, 1)
    comp_day = np.where(u[:, 0] < 0.07, d.created + (0.2 + 0.6 * frac[:, 0]) * life, NEVER).astype(np.int64)
    logit -= 0.5 * (comp_day < NEVER)
    lo, hi = window("competitor_entry")
    if on("competitor_entry"):
        hz = (
            (region_code == "hangzhou")
            & np.isin(line, ("imaging", "surgical", "ivd"))
            & (d.created <= hi)
            & (would_close >= lo + 10)
        )
        hz &= u[:, 1] < 0.55
        when = np.maximum(d.created, lo) + (
            frac[:, 1] * np.minimum(30, np.maximum(would_close - np.maximum(d.created, lo) - 1, 1))
        ).astype(np.int64)
        comp_day = np.where(hz, np.minimum(comp_day, when), comp_day)
        logit -= 0.9 * hz
    # Decision-chain key person changes: a baseline, and a wave at the silent rep's hospitals.
    kp_day = np.where(u[:, 2] < 0.06, d.created + frac[:, 2] * life, NEVER).astype(np.int64)
    lo, hi = window("key_person_unrecorded")
    if on("key_person_unrecorded"):
        wave = (d.owner == org.silent_rep_id) & (d.created <= hi) & (would_close >= lo + 15) & (u[:, 3] < 0.3)
        kp_day = np.where(wave, np.maximum(d.created, lo) + (frac[:, 2] * 25).astype(np.int64), kp_day)
    has_kp = kp_day < would_close
    logit -= 1.1 * has_kp
    silent = (d.owner == org.silent_rep_id) & (kp_day >= day(date(2026, 1, 1)))
    kp_recorded = has_kp & (u[:, 4] < 0.85) & ~silent
    cfo_day = np.where(u[:, 5] < 0.03, d.created + frac[:, 3] * life, NEVER).astype(np.int64)
    logit -= 0.6 * (cfo_day < would_close)
    # Domestic-brand clauses in tenders.
    tender_day = entry[:, STAGES.index("tender")]
    clause = u[:, 1] > 0.97
    lo, hi = window("domestic_clause")
    if on("domestic_clause"):
        clause |= (
            (region_code == "shanghai")
            & (tier != "distributor")
            & (tender_day >= lo)
            & (tender_day <= hi)
            & (frac[:, 0] < 0.45)
        )
    logit -= 1.3 * clause
    if on("rep_departure"):
        logit -= 0.6 * handed
        event_day = np.where(handed, np.minimum(event_day, leave), event_day)
    for happened, when in (
        (comp_day < would_close, comp_day),
        (has_kp, kp_day),
        (cfo_day < would_close, cfo_day),
        (clause, tender_day),
    ):
        event_day = np.where(happened, np.minimum(event_day, when), event_day)
    won = d.u_win < 1 / (1 + np.exp(-logit))
    # Deals lost only because of an event (they would have been won without it) are lost after it:
    # a tender clause loses at the tender result, other events some days to weeks later.
    caused = ~won & (d.u_win < 1 / (1 + np.exp(-base_logit))) & (event_day < NEVER)
    loss_stage = np.where(
        clause & (d.loss_stage >= STAGES.index("tender")), STAGES.index("tender"), d.loss_stage
    )
    lost_day = (
        entry[np.arange(n), loss_stage]
        + (d.loss_frac * (entry[np.arange(n), loss_stage + 1] - entry[np.arange(n), loss_stage])).astype(
            np.int64
        )
        + 1
    )
    after_event = np.where(
        clause, entry[:, STAGES.index("tender") + 1], event_day + 3 + (d.loss_frac * 14).astype(np.int64)
    )
    lost_plain = lost_day
    lost_caused = np.where(
        event_day < NEVER, np.minimum(np.maximum(lost_day, after_event), would_close - 1), lost_day
    )
    lost_day = np.where(caused, lost_caused, lost_plain)
    loss_stage = np.clip((entry[:, :N_STAGES] < lost_day[:, None]).sum(axis=1) - 1, 0, N_STAGES - 1)
    close = np.where(won, would_close, lost_day)
    last_stage = np.where(won, N_STAGES - 1, loss_stage)
    return World(
        entry,
        won,
        close,
        last_stage,
        discount,
        comp_day,
        kp_day,
        kp_recorded,
        cfo_day,
        clause,
        handed & (close > leave),
        1 / (1 + np.exp(-logit)),
        1 / (1 + np.exp(-base_logit)),
        lost_plain,
        lost_caused,
    )


def bookings(world: World, d: Draws, key: np.ndarray, amount: np.ndarray) -> pd.Series:
    """Won amount per (key, quarter of close)."""
    frame = pd.DataFrame(
        {"key": key[world.won], "quarter": quarter_of(world.close[world.won]), "amount": amount[world.won]}
    )
    return frame.groupby(["key", "quarter"]).amount.sum()


ALL_CAUSES = frozenset(c.code for c in CAUSES)


def setup(n_deals: int, seed: int) -> tuple[np.random.Generator, Org, Draws]:
    """The company and every deal's random draws for a seed (the generator, positioned after them)."""
    rng = np.random.default_rng(seed)
    org = build_org(rng, n_deals)
    return rng, org, draw_deals(rng, org, n_deals)


def intervention_truth(
    n_deals: int,
    seed: int,
    deal_ids: np.ndarray,
    snapshot: date,
    discount: tuple[np.ndarray, float] | None = None,
    decision_earlier: tuple[np.ndarray, int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """True chance that deals open at ``snapshot`` close won by its quarter's end, without and with
    levers moved (every other draw kept); the levers name their deals by id.

    The chance is over the one draw that decides win or loss, given what history shows at the
    snapshot (the deal still open, as the model's forecast is); a win the levers bring before the
    snapshot still counts for the quarter.
    """
    _, org, d = setup(n_deals, seed)

    def mask_of(ids: np.ndarray) -> np.ndarray:
        out = np.zeros(n_deals, dtype=bool)
        out[np.asarray(ids, dtype=np.int64) - 1] = True
        return out

    mask = mask_of(deal_ids)
    intervention = Intervention(
        discount=None if discount is None else (mask_of(discount[0]), discount[1]),
        decision_earlier=None
        if decision_earlier is None
        else (mask_of(decision_earlier[0]), decision_earlier[1]),
    )
    s = day(snapshot)
    quarter = pd.Period(snapshot, freq="Q")
    q_start, q_end = day(quarter.start_time.date()), day(quarter.end_time.date())
    base_world = run_world(org, d, ALL_CAUSES)
    moved = run_world(org, d, ALL_CAUSES, intervention)
    # The deal is open at the snapshot in history: which values of the deciding draw u allow that?
    p, pb = base_world.p_win[mask], np.maximum(base_world.p_win, base_world.p_without_events)[mask]
    open_won = base_world.entry[mask, N_STAGES] >= s  # u < p: won, still open at s
    open_caused = base_world.lost_caused[mask] >= s  # p <= u < pb: lost to an event, after s
    open_plain = base_world.lost_plain[mask] >= s  # u >= pb: lost anyway, after s
    weight = p * open_won + (pb - p) * open_caused + (1 - pb) * open_plain

    def won_in_quarter(world: World) -> np.ndarray:
        """P(won within the quarter in ``world`` | open at s in history), over u."""
        q = world.p_win[mask]
        close = world.entry[mask, N_STAGES]
        share = (
            np.minimum(q, p) * open_won
            + np.clip(np.minimum(q, pb) - p, 0, None) * open_caused
            + np.clip(q - pb, 0, None) * open_plain
        )
        in_quarter = (close >= q_start) & (close <= q_end)
        return np.divide(share * in_quarter, weight, out=np.zeros_like(q), where=weight > 0)

    return won_in_quarter(base_world), won_in_quarter(moved)


def simulate(n_deals: int = 40_000, seed: int = 7) -> dict[str, pd.DataFrame]:
    """Generate the whole sample database as DataFrames named like the schema's tables."""
    rng, org, d = setup(n_deals, seed)
    world = run_world(org, d, ALL_CAUSES)
    as_of = day(AS_OF)
    n = n_deals
    ids = np.arange(1, n + 1, dtype=np.int64)
    list_median = np.array([p[4] for p in company.PRODUCTS])[d.product - 1]
    tier = org.accounts.set_index("id").tier.reindex(d.account).to_numpy()
    amount = np.round(list_median * pd.Series(company.TIER_AMOUNT).reindex(tier).to_numpy() * d.amount, -3)
    is_open = world.close > as_of
    # Stage reached at as_of for open deals.
    reached = (world.entry[:, :N_STAGES] <= as_of).sum(axis=1) - 1
    stage = np.where(
        is_open, np.array(STAGES)[np.clip(reached, 0, N_STAGES - 1)], np.where(world.won, "won", "lost")
    )
    tier_dur = pd.Series(company.TIER_DURATION).reindex(tier).to_numpy()
    expected_close = d.created + np.rint(sum(company.STAGE_MEAN_DAYS) * tier_dur * d.estimate_noise).astype(
        np.int64
    )
    leave = day(CAUSE_BY_CODE["rep_departure"].start)
    owner_now = np.where(world.handed_over, org.successor_id, d.owner)
    quoted = world.entry[:, STAGES.index("solution_demo")] <= np.minimum(world.close, as_of)
    opportunities = pd.DataFrame(
        {
            "id": ids,
            "owner_rep_id": owner_now,
            "account_id": d.account,
            "product_id": d.product,
            "amount": amount,
            "discount_pct": np.where(
                quoted & (world.last_stage >= STAGES.index("solution_demo")),
                np.round(world.discount, 1),
                np.nan,
            ),
            "created_date": to_date(d.created),
            "expected_close_date": to_date(expected_close),
            "stage": stage,
            "forecast_category": pd.Series(stage).map(FORECAST_CATEGORY).to_numpy(),
            "closed_date": pd.Series(to_date(world.close)).where(~is_open).to_numpy(),
            "outcome": np.where(is_open, None, np.where(world.won, "won", "lost")),
        }
    )
    visible = d.created <= as_of
    tables: dict[str, pd.DataFrame] = {}
    tables["opportunities"] = opportunities[visible].reset_index(drop=True)
    tables["stage_history"] = _stage_history(ids, world, as_of)[lambda f: f.opportunity_id.isin(ids[visible])]
    tables["ownership_history"] = _ownership(ids, d, world, org, leave)[
        lambda f: f.opportunity_id.isin(ids[visible])
    ]
    tables["activities"] = _activities(rng, ids, d, world, org, as_of, leave)
    tables["annotations"] = _annotations(rng, ids, d, world, org, as_of, owner_now, leave)
    tables["regions"], tables["teams"], tables["reps"] = org.regions, org.teams, org.reps
    tables["accounts"], tables["products"] = org.accounts, org.products
    tables["targets"] = _targets(rng, org, d, amount)
    tables["truth_causes"], tables["truth_cells"] = _truth(org, d, world, amount, tables["targets"])
    return tables


def _stage_history(ids: np.ndarray, w: World, as_of: int) -> pd.DataFrame:
    rows = []
    for i in range(N_STAGES):
        reached = (w.last_stage >= i) & (w.entry[:, i] <= as_of) & (w.entry[:, i] < w.close)
        exited = np.where(w.last_stage == i, w.close, w.entry[:, i + 1])
        rows.append(
            pd.DataFrame(
                {
                    "opportunity_id": ids[reached],
                    "stage": STAGES[i],
                    "entered": w.entry[reached, i],
                    "exited": exited[reached],
                }
            )
        )
    done = w.close <= as_of
    rows.append(
        pd.DataFrame(
            {
                "opportunity_id": ids[done],
                "stage": np.where(w.won[done], "won", "lost"),
                "entered": w.close[done],
                "exited": NEVER,
            }
        )
    )
    f = pd.concat(rows, ignore_index=True)
    out = pd.DataFrame(
        {"opportunity_id": f.opportunity_id, "stage": f.stage, "entered_date": to_date(f.entered.to_numpy())}
    )
    out["exited_date"] = (
        pd.Series(to_date(np.minimum(f.exited.to_numpy(), 10**5)))
        .where(f.exited.to_numpy() <= as_of)
        .to_numpy()
    )
    return out.sort_values(["opportunity_id", "entered_date"], kind="stable").reset_index(drop=True)


def _ownership(ids: np.ndarray, d: Draws, w: World, org: Org, leave: int) -> pd.DataFrame:
    first = pd.DataFrame({"opportunity_id": ids, "rep_id": d.owner, "start_date": to_date(d.created)})
    first["end_date"] = pd.Series(to_date(np.full(len(ids), leave))).where(w.handed_over).to_numpy()
    moved = pd.DataFrame(
        {
            "opportunity_id": ids[w.handed_over],
            "rep_id": org.successor_id,
            "start_date": to_date(np.full(int(w.handed_over.sum()), leave)),
            "end_date": pd.NaT,
        }
    )
    return (
        pd.concat([first, moved], ignore_index=True)
        .sort_values(["opportunity_id", "start_date"])
        .reset_index(drop=True)
    )


def _activities(rng, ids, d: Draws, w: World, org: Org, as_of: int, leave: int) -> pd.DataFrame:
    end = np.minimum(w.close, as_of)
    life = np.maximum(end - d.created, 0)
    rate = 0.075 * np.exp(0.35 * d.quality)
    count = np.minimum(rng.poisson(rate * life), 80)
    deal = np.repeat(np.arange(len(ids)), count)
    when = d.created[deal] + (rng.random(len(deal)) * life[deal]).astype(np.int64)
    # After a handover the customer hears far less from us for 45 days.
    gap = w.handed_over[deal] & (when >= leave) & (when < leave + 45) & (rng.random(len(deal)) < 0.7)
    deal, when = deal[~gap], when[~gap]
    u = rng.random(len(deal))
    kind = np.where(u < 0.45, "call", np.where(u < 0.8, "visit", "meeting"))
    in_solution = (when >= w.entry[deal, STAGES.index("solution_demo")]) & (
        when < w.entry[deal, STAGES.index("budget_approval")]
    )
    kind = np.where((kind != "call") & in_solution & (rng.random(len(deal)) < 0.35), "demo", kind)
    late = (when >= w.entry[deal, STAGES.index("budget_approval")]).astype(float)
    p_exec = 1 / (1 + np.exp(-(-2.3 + 0.9 * d.quality[deal] + 1.0 * late)))
    exec_met = (kind == "meeting") | (kind == "visit")
    exec_met &= rng.random(len(deal)) < p_exec
    others = np.array(["department_head", "equipment_dept", "procurement"])[rng.integers(0, 3, len(deal))]
    role = np.where(
        kind == "call",
        None,
        np.where(exec_met, np.where(rng.random(len(deal)) < 0.6, "president", "finance"), others),
    )
    comp = (w.competitor_day < end) & (w.competitor_day >= d.created)
    deal = np.concatenate([deal, np.flatnonzero(comp)])
    when = np.concatenate([when, w.competitor_day[comp]])
    kind = np.concatenate([kind, np.full(int(comp.sum()), "competitor_quote")])
    role = np.concatenate([role, np.full(int(comp.sum()), None)])
    owner = np.where(w.handed_over[deal] & (when >= leave), org.successor_id, d.owner[deal])
    order = np.lexsort((when, deal))
    out = pd.DataFrame(
        {
            "opportunity_id": ids[deal[order]],
            "rep_id": owner[order],
            "kind": kind[order],
            "activity_date": to_date(when[order]),
            "role_met": role[order],
        }
    )
    out.insert(0, "id", np.arange(1, len(out) + 1, dtype=np.int64))
    return out


def _annotations(rng, ids, d: Draws, w: World, org: Org, as_of: int, owner_now, leave: int) -> pd.DataFrame:
    end = np.minimum(w.close, as_of)
    parts = []
    delay = rng.integers(0, 8, size=(len(ids), 3))
    tender_day = w.entry[:, STAGES.index("tender")]
    for kind, happened, when in (
        ("key_person_changed", w.key_person_recorded, w.key_person_day + delay[:, 0]),
        ("cfo_left", (w.cfo_day < w.close) & (rng.random(len(ids)) < 0.8), w.cfo_day + delay[:, 1]),
        (
            "domestic_clause",
            w.clause & (w.last_stage >= STAGES.index("tender")) & (rng.random(len(ids)) < 0.9),
            tender_day + delay[:, 2] // 2,
        ),
    ):
        keep = happened & (when <= end)
        idx = np.flatnonzero(keep)
        rep = np.where(w.handed_over[idx] & (when[idx] >= leave), org.successor_id, d.owner[idx])
        parts.append(
            pd.DataFrame(
                {
                    "opportunity_id": ids[idx],
                    "rep_id": rep,
                    "kind": kind,
                    "annotated_date": to_date(when[idx]),
                }
            )
        )
    out = (
        pd.concat(parts, ignore_index=True)
        .sort_values(["annotated_date", "opportunity_id"])
        .reset_index(drop=True)
    )
    labels = {
        "key_person_changed": "Decision-chain key person changed",
        "cfo_left": "Customer CFO left",
        "domestic_clause": "Tender adds domestic-brand clause",
    }
    out["note"] = out.kind.map(labels)
    out.insert(0, "id", np.arange(1, len(out) + 1, dtype=np.int64))
    return out


def _quarters() -> list[str]:
    return sorted(set(quarter_of(np.array([day(s) for s in snapshot_dates()]))))


def _targets(rng, org: Org, d: Draws, amount: np.ndarray) -> pd.DataFrame:
    """Planned bookings per team and quarter: what the year plan expected (no planted causes), +-4%."""
    plan = run_world(org, d, frozenset())
    team = org.reps.set_index("id").team_id.reindex(d.owner).to_numpy()
    planned = bookings(plan, d, team, amount)
    rows = [(t, q, planned.get((t, q), 0.0)) for t in org.teams.id for q in _quarters()]
    f = pd.DataFrame(rows, columns=["team_id", "quarter", "amount"])
    f["amount"] = np.round(f.amount * rng.normal(1.0, 0.04, len(f)), -4)
    return f


def _truth(org: Org, d: Draws, actual: World, amount: np.ndarray, targets: pd.DataFrame):
    reps = org.reps.set_index("id")
    team = reps.team_id.reindex(d.owner).to_numpy()
    region = org.teams.set_index("id").region_id.reindex(team).to_numpy()
    owner_now = np.where(actual.handed_over, org.successor_id, d.owner)
    region_of = dict(zip(org.regions.code, org.regions.id, strict=True))
    team_target = targets.set_index(["team_id", "quarter"]).amount
    region_target = (
        targets.assign(region_id=org.teams.set_index("id").region_id.reindex(targets.team_id).to_numpy())
        .groupby(["region_id", "quarter"])
        .amount.sum()
    )
    causes = pd.DataFrame(
        [
            (
                i + 1,
                c.code,
                c.name_en,
                c.name_zh,
                ",".join(c.features),
                c.observable,
                c.start,
                c.end,
                c.description,
            )
            for i, c in enumerate(CAUSES)
        ],
        columns=[
            "id",
            "code",
            "name_en",
            "name_zh",
            "features",
            "observable",
            "start_date",
            "end_date",
            "description",
        ],
    )
    everything = frozenset(c.code for c in CAUSES)
    cells = []
    for cause_id, cause in enumerate(CAUSES, start=1):
        without = run_world(org, d, everything - {cause.code})
        effect = {
            "region": bookings(actual, d, region, amount).sub(
                bookings(without, d, region, amount), fill_value=0.0
            ),
            "team": bookings(actual, d, team, amount).sub(bookings(without, d, team, amount), fill_value=0.0),
            "rep": bookings(actual, d, owner_now, amount).sub(
                bookings(without, d, owner_now, amount), fill_value=0.0
            ),
        }
        rid = region_of[cause.region]
        lo, hi = quarter_of(np.array([day(cause.start)]))[0], quarter_of(np.array([day(cause.end)]))[0]
        quarters = [q for q in _quarters() if lo <= q <= hi]
        teams = org.teams[
            (org.teams.region_id == rid) & ((org.teams.segment == cause.segment) if cause.segment else True)
        ]
        special_rep = {"key_person_unrecorded": org.silent_rep_id, "rep_departure": org.successor_id}.get(
            cause.code
        )
        for q in quarters:
            candidates = [
                (
                    "region",
                    rid,
                    None,
                    None,
                    effect["region"].get((rid, q), 0.0),
                    region_target.get((rid, q), 0.0),
                )
            ]
            candidates += [
                (
                    "team",
                    rid,
                    int(t),
                    None,
                    effect["team"].get((int(t), q), 0.0),
                    team_target.get((int(t), q), 0.0),
                )
                for t in teams.id
            ]
            if special_rep is not None:
                t = int(reps.team_id[special_rep])
                candidates.append(
                    (
                        "rep",
                        rid,
                        t,
                        special_rep,
                        effect["rep"].get((special_rep, q), 0.0),
                        team_target.get((t, q), 0.0) / 4,
                    )
                )
            for level, r, t, rep, eff, base in candidates:
                if base > 0 and abs(eff) >= 0.03 * base:  # material: moved the cell by 3% of its plan or more
                    cells.append(
                        (
                            cause_id,
                            level,
                            r,
                            t,
                            rep,
                            q,
                            round(float(eff), 0),
                            f"{cause.name_en}: bookings {eff / base:+.1%} of plan ({eff:+,.0f} CNY)",
                        )
                    )
    truth_cells = pd.DataFrame(
        cells,
        columns=[
            "cause_id",
            "level",
            "region_id",
            "team_id",
            "rep_id",
            "quarter",
            "effect_bookings",
            "effect_detail",
        ],
    )
    return causes, truth_cells
