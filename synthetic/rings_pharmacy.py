"""Rings that work through pharmacies: card cash-out, drug resale, collusion.

Intensity ``x`` in (0, 1] scales every tell-tale at once: how many claims,
how tight the bursts, how many boxes, how many members share the
organiser's phone or account. At ``x = 0.15`` each tell is barely above what
honest people do; only their combination gives a ring away.
"""

from __future__ import annotations

import numpy as np

from ringscope.synthetic.baskets import BASKET_INDEX
from ringscope.synthetic.catalogue import DEPARTMENTS, DX_INDEX, ITEM_INDEX, ITEMS, REGIMENS
from ringscope.synthetic.claims import CARD, DAY, E_VOUCHER, OUTPATIENT, PHARMACY, ClaimBatch
from ringscope.synthetic.identifiers import BANK, DEVICE, PHONE_NO
from ringscope.synthetic.ring_base import RingBuilder
from ringscope.synthetic.timing import clock, seconds

__all__ = ["card_cashout", "drug_resale", "prescription_collusion", "regimen_of_drug"]

_CASHOUT_DRUGS = ("sacubitril", "seretide", "glargine", "shexiang")
_RESALE_DRUGS = ("glargine", "seretide", "sacubitril", "entecavir", "clopidogrel")


def regimen_of_drug(drug: str) -> int:
    return next(i for i, r in enumerate(REGIMENS) if r.drug == drug)


def _drug_columns(regimens: np.ndarray) -> dict[str, np.ndarray]:
    return {
        "dx": np.array([DX_INDEX[r.diagnosis] for r in REGIMENS])[regimens],
        "ph": np.array([BASKET_INDEX[f"ph_{r.key}"] for r in REGIMENS])[regimens],
        "out": np.array([BASKET_INDEX[f"out_{r.key}"] for r in REGIMENS])[regimens],
        "max": np.array([ITEMS[ITEM_INDEX[r.drug]].max_boxes for r in REGIMENS])[regimens],
        "per_box": np.array([ITEMS[ITEM_INDEX[r.drug]].days_per_box for r in REGIMENS])[regimens],
    }


def _adults(b: RingBuilder, low: int, high: int) -> np.ndarray:
    pop = b.world.pop
    return (pop.age >= low) & (pop.age < high) & ~pop.mover_out


def card_cashout(b: RingBuilder, size: int, x: float) -> None:
    """Many cards swiped at one pharmacy in bursts for costly drugs never dispensed."""
    w, rng, p = b.world, b.rng, b.world.providers
    ring = b.open("card_cashout", x)
    pharmacy = b.facility(ring, p.of_class("pharmacy"))
    staff = np.flatnonzero((p.prac_facility == pharmacy) & p.prac_pharmacist)
    pharmacist = b.practitioner(ring, staff, "pharmacist")
    owner_phone = w.devices.phone_of >= 0
    organiser = b.persons(ring, _adults(b, 30, 60) & owner_phone & b.alive(ring.end), 1, "organiser")
    near = w.pop.live_region == p.region[pharmacy]
    eligible = _adults(b, 25, 66) & w.pop.employee & b.alive(ring.end)
    holders = np.concatenate([b.persons(ring, eligible & near, int(np.ceil((size - 1) * 0.7)), "cardholder"),
                              b.persons(ring, eligible, (size - 1) - int(np.ceil((size - 1) * 0.7)), "cardholder")])
    holders = holders[: size - 1]
    devices = b.new_devices(int(rng.integers(2, 5)))
    regimens = np.array([regimen_of_drug(d) for d in rng.choice(_CASHOUT_DRUGS, size=2, replace=False)])

    swipes = np.repeat(holders, 1 + rng.poisson(x * 6, len(holders)))
    rng.shuffle(swipes)
    rows = []
    i = 0
    while i < len(swipes):
        k = int(2 + rng.poisson(x * 6))
        group = np.unique(swipes[i:i + k])
        i += k
        day = int(b.days(ring, 1)[0])
        times = b.session_times(day, len(group), (9.0, 20.0), (0.5 + 6 * (1 - x), 3 + 25 * (1 - x)))
        rows.append((group, times))
    who = np.concatenate([r[0] for r in rows])
    settled = np.concatenate([r[1] for r in rows])
    n = len(who)
    reg = regimens[rng.integers(0, len(regimens), n)]
    cols = _drug_columns(reg)
    boxes = np.where(rng.random(n) < 0.4 + 0.6 * x, cols["max"], rng.integers(1, cols["max"] + 1))
    phone = rng.random(n) < 0.15 + 0.3 * x
    device = np.where(phone, devices[rng.integers(0, len(devices), n)],
                      p.terminal_start[pharmacy] + rng.integers(0, p.terminal_count[pharmacy], n))
    b.add(ring, ClaimBatch.build(n, person=who, facility=pharmacy, practitioner=pharmacist, visit=PHARMACY,
                                 settled=settled, dx=cols["dx"], basket=cols["ph"], boxes=boxes,
                                 auth=np.where(phone, E_VOUCHER, CARD), device=device, trace_pool=ring.number))
    collector_number = w.ids.values.mobile(organiser)[0]
    b.link(ring, holders, PHONE_NO, collector_number, 0.1 + 0.6 * x)
    account = w.ids.values.bank_account(b.new_value_counters(1))[0]
    b.link(ring, organiser, BANK, account, 1.0)
    b.link(ring, holders, BANK, account, 0.05 + 0.5 * x)
    b.link(ring, organiser, DEVICE, w.ids.values.phone_device(devices[:1])[0], 1.0)


def drug_resale(b: RingBuilder, size: int, x: float) -> None:
    """Members fill the most boxes allowed of costly chronic drugs at many places, far too often."""
    w, rng, p = b.world, b.rng, b.world.providers
    ring = b.open("drug_resale", x)
    broker = b.persons(ring, _adults(b, 30, 66) & (w.devices.phone_of >= 0) & b.alive(ring.end), 1, "broker")
    members = b.persons(ring, _adults(b, 40, 80) & b.alive(ring.end), size - 1, "cardholder")
    regimens = np.array([regimen_of_drug(d) for d in rng.choice(_RESALE_DRUGS, size=int(rng.integers(1, 3)),
                                                                replace=False)])
    places = b.unlabelled(np.concatenate([p.of_class("pharmacy"), p.of_class("community", "township")]))
    rows = []
    for m in members:
        reg = regimens[rng.integers(len(regimens))]
        cols = _drug_columns(np.array([reg]))
        supply = int(cols["max"][0] * cols["per_box"][0])
        interval = supply * rng.uniform(0.2 + 0.5 * (1 - x), 0.35 + 0.5 * (1 - x))
        day, fills = float(rng.integers(ring.start, ring.start + 20)), []
        while day < min(ring.end + 60, w.days - 1, w.alive_until[m] - 1):
            fills.append(int(day))
            day += interval * rng.uniform(0.8, 1.2)
        mine = rng.choice(places, size=int(rng.integers(3, 9)), replace=False)
        rows.append((np.full(len(fills), m), np.array(fills, dtype=np.int64), mine[rng.integers(0, len(mine), len(fills))],
                     np.full(len(fills), reg)))
    who, day, facility, reg = (np.concatenate([r[k] for r in rows]) for k in range(4))
    n = len(who)
    cols = _drug_columns(reg)
    at_pharmacy = np.isin(p.cls[facility], ("pharmacy",))
    boxes = np.where(rng.random(n) < 0.5 + 0.5 * x, cols["max"], np.maximum(cols["max"] - 1, 1))
    doctor = p.doctor(facility, np.full(n, DEPARTMENTS.index("全科医疗科")), rng.random(n))
    practitioner = np.where(at_pharmacy, p.pharmacist(facility, rng.random(n)), doctor)
    t = np.where(at_pharmacy, clock("pharmacy", n, rng), clock("outpatient", n, rng))
    b.add(ring, ClaimBatch.build(n, person=who, facility=facility, practitioner=practitioner,
                                 visit=np.where(at_pharmacy, PHARMACY, OUTPATIENT), settled=seconds(day, t),
                                 dx=cols["dx"], basket=np.where(at_pharmacy, cols["ph"], cols["out"]), boxes=boxes))
    account = w.ids.values.bank_account(b.new_value_counters(1))[0]
    b.link(ring, broker, BANK, account, 1.0)
    b.link(ring, members, BANK, account, 0.1 + 0.6 * x)
    b.link(ring, members, PHONE_NO, w.ids.values.mobile(broker)[0], 0.05 + 0.3 * x)


def prescription_collusion(b: RingBuilder, size: int, x: float) -> None:
    """A doctor's prescriptions steered to one pharmacy, with inflated quantities."""
    w, rng, p = b.world, b.rng, b.world.providers
    ring = b.open("prescription_collusion", x)
    host = np.isin(p.cls[p.prac_facility], ("community", "county", "township")) & ~p.prac_pharmacist
    doctor = b.practitioner(ring, np.flatnonzero(host), "doctor")
    clinic = int(p.prac_facility[doctor])
    local = p.of_class("pharmacy")
    same_region = local[p.region[local] == p.region[clinic]]
    pharmacy = b.facility(ring, same_region if len(same_region) else local)
    b.practitioner(ring, np.flatnonzero((p.prac_facility == pharmacy) & p.prac_pharmacist), "pharmacist")
    near = w.pop.live_region == p.region[clinic]
    patients = b.persons(ring, _adults(b, 40, 86) & near & b.alive(ring.end), size, "patient")
    if len(patients) < size:
        patients = np.concatenate([patients, b.persons(ring, _adults(b, 40, 86) & b.alive(ring.end),
                                                       size - len(patients), "patient")])
    count = 2 + rng.poisson(x * 8, len(patients))
    who = np.repeat(patients, count)
    n = len(who)
    own = w.pop.regimen[who, 0]
    reg = np.where(own >= 0, own, rng.integers(0, len(REGIMENS), n))
    cols = _drug_columns(reg)
    # subtle rings stay at the long-prescription maximum; blatant ones go past it
    inflate = np.where(rng.random(n) < 0.3 + 0.6 * x, rng.uniform(1.0, 1.0 + 1.4 * x, n), 1.0)
    boxes = np.maximum(1, np.rint(cols["max"] * inflate)).astype(np.int64)
    day = b.days(ring, n)
    visit_t = seconds(day, clock("outpatient", n, rng))
    fill_t = visit_t + rng.integers(20 * 60, 5 * 3600, n)
    visits = ClaimBatch.build(n, person=who, facility=clinic, practitioner=doctor, visit=OUTPATIENT,
                              settled=visit_t, dx=cols["dx"], basket=BASKET_INDEX["out_general"])
    fills = ClaimBatch.build(n, person=who, facility=pharmacy, practitioner=doctor, visit=PHARMACY,
                             settled=np.minimum(fill_t, (day + 1) * DAY - 60), dx=cols["dx"], basket=cols["ph"],
                             boxes=boxes)
    b.add(ring, ClaimBatch.concat([visits, fills]))
