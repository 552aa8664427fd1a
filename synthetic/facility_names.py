"""Names and addresses of facilities, in the forms Chinese registries use.

Names are built from generic stems (no real private hospital or pharmacy
chain is named), so a planted ring never points at a real business.
"""

from __future__ import annotations

import numpy as np

from ringscope.synthetic.names import COMPOUND_STEMS, ROAD_STEMS
from ringscope.synthetic.regions import REGIONS

__all__ = ["facility_name", "street_address"]

_TERTIARY = ("郑州市第一人民医院", "郑州市第二人民医院", "郑州市中医院", "郑州市第三人民医院",
             "郑州市第六人民医院", "郑州市第七人民医院", "郑州市第九人民医院", "郑州市第十五人民医院")
_PRIVATE = ("仁和", "康宁", "博爱", "华康", "益民", "仁爱", "济民", "明德", "安康", "福康",
            "瑞康", "泰和", "惠民", "德济", "新华", "长康", "永安", "同心")
_TOWNS = ("城关", "龙湖", "新店", "大隗", "观音寺", "和庄", "八千", "孟庄", "刘寨", "姚家",
          "官渡", "白沙", "广武", "崔庙", "米村", "大冶", "白坪", "告成", "君召", "米河")
_VILLAGES = ("张庄", "李寨", "王村", "东沟", "西营", "南岗", "北岭", "刘湾", "马屯", "赵楼",
             "前进", "后河", "槐树", "杨庄", "孙寨", "周岗")
_CHAINS = ("仁心大药房", "百姓康大药房", "福寿堂药店", "益康大药房", "济世堂大药房",
           "惠民大药房", "康佳药店", "同仁堂医药超市", "天和大药房", "福瑞大药房")


def _short(district: str) -> str:
    return district[:2]


def facility_name(kind: str, region: int, serial: int, rng: np.random.Generator) -> str:
    """A plausible name for facility number ``serial`` of ``kind``."""
    r = REGIONS[region]
    road = ROAD_STEMS[rng.integers(len(ROAD_STEMS))]
    if kind == "tertiary":
        return _TERTIARY[serial % len(_TERTIARY)] + ("" if serial < len(_TERTIARY) else f"{serial}院区")
    if kind == "county":
        return f"{r.district}{'人民医院' if serial % 3 else '中医院'}"
    if kind == "private":
        return f"{_short(r.district)}{_PRIVATE[rng.integers(len(_PRIVATE))]}医院"
    if kind == "rehab":
        return f"{_short(r.district)}{_PRIVATE[rng.integers(len(_PRIVATE))]}康复医院"
    if kind == "community":
        return f"{r.district}{road}路社区卫生服务中心"
    if kind == "township":
        return f"{r.district}{_TOWNS[rng.integers(len(_TOWNS))]}镇卫生院"
    if kind == "village":
        return f"{_TOWNS[rng.integers(len(_TOWNS))]}镇{_VILLAGES[rng.integers(len(_VILLAGES))]}村卫生室"
    if kind == "nursing":
        return f"{r.district}{COMPOUND_STEMS[rng.integers(len(COMPOUND_STEMS))]}养老院医务室"
    if kind == "pharmacy":
        return f"{_CHAINS[rng.integers(len(_CHAINS))]}（{road}路店）"
    if kind == "dtp":
        return f"{_CHAINS[serial % len(_CHAINS)]}DTP专业药房（{road}路店）"
    if kind == "away_hospital":
        return f"{r.city}{'中心医院' if r.zone == 'province' else r.district + '第一医院'}"
    if kind == "away_pharmacy":
        return f"{_CHAINS[rng.integers(len(_CHAINS))]}（{r.city}{r.district}店）"
    raise ValueError(f"unknown facility kind {kind!r}")


def street_address(region: int, rng: np.random.Generator) -> str:
    r = REGIONS[region]
    city = r.city if r.city != r.province else ""
    road = ROAD_STEMS[rng.integers(len(ROAD_STEMS))]
    return f"{r.province}{city}{r.district}{road}路{int(rng.integers(1, 400))}号"
