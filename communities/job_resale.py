"""Job: drugs obtained far beyond need, at several facilities (回流药).

Per person and expensive drug (usual unit price in the top quarter), the
*supply rate* is the quantity obtained before the last fill divided by the
days between the first and the last fill: what the person consumed per day
if every box was taken (fills are outpatient and pharmacy claims: a stay's
drugs are given on the ward). Its honest baseline is the median rate of the
drug's regular users (three fills or more): a cancer patient filling a
standard monthly dose at one DTP pharmacy is at the baseline however
expensive the drug, and a chronic patient alternating two pharmacies on a
normal schedule is too. A person is *over-supplied* when the rate is a
robust outlier (robust z >= ``outlier_z``, the Iglewicz-Hoaglin cut-off)
among the drug's repeat users.

One over-supplied person is a heavy user or a stockpiler; resale shows as
over-supplied persons tied to each other: by a broker's phone, account or
device, directly or through the broker (a seller tied to his account and one
tied to his phone are one group: :meth:`Context.groups_through_brokers`;
family size is no bar: a broker's handful of sellers may come from two or
three households), or by filling the drug they are over-supplied
with at the same facility in the same week, where the over-supplied crowd
that facility's fills of it (``counter_min``: a costly drug's heavy users
meet at a busy hospital's counter every week, and such meetings would
chain dozens of them into one group; :func:`_same_week_edges`), which may
bring an untied seller to a tied group, never join two
(:func:`_apart_from_ties`). A tied group larger than
``split_above`` is split into its Leiden communities, as the shared-identifier
job's are: one acquaintance sharing a device with a seller of one broker and
an account with a seller of another chains two rings into one (the holders of
an identifier tying more households than a family's are never parted:
:meth:`Context.tied_groups`). Groups read apart (over-supplied with a costly
drug; drawing for months) that share a go-between are one broker's
(:func:`_one_group_per_go_between`). A group counts when it holds
``min_persons`` persons (over-supplied members, and the broker tying
members of two households where there is one: a broker's two sellers are a
ring of three) and its fills span
``min_facilities`` facilities, no one of which supplied more than
``max_place_share`` of the drug (persons over-supplied at one counter are
that counter's doing: a colluding doctor's pharmacy, a shop's cash-out), and
when something beyond each member's own over-supply makes them one: a tie
across households, a batch that started together and draws at several
counters each (a batch each of whose members draws at one counter is those
counters' patients starting a course in the same weeks: a seller spreads the
broker's orders so that no counter sees the excess), or packs of theirs that came
back to the market: sold again at another facility by traceability code (追溯码), more of the
group's members than the drugs' users' share gives (``returned_min``; :func:`_came_back`).
Shops whose ledgers do not add up, where the group's fills crowd them beyond
the drugs' other fills (``ledger_min``, :class:`_BadLedgers`: one cash-out shop
among the thirty pharmacies a few heavy users filled at is no broker's), add
to a group so made one (``stock_excess``: sellers sell the packs back where
they filled them), but make no group one alone: a cash-out shop bills costly
drugs on the cards it swipes, so that they crowd its counter and look
over-supplied, and they are its scheme, no broker's.

Costly drugs are where resale pays most, but a broker also buys cheap
chronic drugs in bulk. So, for any chronic drug (one whose repeat users'
median fills is ``chronic_fills`` or more: a cold remedy bought three times
in a bad winter has no daily need to exceed), persons who drew it for months
(``cohort_fills`` fills over ``chronic_days`` days or more: a seller's stint
may be two months) at
``chronic_ratio`` times the baseline or more are grouped too, by identifiers
only (chance meetings at a counter are common for common drugs), and a group
must span two families or more (:meth:`Context.family_of`): a grown child
filling the elders' prescriptions too often is one family, not a ring. A
group tied into one family across two households or more counts only if its
members started drawing together (:func:`_tied_starts`): a broker's two
sellers paid into his account read as kin by the tie alone, where he could be
their grown child or their parent; where he stands no generation apart from
them, the tie is no family's (:func:`_a_generation_apart`).

A broker recruits sellers in batches, and a batch starts drawing together:
so persons over-supplied with the same chronic drug (one whose repeat users'
median fills is ``chronic_fills`` or more) for months (``cohort_fills``
fills over ``chronic_days`` days or more) whose first fills fall within
``cohort_days`` of each other are a group too, without any identifier,
when more of that drug's users who started in those days are over-supplied
than the drug's own rate gives (``co_started``: the binomial surprise among
the drug's users of months who started in the window, and stopped in one
where that is the sharper, at the rate of such users over-supplied; a
family-wise 1% after Bonferroni over the windows tried, ``cohort_min``), and
twice as many or more (``cohort_lift``): the batch is read as every
over-supplied starter of the window, and where most of them would be there at
the drug's rate alone, it is a season's patients, not a broker's recruits.
The rate is that of courses of the window's own kinds (:func:`_phase_rate`):
weeks into the extract, the first fills are mostly the long-prescription
patients' (twelve weeks' boxes at a time), where their cycles stood when the
extract began. A batch most of whose supply came from one counter is that
counter's patients (a colluding doctor's pharmacy starts them on inflated packs
together, when the arrangement begins), no broker's: the counter's business is
its own jobs' to weigh, and taken into a broker's tied group its patients would
bury his sellers.
Where a tied group's members started the drug in the batch's weeks
(:func:`_batch_of`; one member is enough where the group ties more households
than a family's), the tie points at the window: only the windows its
members' starts open count as tried, and the batch joins the tied group,
unless the batch's own tied sellers are tied through another go-between
(:func:`_another_brokers`): two brokers may recruit in the same weeks.
Members of a group tied beyond a family's households are that group's and
no batch's; persons tied within a family's few (two sellers paid into the
broker's account tie three households) may be in a batch, and such a group
mostly in one is the batch's: its tie may be what joins the broker's batches.
The drug's long-standing patients all start at the extract's beginning and
go on to its end, so a batch recruited then that draws to the end hides
among them and needs a tie. A broker's sellers of two drugs start in two
batches; where a member of one ties the other's households (paid into the
same account), the two are one ring (:func:`_one_ring_per_broker`). Only
batches are joined so: persons tied by identifiers alone include a lender's
roaming cards, over-supplied too, and a person tying both is no broker's.
A broker's two sellers paid into his account tie three households, which
the tie alone reads as a family; two or more of them who started drawing
the drug in the same weeks, against the odds of that drug's starts in those
weeks, are a batch the tie points at (:func:`_tied_starts`, tried only in
the windows their own starts open). A family does not start drawing too much
of the same drug within days.
A broker who recruits late in the extract leaves his sellers two fills each:
persons over-supplied with a chronic drug on too few fills to have drawn for
months (robust outliers, ``outlier_z``) tied across more households than a
family's are a group too, the tie and the over-supply meeting on the same
people, however cheap the drug.

A lender's roaming cards are over-supplied too: others draw on them. Their
excess is the lender's, whose ring the shared-identifier job finds (one device
presenting them for many households, or carrying them together:
:func:`ringscope.communities.job_identifiers.lent_groups`), so they are no
sellers here (``lent``): counted, they chain the lender's dozens of cards to
any broker's seller who knows one of them, and the broker's ring is lost in
the lender's.
A lender's cards most of which draw the same drug far beyond need are read
whole, though (:func:`_drawn_for_a_broker`): a broker who presents his
sellers' e-vouchers from his own phone looks like a lender, and which of the
two the ring is, its signals say.

A group's ``excess_supply`` strength is the
Poisson surprise of the supply days the group obtained (rate over baseline
times days elapsed, summed over members) against the days that elapsed,
after a Bonferroni correction over the groups tested: a few days' early
refill is no surprise, a group holding twice its need for months is.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd
from networkx.utils import UnionFind

from ringscope.communities.context import FAMILY_HOUSEHOLDS, GENERATION_YEARS, Context
from ringscope.communities.evidence import candidate
from ringscope.communities.job_stock import FacilityEvidence, costly_drugs, goods_lines
from ringscope.communities.model import JobResult
from ringscope.communities.stats import binomial_surprise, jaccard, poisson_surprise, robust_z, saturate

__all__ = ["drug_resale_job", "supply_ratios", "co_started", "PARAMS"]

#: the fewest courses a rate of over-supplied among them is read from
MIN_COURSES = 10
#: the fewest courses of one kind (begun before the extract or in it) whose rate of over-supplied
#: is that kind's own baseline, and the least share of the drug's courses they must be: where a
#: drug's patients nearly all began before the extract, its few courses begun in it are mostly other
#: schemes' cards (a lender's, a shop's, a broker's other batches), and would hide a batch
CLASS_COURSES, CLASS_SHARE = 100, 0.1
#: how far apart two courses' paces (days between fills) may be and still be of one kind: a twelve
#: weeks' prescription is refilled every 80-90 days, a month's every 28-35
PACE_BAND = 1.15
#: the share of a drug's patients who refill within the days a course's first fill in the extract
#: may come after its start and still have begun before the extract (a long prescription's
#: patient comes back weeks after the others)
LONG_REFILL = 0.9

PARAMS = {"outlier_z": 3.5, "min_facilities": 2, "price_quantile": 0.75, "min_persons": 3,
          "min_regular_users": 5, "surprise_half": 3.0,
          "chronic_fills": 4, "chronic_days": 60, "chronic_ratio": 1.5, "max_place_share": 0.5,
          "cohort_days": 21, "cohort_fills": 3, "cohort_min": 2.0, "cohort_lift": 2.0, "cohort_half": 3.0, "split_above": 12,
          "mild_z": 2.0, "returned_min": 2.0, "returned_half": 3.0, "ledger_min": 2.0,
          "counter_min": 2.0}


def supply_ratios(lines: pd.DataFrame, *, min_regular_users: int = 5) -> pd.DataFrame:
    """Per person and drug with two fills or more: supply rate over the drug's regular users' median.

    ``lines`` needs ``person_id``, ``item_code``, ``facility_id``, ``day``
    and ``quantity``. Returns ``person_id, item_code, quantity, fills,
    facilities, first, last, span_days, ratio, z`` (``z``: robust z of ``ratio`` among the
    drug's repeat users). Drugs with fewer than ``min_regular_users``
    regular users have no baseline and are left out.

    >>> day = pd.Timestamp("2024-01-01")
    >>> rows = [(f"p{i}", "D", "F1", day + pd.Timedelta(days=30 * k), 1.0) for i in range(6) for k in range(4)]
    >>> rows += [("x", "D", f"F{k}", day + pd.Timedelta(days=10 * k), 1.0) for k in range(4)]
    >>> frame = pd.DataFrame(rows, columns=["person_id", "item_code", "facility_id", "day", "quantity"])
    >>> out = supply_ratios(frame).set_index("person_id")
    >>> float(out.loc["p0", "ratio"]), float(out.loc["x", "ratio"])
    (1.0, 3.0)
    """
    keys = ["person_id", "item_code"]
    ordered = lines.sort_values("day")
    # a fill is a day's purchase, however many lines it was billed on: a pharmacy scanning each
    # box's trace code bills seven boxes as seven lines of one, and the last of them is not the
    # last fill's supply
    fills = ordered.groupby([*keys, "day"], sort=False, observed=True)["quantity"].sum().reset_index()
    use = fills.groupby(keys, sort=False, observed=True).agg(
        quantity=("quantity", "sum"), last_quantity=("quantity", "last"), fills=("day", "size"),
        first=("day", "min"), last=("day", "max")).reset_index()
    use["facilities"] = ordered.groupby(keys, sort=False, observed=True)["facility_id"].nunique() \
        .reindex(pd.MultiIndex.from_frame(use[keys])).to_numpy()
    use = use[use["fills"] >= 2].copy()
    use["span_days"] = ((use["last"] - use["first"]).dt.days).clip(lower=1)
    use["rate"] = (use["quantity"] - use["last_quantity"]) / use["span_days"]
    regular = use[use["fills"] >= 3].groupby("item_code")["rate"].agg(["median", "size"])
    regular = regular[regular["size"] >= min_regular_users]
    use = use[use["item_code"].isin(regular.index)].copy()
    use["ratio"] = use["rate"] / use["item_code"].map(regular["median"]).astype(float)
    use["z"] = 0.0
    for _, group in use.groupby("item_code"):
        values = group["ratio"].to_numpy(dtype=float)
        use.loc[group.index, "z"] = robust_z(values, values)
    return use[["person_id", "item_code", "quantity", "fills", "facilities", "first", "last", "span_days",
                "ratio", "z"]]


def co_started(use: pd.DataFrame, over: pd.Series, *, days: int, opening: set[str] | None = None,
               overlapping: bool = False, lift: float = 0.0) -> list[tuple[str, set[str], float]]:
    """Persons over-supplied (``over``) with one drug whose first fills fall within ``days`` of
    each other, with the surprise (-log10 binomial tail) of that many over-supplied among the
    drug's users (rows of ``use``) who started in those days, at the drug's over-supplied rate.

    A batch that also stopped together (last fills within ``days`` of each other, where the
    drug's patients go on, and each of its courses' next refill at its own pace fell due in the
    extract: a long prescription's last fill weeks before the extract's end lasts past it) is
    weighed among the users who started and stopped in those days,
    at the over-supplied rate of courses as short as theirs where that is higher:
    so a batch recruited at the extract's start, among every long-standing patient's first
    fill, still shows when it stopped. That rate is the formulary's (every drug's courses in
    ``use`` as short), not the drug's own: a drug's short courses are few, and where brokers
    sell it they are mostly the batches' own, which would hide every batch of that drug.
    Windows are tried from each over-supplied person's start, with and without the stop; the
    most surprising are kept, none sharing a person.
    Returns (drug, persons, uncorrected surprise); the windows tried are twice the
    over-supplied rows, or, given ``opening``, twice those of the persons in it (a tied
    group's starts: the tie points at the windows). ``overlapping`` returns every window
    tried: a tied pair's later starter opens a window without the earlier one, and where
    strangers started just after them it is the sharper, but the pair's question is whether
    a window holding both of them stands out. ``lift``: a window is kept only where its
    over-supplied are that many times what the rate gives or more. A batch of strangers is
    read as the window's over-supplied, all of them: where most would be there at the rate
    alone (a season in which a drug's new patients are a little more often over-supplied, read
    over two thousand of them), they are no broker's batch, whatever the surprise.

    >>> day = pd.Timestamp("2024-01-01")
    >>> honest = [(f"h{i}", day + pd.Timedelta(days=i % 20), day + pd.Timedelta(days=360)) for i in range(200)]
    >>> batch = [(f"b{i}", day + pd.Timedelta(days=100 + i), day + pd.Timedelta(days=200)) for i in range(5)]
    >>> late = [(f"n{i}", day + pd.Timedelta(days=100 + 3 * i), day + pd.Timedelta(days=360)) for i in range(5)]
    >>> use = pd.DataFrame(honest + batch + late, columns=["person_id", "first", "last"]).assign(item_code="D")
    >>> over = use["person_id"].isin([f"h{i}" for i in range(0, 200, 20)] + [f"b{i}" for i in range(5)])
    >>> groups = sorted(co_started(use, over, days=21), key=lambda g: -g[2])
    >>> [(sorted(g), round(s, 1)) for _, g, s in groups[:2]]
    [(['b0', 'b1', 'b2', 'b3', 'b4'], 3.5), (['h0', 'h100', 'h120', 'h140', 'h160', 'h180', 'h20', 'h40', 'h60', 'h80'], 0.0)]
    """
    out = []
    rows_of = use.groupby("item_code", sort=False).indices
    extract_start, extract_end = (use[end].agg(how).to_datetime64().astype("datetime64[D]").astype(np.int64)
                                  if len(use) else 0 for end, how in (("first", "min"), ("last", "max")))
    # every drug's courses by length, and the over-supplied among the shortest so many
    all_spans = (use["last"] - use["first"]).dt.days.to_numpy()
    by_length = np.argsort(all_spans, kind="stable")
    all_spans, over_upto = all_spans[by_length], np.cumsum(over.to_numpy(dtype=bool)[by_length])
    for drug, users in use[over].groupby("item_code", sort=False):
        opens = np.ones(len(users), dtype=bool) if opening is None else \
            users["person_id"].isin(opening).to_numpy(dtype=bool)
        if not opens.any():
            continue
        every = use.iloc[rows_of[drug]]
        rate = len(users) / len(every)
        starts = every["first"].to_numpy("datetime64[D]").astype(np.int64)
        stops = every["last"].to_numpy("datetime64[D]").astype(np.int64)
        # everything sorted, so that a window is a slice: linear in the drug's users per window
        by_start = np.argsort(starts, kind="stable")
        starts, stops = starts[by_start], stops[by_start]
        flagged = over.to_numpy(dtype=bool)[rows_of[drug]][by_start]
        refill = _long_refill_days(every)
        expected = _starters_rate(flagged, starts, None if refill is None else extract_start + refill)
        paces = _paces(every)
        phased = _phase_rate(flagged, starts - extract_start, None if paces is None else paces[by_start])
        refill = refill or 0
        # courses that stopped in the extract (their next refill fell due in it), and how many over-supplied
        ended = stops <= extract_end - refill
        ended_over = int((ended & flagged).sum())
        # and of those begun as early or as late as a window's (a second prescriber's heavy users
        # may all start weeks into the extract and stop weeks before its end)
        ended_upto = np.concatenate([[0], np.cumsum(ended)])
        ended_expected = _starters_rate(flagged[ended], starts[ended], None if refill == 0 else extract_start + refill)
        first = users["first"].to_numpy("datetime64[D]").astype(np.int64)
        last = users["last"].to_numpy("datetime64[D]").astype(np.int64)
        order = np.argsort(first, kind="stable")
        begin, end, persons = first[order], last[order], users["person_id"].to_numpy()[order]
        ran_out = _stopped_before(users, use["last"].max())  # each course's next refill due in the extract
        ran_out_by_start = ran_out[order]
        tried = []
        # in the rows' order: equal surprises keep it
        for b, e, own_stop in zip(first[opens], last[opens], ran_out[opens]):
            lo, hi = np.searchsorted(begin, b), np.searchsorted(begin, b + days, side="right")
            s_lo, s_hi = np.searchsorted(starts, b), np.searchsorted(starts, b + days, side="right")
            started = np.arange(lo, hi)
            at = max(expected(s_lo, s_hi, rate), phased(s_lo, s_hi, rate))
            if hi - lo >= lift * (s_hi - s_lo) * at:
                tried.append((binomial_surprise(hi - lo, s_hi - s_lo, at), started))
            # a course whose refill falls due after the extract (the drug's patients' or its own) may go on
            if e > extract_end - refill or not own_stop:
                continue
            stopped = started[(np.abs(end[lo:hi] - e) <= days) & (end[lo:hi] <= extract_end - refill)
                              & ran_out_by_start[lo:hi]]
            near = (np.abs(stops[s_lo:s_hi] - e) <= days) & ended[s_lo:s_hi]
            stoppers = int(near.sum())
            # at the rate of courses as short (a short course's one early refill weighs more), and
            # of the drug's other courses that stopped in the extract
            short = int(np.searchsorted(all_spans, e + days - b, side="right"))
            others = int(ended.sum()) - stoppers
            stop_rate = (ended_over - int(flagged[s_lo:s_hi][near].sum())) / others \
                if others >= max(CLASS_COURSES, CLASS_SHARE * len(starts)) else 0.0
            short_rate = max(rate, stop_rate, ended_expected(ended_upto[s_lo], ended_upto[s_hi], rate),
                             over_upto[short - 1] / short if short else 0.0)
            if len(stopped) >= lift * stoppers * short_rate:
                tried.append((binomial_surprise(len(stopped), stoppers, short_rate), stopped))
        taken = np.zeros(len(begin), dtype=bool)
        for surprise, members in sorted(tried, key=lambda t: -t[0]):
            if overlapping or not taken[members].any():
                taken[members] = True
                out.append((drug, set(persons[members]), surprise))
    return out


def _long_refill_days(every: pd.DataFrame) -> int | None:
    """The days from the extract's first within which nine in ten of a drug's long-standing
    patients (``every``: its rows of a supply table) come for their first refill
    (:func:`_first_refill_due` at ``LONG_REFILL``); None without fill counts."""
    if not {"fills", "span_days"} <= set(every.columns) or (every["fills"] < 2).all():
        return None
    start = pd.Timestamp(0)
    return int((_first_refill_due(every[every["fills"] >= 2], start, LONG_REFILL) - start).days)


def _starters_rate(over: np.ndarray, starts: np.ndarray, due: int | None):
    """For a drug's courses (``over``: which are over-supplied, ``starts``: their first fills as
    day numbers, both in order of ``starts``), a function of a window (a slice ``lo:hi`` of
    ``starts``) and the drug's ``rate`` giving the share of the window's starters the drug's own
    starters of their kind make over-supplied: courses whose first fill comes before ``due``,
    when nine in ten long-standing patients' first refills would (:func:`_long_refill_days`),
    may have begun long before the extract, those after began in it, and the two are
    over-supplied at rates of their own (new patients' doses are still being set; a
    long-standing patient's refills keep their pace). The begun courses' rate is read without
    the window's own; each kind's only where both kinds hold ``CLASS_COURSES`` courses and
    ``CLASS_SHARE`` of the drug's, else ``rate``; without ``due`` (no fill counts), ``rate``
    throughout. Never below ``rate``: a kind of course seldom over-supplied is no baseline a
    batch is read against.
    """
    if due is None:
        return lambda lo, hi, rate: rate
    split = int(np.searchsorted(starts, due, side="right"))  # starts[:split] may have begun before
    over_upto = np.concatenate([[0], np.cumsum(over)])
    begun, begun_over = len(starts) - split, over_upto[-1] - over_upto[split]
    if min(split, begun) < max(CLASS_COURSES, CLASS_SHARE * len(starts)):  # one kind, or a few of the other
        return lambda lo, hi, rate: rate
    old_rate = over_upto[split] / split

    def window_rate(lo: int, hi: int, rate: float) -> float:
        old = max(0, min(hi, split) - lo)
        new_lo = max(lo, split)
        new = max(0, hi - new_lo)
        rest = begun - new
        new_rate = (begun_over - (over_upto[hi] - over_upto[new_lo]) if new else begun_over) / rest \
            if rest >= CLASS_COURSES else rate
        return max(rate, (old * old_rate + new * new_rate) / max(old + new, 1))
    return window_rate


def _paces(every: pd.DataFrame) -> np.ndarray | None:
    """Per course (rows of a supply table), the days between its fills on average; None without
    fill counts."""
    if not {"fills", "span_days"} <= set(every.columns):
        return None
    return every["span_days"].to_numpy(dtype=float) / np.maximum(every["fills"].to_numpy(dtype=float) - 1, 1)


def _phase_rate(over: np.ndarray, offsets: np.ndarray, paces: np.ndarray | None):
    """Like :func:`_starters_rate`, course by course: for a drug's courses (``over``: which are
    over-supplied; ``offsets``: their first fills' days after the extract's first; ``paces``: their
    days between fills, :func:`_paces`; all in order of ``offsets``), a function of a window (a
    slice ``lo:hi``) and the drug's ``rate`` giving the share of the window's starters the drug's
    courses of their kinds make over-supplied.

    A course whose first fill in the extract comes within one of its own refills of the
    extract's first day may have begun long before: its first fill there is where its cycle
    stood, not its start, and falls anywhere in its first refill's days. So a window days into
    the extract holds the courses whose refills come that many days apart or more: weeks in,
    the drug's long-prescription patients (twelve weeks' boxes at a time, perhaps on a higher
    dose, over-supplied against the drug's median need) and none of its monthly ones, who all
    showed in the first month. Its phased courses are read against the drug's other phased
    courses, each weighted by the chance its first fill falls in the window's days (the share
    of its refill's days they cover), or, each, against the other phased courses of its own pace
    (within ``PACE_BAND``; ``MIN_COURSES`` of them or more) where those are over-supplied more
    often: the long-prescription patients are few among the sparse refillers who could also
    first show weeks in, and nearly all of them draw more than the drug's median need, in every
    phase of their cycle. Its begun courses (first fill later than one refill
    in) against the other begun ones; each only where ``CLASS_COURSES`` courses or more could
    have (and ``CLASS_SHARE`` of the drug's begun: a drug whose patients nearly all began before
    the extract has few begun in it, mostly other schemes' cards), else ``rate``. Never below
    ``rate``. Without paces, ``rate`` throughout."""
    if paces is None:
        return lambda lo, hi, rate: rate
    paces = np.maximum(paces, 1.0)
    phased = offsets <= paces
    upto = np.concatenate([[0], np.cumsum(phased)])
    begun_upto = np.concatenate([[0], np.cumsum(~phased & over)])
    begun, begun_over = len(offsets) - upto[-1], begun_upto[-1]
    least = max(CLASS_COURSES, CLASS_SHARE * len(offsets))  # begun courses, as :func:`_starters_rate`'s
    by_pace = np.argsort(paces[phased], kind="stable")
    pace, late = paces[phased][by_pace], over[phased][by_pace].astype(float)
    # prefix sums over the phased courses by pace: of 1, over, 1 / pace and over / pace
    sums = [np.concatenate([[0.0], np.cumsum(x)]) for x in (np.ones(len(pace)), late, 1 / pace, late / pace)]

    def chances(begin: float, end: float) -> tuple[float, float, int]:
        """Of the phased courses, the summed chance of a first fill in ``begin:end`` days, that of
        the over-supplied, and how many could have one there."""
        i, j = np.searchsorted(pace, begin, side="right"), np.searchsorted(pace, end, side="left")
        n, o, inv, o_inv = (total[j] - total[i] for total in sums)  # pace inside: (pace - begin) / pace
        _, _, inv_hi, o_inv_hi = (total[-1] - total[j] for total in sums)  # beyond: (end - begin) / pace
        return (n - begin * inv + (end - begin) * inv_hi, o - begin * o_inv + (end - begin) * o_inv_hi,
                len(pace) - int(i))

    def window_rate(lo: int, hi: int, rate: float) -> float:
        if hi <= lo:
            return rate
        begin, end = float(offsets[lo]), float(offsets[hi - 1]) + 1
        mine = np.flatnonzero(phased[lo:hi]) + lo
        chance = np.clip((np.minimum(end, paces[mine]) - begin) / paces[mine], 0.0, 1.0)
        weight, weight_over, could = chances(begin, end)
        weight, weight_over = weight - chance.sum(), weight_over - chance[over[mine]].sum()
        phased_rate = weight_over / weight if could - len(mine) >= CLASS_COURSES and weight > 0 else rate
        n_begun = (hi - lo) - len(mine)
        rest_begun = begun - n_begun
        begun_rate = (begun_over - (begun_upto[hi] - begun_upto[lo])) / rest_begun if rest_begun >= least else rate
        phased_over = np.maximum(phased_rate, of_their_pace(mine)).sum()
        return max(rate, (phased_over + n_begun * begun_rate) / max(hi - lo, 1))

    def of_their_pace(mine: np.ndarray) -> np.ndarray:
        """Per phased course of a window (``mine``), the over-supplied share of the other phased
        courses of its pace, the window's own left out; 0 where fewer than ``MIN_COURSES``."""
        theirs = paces[mine]
        i, j = np.searchsorted(pace, theirs / PACE_BAND, side="left"), np.searchsorted(pace, theirs * PACE_BAND,
                                                                                       side="right")
        order = np.argsort(theirs, kind="stable")
        own, own_upto = theirs[order], np.concatenate([[0], np.cumsum(over[mine][order])])
        a, b = np.searchsorted(own, theirs / PACE_BAND, side="left"), np.searchsorted(own, theirs * PACE_BAND,
                                                                                      side="right")
        n, o = (j - i) - (b - a), (sums[1][j] - sums[1][i]) - (own_upto[b] - own_upto[a])
        return np.where(n >= MIN_COURSES, o / np.maximum(n, 1), 0.0)
    return window_rate


def _batch_of(groups: list[tuple[set[str], pd.DataFrame]], drawn: pd.DataFrame, batch: set[str],
              first: pd.Series, days: int, rings: set[int], since: pd.Timestamp | None = None,
              one_by_ties: Callable[[set[str]], bool] = lambda persons: True) -> int | None:
    """The one tied group (its index in ``groups``) most of whose persons are over-supplied with
    the batch's drug (rows of ``drawn``) and started it within ``days`` of every first fill of
    the batch (``first``; its persons ``batch`` point at nothing: a pair tied within a family
    may be in the batch itself): the same batch, part of it tied to the broker. Failing that,
    the one group two or more of whose persons draw the drug, most of those having started it
    in those days: a broker's sellers of two drugs, of whom the two on the second started with
    its batch. Each way, a group tied beyond a family (``rings``: indices) is preferred to one
    within a family's few households (two of a batch paid into the broker's account read as
    kin by the tie alone). Failing all of these, the one group tied beyond a family with one
    such person: a broker's account ties his first batch, and one of them was in his second.
    A tied group most of whose users of the drug started it in other weeks is another ring.
    None when no group or several qualify, unless every two of those are mostly the same persons
    (Jaccard 0.5 or more): one broker's sellers read twice (over-supplied with a costly drug, and
    for months), the smaller reading taken. Groups that merely share a person may be two rings
    (a cash-out organiser's cardholder who also sells for a broker). A first fill on or before
    ``since`` (:func:`_first_refill_due`) is a course begun before the extract, its start
    unknown: no sign of other weeks, where half the group's courses or more began in the
    extract (a group whose courses mostly began before it is another broker's long-standing
    sellers, one of whom may have started a second course in any weeks). A group that is one by
    meetings at a counter (``one_by_ties`` false of its persons: :func:`_one_by_ties`) joins
    only the batch it mostly is: heavy users of a costly drug who meet at a busy counter are
    the long-standing patients of other drugs too, who all started them in the extract's first
    weeks, and no broker's account says they are one ring of two drugs."""
    begin, end = _batch_weeks(first, days)
    most, some, one = [], [], []
    for index, (persons, _) in enumerate(groups):
        starts = drawn.loc[drawn["person_id"].isin(persons - batch), "first"]
        known = starts if since is None else starts[starts > since]
        # a group whose courses mostly began before the extract tells little by its few known
        # starts: all of them weigh then, as of the weeks they fell in
        starts = known if 2 * len(known) >= len(starts) else starts
        inside = _started_within(persons - batch, drawn, begin, end)
        if inside > len(persons) / 2:
            most.append(index)
        elif inside > len(starts) / 2 and (inside >= 2 or index in rings and inside == 1):
            (some if inside >= 2 else one).append(index)
    found = [i for i in most if i in rings] or most or [i for i in some if i in rings] or some or one
    if len(found) > 1 and all(jaccard(groups[i][0], groups[j][0]) >= 0.5 for i in found for j in found):
        found = [min(found, key=lambda i: len(groups[i][0]))]
    if len(found) != 1 or found[0] not in most and not one_by_ties(groups[found[0]][0]):
        return None
    return found[0]


def _batch_weeks(first: pd.Series, days: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The days within ``days`` of every first fill of a batch (``first``)."""
    return first.max() - pd.Timedelta(days=days), first.min() + pd.Timedelta(days=days)


def _first_refill_due(users: pd.DataFrame, start: pd.Timestamp, quantile: float = 0.5) -> pd.Timestamp:
    """When a long-standing patient's first refill of a drug would come, from the extract's first
    day ``start``: the median days between fills of its ``users`` (rows of a supply table), or
    their ``quantile``. A course whose first fill in the extract comes before then may have begun
    long before it."""
    return start + pd.Timedelta(days=int(pd.Series(_paces(users)).quantile(quantile)))


def _started_within(persons: set[str], drawn: pd.DataFrame, begin: pd.Timestamp, end: pd.Timestamp) -> int:
    """How many rows of ``drawn`` (a drug's users) of ``persons`` started it between ``begin`` and ``end``."""
    starts = drawn.loc[drawn["person_id"].isin(persons), "first"]
    return int(((starts >= begin) & (starts <= end)).sum())


def _in_the_batch(persons: set[str], batch: set[str], drawn: pd.DataFrame, first: pd.Series, days: int) -> int:
    """How many of ``persons`` are in the ``batch`` or started its drug (rows of ``drawn``) in its
    weeks (:func:`_batch_weeks` of its first fills ``first``)."""
    return len(persons & batch) + _started_within(persons - batch, drawn, *_batch_weeks(first, days))


def _another_brokers(ctx: Context, batch: set[str], tied: set[str]) -> bool:
    """Whether members of ``batch`` are tied to one another through go-betweens (or directly)
    none of whom is in the ``tied`` group or among its go-betweens: the batch is another
    broker's, who recruited in the same weeks, not the rest of the tied group's batch.

    Two brokers selling the same drug may start their batches within days of each other; the
    few sellers of each who lent their broker an account or a phone say whose batch it is.
    """
    theirs = tied | ctx.brokers(tied)
    return any(not ((group | ctx.brokers(group)) & theirs) for group in ctx.groups_through_brokers(batch - tied))


def _tied_starts(ctx: Context, groups: list[tuple[set[str], pd.DataFrame]], started: dict[frozenset, float],
                 months: tuple[pd.DataFrame, pd.Series], fills: tuple[pd.DataFrame, pd.Series], p: dict) -> None:
    """Mark in ``started`` the groups tied by identifiers across two or three households, which
    the tie alone reads as a family (not yet there; not only met at a counter in the same week;
    more households tied are a signal of their own), two or more of whose members started
    drawing a drug in the same weeks, more of that drug's starters of those weeks over-supplied
    than its rate gives. ``months`` and ``fills`` are two readings, each rows of ``use`` and
    which of them are over-supplied: for months of fills; and with a costly drug on any fills.

    A broker's two sellers tied through his account, from three households, look like a
    grown child with parents and in-laws; that both began drawing too much of the same drug
    within days of each other is what a family does not do. Only the windows the group's own
    starts open are tried (log10 of twice its size, at two levels of over-supply), as for a
    batch a tied group points at. A group is read among months of fills where two of its
    members are over-supplied for months; else among every fill (a batch recruited late in the
    extract shows two fills each; among every fill, a batch of months would be diluted by the
    drug's newcomers). Which reading is chosen by the members' fills, not by what either finds.
    Persons of a batch found already (in ``started``) are left out of the starters: another
    broker may recruit in the same weeks, and his sellers are his batch's, no evidence for or
    against this group.
    """
    tied = [(persons, frozenset(persons)) for persons, _ in groups if frozenset(persons) not in started
            and 2 <= ctx.households_linked(persons | ctx.brokers(persons))[0] <= FAMILY_HOUSEHOLDS]
    if not tied:
        return
    drawn = set(months[0].loc[months[1], "person_id"])  # over-supplied for months
    # another broker's batch found already is its own: among the starters, its sellers who
    # started in the same weeks would hide this group's two in their window
    batched = set().union(*started) - set().union(*(persons for persons, _ in tied))
    for (use, drawing), reading in ((months, [t for t in tied if len(t[0] & drawn) >= 2]),
                                    (fills, [t for t in tied if len(t[0] & drawn) < 2])):
        if not reading:
            continue
        keep = ~use["person_id"].isin(batched)
        use, drawing = use[keep], drawing[keep]
        windows = co_started(use, drawing, days=p["cohort_days"], overlapping=True,
                             opening=set().union(*(persons for persons, _ in reading)))
        for persons, key in reading:
            best = max(max((s for _, inside, s in windows if len(inside & persons) >= 2), default=0.0),
                       _started_at_own_level(use, drawing, persons, p["cohort_days"]))
            # the windows its starts open, at two levels of over-supply
            best -= math.log10(4 * len(persons))
            if best >= p["cohort_min"]:
                started[key] = best


def _started_at_own_level(use: pd.DataFrame, drawing: pd.Series, persons: set[str], days: int) -> float:
    """:func:`co_started`'s best window holding two or more of ``persons`` (a tied group), with
    over-supplied read at the group's own level: ``drawing`` persons whose supply ratio is at
    least the lowest of the group's (its members' rows of ``use`` marked ``drawing``).

    Where brokers sell a drug, its over-supplied users are mostly their sellers, and two more
    starting together are no surprise at that rate; two who draw three times their need are,
    among the few who draw as much. The level is the group's own, not searched for: that both
    draw at least so much is the chance of one of them doing so, squared.
    """
    mine = drawing & use["person_id"].isin(persons)
    if use.loc[mine, "person_id"].nunique() < 2:
        return 0.0
    level = float(use.loc[mine, "ratio"].min())
    windows = co_started(use, drawing & (use["ratio"] >= level), days=days, opening=persons, overlapping=True)
    return max((s for _, inside, s in windows if len(inside & persons) >= 2), default=0.0)


def _batch_windows(use: pd.DataFrame, mild: pd.Series, by_drug: dict[str, np.ndarray], persons: set[str],
                   days: int, grouped: set[str], lift: float = 0.0) -> list[tuple[float, str, set[str]]]:
    """Per drug two or more of the group ``persons`` are mildly over-supplied with (``mild``:
    rows of ``use``; ``by_drug``: each drug's row positions in it), the most surprising start
    window they open for the rest of its batch and who is in it: the windows of ``days`` from
    each of their first fills holding two of their starts or more; in each, the binomial
    surprise of so many of the drug's other users who started then being mildly
    over-supplied, at the rate among its other users; or, for a window that opens after a
    long-standing patient's first refill would have come (the drug's median days between fills
    from the extract's first day), among its other courses begun as late, where that is higher
    (``MIN_COURSES`` of them at least): a course begun mid-extract is read over a few fills, a
    long-standing patient's over a year, and a season's new patients are no batch (at the
    rate of the window's own kinds of course, :func:`_phase_rate`, where that is higher). Each
    window is read a second time among the drug's other users who started in it and also stopped
    within ``days`` of one of the group's starters there, where two of them or more did (a stop
    being a next refill due in the extract that never came, :func:`_stopped_before`): a
    batch recruited in the extract's first weeks starts among every long-standing patient's
    first fill, and shows only when it stops, months before they do. :func:`co_started` weighs
    such a window at the formulary's rate among courses as short, as it asks whether there is
    a batch at all; here the group is a ring already and the window asks who else is in its
    batch, and the formulary's short courses are mostly other schemes' cards (a shop's
    cash-out, a collusion pharmacy's patients), whose rate would hide every batch. Persons in a
    group (``grouped``, the group's own among them) are never counted: the group's own are why
    the window is looked at, and another group's are that group's, not evidence of this one's
    batch (two brokers may recruit sellers of one drug in the same weeks). A broker may sell
    two drugs, each through a batch of its own: every drug's window is returned, as
    (surprise, drug, persons). A window whose over-supplied are fewer than ``lift`` times what
    its rate gives is not read: most of them would be there by that rate alone, and joining them
    all would bury the batch in a season's patients (:func:`co_started`)."""
    found = []
    start, extract_end = use["first"].min(), use["last"].max()
    mine = use[mild & use["person_id"].isin(persons)]
    for drug, theirs in mine.groupby("item_code"):
        if len(theirs) < 2:
            continue
        users = use.iloc[by_drug[drug]]
        others = users[~users["person_id"].isin(grouped)]
        if others.empty:
            continue
        flagged = mild[others.index].to_numpy(dtype=bool)
        rate = float(flagged.mean())
        own = theirs["first"].to_numpy("datetime64[D]")
        own_last = theirs["last"].to_numpy("datetime64[D]")
        first = others["first"].to_numpy("datetime64[D]")
        last = others["last"].to_numpy("datetime64[D]")
        # stopped: the next refill, at the course's own pace, fell due in the extract and did not come
        own_stopped, stopped = (_stopped_before(frame, extract_end) for frame in (theirs, others))
        due = np.datetime64(_first_refill_due(users, start), "D")
        begun = first > due
        span = np.timedelta64(days, "D")
        # the rate of the window's own kinds of course (a long prescription's first fill weeks in)
        order = np.argsort(first, kind="stable")
        day0 = np.datetime64(start, "D")
        offsets = (first[order] - day0).astype(np.int64)
        paces = _paces(others)
        phased = _phase_rate(flagged[order], offsets, None if paces is None else paces[order])
        best: tuple[float, str, set[str]] = (0.0, drug, set())
        for begin, end in zip(own, own_last):
            starters = (own >= begin) & (own <= begin + span)
            if int(starters.sum()) < 2:
                continue
            inside = (first >= begin) & (first <= begin + span)
            late_rate = 0.0
            if begin > due:  # the window is among courses begun as late
                late = flagged[begun & ~inside]
                late_rate = float(late.mean()) if len(late) >= MIN_COURSES else 0.0
            lo = np.searchsorted(offsets, (begin - day0).astype(np.int64))
            hi = np.searchsorted(offsets, (begin + span - day0).astype(np.int64), side="right")
            at = max(rate, late_rate, phased(lo, hi, rate))
            readings = [inside]
            if int((starters & own_stopped & (np.abs(own_last - end) <= span)).sum()) >= 2:
                readings.append(inside & stopped & (np.abs(last - end) <= span))
            for among in readings:
                hits = among & flagged
                if int(hits.sum()) < lift * int(among.sum()) * at:  # mostly there at the rate alone
                    continue
                surprise = binomial_surprise(int(hits.sum()), int(among.sum()), at)
                if surprise > best[0]:
                    best = (surprise, drug, set(others.loc[hits, "person_id"]))
        found.append(best)
    return found


def _stopped_before(courses: pd.DataFrame, extract_end: pd.Timestamp) -> np.ndarray:
    """Per course (rows of a supply table), whether its next refill, at its own pace
    (:func:`_paces`), fell due by ``extract_end``: a long prescription's last fill weeks before the
    extract's end lasts past it, and is no stop. Every course, without fill counts."""
    paces = _paces(courses)
    if paces is None:
        return np.ones(len(courses), dtype=bool)
    return (courses["last"] + pd.to_timedelta(paces, unit="D") <= extract_end).to_numpy(dtype=bool)


def _rest_of_batches(ctx: Context, groups: list[tuple[set[str], pd.DataFrame]], started: dict[frozenset, float],
                     use: pd.DataFrame, mild: pd.Series, lines: pd.DataFrame,
                     p: dict) -> list[tuple[set[str], pd.DataFrame]]:
    """Each group that is a ring already (tied across families by identifiers, or a batch that
    started together) joined by the rest of its batch: persons in no group, mildly over-supplied
    (``mild``: rows of ``use``) with a drug two or more of its members are, who started it in
    the same weeks as they did (and stopped in the same weeks, where they did), more of that
    drug's other users who started then being so than its rate gives (:func:`_batch_windows`,
    each drug's; only the windows the group's own starts open are tried, each read twice: log10
    of four times its size, as for :func:`_tied_starts`). Groups are served
    sharpest window first: two brokers may recruit in the same weeks, and a seller in both
    windows goes to the one he stands out in most.

    A broker's tied sellers are the few who lent him an account or a phone; the rest of the
    batch he recruited draw the same drug a little too fast from the same weeks. Each alone is
    a heavy user; starting with the tied ones, more of them than the drug's starters of any
    weeks are, is what makes them his. A batch recruited late in the extract shows two fills
    each; ``mild`` holds robust outliers of a chronic drug, costly or cheap, on two fills too:
    an early second fill of a cheap drug is common, and the drug's other users who refilled so
    early count in the rate the window is weighed at.
    Heavy users who met at a counter are no ring, and their batch-mates do not make them one;
    nor does a counter's group take a batch in (:func:`_counter`: a shop's cash-out cards, tied
    by its organiser and drawing the shop's costly drug from the same weeks, are dropped as the
    shop's business below, and a broker's batch taken in would be lost with them)."""
    taken = set().union(*(persons for persons, _ in groups)) if groups else set()
    by_drug = use.groupby("item_code", sort=False).indices  # each drug's users, found once
    grouped = frozenset(taken)  # as the groups stand: no window counts anyone another takes first
    windows = {}
    for index, (persons, frame) in enumerate(groups):
        if _a_ring_already(ctx, persons, started) and not _a_counters(persons, frame, lines, p["max_place_share"]):
            tried = math.log10(4 * len(persons))  # its starts' windows, each read twice
            windows[index] = [(surprise - tried, drug, inside) for surprise, drug, inside
                              in _batch_windows(use, mild, by_drug, persons, p["cohort_days"], grouped,
                                                p["cohort_lift"])
                              if surprise - tried >= p["cohort_min"]]
    out = list(groups)
    # two brokers may recruit in the same weeks: a seller in both windows is the sharper one's
    for index in sorted(windows, key=lambda i: -max((w[0] for w in windows[i]), default=0.0)):
        persons, frame = groups[index]
        for surprise, drug, inside in windows[index]:
            rest = inside - taken
            if rest:
                joined = persons | rest
                frame = pd.concat([frame, use[use["person_id"].isin(rest) & mild & (use["item_code"] == drug)]])
                started[frozenset(joined)] = max(started.get(frozenset(persons), 0.0), surprise)
                taken |= rest
                persons = joined
        out[index] = (persons, frame[~frame.index.duplicated()])
    return out


def _rest_of_the_tied(ctx: Context, groups: list[tuple[set[str], pd.DataFrame]], started: dict[frozenset, float],
                      outliers: pd.DataFrame) -> list[tuple[set[str], pd.DataFrame]]:
    """Each group tied within a family's few households and not a batch (not in ``started``)
    joined by the persons tied to it or to its go-betweens who are over-supplied (rows of
    ``outliers``) with a drug its members are over-supplied with, and in no group yet.

    The groups above need months of fills; a broker's seller who drew the same drug as fast
    on two fills only, paid into the same account, is his too, and the tie then spans more
    households than a family's. Relatives of a family over-supplied with the same drug are
    few; what joins them is read as before (the households the tie spans).
    """
    taken = set().union(*(persons for persons, _ in groups)) if groups else set()
    out = []
    for persons, frame in groups:
        if not _a_ring_already(ctx, persons, started):
            drugs = set(frame.loc[frame["person_id"].isin(persons), "item_code"])
            near = ctx.tied_to(persons | ctx.brokers(persons)) - taken
            rest = outliers[outliers["person_id"].isin(near) & outliers["item_code"].isin(drugs)]
            if not rest.empty:
                taken |= set(rest["person_id"])
                persons = persons | set(rest["person_id"])
                frame = pd.concat([frame, rest])
                frame = frame[~frame.index.duplicated()]
        out.append((persons, frame))
    return out


def _a_ring_already(ctx: Context, persons: set[str], started: dict[frozenset, float]) -> bool:
    """Whether the group ``persons`` is a batch that started together (in ``started``) or is
    tied beyond a family's households (:func:`_tied_beyond_a_family`)."""
    return frozenset(persons) in started or _tied_beyond_a_family(ctx, persons)


def _one_by_ties(ctx: Context, persons: set[str]) -> bool:
    """Whether most of ``persons`` are one group by their identifiers alone
    (:meth:`Context.groups_through_brokers`): a broker's sellers are; heavy users who met at a
    busy counter are not, though a couple among them ties two households."""
    return any(2 * len(group) > len(persons) for group in ctx.groups_through_brokers(persons))


def _tied_beyond_a_family(ctx: Context, persons: set[str], brokers: set[str] | None = None) -> bool:
    """Whether ``persons`` and their go-betweens (``brokers``, :meth:`Context.brokers` where not
    given) are tied across more households than a family's (:meth:`Context.link_signal`): a ring
    by its ties alone."""
    return ctx.link_signal(persons | (ctx.brokers(persons) if brokers is None else brokers))[0] > 0


def _tied_as_no_family(ctx: Context, persons: set[str], brokers: set[str] | None = None) -> bool:
    """Whether ``persons`` are tied beyond a family's households (:func:`_tied_beyond_a_family`),
    or within a family's few by go-betweens none of whom stands a generation apart from any of
    them (:func:`_a_generation_apart`): no one's grown child, no one's parent. A child among
    the go-betweens (:meth:`Context.is_child`) keeps no one's e-vouchers: he is listed on a parent's
    phone, and the parent, a go-between too, is the one asked (where every go-between is a
    child, they are asked all the same: a family's children). ``brokers``: their go-betweens
    (:meth:`Context.brokers`), where the caller has them."""
    brokers = ctx.brokers(persons) if brokers is None else brokers
    return _tied_beyond_a_family(ctx, persons, brokers) or (bool(brokers) and not any(
        _a_generation_apart(ctx, adult, persons) for adult in _grown_go_betweens(ctx, brokers)))


def _a_generation_apart(ctx: Context, go_between: str, persons: set[str]) -> bool:
    """Whether ``go_between`` was born ``GENERATION_YEARS`` or more before or after one of the
    ``persons`` he ties (a grown child of theirs, or a parent), or lives with one of them (two
    households tied directly, as relatives of every kind are), or a birth date is unknown.

    A tie of two or three households is a family's where it is a grown child's, who keeps the
    e-vouchers of his parents and in-laws on his phone or lets them use his account: they are a
    generation older than he is (a relative of his own age may be tied through them). Two
    sellers in their forties paid into the account of a man of thirty-five are no one's
    parents, and the account is their broker's."""
    born = ctx.person["birth_date"] if "birth_date" in ctx.person else None
    home = ctx.household.get(go_between, go_between)
    others = [m for m in persons if ctx.household.get(m, m) != home]
    if born is None or len(others) < len(persons):
        return True
    dates = born.reindex([go_between, *others])
    if dates.isna().any():
        return True
    # in calendar years, as Context reads a generation (:meth:`Context.kept_elders`)
    own, theirs, generation = dates.iloc[0], dates.iloc[1:], pd.DateOffset(years=GENERATION_YEARS)
    return bool(((theirs <= own - generation) | (theirs >= own + generation)).any())


def _grown_go_betweens(ctx: Context, brokers: set[str]) -> set[str]:
    """The go-betweens ``brokers`` who are no child (:meth:`Context.is_child`: listed on a
    parent's phone, a child ties what the parent ties), or all of them where every one is."""
    return {broker for broker in brokers if not ctx.is_child(broker)} or brokers


def _large_enough(ctx: Context, persons: set[str], min_persons: int) -> bool:
    """``min_persons`` over-supplied persons, or fewer with the go-betweens who tie their
    households (:meth:`Context.brokers`): a broker draws nothing himself, and his two sellers
    are a ring of three. A couple on their son's account is one household, and he is no broker
    of theirs; two heavy users among the dozen relatives whose e-vouchers a grown child keeps on
    one phone have more go-betweens than sellers, and a broker's go-betweens are one or two."""
    if len(persons) >= min_persons:
        return True
    brokers = ctx.brokers(persons)
    return len(persons | brokers) >= min_persons and len(brokers) <= len(persons)


def _one_group_per_go_between(ctx: Context, groups: list[tuple[set[str], pd.DataFrame]]
                              ) -> list[tuple[set[str], pd.DataFrame]]:
    """Groups tied beyond a family's households (:func:`_tied_beyond_a_family`) that share a
    go-between, who ties two households or more of each (:meth:`Context.brokers`), made one.

    A broker's sellers over-supplied with a costly drug and those drawing a cheap one for
    months are read apart, each reading tied through his account: two groups, one broker's.
    An acquaintance who shares a device with a seller of one broker and an account with a
    seller of another ties one household of each, and joins nothing here.
    """
    wide = [i for i, (persons, _) in enumerate(groups) if _tied_beyond_a_family(ctx, persons)]
    reach = {i: ctx.brokers(groups[i][0]) for i in wide}
    edges = [(i, j) for i in wide for j in wide if i < j and reach[i] & reach[j]]
    return [merged for _, merged in _joined(groups, edges)] if edges else groups


def _joined(groups: list[tuple[set[str], pd.DataFrame]], edges: list[tuple[int, int]]
            ) -> list[tuple[list[int], tuple[set[str], pd.DataFrame]]]:
    """The connected components of ``groups`` joined by ``edges`` (index pairs), each with the one
    group it makes: the persons of all, and their rows (the frames are slices of one table)."""
    out = []
    for component in ig.Graph(n=len(groups), edges=edges).connected_components():
        frames = pd.concat([groups[i][1] for i in component])
        out.append((component, (set().union(*(groups[i][0] for i in component)), frames[~frames.index.duplicated()])))
    return out


def _one_ring_per_broker(ctx: Context, groups: list[tuple[set[str], pd.DataFrame]],
                         started: dict[frozenset, float]) -> list[tuple[set[str], pd.DataFrame]]:
    """Batches (groups in ``started``) one of whose members ties the other's households
    (:meth:`Context.brokers`), or whose go-between ties a member of the other, made one, with
    the stronger start in ``started``.

    A broker's sellers of two drugs start in two batches; a seller paid into
    his account sits in one batch and ties the other's households to it. Or he ties two
    sellers of one batch (paid into his account) and is tied to one of the other (who lists
    his phone).
    """
    batches = [i for i, (persons, _) in enumerate(groups) if frozenset(persons) in started]
    reach = {i: ctx.brokers(groups[i][0]) for i in batches}
    ties = {i: ctx.tied_to(groups[i][0]) for i in batches}
    edges = [(i, j) for i in batches for j in batches if i < j
             and (groups[i][0] & reach[j] or groups[j][0] & reach[i]
                  or ties[i] & reach[j] or ties[j] & reach[i])]
    if not edges:
        return groups
    out = []
    for component, merged in _joined(groups, edges):
        strongest = max(started.get(frozenset(groups[i][0]), 0.0) for i in component)
        if strongest > 0:
            started[frozenset(merged[0])] = strongest
        out.append(merged)
    return out


def _counter_fills(lines: pd.DataFrame) -> pd.Series:
    """Fills (claims, however many lines each) per drug and facility in ``lines``."""
    return lines.drop_duplicates(["claim", "item_code"]).groupby(["item_code", "facility_id"], observed=True).size()


def _same_week_edges(over: pd.DataFrame, lines: pd.DataFrame, everyone: pd.Series, least: float
                     ) -> list[tuple[str, str]]:
    """Pairs of over-supplied persons filling the drug they are over-supplied with at the same
    facility in the same week (a broker's sellers at the counter), at facilities where the
    over-supplied fill it more often than their share of the drug's fills (``everyone``:
    :func:`_counter_fills` of every user) gives, by ``least`` after the facilities tried
    (binomial surprise): a drug's heavy users meet at a busy hospital's counter every week."""
    fills = lines.merge(over[["person_id", "item_code"]], on=["person_id", "item_code"])
    theirs = _counter_fills(fills)
    if theirs.empty:
        return []
    drugs = theirs.index.get_level_values("item_code")
    share = (theirs.groupby(level="item_code").sum() / everyone.groupby(level="item_code").sum()).reindex(drugs)
    total = np.maximum(everyone.reindex(theirs.index).fillna(0).to_numpy(), theirs.to_numpy())
    surprise = np.array([binomial_surprise(int(k), int(n), r)
                         for k, n, r in zip(theirs.to_numpy(), total, share.to_numpy())])
    crowded = theirs.index[surprise - math.log10(len(theirs)) >= least]
    fills = fills[pd.MultiIndex.from_frame(fills[["item_code", "facility_id"]]).isin(crowded)]
    fills = fills.assign(week=fills["day"].dt.to_period("W").astype(str))
    edges = []
    for _, group in fills.groupby(["item_code", "facility_id", "week"]):
        inside = sorted(set(group["person_id"]))
        edges += [(inside[0], other) for other in inside[1:]]
    return edges


def _split_off_counters(ctx: Context, groups: list[tuple[set[str], pd.DataFrame]], started: dict[frozenset, float],
                        lines: pd.DataFrame, p: dict) -> list[tuple[set[str], pd.DataFrame]]:
    """Each group not yet a batch (``started``) that reads as one counter's split
    (:func:`_off_the_counter`): the counter's people stay a group (taken, so that no batch takes
    them in; the counter's business is its own jobs' to weigh), and the rest, regrouped by
    their identifiers alone, are groups where large enough (:func:`_large_enough`): meetings at
    the counter joined them to its people, and those say nothing of whose sellers they are."""
    out = []
    for persons, frame in groups:
        parts = [persons] if frozenset(persons) in started else \
            _off_the_counter(persons, frame, lines, p["max_place_share"])
        out.append((parts[0], frame))
        out += [(g, frame) for rest in parts[1:] for g in ctx.groups_through_brokers(rest)
                if _large_enough(ctx, g, p["min_persons"])]
    return out


def _fills_of(persons: set[str], over: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """The fills (rows of ``lines``) of ``persons`` of the drugs they are over-supplied with
    (their rows of ``over``)."""
    mine = over[over["person_id"].isin(persons)]
    return lines[lines["person_id"].isin(persons) & lines["item_code"].isin(set(mine["item_code"]))]


def _counter(fills: pd.DataFrame, max_share: float) -> str | None:
    """The facility that supplied more than ``max_share`` of the quantity in ``fills``, or None:
    over-supply from one counter is that counter's business (a colluding doctor's pharmacy
    inflating fills, a shop's cash-out), which its own jobs weigh; resale spreads out."""
    by_place = fills.groupby("facility_id", observed=True)["quantity"].sum()
    return by_place.idxmax() if not by_place.empty and by_place.max() > max_share * by_place.sum() else None


def _a_counters(persons: set[str], over: pd.DataFrame, lines: pd.DataFrame, max_share: float) -> bool:
    """Whether the group ``persons`` (their rows of ``over``) drew its over-supply from one counter
    (:func:`_counter` of their fills in ``lines``): a shop's cash-out cards, whose business is the
    shop's, and which take in no broker's batch (it would be dropped with them)."""
    return _counter(_fills_of(persons, over, lines), max_share) is not None


def _off_the_counter(persons: set[str], over: pd.DataFrame, lines: pd.DataFrame,
                     max_share: float) -> list[set[str]]:
    """``persons`` split, where one facility supplied more than ``max_share`` of the drugs they
    are over-supplied with (their rows of ``over``; fills in ``lines``), into those who drew
    more than ``max_share`` of their own there and the rest; else ``[persons]``.

    A colluding doctor's pharmacy inflates its patients' packs, and they are over-supplied at
    its counter; a broker's seller who fills there too meets them in the same week, and the
    group, most of its supply from that counter, reads as the counter's business, which its
    own jobs weigh. Its patients are the counter's; the sellers who draw elsewhere too are the
    broker's, and may be a group of their own.
    """
    fills = _fills_of(persons, over, lines)
    place = _counter(fills, max_share)
    if place is None:
        return [persons]
    own = fills.groupby("person_id")["quantity"].sum()
    there = fills[fills["facility_id"] == place].groupby("person_id")["quantity"].sum()
    counter = set(there.index[there > max_share * own[there.index]])
    return [counter, persons - counter]


def _apart_from_ties(ctx: Context, persons: set[str], edges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``edges`` (meetings at a counter) that join no two groups of ``persons`` tied by identifiers
    (:meth:`Context.groups_through_brokers`), directly or through untied persons.

    A tie through a broker's account or phone says whose seller one is; a chance meeting
    at a busy counter does not, so it may bring an untied seller to a group but never
    make one ring of two brokers' sellers who fill the same drug at the same places.
    """
    tied = {pid: i for i, group in enumerate(ctx.groups_through_brokers(persons)) for pid in group}
    joined, holds = UnionFind(), {}  # per set of persons joined so far, the tied groups in it
    kept = []
    for a, b in edges:
        ra, rb = joined[a], joined[b]
        held_a = holds.setdefault(ra, {tied[a]} if a in tied else set())
        held_b = holds.setdefault(rb, {tied[b]} if b in tied else set())
        if ra != rb and held_a and held_b and held_a != held_b:
            continue
        joined.union(a, b)
        holds[joined[a]] = held_a | held_b
        kept.append((a, b))
    return kept


def _drawn_for_a_broker(lenders: list[frozenset[str]], over: pd.DataFrame, min_persons: int
                        ) -> list[tuple[set[str], pd.DataFrame]]:
    """Each lender's cards (``lenders``) most of which (and ``min_persons`` at least) are
    over-supplied with one chronic or costly drug (rows of ``over``): the over-supplied ones, as
    a group.

    One phone presenting many people's e-vouchers at several places reads as card lending, and
    a lender's cards are no seller of any broker's (``lent``); but cards that all draw the same
    chronic drug far beyond need, month after month, are a broker's sellers whose e-vouchers he
    presents himself. Read whole, the group is weighed as any other (its own over-supply, its
    ties, its facilities); which typology the ring takes is its signals' to say."""
    out = []
    for cards in lenders:
        mine = over[over["person_id"].isin(cards)]
        if mine.empty:
            continue
        drawing = mine.groupby("item_code")["person_id"].nunique()
        if drawing.max() >= max(min_persons, len(cards) / 2):
            drugs = set(drawing.index[drawing >= 2])
            rows = mine[mine["item_code"].isin(drugs)]
            out.append((set(rows["person_id"]), rows))
    return out


def _came_back(returned: pd.Series | None, users: set[str]):
    """A reader, per group of persons, of how surprising it is that so many of them had packs
    come back to the market (``returned``: per person, packs sold again elsewhere), against the
    share of the drugs' users who did (binomial, -log10), with the packs: 0 where none did.

    One returned pack may be a pharmacy's slip (a display box's code scanned); a broker's
    sellers' packs come back again and again, and few honest users' ever do."""
    if returned is None or returned.empty:
        return lambda persons: (0.0, 0)
    rate = len(set(returned.index) & users) / max(len(users), 1)

    def read(persons: set[str]) -> tuple[float, int]:
        mine = returned.reindex(list(persons)).dropna()
        return binomial_surprise(len(mine), len(persons), rate), int(mine.sum())
    return read


@dataclass(frozen=True)
class _BadLedgers:
    """The facilities whose ledgers do not add up (``strength``: the strongest evidence of each),
    and per drug its fills in all (``fills``) and at those facilities (``at_bad``)."""

    strength: dict[str, float]
    fills: pd.Series
    at_bad: pd.Series

    def reading(self, claims: pd.DataFrame, drugs: set[str], correction: float, least: float) -> float:
        """The strongest bad ledger among the facilities where a group filled its ``drugs``
        (``claims``: those fills), where its fills crowd such facilities: more of them there than
        the drugs' fills by every user give (binomial, less ``correction``, at least ``least``);
        else 0. A few heavy users who filled a drug at thirty pharmacies, one of them a cash-out
        shop's, are no ring for that shop's ledger; a broker's sellers selling back where they fill are."""
        bad = claims["facility_id"].isin(self.strength)
        if not bad.any():
            return 0.0
        drugs = list(drugs)
        rate = float(self.at_bad.reindex(drugs, fill_value=0).sum() / max(self.fills.reindex(drugs, fill_value=0).sum(), 1))
        if binomial_surprise(int(bad.sum()), len(claims), rate) - correction < least:
            return 0.0
        return max(self.strength[f] for f in set(claims.loc[bad, "facility_id"]))


def _bad_ledgers(facility_evidence: list[FacilityEvidence], lines: pd.DataFrame) -> _BadLedgers:
    """:class:`_BadLedgers` of the evidence, and of every user's drug fills (``lines``)."""
    strength: dict[str, float] = {}
    for evidence in facility_evidence:
        for facility, value in evidence.strength.items():
            if value > 0:
                strength[facility] = max(strength.get(facility, 0.0), value)
    at_bad = lines["facility_id"].isin(strength)
    return _BadLedgers(strength, lines.groupby("item_code", observed=True).size(),
                       lines[at_bad.to_numpy()].groupby("item_code", observed=True).size())


def _drug_fills(ctx: Context, drug: np.ndarray) -> tuple[pd.DataFrame, pd.Index]:
    """The drug fee lines (``drug`` marks them) of known claims with their claim's row, person
    (a code into the returned ids), facility and day: looked up by claim row, not merged on the
    claim id, so millions of lines never carry two copies of the claims' text. A stay's drugs
    are given on the ward, not taken home: they are no fills."""
    row = ctx.line_rows()
    keep = drug & (row >= 0)
    keep[keep] = ctx.claims["visit_type"].to_numpy()[row[keep]] != "inpatient"
    row = row[keep]
    person, persons = pd.factorize(ctx.claims["person_id"])
    lines = ctx.tables.claim_items
    return pd.DataFrame({"claim": row, "item_code": lines["item_code"].array[keep],
                         "quantity": lines["quantity"].to_numpy()[keep], "person_id": person[row],
                         "facility_id": ctx.claims["facility_id"].array.take(row),
                         "day": ctx.claims["day"].to_numpy()[row]}), pd.Index(persons)


def drug_resale_job(ctx: Context, facility_evidence: list[FacilityEvidence], *, seed: int = 0,
                    params: dict | None = None, lent: frozenset[str] = frozenset(),
                    returned: pd.Series | None = None, lenders: list[frozenset[str]] = ()) -> JobResult:
    """Candidate drug-resale groups: over-supplied persons of the same drugs tied by identifiers.
    ``returned``: per person, packs of theirs sold again elsewhere
    (:func:`ringscope.communities.job_stock.returned_packs`); ``lenders``: each lender's roaming
    cards (:func:`ringscope.communities.job_identifiers.lent_groups`), read as a whole
    (:func:`_drawn_for_a_broker`)."""
    p = {**PARAMS, **(params or {}), "seed": seed}
    lines = ctx.tables.claim_items
    if lines is None or lines.empty:
        return JobResult("drug_resale", p, [], skipped="no claim_items")
    drug = goods_lines(ctx.tables, ("drug",))
    expensive = costly_drugs(ctx.tables, p["price_quantile"])
    lines, persons = _drug_fills(ctx, drug)
    if lines.empty:
        return JobResult("drug_resale", p, [])
    use = supply_ratios(lines, min_regular_users=p["min_regular_users"])
    use["person_id"] = persons[use["person_id"].to_numpy()]
    # over the drug's usual supply, robust z from ``least`` (lent cards' excess is their lender's)
    above = lambda least: (use["z"] >= least) & (use["ratio"] > 1) & ~use["person_id"].isin(lent)  # noqa: E731
    outlier = above(p["outlier_z"])
    costly = outlier & use["item_code"].isin(expensive)
    # users of months of a chronic drug (its repeat users' median fills is chronic_fills or
    # more): an acute drug's over-supplied come and go with the seasons, in batches of their own
    chronic_drug = use["item_code"].map(use.groupby("item_code")["fills"].median()) >= p["chronic_fills"]
    steady = chronic_drug & (use["fills"] >= p["cohort_fills"]) & (use["span_days"] >= p["chronic_days"])
    drawing = outlier & steady
    chronic = drawing & (use["ratio"] >= p["chronic_ratio"])
    # over-supplied with a chronic drug on any fills: a seller recruited late in the extract
    # shows two (``drawing`` are those of months among them)
    short = outlier & chronic_drug
    # a lender's cards, over-supplied with a drug, may be a broker's sellers he presents himself
    presented = _drawn_for_a_broker(lenders, use[(chronic_drug | use["item_code"].isin(expensive))
                                                 & (use["z"] >= p["outlier_z"]) & (use["ratio"] > 1)], p["min_persons"])
    if not (costly | short).any() and not presented:
        return JobResult("drug_resale", p, [])
    base_rate = max(use.loc[costly, "person_id"].nunique() / max(use["person_id"].nunique(), 1), 1e-6)
    ledgers = _bad_ledgers(facility_evidence, lines)
    wanted = costly | short | use.index.isin([i for _, rows in presented for i in rows.index])
    at_counters = _counter_fills(lines[lines["item_code"].isin(expensive)])
    lines = lines[lines["item_code"].isin(set(use.loc[wanted, "item_code"]))
                  & lines["person_id"].isin(persons.get_indexer(use.loc[wanted, "person_id"]))]
    lines = lines.assign(person_id=persons[lines["person_id"].to_numpy()],
                         claim_id=ctx.claims["claim_id"].array.take(lines["claim"].to_numpy()))
    over = use[costly]
    same_week = _apart_from_ties(ctx, set(over["person_id"]),
                                 _same_week_edges(over, lines[lines["item_code"].isin(expensive)], at_counters,
                                                  p["counter_min"]))
    groups = [(g, over) for g in ctx.groups_through_brokers(set(over["person_id"]), same_week, p["split_above"], seed)
              if _large_enough(ctx, g, p["min_persons"])]
    # any drug taken for months at one and a half times the need or more, by persons of two
    # families or more tied by identifiers: not by chance meetings at a counter (only the costly
    # drugs are rare enough for those), and not one family (a grown child fills the elders' drugs)
    seen = set().union(*(g for g, _ in groups))
    months = use[chronic]
    kin = set()  # persons tied into one family across its households: a ring only if they started together
    for g in ctx.groups_through_brokers(set(months["person_id"])):
        if not _large_enough(ctx, g, p["min_persons"]) or g <= seen:
            continue
        if len({ctx.family_of(m) for m in g}) < 2 and not _tied_as_no_family(ctx, g):
            if ctx.households_linked(g | ctx.brokers(g))[0] < 2:
                continue
            kin |= g
        groups.append((g, months))
    # a broker's sellers recruited late in the extract show two fills each: persons over-supplied
    # with a chronic drug on too few fills to have drawn for months, tied across more households
    # than a family's (those drawing for months are read above, at ``chronic_ratio``)
    lately = use[short & ~steady & ~use["person_id"].isin(set().union(*(g for g, _ in groups)))]
    groups += [(g, lately) for g in ctx.groups_through_brokers(set(lately["person_id"]))
               if _large_enough(ctx, g, p["min_persons"]) and _tied_beyond_a_family(ctx, g)]
    groups = _one_group_per_go_between(ctx, groups)
    # a batch of sellers who started drawing the same drug together, without a tie
    started = {}
    # persons already in a group tied across more households than a family's are that group's:
    # left out, so that two brokers' batches that started in the same weeks are not run together
    # through the tied one's members; a pair tied within a family's few is no ring of its own
    rings = {i for i, (g, _) in enumerate(groups) if _tied_beyond_a_family(ctx, g)}
    owned = set().union(*(groups[i][0] for i in rings))
    fresh = drawing & ~use["person_id"].isin(owned)
    cohort_correction = math.log10(max(2 * int(fresh.sum()), 1))
    extract_start = use["first"].min()
    # the least a window's surprise is corrected by: a tied pair's two starts open four windows
    least_tried = min(cohort_correction, math.log10(4))
    for drug, g, surprise in co_started(use[steady], fresh[steady], days=p["cohort_days"], lift=p["cohort_lift"]):
        if (len(g) < p["min_persons"] or surprise - least_tried < p["cohort_min"]
                or len({ctx.family_of(m) for m in g}) < 2):
            continue
        of_drug = use["item_code"] == drug
        batch = use[fresh & of_drug]
        batch = batch[batch["person_id"].isin(g)]
        if _a_counters(g, batch, lines, p["max_place_share"]):
            # a counter's patients: a colluding doctor's pharmacy inflates their packs, and they
            # start together when the arrangement does; its business is its own jobs' to weigh
            continue
        joined = _batch_of(groups, use[drawing & of_drug], g, batch["first"], p["cohort_days"], rings,
                           _first_refill_due(use[of_drug], extract_start), lambda persons: _one_by_ties(ctx, persons))
        # another broker's sellers recruited in the same weeks, or a shop's cards (one counter's
        # business, dropped below: a batch taken in would be lost with them) are not its
        if joined is not None and (_another_brokers(ctx, g, groups[joined][0])
                                   or _a_counters(*groups[joined], lines, p["max_place_share"])):
            joined = None
        # a tied group that started the drug in the batch's weeks points at the window: only the
        # windows its members' starts open are tried then, not every over-supplied person's
        # (a batch that stands out among every window stands, whoever's it is)
        tried = cohort_correction if joined is None else \
            min(cohort_correction, math.log10(2 * len(groups[joined][0])))
        if surprise - tried < p["cohort_min"]:
            continue
        # the untied rest of a tied group's batch is one ring with it; persons tied within a
        # family's few households, one of them in the batch and most of them in it or starting
        # its drug in its weeks (over-supplied with it, on two fills where it is costly: recruited
        # with it late), are the batch's (their tie may be the broker's account, which ties his
        # other batch: _one_ring_per_broker)
        drawn = use[(drawing | costly) & of_drug]
        parts = [joined] * (joined is not None) + [
            i for i, (tied, _) in enumerate(groups) if i not in rings and i != joined and tied & g
            and _in_the_batch(tied, g, drawn, batch["first"], p["cohort_days"]) > len(tied) / 2]
        g = g.union(*(groups[i][0] for i in parts))
        both = pd.concat([batch] + [groups[i][1] for i in parts])
        groups += [(g, both[~both.index.duplicated()])]
        for i in parts:  # emptied, not removed: the indices in ``rings`` stay right
            groups[i] = (set(), groups[i][1])
        started[frozenset(g)] = surprise - tried
    groups = _one_ring_per_broker(ctx, [group for group in groups if group[0]], started)
    groups = _split_off_counters(ctx, groups, started, lines, p)
    groups = _rest_of_the_tied(ctx, groups, started, use[outlier])
    _tied_starts(ctx, groups, started, (use[steady], drawing[steady]),
                 (use[chronic_drug], (drawing | costly)[chronic_drug]), p)
    # mildly over-supplied for months, or an outlier of a chronic drug, costly or cheap, on any
    # fills (``short`` holds the costly outliers of chronic drugs)
    mild = above(p["mild_z"]) & steady | short
    groups = _rest_of_batches(ctx, groups, started, use[chronic_drug], mild[chronic_drug], lines, p)
    groups += presented
    correction = math.log10(max(len(groups), 1))
    came_back = _came_back(returned, set(use["person_id"]))
    out = []
    for persons, over in groups:
        go_betweens = ctx.brokers(persons)
        brokers = _grown_go_betweens(ctx, go_betweens)
        holders = persons | brokers
        mine = over[over["person_id"].isin(persons)]
        drugs = set(mine["item_code"])
        claims = lines[lines["person_id"].isin(persons) & lines["item_code"].isin(drugs)]
        if claims["facility_id"].nunique() < p["min_facilities"]:
            continue
        if _counter(claims, p["max_place_share"]) is not None:  # one counter's business, not resale
            continue
        obtained = float((mine["ratio"] * mine["span_days"]).sum())
        surprise = poisson_surprise(obtained, float(mine["span_days"].sum())) - correction
        link, facts = ctx.link_signal(holders)
        facility_count = claims.groupby("person_id")["facility_id"].nunique()
        stock = ledgers.reading(claims, drugs, correction, p["ledger_min"])
        tied = _tied_as_no_family(ctx, persons, go_betweens)
        if persons & kin and frozenset(persons) not in started and len({ctx.family_of(m) for m in persons}) < 2 \
                and not tied:
            continue  # a family's heavy users of its households, who did not start together
        back, packs = came_back(persons)
        back = back - correction if back - correction >= p["returned_min"] else 0.0
        if not tied and back <= 0 and (frozenset(persons) not in started or facility_count.median() < 2):
            # over-supply and many pharmacies are each member's own doing; what makes the members
            # one ring (a tie across families, a batch that started together, packs sold again)
            # is missing: a few heavy users who met at a counter the same week. A batch whose
            # members mostly draw at one counter each is those counters' patients starting a
            # course in the same weeks (a clinic's programme, a longer prescription allowed):
            # a seller spreads the broker's orders over counters, so that none sees the excess.
            # A shop's bad ledger does not make its customers one ring: a cash-out shop bills
            # costly drugs on the cards it swipes, so they crowd its counter and look
            # over-supplied, and they are its scheme (the cash-out jobs'), no broker's
            continue
        ratio = float(np.median(mine["ratio"]))
        facts.update(persons=len(persons), facilities=int(claims["facility_id"].nunique()),
                     supply_ratio=round(ratio, 1), drugs=len(drugs), claims=int(claims["claim_id"].nunique()))
        if packs:
            facts["returned_packs"] = packs
        if frozenset(persons) in started:  # a tied group's first fills may be a year apart: not a fact of it
            facts["started_within"] = int((mine["first"].max() - mine["first"].min()).days)
        out.append(candidate(
            "drug_resale", "drug_resale",
            persons={**{pid: ("cardholder", 0.8) for pid in persons}, **{b: ("organiser", 0.9) for b in brokers}},
            signals={"excess_supply": saturate(surprise, p["surprise_half"]),
                     "co_started": saturate(started.get(frozenset(persons), 0.0), p["cohort_half"]),
                     "many_facilities": saturate(float(facility_count.median()) - 1, 2.0),
                     "shared_identifier": link, "stock_excess": stock,
                     "returned_packs": saturate(back, p["returned_half"])},
            facts=facts, claim_ids=claims["claim_id"]))
    return JobResult("drug_resale", {**p, "over_supplied_share": round(base_rate, 4)}, out)
