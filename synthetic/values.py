"""Identifier values in their real formats: phones, bank cards, e-mails, addresses.

Each value is a counter through the seed-keyed permutation of ``ids``, so
values are unique and carry no order; rings take counters from the top of
the same domains, which makes their phones and accounts look like anyone's.
"""

from __future__ import annotations

import numpy as np

from ringscope.synthetic.ids import domain_keys, hex_text, luhn_digit, permute
from ringscope.synthetic.names import COMPOUND_STEMS, ROAD_STEMS
from ringscope.synthetic.regions import REGIONS

__all__ = ["ValueMaker", "RING_OFFSET"]

_MOBILE = np.array(["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                    "155", "156", "157", "158", "159", "176", "177", "180", "182", "183", "185", "186",
                    "187", "188", "189", "191", "199"])
_BINS = np.array([622202, 621700, 622848, 621661, 622588, 623668, 621226, 622908], dtype=np.int64)
_MAIL = np.array(["qq.com", "163.com", "126.com", "sina.com", "139.com", "foxmail.com"])
_LATIN = np.array(list("abcdefghijklmnopqrstuvwxyz"))
#: rings number their identifiers from here, inside every domain
RING_OFFSET = 1 << 25


class ValueMaker:
    """Formats identifier values for one seed."""

    def __init__(self, seed: int):
        self.seed = seed

    def _perm(self, counters, bits: int, domain: int) -> np.ndarray:
        return permute(np.asarray(counters), bits, domain_keys(self.seed, domain)).astype(np.int64)

    def mobile(self, counters) -> np.ndarray:
        p = self._perm(counters, 26, 101)
        return np.char.add(_MOBILE[p % len(_MOBILE)], np.char.zfill(p.astype(str), 8))

    def landline(self, counters) -> np.ndarray:
        p = self._perm(counters, 20, 102)
        return np.char.add("0371-6", np.char.zfill((p % 10_000_000).astype(str), 7))

    def bank_account(self, counters) -> np.ndarray:
        p = self._perm(counters, 36, 103)
        body = _BINS[p % len(_BINS)] * 10**12 + p
        return np.char.add(body.astype(str), luhn_digit(body, 18).astype(str))

    def email(self, counters) -> np.ndarray:
        p = self._perm(counters, 32, 104)
        qq = np.char.add(np.char.add((10_000_000 + p % 2_000_000_000).astype(str), "@"), "qq.com")
        letters = [_LATIN[(p >> (5 * k)) % 26] for k in range(6)]
        local = letters[0]
        for part in letters[1:5]:
            local = np.char.add(local, part)
        named = np.char.add(np.char.add(np.char.add(local, (p % 997).astype(str)), "@"), _MAIL[p % len(_MAIL)])
        return np.where(p % 3 == 0, qq, named)

    def phone_device(self, counters) -> np.ndarray:
        return hex_text(self._perm(counters, 64, 105).astype(np.uint64))

    def home_address(self, counters, region: np.ndarray) -> np.ndarray:
        """Residential addresses: road, number, compound, building, unit, room."""
        p = self._perm(counters, 32, 106)
        parts = self._region_prefix(region)
        road = np.array(ROAD_STEMS)[p % len(ROAD_STEMS)]
        compound = np.array(COMPOUND_STEMS)[(p >> 5) % len(COMPOUND_STEMS)]
        suffix = np.array(["小区", "花园", "家园", "苑"])[(p >> 10) % 4]
        number = 1 + (p >> 12) % 300
        building = 1 + (p >> 3) % 28
        room = (1 + (p >> 7) % 30) * 100 + 1 + (p >> 17) % 4
        unit = 1 + (p >> 20) % 4
        text = np.char.add(parts, road)
        for piece in ("路", number.astype(str), "号", compound, suffix, building.astype(str), "号楼",
                      unit.astype(str), "单元", room.astype(str)):
            text = np.char.add(text, piece)
        return text

    @staticmethod
    def _region_prefix(region: np.ndarray) -> np.ndarray:
        table = np.array([r.province + (r.city if r.city != r.province else "") + r.district for r in REGIONS])
        return table[region]
