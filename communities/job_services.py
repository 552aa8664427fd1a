"""Job: services billed that were never delivered (虚构医药服务).

The same bill (the same items and quantities, or without fee lines the same
amount and diagnosis) repeated for at least ``min_persons`` patients on at
least ``min_days`` days at one hospital or clinic is a template; one day
alone is an employer's health screening. Templates are normal for dialysis
and physiotherapy, so the independent signals decide: the template's
largest template is several times the usual largest template of the
facility's peers, the template's patients are never seen at any other facility far more often than the
patients of the facility's peers (same kind), the facility bills more
patients a day than it has beds (inpatient) or practitioners x
``patients_per_practitioner`` (outpatient), and identifiers tie the patients.
"""

from __future__ import annotations

import pandas as pd

from ringscope.communities.context import Context
from ringscope.communities.evidence import candidate
from ringscope.communities.model import JobResult
from ringscope.communities.stats import binomial_surprise, saturate

__all__ = ["fictitious_services_job", "bill_signatures", "PARAMS"]

PARAMS = {"min_persons": 5, "min_days": 3, "patients_per_practitioner": 40, "doctor_share": 0.3}


def bill_signatures(ctx: Context) -> pd.Series:
    """Per claim id, a text that is equal for bills with the same content."""
    claims = ctx.claims.set_index("claim_id")
    fallback = claims["total_amount"].round(2).astype(str) + "|" + claims["diagnosis_code"].fillna("").astype(str)
    lines = ctx.tables.claim_items
    if lines is None or lines.empty:
        return fallback
    text = pd.DataFrame({"claim_id": lines["claim_id"],
                         "line": lines["item_code"].astype(str) + "x" + lines["quantity"].round(3).astype(str)})
    signature = text.sort_values(["claim_id", "line"]).groupby("claim_id")["line"].agg(";".join)
    return signature.reindex(claims.index).fillna(fallback)


def fictitious_services_job(ctx: Context, *, seed: int = 0, params: dict | None = None) -> JobResult:
    """Candidate fictitious-service groups: templated bills for patients seen nowhere else."""
    p = {**PARAMS, **(params or {}), "seed": seed}
    claims = ctx.claims[ctx.claims["facility_kind"].isin(["hospital", "clinic"])].copy()
    if claims.empty:
        return JobResult("fictitious_services", p, [], skipped="no hospital or clinic claims")
    claims["bill"] = claims["claim_id"].map(bill_signatures(ctx))
    spread = claims.groupby(["facility_id", "bill"]).agg(persons=("person_id", "nunique"), days=("day", "nunique"))
    templates = spread[(spread["persons"] >= p["min_persons"]) & (spread["days"] >= p["min_days"])].reset_index()
    largest = templates.groupby("facility_id")["persons"].max()
    kind_of = largest.index.map(ctx.facility["kind"])
    usual_template = largest.groupby(kind_of).median()
    isolated = (ctx.facilities_per_person <= 1)
    kind_base = {kind: float(isolated.reindex(rows["person_id"].unique()).mean())
                 for kind, rows in claims.groupby("facility_kind")}
    staff = ctx.tables.practitioners.groupby("facility_id")["practitioner_id"].nunique()
    out = []
    for facility, bills in templates.groupby("facility_id"):
        mine = claims[(claims["facility_id"] == facility) & claims["bill"].isin(set(bills["bill"]))]
        persons = set(mine["person_id"])
        alone = int(isolated.reindex(list(persons)).fillna(False).sum())
        kind = ctx.facility["kind"].get(facility)
        surprise = binomial_surprise(alone, len(persons), min(max(kind_base.get(kind, 0.5), 0.01), 0.99))
        at_facility = claims[claims["facility_id"] == facility]
        busiest = int(at_facility.groupby("day")["person_id"].nunique().max())
        beds = ctx.facility["beds"].get(facility)
        capacity = beds if kind == "hospital" and pd.notna(beds) and beds > 0 else \
            max(int(staff.get(facility, 1)), 1) * p["patients_per_practitioner"]
        link, facts = ctx.link_signal(persons)
        doctors = mine["practitioner_id"].value_counts(normalize=True)
        facts.update(facility=facility, patients=len(persons), bills=int(len(mine)), never_elsewhere=alone,
                     busiest_day=busiest, capacity=float(capacity), claims=int(len(mine)))
        out.append(candidate(
            "fictitious_services", "fictitious_services",
            persons={pid: ("cardholder", 0.8) for pid in persons},
            practitioners={d: ("doctor", s) for d, s in doctors.items() if s >= p["doctor_share"]},
            facilities={facility: 1.0},
            signals={"identical_bills": saturate(largest[facility] / usual_template.get(kind, 1.0) - 1, 2.0),
                     "isolated_patients": saturate(surprise - 3, 5.0),
                     "over_capacity": saturate(busiest / capacity - 1, 1.0),
                     "shared_identifier": link},
            facts=facts, claim_ids=mine["claim_id"]))
    return JobResult("fictitious_services", p, out)
