"""Job: a doctor's prescriptions steered to one pharmacy (医药串通).

For each doctor, the share of prescriptions filled at each pharmacy is
compared with the same pharmacy's share among the doctor's peers (the other
doctors of the doctor's own facility when they fill at least
``min_peer_fills`` prescriptions, else all other doctors): a hospital's
doctors all sending patients to the DTP pharmacy next door is the peers'
habit, not collusion. The binomial tail of the doctor's count is the flow
signal; quantities above the item's usual quantity and identifiers tying
the patients are the independent ones.
"""

from __future__ import annotations

import pandas as pd

from ringscope.communities.context import Context
from ringscope.communities.evidence import candidate
from ringscope.communities.model import JobResult
from ringscope.communities.stats import binomial_surprise, saturate

__all__ = ["prescription_flow_job", "quantity_ratio", "PARAMS"]

PARAMS = {"min_fills": 5, "min_share": 0.4, "flow_surprise": 6.0, "min_peer_fills": 30, "inflated": 1.5}


def quantity_ratio(ctx: Context) -> pd.Series:
    """Per claim: median over its lines of quantity / the item's median quantity (NaN without lines)."""
    lines = ctx.tables.claim_items
    if lines is None or lines.empty:
        return pd.Series(dtype=float)
    usual = lines.groupby("item_code")["quantity"].transform("median")
    return (lines["quantity"] / usual.where(usual > 0)).groupby(lines["claim_id"]).median()


def prescription_flow_job(ctx: Context, *, seed: int = 0, params: dict | None = None) -> JobResult:
    """Candidate collusion groups: doctor, pharmacy and the patients between them."""
    p = {**PARAMS, **(params or {}), "seed": seed}
    staff = ctx.tables.practitioners.drop_duplicates("practitioner_id").set_index("practitioner_id")
    fills = ctx.claims[(ctx.claims["facility_kind"] == "pharmacy") & ctx.claims["practitioner_id"].notna()]
    fills = fills[fills["practitioner_id"].map(staff["role"]) == "doctor"].copy()
    if fills.empty:
        return JobResult("prescription_flow", p, [], skipped="no pharmacy claims naming a prescribing doctor")
    fills["home"] = fills["practitioner_id"].map(staff["facility_id"])
    pair = fills.groupby(["practitioner_id", "facility_id"]).size().rename("n").reset_index()
    pair["doctor_total"] = pair.groupby("practitioner_id")["n"].transform("sum")
    pair["home"] = pair["practitioner_id"].map(staff["facility_id"])
    by_home = fills.groupby(["home", "facility_id"]).size()
    home_total = fills.groupby("home").size()
    by_pharmacy = fills.groupby("facility_id").size()
    total = len(fills)
    ratios = quantity_ratio(ctx)
    out = []
    for row in pair[(pair["n"] >= p["min_fills"]) & (pair["n"] >= p["min_share"] * pair["doctor_total"])].itertuples():
        peers = home_total.get(row.home, 0) - row.doctor_total
        if peers >= p["min_peer_fills"]:
            peer_share = (by_home.get((row.home, row.facility_id), 0) - row.n) / peers
        else:
            peer_share = (by_pharmacy.get(row.facility_id, 0) - row.n) / max(total - row.doctor_total, 1)
        surprise = binomial_surprise(int(row.n), int(row.doctor_total), max(peer_share, 1.0 / max(total, 1)))
        if surprise < p["flow_surprise"]:
            continue
        mine = fills[(fills["practitioner_id"] == row.practitioner_id) & (fills["facility_id"] == row.facility_id)]
        ratio = ratios.reindex(mine["claim_id"])
        qty = float(ratio.median()) if ratio.notna().any() else 1.0
        per_person = mine.assign(r=ratio.to_numpy()).groupby("person_id").agg(n=("claim_id", "size"), r=("r", "max"))
        keep = per_person[(per_person["r"] >= p["inflated"]) | (per_person["n"] >= 2)] if ratio.notna().any() \
            else per_person[per_person["n"] >= 2]
        persons = set(keep.index)
        link, facts = ctx.link_signal(persons)
        facts.update(doctor=row.practitioner_id, pharmacy=row.facility_id,
                     share_pct=round(100 * row.n / row.doctor_total), peer_pct=round(100 * peer_share, 1),
                     qty_ratio=round(qty, 1), patients=len(persons), claims=int(len(mine)))
        out.append(candidate(
            "prescription_flow", "prescription_collusion",
            persons={pid: ("cardholder", 0.7) for pid in persons},
            practitioners={row.practitioner_id: ("doctor", 1.0)}, facilities={row.facility_id: 1.0},
            signals={"flow_concentration": saturate(surprise - p["flow_surprise"] + 2, 6.0),
                     "inflated_quantity": saturate(qty - 1.2, 1.0), "shared_identifier": link},
            facts=facts, claim_ids=mine["claim_id"]))
    return JobResult("prescription_flow", p, out)
