"""Building blocks the jobs share: bursts in time, facility baselines, members.

A burst is a short window in which one place (a facility, a device) serves
far more distinct cards than its own median day predicts (Poisson tail
against the place's baseline), so a big hospital's morning rush is not a
burst and a small pharmacy's fourteen cards in nine minutes is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from ringscope.communities.model import Candidate, Member
from ringscope.communities.stats import binomial_surprise, poisson_surprise, saturate

__all__ = ["Burst", "find_bursts", "candidate", "OPEN_MINUTES", "BURST_SURPRISE", "top_share", "Focus",
           "place_focus", "FOCUS_SURPRISE", "arrivals_surprise", "arrivals_signal", "ARRIVALS_MARGIN", "close_chance",
           "same_sitting"]

#: minutes a facility is open on a working day, to turn a daily count into a rate
OPEN_MINUTES = 600.0
#: -log10 p a window must reach to be a burst: one false window per ~10^6 tested
BURST_SURPRISE = 6.0
#: -log10 p, after a Bonferroni correction over the facilities tested, for a group to "meet" at a place
FOCUS_SURPRISE = 3.0


#: minutes per bin of a facility's hours (:func:`close_chance`)
HOUR_BIN = 5


def close_chance(claims: pd.DataFrame, window: int) -> pd.Series:
    """Per facility, the chance that two of its visits on one day come within ``window`` minutes
    of each other, each at a time of day drawn from the facility's own (its outpatient and
    pharmacy visits' times, in ``HOUR_BIN``-minute bins); at least an open day's
    ``2 * window / OPEN_MINUTES``.

    A clinic whose patients come between eight and eleven brings two of them within half an
    hour far more often than a pharmacy busy all day: two regulars of its Sunday mornings who
    met there twice met by its hours, not by appointment.

    >>> day = 9 * 1440
    >>> claims = pd.DataFrame({"facility_id": ["morning"] * 4 + ["all day"] * 4, "visit_type": "outpatient",
    ...                        "minute": [day + 540, day + 545, day + 560, day + 570,
    ...                                   day + 480, day + 660, day + 840, day + 1020]})
    >>> close_chance(claims, 30).round(2).to_dict()
    {'morning': 0.92, 'all day': 0.1}
    """
    timed = claims[(claims["visit_type"] != "inpatient") & claims["minute"].notna()]
    facility, names = pd.factorize(timed["facility_id"])
    bins = 1440 // HOUR_BIN
    slot = (timed["minute"].to_numpy(dtype=np.int64) % 1440) // HOUR_BIN
    count = np.bincount(facility * bins + slot, minlength=len(names) * bins).reshape(len(names), bins).astype(float)
    reach = window // HOUR_BIN
    padded = np.pad(count, ((0, 0), (reach, reach)))
    # bins ``reach`` apart hold visits within the window half the time
    near = sum((0.5 if abs(d) == reach else 1.0) * padded[:, reach + d:reach + d + bins]
               for d in range(-reach, reach + 1))
    visits = count.sum(axis=1)
    # pairs of two visits, not a visit with itself
    chance = ((count * near).sum(axis=1) - visits) / np.maximum(visits * (visits - 1), 1.0)
    return pd.Series(np.clip(chance, min(1.0, 2 * window / OPEN_MINUTES), 1.0), index=pd.Index(names))


@dataclass(frozen=True)
class Burst:
    place: str
    start_minute: int
    span_minutes: int
    persons: tuple[str, ...]
    claim_ids: tuple[str, ...]
    surprise: float


def find_bursts(claims: pd.DataFrame, place: str, *, window: int = 30, min_cards: int = 4,
                surprise: float = BURST_SURPRISE) -> list[Burst]:
    """Non-overlapping windows of ``window`` minutes where a place serves surprisingly many cards.

    ``claims`` needs ``place``, ``person_id``, ``claim_id``, ``minute`` and
    ``day``. The expected count in a window is the place's median claims per
    active day spread over ``OPEN_MINUTES``; each person counts once per
    place and day.
    """
    frame = claims.dropna(subset=[place, "minute"]).drop_duplicates([place, "person_id", "day"])
    frame = frame.sort_values([place, "minute"])
    found: list[Burst] = []
    for key, group in frame.groupby(place, sort=False):
        if len(group) < min_cards:
            continue
        per_day = group.groupby("day").size()
        expected = float(per_day.median()) * window / OPEN_MINUTES
        minutes = group["minute"].to_numpy(dtype=np.int64)
        ends = np.searchsorted(minutes, minutes + window, side="left")
        counts = ends - np.arange(len(minutes))
        candidates = np.flatnonzero(counts >= min_cards)
        position = 0
        persons, ids = group["person_id"].to_numpy(), group["claim_id"].to_numpy()
        for start in candidates:
            if start < position:
                continue
            score = poisson_surprise(int(counts[start]), expected)
            if score < surprise:
                continue
            stop = int(ends[start])
            found.append(Burst(str(key), int(minutes[start]), int(minutes[stop - 1] - minutes[start]),
                               tuple(persons[start:stop]), tuple(ids[start:stop]), score))
            position = stop
    return found


def _pairs(groups: np.ndarray) -> float:
    """Pairs of rows sharing a value of ``groups``."""
    counts = np.unique(groups, return_counts=True)[1].astype(float)
    return float((counts * (counts - 1) / 2).sum())


def _close_pairs(groups: np.ndarray, minute: np.ndarray, window: int) -> float:
    """Pairs of rows sharing a value of ``groups`` whose minutes are ``window`` or less apart."""
    order = np.lexsort((minute, groups))
    key = groups[order].astype(np.int64) * 10**9 + (minute[order] - minute.min())
    ends = np.searchsorted(key, key + window, side="right")
    return float((ends - np.arange(len(key)) - 1).sum())


def arrivals_surprise(claims: pd.DataFrame, family_of: Callable[[str], str], window: int) -> float:
    """How surprising it is that a group's cards came to one counter together: of the pairs of
    cards of different families (``family_of``) present the same day, how many came within
    ``window`` minutes of each other, against the share of the open day such a window is
    (Poisson tail). ``claims`` are the group's claims at the place (``person_id`` and
    ``minute``, whole minutes since the epoch; none when the extract has no times).

    A cash-out ring's cards are swiped in sessions, so on the days two of them are there, they
    are there together; customers who share nothing but the place come at any hour.

    >>> claims = pd.DataFrame({"person_id": list("abcabc"),
    ...                        "minute": [600, 605, 611, 900, 903, 910] + np.repeat([0, 9 * 1440], 3)})
    >>> round(arrivals_surprise(claims, lambda pid: pid, 30), 1)
    4.4
    """
    timed = claims["minute"].notna().to_numpy()
    if timed.sum() < 2:
        return 0.0
    person = pd.factorize(claims["person_id"].to_numpy()[timed])[0]
    minute = claims["minute"].to_numpy()[timed].astype(np.int64)
    day = minute // 1440
    # each card once a day, at its first arrival
    order = np.lexsort((minute, day, person))
    first = np.r_[True, (person[order][1:] != person[order][:-1]) | (day[order][1:] != day[order][:-1])]
    keep = order[first]
    family = pd.factorize(np.array([family_of(pid) for pid in pd.Index(claims["person_id"].to_numpy()[timed])[keep]],
                                   dtype=object))[0]
    day, minute = day[keep], minute[keep]
    chance = min(1.0, 2 * window / OPEN_MINUTES)
    # pairs present the same day, less those of one family; and of them, those within the window
    expected = chance * (_pairs(day) - _pairs(day * (family.max() + 1) + family))
    observed = _close_pairs(day, minute, window) - _close_pairs(day * (family.max() + 1) + family, minute, window)
    return poisson_surprise(observed, max(expected, 0.5))


#: surprise (-log10 p, after the correction for the groups tested) that arrivals must pass to count
ARRIVALS_MARGIN = 3.0


def arrivals_signal(claims: pd.DataFrame, family_of: Callable[[str], str], window: int,
                    correction: float) -> float:
    """:func:`arrivals_surprise` as a signal strength in [0, 1): 0 unless it passes
    ``ARRIVALS_MARGIN`` after ``correction`` (log10 of the groups tested), 0.5 five beyond.
    The shop cash-out and the shared-identifier jobs weigh a group's arrivals alike."""
    return saturate(arrivals_surprise(claims, family_of, window) - correction - ARRIVALS_MARGIN, 5.0)


def same_sitting(left: pd.DataFrame, right: pd.DataFrame, window: int, suffix: str = "_other") -> pd.DataFrame:
    """Rows of ``left`` paired with rows of ``right`` (each with ``day`` and ``minute``) on the same
    day within ``window`` minutes of each other, ``right``'s columns named with ``suffix``: one
    sitting at a counter, where an organiser swipes his cards.

    >>> sales = pd.DataFrame({"day": [1, 1, 1, 2], "minute": [600, 620, 700, 610], "card": list("abcd")})
    >>> sorted(map(tuple, same_sitting(sales, sales, 30)[["card", "card_other"]].to_numpy()))
    [('a', 'a'), ('a', 'b'), ('b', 'a'), ('b', 'b'), ('c', 'c'), ('d', 'd')]
    """
    both = left.merge(right, on="day", suffixes=("", suffix))
    return both[(both["minute"] - both[f"minute{suffix}"]).abs() <= window]


def top_share(values: pd.Series) -> tuple[str | None, float]:
    """The most frequent non-missing value and its share of all rows; of equals, the first seen.

    Counted as text: a categorical's counts would list its unseen categories
    and break ties in category order, not in the order the rows came.
    """
    values = values.dropna().astype("string")
    if values.empty:
        return None, 0.0
    counts = values.value_counts()
    return str(counts.index[0]), float(counts.iloc[0] / len(values))


def candidate(job: str, typology: str, *, persons: dict[str, tuple[str, float]],
              practitioners: dict[str, tuple[str, float]] | None = None,
              facilities: dict[str, float] | None = None, signals: dict[str, float],
              facts: dict | None = None, claim_ids=()) -> Candidate:
    """A :class:`Candidate` from ``{id: (role, score)}`` maps per entity type."""
    members: dict[tuple[str, str], Member] = {}
    for pid, (role, score) in persons.items():
        members[("person", pid)] = Member("person", pid, role, round(float(score), 4))
    for pid, (role, score) in (practitioners or {}).items():
        members[("practitioner", pid)] = Member("practitioner", pid, role, round(float(score), 4))
    for fid, score in (facilities or {}).items():
        members[("facility", fid)] = Member("facility", fid, "facility", round(float(score), 4))
    return Candidate(job, typology, members, {k: round(float(v), 4) for k, v in signals.items() if v > 0},
                     dict(facts or {}), frozenset(str(c) for c in claim_ids))


@dataclass(frozen=True)
class Focus:
    """The facility where a group of persons meets more than chance allows, and the staff serving them there."""

    facility: str | None
    persons: int
    surprise: float
    staff: str | None = None


def place_focus(claims: pd.DataFrame, persons: set[str], claimants: pd.Series) -> Focus:
    """The facility visited by surprisingly many of ``persons``.

    Each facility's reach is its share of all claimants (``claimants``:
    distinct persons per facility, over the
    number of persons with a claim, given as ``claimants.attrs["total"]``);
    the number of the group's persons seen there is a binomial draw from
    that reach, and the tail is corrected for the number of facilities the
    group visits (Bonferroni, ``-log10`` of the count subtracted). A village
    clinic that the whole village visits has a high reach and stays
    unsurprising; a shop that five strangers all visit does not.

    >>> claims = pd.DataFrame({"person_id": list("abcde"), "facility_id": ["F"] * 5,
    ...                        "practitioner_id": ["S"] * 5})
    >>> reach = pd.Series({"F": 10}); reach.attrs["total"] = 10_000
    >>> focus = place_focus(claims, set("abcde"), reach)
    >>> focus.facility, focus.staff, focus.surprise > FOCUS_SURPRISE
    ('F', 'S', True)
    """
    mine = claims[claims["person_id"].isin(persons)]
    if mine.empty or not persons:
        return Focus(None, 0, 0.0)
    seen = mine.groupby("facility_id")["person_id"].nunique()
    total = max(int(claimants.attrs.get("total", claimants.sum())), 1)
    correction = float(np.log10(max(len(seen), 1)))
    best, best_score = None, 0.0
    for facility, count in seen.items():
        reach = float(claimants.get(facility, count)) / total
        score = binomial_surprise(int(count), len(persons), reach) - correction
        if score > best_score:
            best, best_score = str(facility), score
    if best is None:
        return Focus(None, 0, 0.0)
    staff, share = top_share(mine.loc[mine["facility_id"] == best, "practitioner_id"])
    return Focus(best, int(seen[best]), round(best_score, 3), staff if share >= 0.5 else None)
