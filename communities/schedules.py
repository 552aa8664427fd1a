"""Schedules that make honest patients arrive together: weekly shifts, courses, own hours.

Why a module of its own: a dialysis shift, a course of physiotherapy or a chronic patient's
fortnightly refill on a fixed weekday brings the same people to the same counter again and
again; the lockstep job lets such a schedule explain its blocks, and a reading of pairs of
cards swiped together at a pharmacy should be able to do the same, the same way.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["weekly_schedule", "on_courses", "at_fixed_hours", "COURSE_VISITS", "FIXED_HOURS_SPREAD"]

#: the fewest visits to one place that make a course of daily treatment
COURSE_VISITS = 8
#: minutes the middle half of a scheduled card's visits may stray from its own hour over: a
#: patient keeps his slot give or take a quarter of an hour (the middle half of such visits
#: spreads over about twenty minutes); a clerk's sittings start wherever the afternoon allows
FIXED_HOURS_SPREAD = 45


def weekly_schedule(days: pd.Series) -> bool:
    """Whether ``days`` (a block's or a pair's meetings) span four weeks or more and fall on
    three weekdays at most, four in five of them: a weekly schedule's."""
    weekdays = days.dt.day_of_week.value_counts()
    span_weeks = (days.max() - days.min()).days / 7
    return span_weeks >= 4 and weekdays.head(3).sum() >= 0.8 * len(days) and len(days) >= 6


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


def at_fixed_hours(visits: pd.DataFrame, spread_min: int = FIXED_HOURS_SPREAD) -> bool:
    """Whether a block's cards come at their own hours day after day (``visits``: ``person_id``,
    ``settled_at``): the middle half of the visits' times of day, each taken from its card's own
    median time, within ``spread_min`` minutes.

    Dialysis shifts and physiotherapy appointments keep their hours (each patient's own, give
    or take a quarter of an hour; a centre's afternoon patients and its evening ones alike); a
    clerk keying collected cards in one sitting starts when the day allows, and every card
    moves with him.

    >>> day = pd.Timestamp("2024-03-04")
    >>> at = lambda hours: pd.DataFrame({"person_id": ["a", "b"] * 4, "settled_at": [
    ...     day + pd.Timedelta(days=d // 2, hours=h) for d, h in enumerate(hours)]})
    >>> at_fixed_hours(at([9.0, 15.2, 8.9, 15.1, 9.3, 15.0, 9.1, 15.3]))
    True
    >>> at_fixed_hours(at([14.0, 14.1, 16.5, 16.6, 10.2, 10.3, 15.0, 15.1]))
    False
    """
    settled = visits["settled_at"]
    minutes = settled.dt.hour * 60 + settled.dt.minute
    card = visits["person_id"].to_numpy()
    repeat = minutes.groupby(card).transform("size").to_numpy() >= 2
    if not repeat.any():
        return True
    off = (minutes - minutes.groupby(card).transform("median"))[repeat]
    return float(off.quantile(0.75) - off.quantile(0.25)) <= spread_min
