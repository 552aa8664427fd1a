"""When a doctor-pharmacy pair's fills came: crowded into some months of the doctor's year.

Why: a doctor and a pharmacy who agree to steer prescriptions do so from some
week on, for a few months; a doctor whose patients fill at the pharmacy next
door sends them there all year, as often as he sees patients. The flow test
(:mod:`ringscope.communities.job_flow`) counts the pair's fills and never
looks at when they came, so when is a second, independent line of evidence
for a pair whose flow stands out.

Among the pair's fill days, each run from one to a later one is weighed: how
many of the pair's fills fell in it (other than the two it begins and ends
at, which are how it was chosen), against the share of them it would hold by
chance: the largest of the run's share of the extract's days, of the doctor's
other claims (when he saw patients: a doctor who joined in the autumn sends
all his fills then; not the visits that came with the pair's fills, on the
same days) and of the pharmacy's fills for other doctors (a pharmacy that
opened in July fills nothing before), each drawn towards the run's share of
the days where its claims are few. The strongest run that holds the fills of
``MIN_PATIENTS`` patients or more counts (one patient's weekly fills over a
short course crowd into weeks too), corrected for the runs weighed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ringscope.communities.inflation_weeks import NS_PER_DAY, InflationTimes

__all__ = ["FlowRun", "FlowTimes", "MIN_PATIENTS"]

#: claims a reference's share of a run is drawn towards the run's share of the extract's days with
PRIOR_CLAIMS = 5
#: the fewest patients whose fills a run holds: one patient's course is no arrangement
MIN_PATIENTS = 3
#: the strongest runs looked at for enough patients, strongest first
RUNS_LOOKED_AT = 20


@dataclass(frozen=True)
class FlowRun:
    """The pair's run of fill days that holds its fills most unexpectedly."""

    surprise: float  # -log10 of the binomial tail, less log10 of the runs weighed
    fills: int       # the pair's fills in the run
    share: float     # the share of them the run would hold by chance
    days: int        # from the run's first fill day to its last, both counted


def _days(settled: pd.Series) -> np.ndarray:
    """Day numbers of timestamps (NaN where unknown)."""
    days = np.floor(settled.to_numpy(dtype="datetime64[ns]").astype(np.int64) / NS_PER_DAY)
    return np.where(settled.isna().to_numpy(), np.nan, days)


def _sorted_known(days: np.ndarray) -> np.ndarray:
    return np.sort(days[~np.isnan(days)])


class FlowTimes:
    """The fund's claims by doctor and its prescription fills by pharmacy, to weigh a pair's months.

    ``fills`` are prescription fills (``person_id``, ``practitioner_id``, ``facility_id``,
    ``settled_at``), ``grouped`` their :class:`InflationTimes` (whose groupings are reused);
    ``claims`` the claims, with the same columns, of every doctor to be weighed (a doctor's
    visits are his claims; others may be left out). The claims are grouped by doctor once, when
    the first pair is weighed.
    """

    def __init__(self, fills: pd.DataFrame, claims: pd.DataFrame, grouped: InflationTimes):
        self._claims = claims
        self._fill_days = _days(fills["settled_at"])
        self._fill_doctor = fills["practitioner_id"].to_numpy()
        self._fill_person = fills["person_id"].to_numpy()
        # the same fills' rows by pair and by pharmacy, as the inflation reading grouped them
        self._pairs, self._pharmacies = grouped.pairs, grouped.rows["facility_id"]
        self._doctors: dict | None = None
        self._claim_days = self._claim_place = self._claim_person = np.zeros(0)
        known = self._fill_days[~np.isnan(self._fill_days)]
        self._span = float(known.max() - known.min() + 1) if len(known) else 1.0

    def _doctor_days(self, doctor: str, pharmacy: str, patients: np.ndarray, days: np.ndarray) -> np.ndarray:
        """The days of the doctor's claims other than his fills at ``pharmacy`` and the visits that
        came with them (the pair's ``patients`` seen on their fill ``days``: a steered patient's
        visit came in the arrangement's months too), sorted."""
        if self._doctors is None:  # one pass over the claims, only once a pair is weighed
            self._doctors = self._claims.groupby("practitioner_id", observed=True, sort=False).indices
            self._claim_days = _days(self._claims["settled_at"])
            self._claim_place = self._claims["facility_id"].to_numpy()
            self._claim_person = self._claims["person_id"].to_numpy()
        rows = self._doctors.get(doctor, np.zeros(0, dtype=np.int64))
        filled = set(zip(patients, days))
        with_fill = np.fromiter(((person, day) in filled for person, day
                                 in zip(self._claim_person[rows], self._claim_days[rows])), dtype=bool, count=len(rows))
        rows = rows[(self._claim_place[rows] != pharmacy) & ~with_fill]
        return _sorted_known(self._claim_days[rows])

    def _pharmacy_days(self, doctor: str, pharmacy: str) -> np.ndarray:
        """The days of the pharmacy's fills for other doctors, sorted."""
        rows = self._pharmacies.get(pharmacy, np.zeros(0, dtype=np.int64))
        return _sorted_known(self._fill_days[rows[self._fill_doctor[rows] != doctor]])

    def crowded(self, doctor: str, pharmacy: str) -> FlowRun | None:
        """The pair's most crowded run of fills holding ``MIN_PATIENTS`` patients, or None."""
        rows = self._pairs.get((doctor, pharmacy))
        if rows is None:
            return None
        rows = rows[~np.isnan(self._fill_days[rows])]
        order = np.argsort(self._fill_days[rows], kind="stable")
        days = self._fill_days[rows][order]
        persons = self._fill_person[rows][order]
        if len(days) < MIN_PATIENTS or len(set(persons)) < MIN_PATIENTS:
            return None
        unique = np.unique(days)
        first, last = np.triu_indices(len(unique))
        start, end = unique[first], unique[last]
        lo, hi = np.searchsorted(days, start, side="left"), np.searchsorted(days, end, side="right")
        held = hi - lo
        by_days = (end - start + 1) / self._span
        share = by_days  # a thin reference that fell elsewhere says no run holds less than the calendar's share
        references = (self._doctor_days(doctor, pharmacy, persons, days), self._pharmacy_days(doctor, pharmacy))
        for reference in references:
            inside = np.searchsorted(reference, end, side="right") - np.searchsorted(reference, start, side="left")
            share = np.maximum(share, (inside + PRIOR_CLAIMS * by_days) / (len(reference) + PRIOR_CLAIMS))
        # a run begins and ends at fills: those two are how it was chosen, not evidence in it
        tail = stats.binom.sf(held - 3, len(days) - 2, np.minimum(share, 1 - 1e-9))
        surprise = -np.log10(np.maximum(tail, 1e-300)) - math.log10(len(start))
        for best in np.argsort(-surprise, kind="stable")[:RUNS_LOOKED_AT]:
            if len(set(persons[lo[best]:hi[best]])) >= MIN_PATIENTS:
                return FlowRun(float(surprise[best]), int(held[best]), float(share[best]),
                               int(end[best] - start[best]) + 1)
        return None
