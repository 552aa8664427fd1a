"""Schedules that make honest patients arrive together: weekly shifts, courses, own hours.

Why a module of its own: a dialysis shift, a course of physiotherapy or a chronic patient's
fortnightly refill on a fixed weekday brings the same people to the same counter again and
again, and every reading of cards that come together (the lockstep job's blocks, the pairs of
cards swiped together at a pharmacy) must let such a schedule explain it, the same way. Each
reading has a form for many groups at once (``weekly_schedules``, ``at_own_hours``): a pharmacy's
pairs of cards number in the thousands, and reading them one by one took minutes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["weekly_schedule", "weekly_schedules", "on_courses", "at_fixed_hours", "at_own_hours", "COURSE_VISITS",
           "FIXED_HOURS_SPREAD"]

#: the fewest visits to one place that make a course of daily treatment
COURSE_VISITS = 8
#: minutes the middle half of a scheduled card's visits may stray from its own hour over: a
#: patient keeps his slot give or take a quarter of an hour (the middle half of such visits
#: spreads over about twenty minutes); a clerk's sittings start wherever the afternoon allows
FIXED_HOURS_SPREAD = 45


def weekly_schedule(days: pd.Series) -> bool:
    """Whether ``days`` (a block's or a pair's meetings) span four weeks or more and fall on
    three weekdays at most, four in five of them: a weekly schedule's."""
    return bool(weekly_schedules(pd.DataFrame({"group": 0, "day": days.to_numpy()})).iloc[0])


def weekly_schedules(meetings: pd.DataFrame) -> pd.Series:
    """Per ``group`` of ``meetings`` (``group``, ``day``: one row per meeting day), whether its
    days keep a weekly schedule (:func:`weekly_schedule`).

    >>> monday = pd.Timestamp("2024-03-04")
    >>> days = [monday + pd.Timedelta(weeks=w) for w in range(8)] + [monday + pd.Timedelta(days=d) for d in range(8)]
    >>> weekly_schedules(pd.DataFrame({"group": ["weekly"] * 8 + ["daily"] * 8, "day": days})).to_dict()
    {'weekly': True, 'daily': False}
    """
    by = meetings.groupby("group", sort=False)["day"]
    n = by.size()
    span_weeks = (by.max() - by.min()).dt.days / 7
    per_weekday = (meetings.assign(weekday=meetings["day"].dt.day_of_week)
                   .groupby(["group", "weekday"], sort=False).size().sort_values(ascending=False, kind="stable"))
    top3 = per_weekday.groupby(level="group", sort=False).head(3).groupby(level="group", sort=False).sum()
    return (span_weeks >= 4) & (top3.reindex(n.index) >= 0.8 * n) & (n >= 6)


def on_courses(visits: pd.DataFrame) -> bool:
    """Whether most cards of a block come to the place on courses of treatment: of a card's
    visit days there (``visits``: ``person_id``, ``day``), ``COURSE_VISITS`` or more, most
    follow the one before within three days (sessions three times a week, a weekend off).

    Patients on a course of physiotherapy come every working day, or every other, at their
    own hour for weeks, and those whose hours are close arrive together session after
    session: the schedule, not a ring, makes that lockstep. A shop's collected cards are
    swiped on the days the collector comes, a week or more apart.
    """
    days = visits[["person_id", "day"]].drop_duplicates().sort_values(["person_id", "day"])
    gap = days.groupby("person_id")["day"].diff().dt.days
    daily = (gap <= 3).groupby(days["person_id"]).mean()
    enough = days.groupby("person_id").size() >= COURSE_VISITS
    return bool((daily[enough] >= 0.8).sum() > 0.5 * len(daily))


def at_fixed_hours(visits: pd.DataFrame, spread_min: int = FIXED_HOURS_SPREAD, *, sessions: bool = True) -> bool:
    """Whether a block's cards come at their own hours day after day, or (``sessions``) in a
    session that keeps its hours (``visits``: ``person_id``, ``settled_at``): the middle half of
    the visits' times of day, each taken from its card's own median time, within ``spread_min``
    minutes; or the middle half of the days' sittings (the median time of a day's visits, per
    visit) within ``spread_min`` or the span a day's visits take on a typical day, whichever is
    more. A session is a weekly clinic day's; a course of treatment comes by appointment, each
    patient at his own hour, and a block keyed in every evening keeps its evening too.

    Dialysis shifts and physiotherapy appointments keep their hours (each patient's own, give
    or take a quarter of an hour; a centre's afternoon patients and its evening ones alike). A
    township clinic's market-day mornings keep theirs: each patient comes when he can between
    seven and ten, a different half hour each week, and the morning stays where it was, its
    patients as spread within a day as its days are apart. A clerk keying collected cards in
    one sitting starts when the day allows, and every card moves with him: his sittings move
    far more from day to day than the few minutes one of them takes.

    >>> day = pd.Timestamp("2024-03-04")
    >>> at = lambda hours: pd.DataFrame({"person_id": ["a", "b"] * 4, "settled_at": [
    ...     day + pd.Timedelta(days=d // 2, hours=h) for d, h in enumerate(hours)]})
    >>> at_fixed_hours(at([9.0, 15.2, 8.9, 15.1, 9.3, 15.0, 9.1, 15.3]))
    True
    >>> at_fixed_hours(at([14.0, 14.1, 16.5, 16.6, 10.2, 10.3, 15.0, 15.1]))
    False
    >>> at_fixed_hours(at([7.2, 9.8, 9.9, 7.1, 8.0, 8.9, 9.1, 7.6]))  # one morning, whenever in it
    True
    """
    return bool(at_own_hours(visits.assign(group=0), spread_min, sessions=sessions).iloc[0])


def at_own_hours(visits: pd.DataFrame, spread_min: int = FIXED_HOURS_SPREAD, *, sessions: bool = True) -> pd.Series:
    """Per ``group`` of ``visits`` (``group``, ``person_id``, ``settled_at``), whether its cards
    come at their own hours or (``sessions``) in a session that keeps its hours
    (:func:`at_fixed_hours`); a group with no card seen twice does."""
    settled = visits["settled_at"]
    minutes = pd.Series((settled.dt.hour * 60 + settled.dt.minute).to_numpy(dtype=float))
    group = visits["group"].to_numpy()
    by_card = minutes.groupby([group, visits["person_id"].to_numpy()])
    repeat = by_card.transform("size").to_numpy() >= 2
    off = (minutes - by_card.transform("median"))[repeat]
    spread = off.groupby(group[repeat], sort=False)
    own = ((spread.quantile(0.75) - spread.quantile(0.25)) <= spread_min).reindex(pd.unique(group), fill_value=True)
    if not sessions:
        return own
    by_day = minutes.groupby([group, settled.dt.normalize().to_numpy()])
    shared = by_day.transform("size").to_numpy() >= 2
    sitting = by_day.transform("median")[shared].groupby(group[shared], sort=False)
    took = (by_day.transform("max") - by_day.transform("min"))[shared].groupby(group[shared], sort=False).median()
    session = (sitting.quantile(0.75) - sitting.quantile(0.25)) <= np.maximum(took, spread_min)
    return own | session.reindex(pd.unique(group), fill_value=False)
