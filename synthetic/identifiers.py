"""Honest identifier links (identifiers.csv) of persons, practitioners, facilities.

Households share an address and often a phone number; children and elderly
without phones are bound to a relative's phone; managed parents list their
child's ID card as proxy and sometimes the child's phone; nursing-home
residents list the home's address and a staff member as proxy; dormitory
workers share one address; elderly couples sometimes share one bank account.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa

from ringscope.synthetic.devices import Devices, household_first
from ringscope.synthetic.entity_ids import EntityIds
from ringscope.synthetic.households import ELDERLY_COUPLE_TEMPLATE
from ringscope.synthetic.population import Population
from ringscope.synthetic.providers import Providers
from ringscope.synthetic.routines import Routines
from ringscope.synthetic.writer import text_array

__all__ = ["IdentifierRows", "honest_identifiers", "OWNER_TYPES", "ID_KINDS",
           "PERSON", "PRACTITIONER", "FACILITY", "PHONE_NO", "BANK", "ADDRESS", "DEVICE", "EMAIL", "PROXY"]

OWNER_TYPES = ("person", "practitioner", "facility")
ID_KINDS = ("phone", "bank_account", "address", "device", "email", "proxy_id_card")
PERSON, PRACTITIONER, FACILITY = 0, 1, 2
PHONE_NO, BANK, ADDRESS, DEVICE, EMAIL, PROXY = range(6)


@dataclass
class IdentifierRows:
    owner_type: np.ndarray
    owner: np.ndarray
    kind: np.ndarray
    value: pa.Array          # text; Arrow, so rows of very different widths concatenate cheaply
    first_seen: np.ndarray   # day offsets from the window start
    last_seen: np.ndarray    # day offset, or a very large value for "still in use"

    @staticmethod
    def of(owner_type: int, owner, kind: int, value, first_seen, last_seen) -> "IdentifierRows":
        owner = np.asarray(owner, dtype=np.int64)
        n = len(owner)
        return IdentifierRows(np.full(n, owner_type, dtype=np.int8), owner, np.full(n, kind, dtype=np.int8),
                              text_array(value),
                              np.broadcast_to(first_seen, n).astype(np.int64),
                              np.broadcast_to(last_seen, n).astype(np.int64))

    @staticmethod
    def empty() -> "IdentifierRows":
        return IdentifierRows.of(PERSON, np.zeros(0, dtype=np.int64), PHONE_NO, np.zeros(0, dtype=str), 0, 0)

    @staticmethod
    def concat(parts: list["IdentifierRows"]) -> "IdentifierRows":
        return IdentifierRows(**{f.name: (pa.concat_arrays([p.value for p in parts]) if f.name == "value"
                                          else np.concatenate([getattr(p, f.name) for p in parts]))
                                 for f in fields(IdentifierRows)})

    def take(self, index: np.ndarray) -> "IdentifierRows":
        return IdentifierRows(**{f.name: (self.value.take(pa.array(index)) if f.name == "value"
                                          else getattr(self, f.name)[index]) for f in fields(IdentifierRows)})

    def __len__(self) -> int:
        return len(self.owner)


def _since(rng, n: int) -> np.ndarray:
    """Days before the window an identifier was first seen (some during it)."""
    return np.where(rng.random(n) < 0.9, -rng.integers(30, 12 * 365, n), rng.integers(0, 300, n))


def honest_identifiers(pop: Population, providers: Providers, routines: Routines, devices: Devices,
                       ids: EntityIds, days: int, rng: np.random.Generator) -> IdentifierRows:
    v, hh, age, n = ids.values, pop.hh, pop.age, pop.n
    parts: list[IdentifierRows] = []
    open_end = days - 1

    owns = devices.phone_of >= 0
    number = v.mobile(np.arange(n))
    shared = household_first(pop, owns & (age >= 18))
    who = np.flatnonzero(owns | (shared >= 0))
    number_of = np.where(owns, np.arange(n), shared)[who]
    parts.append(IdentifierRows.of(PERSON, who, PHONE_NO, number[number_of], _since(rng, len(who)), open_end))
    managed = np.flatnonzero((devices.proxy >= 0) & (routines.nursing_home < 0))
    contact = managed[rng.random(len(managed)) < 0.6]
    parts.append(IdentifierRows.of(PERSON, contact, PHONE_NO, number[devices.proxy[contact]],
                                   _since(rng, len(contact)), open_end))

    addr = v.home_address(np.arange(len(hh.start)), pop.live_region[hh.start])[hh.household]
    nursing = routines.nursing_home >= 0
    addr = np.where(nursing, providers.address[np.maximum(routines.nursing_home, 0)], addr)
    dorm = routines.dormitory >= 0
    n_dorms = routines.dormitory.max() + 1
    first_worker = np.array([np.flatnonzero(routines.dormitory == k)[0] for k in range(n_dorms)], dtype=np.int64)
    dorm_addr = v.home_address(len(hh.start) + np.arange(n_dorms), pop.live_region[first_worker])
    addr = np.where(dorm, np.char.add(dorm_addr[np.maximum(routines.dormitory, 0)], "集体宿舍"), addr)
    parts.append(IdentifierRows.of(PERSON, np.arange(n), ADDRESS, addr, _since(rng, n), open_end))

    banked = np.flatnonzero((age >= 18) & (rng.random(n) < 0.78))
    account_of = banked.copy()
    couple = (hh.template[hh.household[banked]] == ELDERLY_COUPLE_TEMPLATE) & (pop.hh.spouse[banked] >= 0)
    joint = couple & (rng.random(len(banked)) < 0.2)
    account_of[joint] = np.minimum(banked[joint], pop.hh.spouse[banked[joint]])
    parts.append(IdentifierRows.of(PERSON, banked, BANK, v.bank_account(account_of), _since(rng, len(banked)), open_end))

    mailers = np.flatnonzero((age >= 18) & (age < 61) & (rng.random(n) < 0.35))
    parts.append(IdentifierRows.of(PERSON, mailers, EMAIL, v.email(mailers), _since(rng, len(mailers)), open_end))

    p = np.flatnonzero(owns)
    first = _since(rng, len(p))
    switched = devices.second_phone[p] >= 0
    last = np.where(switched, devices.switch_day[p], open_end)
    parts.append(IdentifierRows.of(PERSON, p, DEVICE, ids.device[devices.phone_of[p]], first, last))
    s = p[switched]
    parts.append(IdentifierRows.of(PERSON, s, DEVICE, ids.device[devices.second_phone[s]], devices.switch_day[s], open_end))
    bound = np.flatnonzero((devices.presenter >= 0) & (devices.presenter != devices.phone_of))
    parts.append(IdentifierRows.of(PERSON, bound, DEVICE, ids.device[devices.presenter[bound]],
                                   _since(rng, len(bound)), open_end))

    proxied = np.flatnonzero(devices.proxy >= 0)
    minors = np.flatnonzero((age < 16) & (rng.random(n) < 0.5))
    guardian = hh.start[hh.household[minors]]
    parts.append(IdentifierRows.of(PERSON, proxied, PROXY, pop.id_card[devices.proxy[proxied]],
                                   _since(rng, len(proxied)), open_end))
    parts.append(IdentifierRows.of(PERSON, minors, PROXY, pop.id_card[guardian], _since(rng, len(minors)), open_end))

    n_prac = len(providers.prac_facility)
    parts.append(IdentifierRows.of(PRACTITIONER, np.arange(n_prac), PHONE_NO, v.mobile(n + np.arange(n_prac)),
                                   _since(rng, n_prac), open_end))
    parts.append(IdentifierRows.of(PRACTITIONER, np.arange(n_prac), BANK, v.bank_account(n + np.arange(n_prac)),
                                   _since(rng, n_prac), open_end))
    f = np.arange(providers.n)
    parts.append(IdentifierRows.of(FACILITY, f, PHONE_NO, v.landline(f), _since(rng, providers.n), open_end))
    parts.append(IdentifierRows.of(FACILITY, f, ADDRESS, providers.address, _since(rng, providers.n), open_end))
    parts.append(IdentifierRows.of(FACILITY, f, BANK, v.bank_account(n + n_prac + f), _since(rng, providers.n), open_end))
    owned = np.flatnonzero(devices.facility >= 0)
    parts.append(IdentifierRows.of(FACILITY, devices.facility[owned], DEVICE, ids.device[owned],
                                   _since(rng, len(owned)), open_end))
    return IdentifierRows.concat(parts)
