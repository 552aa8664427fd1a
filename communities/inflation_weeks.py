"""When a doctor-pharmacy pair's inflated fills came: crowded into some weeks, or spread out.

Why: a doctor and a pharmacy who agree to inflate prescriptions do so from
some week on, for a few months, not a little on every day of the year; the
inflated fills of honest practice (a patient given a long prescription, a
pharmacy out of small packs) are spread over the pair's fills, or come in the
same weeks to the pharmacy's other doctors and to the doctor's other
pharmacies as well (the long prescriptions before a holiday).

So, among the pair's fills in time order, each run from one inflated fill to
a later one is weighed: how many of the pair's inflated fills fell in it,
against the share of them it would hold by chance (binomial, over the inflated
fills other than the two the run begins and ends at); that share is
the larger of the run's share of the pair's fills and the share of the
reference fills' inflated ones (the pharmacy's for other doctors, the
doctor's at other pharmacies) that came in the same days, drawn towards the
former where the references were inflated rarely. The strongest run counts,
corrected for the runs weighed.

Conditional on how many of the pair's fills were inflated, this says nothing
about how many: it is a second, independent line of evidence beside the
steered test, which counts them and never looks at when they came.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["CrowdedRun", "InflationTimes", "PRIOR_INFLATED", "MIN_RUN", "NS_PER_DAY"]

#: inflated reference fills the share of a run's days is drawn towards the pair's own share with
#: (where the references were inflated twice in the year, when says little about a season)
PRIOR_INFLATED = 5
#: the fewest inflated fills a run holds: two inflated fills in a row say nothing about weeks
MIN_RUN = 3

NS_PER_DAY = 86_400 * 10**9


@dataclass(frozen=True)
class CrowdedRun:
    """The pair's run of fills that holds its inflated fills most unexpectedly."""

    surprise: float  # -log10 of the binomial tail, less log10 of the runs weighed
    inflated: int    # the pair's inflated fills in the run
    share: float     # the share of them the run would hold by chance
    days: int        # from the run's first inflated fill to its last, both counted


class _Timeline:
    """Fills in time order (days as floats) with running counts of the inflated ones."""

    def __init__(self, days: np.ndarray, high: np.ndarray):
        order = np.argsort(days, kind="stable")
        self.days = days[order]
        self.high = high[order]
        self.cum = np.concatenate([[0], np.cumsum(self.high, dtype=np.int64)])

    def count(self, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fills and inflated fills from ``start`` to ``end`` (days, both included), per window."""
        lo = np.searchsorted(self.days, start, side="left")
        hi = np.searchsorted(self.days, end, side="right")
        return hi - lo, self.cum[hi] - self.cum[lo]


class InflationTimes:
    """The prescription fills of a fund by doctor and by pharmacy, to weigh a pair's weeks.

    ``fills`` has ``practitioner_id``, ``facility_id``, ``settled_at`` and ``high``
    (the fill was inflated); timelines are built once per doctor and pharmacy asked.
    """

    def __init__(self, fills: pd.DataFrame):
        self.days = fills["settled_at"].to_numpy(dtype="datetime64[ns]").astype(np.int64) / NS_PER_DAY
        self.high = fills["high"].to_numpy(dtype=bool)
        #: each doctor's and each pharmacy's rows of ``fills``, and each pair's: grouped once, for
        #: every reader of the fills' times (:class:`ringscope.communities.flow_weeks.FlowTimes`)
        self.rows = {key: fills.groupby(key, observed=True, sort=False).indices
                      for key in ("practitioner_id", "facility_id")}
        self.pairs = fills.groupby(["practitioner_id", "facility_id"], observed=True, sort=False).indices
        self._timelines: dict[tuple[str, str], _Timeline] = {}

    def _timeline(self, key: str, value: str) -> _Timeline:
        if (key, value) not in self._timelines:
            rows = self.rows[key].get(value, np.zeros(0, dtype=np.int64))
            self._timelines[key, value] = _Timeline(self.days[rows], self.high[rows])
        return self._timelines[key, value]

    def crowded(self, doctor: str, pharmacy: str) -> CrowdedRun | None:
        """The pair's most crowded run of inflated fills, or None with fewer than ``MIN_RUN`` of them."""
        rows = self.pairs.get((doctor, pharmacy))
        if rows is None:
            return None
        pair = _Timeline(self.days[rows], self.high[rows])
        inflated = np.flatnonzero(pair.high)
        k, n = len(inflated), len(pair.days)
        if k < MIN_RUN:
            return None
        first, last = np.triu_indices(k, MIN_RUN - 1)
        start, end = pair.days[inflated[first]], pair.days[inflated[last]]
        fills, high = pair.count(start, end)
        # the pair's own fills are among the doctor's and among the pharmacy's
        references = [self._timeline(key, value) for key, value in (("practitioner_id", doctor),
                                                                     ("facility_id", pharmacy))]
        reference_high = sum(timeline.count(start, end)[1] - high for timeline in references)
        reference_total = sum(int(timeline.cum[-1]) - k for timeline in references)
        by_fills = fills / n
        share = np.maximum(by_fills, (reference_high + PRIOR_INFLATED * by_fills) / (reference_total + PRIOR_INFLATED))
        # a run begins and ends at inflated fills: those two are how it was chosen, not evidence
        # in it; the other inflated fills of the pair fall in it or not
        tail = stats.binom.sf(high - 3, k - 2, np.minimum(share, 1 - 1e-9))
        surprise = -np.log10(np.maximum(tail, 1e-300)) - math.log10(len(first))
        best = int(np.argmax(surprise))
        return CrowdedRun(float(surprise[best]), int(high[best]), float(share[best]),
                          int(math.floor(end[best]) - math.floor(start[best])) + 1)
