"""Resident identity card numbers (居民身份证号码, GB 11643-1999).

Why here: a wrong check character is the cheapest sign of a typed or invented
card number, and the 15-digit cards issued before 1999 must become their
18-digit form before two records of one person can meet on the same value.
"""

from __future__ import annotations

import re

__all__ = ["check_character", "is_valid_id_card", "to_18_digits"]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"
_EIGHTEEN = re.compile(r"^\d{17}[\dX]$")
_FIFTEEN = re.compile(r"^\d{15}$")


def check_character(first_17: str) -> str:
    """The check character of an 18-digit card, from its first 17 digits.

    Parameters
    ----------
    first_17 : str
        The 17 leading digits (region, birth date, sequence).

    Returns
    -------
    str
        One of ``0``-``9`` or ``X`` (ISO 7064 MOD 11-2).

    Examples
    --------
    >>> check_character("11010519491231002")
    'X'
    """
    if len(first_17) != 17 or not first_17.isdigit():
        raise ValueError(f"need 17 digits, got {first_17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first_17, _WEIGHTS))
    return _CHECK_CHARACTERS[total % 11]


def to_18_digits(card: str) -> str:
    """Upper-case the check character and convert a 15-digit card to 18 digits.

    Anything else is returned unchanged, for validation to reject by name.

    Examples
    --------
    >>> to_18_digits("110105491231002")
    '11010519491231002X'
    >>> to_18_digits("11010519491231002x")
    '11010519491231002X'
    """
    card = card.strip().upper()
    if _FIFTEEN.match(card):
        # 15-digit cards carry a two-digit year; all were issued to people born in the 1900s.
        first_17 = card[:6] + "19" + card[6:]
        return first_17 + check_character(first_17)
    return card


def is_valid_id_card(card: str) -> bool:
    """True when ``card`` has 18 characters and the right check character.

    Examples
    --------
    >>> is_valid_id_card("11010519491231002X")
    True
    >>> is_valid_id_card("110105194912310021")
    False
    """
    return bool(_EIGHTEEN.match(card)) and check_character(card[:17]) == card[17]
