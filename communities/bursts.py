"""Visits at quiet counters, and the cards that keep turning up in a counter's bursts.

Why a second way to lockstep beside the pairs of :mod:`job_lockstep`: a shop
cashing out dozens of cards swipes, at each sitting, whichever of them its
collector holds that week: ten cards in a quarter of an hour, another ten the
next time. Any one pair of those cards meets once or twice in a year, as two
regulars of the shop do, so no pair repeats beyond chance and the pair test
sees only the few cards that happened to meet three times. The block shows
from each card's side instead (the card x (place, window) graph's dense
rows, as in FRAUDAR, Hooi et al., KDD 2016):

- a *burst* is a window of ``window_min`` minutes at one place holding
  ``k`` households or more, ``k`` the smallest count the place's ordinary
  traffic (its median day's households, spread over the open day) reaches in
  a window with probability below ``burst_p`` (Poisson), and never below
  ``min_households``; a family's errand counts once (households, not cards);
- a card *keeps turning up* in bursts when, of its days at the place, two or
  more fall in bursts and so many that the Poisson tail against the chances of
  its visits landing in one (the place's share of visits in bursts at each
  visit's hour of the day: a clinic's mornings are crowded every day) is below
  ``10 ** -card_surprise``; an honest regular lands in bursts at that share
  however often he comes. This only picks the cards worth joining: whether
  they are a block is the block's own test in :func:`job_lockstep.lockstep_job`,
  corrected for the blocks tested;
- two such cards in one burst are an edge of the place's block.

The blocks themselves are scored by :func:`job_lockstep.lockstep_job` as the
pairs' blocks are (co-arrivals against chance, schedules explained away).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as _st

from ringscope.communities.evidence import OPEN_MINUTES
from ringscope.communities.stats import poisson_surprise

__all__ = ["QuietVisits", "quiet_visits", "burst_edges", "BURST_PARAMS"]

BURST_PARAMS = {"burst_p": 0.01, "min_households": 4, "card_surprise": 1.3, "min_bursts": 2}


@dataclass(frozen=True)
class QuietVisits:
    """First visit of each card per place and day, at places quiet enough for arrivals to mean
    something, sorted by place and minute; ``f``, ``p`` and ``home`` are integer codes into
    ``facilities``, ``persons`` (sorted, so a smaller code is a smaller id) and households."""

    frame: pd.DataFrame  # f, p, home, minute, day
    facilities: pd.Index
    persons: pd.Index


def quiet_visits(claims: pd.DataFrame, household: dict[str, str], *, window: int,
                 max_cards_per_window: float) -> QuietVisits:
    """The non-inpatient visits of ``claims`` at places whose median day brings at most
    ``max_cards_per_window`` cards to a window of ``window`` minutes (a big hospital's outpatient
    hall is not tested: arriving together there says nothing); ``household`` maps a person to
    his unit (household or family), persons not in it are their own."""
    seen = (claims["visit_type"] != "inpatient") & claims["minute"].notna() & claims["facility_id"].notna() \
        & claims["person_id"].notna()
    # integer codes, not millions of strings, through every sort and dedupe
    visited = claims.loc[seen, ["facility_id", "person_id", "minute", "day"]]
    facility, facilities = pd.factorize(visited["facility_id"])
    person, persons = pd.factorize(visited["person_id"], sort=True)
    visits = pd.DataFrame({"f": facility, "p": person, "minute": visited["minute"].to_numpy(dtype=np.int64),
                           "day": visited["day"].to_numpy()})
    del visited
    visits = visits.sort_values("minute").drop_duplicates(["f", "p", "day"])
    busy = visits.groupby(["f", "day"]).size().groupby(level="f").median()
    quiet = busy.index[busy * window / OPEN_MINUTES <= max_cards_per_window]
    visits = visits[visits["f"].isin(quiet)].sort_values(["f", "minute"], kind="stable")
    homes = pd.factorize(np.array([household.get(pid, pid) for pid in persons], dtype=object))[0] \
        if len(persons) else np.zeros(0, dtype=np.int64)
    visits["home"] = homes[visits["p"].to_numpy()] if len(visits) else visits["p"]
    # as Python strings: lookups in Arrow-backed indexes convert them all again each time
    return QuietVisits(visits.reset_index(drop=True), pd.Index(np.asarray(facilities, dtype=object), dtype=object),
                       pd.Index(np.asarray(persons, dtype=object), dtype=object))


def window_key(visits: pd.DataFrame, window: int) -> np.ndarray:
    """Minutes offset per place so that no window ever spans two places (``visits`` sorted by place, minute)."""
    return visits["minute"].to_numpy(dtype=np.int64) + visits["f"].to_numpy().astype(np.int64) * (10 * window + 10**9)


def _ordinary_traffic(units: pd.DataFrame, window: int, p: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per unit visit, its place's ordinary households per window (its median day's, spread over the
    open day) and the households in one window that this traffic reaches with chance below ``burst_p``."""
    rate = units.groupby(["f", "day"]).size().groupby(level="f").median() * window / OPEN_MINUTES
    rate = rate.reindex(units["f"].to_numpy()).to_numpy()
    return rate, np.maximum(_st.poisson.isf(p["burst_p"], rate) + 1, p["min_households"])


def _bursts(units: pd.DataFrame, window: int, needed: np.ndarray) -> np.ndarray:
    """Per unit visit (one per household, place and day; sorted by place, minute), the id of the burst
    it falls in, -1 for none; ``needed``: per unit visit, its place's households that make a burst."""
    key = window_key(units, window)
    ends = np.searchsorted(key, key + window, side="right")
    counts = ends - np.arange(len(key))
    starts = np.flatnonzero(counts >= needed)
    # positions covered by any burst window: +1 where a window opens, -1 after it closes
    cover = np.zeros(len(key) + 1, dtype=np.int64)
    np.add.at(cover, starts, 1)
    np.add.at(cover, ends[starts], -1)
    covered = np.cumsum(cover[:-1]) > 0
    # a burst is a run of covered visits each within a window of the one before: at a place where
    # every visit falls in a burst (a dialysis centre's shifts) the next day's is another burst
    apart = np.diff(key, prepend=key[:1] - window - 1) > window
    opened = covered & (~np.concatenate([[False], covered[:-1]]) | apart)
    return np.where(covered, np.cumsum(opened) - 1, -1)


def _landing_chance(units: pd.DataFrame, rate: np.ndarray, needed: np.ndarray) -> np.ndarray:
    """Per unit visit, the chance that a visit at its place and hour of the day falls in a burst.

    By the hour: a clinic's mornings and a pharmacy's evenings are crowded every day, and
    their regulars land in bursts for that alone. Never below the chance that the window after
    a visit holds ``needed - 1`` more households of its place's ordinary traffic (``rate`` per
    window).
    """
    hour = (units["minute"].to_numpy() // 60) % 24
    covered = (units["burst"] >= 0).to_numpy()
    cell = units["f"].to_numpy().astype(np.int64) * 24 + hour
    seen, landed = np.bincount(cell), np.bincount(cell, weights=covered)
    by_hour = (landed / np.maximum(seen, 1))[cell]
    return np.maximum(by_hour, _st.poisson.sf(needed - 2, rate))


def burst_edges(visits: QuietVisits, *, window: int, params: dict | None = None,
                lent: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Pairs of cards that keep turning up in a place's bursts and met in one (module docstring):
    ``facility_id``, ``person_a`` < ``person_b``, ``surprise`` (the bursts they shared).

    A lender's cards turn up in bursts wherever he carries them: cards that keep turning up in
    bursts at two places or more, and those the shared-identifier job found roaming (``lent``),
    are his ring, which that job finds tied, so they are no edges here; a shop's cash-out is one
    shop's."""
    p = {**BURST_PARAMS, **(params or {})}
    empty = pd.DataFrame({"facility_id": [], "person_a": [], "person_b": [], "surprise": []})
    units = visits.frame.drop_duplicates(["f", "home", "day"]).reset_index(drop=True)
    if units.empty:
        return empty
    rate, needed = _ordinary_traffic(units, window, p)
    units["burst"] = _bursts(units, window, needed)
    units["chance"] = _landing_chance(units, rate, needed)
    in_burst = units[units["burst"] >= 0]
    expected = units.groupby(["f", "p"])["chance"].sum().rename("expected")
    landed = in_burst.groupby(["f", "p"])["burst"].nunique().rename("bursts")
    tested = pd.concat([landed, expected], axis=1, join="inner")
    tested = tested[tested["bursts"] >= p["min_bursts"]]
    if tested.empty:
        return empty
    tested["surprise"] = [poisson_surprise(int(m), float(e)) for m, e in zip(tested["bursts"], tested["expected"])]
    significant = tested[tested["surprise"] >= p["card_surprise"]]
    places = significant.groupby(level="p").size()
    roaming = places.index[places > 1]
    keep = significant.index[~significant.index.get_level_values("p").isin(roaming)
                             & ~visits.persons[significant.index.get_level_values("p")].isin(lent)]
    if not len(keep):
        return empty
    members = in_burst.set_index(["f", "p"]).loc[lambda f: f.index.isin(keep)].reset_index()[["f", "p", "burst"]]
    pairs = members.merge(members, on=["f", "burst"])
    pairs = pairs[pairs["p_x"] < pairs["p_y"]]
    shared = pairs.groupby(["f", "p_x", "p_y"]).size().rename("surprise").reset_index()
    return pd.DataFrame({"facility_id": visits.facilities[shared["f"].to_numpy()].astype(str),
                         "person_a": visits.persons[shared["p_x"].to_numpy()].astype(str),
                         "person_b": visits.persons[shared["p_y"].to_numpy()].astype(str),
                         "surprise": shared["surprise"].to_numpy(dtype=float)})
