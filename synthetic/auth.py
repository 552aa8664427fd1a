"""How each honest claim's identity was checked, and by which device.

Cards and faces are read by the facility's terminal, shared by every
patient there; e-vouchers are shown on a phone: the person's own, a family
member's, a grown child's, or the tablet of a nursing home, village clinic
or family-doctor team. Claims that already carry an auth method (rings,
home visits) keep it.
"""

from __future__ import annotations

import numpy as np

from ringscope.synthetic.claims import CARD, DAY, E_VOUCHER, ClaimBatch
from ringscope.synthetic.providers import CLASSES
from ringscope.synthetic.sampling import choose_by_group
from ringscope.synthetic.world import World

__all__ = ["assign_auth", "terminal_of"]

# class -> shares of card, e_voucher, face, other
_SHARES = {
    "pharmacy": (0.45, 0.45, 0.08, 0.02), "dtp": (0.5, 0.4, 0.08, 0.02), "away_pharmacy": (0.4, 0.5, 0.08, 0.02),
    "tertiary": (0.38, 0.4, 0.17, 0.05), "away_hospital": (0.35, 0.45, 0.15, 0.05),
    "village": (0.2, 0.8, 0.0, 0.0), "nursing": (0.1, 0.9, 0.0, 0.0),
}
_DEFAULT = (0.5, 0.4, 0.05, 0.05)
_TABLE = np.array([_SHARES.get(c, _DEFAULT) for c in CLASSES])
_TABLET_CLASS = np.array([c in ("village", "nursing") for c in CLASSES])


def terminal_of(world: World, facility: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    p = world.providers
    return p.terminal_start[facility] + (rng.random(len(facility)) * p.terminal_count[facility]).astype(np.int64)


def assign_auth(world: World, claims: ClaimBatch, rng: np.random.Generator) -> None:
    """Fill ``auth`` and ``device`` where they are still -1 (in place)."""
    need = np.flatnonzero(claims.auth < 0)
    person, facility = claims.person[need], claims.facility[need]
    d = world.devices
    class_index = np.array([CLASSES.index(c) for c in world.providers.cls])
    auth = choose_by_group(class_index[facility], _TABLE, rng).astype(np.int8)
    presenter = d.presenter[person]
    own = presenter == d.phone_of[person]
    switched = own & (d.second_phone[person] >= 0) & (claims.settled[need] // DAY >= d.switch_day[person])
    presenter = np.where(switched, d.second_phone[person], presenter)
    # a nursing home's tablet stays in the home: elsewhere residents show a card
    owner = np.where(presenter >= 0, d.facility[np.maximum(presenter, 0)], -1)
    presenter = np.where((owner >= 0) & (owner != facility), -1, presenter)
    managed = (presenter >= 0) & ~own
    auth = np.where(managed & (rng.random(len(need)) < 0.8), E_VOUCHER, auth)
    auth = np.where((auth == E_VOUCHER) & (presenter < 0) & ~_TABLET_CLASS[class_index[facility]], CARD,
                    auth).astype(np.int8)
    # village and nursing-home clinics scan every e-voucher on their one tablet
    own_tablet = _TABLET_CLASS[class_index[facility]]
    device = np.where((auth == E_VOUCHER) & ~own_tablet, presenter, terminal_of(world, facility, rng))
    claims.auth[need] = auth
    claims.device[need] = device
