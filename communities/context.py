"""Indexes every job shares, built once per run from :class:`Tables`.

Why here: several jobs ask the same questions of the same people ("which
household is this person in?", "which identifiers tie these persons to each
other beyond their household?", "where else is this patient seen?"), and a
ring's score must use one answer, not one per job.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd
from networkx.utils import UnionFind

from ringscope.communities.bills import bill_signatures
from ringscope.communities.evidence import close_chance
from ringscope.communities.partition import leiden_communities
from ringscope.communities.row_groups import RowGroups
from ringscope.communities.stats import binomial_surprise, saturate
from ringscope.communities.tables import Tables, positions

__all__ = ["Context", "build_context", "personal_claims", "has_time_of_day", "LINK_KINDS",
           "GENERIC_IDENTIFIER_HOLDERS", "FAMILY_HOUSEHOLDS", "GENERATION_YEARS"]

#: identifier kinds that can tie a ring together (address is the household key, not a link)
LINK_KINDS = ("phone", "bank_account", "device", "email", "proxy_id_card")
#: an identifier held by more persons than this is public (a hospital's switchboard), not a link
GENERIC_IDENTIFIER_HOLDERS = 500
#: the most households one family ties together (a child's own, the parents', the in-laws')
FAMILY_HOUSEHOLDS = 3
#: the fewest years between a parent's birth and a child's
GENERATION_YEARS = 18
#: the most households of elders one family's keepers tie to their own: husband and wife each
#: keep their own side's (parents and grandparents, or parents and in-laws), as a grown child
#: alone keeps ``FAMILY_HOUSEHOLDS - 1``
ELDER_HOUSEHOLDS = 2 * (FAMILY_HOUSEHOLDS - 1)
#: the most persons taken for one household where the extract gives no address (a grown child
#: and four elders on one phone; a device presenting six cards is more than a household)
HOUSEHOLD_MAX = 5


#: how unlikely (-log10) so few of a group's visits presented in person must be, against the
#: place's other visits, for the group to be cards used without their holders: 1%
ABSENT_SURPRISE = 2.0


@dataclass
class Context:
    tables: Tables
    claims: pd.DataFrame  # contract columns plus day, minute, facility kind, person facts
    household: dict[str, str]
    #: (kind, value) -> sorted person ids, for identifiers linking >= 2 persons
    links: dict[tuple[str, str], tuple[str, ...]]
    person_links: dict[str, list[tuple[str, str]]]
    facility: pd.DataFrame  # indexed by facility_id
    person: pd.DataFrame  # indexed by person_id
    facilities_per_person: pd.Series
    terminal_devices: frozenset[str]
    #: distinct claimants per facility; ``attrs["total"]`` is the number of persons with a claim
    claimants: pd.Series
    #: the devices the identifiers table registers to a facility; None without that table
    registered_devices: frozenset[str] | None = None
    #: the last settlement in the extract: the day ages are read at
    extract_end: pd.Timestamp | None = None
    _families: dict[str, str] | None = None
    _kind_isolated: dict[tuple[str, bool], float] | None = None
    _facility_rows: RowGroups | None = None
    _person_rows: RowGroups | None = None
    _claimant_rows: np.ndarray | None = None
    _line_rows: np.ndarray | None = None
    _bills: np.ndarray | None = None
    _stay_bills: np.ndarray | None = None
    _close_chance: dict[int, pd.Series] | None = None
    _own_phones: pd.Index | None = None
    _presence: dict | None = None
    _provinces: pd.Series | None = None

    def households_linked(self, persons: set[str]) -> tuple[int, list[str]]:
        """Largest number of distinct households among ``persons`` joined by shared identifiers.

        Two persons count as linked when they share a phone, account, device,
        e-mail or proxy id card; a household (same address) counts once, so a
        family sharing a phone gives 1, and a grown child's phone presenting
        parents and in-laws gives 2 or 3.
        """
        parent: dict[str, str] = {p: p for p in persons}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        kinds: set[str] = set()
        for person in persons:
            for key in self.person_links.get(person, ()):
                holders = [h for h in self.links[key] if h in parent]
                for other in holders[1:]:
                    a, b = find(holders[0]), find(other)
                    if a != b:
                        parent[a] = b
                        kinds.add(key[0])
        groups: dict[str, set[str]] = {}
        for person in persons:
            groups.setdefault(find(person), set()).add(person)
        best = max((self._households_of_a_family(tied) for tied in groups.values()), default=0)
        return best, sorted(kinds)

    def _households_of_a_family(self, tied: set[str]) -> int:
        """The households of ``tied`` (persons joined by identifiers), counted as one family's
        (``FAMILY_HOUSEHOLDS`` at most) where they are one household's keepers and the elders
        they keep (:meth:`kept_elders`)."""
        homes = len({self.household.get(person, person) for person in tied})
        kept = FAMILY_HOUSEHOLDS < homes <= 1 + ELDER_HOUSEHOLDS and self.kept_elders(tied)
        return FAMILY_HOUSEHOLDS if kept else homes

    def kept_elders(self, tied: set[str]) -> bool:
        """Whether ``tied``, persons of several households, are one household's keepers (its
        adults of the youngest adult's generation), their children and elders: adults born
        ``GENERATION_YEARS`` or more before every keeper, in that household or in at most
        ``ELDER_HOUSEHOLDS`` others, and no more of those than ``FAMILY_HOUSEHOLDS - 1`` for
        each keeper tied to one of them.

        A couple in their forties keeps his parents' and grandmother's e-vouchers on his phone
        and her parents' and grandparents' on hers, and is listed as their proxy: five
        households, one family. A lender's cards are of every age, his own generation's too;
        a recruiter of thirty-five who brings four elders of four households to a hospital
        keeps twice a grown child's share alone."""
        if "birth_date" not in self.person or self.extract_end is None:
            return False
        born = self.person["birth_date"].reindex(list(tied))
        if born.isna().any():
            return False
        home_of = {person: self.household.get(person, person) for person in born.index}
        adults = born[[not self.is_child(person) for person in born.index]]
        if adults.empty:
            return False
        home = home_of[adults.idxmax()]
        away = set(home_of.values()) - {home}
        if not away or len(away) > ELDER_HOUSEHOLDS:
            return False
        # the keepers: the household's adults of the youngest adult's generation; parents who
        # live with them are elders as those away are, and its children are theirs
        generation = pd.DateOffset(years=GENERATION_YEARS)
        at_home = pd.Series([home_of[person] == home for person in born.index], index=born.index)
        keepers = adults[at_home[adults.index] & (adults > adults.max() - generation)]
        children = at_home & ~born.index.isin(adults.index)
        elders = born[~born.index.isin(keepers.index) & ~children]
        # each keeper keeps a grown child's share of the households away: his parents' and in-laws'
        keeping = sum(any(self.household.get(holder, holder) in away
                          for key in self.person_links.get(keeper, ()) for holder in self.links[key])
                      for keeper in keepers.index)
        return len(away) <= (FAMILY_HOUSEHOLDS - 1) * keeping and bool((elders <= keepers.min() - generation).all())

    def is_child(self, person: str) -> bool:
        """Whether ``person`` was under ``GENERATION_YEARS`` at the extract's last settlement: a
        child's insurance lists a parent's phone, so a child ties what the parent ties."""
        if "birth_date" not in self.person or self.extract_end is None:
            return False
        born = self.person["birth_date"].get(person)
        return bool(pd.notna(born) and born > self.extract_end - pd.DateOffset(years=GENERATION_YEARS))

    def link_signal(self, persons: set[str]) -> tuple[float, dict]:
        """Strength of "these persons are tied by identifiers across households".

        Zero up to ``FAMILY_HOUSEHOLDS`` households: a grown child managing the
        e-vouchers of parents and parents-in-law ties three households with
        one phone, and that is a family.
        """
        households, kinds = self.households_linked(persons)
        return saturate(households - FAMILY_HOUSEHOLDS, 2.0), {"linked_households": households, "link_kinds": kinds}

    def tied_groups(self, persons: set[str], extra_edges: list[tuple[str, str]] = (),
                    split_above: int | None = None, seed: int = 0) -> list[set[str]]:
        """Components (two persons or more) of ``persons`` joined by any identifier they share,
        plus ``extra_edges`` between them. Family size is no bar here: callers weigh households.
        With ``split_above``, components larger than that are split into their Leiden
        communities (:func:`leiden_communities`): a chain of identifiers can join two rings.

        The split cuts chains, never one identifier's holders where it ties more households
        than a family's: those are one organiser's (his account, his phone) and go to one
        community whole. Left to Leiden as edges, a broker's account held by ten sellers, some of
        whom met others at a counter the same week, was cut into pieces of two and three."""
        order = sorted(persons)
        names = {pid: i for i, pid in enumerate(order)}
        edges = [(names[a], names[b]) for a, b in extra_edges]
        whole = UnionFind(range(len(order)))  # holders of one wide identifier stand as one
        for key in sorted({key for pid in order for key in self.person_links.get(pid, ())}):
            inside = [names[h] for h in self.links[key] if h in names]
            if len(inside) < 2:
                continue
            edges += [(inside[0], other) for other in inside[1:]]
            if split_above is not None and len({self.household.get(order[v], order[v])
                                                for v in inside}) > FAMILY_HOUSEHOLDS:
                whole.union(*inside)
        graph = ig.Graph(n=len(order), edges=edges).simplify()
        if split_above is None:
            parts = graph.connected_components()
        else:
            # each wide identifier's holders one vertex, their ties to each other a loop's weight:
            # modularity weighs them as before, and no move can part them
            index = {root: i for i, root in enumerate(sorted({whole[v] for v in range(len(order))}))}
            standing = [index[whole[v]] for v in range(len(order))]
            graph.es["weight"] = 1.0
            graph.contract_vertices(standing)
            graph.simplify(loops=False, combine_edges={"weight": "sum"})
            found = leiden_communities(graph, seed=seed, split_above=split_above,
                                       sizes=np.bincount(standing, minlength=graph.vcount()))
            parts = {}
            for v, at in enumerate(standing):
                parts.setdefault(found.membership[at], []).append(v)
            parts = list(parts.values())
        return [{order[v] for v in comp} for comp in parts if len(comp) > 1]

    def groups_through_brokers(self, persons: set[str], extra_edges: list[tuple[str, str]] = (),
                               split_above: int | None = None, seed: int = 0) -> list[set[str]]:
        """:meth:`tied_groups` of ``persons`` with their :meth:`brokers` as go-betweens, each
        group cut back to ``persons`` (two or more): members tied only through an organiser's
        phone or account, the organiser not among them, are one group through him."""
        groups = self.tied_groups(persons | self.brokers(persons), extra_edges, split_above, seed)
        return [inside for group in groups if len(inside := group & persons) > 1]

    def brokers(self, persons: set[str]) -> set[str]:
        """Persons outside ``persons`` sharing identifiers with members of two households or more
        (a hub, not one's family: the residents of one nursing home listing the same proxy are
        one household, and none of them brokers the others)."""
        reach: dict[str, set[str]] = {}
        for pid in persons:
            for key in self.person_links.get(pid, ()):
                for other in self.links[key]:
                    if other not in persons:
                        reach.setdefault(other, set()).add(self.household.get(pid, pid))
        return {other for other, linked in reach.items() if len(linked) >= 2}

    def focus_surprise(self, persons: set[str], reach: float) -> float:
        """How surprising it is that every one of ``persons`` came to a place whose ``reach``
        (the share of all persons it sees) is given: of the persons tied to them by identifiers
        (themselves, their families, the hubs), the binomial surprise of so many among them.

        A recruiter's or organiser's people crowd one hospital or shop far beyond its reach;
        a village's people, tied by the same few phones, spread over the places a village uses.
        """
        return binomial_surprise(len(persons), len(self.tied_to(persons) | persons), reach)

    def tied_to(self, persons: set[str]) -> set[str]:
        """Every person sharing an identifier with one of ``persons`` (themselves included where
        they share one)."""
        return {h for pid in persons for key in self.person_links.get(pid, ()) for h in self.links[key]}

    def families(self) -> dict[str, str]:
        """Per person, the family they belong to: households joined by an identifier that ties
        no more than ``FAMILY_HOUSEHOLDS`` households (or a household's keepers and their elders
        of more, :meth:`kept_elders`), when the joined whole stays that small (or is theirs).

        A grown child who brings parents and parents-in-law to the pharmacy
        on one phone makes one family of three households; a couple keeping both
        sides' elders, up to five (:meth:`kept_elders`); an organiser's phone that
        ties twenty households makes none.
        """
        if self._families is None:
            units: dict[str, str] = {}
            graph_edges: list[tuple[str, str]] = []
            kept: list[tuple[str, ...]] = []  # the holders of each identifier that joins households
            for holders in self.links.values():
                homes = sorted({self.household.get(h, h) for h in holders})
                if 2 <= len(homes) <= FAMILY_HOUSEHOLDS or (
                        2 <= len(homes) <= 1 + ELDER_HOUSEHOLDS and self.kept_elders(set(holders))):
                    graph_edges += [(homes[0], other) for other in homes[1:]]
                    kept.append(holders)
            names = sorted({h for edge in graph_edges for h in edge})
            index = {h: i for i, h in enumerate(names)}
            graph = ig.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in graph_edges])
            wider = []  # the households of each whole wider than a family's few, up to a couple's elders'
            for component in graph.connected_components():
                homes = [names[v] for v in component]
                if len(homes) <= FAMILY_HOUSEHOLDS:
                    units.update({home: "family:" + min(homes) for home in homes})
                elif len(homes) <= 1 + ELDER_HOUSEHOLDS:
                    wider.append(homes)
            # a wider whole is one family where its holders are a household's keepers and elders
            where = {home: i for i, homes in enumerate(wider) for home in homes}
            holding: list[set[str]] = [set() for _ in wider]
            for holders in kept if wider else ():
                for holder in holders:
                    if (i := where.get(self.household.get(holder, holder))) is not None:
                        holding[i].add(holder)
            for homes, holders in zip(wider, holding):
                if self.kept_elders(holders):
                    units.update({home: "family:" + min(homes) for home in homes})
            self._families = units
        return self._families

    def family_of(self, person: str) -> str:
        home = self.household.get(person, person)
        return self.families().get(home, home)

    def kin(self, a: str, b: str) -> bool:
        """Whether the households of persons ``a`` and ``b`` are tied directly by an identifier that
        ties no more than ``FAMILY_HOUSEHOLDS`` households (or are one).

        A grown child's phone ties his parents' and his in-laws' households; where the in-laws'
        other child ties them to a fourth household too, the whole is too wide to be read as one
        family (:meth:`families`), yet the two households on the one phone are still kin."""
        theirs = {self.household.get(b, b)}
        if theirs == {self.household.get(a, a)}:
            return True
        homes = lambda key: {self.household.get(h, h) for h in self.links[key]}  # noqa: E731
        return any(len(held := homes(key)) <= FAMILY_HOUSEHOLDS and theirs <= held
                   for key in self.person_links.get(a, ()))

    def families_of(self, persons: pd.Series) -> pd.Series:
        """:meth:`family_of` for a column of person ids at once: one call per distinct id, not per
        row (a row per phone-presented claim at 10M claims)."""
        codes, ids = pd.factorize(np.asarray(persons, dtype=object))
        families = np.array([self.family_of(pid) for pid in ids] + [None], dtype=object)  # a missing id: None
        return pd.Series(families[codes], index=persons.index)

    def close_chance(self, window: int) -> pd.Series:
        """Per facility, the chance two of its visits of one day come within ``window`` minutes
        (:func:`ringscope.communities.evidence.close_chance`), read off the claims once per window:
        the collected-cards and untreated-cards pair tests both weigh their pairs by it."""
        if self._close_chance is None:
            self._close_chance = {}
        if window not in self._close_chance:
            self._close_chance[window] = close_chance(self.claims, window)
        return self._close_chance[window]

    def counters(self) -> frozenset[str]:
        """The devices of facilities: those the extract registers to a facility where it registers
        any; else every device used at one facility only (:attr:`terminal_devices`).

        A recruiter's phone used only at the complicit hospital looks like a
        counter by use alone, so the register wins where there is one.
        """
        return self.registered_devices or self.terminal_devices

    def families_per_device(self, rows: pd.DataFrame, counters: frozenset[str] | None = None) -> pd.Series:
        """Per personal device (not one of ``counters``, by default :meth:`counters`) among ``rows``
        (claims), the number of families (:meth:`family_of`) whose cards it presented there. A
        family's phone presents one family; an organiser's, recruiter's or lender's presents strangers."""
        personal = personal_claims(rows, self.counters() if counters is None else counters)
        return self.families_of(personal["person_id"]).groupby(personal["device_id"], observed=True).nunique()

    def in_person(self, rows: pd.DataFrame) -> np.ndarray:
        """Per claim of ``rows``, whether its holder's family presented it: an e-voucher on a
        personal device (not a counter's: :meth:`counters`) that presents no other family's cards
        in the extract (:meth:`families_per_device` over every claim) and, where the identifiers
        register devices to persons, is registered to that family alone. A phone is carried by its
        owner; a card swiped at the counter may be in anyone's hand, and an organiser's or a
        clinic's phone presents strangers' cards (an organiser's phone that presented one card of
        his is still his, or nobody's on the register)."""
        if "device_id" not in rows or rows["device_id"].isna().all():
            return np.zeros(len(rows), dtype=bool)
        if self._own_phones is None:  # an index: its hash table is built once, not per call
            self._own_phones = pd.Index(np.asarray(sorted(self._family_phones()), dtype=object))
        return self._own_phones.get_indexer(np.asarray(rows["device_id"], dtype=object)) >= 0

    def _family_phones(self) -> set[str]:
        """The personal devices that present one family's cards only and, where the extract registers
        devices to persons at all, are registered to that family alone (a phone nobody registered
        may be an organiser's that presented one card of his)."""
        personal = personal_claims(self.claims[["person_id", "device_id"]], self.counters())
        users = self.families_of(personal["person_id"]).groupby(personal["device_id"], observed=True).agg(
            ["nunique", "first"])
        users = users[users["nunique"] == 1]
        ids = self.tables.identifiers
        if ids is None or ids.empty:
            return set(users.index)
        registered = ids[(ids["owner_type"] == "person") & (ids["kind"] == "device")]
        if registered.empty:
            return set(users.index)
        registered = registered[registered["value"].isin(set(users.index))]
        owners = self.families_of(registered["owner_id"]).groupby(registered["value"]).agg(list)
        return {device for device, families in owners.items() if set(families) == {users.at[device, "first"]}}

    def absent_surprise(self, facility: str, rows: pd.DataFrame) -> float:
        """How few of a group's visits (``rows``: its claims at ``facility``) were presented in person
        (:meth:`in_person`) against the place's other outpatient and pharmacy visits: -log10 of the
        binomial chance of so few; infinite where the place's others are never presented so (the
        extract cannot tell then).

        Services keyed in for people who were not there are billed on their cards at the counter;
        a clinic's chronic-disease mornings bring patients who present their phones as often as
        the place's other patients do."""
        if self._presence is None:
            self._presence = {}
        if facility not in self._presence:  # the place's visits and which were in person, read once
            here = self.claims_at(facility, ["person_id", "visit_type", "device_id"])
            here = here[(here["visit_type"] != "inpatient").to_numpy(dtype=bool)]
            self._presence[facility] = (np.asarray(here["person_id"], dtype=object), self.in_person(here))
        persons, present_here = self._presence[facility]
        others = pd.Index(np.asarray(rows["person_id"], dtype=object)).unique().get_indexer(persons) < 0
        rate = float(present_here[others].mean()) if others.any() else 0.0
        if rate <= 0.0:
            return math.inf
        present = int(self.in_person(rows).sum())
        return binomial_surprise(len(rows) - present, len(rows), 1.0 - rate)

    def claimant(self, column: str) -> pd.Series:
        """Per claim (aligned with ``claims``), the claimant's ``column`` in persons; NA for a
        person not in persons. The lookup of a million ids is made once, not per column."""
        if self._claimant_rows is None:
            self._claimant_rows = positions(self.claims["person_id"], self.person.index.to_series())
        rows = self._claimant_rows
        if not len(self.person):
            return self.person[column].reindex(self.claims["person_id"]).set_axis(self.claims.index)
        return self.person[column].iloc[np.maximum(rows, 0)].set_axis(self.claims.index).where(rows >= 0)

    def provinces(self) -> pd.Series:
        """Per claim, the province (two digits of the region code) it was settled in: the claim's
        own region, else its facility's; read once, over every claim, for every flag that needs it."""
        if self._provinces is None:
            where = self.claims["region_code"].astype("string").fillna(
                self.claims["facility_id"].map(self.facility["region_code"]))
            self._provinces = where.str.slice(0, 2)
        return self._provinces

    def line_rows(self) -> np.ndarray:
        """Per fee line, the row of its claim in ``claims`` (-1: unknown claim), looked up once
        for every job that weighs fee lines by claim."""
        if self._line_rows is None:
            lines = self.tables.claim_items
            self._line_rows = positions(lines["claim_id"], self.claims["claim_id"]) if lines is not None \
                else np.zeros(0, dtype=np.int64)
        return self._line_rows

    def bills(self) -> np.ndarray:
        """Per claim, its bill's fingerprint (:func:`ringscope.communities.bills.bill_signatures`),
        made once for every job that weighs identical bills."""
        if self._bills is None:
            self._bills = bill_signatures(self.claims, self.tables.claim_items, self.line_rows())
        return self._bills

    def stay_bills(self) -> np.ndarray:
        """Per claim, the fingerprint of its items alone, quantities aside, for inpatient stays
        (other claims: negative numbers, never equal to a stay's). A stay's bed and nursing days
        follow its length; a ward filled on paper bills every stay from one list of items."""
        if self._stay_bills is None:
            # only the stays and their lines are fingerprinted: at ten million claims the
            # others' amounts as text would cost gigabytes for nothing
            stays = np.flatnonzero((self.claims["visit_type"] == "inpatient").to_numpy(dtype=bool))
            position = np.full(len(self.claims), -1, dtype=np.int64)
            position[stays] = np.arange(len(stays))
            owner = self.line_rows()
            kept = np.flatnonzero(owner >= 0)
            kept = kept[position[owner[kept]] >= 0]
            lines = self.tables.claim_items
            if lines is not None:
                lines = lines.iloc[kept, lines.columns.get_indexer(["item_code", "quantity"])]
            # a bare stay is known by its amount and diagnosis: only those two columns are copied
            bare = self.claims.iloc[stays, self.claims.columns.get_indexer(["total_amount", "diagnosis_code"])]
            signature = bill_signatures(bare, lines, position[owner[kept]], quantities=False)
            self._stay_bills = -1 - np.arange(len(self.claims), dtype=np.int64)
            lined = signature >= 0
            self._stay_bills[stays[lined]] = signature[lined]
        return self._stay_bills

    def claims_at(self, facility_id: str, columns: list[str] | None = None) -> pd.DataFrame:
        """The claims settled at one facility, all columns or only ``columns`` (row positions
        grouped once: jobs ask per facility, and a big hospital's rows are many to copy)."""
        if self._facility_rows is None:
            self._facility_rows = RowGroups(self.claims["facility_id"])
        rows = self._facility_rows.positions([facility_id])
        if columns is None:
            return self.claims.iloc[rows]
        return self.claims.iloc[rows, self.claims.columns.get_indexer(columns)]

    def claims_of(self, persons) -> pd.DataFrame:
        """The claims of ``persons`` (row positions grouped once: jobs ask per group of persons)."""
        if self._person_rows is None:
            self._person_rows = RowGroups(self.claims["person_id"])
        return self._person_rows.of(self.claims, persons)

    def never_elsewhere(self, persons: set[str], kind: str | None, stays: bool = False) -> tuple[int, float]:
        """How many of ``persons`` are seen at no other facility, and the binomial surprise of
        that count against the share of such patients among everyone treated at facilities
        of ``kind`` (a village's patients are often seen only at its clinic); with ``stays``,
        among everyone admitted to them.

        Like with like: a patient admitted to hospital is seen before and after, at a clinic
        or a pharmacy, far more often than one who came for a visit, so a ward's patients
        seen nowhere else are weighed against other wards', not against outpatients'.
        """
        if self._kind_isolated is None:
            alone = self.facilities_per_person <= 1
            stay = (self.claims["visit_type"] == "inpatient").to_numpy(dtype=bool)
            self._kind_isolated = {
                (k, admitted): float(alone.reindex(ids.unique()).mean())
                for admitted, rows in ((False, self.claims), (True, self.claims[stay]))
                for k, ids in rows.groupby("facility_kind", observed=True)["person_id"]}
        count = int((self.facilities_per_person.reindex(list(persons)).fillna(0) <= 1).sum())
        base = min(max(self._kind_isolated.get((kind, stays), 0.5), 0.01), 0.99)
        return count, binomial_surprise(count, len(persons), base)


def _households(tables: Tables, links: dict[tuple[str, str], tuple[str, ...]]) -> dict[str, str]:
    """Per person, a household key: the address where the extract gives one; else, for persons
    without one, the household inferred from the identifiers they share (:func:`_inferred_households`)."""
    ids = tables.identifiers
    known: dict[str, str] = {}
    if ids is not None and not ids.empty:
        addresses = ids[(ids["owner_type"] == "person") & (ids["kind"] == "address")]
        addresses = addresses.dropna(subset=["value"]).drop_duplicates("owner_id")
        known = dict(zip(addresses["owner_id"], "addr:" + addresses["value"]))
    return {**_inferred_households(links, set(known)), **known}


def _inferred_households(links: dict[tuple[str, str], tuple[str, ...]], addressed: set[str]) -> dict[str, str]:
    """Households of the persons not in ``addressed``, from the identifiers they share.

    Many extracts carry no address. Without a household key every person is a household of
    one, and a family of four on one phone ties "four households", more than any family.
    So persons without an address who share a phone, account, device, e-mail or proxy card
    held by ``HOUSEHOLD_MAX`` persons or fewer are one household, where the persons so joined
    stay that few (a chain through several such identifiers is not a household). An
    organiser's phone held by a handful of cardholders is taken for a household too: a ring
    that small is beyond any identifier evidence without addresses.

    >>> links = {("phone", "p1"): ("a", "b"), ("phone", "p2"): ("b", "c"), ("device", "d"): tuple("defghijk")}
    >>> _inferred_households(links, {"c"})
    {'a': 'inferred:a', 'b': 'inferred:a'}
    """
    pairs = []
    for holders in links.values():
        unaddressed = [h for h in holders if h not in addressed]
        if len(holders) <= HOUSEHOLD_MAX and len(unaddressed) > 1:
            pairs += [(unaddressed[0], other) for other in unaddressed[1:]]
    names = sorted({person for pair in pairs for person in pair})
    index = {person: i for i, person in enumerate(names)}
    graph = ig.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in pairs])
    return {names[v]: f"inferred:{names[min(component)]}" for component in graph.connected_components()
            if len(component) <= HOUSEHOLD_MAX for v in component}


def _registered_devices(tables: Tables) -> frozenset[str] | None:
    """Devices the identifiers table registers to a facility; None without that table."""
    ids = tables.identifiers
    if ids is None or ids.empty:
        return None
    return frozenset(ids.loc[(ids["owner_type"] == "facility") & (ids["kind"] == "device"), "value"].dropna())


def _terminal_devices(registered: frozenset[str] | None, claims: pd.DataFrame) -> frozenset[str]:
    """Devices registered to a facility, or used at one facility only: counters, tablets."""
    used = claims.groupby("device_id")["facility_id"].nunique()  # no group for a missing device
    return frozenset(registered or ()) | frozenset(used.index[used <= 1])


def _proxies_themselves(tables: Tables, own: pd.DataFrame) -> pd.DataFrame:
    """The insured persons whose own ID card others list as their proxy's (代办人), as holders of
    that proxy card: a recruiter who handles his patients' admissions is tied to them by it, as
    the graph's ``IdCard`` node ties them (a grown child listed by his parents is their family)."""
    # as listed, keyed by the number written alike (an "x" check character is an "X")
    listed = {str(value).strip().upper(): value for value in own.loc[own["kind"] == "proxy_id_card", "value"]}
    if not listed or "id_card" not in tables.persons:
        return pd.DataFrame(columns=["kind", "value", "person_id"])
    cards = tables.persons["id_card"].astype("string").str.strip().str.upper()
    mine = cards.isin(set(listed)).fillna(False).to_numpy(dtype=bool)
    return pd.DataFrame({"kind": "proxy_id_card", "value": cards[mine].map(listed),
                         "person_id": tables.persons["person_id"][mine]})


def _links(tables: Tables, claims: pd.DataFrame, terminals: frozenset[str]) -> dict[tuple[str, str], tuple[str, ...]]:
    pairs = []
    ids = tables.identifiers
    if ids is not None and not ids.empty:
        own = ids[(ids["owner_type"] == "person") & ids["kind"].isin(LINK_KINDS)]
        own = own[~((own["kind"] == "device") & own["value"].isin(terminals))]
        pairs.append(pd.DataFrame({"kind": own["kind"], "value": own["value"], "person_id": own["owner_id"]}))
        pairs.append(_proxies_themselves(tables, own))
    used = claims.loc[_by_personal_device(claims["device_id"], terminals), ["device_id", "person_id"]]
    pairs.append(pd.DataFrame({"kind": "device", "value": used["device_id"], "person_id": used["person_id"]}))
    pairs_frame = pd.concat(pairs, ignore_index=True).dropna().drop_duplicates()
    # most identifiers have one holder: keep the shared ones before grouping in Python
    size = pairs_frame.groupby(["kind", "value"])["person_id"].transform("size")
    shared = pairs_frame[size.between(2, GENERIC_IDENTIFIER_HOLDERS)].sort_values(["kind", "value", "person_id"])
    if shared.empty:
        return {}
    kinds, values, persons = (shared[c].to_numpy(dtype=object) for c in ("kind", "value", "person_id"))
    starts = np.flatnonzero(np.r_[True, (kinds[1:] != kinds[:-1]) | (values[1:] != values[:-1])])
    ends = np.r_[starts[1:], len(shared)]
    return {(kinds[s], values[s]): tuple(persons[s:e]) for s, e in zip(starts, ends)}


def personal_claims(rows: pd.DataFrame, counters: frozenset[str]) -> pd.DataFrame:
    """The rows (claims) presented by a personal device (a phone's e-voucher), not by one of the
    facilities' ``counters`` (:meth:`Context.counters`). One mask, one copy: a first copy of
    every claim with a device (most of ten million) is not needed to drop the counters'."""
    return rows[_by_personal_device(rows["device_id"], counters)]


def _by_personal_device(device: pd.Series, counters: frozenset[str]) -> np.ndarray:
    """Per row, whether its ``device`` is recorded and none of the facilities' ``counters``."""
    return (device.notna() & ~device.isin(counters)).to_numpy(dtype=bool)


#: below this share of settlements with a time of day, an extract is taken to carry dates only
TIMED_SHARE = 0.01


def has_time_of_day(settled: pd.Series) -> bool:
    """Whether settlement times say when in the day (not only which day): at least
    ``TIMED_SHARE`` of them off midnight. A local system that exports dates alone would
    otherwise put every card of a day "within minutes" of every other.

    >>> has_time_of_day(pd.Series(pd.to_datetime(["2024-01-02", "2024-01-03"])))
    False
    >>> has_time_of_day(pd.Series(pd.to_datetime(["2024-01-02 09:14", "2024-01-03 00:00"])))
    True
    """
    known = settled.dropna()
    return bool(len(known)) and float((known != known.dt.normalize()).mean()) >= TIMED_SHARE


def build_context(tables: Tables) -> Context:
    """Every shared index, from the run's tables."""
    claims = tables.claims.copy(deep=False)  # copy-on-write: new columns never touch the tables
    claims["day"] = claims["settled_at"].dt.normalize()
    # whole minutes since the epoch, whatever the datetime unit pandas chose; none where the
    # extract carries dates only (a day is not a half-hour window)
    claims["minute"] = (claims["settled_at"] - pd.Timestamp(0)) // pd.Timedelta(minutes=1)
    if not has_time_of_day(claims["settled_at"]):
        claims["minute"] = pd.Series(pd.NA, index=claims.index, dtype="Int64")
    facility = tables.facilities.drop_duplicates("facility_id").set_index("facility_id")
    person = tables.persons.drop_duplicates("person_id").set_index("person_id")
    claims["facility_kind"] = claims["facility_id"].map(facility["kind"]).astype("category")
    registered = _registered_devices(tables)
    terminals = _terminal_devices(registered, claims)
    links = _links(tables, claims, terminals)
    person_links: dict[str, list[tuple[str, str]]] = {}
    for key, holders in links.items():
        for holder in holders:
            person_links.setdefault(holder, []).append(key)
    per_person = claims.groupby("person_id")["facility_id"].nunique()
    claimants = claims.groupby("facility_id")["person_id"].nunique()
    claimants.attrs["total"] = int(len(per_person))
    return Context(tables, claims, _households(tables, links), links, person_links, facility, person,
                   per_person, terminals, claimants, registered, claims["settled_at"].max())
