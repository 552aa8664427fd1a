"""Households: who lives with whom, their ages, sexes and surnames.

Households are built first because so much honest look-alike behaviour
hangs on them: members share an address and often a phone, elderly couples
visit doctors together, grown children manage their parents' e-vouchers.
Members of a household are contiguous, so chunked generation never splits one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Households", "build_households", "HEAD", "SPOUSE", "CHILD", "ELDER"]

HEAD, SPOUSE, CHILD, ELDER = 0, 1, 2, 3

# (roles, head age range, weight). Weights give about 18% of persons living
# alone, close to China's 2020 census share of one-person households.
_TEMPLATES: tuple[tuple[tuple[int, ...], tuple[int, int], float], ...] = (
    ((HEAD,), (20, 44), 0.150),
    ((HEAD,), (45, 64), 0.090),
    ((HEAD,), (65, 93), 0.130),
    ((HEAD, SPOUSE), (24, 44), 0.070),
    ((HEAD, SPOUSE), (45, 64), 0.085),
    ((HEAD, SPOUSE), (60, 90), 0.115),
    ((HEAD, SPOUSE, CHILD), (26, 50), 0.140),
    ((HEAD, SPOUSE, CHILD, CHILD), (28, 50), 0.085),
    ((HEAD, SPOUSE, CHILD, ELDER), (30, 50), 0.060),
    ((HEAD, SPOUSE, CHILD, ELDER, ELDER), (30, 50), 0.075),
)
#: template index of elderly couples living on their own
ELDERLY_COUPLE_TEMPLATE = 5
SINGLE_YOUNG_TEMPLATE = 0


@dataclass(frozen=True)
class Households:
    """Per-person arrays plus per-household start offsets."""

    household: np.ndarray     # household index of each person
    template: np.ndarray      # template index of each household
    start: np.ndarray         # first person of each household
    size: np.ndarray          # members of each household
    role: np.ndarray          # HEAD / SPOUSE / CHILD / ELDER
    age: np.ndarray           # whole years at the window start
    male: np.ndarray
    surname: np.ndarray       # index into the surname pool
    spouse: np.ndarray        # person index of the spouse, or -1

    @property
    def n_persons(self) -> int:
        return len(self.household)


def build_households(persons: int, rng: np.random.Generator, surname_draw, shared_share: float) -> Households:
    """Draw households until ``persons`` people exist (the last one is cut).

    One-person households are weighted so that ``shared_share`` of persons
    live with someone (the rest of the template mix stays as given).
    """
    roles_of = [t[0] for t in _TEMPLATES]
    weights = np.array([t[2] for t in _TEMPLATES])
    sizes_of = np.array([len(r) for r in roles_of])
    single = sizes_of == 1
    multi_persons = float(weights[~single] @ sizes_of[~single])
    weights[single] *= (1 - shared_share) / shared_share * multi_persons / weights[single].sum()
    mean_size = float((weights / weights.sum()) @ sizes_of)
    n_households = int(persons / mean_size * 1.1) + 8
    template = rng.choice(len(_TEMPLATES), size=n_households, p=weights / weights.sum())
    size = sizes_of[template]
    end = np.cumsum(size)
    n_households = int(np.searchsorted(end, persons) + 1)
    template, size = template[:n_households], size[:n_households].copy()
    size[-1] -= int(size.sum() - persons)
    start = np.concatenate(([0], np.cumsum(size)[:-1]))
    household = np.repeat(np.arange(n_households), size)
    slot = np.arange(persons) - start[household]
    role_table = np.full((len(_TEMPLATES), 5), -1)
    for i, roles in enumerate(roles_of):
        role_table[i, : len(roles)] = roles
    role = role_table[template[household], slot]

    low = np.array([t[1][0] for t in _TEMPLATES])[template]
    high = np.array([t[1][1] for t in _TEMPLATES])[template]
    head_age = rng.integers(low, high + 1)[household]
    age = head_age.copy()
    is_spouse, is_child, is_elder = role == SPOUSE, role == CHILD, role == ELDER
    age[is_spouse] += np.rint(rng.normal(-2, 3, is_spouse.sum())).astype(int)
    age[is_child] -= rng.integers(22, 37, is_child.sum())
    age[is_elder] += rng.integers(24, 35, is_elder.sum())
    age = np.clip(age, 0, 101)

    head_male_p = np.where(template[household] == 2, 0.45, 0.8)
    head_male = (rng.random(n_households) < head_male_p[start])[household]
    male = np.where(role == HEAD, head_male, ~head_male)
    male[is_child] = rng.random(is_child.sum()) < 0.51
    first_elder = is_elder & (np.concatenate(([False], is_elder[:-1])) == False)  # noqa: E712
    male[is_elder] = first_elder[is_elder]

    own = surname_draw(rng, persons)
    head_surname = own[start][household]
    surname = np.where((role == CHILD) | ((role == ELDER) & male), head_surname, own)

    spouse = np.full(persons, -1)
    pair_head = np.flatnonzero((role == SPOUSE))
    spouse[pair_head] = pair_head - 1
    spouse[pair_head - 1] = pair_head
    second_elder = np.flatnonzero(is_elder & ~first_elder)
    spouse[second_elder] = second_elder - 1
    spouse[second_elder - 1] = second_elder
    return Households(household, template, start, size, role, age, male, surname, spouse)
