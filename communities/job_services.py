"""Job: services billed that were never delivered (虚构医药服务).

The same bill (the same items and quantities, or without fee lines the same
amount and diagnosis) repeated for at least ``min_persons`` patients on at
least ``min_days`` days at one hospital or clinic is a template; one day
alone is an employer's health screening. Templates are normal for dialysis
and physiotherapy, so the independent signals decide, and only the
template's patients who are never seen at any other facility are members
(the ones who carry the signal; a big hospital's standard visit is billed to
thousands of honest patients who are seen elsewhere too): that the template
has that many such patients, against the share of never-seen-elsewhere
patients at facilities of the same kind, of those admitted there for a
template of stays (binomial tail, corrected for the number of templates of
its kind, stays or visits, tested); the facility holding more inpatients
on a day than it has beds, or seeing more patients a day than its
practitioners could (:func:`_load_and_capacity`); the template billed to those
patients again and again, far more often than never-seen-elsewhere patients
of the same kind of facility are billed at all (Poisson tail, corrected);
identifiers tying the patients. Visits the patients presented themselves,
as often as the place's other patients do (the e-voucher on the family's own
phone: :meth:`Context.absent_surprise`), are services delivered: a community
centre's hypertension mornings bill the same follow-up to its regulars, seen
nowhere else, and each comes with his phone.

Sessions invented on held cards need not be billed alike: a clinic keys in
acupuncture, massage and cupping in varying quantities, course after course,
on the cards of people who otherwise barely use their insurance. So a place's
patients on a course of sessions (``course_sessions`` visit days or more, at most
``course_gap`` days apart, over ``course_weeks`` weeks or more:
:func:`ringscope.communities.courses.course_pairs`)
are a group too, weighed by two tells: that the place bills courses far more
often than places of its kind (a rehabilitation centre's peers bill them as
often), and that its course patients get less care elsewhere than the median
patient of places of its kind, far more of them than half (a dialysis or
stroke patient sees other doctors all year). The patients that quiet are the
members; seen nowhere else at all is the same tell at its extreme, so it is
read as the same signal.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ringscope.communities.billed_days import billed_together
from ringscope.communities.context import ABSENT_SURPRISE, HOUSEHOLD_MAX, Context
from ringscope.communities.courses import QuietBaseline, course_pairs, course_reading, elsewhere_claims
from ringscope.communities.evidence import candidate
from ringscope.communities.model import JobResult
from ringscope.communities.stats import poisson_surprise, saturate

__all__ = ["fictitious_services_job", "PARAMS"]

PARAMS = {"min_persons": 5, "min_days": 3, "patients_per_practitioner": 40, "doctor_share": 0.3,
          "capacity_tolerance": 1.5, "course_sessions": 6, "course_gap": 7, "course_weeks": 2}


_LOAD_COLUMNS = ["visit_type", "admitted_at", "settled_at", "day", "person_id"]


def _load_and_capacity(at_facility: pd.DataFrame, beds, practitioners: int, kind: str,
                       p: dict) -> tuple[float, float]:
    """The facility's busiest day and what it can deliver in a day.

    A hospital with licensed beds: the most inpatients in bed on one day
    (stays from admission to settlement) against the beds. Otherwise: the
    most distinct patients on one day against ``patients_per_practitioner``
    per practitioner, an estimate rough enough that only a day beyond
    ``capacity_tolerance`` times it counts (the returned capacity includes
    that tolerance).
    """
    stays = at_facility[at_facility["visit_type"] == "inpatient"]
    if kind == "hospital" and pd.notna(beds) and beds > 0 and not stays.empty:
        start = stays["admitted_at"].fillna(stays["settled_at"]).dt.normalize()
        end = stays["settled_at"].dt.normalize()
        events = pd.concat([pd.Series(1, index=start), pd.Series(-1, index=end + pd.Timedelta(days=1))])
        in_bed = events.groupby(level=0).sum().sort_index().cumsum()
        return float(in_bed.max()), float(beds)
    busiest = float(at_facility.groupby("day")["person_id"].nunique().max())
    return busiest, max(practitioners, 1) * p["patients_per_practitioner"] * p["capacity_tolerance"]


#: how many days apart two stays may be admitted and still be one sitting's: a ward filled on
#: paper is keyed in sittings, its admission dates the same day or spread over two or three
SITTING_DAYS = (0, 1, 2)


def _pairs_within(days: np.ndarray, tolerance: int) -> int:
    """Pairs of ``days`` (sorted day numbers) at most ``tolerance`` apart."""
    return int((np.searchsorted(days, days + tolerance, side="right") - np.arange(len(days)) - 1).sum())


def _admitted_together(admitted: pd.Series, intake: pd.Series) -> float:
    """The Poisson surprise of so many pairs of the stays ``admitted`` (their admission days)
    admitted within a sitting's days of each other, against the pairs the facility's own intake
    by day gives (``intake``: every stay's admission day there, its weekdays and seasons
    included); the strongest of the ``SITTING_DAYS`` readings, corrected for the readings.

    A ward filled on paper is keyed in sittings, several stays admitted together, again and
    again; the real patients a template is billed to come on their own days. One crowd (a
    village's elders bussed to a cataract campaign over two days) is one event, not sittings:
    0 unless two waves of stays (each stay admitted within two days of the one before) come.

    >>> year = pd.Series(pd.date_range("2024-01-01", periods=300, freq="D"))
    >>> round(_admitted_together(year.iloc[[5, 5, 5, 40, 40, 90]], year), 1)
    6.1
    >>> round(_admitted_together(year.iloc[[5, 6, 6, 40, 41, 42, 90]], year), 1)
    5.3
    >>> _admitted_together(year.iloc[[5, 17, 40, 90, 120]], year)
    0.0
    >>> _admitted_together(year.iloc[[5, 5, 5, 5, 6, 6, 6, 6]], year)
    0.0
    """
    days = np.sort(admitted.to_numpy("datetime64[D]").astype(np.int64))
    wave = np.concatenate([[0], np.cumsum(np.diff(days) > 2)])
    if (np.bincount(wave) >= 2).sum() < 2:
        return 0.0
    share = pd.Series(intake.to_numpy("datetime64[D]").astype(np.int64)).value_counts(normalize=True)
    pad = max(SITTING_DAYS)
    by_day = np.zeros(int(share.index.max() - share.index.min()) + 1 + 2 * pad)
    by_day[share.index.to_numpy() - share.index.min() + pad] = share.to_numpy()
    n = len(days)
    best = 0.0
    for tolerance in SITTING_DAYS:
        # the chance that two of the intake's stays were admitted within ``tolerance`` days
        near = np.convolve(by_day, np.ones(2 * tolerance + 1), mode="same")
        expected = n * (n - 1) / 2 * float((by_day * near).sum())
        best = max(best, poisson_surprise(_pairs_within(days, tolerance), expected))
    return max(0.0, best - math.log10(len(SITTING_DAYS)))


def _billed_together(ctx: Context, mine: pd.DataFrame, traffic: pd.Series) -> float:
    """:func:`ringscope.communities.billed_days.billed_together` for one template's visits, at the
    facility whose claims per day are ``traffic`` (indexed by day)."""
    traffic = pd.Series(traffic.to_numpy(), index=traffic.index.to_numpy("datetime64[D]").astype(np.int64))
    persons = mine["person_id"].to_numpy()
    households = np.array([ctx.household.get(pid, pid) for pid in persons], dtype=object)
    return billed_together(mine["day"].to_numpy("datetime64[D]").astype(np.int64), persons, households, traffic)


def _came(ctx: Context, visits: pd.DataFrame) -> set[str]:
    """The patients who presented most of their ``visits`` (one place's) from their own phone:
    they came for them (:meth:`Context.in_person`)."""
    shown = pd.Series(ctx.in_person(visits)).groupby(visits["person_id"].to_numpy()).mean()
    return set(shown.index[shown > 0.5])


def _residents(ctx: Context, patients: np.ndarray) -> set[str]:
    """The ``patients`` (one place's on a course) living more of them at one address than a
    household holds (``HOUSEHOLD_MAX``): a nursing home's residents, whose care is the home's
    doctor's, seen elsewhere less because they live where he is."""
    homes = pd.Series([ctx.household.get(pid, pid) for pid in patients], index=patients)
    sizes = homes.map(homes.value_counts())
    return set(sizes.index[sizes.to_numpy() > HOUSEHOLD_MAX])


def _course_candidates(ctx: Context, treating: np.ndarray, p: dict, capacity) -> list:
    """One candidate per place whose course patients (of the outpatient visits among the
    context's claims that ``treating`` marks: hospitals' and clinics') are quiet
    beyond chance (:class:`QuietBaseline`), with how far its courses exceed its kind's; both
    corrected for the places with ``min_persons`` course patients or more. ``capacity``: a
    place's busiest day and what it can deliver (:func:`_load_and_capacity`). Patients who
    presented most of their visits there from their own phone came for them, and residents of
    one home (:func:`_residents`) see its doctor: neither are members.

    Read on integer codes of places and patients: a province's outpatient visits are tens of
    millions."""
    person, persons = pd.factorize(ctx.claims["person_id"])
    place, places = pd.factorize(ctx.claims["facility_id"])
    pair = place.astype(np.int64) * len(persons) + person
    visit = (ctx.claims["visit_type"] == "outpatient").to_numpy(dtype=bool) & treating
    if not visit.any():
        return []
    seen, first = np.unique(pair[visit], return_index=True)  # every place's patients, once
    seen_person = person[visit][first]
    kind_of = ctx.facility["kind"].reindex(places).astype(str).to_numpy()
    seen_kind = kind_of[seen // len(persons)]
    elsewhere = elsewhere_claims(person, pair, len(persons), seen, seen_person)
    baseline = QuietBaseline.of(pd.Series(seen_kind), elsewhere)
    day = ctx.claims["day"].to_numpy("datetime64[D]").astype(np.int64)
    courses = course_pairs(pair[visit], day[visit], p["course_sessions"], p["course_gap"], p["course_weeks"])
    at = np.searchsorted(seen, courses)
    course_place = courses // len(persons)
    per_place = np.bincount(course_place, minlength=len(places))
    tested = np.flatnonzero(per_place >= p["min_persons"])
    if not len(tested):
        return []
    correction = math.log10(len(tested))
    patients = np.bincount(seen // len(persons), minlength=len(places))
    kind_patients = pd.Series(seen_kind).value_counts()
    kind_courses = pd.Series(seen_kind[at]).value_counts()
    out = []
    for code in tested:
        facility, kind = str(places[code]), kind_of[code]
        mine = at[course_place == code]
        quiet = mine[baseline.quiet(kind, elsewhere[mine])]
        if len(quiet) < p["min_persons"]:
            continue  # too few quiet patients before any are set aside: no reading of its rows
        rows = ctx.claims_at(facility, ["claim_id", "person_id", "practitioner_id", "visit_type", "device_id"])
        rows = rows[(rows["visit_type"] == "outpatient").to_numpy(dtype=bool)]
        away = _came(ctx, rows) | _residents(ctx, persons[seen_person[mine]])
        quiet = quiet[~pd.Index(persons[seen_person[quiet]]).isin(away)]
        if len(quiet) < p["min_persons"]:
            continue
        alone = baseline.surprise(kind, len(quiet), len(mine)) - correction
        if saturate(alone - 3, 5.0) <= 0:
            continue  # patients as quiet as chance gives: a busy rehabilitation or dialysis centre
        # a place whose patients are mostly on courses is a dialysis or rehabilitation centre: courses
        # are its trade, and the other places of its kind are no peers of it
        here, peers = int(patients[code]), (int(kind_courses.get(kind, 0)), int(kind_patients.get(kind, 0)))
        beyond = 0.0 if len(mine) > here / 2 else course_reading(len(mine), here, *peers) - correction
        members = set(persons[seen_person[quiet]])
        rows = rows[rows["person_id"].isin(members).to_numpy(dtype=bool)]
        busiest, most = capacity(facility, kind)
        link, facts = ctx.link_signal(members)
        doctors = rows["practitioner_id"].value_counts(normalize=True)
        facts.update(facility=facility, patients=len(members), sessions=int(len(rows)),
                     per_patient=int(rows.groupby("person_id").size().median()),
                     elsewhere=int(np.median(elsewhere[quiet])), peer_elsewhere=int(baseline.threshold[kind]),
                     busiest_day=busiest, capacity=float(most), claims=int(len(rows)))
        out.append(candidate(
            "session_courses", "fictitious_services",
            persons={pid: ("cardholder", 0.8) for pid in members},
            practitioners={d: ("doctor", s) for d, s in doctors.items() if s >= p["doctor_share"]},
            facilities={facility: 1.0},
            # quiet elsewhere is the never-seen-elsewhere tell short of its extreme: one signal
            signals={"isolated_patients": saturate(alone - 3, 5.0),
                     "session_courses": saturate(beyond - 3, 5.0),
                     "over_capacity": saturate(busiest / most - 1, 1.0),
                     "shared_identifier": link},
            facts=facts, claim_ids=rows["claim_id"]))
    return out


def fictitious_services_job(ctx: Context, *, seed: int = 0, params: dict | None = None) -> JobResult:
    """Candidate fictitious-service groups: templated bills for patients seen nowhere else, and
    courses of sessions billed on quiet cards."""
    p = {**PARAMS, **(params or {}), "seed": seed}
    treating = ctx.claims["facility_kind"].isin(["hospital", "clinic"]).to_numpy(dtype=bool)
    claims = ctx.claims.loc[treating, ["claim_id", "person_id", "facility_id", "facility_kind", "day",
                                       "practitioner_id", "visit_type", "device_id"]]
    if claims.empty:
        return JobResult("fictitious_services", p, [], skipped="no hospital or clinic claims")
    # a stay is known by its items, its quantities following its length (a ward filled on paper
    # bills every stay from one list of items, for stays of a week or two)
    bills, stays = ctx.bills()[treating], ctx.stay_bills()[treating]
    claims["bill"] = np.where(stays >= 0, stays + bills.max() + 1, bills)
    claims["stay"] = stays >= 0
    inpatient = claims.index[(claims["visit_type"] == "inpatient").to_numpy(dtype=bool)]
    claims["admit"] = ctx.claims.loc[inpatient, "admitted_at"].fillna(
        ctx.claims.loc[inpatient, "settled_at"]).dt.normalize()
    spread = claims.groupby(["facility_id", "bill"]).agg(persons=("person_id", "nunique"), days=("day", "nunique"))
    templates = spread[(spread["persons"] >= p["min_persons"]) & (spread["days"] >= p["min_days"])].reset_index()
    isolated = (ctx.facilities_per_person <= 1)
    staff = ctx.tables.practitioners.groupby("facility_id")["practitioner_id"].nunique()
    out = []
    claims["alone"] = claims["person_id"].map(isolated).fillna(False).astype(bool)
    lonely = claims[claims["alone"]].groupby(["facility_id", "bill"])["person_id"].nunique()
    templates["alone"] = lonely.reindex(pd.MultiIndex.from_frame(templates[["facility_id", "bill"]])).fillna(0).to_numpy()
    # templates of stays and of visits are tested against their own kind of patients, so each
    # is corrected for the number of its own kind: a ward's templates are few, a clinic's many
    is_stay = templates["bill"] > bills.max()
    corrections = {True: math.log10(max(int(is_stay.sum()), 1)), False: math.log10(max(int((~is_stay).sum()), 1))}
    # claims per never-seen-elsewhere patient at each kind of facility: the honest repeat rate
    lonely_claims = claims[claims["alone"]].groupby("facility_kind").agg(
        n=("claim_id", "size"), persons=("person_id", "nunique"))
    repeat_base = (lonely_claims["n"] / lonely_claims["persons"].clip(lower=1)).to_dict()
    chosen = templates.loc[templates["alone"] >= p["min_persons"], ["facility_id", "bill"]]
    picked = claims.merge(chosen, on=["facility_id", "bill"])
    # the templates of stays, each tested once for stays admitted together (chosen by their
    # patients seen nowhere else, which says nothing of the days they came)
    stay_correction = math.log10(max(int(picked.loc[picked["stay"], "bill"].nunique()), 1))
    # and the templates of visits, each once for bills of its patients on the same days
    visit_correction = math.log10(max(int(picked.loc[~picked["stay"], ["facility_id", "bill"]].drop_duplicates()
                                          .shape[0]), 1))
    intake = claims.loc[inpatient].groupby("facility_id")["admit"]
    load: dict[str, tuple[float, float]] = {}

    def capacity(facility: str, kind: str) -> tuple[float, float]:
        if facility not in load:
            load[facility] = _load_and_capacity(ctx.claims_at(facility, _LOAD_COLUMNS),
                                                ctx.facility["beds"].get(facility), int(staff.get(facility, 1)),
                                                kind, p)
        return load[facility]

    # sittings by the day are read only where the extract has no times of day: with them, the
    # lockstep job reads the sittings by the minute, the same tell more sharply
    dates_only = bool(ctx.claims["minute"].isna().all())
    traffic = ctx.claims.groupby(["facility_id", "day"], observed=True).size() if dates_only else None
    for (facility, _), mine in picked.groupby(["facility_id", "bill"]):
        everyone = set(mine["person_id"])
        alone_ids = set(mine.loc[mine["alone"], "person_id"])
        kind = ctx.facility["kind"].get(facility)
        stay = bool(mine["stay"].all())
        correction = corrections[stay]
        surprise = ctx.never_elsewhere(everyone, kind, stays=stay)[1] - correction
        mine = mine[mine["person_id"].isin(alone_ids)]
        if not stay and ctx.absent_surprise(facility, mine) < ABSENT_SURPRISE:
            continue  # patients who came themselves, as the place's others do: its regulars
        repeats = poisson_surprise(len(mine), len(alone_ids) * repeat_base.get(kind, 1.0)) - correction
        busiest, most = capacity(facility, kind)
        together = _admitted_together(mine["admit"], intake.get_group(facility)) - stay_correction \
            if stay else 0.0
        same_days = _billed_together(ctx, mine, traffic.loc[facility]) - visit_correction \
            if dates_only and not stay else 0.0
        link, facts = ctx.link_signal(alone_ids)
        doctors = mine["practitioner_id"].value_counts(normalize=True)
        facts.update(facility=facility, patients=len(alone_ids), bills=int(len(mine)),
                     never_elsewhere=len(alone_ids), busiest_day=busiest, capacity=float(most),
                     claims=int(len(mine)))
        out.append(candidate(
            "fictitious_services", "fictitious_services",
            persons={pid: ("cardholder", 0.8) for pid in alone_ids},
            practitioners={d: ("doctor", s) for d, s in doctors.items() if s >= p["doctor_share"]},
            facilities={facility: 1.0},
            # never seen elsewhere and billed again and again are one tell (the patients' whole
            # record is the template), so they make one signal: the stronger reading of the two
            signals={"isolated_patients": max(saturate(surprise - 3, 5.0), saturate(repeats - 3, 5.0)),
                     "over_capacity": saturate(busiest / most - 1, 1.0),
                     "admitted_together": saturate(together - 3, 5.0),
                     "billed_together": saturate(same_days - 3, 5.0),
                     "shared_identifier": link},
            facts=facts, claim_ids=mine["claim_id"]))
    out += _course_candidates(ctx, treating, p, capacity)
    return JobResult("fictitious_services", p, out)
