"""Job: cards that arrive together, again and again, at one place (空刷套现, keyed-in bills).

In the manner of CopyCatch (Beutel et al., WWW 2013): in the card x
(facility, ``window_min`` minutes) graph, two cards of different households
(or families: :meth:`Context.families`) that reach the same counter within
the window on one day are a co-arrival;
once is chance, but the same pair again and again is a block. Each pair's
co-arrival days are tested against the days both cards were at the place
(binomial, with the chance of two independent arrivals falling within the
window of each other, corrected for the pairs tested there), so camouflage
(the same cards' honest claims elsewhere) does not dilute the block and
heavy honest users, who are at the place often, need many more co-arrivals
to count. A shop swiping whichever of dozens of collected cards it holds that
week makes few repeated pairs, so cards that keep turning up in the place's
bursts are joined too, two cards of one burst an edge
(:func:`ringscope.communities.bursts.burst_edges`, dense rows of the card x
(place, window) graph as in FRAUDAR). Surviving edges form a graph per place;
its components (split by Leiden when large) are the candidates.

Where a window holds more than ``max_cards_per_window`` cards on a median
day (a big hospital's outpatient hall), co-arrival says nothing about two
cards and the place is not tested; inpatient admissions are the
co-admission job's. A weekly fixed schedule (dialysis, rehabilitation) makes
lockstep expected, so a block whose co-arrivals fall on at most three
weekdays over four weeks or more is no lockstep evidence at all (the
schedule explains it); so is a block most of whose cards come on courses of
treatment (physiotherapy three to six days a week for weeks:
:func:`ringscope.communities.schedules.on_courses`). A schedule is kept at its hours, though: a block that
comes together at whatever hour the day's sitting began, morning one day and
evening the next, is moved by one hand, however its days fall
(:func:`ringscope.communities.schedules.at_fixed_hours`: each card's own hour, so that a centre's afternoon patients
and its evening ones are a schedule too; or, for a weekly schedule, a session that keeps its
hours: a township centre's market-day mornings, each patient coming when he can between seven
and ten. Courses come by appointment, each at his own hour: a block keyed in every evening,
each card at whatever minute, is no course).

A clinic's or hospital's block most of whose visits are for conditions the same patients are
seen for at other facilities too is its panel's follow-up (a village doctor's rounds, a chronic
clinic's mornings: :func:`_followed_up`), and no lockstep evidence either. Nor is a block whose
cardholders came themselves as often as the place's other patients do (the e-voucher on the
family's own phone: :meth:`Context.absent_surprise`, 1%): a community centre's hypertension
mornings fill its waiting room with the same patients week after week, each with his phone; an
organiser swipes cards at the counter, or presents them from a phone that presents strangers'.

A block at a clinic or hospital, in lockstep and not on a schedule, billed visit after visit
from one list of items (the same items in the same quantities for three of its cards or more,
far more often than the place's other visits: :func:`_templated`), is services keyed in for
people who were not treated, not cards swiped for goods: ``billed_together``, the
fictitious-services job's tell of sittings, read here by the minute.

Other signals scored on the same cards and place: 进销存 excess and reused
traceability codes at the facility, identifiers tying the cards across
households, and cards never seen at any other facility (against that share among the
facility kind's patients: bills keyed in for people who get no care, or, at a
pharmacy, which renders no services, dormant cards cashed out: ``dormant_cards``).
The facility's evidence joins only a block that carries evidence of its
own (any few customers of a shop with a bad ledger are not its ring), and
only where the block's own claims are among the sales it names
(:func:`ringscope.communities.job_stock.evidence_on`): a family's grown child
who presents the elders' cards together every month at a cash-out shop is in
lockstep there, and the shop's short ledger of costly drugs says nothing of
their blood-pressure pills.
How costly the block's claims are against the facility's own median claim
is recorded (``value_ratio``) but is no signal: it says how much a ring
takes, not whether the cards are a ring (chronic patients on costly drugs
refill on the same schedule).
"""

from __future__ import annotations

import math

import igraph as ig
import numpy as np
import pandas as pd

from ringscope.communities.bursts import BURST_PARAMS, QuietVisits, burst_edges, quiet_visits, window_key
from ringscope.communities.context import ABSENT_SURPRISE, Context
from ringscope.communities.evidence import OPEN_MINUTES, candidate, top_share
from ringscope.communities.job_stock import FacilityEvidence, evidence_on
from ringscope.communities.model import JobResult
from ringscope.communities.partition import leiden_communities
from ringscope.communities.schedules import at_fixed_hours, on_courses, weekly_schedule
from ringscope.communities.stats import binomial_surprise, poisson_surprise, saturate

__all__ = ["lockstep_job", "co_arrivals", "PARAMS"]

#: the share of a clinic block's visits for conditions treated elsewhere too above which it is a
#: panel's follow-up: most of them
FOLLOWED_UP = 0.5
PARAMS = {"window_min": 30, "min_co_days": 2, "min_persons": 3, "max_cards_per_window": 3.0,
          "edge_surprise": 1.0, "split_above": 40, "template_days": 3, "bursts": BURST_PARAMS}


def _followed_up(facility: str, mine: pd.DataFrame, theirs: pd.DataFrame) -> float:
    """The share of a block's visits (``mine``) at ``facility`` whose diagnosis (its first three
    characters: I10.x is hypertension) the same person was also seen for at another facility
    (``theirs``: every claim of the block's cards).

    A village doctor's afternoon rounds, a community centre's chronic-disease mornings: the
    same panel of patients together visit after visit, billed one follow-up package, each for
    the hypertension or diabetes his hospital treats too. Bills keyed in for people who were
    not treated name conditions nobody treats them for elsewhere, or people seen nowhere else.
    """
    if "diagnosis_code" not in mine or mine["diagnosis_code"].isna().all():
        return 0.0
    away = theirs[(theirs["facility_id"] != facility) & theirs["diagnosis_code"].notna()]
    known = set(zip(away["person_id"], away["diagnosis_code"].astype(str).str[:3]))
    here = mine[mine["diagnosis_code"].notna()]
    if here.empty:
        return 0.0
    return float(np.mean([(pid, dx[:3]) in known
                          for pid, dx in zip(here["person_id"], here["diagnosis_code"].astype(str))]))


def _template_bills(ctx: Context, mine: pd.DataFrame) -> tuple[pd.Series, pd.Index]:
    """Per claim of ``mine`` (a block's visits), its bill (:meth:`Context.bills`), and the block's
    templates: the bills (the same items in the same quantities) billed to three of its cards or
    more."""
    bills = pd.Series(ctx.bills()[ctx.claims.index.get_indexer(mine.index)], index=mine.index)
    spread = mine.groupby(bills.to_numpy())["person_id"].nunique()
    return bills, spread.index[spread >= 3]


def _templated(ctx: Context, facility: str, mine: pd.DataFrame, persons: set[str]) -> float:
    """The binomial surprise (-log10) of so many of a block's bills at ``facility`` (``mine``:
    its cards' claims there) being its templates (:func:`_template_bills`), against the share
    of the place's other visits billed so.

    Cards that come together beyond chance, not on a schedule, and are billed from one list of
    items, visit after visit, are a clinic keying in services for people it did not treat
    (虚构服务) rather than a counter swiping cards for goods; a clinic whose every patient gets
    the same standard visit bill has them for everyone, and its templates say nothing."""
    bills, templates = _template_bills(ctx, mine)
    if templates.empty:
        return 0.0
    here = ctx.claims_at(facility, ["person_id", "visit_type"])
    others = here[~here["person_id"].isin(persons) & (here["visit_type"] != "inpatient")]
    other_bills = ctx.bills()[ctx.claims.index.get_indexer(others.index)]
    rate = float(np.isin(other_bills, templates).mean()) if len(others) else 0.0
    return binomial_surprise(int(bills.isin(templates).sum()), len(mine), max(rate, 1.0 / max(len(others), 1)))


def _rest_of_template(ctx: Context, facility: str, mine: pd.DataFrame, visits: pd.DataFrame, persons: set[str],
                      min_days: int, window: int) -> pd.DataFrame:
    """The visits at ``facility`` of the cards outside a templated block (``persons``; ``mine``:
    their visits there on the days they came together; ``visits``: all of them) that were
    billed the block's templates (:func:`_template_bills`) in its sittings (within ``window``
    minutes of one of its visits; on its days where the extract has dates only) on
    ``min_days`` days or more, and never presented in person there (:meth:`Context.in_person`).

    A clinic keying in courses of sessions for dozens of cards bills them in the same evenings,
    but which of them fall in the same half hour often enough to pair is chance: the block is
    the cards that did, and the rest of the list is billed from the same template in the same
    sittings, with no holder there either. A patient who came for the same treatment presented
    his own phone; a hospital's patients billed its standard visit come on their own days and
    hours."""
    _, templates = _template_bills(ctx, mine)
    here = ctx.claims_at(facility, ["person_id", "visit_type", "day", "minute", "device_id", "claim_id"])
    here = here[~here["person_id"].isin(persons) & (here["visit_type"] != "inpatient").to_numpy(dtype=bool)]
    here = here[np.isin(ctx.bills()[ctx.claims.index.get_indexer(here.index)], templates)]
    if here.empty:
        return here
    sittings = np.sort(visits["minute"].dropna().to_numpy(dtype=np.int64))
    if len(sittings) and here["minute"].notna().all():
        at = here["minute"].to_numpy(dtype=np.int64)
        after = np.searchsorted(sittings, at).clip(max=len(sittings) - 1)
        gap = np.minimum(np.abs(at - sittings[after]), np.abs(at - sittings[(after - 1).clip(min=0)]))
        here = here[gap <= window]
    else:
        here = here[here["day"].isin(set(visits["day"]))]
    if here.empty:
        return here
    present = pd.Series(ctx.in_person(here), index=here.index).groupby(here["person_id"]).any()
    days = here.groupby("person_id")["day"].nunique()
    keep = days.index[(days >= min_days) & ~present.reindex(days.index).to_numpy(dtype=bool)]
    return here[here["person_id"].isin(keep)]


def co_arrivals(claims: pd.DataFrame, household: dict[str, str], *, window: int,
                max_cards_per_window: float, visits: QuietVisits | None = None) -> pd.DataFrame:
    """Pairs of cards of different households (or families: any person -> unit map) arriving
    at one place within ``window`` minutes.

    One row per (facility, person_a, person_b, day); places too busy for a
    co-arrival to mean anything are left out (see the module docstring).
    ``visits``: :func:`quiet_visits` of the same arguments, where the caller has them.
    """
    if visits is None:
        visits = quiet_visits(claims, household, window=window, max_cards_per_window=max_cards_per_window)
    frame = visits.frame
    facility, person, home = frame["f"].to_numpy(), frame["p"].to_numpy(), frame["home"].to_numpy()
    day = frame["day"].to_numpy()
    key = window_key(frame, window)
    kept = [(left[keep], right[keep]) for left, right in _window_pairs(key, window)
            for keep in [(home[left] != home[right]) & (day[left] == day[right])]]
    left = np.concatenate([k[0] for k in kept]) if kept else np.zeros(0, dtype=np.int64)
    right = np.concatenate([k[1] for k in kept]) if kept else np.zeros(0, dtype=np.int64)
    a, b = person[left], person[right]
    coded = pd.DataFrame({"f": facility[left], "a": np.minimum(a, b), "b": np.maximum(a, b),
                          "day": day[left]}).drop_duplicates()
    # categoricals over the codes: millions of pairs at a million persons, each id stored once
    return pd.DataFrame({"facility_id": pd.Categorical.from_codes(coded["f"], categories=visits.facilities),
                         "person_a": pd.Categorical.from_codes(coded["a"], categories=visits.persons),
                         "person_b": pd.Categorical.from_codes(coded["b"], categories=visits.persons),
                         "day": coded["day"].to_numpy()})


def _window_pairs(key: np.ndarray, window: int, chunk: int = 4_000_000):
    """Every pair of positions (i < j) of the sorted ``key`` with ``key[j] - key[i] <= window``,
    yielded in blocks of about ``chunk`` pairs: a busy year at a million persons holds tens of
    millions of such pairs, and most are dropped at once (same household, other day)."""
    ends = np.searchsorted(key, key + window, side="right")
    counts = ends - np.arange(len(key)) - 1
    total = np.cumsum(counts)
    lo = 0
    while lo < len(key):
        hi = max(int(np.searchsorted(total, (total[lo - 1] if lo else 0) + chunk, side="right")), lo + 1)
        c = counts[lo:hi]
        left = np.repeat(np.arange(lo, hi), c)
        right = left + 1 + np.arange(c.sum()) - np.repeat(np.cumsum(c) - c, c)
        yield left, right
        lo = hi


_PAIR = ["facility_id", "person_a", "person_b"]


def _days_both_came(pairs: pd.DataFrame, present: pd.DataFrame) -> np.ndarray:
    """Per pair (facility, person_a, person_b), the days on which both came to the facility at all;
    ``present`` holds one row per (facility_id, person_id, day)."""
    days = present[["facility_id", "person_id", "day"]]
    joint = (pairs[_PAIR].merge(days.rename(columns={"person_id": "person_a"}), on=["facility_id", "person_a"])
             .merge(days.rename(columns={"person_id": "person_b"}), on=["facility_id", "person_b", "day"]))
    counts = joint.groupby(_PAIR).size()
    return counts.reindex(pd.MultiIndex.from_frame(pairs[_PAIR]), fill_value=0).to_numpy()


def _pair_edges(pairs: pd.DataFrame, present: pd.DataFrame, p: dict) -> pd.DataFrame:
    """Pairs that co-arrive on ``min_co_days`` days or more, beyond chance for how often both come."""
    repeated = pairs.groupby(_PAIR).size().rename("co_days").reset_index()
    # the few repeated pairs as plain text: joins and lookups against a million categories are slow
    repeated = repeated[repeated["co_days"] >= p["min_co_days"]].astype({column: "string" for column in _PAIR})
    if repeated.empty:
        return repeated.assign(surprise=[])
    both = _days_both_came(repeated, present)
    chance = min(1.0, 2 * p["window_min"] / OPEN_MINUTES)
    tested = repeated.groupby("facility_id")["co_days"].transform("size")
    repeated["surprise"] = [binomial_surprise(k, max(n, k), chance) for k, n in zip(repeated["co_days"], both)]
    repeated["surprise"] -= np.log10(tested.clip(lower=1).to_numpy(dtype=float))
    return repeated[repeated["surprise"] >= p["edge_surprise"]]


def _blocks(edges: pd.DataFrame, seed: int, split_above: int) -> list[tuple[str, set[str]]]:
    """Per facility, the groups of cards joined by surviving pairs."""
    found = []
    for facility, rows in edges.groupby("facility_id"):
        names = pd.Index(pd.unique(np.concatenate([rows["person_a"].to_numpy(), rows["person_b"].to_numpy()])))
        graph = ig.Graph(n=len(names), edges=list(zip(names.get_indexer(rows["person_a"]),
                                                      names.get_indexer(rows["person_b"]))))
        graph.es["weight"] = rows["surprise"].clip(lower=0.1).tolist()
        for group in leiden_communities(graph, seed=seed, split_above=split_above).groups():
            found.append((str(facility), {str(names[v]) for v in group}))
    return found


def lockstep_job(ctx: Context, facility_evidence: list[FacilityEvidence], *, seed: int = 0,
                 params: dict | None = None, lent: frozenset[str] = frozenset()) -> JobResult:
    """Candidate groups of cards in lockstep at one facility.

    Examples
    --------
    See ``tests/communities/test_jobs.py`` (cash-out found, dialysis schedule not flagged).
    """
    p = {**PARAMS, **(params or {}), "seed": seed}
    claims = ctx.claims
    family = {pid: ctx.family_of(pid) for pid in claims["person_id"].unique()}
    visits = quiet_visits(claims, family, window=p["window_min"], max_cards_per_window=p["max_cards_per_window"])
    # cards that keep turning up in the same bursts, before the pairs (millions at a million persons)
    in_bursts = burst_edges(visits, window=p["window_min"], params=p["bursts"], lent=lent)
    pairs = co_arrivals(claims, family, window=p["window_min"], max_cards_per_window=p["max_cards_per_window"],
                        visits=visits)
    del visits
    if pairs.empty:
        return JobResult("lockstep", p, [])
    # every visit of the paired cards (only they are ever looked up)
    paired = pd.concat([pairs["person_a"], pairs["person_b"]]).unique()
    present = claims.loc[claims["person_id"].isin(paired), ["facility_id", "person_id", "day"]].drop_duplicates()
    visit_days = present.groupby(["facility_id", "person_id"]).size()
    # pairs that meet again and again, and cards that keep turning up in the same bursts
    edges = pd.concat([_pair_edges(pairs, present, p)[_PAIR + ["surprise"]], in_bursts])
    edges = edges.astype({column: "string" for column in _PAIR}).groupby(_PAIR, as_index=False)["surprise"].max()
    blocks = [(f, g) for f, g in _blocks(edges, seed, p["split_above"]) if len(g) >= p["min_persons"]]
    own_median = claims.groupby("facility_id")["fund_paid"].median()
    correction = math.log10(max(len(blocks), 1))
    pairs_at, edges_at = pairs.groupby("facility_id"), edges.groupby("facility_id")
    out = []
    for facility, persons in blocks:
        here = pairs_at.get_group(facility)
        together = here[here["person_a"].isin(persons) & here["person_b"].isin(persons)]
        if together.empty:  # cards of one burst, each within the window of others but none of each other
            continue
        days = pd.Series(sorted(together["day"].unique()))
        theirs = ctx.claims_of(persons)
        visits = theirs[(theirs["facility_id"] == facility) & (theirs["visit_type"] != "inpatient")]
        mine = visits[visits["day"].isin(days)]
        kind = ctx.facility["kind"].get(facility, None)
        inside = edges_at.get_group(facility)
        inside = inside[inside["person_a"].isin(persons) & inside["person_b"].isin(persons)]
        expected = float(sum(visit_days.get((facility, x), 0) for x in persons)) * \
            min(1.0, 2 * p["window_min"] / OPEN_MINUTES) * (len(persons) - 1) / max(len(persons), 1)
        block_surprise = poisson_surprise(len(together), max(expected, 0.5)) - correction
        # a weekly clinic day keeps its session's hours; courses come by appointment, at each one's own
        scheduled = (weekly_schedule(days) and at_fixed_hours(mine)) \
            or (on_courses(visits) and at_fixed_hours(mine, sessions=False))
        # a clinic's panel seen together for the conditions their hospitals treat too: its rounds
        scheduled = scheduled or (kind != "pharmacy"
                                  and _followed_up(facility, mine, theirs) > FOLLOWED_UP)
        # people who came themselves, as often as the place's other patients do: its waiting room
        scheduled = scheduled or ctx.absent_surprise(facility, mine) < ABSENT_SURPRISE
        ratio = float(mine["fund_paid"].median() / max(own_median.get(facility, 1.0), 1.0))
        alone, alone_surprise = ctx.never_elsewhere(persons, kind)
        link, facts = ctx.link_signal(persons)
        # cards of people who get no care anywhere else: a clinic's bills for no one, a pharmacy's
        # dormant cards swiped for drugs never handed over
        signals = {"lockstep": 0.0 if scheduled else saturate(block_surprise - 3, 5.0),
                   "shared_identifier": link,
                   "dormant_cards" if kind == "pharmacy" else "isolated_patients":
                       saturate(alone_surprise - correction - 3, 5.0)}
        if max(signals.values()) == 0:
            # the place's ledger says nothing about which of its customers are the ring's
            continue
        rest = mine.iloc[:0]
        if kind != "pharmacy" and signals["lockstep"] > 0:
            signals["billed_together"] = saturate(_templated(ctx, facility, mine, persons) - correction - 3, 5.0)
            if signals["billed_together"] > 0:  # the rest of the list keyed in from the same template
                rest = _rest_of_template(ctx, facility, mine, visits, persons, p["template_days"], p["window_min"])
        # the place's short ledger and packs sold twice, where the block's own claims are among
        # those sales: a grown child presenting the elders' cards monthly at a cash-out shop
        # arrives in lockstep, and its ledger is no evidence on their blood-pressure pills
        evidence = evidence_on(set(mine["claim_id"]) | set(rest["claim_id"]), facility, facility_evidence)
        signals.update(evidence)
        facts.update({e.signal: e.facts[facility] for e in facility_evidence
                      if evidence[e.signal] > 0 and facility in e.facts})
        staff, staff_share = top_share(mine["practitioner_id"])
        practitioners = {staff: ("pharmacist" if kind == "pharmacy" else "doctor", staff_share)} \
            if staff and staff_share >= 0.5 else {}
        per_day = pd.concat([together[["day", "person_a"]].set_axis(["day", "p"], axis=1),
                             together[["day", "person_b"]].set_axis(["day", "p"], axis=1)]).groupby("day")["p"].nunique()
        degree = pd.concat([inside["person_a"], inside["person_b"]]).value_counts()
        facts.update(facility=facility, facility_kind=kind, bursts=int(len(days)), cards=len(persons),
                     max_cards=int(per_day.max()), scheduled=scheduled, never_elsewhere=alone,
                     value_ratio=round(ratio, 2), claims=int(len(mine)), fund_paid=float(mine["fund_paid"].sum()),
                     template_cards=int(rest["person_id"].nunique()))
        out.append(candidate(
            "lockstep", "card_cashout" if kind in ("pharmacy", "clinic") else "other",
            persons={**{pid: ("cardholder", 0.5) for pid in rest["person_id"]},
                     **{pid: ("cardholder", min(1.0, degree.get(pid, 0) / max(degree.max(), 1))) for pid in persons}},
            practitioners=practitioners, facilities={facility: 1.0}, signals=signals, facts=facts,
            claim_ids=pd.concat([mine["claim_id"], rest["claim_id"]])))
    return JobResult("lockstep", p, out)
