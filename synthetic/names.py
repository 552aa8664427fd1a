"""Chinese names and addresses from pools built once, sampled with numpy.

Faker (``zh_CN``) supplies the surname frequencies and given names; calling
it per person would take minutes at a million persons, so its lists are read
once and every draw after that is a numpy index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from faker.providers.person.zh_CN import Provider as _Person

__all__ = ["NamePools", "name_pools", "ROAD_STEMS", "COMPOUND_STEMS"]

ROAD_STEMS: tuple[str, ...] = (
    "建设", "文化", "人民", "解放", "中原", "农业", "花园", "嵩山", "桐柏", "大学",
    "航海", "陇海", "商都", "黄河", "东风", "南阳", "未来", "经三", "纬五", "工人",
    "伏牛", "淮河", "长江", "金水", "丰产", "政七", "优胜", "同乐", "民主", "康复",
)
COMPOUND_STEMS: tuple[str, ...] = (
    "幸福", "阳光", "锦绣", "金色", "翠竹", "和谐", "美景", "绿城", "书香", "怡园",
    "盛世", "东方", "丽水", "康桥", "百合", "银河", "紫荆", "凤凰", "湖光", "名门",
)


@dataclass(frozen=True)
class NamePools:
    surnames: np.ndarray
    surname_p: np.ndarray
    male: np.ndarray
    female: np.ndarray

    def surname(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(len(self.surnames), size=n, p=self.surname_p)

    def given(self, rng: np.random.Generator, male: np.ndarray) -> np.ndarray:
        """Given names: a pool name, or two single characters joined."""
        n = len(male)
        out = np.empty(n, dtype=object)
        for flag, pool in ((True, self.male), (False, self.female)):
            idx = np.flatnonzero(male == flag)
            singles = pool[np.char.str_len(pool.astype(str)) == 1]
            whole = pool[rng.integers(0, len(pool), len(idx))]
            pair = np.char.add(singles[rng.integers(0, len(singles), len(idx))].astype(str),
                               singles[rng.integers(0, len(singles), len(idx))].astype(str))
            out[idx] = np.where(rng.random(len(idx)) < 0.45, pair, whole.astype(str))
        return out.astype(str)


def name_pools() -> NamePools:
    """Faker's zh_CN lists; surnames keep Faker's frequency weights."""
    surnames = np.array(list(_Person.last_names.keys()))
    weights = np.array(list(_Person.last_names.values()), dtype=float)
    return NamePools(
        surnames=surnames,
        surname_p=weights / weights.sum(),
        male=np.array(sorted(set(_Person.first_names_male))),
        female=np.array(sorted(set(_Person.first_names_female))),
    )
