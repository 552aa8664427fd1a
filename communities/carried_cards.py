"""Cards carried about together: a small lender's (借卡) few cardholders.

Why apart from the shared-identifier job's groups: that job reads a tie of
three households as one family (a grown child's phone presenting the
parents' and the in-laws' e-vouchers), so a lender holding two strangers'
cards, three households with his own, never goes beyond it. What sets him
apart from the child is whose cards they are and how they travel:

- an elder's e-voucher is fetched by a child; an adult of working age
  (``WORKING_AGE``) presents his own. A pair of cards of two households
  presented within ``window`` minutes by one phone at one place counts only
  when one of them is a working-age adult's;
- carried: the cards presented so, joined pair by pair into a group, on
  ``min_devices`` phones or more at ``min_facilities`` places or more (a
  family runs its errands on the child's phone; a lender takes out a
  different few of his cards each time, so no two need be together on
  every phone);
- a third party's phones: registered to no one of either card's household
  (the organiser's, or nobody's). A couple living at two addresses presents
  each other's cards from their own phones, and scores on being carried
  alone, below a flag.

Two signals, each able to be naught without the other: ``carried_cards``
(the sessions the group's pairs were presented in, beyond one) from the
claims, and ``third_party_device`` (the presenting phones registered to none
of the cards' households) from the identifiers register. Nothing is read
where the extract registers no device to a person (whose phone it is cannot
be told) or records dates only.
"""

from __future__ import annotations

import igraph as ig
import numpy as np
import pandas as pd

from ringscope.communities.context import Context
from ringscope.communities.evidence import candidate
from ringscope.communities.model import Candidate
from ringscope.communities.stats import saturate

__all__ = ["carried_card_groups", "CARRIED_PARAMS", "WORKING_AGE", "RETIREMENT_AGE", "of_working_age"]

CARRIED_PARAMS = {"window_min": 30, "min_devices": 2, "min_facilities": 2}
#: ages at which a person presents his own e-voucher (younger: a parent's; older: a child's care),
#: the upper end the retirement age of the person's sex (:data:`RETIREMENT_AGE`)
WORKING_AGE = (18, 60)
#: statutory retirement ages (men 60; women 55, or 50 as workers, before the rise that began in
#: 2025): a grown child's mother-in-law of 58 is retired, and he fetches her drugs with his parents'
RETIREMENT_AGE = {"M": 60, "F": 55}


def of_working_age(ctx: Context, persons: pd.Series, days: pd.Series) -> np.ndarray:
    """Whether each of ``persons`` was of working age on the day (``days``, aligned): from
    ``WORKING_AGE[0]`` to the retirement age of the person's sex (``WORKING_AGE[1]`` where it is
    unknown). Unknown birth dates: no."""
    birth = pd.to_datetime(persons.map(ctx.person["birth_date"]), errors="coerce")
    age = (pd.to_datetime(days).dt.year - birth.dt.year).to_numpy(dtype=float)
    gender = persons.map(ctx.person["gender"]) if "gender" in ctx.person else pd.Series(index=persons.index)
    retires = gender.map(RETIREMENT_AGE).fillna(WORKING_AGE[1]).to_numpy(dtype=float)
    return (age >= WORKING_AGE[0]) & (age < retires)


def _registered_holders(ctx: Context) -> dict[str, set[str]]:
    """Per device the extract registers to persons, the persons it is registered to."""
    ids = ctx.tables.identifiers
    if ids is None:
        return {}
    own = ids[(ids["owner_type"] == "person") & (ids["kind"] == "device")]
    holders: dict[str, set[str]] = {}
    for device, pid in zip(own["value"], own["owner_id"]):
        holders.setdefault(device, set()).add(pid)
    return holders


def _presented_pairs(ctx: Context, personal: pd.DataFrame, window: int) -> pd.DataFrame:
    """Pairs of cards of two households presented within ``window`` minutes by one personal device
    at one facility (visits and fills, not a ward's discharges): one row per pair and session."""
    rows = personal.loc[(personal["visit_type"] != "inpatient") & personal["minute"].notna(),
                        ["person_id", "device_id", "facility_id", "minute", "day"]]
    rows = rows.sort_values(["device_id", "facility_id", "minute"], kind="stable")
    device = pd.factorize(rows["device_id"])[0]
    place = pd.factorize(rows["facility_id"])[0]
    minute = rows["minute"].to_numpy(dtype=np.int64)
    person = rows["person_id"].to_numpy()
    # each person's household looked up once, not once per claim (millions at ten million claims)
    card, cards = pd.factorize(rows["person_id"])
    home = pd.factorize(np.array([ctx.household.get(pid, pid) for pid in cards], dtype=object))[0][card]
    found = []
    for step in range(1, len(rows)):
        first = np.arange(len(rows) - step)
        second = first + step
        near = (device[first] == device[second]) & (place[first] == place[second]) \
            & (minute[second] - minute[first] <= window)
        if not near.any():
            break
        keep = near & (home[first] != home[second])
        found.append((first[keep], second[keep]))
    if not found:
        return pd.DataFrame(columns=["a", "b", "device_id", "facility_id", "day"])
    first, second = (np.concatenate(part) for part in zip(*found))
    a, b = np.minimum(person[first], person[second]), np.maximum(person[first], person[second])
    return pd.DataFrame({"a": a, "b": b, "device_id": rows["device_id"].to_numpy()[first],
                         "facility_id": rows["facility_id"].to_numpy()[first],
                         "day": rows["day"].to_numpy()[first]}).drop_duplicates()


def _card_graph(pairs: pd.DataFrame) -> tuple[pd.Index, ig.Graph]:
    """The cards of ``pairs`` (columns ``a``, ``b``) and the graph of the pairs among them."""
    names = pd.Index(sorted(set(pairs["a"]) | set(pairs["b"])))
    return names, ig.Graph(n=len(names), edges=list(zip(names.get_indexer(pairs["a"]), names.get_indexer(pairs["b"]))))


def _carried(pairs: pd.DataFrame, p: dict) -> pd.DataFrame:
    """The ``pairs`` whose cards, joined pair by pair into groups, were presented on
    ``min_devices`` phones or more at ``min_facilities`` places or more: a lender takes out a
    different few of his cards each time, so no two need be together on every phone."""
    if pairs.empty:
        return pairs
    names, graph = _card_graph(pairs)
    group = np.asarray(graph.connected_components().membership)[names.get_indexer(pairs["a"])]
    spread = pairs.groupby(group).agg(devices=("device_id", "nunique"), facilities=("facility_id", "nunique"))
    kept = spread.index[(spread["devices"] >= p["min_devices"]) & (spread["facilities"] >= p["min_facilities"])]
    return pairs[np.isin(group, kept)]


def carried_card_groups(ctx: Context, personal: pd.DataFrame, taken: list[set[str]],
                        params: dict | None = None) -> list[Candidate]:
    """Candidate lending groups of cards carried together (module docstring), less those most of
    whose cards already lie in one of the ``taken`` groups without making half of it (a fragment
    of a larger ring found there; a group that is most of one merges with it as a ring)."""
    p = {**CARRIED_PARAMS, **(params or {})}
    holders = _registered_holders(ctx)
    if not holders or "birth_date" not in ctx.person or personal["minute"].isna().all():
        return []
    pairs = _presented_pairs(ctx, personal, p["window_min"])
    if pairs.empty:
        return []
    pairs = pairs[of_working_age(ctx, pairs["a"], pairs["day"]) | of_working_age(ctx, pairs["b"], pairs["day"])]
    pairs = _carried(pairs, p)
    if pairs.empty:
        return []
    names, graph = _card_graph(pairs)
    home = lambda pid: ctx.household.get(pid, pid)  # noqa: E731
    theirs = personal[personal["person_id"].isin(set(names))]  # scanned once, not once per group
    out = []
    for component in graph.connected_components():
        cards = {names[v] for v in component}
        if any(len(cards & group) * 2 > len(cards) and len(cards & group) * 2 < len(group) for group in taken):
            continue
        sessions = pairs[pairs["a"].isin(cards)]
        devices = set(sessions["device_id"])
        homes = {home(pid) for pid in cards}
        third = {d for d in devices if not holders.get(d) or {home(h) for h in holders[d]} - homes}
        organisers = {h for d in devices for h in holders.get(d, ()) if home(h) not in homes}
        persons = cards | organisers
        mine = theirs[theirs["person_id"].isin(cards) & theirs["device_id"].isin(devices)]
        households, _ = ctx.households_linked(persons)
        occasion = ["device_id", "facility_id", "day"]
        occasions = sessions[occasion].drop_duplicates()
        cards_in_window = int(pd.concat([sessions[[*occasion, "a"]].set_axis([*occasion, "card"], axis=1),
                                         sessions[[*occasion, "b"]].set_axis([*occasion, "card"], axis=1)])
                              .groupby(occasion, observed=True)["card"].nunique().max())
        facts = {"persons": len(persons), "linked_households": max(households, len(homes)),
                 "identifiers": len(devices), "cards_in_window": cards_in_window,
                 "carried_sessions": len(occasions), "carried_devices": len(devices),
                 "carried_facilities": int(sessions["facility_id"].nunique()), "third_party_devices": len(third),
                 "claims": len(mine), "fund_paid": float(mine["fund_paid"].sum())}
        out.append(candidate(
            "shared_identifiers", "card_lending",
            persons={**{pid: ("cardholder", 0.8) for pid in cards}, **{pid: ("organiser", 1.0) for pid in organisers}},
            signals={"carried_cards": saturate(len(occasions) - 1, 2.0), "third_party_device": saturate(len(third), 1.0)},
            facts=facts, claim_ids=set(mine["claim_id"])))
    return out
