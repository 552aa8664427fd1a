"""Job: cards used where their holders cannot be (冒名就医购药), grouped by place.

Per claim, three rules joined to the person: settled more than
``death_grace_days`` after the holder's death, except a stay that began on
or before the death (a patient who died in hospital is settled at
discharge); the same card in two provinces the same day; a diagnosis
incompatible with the holder's sex or age (pregnancy for a man or a child,
prostate for a woman, perinatal codes after the first year; and any code that
the extract's own claimants show to be children's or one sex's, held by an
adult or the other sex). Travellers and
late uploads produce such flags too, but scattered; a ring concentrates
them at one facility through one practitioner or device. Each flag type is
scored against the rate of flagged cardholders per claimant at every other
facility (the peers' baseline), taken separately for claimants insured in
the facility's own province and for those insured elsewhere (a hospital in
another province sees travellers, whose days in two places are honest), times
the facility's claimants of each kind; the Poisson tail is corrected for the
number of facilities tested (those with ``min_persons`` flagged cards).
A card's days in two provinces come by chance too, as often as its days here
meet its days elsewhere: a dialysis patient's card is at his centre three days
a week, and a relative paying with his e-voucher in another province (家庭共济)
puts it in two provinces on some of them. So the cards expected in two places
are also read card by card (:func:`_two_places_by_exposure`), and a facility
stands out only beyond the larger of the two readings. Two signals come of it: the cards with any
flag together (a ring mixes dead, moved-away and mismatched cards, each
kind too few to stand out alone), and how many kinds stand out at once (a
hospital where patients die is surprising for one kind only). The shared channel (one practitioner or device
behind the flagged claims) counts only above that channel's share of the
facility's own claims: at a one-doctor clinic every claim has the same doctor;
or when one personal device presents the flagged cards of several households.
An organiser keeps several phones and passes cards between them: the ring's
cards are every card presented here by that phone, by every other phone
presenting flagged cards of two families or more here (one organiser's
second phone, not a second organiser at the same counter by chance) and by
the phones sharing a card with them (each presenting two families or more),
while the evidence stays the one phone's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ringscope.communities.context import Context, personal_claims
from ringscope.communities.evidence import candidate, top_share
from ringscope.communities.job_admissions import recruiters
from ringscope.communities.model import JobResult
from ringscope.communities.stats import binomial_surprise, poisson_surprise, saturate

__all__ = ["impersonation_job", "flag_claims", "PARAMS"]

PARAMS = {"death_grace_days": 30, "min_persons": 2, "profile_claimants": 30, "child_share": 0.95,
          "sex_share": 0.995}
FLAGS = ("after_death", "two_places", "incompatible")
#: how surprising (-log10) one practitioner's or device's share of the flagged claims must be,
#: against its share of the facility's claims, to be the ring's channel
CHANNEL_SURPRISE = 3.0
_MALE_ONLY = ("C61", "N40", "N41", "N42", "N43", "N44", "N45", "N46", "N47", "N48", "N49", "N50", "N51")
_FEMALE_ONLY = ("O", "C51", "C52", "C53", "C54", "C55", "C56", "C57", "C58", "N70", "N71", "N72", "N73",
                "N74", "N75", "N76", "N77", "N80", "N81", "N82", "N83", "N84", "N85", "N86", "N87", "N88",
                "N89", "N90", "N91", "N92", "N93", "N94", "N95", "N96", "N97", "N98", "Z32", "Z33", "Z34",
                "Z35", "Z36", "Z37", "Z39")


def _profile_misfits(diagnosis: pd.Series, person: pd.Series, age: pd.Series, sex: pd.Series,
                     p: dict) -> pd.Series:
    """Claims whose diagnosis the extract's own claimants show to be a child's, or one sex's,
    made by an adult or by the other sex.

    Coding rules differ between regions and code versions, and a list of
    children's and one-sex codes is never complete: so a code held by
    ``profile_claimants`` persons or more, at least ``child_share`` of them
    under 15 (or ``sex_share`` of one sex), is that group's in this extract.
    A teenager near the line is not flagged: only claimants of 18 or more.

    >>> dx = pd.Series(["J03"] * 40 + ["X"] * 40 + ["J03"])
    >>> age = pd.Series([5.0] * 40 + [50.0] * 40 + [70.0])
    >>> sex = pd.Series(["F", "M"] * 40 + ["M"])
    >>> person = pd.Series([str(i) for i in range(81)])
    >>> hits = _profile_misfits(dx, person, age, sex, PARAMS)
    >>> list(hits[hits].index)
    [80]
    """
    seen = pd.DataFrame({"dx": diagnosis, "person": person, "child": age < 15, "male": sex == "M",
                         "known": sex.isin(["M", "F"])}).dropna(subset=["dx"])
    seen = seen[seen["dx"] != ""].drop_duplicates(["dx", "person"])
    profile = seen.groupby("dx").agg(n=("person", "size"), child=("child", "mean"), male=("male", "sum"),
                                     known=("known", "sum"))
    profile = profile[profile["n"] >= p["profile_claimants"]]
    children = set(profile.index[profile["child"] >= p["child_share"]])
    male = profile["male"] / profile["known"].clip(lower=1)
    men = set(profile.index[(profile["known"] >= p["profile_claimants"]) & (male >= p["sex_share"])])
    women = set(profile.index[(profile["known"] >= p["profile_claimants"]) & (male <= 1 - p["sex_share"])])
    return (diagnosis.isin(children) & (age >= 18)) | (diagnosis.isin(men) & (sex == "F")) \
        | (diagnosis.isin(women) & (sex == "M"))


def flag_claims(ctx: Context, params: dict | None = None) -> pd.DataFrame:
    """The claims with at least one impersonation flag, one boolean column per flag."""
    p = {**PARAMS, **(params or {})}
    claims = ctx.claims
    death = ctx.claimant("death_date")
    began = claims["admitted_at"].fillna(claims["settled_at"])
    in_hospital = (claims["visit_type"] == "inpatient") & (began.dt.normalize() <= death)
    after = death.notna() & (claims["settled_at"] > death + pd.Timedelta(days=p["death_grace_days"])) & ~in_hospital
    provinces = ctx.provinces().groupby([claims["person_id"], claims["day"]]).transform("nunique")
    two = provinces.fillna(0) >= 2
    sex = ctx.claimant("gender")
    birth = ctx.claimant("birth_date")
    age = (claims["settled_at"] - birth).dt.days / 365.25
    diag = claims["diagnosis_code"].astype("string").fillna("")
    female_only = diag.str.startswith(_FEMALE_ONLY)
    male_only = diag.str.startswith(_MALE_ONLY)
    incompatible = ((sex == "M") & female_only) | ((sex == "F") & male_only) \
        | (diag.str.startswith("O") & ((age < 12) | (age > 60))) | (diag.str.startswith("P") & (age >= 1)) \
        | _profile_misfits(claims["diagnosis_code"].astype("string"), claims["person_id"], age, sex, p)
    flags = pd.DataFrame({"after_death": after.fillna(False), "two_places": two,
                          "incompatible": incompatible.fillna(False)})
    return claims[flags.any(axis=1)].join(flags)


def _two_places_by_exposure(ctx: Context) -> pd.Series:
    """Per facility, the cards expected in two provinces on a day there if each card's days there
    and its days in other provinces came independently: ``1 - exp(-here * elsewhere / days)``,
    its days here times its days in other provinces over the extract's days.

    A card seen here once and elsewhere for a week is seldom in two places by chance; a dialysis
    patient's card, here a hundred and fifty days, is on some of them where a relative uses his
    e-voucher in another province. An organiser's use of a migrant's card on the days its holder
    sees a doctor far away meets them far more often than their days give. Not calibrated on the
    flagged peers: a traveller's day of departure, at the home pharmacy in the morning and the
    city's hospital at night, meets more often than independent days would, and inflates a
    rate read from such cards (the peers' rate per card, :func:`_expected`, speaks for them).
    """
    claims = ctx.claims
    days = pd.DataFrame({"person_id": claims["person_id"], "day": claims["day"], "province": ctx.provinces()})
    per_province = days.drop_duplicates().groupby(["person_id", "province"], observed=True).size()
    per_person = per_province.groupby(level="person_id", observed=True).sum()  # a day in two provinces counts in each
    cards = days.assign(facility_id=claims["facility_id"]).drop_duplicates(["facility_id", "person_id", "day"]) \
        .groupby(["facility_id", "person_id"], observed=True).size().rename("here").reset_index()
    home = cards["facility_id"].map(ctx.facility["region_code"]).astype("string").str.slice(0, 2)
    there = per_province.reindex(pd.MultiIndex.from_arrays([cards["person_id"], home])).fillna(0).to_numpy()
    elsewhere = cards["person_id"].map(per_person).to_numpy() - there
    meet = cards["here"].to_numpy() * elsewhere / max(int(claims["day"].nunique()), 1)
    return pd.Series(1 - np.exp(-meet), index=cards.index).groupby(cards["facility_id"]).sum()


def _visits(ctx: Context) -> pd.DataFrame:
    """Who came where, once per (facility, person), and whether from another province."""
    claims = ctx.claims
    home = ctx.claimant("region_code").astype("string").str.slice(0, 2)
    here = claims["facility_id"].map(ctx.facility["region_code"]).astype("string").str.slice(0, 2)
    return pd.DataFrame({"facility_id": claims["facility_id"], "person_id": claims["person_id"],
                         "away": (home != here).fillna(False).to_numpy(dtype=bool)}).drop_duplicates()


def _expected(visits: pd.DataFrame, flagged: pd.DataFrame, flag: str) -> tuple[pd.Series, pd.Series]:
    """Per facility: flagged cardholders of ``flag`` and the count the peers' rates predict
    (``visits`` from :func:`_visits`)."""
    hit = flagged.loc[flagged[flag], ["facility_id", "person_id"]].drop_duplicates().assign(flag=True)
    visits = visits.merge(hit, on=["facility_id", "person_id"], how="left").fillna({"flag": False})
    per = visits.groupby(["facility_id", "away"]).agg(n=("person_id", "size"), k=("flag", "sum"))
    totals = per.groupby(level="away").sum()
    others_k = per["k"].rsub(per.index.get_level_values("away").map(totals["k"]).to_numpy())
    others_n = per["n"].rsub(per.index.get_level_values("away").map(totals["n"]).to_numpy())
    # half a flag as a floor, so an empty elsewhere does not make one flag infinitely surprising
    expected = (others_k.clip(lower=0.5) / others_n.clip(lower=1) * per["n"]).groupby(level="facility_id").sum()
    return per["k"].groupby(level="facility_id").sum(), expected


def _channel(rows: pd.DataFrame, facility_claims: pd.DataFrame, column: str) -> tuple[str | None, float, float]:
    """The top value of ``column`` behind the flagged claims, its share, and its binomial surprise."""
    value, share = top_share(rows[column])
    if value is None:
        return None, 0.0, 0.0
    base = float((facility_claims[column] == value).mean())
    return value, share, binomial_surprise(int((rows[column] == value).sum()), len(rows), base)


def _households_per_phone(ctx: Context, rows: pd.DataFrame, counters: frozenset[str]) -> int:
    """The most households whose flagged cards one personal device (not a counter) presented.

    A family phone presents a dead parent's e-voucher (one household); an
    organiser's phone presents strangers' cards.
    """
    personal = personal_claims(rows, counters)
    if personal.empty:
        return 0
    homes = personal["person_id"].map(lambda pid: ctx.household.get(pid, pid))
    return int(homes.groupby(personal["device_id"]).nunique().max())


@dataclass(frozen=True)
class PhoneRate:
    """How often a card presented by a personal device is flagged, over all personal devices."""

    rate: float
    tested: int  # personal devices presenting flagged cards of two families or more

    @classmethod
    def of(cls, ctx: Context, flagged: pd.DataFrame, counters: frozenset[str]) -> "PhoneRate":
        presented = personal_claims(ctx.claims, counters)
        hit = personal_claims(flagged, counters)
        families = ctx.families_per_device(hit, counters)
        rate = hit["person_id"].nunique() / max(presented["person_id"].nunique(), 1)
        return cls(rate, int((families >= 2).sum()))


def _phone_evidence(ctx: Context, rows: pd.DataFrame, facility_claims: pd.DataFrame,
                    counters: frozenset[str], phones: PhoneRate) -> tuple[float, set[str]]:
    """The surprise of the flagged cards behind one personal device here, and every card it presented here.

    Counted per device, not per facility: at a busy clinic a handful of dead
    and mismatched cards is within the peers' rate, but a phone whose cards
    are mostly flagged, from families that are not its owner's, is the
    organiser's channel. Cards of one family only (a grown child keeping a
    late parent's e-voucher) are not a channel.
    """
    hit = personal_claims(rows, counters)
    if hit.empty:
        return 0.0, set()
    families = ctx.families_per_device(hit, counters)
    device = families.idxmax()
    if families[device] < 2:
        return 0.0, set()
    flagged = set(hit.loc[hit["device_id"] == device, "person_id"])
    presented = set(facility_claims.loc[facility_claims["device_id"] == device, "person_id"])
    surprise = poisson_surprise(len(flagged), len(presented) * phones.rate) - math.log10(max(phones.tested, 1))
    # the evidence is the phone's own; the ring is every card the organiser's phones presented
    # here: every phone presenting flagged cards of two families or more here is his
    devices = _organiser_devices(ctx, set(families.index[families >= 2]), personal_claims(facility_claims, counters))
    return surprise, set(facility_claims.loc[facility_claims["device_id"].isin(devices), "person_id"])


def _organiser_devices(ctx: Context, devices: set[str], personal: pd.DataFrame) -> set[str]:
    """``devices`` and the personal devices that presented a card one of them presented here,
    transitively, when each presented cards of two families or more here: an organiser keeps
    several phones and passes the same cards between them; a family's own phone presents one
    family."""
    cards = {d: set(persons) for d, persons in personal.groupby("device_id", observed=True)["person_id"]}
    families = {d: len({ctx.family_of(pid) for pid in persons}) for d, persons in cards.items()}
    found, frontier = set(devices), set(devices)
    while frontier:
        shared = set().union(*(cards.get(d, set()) for d in frontier))
        frontier = {d for d, persons in cards.items() if d not in found and families[d] >= 2 and persons & shared}
        found |= frontier
    return found


def impersonation_job(ctx: Context, *, seed: int = 0, params: dict | None = None) -> JobResult:
    """Candidate impersonation groups: flagged cards concentrated at one facility."""
    p = {**PARAMS, **(params or {}), "seed": seed}
    flagged = flag_claims(ctx, p)
    if flagged.empty:
        return JobResult("impersonation", p, [])
    observed, expected = {}, {}
    visits = _visits(ctx)
    flagged = flagged.assign(any_flag=True)
    for flag in (*FLAGS, "any_flag"):
        observed[flag], expected[flag] = _expected(visits, flagged, flag)
    # cards whose own days here and elsewhere make two provinces on a day likely are expected so
    by_exposure = _two_places_by_exposure(ctx).reindex(expected["two_places"].index).fillna(0.0)
    more = (by_exposure - expected["two_places"]).clip(lower=0.0)
    expected["two_places"] = expected["two_places"] + more
    expected["any_flag"] = expected["any_flag"].add(more, fill_value=0.0)
    # only places with ``min_persons`` flagged cards are tested, so only they count in the correction
    tested = flagged.groupby("facility_id")["person_id"].nunique()
    correction = math.log10(max(int((tested >= p["min_persons"]).sum()), 1))
    # an extract with an identifiers table but no device registered to a facility: every device
    # is a phone to this job (an organiser's phone used at the complicit clinic only is no counter)
    counters = ctx.terminal_devices if ctx.registered_devices is None else ctx.registered_devices
    phones = PhoneRate.of(ctx, flagged, counters)
    out = []
    for facility, rows in flagged.groupby("facility_id"):
        persons = set(rows["person_id"])
        if len(persons) < p["min_persons"]:
            continue
        surprise, counts = {}, {}
        for flag in (*FLAGS, "any_flag"):
            counts[flag] = int(observed[flag].get(facility, 0))
            surprise[flag] = poisson_surprise(counts[flag], float(expected[flag].get(facility, 0.5))) - correction
        kinds = [flag for flag in FLAGS if surprise[flag] >= 1.0]
        signals = {"impossible_cards": saturate(surprise["any_flag"] - 2, 4.0),
                   "flag_kinds": saturate(len(kinds) - 1, 1.0)}
        facility_claims = ctx.claims_at(facility)
        phone_surprise, presented = _phone_evidence(ctx, rows, facility_claims, counters, phones)
        signals["impossible_cards"] = max(signals["impossible_cards"], saturate(phone_surprise - 2, 4.0))
        # members are the cards that carry a flag this facility is surprising for, and every
        # card an organiser's phone presented here (not every impossible card comes out flagged)
        if phone_surprise > 2:
            surprising = rows[rows[kinds].any(axis=1)] if kinds else rows.iloc[:0]
            theirs = facility_claims[facility_claims["person_id"].isin(presented)]
            rows = pd.concat([surprising, theirs]).drop_duplicates("claim_id")
            persons = set(surprising["person_id"]) | presented
        elif kinds and signals["impossible_cards"] == 0 and len(kinds) == 1:
            rows = rows[rows[kinds].any(axis=1)]
            persons = set(rows["person_id"])
        staff, staff_share, staff_surprise = _channel(rows, facility_claims, "practitioner_id")
        _, _, device_surprise = _channel(rows, facility_claims, "device_id")
        signals["shared_channel"] = max(saturate(max(staff_surprise, device_surprise) - CHANNEL_SURPRISE, 4.0),
                                        saturate(_households_per_phone(ctx, rows, counters) - 1, 2.0))
        link, facts = ctx.link_signal(persons)
        signals["shared_identifier"] = link
        organisers = recruiters(ctx, persons)
        facts.update(facility=facility, persons=len(persons), claims=int(len(rows)),
                     **{flag: counts[flag] for flag in FLAGS})
        out.append(candidate(
            "impersonation", "impersonation",
            persons={**{pid: ("cardholder", 0.8) for pid in persons}, **{o: ("organiser", 0.9) for o in organisers}},
            # the doctor behind most flagged claims is the ring's where they crowd onto him beyond
            # his share of the facility's claims: at a small clinic he sees most of everyone
            practitioners={staff: ("doctor", staff_share)}
            if staff and staff_share >= 0.5 and staff_surprise > CHANNEL_SURPRISE else {},
            facilities={facility: 1.0}, signals=signals, facts=facts, claim_ids=rows["claim_id"]))
    return JobResult("impersonation", p, out)
