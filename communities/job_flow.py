"""Job: a doctor's prescriptions steered to one pharmacy (医药串通).

For each doctor, the number of prescriptions filled at each pharmacy is
compared with the same pharmacy's share among the doctor's peers: the other
doctors of the doctor's own facility when they fill at least
``min_peer_fills`` prescriptions, else the doctors of facilities in the same
region (a county hospital's doctors all send patients to the county's one
pharmacy), else all other doctors. A hospital's doctors all sending
patients to the DTP pharmacy next door is the peers' habit, not collusion.
The binomial tail of the doctor's count, corrected for the number of
doctor-pharmacy pairs tested (Bonferroni), is the flow signal, for pairs whose
fills come from ``min_persons`` patients or more (a patient picks a pharmacy
once and fills there after: one patient's seventeen fills at his usual shop
are his habit, not his doctor's steering); the
independent ones are fills above the item's 95th-percentile quantity (a
claim's boxes of the item, however many lines they were billed on:
:func:`inflated_claims`) far more often than the 5 % that percentile lets
through (binomial tail), and
identifiers tying the patients. Members are the patients who carry the
signal (:func:`_patients`). An extract without fee lines has no quantities;
there a fill is inflated when its bill is above the 95th percentile of the
pharmacy bills for the same diagnosis (:func:`inflated_bills`).

A colluding doctor with a large honest practice sends only a few patients
to the pharmacy, so the pair's share of fills may sit at the peers' level;
what gives the pair away is that its fills are inflated *only there*
(``steered_inflation``): more often than the same doctor's fills at other
pharmacies and than the same pharmacy's fills for other doctors (binomial
tail against the larger of the two rates, never below the rate over all
fills, Bonferroni over the pairs). A doctor who writes long prescriptions
inflates wherever the patient fills, and a pharmacy that hands out big packs
does so for every doctor; neither is specific to the pair. Such a pair is
tested even when its flow is unremarkable, and its members are the patients
with an inflated fill there. A pair whose flow is remarkable has its
inflation corrected only for the pairs the flow test named: that test never
looked at quantities, so it chose the few pairs worth a second look, and a
steering doctor's handful of inflated fills among thirty need not beat every
pair of the fund.

Whether the pair's inflated fills crowd into some weeks
(``crowded_inflation``, :mod:`ringscope.communities.inflation_weeks`) is a
second line of evidence: an arrangement starts on some day and runs for
months; honest inflation is spread over the year or comes to every doctor
and pharmacy in the same weeks. So, for a pair whose flow stands out, is
whether its fills crowd into some months of the doctor's and the pharmacy's
year (``crowded_flow``, :mod:`ringscope.communities.flow_weeks`): a doctor
who steers a few patients at the usual quantities inflates nothing, but his
steering began one day.

A doctor who shares an account, a phone or an e-mail with the pharmacy or its
staff (``kickback_tie``, :mod:`ringscope.communities.staff_ties`) is where the
money of an arrangement goes. His pair is tested whatever its flow: when every
prescribing doctor of a hospital is paid by the same shop, they are one
another's peers, and the flow test sees their habit. Nor is he a peer of his
colleagues: the peers' shares and the inflation rates of the doctor elsewhere
and of the pharmacy for others are read from the fills of untied pairs, so a
colleague who sends the same shop the same inflated packs without a tie of
his own stands out against the honest doctors, not against the paid one.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ringscope.communities.context import Context
from ringscope.communities.evidence import candidate, top_share
from ringscope.communities.flow_weeks import FlowTimes
from ringscope.communities.inflation_weeks import InflationTimes
from ringscope.communities.model import JobResult
from ringscope.communities.row_groups import RowGroups
from ringscope.communities.staff_ties import pharmacy_ties
from ringscope.communities.stats import binomial_surprise, saturate

__all__ = ["prescription_flow_job", "inflated_claims", "inflated_bills", "PARAMS", "HIGH_QUANTITY", "MIN_BILLS"]

PARAMS = {"min_fills": 5, "flow_surprise": 3.0, "min_peer_fills": 30, "min_patient_fills": 2,
          "patient_surprise": 2.0, "min_persons": 3, "steered_surprise": 3.0,
          "crowded_surprise": 2.0}
#: the quantile of an item's fill quantities above which a fill counts as inflated
HIGH_QUANTITY = 0.95
#: the fewest pharmacy bills of one diagnosis that give it a usual amount (extracts without fee lines)
MIN_BILLS = 20


def inflated_claims(ctx: Context) -> tuple[np.ndarray, str]:
    """Per claim (aligned with ``ctx.claims``): whether its quantity of an item is above the
    item's ``HIGH_QUANTITY`` quantile; and what was measured (``"quantity"``).

    A claim's quantity of an item is the sum of its lines of it: a pharmacy that scans each
    box's trace code bills fourteen boxes as fourteen lines of one, none of them inflated.
    Strictly above, so an item always dispensed in the same quantity is never inflated.
    An extract without fee lines has no quantities: then :func:`inflated_bills` (``"bill"``).

    >>> from types import SimpleNamespace
    >>> claims = pd.DataFrame({"claim_id": [f"c{i}" for i in range(21)]})
    >>> lines = pd.DataFrame({"claim_id": [f"c{i}" for i in range(20)] + ["c20"] * 9,
    ...                       "item_code": "D", "quantity": 1.0})
    >>> ctx = SimpleNamespace(claims=claims, tables=SimpleNamespace(claim_items=lines),
    ...                       line_rows=lambda: np.array([*range(20)] + [20] * 9))
    >>> flag, measured = inflated_claims(ctx)
    >>> np.flatnonzero(flag).tolist(), measured
    ([20], 'quantity')
    """
    flag = np.zeros(len(ctx.claims), dtype=bool)
    lines = ctx.tables.claim_items
    if lines is None or lines.empty:
        return inflated_bills(ctx.claims), "bill"
    item, items = pd.factorize(lines["item_code"])
    rows = ctx.line_rows()
    known = (item >= 0) & (rows >= 0)
    # one number per (claim, item): its row times the items plus the item
    width = max(len(items), 1)
    claim_item, first = np.unique(rows[known] * width + item[known], return_inverse=True)
    quantity = pd.Series(np.bincount(first, weights=lines["quantity"].to_numpy(dtype=float)[known]))
    del first
    high = quantity.groupby(claim_item % width).transform("quantile", HIGH_QUANTITY).to_numpy()
    flag[claim_item[quantity.to_numpy() > high] // width] = True
    return flag, "quantity"


def inflated_bills(claims: pd.DataFrame) -> np.ndarray:
    """Per claim: a pharmacy bill above the ``HIGH_QUANTITY`` quantile of the pharmacy bills for
    the same diagnosis, where ``MIN_BILLS`` bills or more give that diagnosis a usual amount.

    Many extracts (a local system's settlement table, a public claims sample)
    carry no fee lines: the boxes are not there, but an inflated prescription
    costs more than the same illness's usual one. Without a diagnosis nothing
    is inflated: one bill's size says nothing without what it treats.

    >>> bills = pd.DataFrame({"facility_kind": ["pharmacy"] * 21 + ["hospital"],
    ...                       "diagnosis_code": ["I10"] * 22, "total_amount": [100.0] * 20 + [400.0, 900.0]})
    >>> [int(i) for i in np.flatnonzero(inflated_bills(bills))]
    [20]
    """
    known = (claims["facility_kind"] == "pharmacy").fillna(False) & claims["diagnosis_code"].notna()
    known = known.to_numpy(dtype=bool)
    bills = pd.DataFrame({"dx": claims["diagnosis_code"].to_numpy()[known],
                          "amount": claims["total_amount"].to_numpy(dtype=float)[known]})
    grouped = bills.groupby("dx")["amount"]
    high = (bills["amount"] > grouped.transform("quantile", HIGH_QUANTITY)) & (grouped.transform("size") >= MIN_BILLS)
    flag = np.zeros(len(claims), dtype=bool)
    flag[np.flatnonzero(known)[high.to_numpy(dtype=bool)]] = True
    return flag


_PAIR = ["practitioner_id", "facility_id"]


class _Dispensers:
    """The fee lines of the prescription fills, grouped by claim once: fee lines name the dispenser."""

    def __init__(self, ctx: Context, fills: pd.DataFrame):
        lines, rows = ctx.tables.claim_items, ctx.line_rows()
        if lines is None or lines.empty:
            self.lines = pd.DataFrame({"row": np.zeros(0, dtype=np.int64), "practitioner_id": []})
        else:
            take = np.isin(rows, fills["row"].to_numpy())
            self.lines = pd.DataFrame({"row": rows[take],
                                       "practitioner_id": lines.loc[take, "practitioner_id"].to_numpy()})
        self.rows = RowGroups(self.lines["row"])

    def of(self, fills: pd.DataFrame) -> dict[str, tuple[str, float]]:
        """The pharmacist who dispensed most of ``fills``, when most."""
        staff, share = top_share(self.rows.of(self.lines, fills["row"])["practitioner_id"])
        return {staff: ("pharmacist", 0.8)} if staff and share >= 0.5 else {}


def _peer_counts(fills: pd.DataFrame) -> dict[str, tuple[pd.Series, pd.Series]]:
    """Per peer level (and overall), fills per group and per group and pharmacy, counted once."""
    fills = fills.assign(everyone="*")
    return {level: (fills.groupby(level).size(), fills.groupby([level, "facility_id"]).size())
            for level in ("home", "region", "everyone")}


def _peer_share(row, counts: dict[str, tuple[pd.Series, pd.Series]], p: dict) -> float:
    """The pharmacy's share of the fills of the doctor's nearest peer group with enough fills.

    The doctor's own fills are taken out of the group's counts (a doctor has
    one home facility and one region, so all of them are in each group):
    those the counts hold (``row.base_total`` of his, ``row.base_n`` of the pair's).
    """
    for level in ("home", "region", "everyone"):
        key = "*" if level == "everyone" else getattr(row, level)
        total, at = counts[level]
        peers = int(total.get(key, 0)) - int(row.base_total)
        if peers >= p["min_peer_fills"] or (level == "everyone" and peers > 0):
            return (int(at.get((key, row.facility_id), 0)) - int(row.base_n)) / peers
    return 0.0


def _steered_surprise(pair: pd.DataFrame, units: pd.DataFrame, base_high: float) -> tuple[np.ndarray, np.ndarray]:
    """Per pair (rows of ``pair``, with ``units`` counted (:func:`_inflation_units`) and ``k`` of
    them inflated): the binomial tail of ``k`` (before any correction) against the larger of the
    doctor's inflation rate at other pharmacies and the pharmacy's rate for other doctors, at
    least ``base_high``; and that rate. ``units`` are the baseline's, which holds no tied
    pair's own (``pair["tied"]``)."""
    doctor = units.groupby("practitioner_id")["high"].agg(["size", "sum"])
    pharmacy = units.groupby("facility_id")["high"].agg(["size", "sum"])
    own = pair[["units", "k"]].where(pair["tied"] == 0, 0).to_numpy(dtype=float)
    rates = []
    for totals, key in ((doctor, "practitioner_id"), (pharmacy, "facility_id")):
        size = totals["size"].reindex(pair[key]).fillna(0).to_numpy(dtype=float) - own[:, 0]
        count = totals["sum"].reindex(pair[key]).fillna(0).to_numpy(dtype=float) - own[:, 1]
        rates.append(np.where(size > 0, count / np.maximum(size, 1.0), 0.0))
    rate = np.maximum(np.maximum(rates[0], rates[1]), base_high)
    return np.array([binomial_surprise(int(k), int(n), r) for k, n, r in zip(pair["k"], pair["units"], rate)]), rate


def _untied(rows: pd.DataFrame, ties: dict[tuple[str, str], int]) -> pd.DataFrame:
    """The rows of ``rows`` (with doctor and pharmacy) of pairs without a tie in ``ties``."""
    if not ties:
        return rows
    return rows[~pd.MultiIndex.from_frame(rows[_PAIR]).isin(list(ties))]


def _inflation_units(fills: pd.DataFrame, measured: str) -> pd.DataFrame:
    """What inflation is counted in: fills, where quantities were read; patients per doctor and
    pharmacy, where only bills were (a patient on a costly regimen is above his diagnosis's
    usual bill at every fill, wherever he fills: one patient, not each of his fills)."""
    if measured == "quantity":
        return fills[[*_PAIR, "person_id", "high"]]
    return fills.groupby([*_PAIR, "person_id"], observed=True, sort=False)["high"].any().reset_index()


def _patients(per_person: pd.DataFrame, base_high: float, p: dict) -> set[str]:
    """The patients who carry the signal between a doctor and a pharmacy.

    Patients whose fills there are inflated far more often than fills
    anywhere are (binomial tail >= ``patient_surprise``), when there are
    ``min_persons`` of them: the doctor's honest patients who live near that
    pharmacy fill there too, and only the inflation tells them apart. Else,
    with flow alone, the patients who filled there twice or more, or once
    inflated.
    """
    tail = [binomial_surprise(int(k), int(n), base_high) for k, n in zip(per_person["k"], per_person["n"])]
    carrying = set(per_person.index[pd.Series(tail, index=per_person.index) >= p["patient_surprise"]])
    if len(carrying) >= p["min_persons"]:
        return carrying
    return set(per_person.index[(per_person["n"] >= p["min_patient_fills"]) | (per_person["k"] > 0)])


def prescription_flow_job(ctx: Context, *, seed: int = 0, params: dict | None = None) -> JobResult:
    """Candidate collusion groups: doctor, pharmacy and the patients between them."""
    p = {**PARAMS, **(params or {}), "seed": seed}
    staff = ctx.tables.practitioners.drop_duplicates("practitioner_id").set_index("practitioner_id")
    prescribed = ((ctx.claims["facility_kind"] == "pharmacy") & ctx.claims["practitioner_id"].notna()) \
        .fillna(False).to_numpy(dtype=bool)
    fills = ctx.claims.loc[prescribed, ["claim_id", "person_id", "facility_id", "practitioner_id", "settled_at"]].assign(
        row=np.flatnonzero(prescribed))
    fills = fills[fills["practitioner_id"].map(staff["role"]) == "doctor"].copy()
    if fills.empty:
        return JobResult("prescription_flow", p, [], skipped="no pharmacy claims naming a prescribing doctor")
    fills["home"] = fills["practitioner_id"].map(staff["facility_id"])
    fills["region"] = fills["home"].map(ctx.facility["region_code"]).fillna("?")
    inflated, measured = inflated_claims(ctx)
    fills["high"] = inflated[fills["row"].to_numpy()]
    units = _inflation_units(fills, measured)
    pair = fills.groupby(["practitioner_id", "facility_id", "home", "region"], dropna=False, observed=True) \
        .agg(n=("high", "size"), patients=("person_id", "nunique")).reset_index()
    pair = pair.join(units.groupby(_PAIR)["high"].agg(units="size", k="sum"), on=_PAIR)
    pair["doctor_total"] = pair.groupby("practitioner_id")["n"].transform("sum")
    correction = math.log10(max(len(pair), 1))
    # a doctor paid by the pharmacy is no peer of his colleagues there: the baselines (peers'
    # shares, inflation elsewhere) are read from the fills of pairs without such a tie
    ties = pharmacy_ties(ctx.tables)
    pair["tied"] = [ties.get(key, 0) for key in zip(pair["practitioner_id"], pair["facility_id"])]
    pair["base_n"] = pair["n"].where(pair["tied"] == 0, 0)
    pair["base_total"] = pair.groupby("practitioner_id")["base_n"].transform("sum")
    counts, base_units = _peer_counts(_untied(fills, ties)), _untied(units, ties)
    # how often a fill (a patient, where only bills were read) is inflated anywhere: by the
    # quantile's definition at most 5% of fills; any share of patients may be on a costly regimen
    usual_high = 1 - HIGH_QUANTITY if measured == "quantity" else max(float(units["high"].mean()), 1 - HIGH_QUANTITY)
    # the rate at which any prescription fill is inflated: each patient's own count is tested against it
    base_high = min(max(float(units["high"].mean()), 1e-3), usual_high)
    # a patient chooses a pharmacy once and fills there after: a pair of one or two patients is
    # their habit, however many fills (a specialist's one chronic patient at his usual shop)
    pair = pair[(pair["n"] >= p["min_fills"]) & (pair["patients"] >= p["min_persons"])].reset_index(drop=True)
    floor = 1.0 / max(len(fills), 1)
    pair["peer_share"] = [_peer_share(row, counts, p) for row in pair.itertuples()]
    pair["flow"] = [binomial_surprise(int(n), int(total), max(share, floor)) - correction
                    for n, total, share in zip(pair["n"], pair["doctor_total"], pair["peer_share"])]
    # a pair steered beyond its peers is tested for inflation among the steered pairs only: the
    # flow test never looked at quantities, so it names the few pairs worth the second look
    flowing = (pair["flow"] >= p["flow_surprise"]).to_numpy()
    inflation, elsewhere = _steered_surprise(pair, base_units, base_high)
    pair["steered"] = inflation - np.where(flowing, math.log10(max(int(flowing.sum()), 1)), correction)
    pair["elsewhere"] = elsewhere
    dispensers = _Dispensers(ctx, fills)
    # the flowing pairs' doctors' claims only: a fund's ten million are grouped by doctor otherwise
    flowing_doctors = ctx.claims["practitioner_id"].isin(set(pair.loc[flowing, "practitioner_id"])).to_numpy(dtype=bool)
    times = InflationTimes(fills)
    rows = times.pairs  # each pair's fills, found once
    flow_times = FlowTimes(fills, ctx.claims.loc[flowing_doctors, ["person_id", "facility_id", "practitioner_id",
                                                                    "settled_at"]], times)
    out = []
    for row in pair.itertuples():
        steered = row.steered >= p["steered_surprise"]
        if row.flow < p["flow_surprise"] and not steered and not row.tied:
            continue
        mine = fills.iloc[rows[(row.practitioner_id, row.facility_id)]]
        high_surprise = binomial_surprise(int(row.k), int(row.units), usual_high)
        per_person = mine.groupby("person_id").agg(n=("claim_id", "size"), k=("high", "sum"))
        persons = set(per_person.index[per_person["k"] > 0]) if steered else _patients(per_person, base_high, p)
        link, facts = ctx.link_signal(persons)
        facts.update(doctor=row.practitioner_id, pharmacy=row.facility_id,
                     home=row.home if pd.notna(row.home) else None,
                     share_pct=round(100 * row.n / row.doctor_total), peer_pct=round(100 * row.peer_share, 1),
                     high_pct=round(100 * row.k / row.units), elsewhere_high_pct=round(100 * row.elsewhere, 1),
                     patients=len(persons), claims=int(len(mine)), inflated=measured)
        if row.tied:
            facts["tied_accounts"] = int(row.tied)
        run = times.crowded(row.practitioner_id, row.facility_id)
        crowded = run is not None and run.surprise >= p["crowded_surprise"]
        if crowded:
            facts.update(crowded_high=run.inflated, crowded_days=run.days)
        # when the steered fills came, for a pair whose flow stands out (timing counted once:
        # where its inflated fills crowd into some weeks, that says it)
        flow_run = flow_times.crowded(row.practitioner_id, row.facility_id) \
            if row.flow >= p["flow_surprise"] and not crowded else None
        flow_crowded = flow_run is not None and flow_run.surprise >= p["crowded_surprise"]
        if flow_crowded:
            facts.update(crowded_fills=flow_run.fills, crowded_flow_days=flow_run.days)
        out.append(candidate(
            "prescription_flow", "prescription_collusion",
            persons={pid: ("cardholder", 0.7) for pid in persons},
            practitioners={row.practitioner_id: ("doctor", 1.0), **dispensers.of(mine)}, facilities={row.facility_id: 1.0},
            signals={"flow_concentration": saturate(row.flow - p["flow_surprise"] + 1, 4.0),
                     "inflated_quantity": saturate(high_surprise - 3, 4.0),
                     "steered_inflation": saturate(row.steered - p["steered_surprise"] + 1, 4.0) if steered else 0.0,
                     "crowded_inflation": saturate(run.surprise - p["crowded_surprise"] + 1, 4.0) if crowded else 0.0,
                     "crowded_flow": saturate(flow_run.surprise - p["crowded_surprise"] + 1, 4.0)
                     if flow_crowded else 0.0,
                     # an account or phone the doctor shares with the pharmacy or its staff
                     "kickback_tie": saturate(row.tied, 1.0),
                     "shared_identifier": link},
            facts=facts, claim_ids=mine.loc[mine["person_id"].isin(persons), "claim_id"]))
    return JobResult("prescription_flow", p, out)
