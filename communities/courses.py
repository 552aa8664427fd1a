"""Courses of sessions: a patient billed visit after visit at one place, weeks on end.

Physiotherapy, acupuncture, dialysis and rehabilitation are billed in courses
(ten to twenty sessions, two to five a week), and so are the sessions a
clinic invents on the cards it holds. What tells them apart is who the
patients are: a stroke patient in rehabilitation and a dialysis patient see
other doctors and fill prescriptions all year, while the cards a clinic bills
courses on are those of people who rarely use their insurance (they will not
notice the sessions on their statement). So the course patients of a place
are weighed by the care they get elsewhere, against the patients of every
place of its kind (:class:`QuietBaseline`), and a place's courses against how
often places of its kind bill them at all (:func:`course_reading`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ringscope.communities.stats import binomial_surprise

__all__ = ["course_pairs", "elsewhere_claims", "QuietBaseline", "course_reading"]


def course_pairs(pair: np.ndarray, day: np.ndarray, sessions: int, gap: int, weeks: int) -> np.ndarray:
    """The codes in ``pair`` (a place and patient, one per visit; ``day`` its day number) holding
    a course: ``sessions`` visit days or more, each within ``gap`` days of the one before, over
    ``weeks`` weeks or more. Not a chronic patient's monthly follow-up, and not a week's daily
    infusions for a chest infection: a course of sessions goes on for weeks.

    >>> course = [("course", 2 * k + k // 3) for k in range(8)]
    >>> monthly = [("monthly", 30 * k) for k in range(12)]
    >>> infusion = [("infusion", k) for k in range(7)] + [("infusion", 200)]
    >>> who, day = zip(*(course + monthly + infusion))
    >>> code, names = pd.factorize(pd.Series(who))
    >>> list(names[course_pairs(code, np.array(day), 6, 7, 2)])
    ['course']
    """
    if not len(pair):
        return np.empty(0, dtype=np.int64)
    order = np.lexsort((day, pair))
    pair, day = pair[order], day[order]
    keep = np.r_[True, (pair[1:] != pair[:-1]) | (day[1:] != day[:-1])]  # one visit day counts once
    pair, day = pair[keep], day[keep]
    # runs of visits at one place, each within ``gap`` days of the one before
    run = np.cumsum(np.r_[True, (pair[1:] != pair[:-1]) | (day[1:] - day[:-1] > gap)]) - 1
    visits = np.bincount(run)
    first = np.flatnonzero(np.r_[True, run[1:] != run[:-1]])
    last = np.r_[first[1:] - 1, len(run) - 1]
    lasting = (visits >= sessions) & (day[last] - day[first] >= 7 * weeks)
    return np.unique(pair[first[lasting]])


def elsewhere_claims(person: np.ndarray, pair: np.ndarray, persons: int, asked: np.ndarray,
                     asked_person: np.ndarray) -> np.ndarray:
    """Per pair code in ``asked`` (its patient ``asked_person``), the patient's claims at any other
    place: ``person`` and ``pair`` code every claim (``persons`` patients in all).

    >>> person, pair = np.array([0, 0, 0, 1]), np.array([10, 10, 11, 12])
    >>> elsewhere_claims(person, pair, 2, np.array([10, 12]), np.array([0, 1])).tolist()
    [1, 0]
    """
    total = np.bincount(person, minlength=persons)
    codes, counts = np.unique(pair, return_counts=True)
    at = np.searchsorted(codes, asked).clip(max=max(len(codes) - 1, 0))
    here = np.where(codes[at] == asked, counts[at], 0) if len(codes) else np.zeros(len(asked), dtype=np.int64)
    return total[asked_person] - here


@dataclass(frozen=True)
class QuietBaseline:
    """Per kind of facility, the claims elsewhere of its median patient (``threshold``) and the
    share of its patients at or below that (``share``: a half or more, with ties)."""

    threshold: dict[str, float]
    share: dict[str, float]

    @classmethod
    def of(cls, kinds: pd.Series, elsewhere: np.ndarray) -> QuietBaseline:
        """From every (facility, patient) pair's kind of facility and claims elsewhere."""
        frame = pd.DataFrame({"kind": kinds.to_numpy(), "elsewhere": elsewhere})
        threshold = frame.groupby("kind", observed=True)["elsewhere"].median().to_dict()
        at_most = frame["elsewhere"].to_numpy() <= frame["kind"].map(threshold).to_numpy(dtype=float)
        share = pd.Series(at_most).groupby(frame["kind"].to_numpy()).mean().to_dict()
        return cls(threshold, share)

    def quiet(self, kind: str, elsewhere: np.ndarray) -> np.ndarray:
        """Which of a place's patients get no more care elsewhere than the median patient of its kind."""
        return elsewhere <= self.threshold.get(kind, -1.0)

    def surprise(self, kind: str, quiet: int, patients: int) -> float:
        """The binomial surprise of ``quiet`` quiet patients among ``patients``, at the share of
        patients of places of ``kind`` that are as quiet.

        >>> base = QuietBaseline({"clinic": 10.0}, {"clinic": 0.5})
        >>> round(base.surprise("clinic", 20, 20), 1), round(base.surprise("clinic", 10, 20), 1)
        (6.0, 0.2)
        """
        share = min(max(self.share.get(kind, 1.0), 0.01), 0.99)
        return binomial_surprise(quiet, patients, share)


def course_reading(courses: int, patients: int, kind_courses: int, kind_patients: int) -> float:
    """The binomial surprise of ``courses`` course patients among a place's ``patients``, at the
    share of course patients among the patients of the other places of its kind
    (``kind_courses`` of ``kind_patients``, the place's own included and taken out here).

    A rehabilitation centre's patients are mostly in courses, and so are its peers'; a clinic
    whose peers bill a course to one patient in a thousand and that bills thirty is not its
    peers' business.

    >>> round(course_reading(30, 400, 40, 40_400), 1), round(course_reading(30, 400, 3_030, 40_400), 1)
    (61.7, 0.3)
    """
    rest, rest_courses = max(kind_patients - patients, 1), max(kind_courses - courses, 0)
    share = min(max((rest_courses + 1) / (rest + 2), 1e-6), 0.99)
    return binomial_surprise(courses, patients, share)
