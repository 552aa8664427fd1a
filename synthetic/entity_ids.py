"""Text ids of persons, practitioners, facilities, devices, claims and rings.

Ids are built in one place so that honest entities and ring additions use
the same formats: a detector can read a facility's region and kind from its
code (as in real 定点医药机构 codes), and nothing else.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ringscope.synthetic.devices import TERMINAL, Devices
from ringscope.synthetic.ids import digits_text, domain_keys, permute, prefixed_ids
from ringscope.synthetic.providers import KIND_OF_CLASS, Providers
from ringscope.synthetic.regions import REGIONS
from ringscope.synthetic.values import ValueMaker

__all__ = ["EntityIds", "CLAIM_BITS", "RING_CLAIM_BASE"]

CLAIM_BITS = 48
#: ring claims count from here, so their ids never meet honest ones
RING_CLAIM_BASE = 1 << (CLAIM_BITS - 1)


class EntityIds:
    """All entity ids of one generated world, as numpy string arrays."""

    def __init__(self, seed: int, n_persons: int, providers: Providers, devices: Devices):
        self.seed = seed
        self.person = np.asarray(prefixed_ids(np.arange(n_persons), "P", 32, domain_keys(seed, 1), 10))
        codes = np.array([REGIONS[r].code for r in providers.region])
        letter = np.array(["P" if KIND_OF_CLASS[c][0] == "pharmacy" else "H" for c in providers.cls])
        serial = permute(np.arange(providers.n), 16, domain_keys(seed, 2)).astype(np.int64)
        self.facility = np.char.add(np.char.add(letter, codes), np.char.zfill(serial.astype(str), 5))
        n_prac = len(providers.prac_facility)
        prac_serial = permute(np.arange(n_prac), 18, domain_keys(seed, 3)).astype(np.int64)
        prac_letter = np.where(providers.prac_pharmacist, "Y", "D")
        self.practitioner = np.char.add(np.char.add(prac_letter, codes[providers.prac_facility]),
                                        np.char.zfill(prac_serial.astype(str), 6))
        self.values = ValueMaker(seed)
        self.device = self.device_text(devices.kind, devices.facility, np.arange(devices.n), providers)

    def device_text(self, kind: np.ndarray, facility: np.ndarray, index: np.ndarray,
                    providers: Providers) -> np.ndarray:
        """POS terminals are ``<facility id>-NN``; phones and tablets 16 hex digits."""
        out = self.values.phone_device(index).astype(object)
        term = np.flatnonzero(kind == TERMINAL)
        slot = index[term] - providers.terminal_start[facility[term]] + 1
        out[term] = np.char.add(np.char.add(self.facility[facility[term]], "-"), np.char.zfill(slot.astype(str), 2))
        return out.astype(str)

    def claim_ids(self, counters: np.ndarray) -> pa.Array:
        return prefixed_ids(counters, "S", CLAIM_BITS, domain_keys(self.seed, 4), 15)

    def ring_ids(self, counters: np.ndarray) -> np.ndarray:
        return np.asarray(prefixed_ids(counters, "R", 18, domain_keys(self.seed, 5), 6))

    def trace_codes(self, product: np.ndarray, keys: np.ndarray) -> pa.Array:
        """20-digit 药品追溯码: 7-digit product code, 9-digit serial, 4 check digits."""
        serial = permute(keys, 28, domain_keys(self.seed, 6)).astype(np.int64)
        check = (permute(keys, 28, domain_keys(self.seed, 8)).astype(np.int64) % 10_000)
        return pc.binary_join_element_wise(
            pa.array(product), digits_text(serial, 9), digits_text(check, 4), "")
