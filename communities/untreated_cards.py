"""Cards swiped together at a pharmacy for costly drugs their holders were never treated for.

Why apart from the other cash-out paths: each needs what a two-card
cash-out does not leave. The lockstep job needs three cards in a block; the
shop job needs a ledger that does not add up, or cards tied across more
households than a family's; the collected-cards path needs both cards tied to
one go-between. An organiser with two cards swipes them together a few times,
for the costliest drugs, and neither cardholder is ill with what the drugs
treat: a pharmacy sale *untreated* when its claim's diagnosis (first three
characters of the code) is one its cardholder never had at a doctor's or a
hospital in the extract (:func:`untreated_sales`). Honest customers fill what
a doctor prescribed them; the few who fill a costly drug untreated (a
prescription written before the extract) come at their own hours.

- pairs: two cards of different families (:meth:`Context.family_of`: a couple
  or a grown child fetching the elders' drugs is one; two elders' households on
  one family's phone are kin however wide their other ties: :func:`_one_family`),
  neither lent, each with
  untreated sales of a costly drug at one pharmacy on two days or more. A sale
  presented from the family's own phone (an e-voucher on a device that presents
  no other family's cards in the extract: :meth:`Context.in_person`) is its holder's
  family at the counter, no organiser's swipe: it is not read. Elders refilling
  every month at the pharmacy round the corner, each family on its own phone,
  meet there within half an hour some months, the more so where refills fall
  due together (a quota that resets on the first of the month); an organiser
  swipes the cards he holds at the counter's terminal, or presents them from his
  own phone, which presents strangers' cards.
- together: the days both cards had such a sale there within ``window_min``
  minutes of each other, ``min_sessions`` or more, against chance: a Poisson
  count at the chance the pharmacy's own hours give two visits of one day
  (:func:`ringscope.communities.evidence.close_chance`), of the days both would
  have come had each card's days followed the pharmacy's untreated trade
  (:func:`_expected_meetings`: a pharmacy selling such drugs to a few
  customers every day for weeks brings any two of them together on some of
  those days), corrected for the pairs tested (pairs of cards that could have
  met so often at one pharmacy) (``counter_sessions``).
- schedules: a pair whose meetings keep a weekly schedule, each card at its own
  hour (:mod:`ringscope.communities.schedules`), is two chronic patients who
  refill on the same weekday (every fortnight, say), not an organiser's cards.

A candidate is the cards so paired at one pharmacy, joined pair by pair, with
their go-betweens (:meth:`Context.brokers`), and two signals: the sessions,
and how many of the cards' costly sales there are untreated against the
pharmacy's own share of untreated costly sales (``untreated_sales``). Nothing
is read where the claims carry no diagnoses, no times of day, or no fee lines
to say which drugs were sold.

A collector who swipes two of his cards once leaves one sitting: too little
for either test above, where two strangers at a busy counter meet once by
chance and a go-between's family fetches its drugs together. Where the two
cards are tied through a go-between as the collected-cards path ties them
(:func:`ringscope.communities.collected_cards.tied_pairs`: a circle of a
family's few households, one card of working age at least, so no child
fetching the elders' drugs), through a go-between of a household neither
card's (a collector keeps his own phone; a wife's phone ties her husband to
her parents from his own household), one sitting counts when both cards' sales in it
are costly and untreated (:func:`tied_untreated_groups`). Costly here is the
sale, not the drug: the pharmacy claims whose fund payment is at
``sale_quantile`` of all pharmacy claims' or above, since a collector bills
each card for the most the fund pays, whatever the drug (the most boxes of a
patent medicine), and the tie, not the drug's price, is what sets the pair
apart from strangers. The sitting is weighed as the pairs above are, against
the days each card would have met the other had its days followed the
pharmacy's untreated trade, corrected for the tied pairs that could have met
so (both cards with such a sale at one pharmacy); the candidate carries the
tie read without the family allowance as a third signal.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ringscope.communities.collected_cards import cards_candidate, paired_cards, tied_cards_candidate, working_age
from ringscope.communities.context import Context
from ringscope.communities.evidence import same_sitting
from ringscope.communities.job_stock import costly_drugs
from ringscope.communities.model import Candidate
from ringscope.communities.schedules import at_own_hours, weekly_schedules
from ringscope.communities.stats import binomial_surprise, poisson_surprise, saturate

__all__ = ["untreated_card_groups", "tied_untreated_groups", "untreated_sales", "costly_sales", "untreated_flags",
           "untreated_strength", "UNTREATED_PARAMS"]

UNTREATED_PARAMS = {"window_min": 30, "min_sessions": 2, "price_quantile": 0.75, "sessions_half": 2.0,
                    "untreated_half": 2.0, "sale_quantile": 0.75, "households_half": 1.0}
#: the visits at which a doctor sees a patient (and records what the patient has)
TREATING_VISITS = ("outpatient", "inpatient")


def untreated_sales(ctx: Context, price_quantile: float, untreated: np.ndarray | None = None) -> pd.DataFrame:
    """The pharmacy claims that sold a costly drug (:func:`costly_drugs`), with ``untreated``
    (:func:`untreated_flags`, where the caller has them). Empty where the claims carry no
    diagnoses or there are no fee lines."""
    claims, lines = ctx.claims, ctx.tables.claim_items
    if lines is None or lines.empty or claims["diagnosis_code"].isna().all():
        return claims.iloc[0:0].assign(untreated=pd.Series(dtype=bool))
    row = ctx.line_rows()
    sold = lines["item_code"].isin(costly_drugs(ctx.tables, price_quantile)).to_numpy(dtype=bool) & (row >= 0)
    costly = np.zeros(len(claims), dtype=bool)
    costly[row[sold]] = True
    costly &= (claims["visit_type"] == "pharmacy").to_numpy(dtype=bool)
    return claims[costly].assign(untreated=(untreated_flags(claims) if untreated is None else untreated)[costly])


def costly_sales(ctx: Context, sale_quantile: float, untreated: np.ndarray | None = None) -> pd.DataFrame:
    """The pharmacy claims whose fund payment is at ``sale_quantile`` of all pharmacy claims' or
    above, with ``untreated`` (:func:`untreated_flags`, where the caller has them), in the columns
    the sitting test reads (a quarter of the pharmacy claims: at 10M claims, not every column of
    them). Empty where the claims carry no diagnoses."""
    claims = ctx.claims
    at_pharmacy = (claims["visit_type"] == "pharmacy").to_numpy(dtype=bool)
    columns = ["claim_id", "person_id", "facility_id", "day", "minute", "device_id"]
    if not at_pharmacy.any() or claims["diagnosis_code"].isna().all():
        return claims.loc[claims.index[:0], columns].assign(untreated=pd.Series(dtype=bool))
    paid = claims["fund_paid"].to_numpy(dtype=float)
    costly = at_pharmacy & (paid >= np.nanquantile(paid[at_pharmacy], sale_quantile))
    return claims.loc[costly, columns].assign(
        untreated=(untreated_flags(claims) if untreated is None else untreated)[costly])


def untreated_flags(claims: pd.DataFrame) -> np.ndarray:
    """Per claim, whether its diagnosis is none its cardholder had at an outpatient or inpatient
    visit of the extract (codes compared on their first three characters: E11.9 and E11 are one
    condition); False where it has none."""
    person = pd.factorize(claims["person_id"])[0].astype(np.int64)
    # the condition is the code's first three characters, read off the few distinct codes
    code, distinct = pd.factorize(claims["diagnosis_code"])
    condition = pd.factorize(pd.Index(distinct).astype(str).str[:3])[0]
    dx = np.append(condition, -1)[code].astype(np.int64)  # a missing code (-1) picks the -1 appended
    key = person * (int(dx.max()) + 2) + dx
    treating = claims["visit_type"].isin(TREATING_VISITS).to_numpy(dtype=bool) & (dx >= 0)
    return ~np.isin(key, key[treating]) & (dx >= 0)


def _card_days(sales: pd.DataFrame) -> pd.DataFrame:
    """Each card's first untreated costly sale per day at each pharmacy."""
    mine = sales[sales["untreated"] & sales["minute"].notna()]
    first = mine.sort_values("minute").drop_duplicates(["person_id", "facility_id", "day"])
    return first[["person_id", "facility_id", "day", "minute"]].astype(
        {"person_id": object, "facility_id": object, "minute": np.int64})


def _meetings(days: pd.DataFrame, window: int) -> pd.DataFrame:
    """Per pair of cards (``a < b``) and pharmacy, one row per day they came within ``window``
    minutes of each other, with each card's ``minute`` (``days``: each card's first sale per day)."""
    both = days.merge(days, on=["facility_id", "day"], suffixes=("_a", "_b"))
    both = both[(both["person_id_a"] < both["person_id_b"])
                & ((both["minute_a"] - both["minute_b"]).abs() <= window)]
    return both.rename(columns={"person_id_a": "a", "person_id_b": "b"})


def _pairs(meetings: pd.DataFrame) -> pd.DataFrame:
    """Per pair of cards and pharmacy, the days they met (``together``)."""
    return meetings.groupby(["a", "b", "facility_id"]).size().rename("together").reset_index()


def _on_a_schedule(meetings: pd.DataFrame, pairs: pd.DataFrame) -> np.ndarray:
    """Per pair (``a``, ``b``, ``facility_id``), whether its ``meetings`` keep a weekly schedule,
    each card at its own hour (:mod:`ringscope.communities.schedules`).

    Two chronic patients who refill every fortnight on the same weekday, each at his own hour,
    meet at the counter two dozen times a year; a cash-out organiser swipes his cards when he
    comes, on any day of the week."""
    if pairs.empty:
        return np.zeros(0, dtype=bool)
    key = ["a", "b", "facility_id"]
    met = meetings.merge(pairs[key].assign(group=np.arange(len(pairs))), on=key)
    visits = pd.DataFrame({
        "group": np.concatenate([met["group"], met["group"]]),
        "person_id": np.concatenate([met["a"], met["b"]]),
        "settled_at": pd.to_datetime(np.concatenate([met["minute_a"], met["minute_b"]]).astype(np.int64) * 60,
                                     unit="s")})
    scheduled = weekly_schedules(met[["group", "day"]]) & at_own_hours(visits)
    return scheduled.reindex(np.arange(len(pairs)), fill_value=False).to_numpy(dtype=bool)


def _expected_meetings(days: pd.DataFrame, pairs: pd.DataFrame, window: int, open_days: pd.Series) -> np.ndarray:
    """Per pair, the days both cards would come to the pharmacy were each card's days drawn in
    proportion to the pharmacy's untreated business of each day (``days``: each card's first
    such sale per day there): card b's days ``n_b`` spread over the others' card-days there,
    the share of them falling on card a's days; the larger of the two ways round. A day's
    business beside a card is the cards that came at other hours (more than ``window``
    minutes from it): the cards swiped in its own sitting are what is being tested, not the
    day's trade. At least as many as were each card's days any of the pharmacy's
    ``open_days`` (days it settled any claim): ``n_a * n_b / open_days``.

    A pharmacy that sells untreated drugs to a few customers a day for weeks brings any two
    of them together on some of those days; one that sells such drugs on few days at all
    does not, unless they come together.

    >>> days = pd.DataFrame({"person_id": list("abcab"), "facility_id": "F", "day": [1, 1, 1, 2, 3],
    ...                      "minute": [600, 605, 900, 600, 600]})
    >>> pairs = pd.DataFrame({"a": ["a"], "b": ["b"], "facility_id": ["F"]})
    >>> # on a's day 1, c came hours later: b's two days over the three card-days not a's, one on it
    >>> round(float(_expected_meetings(days, pairs, 30, pd.Series({"F": 300}))[0]), 2)
    0.67
    >>> # on days of no other trade, as if they were any of the pharmacy's 300 days
    >>> round(float(_expected_meetings(days[days["person_id"] != "c"], pairs, 30, pd.Series({"F": 300}))[0]), 4)
    0.0133
    """
    same_day = days.merge(days, on=["facility_id", "day"], suffixes=("", "_other"))
    apart = (same_day["minute"] - same_day["minute_other"]).abs() > window
    later = same_day[apart].groupby(["person_id", "facility_id"]).size()
    per_card = days.groupby(["person_id", "facility_id"]).size().to_frame("n").join(later.rename("others"))
    per_card["others"] = per_card["others"].fillna(0.0)
    total = days.groupby("facility_id").size()
    a = per_card.reindex(list(zip(pairs["a"], pairs["facility_id"])))
    b = per_card.reindex(list(zip(pairs["b"], pairs["facility_id"])))
    shop_days = total.reindex(pairs["facility_id"]).to_numpy(dtype=float)
    a_n, a_others = a["n"].to_numpy(dtype=float), a["others"].to_numpy(dtype=float)
    b_n, b_others = b["n"].to_numpy(dtype=float), b["others"].to_numpy(dtype=float)
    any_day = a_n * b_n / open_days.reindex(pairs["facility_id"]).to_numpy(dtype=float)
    return np.maximum.reduce([b_n * a_others / np.maximum(shop_days - a_n, 1.0),
                              a_n * b_others / np.maximum(shop_days - b_n, 1.0), any_day])


def untreated_card_groups(ctx: Context, params: dict | None = None, lent: frozenset[str] = frozenset(),
                          sales: pd.DataFrame | None = None) -> list[Candidate]:
    """Candidate cash-out groups of cards swiped together for drugs they were never treated for
    (module docstring), none of them among the ``lent`` cards. ``sales``: :func:`untreated_sales`
    at ``params``' price quantile, where the caller has them."""
    p = {**UNTREATED_PARAMS, **(params or {})}
    if "diagnosis_code" not in ctx.claims or ctx.claims["minute"].isna().all():
        return []
    if sales is None:
        sales = untreated_sales(ctx, p["price_quantile"])
    days = _card_days(sales[~sales["person_id"].isin(lent) & ~ctx.in_person(sales)])
    if days.empty:
        return []
    meetings = _meetings(days, p["window_min"])
    pairs = _pairs(meetings)
    working = working_age(ctx)
    pairs = pairs[(pairs["together"] >= p["min_sessions"])
                  & np.array([not _one_family(ctx, a, b, working) for a, b in zip(pairs["a"], pairs["b"])], dtype=bool)]
    pairs = pairs[~_on_a_schedule(meetings, pairs)]
    if pairs.empty:
        return []
    # the pairs that could have met so often: cards with that many days at the same pharmacy
    regulars = days.groupby(["facility_id", "person_id"]).size()
    regulars = regulars[regulars >= p["min_sessions"]].groupby(level="facility_id").size()
    correction = math.log10(max(float((regulars * (regulars - 1) / 2).sum()), 1.0))
    expected = _chance_of_meeting(ctx, days, pairs, p["window_min"])
    pairs = pairs.assign(surprise=[poisson_surprise(int(k), float(e)) - correction
                                   for k, e in zip(pairs["together"], expected)])
    kept = pairs[pairs["surprise"] > 0]
    out = []
    for shop, cards, inside in paired_cards(kept):
        cards |= _joiners(days[days["facility_id"] == shop], cards, p["window_min"])
        out.append(_candidate(ctx, shop, cards, inside, sales[sales["facility_id"] == shop], p))
    return out


def tied_untreated_groups(ctx: Context, tied: set[tuple[str, str]], params: dict | None = None,
                          untreated: np.ndarray | None = None) -> list[Candidate]:
    """Candidate cash-out groups of a go-between's cards swiped together, once is enough, for costly
    sales their holders were never treated for (module docstring). ``tied``: the pairs of cards
    tied through a go-between (:func:`ringscope.communities.collected_cards.collector_pairs`, none
    of them a lender's); ``untreated``: :func:`untreated_flags`, where the caller has them."""
    p = {**UNTREATED_PARAMS, **(params or {})}
    if not tied:
        return []
    sales = costly_sales(ctx, p["sale_quantile"], untreated)
    days = _card_days(sales[~ctx.in_person(sales)])
    cards = {pid for pair in tied for pid in pair}
    mine = days[days["person_id"].isin(cards)]
    pairs = _pairs(_meetings(mine, p["window_min"]))
    pairs = pairs[[(a, b) in tied and _apart_from_go_between(ctx, a, b) for a, b in zip(pairs["a"], pairs["b"])]]
    if pairs.empty:
        return []
    # the tied pairs that could have met so: both cards with such a sale at one pharmacy
    shops_of = mine.groupby("person_id")["facility_id"].agg(set).to_dict()
    tested = sum(len(shops_of.get(a, set()) & shops_of.get(b, set())) for a, b in tied)
    expected = _chance_of_meeting(ctx, days, pairs, p["window_min"])
    pairs = pairs.assign(surprise=[poisson_surprise(int(k), float(e)) - math.log10(max(tested, 1))
                                   for k, e in zip(pairs["together"], expected)])
    out = []
    for shop, group, inside in paired_cards(pairs[pairs["surprise"] > 0]):
        strength, untreated = untreated_strength(sales[sales["facility_id"] == shop], group, p["untreated_half"])
        found = tied_cards_candidate(
            ctx, "collected_cards", shop, group, p["households_half"],
            signals={"counter_sessions": saturate(float(inside["surprise"].max()), p["sessions_half"]),
                     "untreated_sales": strength},
            facts={"sessions": int(inside["together"].max()), "untreated_sales": untreated})
        if found is not None:
            out.append(found)
    return out


def _apart_from_go_between(ctx: Context, a: str, b: str) -> bool:
    """Whether cards ``a`` and ``b`` share an identifier with a go-between of a household neither of
    theirs: a collector keeps his own phone and account. A wife who keeps her parents' e-vouchers
    on her phone ties her husband to them, but from their own household: his errand with theirs is
    one family's."""
    home = lambda pid: ctx.household.get(pid, pid)  # noqa: E731
    holders = lambda pid: {h for key in ctx.person_links.get(pid, ()) for h in ctx.links[key]}  # noqa: E731
    return any(home(g) not in (home(a), home(b)) for g in (holders(a) & holders(b)) - {a, b})


def _chance_of_meeting(ctx: Context, days: pd.DataFrame, pairs: pd.DataFrame, window: int) -> np.ndarray:
    """Per pair, the meetings chance gives it (:func:`_expected_meetings` at the chance the
    pharmacy's hours give two visits of one day), read on the pairs' own pharmacies' days."""
    chance = ctx.close_chance(window).reindex(pairs["facility_id"]).to_numpy()
    open_days = ctx.claims.groupby("facility_id", observed=True)["day"].nunique()
    there = days[days["facility_id"].isin(set(pairs["facility_id"]))]
    return chance * _expected_meetings(there, pairs, window, open_days)


def _one_family(ctx: Context, a: str, b: str, working: set[str]) -> bool:
    """Whether cards ``a`` and ``b`` are one family's errand: one family (:meth:`Context.family_of`),
    or two elders (neither in ``working``: of working age) whose households are kin
    (:meth:`Context.kin`). A grown child fetches his parents' and his in-laws' drugs on one run; an
    organiser's phone that two working-age cardholders list ties as few households."""
    if ctx.family_of(a) == ctx.family_of(b):
        return True
    return a not in working and b not in working and ctx.kin(a, b)


def _joiners(days: pd.DataFrame, cards: set[str], window: int) -> set[str]:
    """Other cards with an untreated costly sale at the pharmacy (``days``: its cards' first such
    sale per day) within ``window`` minutes of a sitting of the ``cards`` there (two of them
    within ``window`` minutes of each other): an organiser swipes his cards in sittings, and a
    card that came to one sitting only is his too."""
    mine = days[days["person_id"].isin(cards)]
    pairs = same_sitting(mine, mine, window)
    sittings = pairs.loc[pairs["person_id"] != pairs["person_id_other"], ["day", "minute"]]
    rest = days[~days["person_id"].isin(cards)]
    return set(same_sitting(rest, sittings.drop_duplicates(), window, "_sitting")["person_id"])


def _candidate(ctx: Context, shop: str, cards: set[str], pairs: pd.DataFrame, sold_here: pd.DataFrame,
               p: dict) -> Candidate:
    """The cards' candidate with their go-betweens: the sessions, and the cards' untreated costly
    sales against the pharmacy's share of them among its other cardholders (at least the
    share of all pharmacies', so that a pharmacy with few other costly sales is no baseline)."""
    strength, untreated = untreated_strength(sold_here, cards, p["untreated_half"])
    return cards_candidate(
        ctx, "untreated_cards", shop, cards, ctx.brokers(cards),
        signals={"counter_sessions": saturate(float(pairs["surprise"].max()), p["sessions_half"]),
                 "untreated_sales": strength},
        facts={"sessions": int(pairs["together"].max()), "untreated_sales": untreated})


def untreated_strength(sold_here: pd.DataFrame, cards: set[str], half: float, *,
                       correction: float = 0.0, margin: float = 0.0) -> tuple[float, int]:
    """The binomial surprise, saturated at ``half``, of so many of ``cards``' costly sales at one
    pharmacy (``sold_here``: its rows of :func:`untreated_sales`) being untreated, against the
    pharmacy's share of untreated costly sales among its other cardholders (at least the share
    of all its costly sales, so that a pharmacy with few other costly sales is no baseline);
    and how many are. Where the cards are one of several groups read at the pharmacy, the
    surprise is less ``correction`` (log10 of the groups), and 0 unless it passes ``margin``."""
    theirs = sold_here["person_id"].isin(cards)
    others = sold_here.loc[~theirs, "untreated"]
    rate = max(float(others.mean()) if len(others) else 0.0,
               float(sold_here["untreated"].mean()) if len(sold_here) else 0.0)
    untreated = int(sold_here.loc[theirs, "untreated"].sum())
    surprise = binomial_surprise(untreated, int(theirs.sum()), rate) - correction
    return (saturate(surprise, half) if surprise >= margin else 0.0), untreated
