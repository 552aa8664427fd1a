"""Job: cards used where their holders cannot be (冒名就医购药), grouped by place.

Per claim, three rules joined to the person: settled more than
``death_grace_days`` after the holder's death, except a stay that began on
or before the death (a patient who died in hospital is settled at
discharge); the same card in two provinces the same day; a diagnosis
incompatible with the holder's sex or age (pregnancy for a man or a child,
prostate for a woman, perinatal codes after the first year). Travellers and
late uploads produce such flags too, but scattered; a ring concentrates
them at one facility through one practitioner or device. Each flag type is
scored against the rate of flagged cardholders per claimant at every other
facility (the peers' baseline), times the facility's claimants.
"""

from __future__ import annotations

import pandas as pd

from ringscope.communities.context import Context
from ringscope.communities.evidence import candidate, top_share
from ringscope.communities.job_admissions import recruiters
from ringscope.communities.model import JobResult
from ringscope.communities.stats import poisson_surprise, saturate

__all__ = ["impersonation_job", "flag_claims", "PARAMS"]

PARAMS = {"death_grace_days": 30, "min_persons": 3}
FLAGS = ("after_death", "two_places", "incompatible")
_MALE_ONLY = ("C61", "N40", "N41", "N42", "N43", "N44", "N45", "N46", "N47", "N48", "N49", "N50", "N51")
_FEMALE_ONLY = ("O", "C51", "C52", "C53", "C54", "C55", "C56", "C57", "C58", "N70", "N71", "N72", "N73",
                "N74", "N75", "N76", "N77", "N80", "N81", "N82", "N83", "N84", "N85", "N86", "N87", "N88",
                "N89", "N90", "N91", "N92", "N93", "N94", "N95", "N96", "N97", "N98", "Z32", "Z33", "Z34",
                "Z35", "Z36", "Z37", "Z39")


def flag_claims(ctx: Context, params: dict | None = None) -> pd.DataFrame:
    """The claims with at least one impersonation flag, one boolean column per flag."""
    p = {**PARAMS, **(params or {})}
    claims = ctx.claims
    person = ctx.person
    death = claims["person_id"].map(person["death_date"])
    began = claims["admitted_at"].fillna(claims["settled_at"])
    in_hospital = (claims["visit_type"] == "inpatient") & (began.dt.normalize() <= death)
    after = death.notna() & (claims["settled_at"] > death + pd.Timedelta(days=p["death_grace_days"])) & ~in_hospital
    where = claims["region_code"].fillna(claims["facility_id"].map(ctx.facility["region_code"]))
    province = where.astype("string").str.slice(0, 2)
    provinces = province.groupby([claims["person_id"], claims["day"]]).transform("nunique")
    two = provinces.fillna(0) >= 2
    sex = claims["person_id"].map(person["gender"])
    birth = claims["person_id"].map(person["birth_date"])
    age = (claims["settled_at"] - birth).dt.days / 365.25
    diag = claims["diagnosis_code"].astype("string").fillna("")
    female_only = diag.str.startswith(_FEMALE_ONLY)
    male_only = diag.str.startswith(_MALE_ONLY)
    incompatible = ((sex == "M") & female_only) | ((sex == "F") & male_only) \
        | (diag.str.startswith("O") & ((age < 12) | (age > 60))) | (diag.str.startswith("P") & (age >= 1))
    flags = pd.DataFrame({"after_death": after.fillna(False), "two_places": two,
                          "incompatible": incompatible.fillna(False)})
    return claims[flags.any(axis=1)].join(flags)


def impersonation_job(ctx: Context, *, seed: int = 0, params: dict | None = None) -> JobResult:
    """Candidate impersonation groups: flagged cards concentrated at one facility."""
    p = {**PARAMS, **(params or {}), "seed": seed}
    flagged = flag_claims(ctx, p)
    if flagged.empty:
        return JobResult("impersonation", p, [])
    claimants = ctx.claims.groupby("facility_id")["person_id"].nunique()
    total_claimants = max(int(claimants.sum()), 1)
    per_flag = {f: flagged[flagged[f]].groupby("facility_id")["person_id"].nunique() for f in FLAGS}
    totals = {f: int(per_flag[f].sum()) for f in FLAGS}
    out = []
    for facility, rows in flagged.groupby("facility_id"):
        persons = set(rows["person_id"])
        if len(persons) < p["min_persons"]:
            continue
        signals, counts = {}, {}
        for flag in FLAGS:
            n = int(rows.loc[rows[flag], "person_id"].nunique())
            counts[flag] = n
            # the peers' rate: flagged cardholders per claimant at every other facility,
            # with half a flag as a floor so an empty elsewhere does not divide by nothing
            here = int(claimants.get(facility, 0))
            rate = max(totals[flag] - n, 0.5) / max(total_claimants - here, 1)
            expected = rate * here
            signals[flag] = saturate(poisson_surprise(n, expected) - 2, 4.0)
        staff, staff_share = top_share(rows["practitioner_id"])
        device, device_share = top_share(rows["device_id"])
        channel = max(staff_share * rows.loc[rows["practitioner_id"] == staff, "person_id"].nunique() if staff else 0,
                      device_share * rows.loc[rows["device_id"] == device, "person_id"].nunique() if device else 0)
        signals["shared_channel"] = saturate(channel - 2, 3.0)
        link, facts = ctx.link_signal(persons)
        signals["shared_identifier"] = link
        organisers = recruiters(ctx, persons)
        facts.update(facility=facility, persons=len(persons), claims=int(len(rows)), **counts)
        out.append(candidate(
            "impersonation", "impersonation",
            persons={**{pid: ("cardholder", 0.8) for pid in persons}, **{o: ("organiser", 0.9) for o in organisers}},
            practitioners={staff: ("doctor", staff_share)} if staff and staff_share >= 0.5 else {},
            facilities={facility: 1.0}, signals=signals, facts=facts, claim_ids=rows["claim_id"]))
    return JobResult("impersonation", p, out)
