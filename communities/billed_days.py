"""Whether a template's outpatient bills came on the same days for different patients, beyond chance.

Why: a clinic billing visits nobody made keys its patients in sittings, on a
few billing days, each patient on some of them; real patients come on their
own days. Times of day show the sittings best (the lockstep job reads them),
but many extracts give the settlement date alone. By days only, patients on
daily courses (a rehabilitation centre's) also meet day after day, because
each comes every day of his course, and patients on one schedule (dialysis on
Mondays, Wednesdays and Fridays) meet at every session. So each patient's
bills are weighed against his own span and his own weekdays: under chance,
each of his bills falls on a day between his first and his last bill, of the
same weekday as the bill, in proportion to the facility's traffic that day
(its closures and seasons included); the expected pairs of bills of two
patients on one day follow, and the observed pairs are compared with them
(Poisson tail). A course fills its span and a schedule its weekdays, and they
meet others as often as those let them; a sitting's patients meet on the
billing days far more often.

Patients of one household are not paired (a nursing home's residents at one
address, seen on the doctor's round, a couple who come together), and one
crowd is one event: nothing unless patients meet on days more than two days
apart (:func:`_meetings_recur`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ringscope.communities.stats import poisson_surprise

__all__ = ["billed_together"]


def _meetings_recur(days: np.ndarray, households: np.ndarray) -> bool:
    """Whether patients of two households or more met on days more than two days apart."""
    frame = pd.DataFrame({"day": days, "household": households})
    met = np.sort(frame.groupby("day")["household"].nunique().pipe(lambda s: s.index[s >= 2]).to_numpy())
    return len(met) >= 2 and bool(met[-1] - met[0] > 2)


def _pairs(frame: pd.DataFrame, value: str) -> float:
    """Pairs, per day, of ``value`` summed over units of different households."""
    by_day = frame.groupby("day")[value].sum()
    by_household = frame.groupby(["day", "household"])[value].sum()
    same = (by_household ** 2).groupby(level="day").sum()
    return float(((by_day ** 2 - same) / 2).sum())


def _chance_pairs(weight: np.ndarray, first: np.ndarray, last: np.ndarray, rate: np.ndarray,
                  households: np.ndarray) -> float:
    """Expected same-day pairs of bills of different households, each patient's expected bills on
    day d being ``rate * weight[d]`` from his ``first`` to his ``last`` day: the sums over patients
    (of rates, of their squares, and of the cross terms of one household's patients) are kept as
    difference arrays, so the cost is one pass over the days."""
    total, squares, within = (np.zeros(len(weight) + 1) for _ in range(3))
    np.add.at(total, first, rate)
    np.add.at(total, last + 1, -rate)
    np.add.at(squares, first, rate ** 2)
    np.add.at(squares, last + 1, -rate ** 2)
    for members in pd.Series(range(len(households))).groupby(households).indices.values():
        for a_index, a in enumerate(members):
            for b in members[a_index + 1:]:
                start, end = max(first[a], first[b]), min(last[a], last[b])
                if start <= end:
                    within[start] += 2 * rate[a] * rate[b]
                    within[end + 1] -= 2 * rate[a] * rate[b]
    summed, squared, crossed = (np.cumsum(array)[:-1] for array in (total, squares, within))
    return float((weight ** 2 * (summed ** 2 - squared - crossed)).sum() / 2)


def billed_together(days: np.ndarray, persons: np.ndarray, households: np.ndarray, traffic: pd.Series) -> float:
    """The Poisson surprise of the same-day pairs of bills of patients of different households.

    ``days``, ``persons`` and ``households`` describe each bill (day numbers); ``traffic``
    is the facility's claims per day number. The expected pairs: each patient's bills
    spread over his own span in proportion to the traffic.

    >>> traffic = pd.Series(10.0, index=range(200))
    >>> sittings = [d for d in (20, 31, 47, 60, 75) for _ in range(4)]
    >>> persons = np.array([f"P{i % 4}" for i in range(20)])
    >>> round(billed_together(np.array(sittings), persons, persons, traffic), 1) > 5
    True
    >>> courses = np.array([start + i for start in (20, 30, 40, 50) for i in range(15)])
    >>> four = np.repeat(["A", "B", "C", "D"], 15)
    >>> billed_together(courses, four, four, traffic) < 1
    True
    >>> dialysis = np.array([7 * week + weekday for week in range(5) for weekday in (4, 6, 8)] * 4)
    >>> billed_together(dialysis, four, four, traffic) < 1
    True
    """
    days = np.asarray(days, dtype=np.int64)
    if len(days) < 2 or not _meetings_recur(days, households):
        return 0.0
    low = int(min(days.min(), traffic.index.min()))
    weight = np.zeros(int(max(days.max(), traffic.index.max())) - low + 1)
    weight[traffic.index.to_numpy(dtype=np.int64) - low] = traffic.to_numpy(dtype=float)
    bills = pd.DataFrame({"day": days - low, "person": persons, "household": households})
    span = bills.groupby("person").agg(first=("day", "min"), last=("day", "max"), household=("household", "first"))
    bills["weekday"] = (bills["day"] + low + 3) % 7  # day 0 of the epoch was a Thursday
    share = bills.groupby(["person", "weekday"]).size().rename("n").reset_index()
    share = share.join(span[["first", "last", "household"]], on="person")
    weekday_of = (np.arange(len(weight)) + low + 3) % 7
    day_weight = [np.where(weekday_of == k, weight, 0.0) for k in range(7)]
    chance = 0.0
    for k, part in share.groupby("weekday"):
        # each patient's bills of this weekday over its days in his span, in proportion to traffic
        cumulative = np.concatenate([[0.0], np.cumsum(day_weight[k])])
        first, last = part["first"].to_numpy(), part["last"].to_numpy()
        rate = part["n"].to_numpy() / np.maximum(cumulative[last + 1] - cumulative[first], 1e-12)
        chance += _chance_pairs(day_weight[k], first, last, rate, part["household"].to_numpy())
    observed = _pairs(bills.assign(one=1.0), "one")
    return poisson_surprise(observed, max(chance, 1e-9))
