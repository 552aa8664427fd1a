"""Cards that keep turning up in a counter's bursts: a shop swiping whichever of its collected
cards it holds that week, against a market day's rush and a screening morning."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ringscope.communities.bursts import _bursts
from ringscope.communities.context import build_context
from ringscope.communities.job_lockstep import lockstep_job

from ringscope.communities.pipeline import detect_tables

from .test_jobs import FLAG, flagged, members
from .world import World

SITTINGS = (9, 23, 37, 52, 66, 80, 95, 109, 124, 138, 152, 167, 181, 195, 210, 224, 238, 253, 267, 281)


def _sittings(w: World, cards: list[str], *, place: str = "P2", per_sitting: int = 8, seed: int = 1) -> None:
    """At ``place``, among its sixty regulars' ordinary trade (a dozen visits each at any hour of
    the open day), on each of ``SITTINGS``, ``per_sitting`` of ``cards`` drawn afresh, two minutes apart."""
    rng = np.random.default_rng(seed)
    for i in range(60):
        pid = w.person(f"REG{i:02d}", household=f"REGH{i}")
        for day in rng.choice(360, 12, replace=False):
            w.claim(pid, place, w.at(int(day), int(rng.integers(0, 600))), amount=60.0, lines=[("X01", 1.0, 20.0)])
    for day in SITTINGS:
        start = int(rng.integers(60, 480))
        for k, card in enumerate(rng.choice(cards, per_sitting, replace=False)):
            w.claim(str(card), place, w.at(day, start + 2 * k), amount=900.0, lines=[("EXPENSIVE", 10.0, 90.0)])


def _only_claims(w: World):
    """Rings flagged in the world's four required tables alone (no fee lines, identifiers or stock)."""
    return [r for r in detect_tables(w.tables(optional=False), seed=3).rings if r.score >= FLAG]


def _lockstep_blocks(w: World):
    ctx = build_context(w.tables())
    return [c for c in lockstep_job(ctx, [], seed=3).candidates if c.signals.get("lockstep", 0) > 0]


def test_a_shop_swiping_a_few_of_its_collected_cards_at_each_sitting_is_one_block():
    """Thirty strangers' cards, eight of them at each of twenty sittings: a pair meets about once or
    twice, so only the cards' own return to the bursts makes them one block."""
    w = World()
    cards = [w.person(f"Q{i:02d}", household=f"QH{i}") for i in range(30)]
    _sittings(w, cards)
    blocks = _lockstep_blocks(w)
    best = max((len(c.persons() & set(cards)) for c in blocks), default=0)
    assert best >= 24


def test_a_shop_swiping_its_collected_cards_with_a_ledger_that_does_not_add_up_is_cash_out():
    w = World()
    w.stock_everything()  # the ledger as it stood before the shop's sittings: none of them was bought
    w.keep_stock = True
    cards = [w.person(f"Q{i:02d}", household=f"QH{i}") for i in range(30)]
    _sittings(w, cards)
    rings = [r for r in flagged(w) if r.typology == "card_cashout" and "P2" in members(r)]
    assert rings and max(len(members(r) & set(cards)) for r in rings) >= 24


def test_a_market_day_rush_of_regulars_is_no_burst():
    """Forty regulars who come on Saturday mornings between nine and ten: every Saturday's rush is a
    burst, and a regular's visits fall in it as everyone's do."""
    w = World()
    rng = np.random.default_rng(5)
    regulars = [w.person(f"R{i:02d}", household=f"RH{i}") for i in range(40)]
    saturdays = [5 + 7 * week for week in range(50)]
    for pid in regulars:
        for day in rng.choice(saturdays, 12, replace=False):
            w.claim(pid, "P2", w.at(int(day), 60 + int(rng.integers(0, 45))), amount=60.0)
    assert not any(set(regulars) & c.persons() for c in _lockstep_blocks(w))


def test_a_screening_morning_is_no_block():
    """Sixty persons screened at one clinic in one morning: one burst, which nobody returns to."""
    w = World()
    screened = [w.person(f"S{i:02d}", household=f"SH{i}") for i in range(60)]
    for k, pid in enumerate(screened):
        w.claim(pid, "C1", w.at(120, 30 + 3 * k), amount=40.0)
    assert not any(set(screened) & c.persons() for c in _lockstep_blocks(w))


def test_a_pharmacy_whose_regulars_come_when_it_opens_is_no_block():
    """A hundred and fifty regulars, each on twelve days of the year in the first forty minutes
    after opening: the morning crowd is a burst every day, so a regular's visits fall in bursts
    no more often than anyone's."""
    w = World()
    rng = np.random.default_rng(6)
    regulars = [w.person(f"R{i:03d}", household=f"RH{i}") for i in range(150)]
    for pid in regulars:
        for day in rng.choice(360, 12, replace=False):
            w.claim(pid, "P2", w.at(int(day), int(rng.integers(0, 40))), amount=60.0)
    assert not any(set(regulars) & c.persons() for c in _lockstep_blocks(w))


def test_a_pharmacy_swiping_dormant_cards_in_sittings_is_cash_out_from_the_claims_alone():
    """Thirty cards of people who claim nowhere else, swiped at a pharmacy in sittings, in an extract
    of the four required tables: the bursts and the dormant cards are two tells of a cash-out."""
    w = World()
    cards = [w.person(f"Q{i:02d}", household=f"QH{i}") for i in range(30)]
    _sittings(w, cards)
    rings = [r for r in _only_claims(w) if "P2" in members(r)]
    assert rings and rings[0].typology == "card_cashout" and len(members(rings[0]) & set(cards)) >= 24


def test_bills_keyed_in_sittings_at_a_clinic_for_people_seen_nowhere_else_are_fictitious_services():
    w = World()
    patients = [w.person(f"Q{i:02d}", household=f"QH{i}") for i in range(30)]
    _sittings(w, patients, place="C1")
    rings = [r for r in _only_claims(w) if "C1" in members(r)]
    assert rings and rings[0].typology == "fictitious_services"


def test_shifts_on_two_days_with_no_trade_between_are_two_bursts():
    """A dialysis centre sees nobody but its shifts: Monday evening's five and Tuesday afternoon's
    five, with no visit between them, are two crowds, not one run of crowds a day long (which
    made every Monday patient a burst-mate of every Tuesday patient)."""
    minutes = [day * 1440 + start + 3 * k for day, start in ((0, 1200), (1, 960)) for k in range(5)]
    units = pd.DataFrame({"f": 0, "minute": minutes})
    assert _bursts(units, 30, np.full(len(units), 4)).tolist() == [0] * 5 + [1] * 5
