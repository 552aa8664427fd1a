"""Rings that misuse identities: card lending and impersonation.

Card lending: an organiser holds many members' e-vouchers on a few phones
and presents them minutes apart at several pharmacies and clinics.
Impersonation: cards used where their holders cannot be: after death, on a
day the holder was treated in another province, or for care that does not
fit the holder's sex or age; the claims cluster on one complicit facility
and the organiser's phones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ringscope.synthetic.baskets import BASKET_INDEX
from ringscope.synthetic.catalogue import DX_INDEX, ITEM_INDEX, ITEMS, REGIMENS
from ringscope.synthetic.claims import CARD, DAY, E_VOUCHER, OUTPATIENT, PHARMACY, RING, ClaimBatch
from ringscope.synthetic.identifiers import DEVICE, PHONE_NO, PROXY
from ringscope.synthetic.ring_base import Ring, RingBuilder
from ringscope.synthetic.timing import HOUR, clock, seconds

__all__ = ["card_lending", "impersonation", "SameDay", "realise_same_day"]


@dataclass(frozen=True)
class SameDay:
    """A victim whose card is used at ``facility`` on days they were treated elsewhere."""

    ring: int
    victim: int
    facility: int
    device: int
    count: int


def card_lending(b: RingBuilder, size: int, x: float) -> None:
    w, rng, p, pop = b.world, b.rng, b.world.providers, b.world.pop
    ring = b.open("card_lending", x)
    adult = (pop.age >= 25) & (pop.age < 60) & ~pop.mover_out & (w.devices.phone_of >= 0)
    organiser = b.persons(ring, adult & b.alive(ring.end), 1, "organiser")
    members = b.persons(ring, (pop.age >= 18) & ~pop.mover_out & b.alive(ring.end), size - 1, "cardholder")
    phones = b.new_devices(int(rng.integers(2, 5)))
    home = p.region[w.routines.pharmacy[organiser[0]]]
    pharmacies = b.unlabelled(p.of_class("pharmacy"))
    nearby = pharmacies[p.region[pharmacies] == home]
    places = np.unique(np.concatenate([rng.choice(nearby if len(nearby) else pharmacies, size=2),
                                       rng.choice(np.concatenate([pharmacies, b.unlabelled(p.of_class("community",
                                                                                                    "township"))]),
                                                  size=int(rng.integers(2, 7)), replace=False)]))
    uses = np.repeat(members, 1 + rng.poisson(1 + x * 8, len(members)))
    rng.shuffle(uses)
    rows = []
    i = 0
    while i < len(uses):
        group = np.unique(uses[i:i + int(2 + rng.poisson(1 + x * 5))])
        i += len(group)
        day = int(b.days(ring, 1)[0])
        facility = int(rng.choice(places))
        times = b.session_times(day, len(group), (8.5, 19.5), (0.7 + 10 * (1 - x), 4 + 30 * (1 - x)))
        rows.append((group, times, np.full(len(group), facility), np.full(len(group), rng.choice(phones))))
    who, settled, facility, device = (np.concatenate([r[k] for r in rows]) for k in range(4))
    n = len(who)
    reg = rng.integers(0, len(REGIMENS), n)
    at_pharmacy = p.cls[facility] == "pharmacy"
    max_boxes = np.array([ITEMS[ITEM_INDEX[r.drug]].max_boxes for r in REGIMENS])[reg]
    b.add(ring, ClaimBatch.build(
        n, person=who, facility=facility, visit=np.where(at_pharmacy, PHARMACY, OUTPATIENT), settled=settled,
        practitioner=np.where(at_pharmacy, p.pharmacist(facility, rng.random(n)),
                              p.doctor(facility, np.zeros(n, dtype=np.int64), rng.random(n))),
        dx=np.array([DX_INDEX[r.diagnosis] for r in REGIMENS])[reg],
        basket=np.where(at_pharmacy, np.array([BASKET_INDEX[f"ph_{r.key}"] for r in REGIMENS])[reg],
                        np.array([BASKET_INDEX[f"out_{r.key}"] for r in REGIMENS])[reg]),
        boxes=rng.integers(1, max_boxes + 1), auth=E_VOUCHER, device=device))
    for phone in phones:
        b.link(ring, members, DEVICE, w.ids.values.phone_device(np.array([phone]))[0], (0.2 + 0.5 * x) / len(phones))
    b.link(ring, organiser, DEVICE, w.ids.values.phone_device(phones[:1])[0], 1.0)
    b.link(ring, members, PROXY, pop.id_card[organiser[0]], 0.05 + 0.3 * x)
    b.link(ring, members, PHONE_NO, w.ids.values.mobile(organiser)[0], 0.05 + 0.25 * x)


# care that does not fit a holder: (diagnosis, basket) for men, women, elderly
_MISFITS = {"men": (("Z34.9", "out_prenatal"), ("N76.0", "out_gyn")), "women": (("N40", "out_general"),),
            "elderly": (("J03.9", "out_peds"),)}


def _victim_claims(b: RingBuilder, ring: Ring, who: np.ndarray, day: np.ndarray, facility: int, phones, x: float,
                   dx: np.ndarray, basket: np.ndarray) -> ClaimBatch:
    p, rng = b.world.providers, b.rng
    n = len(who)
    at_pharmacy = p.cls[facility] == "pharmacy"
    phone = rng.random(n) < 0.3 + 0.5 * x
    device = np.where(phone, phones[rng.integers(0, len(phones), n)],
                      p.terminal_start[facility] + rng.integers(0, p.terminal_count[facility], n))
    return ClaimBatch.build(n, person=who, facility=facility, visit=PHARMACY if at_pharmacy else OUTPATIENT,
                            settled=seconds(day, clock("pharmacy" if at_pharmacy else "outpatient", n, rng)),
                            practitioner=(p.pharmacist(np.full(n, facility), rng.random(n)) if at_pharmacy
                                          else p.doctor(np.full(n, facility), np.zeros(n, dtype=np.int64), rng.random(n))),
                            dx=dx, basket=basket, boxes=rng.integers(1, 4, n),
                            auth=np.where(phone, E_VOUCHER, CARD), device=device)


def impersonation(b: RingBuilder, size: int, x: float) -> list[SameDay]:
    w, rng, p, pop = b.world, b.rng, b.world.providers, b.world.pop
    ring = b.open("impersonation", x)
    organiser = b.persons(ring, (pop.age >= 25) & (pop.age < 56) & ~pop.mover_out & b.alive(ring.end), 1, "organiser")
    facility = b.facility(ring, p.of_class("community", "township", "private"))
    phones = b.new_devices(int(rng.integers(1, 4)))
    n_victims = size - 1
    n_dead = max(1, int(round(n_victims * 0.4)))
    n_away = max(1, int(round(n_victims * 0.35))) if n_victims > 2 else 0
    dead = b.persons(ring, (pop.death_day >= 0) & (pop.death_day < w.days - 45), n_dead, "cardholder")
    away = b.persons(ring, pop.mover_out & (pop.util > 0) & b.alive(w.days - 1), n_away, "cardholder")
    misfit = b.persons(ring, ~pop.mover_out & b.alive(w.days - 1) & (pop.age >= 8), n_victims - len(dead) - len(away),
                       "cardholder")
    regular_basket = np.array([BASKET_INDEX[f"out_{r.key}"] for r in REGIMENS])
    regular_dx = np.array([DX_INDEX[r.diagnosis] for r in REGIMENS])
    batches = []
    count = 2 + rng.poisson(x * 8, len(dead))
    who = np.repeat(dead, count)
    first = np.maximum(pop.death_day[who] + rng.integers(10, 40, len(who)), ring.start)
    day = (first + rng.random(len(who)) * np.maximum(w.days - 1 - first, 1)).astype(np.int64)
    reg = rng.integers(0, len(REGIMENS), len(who))
    batches.append(_victim_claims(b, ring, who, day, facility, phones, x, regular_dx[reg], regular_basket[reg]))
    misfit_claims = np.repeat(misfit, 1 + rng.poisson(x * 4, len(misfit)))
    male, old = pop.hh.male[misfit_claims], pop.age[misfit_claims] >= 60
    options = [_MISFITS["elderly"][0] if o else _MISFITS["men" if m else "women"][int(rng.integers(2 if m else 1))]
               for m, o in zip(male, old)]
    dx = np.array([DX_INDEX[o[0]] for o in options], dtype=np.int64)
    basket = np.array([BASKET_INDEX[o[1]] for o in options], dtype=np.int64)
    batches.append(_victim_claims(b, ring, misfit_claims, b.days(ring, len(misfit_claims)), facility, phones, x, dx,
                                  basket))
    for batch in batches:
        b.add(ring, batch)
    return [SameDay(ring.number, int(v), facility, int(rng.choice(phones)), int(2 + rng.poisson(x * 5))) for v in away]


def realise_same_day(b_world, specs: list[SameDay], honest: ClaimBatch, rng: np.random.Generator) -> ClaimBatch:
    """Impersonation claims on days the victim was treated far away (needs the honest claims)."""
    p = b_world.providers
    out = []
    for spec in specs:
        mine = honest.settled[honest.person == spec.victim]
        days = np.unique(mine // DAY)
        if len(days) == 0:  # the victim made no claim this year: any days will do
            mine = rng.integers(0, b_world.days, spec.count) * DAY + 12 * HOUR
            days = np.unique(mine // DAY)
        chosen = rng.choice(days, size=min(spec.count, len(days)), replace=False)
        honest_t = np.array([mine[mine // DAY == d].min() for d in chosen])
        t = np.where(honest_t % DAY > 14 * HOUR, rng.integers(int(7.8 * HOUR), int(10 * HOUR), len(chosen)),
                     rng.integers(int(17 * HOUR), int(21 * HOUR), len(chosen)))
        n = len(chosen)
        at_pharmacy = p.cls[spec.facility] == "pharmacy"
        reg = rng.integers(0, len(REGIMENS), n)
        out.append(ClaimBatch.build(
            n, person=spec.victim, facility=spec.facility, visit=PHARMACY if at_pharmacy else OUTPATIENT,
            settled=chosen * DAY + t, auth=E_VOUCHER, device=spec.device, ring=spec.ring, source=RING,
            practitioner=(p.pharmacist(np.full(n, spec.facility), rng.random(n)) if at_pharmacy
                          else p.doctor(np.full(n, spec.facility), np.zeros(n, dtype=np.int64), rng.random(n))),
            dx=np.array([DX_INDEX[r.diagnosis] for r in REGIMENS])[reg],
            basket=np.array([BASKET_INDEX[(f"ph_{r.key}" if at_pharmacy else f"out_{r.key}")] for r in REGIMENS])[reg],
            boxes=rng.integers(1, 3, n)))
    return ClaimBatch.concat(out)
