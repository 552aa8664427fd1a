"""When a doctor-pharmacy pair's fills came: an arrangement's months against the doctor's year."""

from __future__ import annotations

import pandas as pd

from ringscope.communities.flow_weeks import FlowTimes
from ringscope.communities.inflation_weeks import InflationTimes
from ringscope.communities.job_flow import PARAMS

DAY0 = pd.Timestamp("2024-01-01")


def _year(pair_days: list[int], *, patients: list[str] = ("V0", "V1", "V2", "V3", "V4"), doctor_from: int = 1,
          pharmacy_from: int = 1, visits_every: int = 2) -> FlowTimes:
    """Doctor D0 sees patients at clinic K0 every ``visits_every`` days from ``doctor_from``, and
    the pair's patients on the days they fill; doctors D1-D4 send fills to pharmacy P3 every third
    day from ``pharmacy_from``; the pair D0 -> P3 fills on ``pair_days``, ``patients`` taking turns."""
    fills = [(f"Q{i % 40}", f"D{j}", "P3", day) for j in range(1, 5)
             for i, day in enumerate(range(pharmacy_from, 366, 3))]
    fills += [(patients[k % len(patients)], "D0", "P3", day) for k, day in enumerate(pair_days)]
    visits = [(f"R{i % 90}", "D0", "K0", day) for i, day in enumerate(range(doctor_from, 366, visits_every))]
    visits += [(patients[k % len(patients)], "D0", "K0", day) for k, day in enumerate(pair_days)]
    return _times(_frame(fills), _frame(visits))


def _times(fills: pd.DataFrame, visits: pd.DataFrame) -> FlowTimes:
    """The fills' times, the doctor's claims being his visits and his fills."""
    return FlowTimes(fills, pd.concat([visits, fills], ignore_index=True), InflationTimes(fills.assign(high=False)))


def _frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["person_id", "practitioner_id", "facility_id", "day"])
    return frame.assign(settled_at=DAY0 + pd.to_timedelta(frame["day"], unit="D") + pd.Timedelta(hours=10))


def test_steering_that_began_one_day_is_crowded_into_its_months():
    """Sixteen fills of five patients from day 150 to day 210, while the doctor saw patients and the
    pharmacy filled for others all year: an arrangement's two months."""
    run = _year(list(range(150, 214, 4))).crowded("D0", "P3")
    assert run is not None and run.surprise >= PARAMS["crowded_surprise"] + 2
    assert run.fills >= 14 and run.days <= 61


def test_a_quiet_doctors_visits_with_the_steered_patients_do_not_hide_their_months():
    """A doctor who sees other patients once a fortnight: the steered patients' visits, on their
    fill days, are most of his claims in the arrangement's months, and would make those months
    his busiest; they are the arrangement's, not his practice's."""
    run = _year(list(range(150, 214, 4)), visits_every=14).crowded("D0", "P3")
    assert run is not None and run.surprise >= PARAMS["crowded_surprise"] + 2


def test_a_pharmacy_next_door_filling_all_year_is_no_crowd():
    """The same sixteen fills spread over the year, as the doctor's visits are."""
    run = _year(list(range(10, 360, 22))).crowded("D0", "P3")
    assert run is None or run.surprise < PARAMS["crowded_surprise"]


def test_a_doctor_who_joined_in_the_autumn_sends_his_fills_then():
    """The doctor saw patients only from day 280; his sixteen fills at P3 came then too."""
    run = _year(list(range(282, 362, 5)), doctor_from=280).crowded("D0", "P3")
    assert run is None or run.surprise < PARAMS["crowded_surprise"]


def test_a_pharmacy_that_opened_in_july_gets_its_fills_from_july():
    """The pharmacy filled nothing before day 180; the doctor's fills there spread over its months."""
    run = _year(list(range(185, 362, 11)), pharmacy_from=180).crowded("D0", "P3")
    assert run is None or run.surprise < PARAMS["crowded_surprise"]


def test_one_patients_course_of_weekly_fills_is_no_arrangement():
    """Sixteen weekly fills crowd into four months, but they are one patient's (two more patients
    filled there once, months apart): no run holds three patients' crowded fills."""
    days = list(range(150, 262, 7)) + [30, 330]
    run = _year(days, patients=["V0"] * 16 + ["V8", "V9"]).crowded("D0", "P3")
    assert run is None or run.surprise < PARAMS["crowded_surprise"]


def test_a_doctor_whose_other_claims_fell_in_spring_is_weighed_at_least_by_the_calendar():
    """Every one of the doctor's two hundred patients fills at P3, six hundred fills spread over the
    year and twice the usual in three days of July; his thirty claims without a fill there, and the
    pharmacy's twenty fills for another doctor, all fell in spring. Against those alone, July holds
    nothing and its fills would read as a crowd; a run holds at least its share of the calendar."""
    patients = [f"V{i}" for i in range(200)]
    days = [1 + i * 365 // 600 for i in range(600)] + [200 + i % 3 for i in range(5)]
    fills = [(patients[k % 200], "D0", "P3", day) for k, day in enumerate(days)]
    fills += [(f"Q{i}", "D1", "P3", 70 + i) for i in range(20)]
    visits = [(patients[k % 200], "D0", "K0", day) for k, day in enumerate(days)]
    visits += [(f"R{k}", "D0", "K0", 60 + k) for k in range(30)]
    run = _times(_frame(fills), _frame(visits)).crowded("D0", "P3")
    assert run is None or run.surprise < PARAMS["crowded_surprise"]
