"""Opaque identifiers and valid identity numbers, built vectorised.

Why a keyed permutation: ids must not betray anything about how the data was
made (which rows are a household, which claims a ring added). Each id is a
counter pushed through a Feistel network keyed by the seed, so ids are
unique, reproducible per seed, and carry no order. Rings draw their counters
from the top half of the same domain, so a ring's ids look like anyone's.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "permute",
    "domain_keys",
    "digits_text",
    "prefixed_ids",
    "id_card_numbers",
    "id_card_check",
    "luhn_digit",
    "hex_text",
]

_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)


def _mix(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> _S33)
    x = x * _M1
    x = x ^ (x >> _S33)
    x = x * _M2
    return x ^ (x >> _S33)


def domain_keys(seed: int, domain: int, rounds: int = 4) -> np.ndarray:
    """Round keys of one id domain (persons, claims, ...) for one seed."""
    rng = np.random.default_rng([seed, 7919, domain])
    return rng.integers(0, 2**63, size=rounds, dtype=np.uint64)


def permute(counters: np.ndarray, bits: int, keys: np.ndarray) -> np.ndarray:
    """A keyed bijection of ``[0, 2**bits)`` onto itself (``bits`` even).

    >>> keys = domain_keys(0, 1)
    >>> out = permute(np.arange(16), 4, keys)
    >>> sorted(out.tolist()) == list(range(16))
    True
    """
    if bits % 2 or not 2 <= bits <= 64:
        raise ValueError(f"bits must be even and in [2, 64], got {bits}")
    half = np.uint64(bits // 2)
    mask = np.uint64((1 << (bits // 2)) - 1)
    x = np.asarray(counters).astype(np.uint64)
    left, right = (x >> half) & mask, x & mask
    for key in keys:
        left, right = right, left ^ (_mix(right ^ np.uint64(key)) & mask)
    return (left << half) | right


def digits_text(values: np.ndarray, width: int) -> pa.Array:
    """Non-negative integers as zero-padded decimal strings."""
    text = pc.cast(pa.array(np.asarray(values).astype(np.int64)), pa.string())
    return pc.utf8_lpad(text, width, "0")


def prefixed_ids(counters: np.ndarray, prefix: str, bits: int, keys: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + the permuted counter in ``width`` digits."""
    return pc.binary_join_element_wise(prefix, digits_text(permute(counters, bits, keys), width), "")


_HEX4 = np.array([f"{i:04x}" for i in range(1 << 16)])


def hex_text(values: np.ndarray) -> np.ndarray:
    """64-bit values as 16 lower-case hex digits (device ids look like this)."""
    v = np.asarray(values).astype(np.uint64)
    parts = [_HEX4[((v >> np.uint64(s)) & np.uint64(0xFFFF)).astype(np.int64)] for s in (48, 32, 16, 0)]
    return np.char.add(np.char.add(parts[0], parts[1]), np.char.add(parts[2], parts[3]))


_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.array(list("10X98765432"))


def id_card_check(first17: np.ndarray) -> np.ndarray:
    """GB 11643 check characters for 17-digit integers.

    >>> id_card_check(np.array([11010519491231002])).tolist()
    ['X']
    """
    x = np.asarray(first17).astype(np.int64)
    total = np.zeros(x.shape, dtype=np.int64)
    for weight in _ID_WEIGHTS[::-1]:
        total += (x % 10) * weight
        x //= 10
    return _ID_CHECK[total % 11]


def id_card_numbers(region: np.ndarray, birth: np.ndarray, male: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Unique 18-character ID numbers consistent with birth date and sex.

    ``region`` holds 6-digit codes as integers, ``birth`` datetime64[D]
    dates. The sequence digits are odd for men and even for women, as the
    standard requires; duplicates are redrawn so every number is unique.
    """
    ymd = np.datetime_as_string(birth.astype("datetime64[D]")).astype("U10")
    ymd_int = np.char.replace(ymd, "-", "").astype(np.int64)
    base = region.astype(np.int64) * 10**11 + ymd_int * 1000
    seq = rng.integers(0, 500, size=len(base)) * 2 + male.astype(np.int64)
    first17 = base + seq
    for _ in range(50):
        _, first, counts = np.unique(first17, return_index=True, return_counts=True)
        dup = np.ones(len(first17), dtype=bool)
        dup[first] = False
        if not dup.any():
            break
        seq[dup] = rng.integers(0, 500, size=int(dup.sum())) * 2 + male[dup].astype(np.int64)
        first17 = base + seq
    checks = id_card_check(first17)
    return np.char.add(first17.astype("U17"), checks)


def luhn_digit(body: np.ndarray, length: int) -> np.ndarray:
    """Luhn check digit for integers of ``length`` digits (bank cards)."""
    x = np.asarray(body).astype(np.int64)
    total = np.zeros(x.shape, dtype=np.int64)
    for position in range(length):
        d = x % 10
        x //= 10
        if position % 2 == 0:
            d = d * 2
            d = np.where(d > 9, d - 9, d)
        total += d
    return (10 - total % 10) % 10
