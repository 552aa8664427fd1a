"""``generate()``: the whole synthetic extract, written chunk by chunk.

Order of work: the honest world (persons, places, devices, identifiers),
the cross-household traps, the ring plan (skipped with ``rings=False``),
then claims chunk by chunk, and last the tables that depend on what was
dispensed and occupied (purchases, licensed beds).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from ringscope.errors import ConfigError
from ringscope.synthetic.catalogue import ITEMS
from ringscope.synthetic.chunk import ChunkResult, Counters, build_chunk
from ringscope.synthetic.claims import DAY, INPATIENT, MISSING, RING
from ringscope.synthetic.facts import count_trap_claims, world_trap_facts
from ringscope.synthetic.identifiers import IdentifierRows
from ringscope.synthetic.knobs import DEFAULT_KNOBS, Knobs
from ringscope.synthetic.providers import KIND_OF_CLASS
from ringscope.synthetic.ring_base import RingFact
from ringscope.synthetic.rings import RingPlan, no_rings, plan_rings
from ringscope.synthetic.stock import Dispensing, purchases
from ringscope.synthetic.tables import TableBuilder, empty_schemas
from ringscope.synthetic.traps import plan_traps
from ringscope.synthetic.world import RING_STREAM, WORLD_STREAM, World, build_world
from ringscope.synthetic.writer import FORMATS, ExtractWriter

__all__ = ["generate", "GenerationSummary", "MIN_PERSONS", "MAX_PERSONS"]

MIN_PERSONS = 1_000
_STOCKED = np.array([i.item_type != "service" for i in ITEMS])
MAX_PERSONS = 2_000_000


@dataclass(frozen=True)
class GenerationSummary:
    """What a run wrote: files, row counts, the planted rings and the traps."""

    out_dir: Path
    seed: int
    persons: int
    rings: bool
    fmt: str
    files: dict[str, Path]
    rows: dict[str, int]
    ring_facts: tuple[RingFact, ...]
    trap_facts: dict[str, dict[str, int]]
    seconds: float


def _chunk_bounds(world: World) -> list[tuple[int, int]]:
    starts = world.pop.hh.start
    size = world.knobs.behaviour.chunk_persons
    cuts = np.unique(starts[np.searchsorted(starts, np.arange(size, world.pop.n, size))])
    edges = np.concatenate(([0], cuts[(cuts > 0) & (cuts < world.pop.n)], [world.pop.n]))
    return list(zip(edges[:-1].tolist(), edges[1:].tolist()))


class _Tally:
    """Dispensing, bed occupancy and ring facts accumulated over chunks."""

    def __init__(self, world: World, facts: list[RingFact], trap_claims: dict[str, dict[str, int]]):
        start = np.datetime64(world.knobs.behaviour.start)
        self.world = world
        self.honest = Dispensing.empty(world.providers.n, start, world.days)
        self.ring = Dispensing.empty(world.providers.n, start, world.days)
        self.census = np.zeros((world.providers.n, world.days + 1), dtype=np.int64)
        self.facts = facts
        self.trap_claims = trap_claims

    def add(self, chunk: ChunkResult) -> None:
        c, lines = chunk.claims, chunk.lines
        count_trap_claims(c, self.trap_claims)
        is_ring = c.source[lines.claim] == RING
        # goods a cash-out ring only pretends to sell are never bought in
        real = ~is_ring | (c.trace_pool[lines.claim] < 0)
        stocked = _STOCKED[lines.item] & real
        day = np.minimum(c.settled[lines.claim] // DAY, self.world.days - 1)
        for target, mask in ((self.honest, stocked & ~is_ring), (self.ring, stocked & is_ring)):
            target.add(c.facility[lines.claim][mask], lines.item[mask], day[mask], lines.quantity[mask])
        stay = (c.visit == INPATIENT) & (c.source != RING) & (c.admitted != MISSING)
        first = np.clip(c.admitted[stay] // DAY, 0, self.world.days)
        last = np.clip(c.discharged[stay] // DAY, 0, self.world.days)
        np.add.at(self.census, (c.facility[stay], first), 1)
        np.add.at(self.census, (c.facility[stay], last), -1)
        ring = c.ring[c.ring >= 0]
        if len(ring):
            for r in np.unique(ring):
                mine = c.ring == r
                fact = self.facts[r]
                fact.claims += int(mine.sum())
                fact.fund_paid_cents += int(chunk.fund[mine].sum())
                first_day, last_day = int(c.settled[mine].min() // DAY), int(c.settled[mine].max() // DAY)
                fact.first_day = first_day if fact.first_day < 0 else min(fact.first_day, first_day)
                fact.last_day = max(fact.last_day, last_day)

    def beds(self, rng: np.random.Generator) -> np.ndarray:
        """Licensed beds: the honest peak occupancy at a realistic occupancy rate, in tens."""
        p = self.world.providers
        peak = np.cumsum(self.census, axis=1).max(axis=1)
        private = np.array([KIND_OF_CLASS[c][2] == "private" for c in p.cls])
        occupancy = np.where(private, rng.uniform(0.55, 0.8, p.n), rng.uniform(0.8, 0.97, p.n))
        beds = (np.ceil(peak / occupancy / 10) * 10).astype(np.int64)
        beds = np.maximum(beds, np.where(p.cls == "tertiary", 100, 20))
        hospital = np.array([KIND_OF_CLASS[c][0] == "hospital" for c in p.cls])
        return np.where(hospital, beds, -1)


def _merge_facts(groups: dict[str, dict[str, int]], claims: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    out = {name: dict(entry) for name, entry in groups.items()}
    for name, entry in claims.items():
        out.setdefault(name, {}).update(entry)
    return dict(sorted(out.items()))


def _labels(plan: RingPlan, world: World) -> pa.Table:
    typology = {f.ring: f.typology for f in plan.facts}
    text = {"person": world.ids.person, "practitioner": world.ids.practitioner, "facility": world.ids.facility}
    rows = sorted((str(plan.ring_ids[r]), typology[r], kind, str(text[kind][i]), role) for r, kind, i, role in plan.labels)
    columns = list(zip(*rows)) if rows else [[]] * 5
    names = ("ring_id", "typology", "entity_type", "entity_id", "role")
    return pa.table({n: pa.array(list(col), type=pa.string()) for n, col in zip(names, columns)})


def generate(out_dir: str | Path, *, seed: int = 0, persons: int = 20_000, rings: bool = True, fmt: str = "csv",
             knobs: Knobs = DEFAULT_KNOBS) -> GenerationSummary:
    """Write a synthetic 医保 extract with planted rings and honest look-alikes.

    Parameters
    ----------
    out_dir : folder for the eight tables (created if missing; existing tables are replaced).
    seed : every random choice follows from it; same seed and size give byte-identical files.
    persons : insured persons, from ``MIN_PERSONS`` to ``MAX_PERSONS``.
    rings : plant the rings of ``knobs.rings``; ``False`` writes the same honest world alone.
    fmt : ``"csv"`` or ``"parquet"``.
    """
    if not MIN_PERSONS <= persons <= MAX_PERSONS:
        raise ConfigError(f"persons must be between {MIN_PERSONS} and {MAX_PERSONS}, got {persons}")
    if fmt not in FORMATS:
        raise ConfigError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if seed < 0:
        raise ConfigError(f"seed must be a non-negative integer, got {seed}")
    began = time.perf_counter()
    out = Path(out_dir)
    world = build_world(seed, persons, knobs)
    traps = plan_traps(world)
    plan = plan_rings(world) if rings else no_rings(world)
    tables = TableBuilder(world)
    tables.with_devices(world.ids.values.phone_device(world.devices.n + np.arange(plan.n_devices)))
    writer = ExtractWriter(out, fmt)
    try:
        writer.write("persons", tables.persons())
        writer.write("practitioners", tables.practitioners(world.prac_name, world.prac_id_card))
        trap_facts = world_trap_facts(world)
        for name, entry in traps.facts.items():
            trap_facts[name] = dict(entry)
        tally = _Tally(world, plan.facts, trap_claims := {})
        counters = Counters()
        for index, (first, stop) in enumerate(_chunk_bounds(world)):
            chunk = build_chunk(world, index, first, stop, traps, plan, counters)
            ids = world.ids.claim_ids(chunk.claim_counter)
            writer.write("claims", tables.claims(chunk.claims, ids, chunk.total, chunk.fund))
            writer.write("claim_items", tables.claim_items(chunk.lines, ids, chunk.trace_keys))
            tally.add(chunk)
        rng = np.random.default_rng([seed, WORLD_STREAM, 1])
        writer.write("facilities", tables.facilities(tally.beds(rng)))
        stock = purchases(tally.honest, world.providers.price, np.isin(world.providers.cls, ("pharmacy", "dtp",
                          "away_pharmacy")), knobs.traps, rng)
        extra = purchases(tally.ring, world.providers.price, np.isin(world.providers.cls, ("pharmacy", "dtp",
                          "away_pharmacy")), knobs.traps, np.random.default_rng([seed, RING_STREAM, 0]))
        merged = {k: np.concatenate([stock[k], extra[k]]) for k in stock}
        order = np.lexsort((merged["item"], merged["day"], merged["facility"]))
        writer.write("purchases", tables.purchases(**{k: v[order] for k, v in merged.items()}))
        rows = IdentifierRows.concat([world.identifiers, plan.identifiers])
        order = np.lexsort((rows.kind, rows.owner, rows.owner_type))
        writer.write("identifiers", tables.identifiers(rows.take(order)))
        writer.write("labels", _labels(plan, world))
        files = writer.commit(empty_schemas())
    except BaseException:
        writer.abort()
        raise
    return GenerationSummary(out_dir=out, seed=seed, persons=persons, rings=rings, fmt=fmt, files=files,
                             rows=dict(writer.rows), ring_facts=tuple(plan.facts),
                             trap_facts=_merge_facts(trap_facts, trap_claims),
                             seconds=round(time.perf_counter() - began, 2))
