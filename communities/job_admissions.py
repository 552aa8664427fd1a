"""Job: groups admitted together, wave after wave, to one hospital (诱导住院).

A wave is a two-day span in which a hospital admits surprisingly many
patients against its own average day (Poisson tail, ``wave_surprise``). One
wave alone is what a bus accident or a nursing-home outbreak looks like, so
the evidence is in what recurs: several waves at the same hospital, the same
diagnosis across them (one tell with the waves, not a second, where the waves'
patients are mostly the hospital's own catchment's: a month-long outbreak
comes in waves of one diagnosis), patients insured far away far above the hospital's
own share of such patients, recruiters (persons tied by identifiers to
several of the patients), and one personal phone (not a facility's counter)
presenting the admissions of three families or more (a recruiter's
e-voucher app; a grown child presents one family's: such a phone's patients,
with those admitted within days of them with one of their diagnoses (he
presents some of a group's e-vouchers, not all), are a candidate of their
own, as patients tied by identifiers are, and as the patients of two
households who list one go-between and share a diagnosis here are, with
those admitted beside them: :func:`_paired`);
patients seen at no other facility all year make it a ward filled on paper
(虚构住院) rather than recruited patients, and so do stays billed alike: the
same items in the same quantities for several patients of the waves, far
beyond how often other patients' stays there and at a typical hospital are
billed alike (:func:`_identical_stays`; a stay's bill follows its length,
its tests and its drugs, and a bus's injured differ in all three). Waves are looked for in the hospital's whole
intake and in each diagnosis's admissions alone: a recruiter's waves of one
diagnosis stand out against that diagnosis's few admissions a day even where
the hospital's total does not; and among the hospital's patients insured
far away alone (where most of its patients are not), over windows of two,
four and seven days, the groups admitted together in their busiest month,
and those in their busiest month of one or two diagnoses
(:func:`_far_diagnosis_month`), with a Bonferroni correction over the five: a
recruiter's buses spread over a few days and two diagnoses hide in both the
intake and each diagnosis, not among the few who come from far, and buses too
small to stand out one by one fill a month; where the hospital's patients from
far away come all year for thirty reasons, his month stands out among those
with his two diagnoses. Waves picked
that way say nothing more about distance: their ``far_patients`` evidence
comes only from the stays picked without looking at it. For such waves
``same_diagnosis`` is also the wave's top one or two diagnoses weighed
against the hospital's own mix of them and every hospital's in those days
(:func:`_diagnosis_surprise`): buses of spine and stroke cases share no
majority diagnosis. (Not for waves found in the whole intake: an accident's
trauma and a summer outbreak at one hospital share two diagnoses too.)

Stays for injuries and poisonings (ICD-10 S and T, :func:`_injuries`) are left out of every
wave: a coach crash's passengers come from everywhere to the nearest hospital, all at once, and a
hospital by a highway sees two such days a year, which would read as recurring waves of patients
from far away; recruiters bring chronic cases, not casualties.

A day ward's courses (a patient's day stays at steady intervals, three or
more: :func:`_day_ward_courses`) are no waves: chemotherapy cycles bring the
patients who began together back together every three weeks.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
from scipy.stats import poisson

from ringscope.communities.context import FAMILY_HOUSEHOLDS, Context
from ringscope.communities.evidence import FOCUS_SURPRISE, candidate
from ringscope.communities.model import JobResult
from ringscope.communities.stats import binomial_surprise, poisson_surprise, saturate

__all__ = ["co_admission_job", "PARAMS", "recruiters"]

#: the fewest day stays that make a course of treatment
COURSE_STAYS = 3
#: the commonest diagnoses among a hospital's patients from far away whose one or two are tried for a month
FAR_DIAGNOSES = 6
PARAMS = {"wave_days": 2, "min_wave": 3, "wave_surprise": 5.0, "doctor_share": 0.3, "cluster_days": 30,
          "far_scan_share": 0.5, "far_scan_days": (2, 4, 7)}


def recruiters(ctx: Context, persons: set[str], minimum: int = 3) -> set[str]:
    """Persons outside ``persons`` who share an identifier with members of ``minimum`` households or more.

    Households, not persons: a nursing home's staff member listed as proxy by
    forty residents who share the home's address is one household's helper,
    and a grown child linked to both parents is a family.
    """
    return {other for other, tied in _go_betweens(ctx, persons).items()
            if len({ctx.household.get(pid, pid) for pid in tied}) >= minimum}


def _go_betweens(ctx: Context, persons: set[str]) -> dict[str, set[str]]:
    """Per person outside ``persons`` sharing an identifier with some of them, those he shares one with."""
    tied: dict[str, set[str]] = {}
    for pid in persons:
        for key in ctx.person_links.get(pid, ()):
            for other in ctx.links[key]:
                if other not in persons:
                    tied.setdefault(other, set()).add(pid)
    return tied


def _region(series: pd.Series) -> pd.Series:
    return series.astype("string").str.slice(0, 4)


def _injuries(diagnoses: pd.Series) -> np.ndarray:
    """Which stays are for an injury or poisoning (ICD-10 chapter XIX, S00-T98): an accident's
    casualties, whom no recruiter brings. A coach that overturns fills the nearest hospital's
    beds with passengers from everywhere, a hospital near a highway gets two such days a year,
    and a recruiter's buses come for strokes and spines, not fractures."""
    return diagnoses.astype("string").str.match(r"[ST]\d").fillna(False).to_numpy(dtype=bool)


def _waves(rows: pd.DataFrame, everyone: pd.DataFrame, p: dict) -> tuple[pd.DataFrame, int] | None:
    """The stays in ``rows`` (one hospital's, or one diagnosis's there) admitted in waves, and how many waves.

    ``everyone`` is the hospital's every stay: its span of days sets the rate.
    """
    span = max((everyone["admit_day"].max() - everyone["admit_day"].min()).days + 1, 30)
    expected = len(rows) / span * p["wave_days"]
    daily = rows.groupby("admit_day").size()
    window = daily.rolling(f"{p['wave_days']}D").sum()
    wave_ends = [day for day, count in window.items()
                 if count >= p["min_wave"] and poisson_surprise(count, expected) >= p["wave_surprise"]]
    if not wave_ends:
        return None
    return _in_waves(rows, wave_ends, p), _count_waves(wave_ends, p)


def _group_ends(stays: pd.DataFrame, p: dict) -> pd.Index:
    """The days ending ``wave_days`` in which ``min_wave`` or more of ``stays`` were admitted:
    groups admitted together, with no regard to the hospital's rate."""
    together = stays.groupby("admit_day").size().rolling(f"{p['wave_days']}D").sum()
    return together.index[together >= p["min_wave"]]


def _in_waves(rows: pd.DataFrame, wave_ends, p: dict) -> pd.DataFrame:
    """The stays of ``rows`` admitted in the ``wave_days`` ending on one of ``wave_ends``."""
    in_wave = pd.Series(False, index=rows.index)
    for end in wave_ends:
        in_wave |= rows["admit_day"].between(end - pd.Timedelta(days=p["wave_days"] - 1), end)
    return rows[in_wave]


def _busiest_month(rows: pd.DataFrame, peers_daily: pd.Series, p: dict) -> tuple[pd.DataFrame, int] | None:
    """One diagnosis's stays at one hospital in its busiest ``cluster_days``, when that many is
    beyond the hospital's own rate and beyond its share of the other hospitals' admissions of
    the diagnosis in the same days; and how many times ``min_wave`` came in together within.

    A recruiter's month of waves, each too small to stand out alone, stands out as a month;
    a winter of pneumonia fills every hospital's wards at once, so its peers explain it.
    """
    found = _busiest_window(rows, peers_daily, p)
    return found[:2] if found else None


def _busiest_window(rows: pd.DataFrame, peers_daily: pd.Series, p: dict) -> tuple[pd.DataFrame, int, float] | None:
    """:func:`_busiest_month`'s month, its waves, and the surprise (-log10 Poisson tail) of its stays."""
    days = pd.date_range(peers_daily.index.min(), peers_daily.index.max())
    mine = rows.groupby("admit_day").size().reindex(days, fill_value=0)
    peers = (peers_daily.reindex(days, fill_value=0) - mine).clip(lower=0)
    width = p["cluster_days"]
    observed = mine.rolling(width, min_periods=1).sum().to_numpy()
    peers_in = peers.rolling(width, min_periods=1).sum().to_numpy()
    mine_out = np.maximum(mine.sum() - observed, 0.5)
    peers_out = np.maximum(peers.sum() - peers_in, 1.0)
    expected = np.maximum(mine_out / max(len(days) - width, width) * width, mine_out / peers_out * peers_in)
    surprise = -np.log10(np.maximum(poisson.sf(observed - 1, expected), 1e-300))
    end = int(np.argmax(surprise))
    if surprise[end] < p["wave_surprise"] or observed[end] < 2 * p["min_wave"]:
        return None
    month = rows[rows["admit_day"].between(days[max(end - width + 1, 0)], days[end])]
    return month, _count_waves(_group_ends(month, p), p), float(surprise[end])


def _candidate(ctx: Context, facility: str, wave: pd.DataFrame, waves: int, by_diagnosis: bool,
               everyone: pd.DataFrame, p: dict, *, focus: float = 0.0, far_blind: pd.DataFrame | None = None,
               daily: pd.Series | None = None, hubs: frozenset[str] = frozenset(), diagnosis_scan: float = 0.0):
    """The induced-admission candidate of the ``waves`` of stays ``wave`` at ``facility``, or None.

    ``far_blind`` are the stays of ``wave`` picked without looking at where the patients live
    (all of them when None): only they can show that surprisingly many came from far away.
    ``daily`` counts every hospital's stays by diagnosis and day of admission; waves picked among
    the far-away need it. ``p["alike_share"]``: a typical hospital's share of stays billed like
    another patient's stay there. ``hubs`` are recruiters found another way (:func:`_paired`),
    beside those tied to patients of three households or more. ``diagnosis_scan``: the surprise
    of the month of patients from far away with one or two diagnoses that picked some of the
    stays (:func:`_far_diagnosis_month`), where one did: the diagnoses they share are that
    reading's, not read again.
    """
    persons = set(wave["person_id"])
    if len(persons) < p["min_wave"]:
        return None
    diag_share = _recurring_share(wave, p) if wave["diagnosis_code"].notna().any() and not diagnosis_scan else 0.0
    # waves found among patients from far away alone: what the stays share beyond the hospital's
    # mix is the evidence left (an accident and an outbreak at one hospital share two diagnoses too)
    far_picked = far_blind is not None and far_blind.empty and daily is not None
    diag_surprise = diagnosis_scan or (_diagnosis_surprise(wave, everyone, daily) if far_picked else 0.0)
    far_base = float(everyone["far"].mean())
    blind = (wave if far_blind is None else far_blind).drop_duplicates("person_id")
    far_hits = int(blind["far"].sum())
    far_surprise = binomial_surprise(far_hits, len(blind), min(max(far_base, 0.01), 0.99)) if len(blind) else 0.0
    link, facts = ctx.link_signal(persons)
    alone, alone_surprise = ctx.never_elsewhere(persons, ctx.facility["kind"].get(facility), stays=True)
    agents = recruiters(ctx, persons) | hubs
    presented = ctx.families_per_device(wave)
    doctors = wave["practitioner_id"].value_counts(normalize=True)
    recurring = saturate(waves - 1, 1.0)
    # waves picked within one diagnosis share it by construction: no evidence then
    same = max(saturate(diag_share - 0.5, 0.2), saturate(diag_surprise - 2, 4.0)) \
        if waves >= 2 and not by_diagnosis else 0.0
    if not far_picked and wave.drop_duplicates("person_id")["far"].mean() <= p["far_scan_share"]:
        # an outbreak (or an accident beside it) fills the hospital's beds with its own catchment's
        # patients in waves of one diagnosis: the waves and their diagnosis are one tell, the
        # stronger counted. Waves of patients mostly from far away sharing a diagnosis, and waves
        # among patients from far away sharing more than the season's, are what recruiters bring.
        recurring, same = max(recurring, same), 0.0
    signals = {"waves": recurring,
               "same_diagnosis": same,
               "far_patients": saturate(far_surprise - 2, 4.0),
               "shared_identifier": link,
               "recruiters": saturate(len(agents), 1.0),
               # one phone presenting the admissions of more families than one
               "recruiter_device": saturate(int(presented.max()) - FAMILY_HOUSEHOLDS + 1, 2.0)
               if len(presented) else 0.0,
               # "admitted" patients who get no care anywhere else: a ward filled on paper
               "isolated_patients": saturate(alone_surprise - 3, 5.0),
               "identical_stays": saturate(_identical_stays(wave, everyone, p.get("alike_share", 0.0)) - 3, 5.0),
               "admission_focus": focus}
    facts.update(facility=facility, patients=len(persons), waves=waves,
                 # what the summary says: the stays with their commonest diagnosis (the signal above
                 # counts it only where it leads two waves)
                 same_diagnosis_pct=round(100 * float(wave["diagnosis_code"].value_counts(normalize=True).max()))
                 if wave["diagnosis_code"].notna().any() else 0,
                 far_pct=round(100 * wave.drop_duplicates("person_id")["far"].mean()),
                 recruiters=len(agents), never_elsewhere=alone, claims=int(len(wave)))
    if signals["recruiter_device"] > 0:
        facts["presenting_families"] = int(presented.max())
    if signals["identical_stays"] > 0:
        facts["alike_stays"] = int(_billed_alike(wave).sum())
    return candidate(
        "co_admission", "induced_admission",
        persons={**{pid: ("cardholder", 0.8) for pid in persons}, **{a: ("recruiter", 0.9) for a in agents}},
        practitioners={d: ("doctor", s) for d, s in doctors.items() if s >= p["doctor_share"]},
        facilities={facility: 1.0}, signals=signals, facts=facts, claim_ids=wave["claim_id"])


def _diagnosis_surprise(wave: pd.DataFrame, everyone: pd.DataFrame, daily: pd.Series, most: int = 2) -> float:
    """How much more the stays of ``wave`` share one or two diagnoses than the hospital's own mix
    (``everyone``) and every hospital's mix in the wave's days (``daily``: stays by diagnosis and
    day) give: for the wave's top 1 and top 2 diagnoses, the binomial surprise of so many of its
    stays having them at the larger of those shares, less log10 of the ways that many diagnoses
    could be picked among the hospital's; the larger.

    A recruiter brings one or two diagnoses to a hospital that treats thirty, in any season;
    a winter's pneumonia fills every hospital with the same diagnosis.

    >>> day = pd.Timestamp("2024-06-01")
    >>> hospital = pd.DataFrame({"diagnosis_code": ["J18"] * 50 + ["I63", "M51"] * 5 + [f"X{i}" for i in range(40)],
    ...                          "admit_day": day})
    >>> daily = hospital.groupby(["diagnosis_code", "admit_day"]).size()
    >>> round(_diagnosis_surprise(hospital.iloc[50:60], hospital, daily), 1)
    7.0
    >>> round(_diagnosis_surprise(hospital.iloc[:8], hospital, daily), 1)
    0.8
    >>> winter = pd.concat([daily, pd.Series([400], index=pd.MultiIndex.from_tuples([("I63", day)]))])
    >>> round(_diagnosis_surprise(hospital.iloc[50:60], hospital, winter), 1)
    0.0
    """
    codes = wave["diagnosis_code"].dropna()
    if codes.empty:
        return 0.0
    mix = everyone["diagnosis_code"].value_counts(normalize=True)
    days = daily.index.get_level_values(1)
    season = daily[(days >= wave["admit_day"].min()) & (days <= wave["admit_day"].max())]
    season = season.groupby(level=0, observed=True).sum()
    season = season / max(season.sum(), 1)
    top = codes.value_counts()
    best = 0.0
    for k in range(1, min(most, len(top)) + 1):
        picked = top.index[:k]
        share = max(float(mix.reindex(picked).fillna(0).sum()), float(season.reindex(picked).fillna(0).sum()))
        surprise = binomial_surprise(int(top.iloc[:k].sum()), len(codes), share)
        best = max(best, surprise - math.log10(math.comb(max(len(mix), k), k)))
    return best


def _billed_alike(stays: pd.DataFrame) -> pd.Series:
    """Whether each stay's bill (column ``bill``) is also another patient's among ``stays``."""
    return stays.groupby("bill")["person_id"].transform("nunique") >= 2


def _identical_stays(wave: pd.DataFrame, everyone: pd.DataFrame, alike: float) -> float:
    """The binomial surprise of so many stays of ``wave`` billed like another patient's stay of
    it, at the larger of ``alike`` (a typical hospital's share of stays billed like another
    patient's there) and the share among the hospital's other patients (rows of ``everyone``
    outside the wave; with one in its numerator, so a hospital with few others is not taken
    for one that never bills alike).

    A hospital that bills a day surgery as one package bills its other patients alike too;
    a ward filled on paper is billed from one template where the hospital's real patients
    are not.

    >>> wave = pd.DataFrame({"person_id": list("abcdef"), "bill": [1, 1, 1, 1, 2, 3]})
    >>> others = pd.DataFrame({"person_id": [f"o{i}" for i in range(40)], "bill": range(10, 50)})
    >>> round(_identical_stays(wave, pd.concat([wave, others]), 0.01), 1)
    5.3
    >>> packages = others.assign(bill=[10, 11] * 20)
    >>> round(_identical_stays(wave, pd.concat([wave, packages]), 0.01), 1)
    0.0
    """
    if "bill" not in wave or wave.empty:
        return 0.0
    others = everyone[~everyone["person_id"].isin(set(wave["person_id"]))]
    own = (float(_billed_alike(others).sum()) + 1) / (len(others) + 2)
    return binomial_surprise(int(_billed_alike(wave).sum()), len(wave), min(max(alike, own, 0.01), 0.99))


#: what the stays of recruited patients show, beyond their ties
_ADMISSION_TELLS = ("far_patients", "waves", "same_diagnosis", "isolated_patients", "identical_stays")


def _recruited(ctx: Context, facility: str, rows: pd.DataFrame, reach: float, correction: float, p: dict):
    """The candidate of one hospital's patients tied by recruiters' phones, accounts or proxy cards, or None.

    A recruiter who brings a few patients at a time leaves no wave, but the
    patients he is tied to were admitted to the same hospital far more often
    than its share of all inpatients allows: of the persons tied to the
    group (members, their families, the hubs), the binomial surprise of so
    many admitted here, after a Bonferroni correction over the hospitals.
    Ties within a family (a grown child listed by both parents) are no
    ties here (``link_signal`` weighs households).
    """
    patients = set(rows["person_id"])
    recruited, best = set(), 0.0
    for persons in ctx.groups_through_brokers(patients):
        if len(persons) < p["min_wave"] or ctx.link_signal(persons | recruiters(ctx, persons))[0] <= 0:
            continue
        surprise = ctx.focus_surprise(persons, reach) - correction
        if surprise >= FOCUS_SURPRISE:
            recruited |= persons
            best = max(best, surprise)
    if not recruited:
        return None
    # every recruited group at one hospital is one ring: the hospital is what they share
    return _looking_recruited(ctx, facility, rows[rows["person_id"].isin(recruited)], rows, p,
                              focus=saturate(best - FOCUS_SURPRISE, 3.0))


def _looking_recruited(ctx: Context, facility: str, mine: pd.DataFrame, rows: pd.DataFrame, p: dict, *,
                       focus: float = 0.0, hubs: frozenset[str] = frozenset()):
    """The candidate of the stays ``mine`` (of the hospital's ``rows``), its waves counted among
    them, when the stays themselves look recruited (from far away, in waves, one diagnosis or a
    ward nobody sees elsewhere); else None. Ties and a shared hospital are a village and its
    county hospital too, and a phone presenting several families' admissions a busy helper."""
    found = _candidate(ctx, facility, mine, _count_waves(_group_ends(mine, p), p), False, rows, p, focus=focus,
                       hubs=hubs)
    return found if found and any(found.signals.get(s, 0) > 0 for s in _ADMISSION_TELLS) else None


def _presented(ctx: Context, facility: str, rows: pd.DataFrame, p: dict):
    """The candidate of one hospital's patients whose admissions personal phones presented, each
    phone for three families or more (:meth:`Context.families_per_device`), or None.

    A recruiter who lists no phone or account of his own with the patients still presents
    their e-vouchers from his app; the stays must look recruited too, as for tied patients.
    """
    families = ctx.families_per_device(rows)
    phones = set(families.index[families >= FAMILY_HOUSEHOLDS])
    mine = rows[rows["device_id"].isin(phones)]
    if mine["person_id"].nunique() < p["min_wave"]:
        return None
    return _looking_recruited(ctx, facility, _with_companions(mine, rows, p["wave_days"]), rows, p)


def _paired(ctx: Context, facility: str, rows: pd.DataFrame, p: dict) -> list:
    """One candidate per go-between not admitted here whose phone, account or proxy card patients
    of two households or more admitted here list, when two of those households' patients share a
    diagnosis: his patients of it and those admitted within days of them with one of their
    diagnoses (:func:`_with_companions`), where the stays look recruited (from far away, in
    waves, one diagnosis: :func:`_looking_recruited`).

    A recruiter who brings four patients in two trips lists his phone with two of them, and
    leaves neither a wave nor a hub of three households. A grown child listed by his parents
    and his in-laws ties as many; that both were admitted to one hospital with one diagnosis is
    rare, and their stays do not look recruited besides (they are the hospital's catchment's,
    or come alone).
    """
    diagnoses: dict[str, list[str]] = {}
    pairs = rows[["person_id", "diagnosis_code"]].dropna().drop_duplicates()
    for pid, code in zip(pairs["person_id"], pairs["diagnosis_code"]):
        diagnoses.setdefault(pid, []).append(code)
    out = []
    # read from the patients' own identifiers once, not a frame per go-between: a big hospital's
    # patients list hundreds of grown children, few of whose two households share a diagnosis
    for hub, tied in sorted(_go_betweens(ctx, set(rows["person_id"])).items()):
        homes: dict[str, set[str]] = {}
        for pid in tied:
            for code in diagnoses.get(pid, ()):
                homes.setdefault(code, set()).add(ctx.household.get(pid, pid))
        shared = {code for code, linked in homes.items() if len(linked) >= 2}
        if shared:
            stays = rows[rows["person_id"].isin(tied) & rows["diagnosis_code"].isin(shared)]
            out.append(_looking_recruited(ctx, facility, _with_companions(stays, rows, p["wave_days"]), rows, p,
                                          hubs=frozenset({hub})))
    return out


def _with_companions(presented: pd.DataFrame, rows: pd.DataFrame, days: int) -> pd.DataFrame:
    """The ``presented`` stays and the hospital's others (rows of ``rows``) admitted within ``days``
    of one of them with one of their diagnoses: a recruiter brings his patients in groups and
    presents some of their e-vouchers, not all. Picked without looking at where they live, and
    only of diagnoses the hospital admits fewer than once in such a span (``2 * days + 1``) on
    average: where it admits several a day, those admitted with a presented patient are the
    day's patients, and their waves and helpers are the hospital's own."""
    span = (rows["admit_day"].max() - rows["admit_day"].min()).days + 1
    expected = rows["diagnosis_code"].value_counts() * (2 * days + 1) / span
    sparse = set(expected.index[expected < 1]) & set(presented["diagnosis_code"].dropna())
    admitted = np.unique(presented["admit_day"].to_numpy("datetime64[D]").astype(np.int64))
    day = rows["admit_day"].to_numpy("datetime64[D]").astype(np.int64)
    after = np.searchsorted(admitted, day).clip(max=len(admitted) - 1)  # the nearest on either side
    before = (after - 1).clip(min=0)
    near = np.minimum(np.abs(day - admitted[after]), np.abs(day - admitted[before])) <= days
    near &= rows["diagnosis_code"].isin(sparse).to_numpy(dtype=bool)
    return pd.concat([presented, rows[near]]).drop_duplicates("claim_id")


def _recurring_share(wave: pd.DataFrame, p: dict) -> float:
    """The share of the stays of ``wave`` with its commonest diagnosis, when that diagnosis leads
    two of its waves or more (runs of admission days with ``min_wave`` stays or more; 0 when it
    leads one: its stays came in one event).

    A pneumonia outbreak in February and a bus crash's injuries in March at one
    hospital are two waves, and most of their stays share a diagnosis; but each
    event brought its own, where a recruiter's buses bring the same one again.
    """
    days = wave["admit_day"]
    ordered = np.sort(days.unique())
    starts = ordered[np.r_[True, np.diff(ordered) > np.timedelta64(p["wave_days"] - 1, "D")]]
    event = np.searchsorted(starts, days.to_numpy(), side="right")
    sizes = pd.Series(event).value_counts()
    whole = np.isin(event, sizes.index[sizes >= p["min_wave"]])  # a stray stay beside the waves is no wave
    leading = wave.loc[whole, "diagnosis_code"].groupby(event[whole]).agg(
        lambda d: d.mode().iloc[0] if d.notna().any() else None)
    top = wave["diagnosis_code"].value_counts()
    if top.empty or int((leading == top.index[0]).sum()) < 2:
        return 0.0
    return float(top.iloc[0] / len(wave))


def _day_ward_courses(stays: pd.DataFrame) -> np.ndarray:
    """Per stay (rows with ``admit_day`` and ``settled_at``), whether it is one of a course of day
    stays: its patient's stays at the hospital that last a day at most (settled the day of
    admission or the next), ``COURSE_STAYS`` or more, admitted at a steady interval (two in three
    of the gaps between them within a half of their median either way).

    Chemotherapy every three weeks, transfusions, infusions: a day ward admits its patients
    cycle after cycle, and those who began together come back together. A recruiter's patients
    are admitted for a week or two, to fill beds that are paid by the day."""
    short = (stays["settled_at"].dt.normalize() - stays["admit_day"]).dt.days.le(1).to_numpy(dtype=bool)
    day = stays.loc[short, ["person_id", "facility_id", "admit_day"]].drop_duplicates().sort_values("admit_day")
    gaps = day.groupby(["person_id", "facility_id"], observed=True)["admit_day"].diff().dt.days.dropna()
    keys = day.loc[gaps.index, ["person_id", "facility_id"]]
    frame = keys.assign(gap=gaps.to_numpy())
    median = frame.groupby(["person_id", "facility_id"], observed=True)["gap"].transform("median")
    frame["steady"] = (frame["gap"] >= median / 1.5) & (frame["gap"] <= median * 1.5)
    course = frame.groupby(["person_id", "facility_id"], observed=True).agg(gaps=("gap", "size"), steady=("steady", "mean"))
    course = course[(course["gaps"] >= COURSE_STAYS - 1) & (course["steady"] >= 2 / 3)]
    on_course = pd.MultiIndex.from_frame(stays[["person_id", "facility_id"]]).isin(course.index)
    return on_course & short


def _count_waves(ends, p: dict) -> int:
    """Distinct waves among the ends of ``wave_days`` windows that held ``min_wave`` admissions."""
    waves, last = 0, None
    for end in ends:
        waves += last is None or end - pd.Timedelta(days=p["wave_days"] - 1) > last
        last = end
    return waves


def co_admission_job(ctx: Context, *, seed: int = 0, params: dict | None = None) -> JobResult:
    """Candidate induced-admission groups from recurring admission waves."""
    p = {**PARAMS, **(params or {}), "seed": seed}
    inpatient = (ctx.claims["visit_type"] == "inpatient").to_numpy(dtype=bool)
    stays = ctx.claims[inpatient].copy()
    if stays.empty:
        return JobResult("co_admission", p, [], skipped="no inpatient claims")
    stays["bill"] = ctx.bills()[inpatient]
    p["alike_share"] = _typical_alike_share(stays)
    stays["admit_day"] = stays["admitted_at"].fillna(stays["settled_at"]).dt.normalize()
    stays = stays.dropna(subset=["admit_day"])
    stays = stays[~_day_ward_courses(stays)]
    stays["home"] = _region(stays["person_id"].map(ctx.person["region_code"]))
    stays["far"] = stays["home"].notna() & (stays["home"] != _region(stays["facility_id"].map(ctx.facility["region_code"])))
    stays["injury"] = _injuries(stays["diagnosis_code"])
    daily = stays.groupby(["diagnosis_code", "admit_day"]).size()
    reach = stays.groupby("facility_id")["person_id"].nunique() / max(stays["person_id"].nunique(), 1)
    correction = math.log10(max(len(reach), 1))
    out = []
    # windows of several widths among the far-away, their busiest month, and that of one or two
    # diagnoses among them: Bonferroni over them all
    far_scales = [{**p, "wave_days": days, "wave_surprise": p["wave_surprise"] + math.log10(len(p["far_scan_days"]) + 2)}
                  for days in p["far_scan_days"]]
    far = stays[stays["far"] & ~stays["injury"]]
    far_daily = far.groupby("admit_day").size()
    far_daily_dx = {code: days.droplevel(0) for code, days in far.groupby(
        ["diagnosis_code", "admit_day"], observed=True).size().groupby(level=0, observed=True)}
    for facility, rows in stays.groupby("facility_id"):
        # waves are looked for among stays that are not an accident's casualties
        calm = rows[~rows["injury"]]
        found = _waves(calm, rows, p)
        parts = [(*found, "intake")] if found else []
        out.append(_recruited(ctx, facility, rows, float(reach[facility]), correction, p))
        out.append(_presented(ctx, facility, rows, p))
        out += _paired(ctx, facility, rows, p)
        # a ring's waves share a diagnosis: counted against that diagnosis's own admissions they stand out
        # where the hospital's whole intake hides them
        for diagnosis, same in calm.groupby("diagnosis_code"):
            found = _busiest_month(same, daily.loc[diagnosis], p) or _waves(same, rows, p)
            parts += [(*found, "diagnosis")] if found else []
        # recruited patients come from far away: their waves stand out among the hospital's
        # patients from elsewhere where its whole intake hides them (not where most are from elsewhere)
        scan = 0.0
        if rows["far"].mean() <= p["far_scan_share"]:
            if found := _far_waves(calm, far_scales, far_daily):
                parts.append((*found, "far"))
            if found := _far_diagnosis_month(calm, far_daily_dx, far_scales[0]):
                parts.append((*found[:2], "far_diagnosis"))
                scan = found[2]
        if parts:
            wave, waves, by_diagnosis, far_blind = _one_intake(parts, p)
            out.append(_candidate(ctx, facility, wave, waves, by_diagnosis, rows, p, far_blind=far_blind,
                                  daily=daily, diagnosis_scan=scan))
    return JobResult("co_admission", p, [c for c in out if c is not None])


def _typical_alike_share(stays: pd.DataFrame, least: int = 10) -> float:
    """The median hospital's share of stays billed like another patient's stay there, among
    hospitals with ``least`` stays or more: the typical hospital, not the pooled count, which
    a few wards filled from one template would set."""
    sizes = stays.groupby("facility_id")["claim_id"].transform("size")
    stays = stays[sizes >= least]
    if stays.empty:
        return 0.0
    twins = stays.groupby(["facility_id", "bill"])["person_id"].transform("nunique") >= 2
    return round(float(twins.groupby(stays["facility_id"]).mean().median()), 4)


def _far_waves(rows: pd.DataFrame, scales: list[dict], far_daily: pd.Series) -> tuple[pd.DataFrame, int] | None:
    """The stays of one hospital's patients from far away (rows of ``rows``) admitted in waves
    at any of the window widths of ``scales``, or in the groups admitted together within their
    busiest month (:func:`_busiest_month`, against the hospital's own far-away patients of other
    months and every hospital's in those days, ``far_daily``: a recruiter's buses, each too
    small to stand out, fill a month; the patients who came alone that month are not his), and
    the most waves any of them found; or None."""
    far = rows[rows["far"]]
    if len(far) < scales[0]["min_wave"]:
        return None
    found = [f for f in (_waves(far, rows, q) for q in scales) if f]
    if (month := _busiest_month(far, far_daily, scales[0])) is not None:
        # the month's buses, not every patient from far away who came in it (none: no buses)
        stays, waves = month
        buses = _in_waves(stays, _group_ends(stays, scales[0]), scales[0])
        if not buses.empty:
            found.append((buses, waves))
    if not found:
        return None
    return pd.concat([f[0] for f in found]).drop_duplicates("claim_id"), max(f[1] for f in found)


def _far_diagnosis_month(rows: pd.DataFrame, far_daily_dx: dict[str, pd.Series],
                         p: dict) -> tuple[pd.DataFrame, int, float] | None:
    """The groups admitted together (``min_wave`` within ``wave_days``) in the busiest month of
    one hospital's patients from far away with one or two diagnoses, where that month is beyond
    the hospital's own rate of such stays and its share of every hospital's in those days
    (:func:`_busiest_window`; ``far_daily_dx``: per diagnosis, every hospital's stays of patients
    from far away by day), tried for every one or two of the ``FAR_DIAGNOSES`` commonest
    diagnoses among its patients from far away, with a Bonferroni correction over them; with its
    waves and surprise, less the correction; or None.

    A recruiter's buses of a dozen stroke and spine cases from other prefectures, over a month,
    hide in the month's patients from far away, who come for thirty reasons; counted among
    those who came from far with the same diagnoses they stand out. The stays are picked by
    diagnosis and by distance, so the surprise is the one tell they give: it says what the
    wave shares beyond the hospital's mix and its peers' season, not a second time how far
    they came."""
    far = rows[rows["far"] & rows["diagnosis_code"].notna()]
    if len(far) < 2 * p["min_wave"]:  # fewer than a month needs (:func:`_busiest_window`)
        return None
    counts = far["diagnosis_code"].value_counts()
    codes = list(counts.index[counts > 0][:FAR_DIAGNOSES])
    picks = {frozenset(pair) for pair in itertools.combinations_with_replacement(codes, 2)}
    tried = math.log10(len(picks))
    scale = {**p, "wave_surprise": p["wave_surprise"] + tried}
    best = None
    for pick in sorted(picks, key=sorted):
        mine = far[far["diagnosis_code"].isin(pick)]
        if len(mine) < 2 * p["min_wave"]:
            continue
        peers = pd.concat([far_daily_dx[code] for code in pick], axis=1, sort=True).sum(axis=1)
        found = _busiest_window(mine, peers, scale)
        if found and (best is None or found[2] > best[2]):
            best = found
    if best is None:
        return None
    month, waves, surprise = best
    buses = _in_waves(month, _group_ends(month, p), p)
    return (buses, waves, surprise - tried) if not buses.empty else None


def _one_intake(parts: list[tuple[pd.DataFrame, int, str]], p: dict) -> tuple[pd.DataFrame, int, bool, pd.DataFrame]:
    """The waves found at one hospital (in its whole intake, per diagnosis and among its patients
    from far away: each part says which) as one set of stays, with its wave count, whether one
    diagnosis picked them all, and the stays picked without looking at where patients live.

    A recruiter who brings two diagnoses in turn, or more patients than one month holds, leaves
    several such parts at the same hospital: one ring, not a ring per part. Waves are counted
    again over the union; one part stays as it was found.
    """
    blind = pd.concat([part[0] for part in parts if part[2] not in ("far", "far_diagnosis")] or [parts[0][0].iloc[:0]])
    blind = blind.drop_duplicates("claim_id")
    if len(parts) == 1:
        return parts[0][0], parts[0][1], parts[0][2] == "diagnosis", blind
    stays = pd.concat([part[0] for part in parts]).drop_duplicates("claim_id")
    waves = max(_count_waves(_group_ends(stays, p), p), max(part[1] for part in parts))
    # waves picked within one diagnosis share it by construction; waves found in the whole intake
    # that turn out to share one diagnosis are evidence
    by_diagnosis = all(part[2] == "diagnosis" for part in parts) and stays["diagnosis_code"].nunique() <= 1
    return stays, waves, by_diagnosis, blind
