"""Cards a go-between collects and swipes at one counter together: a small collector's cash-out.

Why apart from the other cash-out paths: each reads a collector's two or
three cards as something honest. The lockstep job needs three cards in a
block, and takes households tied by an identifier that ties three at most for
one family, whose errands bring its cards to a counter together; the shop
cash-out job needs the shop's ledger not to add up; the shared-identifier job
reads a go-between tied to two strangers as a grown child with parents and
in-laws. What sets the collector apart from the child is whose cards they
are: two elders' cards are fetched together by a child, an adult of working
age (:func:`ringscope.communities.carried_cards.of_working_age`: to the
retirement age of his sex) fetches his own drugs, at his own hour, so a pair
with a working-age card in it is no family errand; and whom they are tied through: a couple living at two
addresses shares a phone and may shop together, but ties two households, not
three.

- tied: two cards of two households that share an identifier (phone,
  account, device, proxy id card), or each share one with the same
  go-between, whose circle (everyone he shares one with) spans no more
  households than a family (``FAMILY_HOUSEHOLDS``) and ``max_circle`` persons:
  a wider one is the shared-identifier job's, which reads it as a ring. One
  card at least is a working-age adult's; with the go-betweens, the cards'
  households and theirs are three or more.
- together: at one shop (pharmacy or clinic), of the days both cards came,
  those on which they came within ``window_min`` minutes of each other, on
  ``min_sessions`` days or more: the binomial tail of so many such days against
  the chance the shop's own hours give two visits of one day
  (:meth:`Context.close_chance`: a clinic of Sunday mornings brings its regulars
  together) (``counter_sessions``), corrected for
  the tied pairs tested (those both of whose cards came to one shop on two days
  or more).

A candidate is the cards so paired at one shop, joined pair by pair, with
their go-betweens (:meth:`Context.brokers`), and two signals: the sessions,
and the tie read without the family allowance (``shared_identifier``: the
households tied beyond a couple's two, for cards no family's errand explains). Nothing is
read where the extract records no birth dates or no times of day.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import igraph as ig
import pandas as pd

from ringscope.communities.carried_cards import of_working_age
from ringscope.communities.context import FAMILY_HOUSEHOLDS, Context
from ringscope.communities.evidence import candidate, top_share
from ringscope.communities.job_identifiers import SHOPS
from ringscope.communities.model import Candidate
from ringscope.communities.stats import binomial_surprise, saturate

__all__ = ["collected_card_groups", "collector_pairs", "paired_cards", "cards_candidate", "tied_cards_candidate",
           "tied_pairs", "working_age", "COLLECTED_PARAMS"]

COLLECTED_PARAMS = {"window_min": 30, "min_sessions": 2, "max_circle": 12, "sessions_half": 2.0,
                    "households_half": 1.0}
#: households a couple living at two addresses ties (a go-between makes a third)
COUPLE_HOUSEHOLDS = 2


def working_age(ctx: Context) -> set[str]:
    """Persons of working age (:func:`of_working_age`) in the middle of the extract's claims."""
    middle = ctx.claims["settled_at"].min() + (ctx.claims["settled_at"].max() - ctx.claims["settled_at"].min()) / 2
    persons = ctx.person.index.to_series()
    return set(persons[of_working_age(ctx, persons, pd.Series(middle, index=persons.index))])


def tied_pairs(ctx: Context, working: set[str], max_circle: int, lent: frozenset[str]) -> set[tuple[str, str]]:
    """Pairs (sorted) of persons of two households, one of them in ``working`` at least and
    neither ``lent``, who share an identifier or each share one with the same go-between of a
    circle of ``max_circle`` at most, from ``FAMILY_HOUSEHOLDS`` households at most."""
    home = lambda pid: ctx.household.get(pid, pid)  # noqa: E731
    pairs = set()
    for keys in ctx.person_links.values():
        circle = sorted({h for key in keys for h in ctx.links[key]})
        if len(circle) > max_circle or not working.intersection(circle) \
                or len({home(pid) for pid in circle}) > FAMILY_HOUSEHOLDS:
            continue
        for i, a in enumerate(circle):
            for b in circle[i + 1:]:
                if home(a) != home(b) and (a in working or b in working) and a not in lent and b not in lent:
                    pairs.add((a, b))
    return pairs


def collector_pairs(ctx: Context, max_circle: int, lent: frozenset[str]) -> set[tuple[str, str]]:
    """:func:`tied_pairs` of the working-age adults (:func:`working_age`); none where the extract
    records no identifiers, no birth dates or no times of day (nothing to read them by)."""
    if not ctx.links or "birth_date" not in ctx.person or ctx.claims["minute"].isna().all():
        return set()
    return tied_pairs(ctx, working_age(ctx), max_circle, lent)


def _sessions(ctx: Context, pairs: set[tuple[str, str]], window: int) -> pd.DataFrame:
    """Per tied pair and shop both cards came to on two days or more: ``days`` both came and
    ``together`` (days they came within ``window`` minutes of each other), each card at its
    first arrival of the day."""
    cards = {pid for pair in pairs for pid in pair}
    visits = ctx.claims_of(cards)
    visits = visits[visits["facility_kind"].isin(SHOPS) & visits["minute"].notna()]
    first = visits.sort_values("minute").drop_duplicates(["person_id", "facility_id", "day"])
    first = first[["person_id", "facility_id", "day", "minute"]].astype({"person_id": object, "facility_id": object})
    pair_frame = pd.DataFrame(sorted(pairs), columns=["a", "b"])
    both = (pair_frame.merge(first.rename(columns={"person_id": "a", "minute": "minute_a"}), on="a")
            .merge(first.rename(columns={"person_id": "b", "minute": "minute_b"}), on=["b", "facility_id", "day"]))
    both["close"] = (both["minute_a"] - both["minute_b"]).abs() <= window
    out = both.groupby(["a", "b", "facility_id"]).agg(days=("day", "size"), together=("close", "sum")).reset_index()
    return out[out["days"] >= 2].reset_index(drop=True)


def collected_card_groups(ctx: Context, params: dict | None = None, lent: frozenset[str] = frozenset(),
                          tied: set[tuple[str, str]] | None = None) -> list[Candidate]:
    """Candidate cash-out groups of a go-between's few cards swiped together (module docstring),
    none of them among the ``lent`` cards (a lender's, which one device presented for many
    households or carried about: his ring is the shared-identifier job's). ``tied``:
    :func:`collector_pairs` of the same arguments, where the caller has them."""
    p = {**COLLECTED_PARAMS, **(params or {})}
    pairs = collector_pairs(ctx, p["max_circle"], lent) if tied is None else tied
    if not pairs:
        return []
    tested = _sessions(ctx, pairs, p["window_min"])
    chance = ctx.close_chance(p["window_min"]).reindex(tested["facility_id"]).to_numpy()
    correction = math.log10(max(len(tested), 1))
    tested["surprise"] = [binomial_surprise(int(k), int(n), float(c)) - correction
                          for k, n, c in zip(tested["together"], tested["days"], chance)]
    kept = tested[(tested["together"] >= p["min_sessions"]) & (tested["surprise"] > 0)]
    out = []
    for shop, cards, inside in paired_cards(kept):
        found = _candidate(ctx, shop, cards, inside, p)
        if found is not None:
            out.append(found)
    return out


def paired_cards(pairs: pd.DataFrame) -> Iterator[tuple[str, set[str], pd.DataFrame]]:
    """Per shop, the cards joined pair by pair (``pairs``: columns ``a``, ``b``,
    ``facility_id``), with the pairs among them: one organiser's cards are swiped in twos and
    threes, never all together."""
    for shop, rows in pairs.groupby("facility_id"):
        names = pd.Index(sorted(set(rows["a"]) | set(rows["b"])))
        graph = ig.Graph(n=len(names), edges=list(zip(names.get_indexer(rows["a"]), names.get_indexer(rows["b"]))))
        for component in graph.connected_components():
            cards = {names[v] for v in component}
            yield str(shop), cards, rows[rows["a"].isin(cards) & rows["b"].isin(cards)]


def cards_candidate(ctx: Context, job: str, shop: str, cards: set[str], go_betweens: set[str], *,
                    signals: dict[str, float], facts: dict) -> Candidate:
    """A cash-out candidate of ``cards`` swiped at ``shop``, with their ``go_betweens`` as
    organisers, the staff member who served most of their claims there (half or more), the
    shop, and their claims there (counted into ``facts``)."""
    here = ctx.claims_of(cards)
    mine = here[here["facility_id"] == shop]
    staff, share = top_share(mine["practitioner_id"])
    kind = ctx.facility["kind"].get(shop)
    facts = {"facility": shop, "persons": len(cards | go_betweens), "cards_in_window": len(cards), **facts,
             "claims": int(len(mine)), "fund_paid": float(mine["fund_paid"].sum())}
    return candidate(
        job, "card_cashout",
        persons={**{pid: ("cardholder", 0.8) for pid in cards}, **{pid: ("organiser", 0.9) for pid in go_betweens}},
        practitioners={staff: ("pharmacist" if kind == "pharmacy" else "doctor", 0.8)} if staff and share >= 0.5 else None,
        facilities={shop: 1.0}, signals=signals, facts=facts, claim_ids=mine["claim_id"])


def _candidate(ctx: Context, shop: str, cards: set[str], pairs: pd.DataFrame, p: dict) -> Candidate | None:
    """The cards' candidate with their go-betweens, or None where they tie no more households
    than a couple does."""
    return tied_cards_candidate(
        ctx, "collected_cards", shop, cards, p["households_half"],
        signals={"counter_sessions": saturate(float(pairs["surprise"].max()), p["sessions_half"])},
        facts={"sessions": int(pairs["together"].max())})


def tied_cards_candidate(ctx: Context, job: str, shop: str, cards: set[str], households_half: float, *,
                         signals: dict[str, float], facts: dict) -> Candidate | None:
    """:func:`cards_candidate` of ``cards`` tied through their go-betweens, the tie read without
    the family allowance (``shared_identifier``: the households tied beyond a couple's two,
    saturated at ``households_half``); None where they tie no more households than a couple."""
    go_betweens = ctx.brokers(cards)
    households = len({ctx.household.get(pid, pid) for pid in cards | go_betweens})
    if households <= COUPLE_HOUSEHOLDS:
        return None
    return cards_candidate(
        ctx, job, shop, cards, go_betweens,
        signals={**signals, "shared_identifier": saturate(households - COUPLE_HOUSEHOLDS, households_half)},
        facts={"linked_households": households, **facts})
