"""Job: persons tied by identifiers across households (借卡, card collectors).

A phone shared by two is a family; a phone, account or device that ties
persons of many different households together is an organiser's. The graph
has a vertex per person and per identifier that spans at least
``min_households`` households (addresses), household-aware by construction;
components are split by Leiden (see :mod:`ringscope.communities.partition`).
A member reached only through identifiers a family can explain (three
households at most: the organiser's own phone presenting his parents' and
in-laws' cards) is that member's family, not the ring's, and is left out
when enough members hold a wider one.
Independent signals scored per group: households tied (identifiers table and
claim devices) beyond what one family ties, and one personal device
presenting the cards of more households than a family has, within half an
hour or on the same day again and again (a grown child fetches for parents
and in-laws: three households at most), the days beyond what chance gives a
phone that many households use (:func:`_crowded_by_chance`: a child keeping
six elderly households' e-vouchers settles four of them on one day some
year). How many
facilities a personal phone is used at is no signal: honest family phones
are used at more places than organisers' phones.

When the group, tied beyond what one family ties, also meets at one facility
far beyond that facility's reach (:func:`place_focus`) and that facility
carries 进销存 or traceability evidence, the facility, its staff member
serving the group, and the facility's evidence join the candidate:
cardholders collected by one organiser and swiped at a shop that sells what
it never bought. A grown child's family filling its drugs at such a shop is
that shop's customers; the ledger is the shop's evidence, not theirs. So is a
family whose cards the child presents together there: the evidence joins
only where the group's own claims are among the sales it names
(:func:`ringscope.communities.job_stock.evidence_on`), as for the lockstep
job's blocks; the shop's ring bought what it never stocked, the family its
blood-pressure pills. A shop whose
ledger adds up joins too when the group's cards came to it together
(:func:`arrivals_signal`: sessions, not one pair again and again, so the
lockstep job's repeated pairs need not exist).

A lender with two or three strangers' cards ties no more households than a
family does; his cards, carried together to several places on phones that
are none of theirs, are :func:`carried_card_groups`' candidates.
"""

from __future__ import annotations

import math

import igraph as ig
import numpy as np
import pandas as pd

from ringscope.communities.carried_cards import CARRIED_PARAMS, carried_card_groups
from ringscope.communities.context import FAMILY_HOUSEHOLDS, Context, personal_claims
from ringscope.communities.evidence import (FOCUS_SURPRISE, Focus, arrivals_signal, candidate, find_bursts,
                                            place_focus)
from ringscope.communities.job_stock import FacilityEvidence, evidence_on
from ringscope.communities.model import JobResult
from ringscope.communities.partition import leiden_communities
from ringscope.communities.row_groups import RowGroups
from ringscope.communities.stats import poisson_surprise, saturate

__all__ = ["shared_identifier_job", "lent_groups", "PARAMS"]

#: crowded_surprise: a device's crowded days count beyond chance at 1% after the groups' correction
PARAMS = {"min_households": 3, "min_persons": 3, "burst_window_min": 30, "split_above": 12, "crowded_surprise": 2.0,
          "carried": CARRIED_PARAMS}
#: facility kinds where cards are swiped at a counter for drugs or a quick visit (a discharge is no swipe)
SHOPS = ("pharmacy", "clinic")


def _swiped_together(ctx: Context, theirs: pd.DataFrame, focus: Focus, p: dict,
                     correction: float, devices_recorded: bool) -> dict[str, float]:
    """Signals of a tied group's cards arriving together at the place it frequents most, or none
    (a test of its own: a collector's few cards at a pharmacy half the town uses crowd it no more
    than chance allows, and still come to its counter together).

    The group's pairs of cards present there the same day (outpatient and pharmacy visits: a
    ward's discharges are the co-admission job's) came within the burst window of each other
    far more often than chance (:func:`arrivals_signal`, corrected for the groups tested).
    Swiped at a shop's counter (most claims on no device or a counter's, :meth:`Context.counters`:
    the extract's register where it has one, not any phone used at one place), those are a cash-out
    shop's sessions (``counter_sessions``), and the group's crowding of that shop beyond its
    reach counts as the shop focus (a measurement of its own, as in the shop cash-out job);
    presented from phones, the arrivals are the lending organiser's (``lockstep``, which
    ``device_burst`` accompanies). Where the extract records no device at all
    (``devices_recorded`` false), the cards arriving together at other places too tell the
    lender, who carries them about.
    """
    visits = theirs[theirs["visit_type"] != "inpatient"]
    here = visits[visits["facility_id"] == focus.facility]
    together = arrivals_signal(here, ctx.family_of, p["burst_window_min"], correction)
    if together <= 0:
        return {}
    if devices_recorded:
        counter = (here["device_id"].isna() | here["device_id"].isin(ctx.counters())).mean() >= 0.5
    else:
        # an extract that records no device: a cash-out shop's cards come together at that shop
        # only, a lender carries them together to other places too
        away = visits[visits["facility_id"] != focus.facility]
        counter = arrivals_signal(away, ctx.family_of, p["burst_window_min"], correction) <= 0
    if not counter or ctx.facility["kind"].get(focus.facility) not in SHOPS:
        return {"lockstep": together}
    return {"counter_sessions": together, "shop_focus": saturate(focus.surprise - FOCUS_SURPRISE, 3.0)}


def _crowded_by_chance(mine: pd.DataFrame, homes: pd.Series, days: int) -> float:
    """Days on which some device of ``mine`` (personal claims: ``device_id``, ``day``) would
    present the cards of more than ``FAMILY_HOUSEHOLDS`` of the ``homes`` (each claim's
    household) were each household's days on it spread at random over the extract's ``days``.

    A grown child who keeps the e-vouchers of six elderly households settles some of them on
    most weeks, and four on one day now and then; an organiser's phone presents his households'
    cards together, day after day, far beyond that.

    >>> day = pd.Timestamp("2024-01-01")
    >>> mine = pd.DataFrame({"device_id": "d", "day": [day + pd.Timedelta(days=7 * k) for k in range(50)]})
    >>> homes = pd.Series([f"h{k % 5}" for k in range(50)])  # five households, ten days each
    >>> round(_crowded_by_chance(mine, homes, 365), 4)
    0.001
    """
    used = mine.assign(home=homes.to_numpy())
    used = used[used["device_id"].notna()]
    per_device = used.groupby(["device_id", "home"])["day"].nunique()
    expected = 0.0
    for _, counts in per_device.groupby(level=0):
        if len(counts) <= FAMILY_HOUSEHOLDS:
            continue
        # households there on a day: a sum of unequal coins, its distribution built coin by coin
        spread = np.zeros(len(counts) + 1)
        spread[0] = 1.0
        for q in np.minimum(counts.to_numpy() / days, 1.0):
            spread[1:] = spread[1:] * (1 - q) + spread[:-1] * q
            spread[0] *= 1 - q
        expected += days * float(spread[FAMILY_HOUSEHOLDS + 1:].sum())
    return expected


def _beyond_family(ctx: Context, persons: set[str], wide: set[tuple[str, str]], least: int) -> set[str]:
    """``persons`` less those who hold none of the ``wide`` identifiers (those tying more
    households than a family): the organiser's own phone presenting his parents' and in-laws'
    cards ties them to him, not to his cardholders. All of ``persons`` where fewer than
    ``least`` hold a wide one (a group tied only by family-sized identifiers is kept whole)."""
    core = {pid for pid in persons if any(key in wide for key in ctx.person_links.get(pid, ()))}
    return core if len(core) >= least else persons


def shared_identifier_job(ctx: Context, facility_evidence: list[FacilityEvidence] = (), *, seed: int = 0,
                          params: dict | None = None) -> JobResult:
    """Candidate card-lending groups from identifiers that span households.

    Examples
    --------
    See ``tests/communities/test_job_identifiers.py`` for hand-made cases.
    """
    p = {**PARAMS, **(params or {})}
    if not ctx.links:
        return JobResult("shared_identifiers", p, [], skipped="no identifier shared by two persons")
    names: dict[str, int] = {}
    edges: list[tuple[int, int]] = []
    wide: set[tuple[str, str]] = set()  # identifiers tying more households than a family has
    for key, holders in ctx.links.items():
        households = {ctx.household.get(h, h) for h in holders}
        if len(households) < p["min_households"]:
            continue
        if len(households) > FAMILY_HOUSEHOLDS:
            wide.add(key)
        hub = names.setdefault(f"id:{key[0]}:{key[1]}", len(names))
        edges += [(hub, names.setdefault(f"p:{h}", len(names))) for h in holders]
    graph = ig.Graph(n=len(names), edges=edges)
    graph.vs["name"] = list(names)
    graph.es["weight"] = [1.0] * len(edges)
    run = leiden_communities(graph, seed=seed, split_above=p["split_above"])
    groups = run.groups()
    correction = math.log10(max(len(groups), 1))
    devices_recorded = bool(ctx.claims["device_id"].notna().any())
    days = (ctx.claims["day"].max() - ctx.claims["day"].min()).days + 1
    personal = personal_claims(ctx.claims, ctx.counters())
    personal_rows = RowGroups(personal["person_id"])
    out = []
    for group in groups:
        labels = [graph.vs[v]["name"] for v in group]
        persons = {label[2:] for label in labels if label.startswith("p:")}
        persons = _beyond_family(ctx, persons, wide, p["min_persons"])
        if len(persons) < p["min_persons"]:
            continue
        link, facts = ctx.link_signal(persons)
        theirs = ctx.claims_of(persons)
        mine = personal_rows.of(personal, persons)
        bursts = find_bursts(mine.assign(place=mine["device_id"]), "place",
                             window=p["burst_window_min"], min_cards=3, surprise=0.0)
        most_households = max((len({ctx.household.get(x, x) for x in b.persons}) for b in bursts), default=0)
        homes = mine["person_id"].map(lambda pid: ctx.household.get(pid, pid))
        per_device_day = homes.groupby([mine["device_id"], mine["day"]]).nunique()
        crowded_days = int((per_device_day > FAMILY_HOUSEHOLDS).sum())
        if crowded_days and poisson_surprise(crowded_days, _crowded_by_chance(mine, homes, days)) \
                <= correction + p["crowded_surprise"]:
            crowded_days = 0
        most_cards = max((len(set(b.persons)) for b in bursts), default=0)
        hubs = [label for label in labels if label.startswith("id:")]
        degree = {label[2:]: graph.degree(v) for v, label in zip(group, labels) if label[2:] in persons}
        organiser = max(degree, key=lambda k: (degree[k], k)) if max(degree.values()) > 1 else None
        signals = {"shared_identifier": link,
                   # one tell read two ways: many households in one half hour, or on many days
                   "device_burst": max(saturate(most_households - FAMILY_HOUSEHOLDS, 2.0),
                                       saturate(crowded_days, 2.0))}
        focus = place_focus(theirs, persons, ctx.claimants)
        facilities, practitioners, ids = {}, {}, set(mine["claim_id"])
        here = theirs[theirs["facility_id"] == focus.facility] if focus.facility is not None else theirs.iloc[:0]
        # the place's short ledger and packs sold twice, where the group's own claims are among those sales
        evidence_here = evidence_on(set(here["claim_id"]), focus.facility, facility_evidence)
        met = focus.facility is not None and focus.surprise >= FOCUS_SURPRISE
        # the cards arriving together are a test of their own at the place the group frequents most
        # (chosen without looking at arrivals): it needs no crowding there beyond chance
        swiped = _swiped_together(ctx, theirs, focus, p, correction, devices_recorded) \
            if focus.facility is not None else {}
        if (met and link > 0 and max(evidence_here.values(), default=0.0) > 0) or swiped:
            facilities = {focus.facility: 1.0}
            signals.update(evidence_here)
            signals.update(swiped)
            kind = ctx.facility["kind"].get(focus.facility)
            if focus.staff:
                practitioners = {focus.staff: ("pharmacist" if kind == "pharmacy" else "doctor", 0.8)}
            ids |= set(here["claim_id"])
            facts.update(facility=focus.facility, focus_persons=focus.persons)
        facts.update(persons=len(persons), identifiers=len(hubs), claims=len(ids),
                     fund_paid=float(mine["fund_paid"].sum()))
        # the summary names the device's tell only where there is one
        facts.update({name: n for name, n in (("cards_in_window", most_cards), ("crowded_days", crowded_days)) if n})
        out.append(candidate(
            "shared_identifiers", "card_lending",
            persons={pid: ("organiser" if pid == organiser else "cardholder", 1.0 if pid == organiser else 0.8)
                     for pid in persons},
            practitioners=practitioners, facilities=facilities, signals=signals, facts=facts, claim_ids=ids))
    out += carried_card_groups(ctx, personal, [c.persons() for c in out], p["carried"])
    return JobResult("shared_identifiers", {**p, **run.params}, out)


def lent_groups(result: JobResult) -> list[frozenset[str]]:
    """The cards of each of ``result``'s candidates that one device presented for many households
    (``device_burst``) or carried together (``carried_cards``): a lender's roaming cards."""
    return [frozenset(c.persons()) for c in result.candidates
            if c.signals.get("device_burst", 0) > 0 or c.signals.get("carried_cards", 0) > 0]
