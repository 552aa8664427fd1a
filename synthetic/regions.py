"""Real administrative region codes (GB/T 2260) the synthetic extract uses.

The extract is one prefecture's (郑州市, 410100) with its districts and
counties; persons who moved in keep a code of the prefecture or province they
are insured in, and people travel to hospitals in other provinces. "Far" in
the data is what a detector can see from the codes themselves: a different
prefecture (first four digits) or a different province (first two).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Region", "REGIONS", "HOME_CITY_CODE", "RegionTable", "region_table"]

#: The prefecture's own pool (市本级), where most employees are insured.
HOME_CITY_CODE = "410100"


@dataclass(frozen=True)
class Region:
    code: str
    province: str
    city: str
    district: str
    #: "home" (a district of the prefecture), "province" (elsewhere in 河南)
    #: or "far" (another province)
    zone: str
    #: relative population, for where people live and are insured
    weight: float
    #: rural counties have township health centres and village clinics
    rural: bool = False


REGIONS: tuple[Region, ...] = (
    Region("410102", "河南省", "郑州市", "中原区", "home", 9.0),
    Region("410103", "河南省", "郑州市", "二七区", "home", 8.0),
    Region("410104", "河南省", "郑州市", "管城回族区", "home", 7.0),
    Region("410105", "河南省", "郑州市", "金水区", "home", 12.0),
    Region("410106", "河南省", "郑州市", "上街区", "home", 1.5),
    Region("410108", "河南省", "郑州市", "惠济区", "home", 3.0),
    Region("410122", "河南省", "郑州市", "中牟县", "home", 8.0, rural=True),
    Region("410181", "河南省", "郑州市", "巩义市", "home", 7.0, rural=True),
    Region("410182", "河南省", "郑州市", "荥阳市", "home", 6.0, rural=True),
    Region("410183", "河南省", "郑州市", "新密市", "home", 7.0, rural=True),
    Region("410184", "河南省", "郑州市", "新郑市", "home", 7.0, rural=True),
    Region("410185", "河南省", "郑州市", "登封市", "home", 6.5, rural=True),
    Region("410202", "河南省", "开封市", "龙亭区", "province", 1.0),
    Region("410305", "河南省", "洛阳市", "涧西区", "province", 1.0),
    Region("410502", "河南省", "安阳市", "文峰区", "province", 0.6),
    Region("410702", "河南省", "新乡市", "红旗区", "province", 0.8),
    Region("411102", "河南省", "漯河市", "源汇区", "province", 0.5),
    Region("411302", "河南省", "南阳市", "宛城区", "province", 1.0),
    Region("411402", "河南省", "商丘市", "梁园区", "province", 1.0),
    Region("411502", "河南省", "信阳市", "浉河区", "province", 0.8),
    Region("411602", "河南省", "周口市", "川汇区", "province", 1.2),
    Region("411722", "河南省", "驻马店市", "上蔡县", "province", 0.8, rural=True),
    Region("110105", "北京市", "北京市", "朝阳区", "far", 1.0),
    Region("110108", "北京市", "北京市", "海淀区", "far", 0.8),
    Region("310115", "上海市", "上海市", "浦东新区", "far", 1.0),
    Region("420106", "湖北省", "武汉市", "武昌区", "far", 0.6),
    Region("440106", "广东省", "广州市", "天河区", "far", 0.8),
    Region("440304", "广东省", "深圳市", "福田区", "far", 0.8),
    Region("610113", "陕西省", "西安市", "雁塔区", "far", 0.5),
    Region("330106", "浙江省", "杭州市", "西湖区", "far", 0.5),
    Region("510107", "四川省", "成都市", "武侯区", "far", 0.4),
    Region("370102", "山东省", "济南市", "历下区", "far", 0.4),
)


@dataclass(frozen=True)
class RegionTable:
    """``REGIONS`` as arrays, for vectorised sampling by index."""

    codes: np.ndarray
    zone: np.ndarray
    weight: np.ndarray
    rural: np.ndarray

    def indices(self, zone: str) -> np.ndarray:
        return np.flatnonzero(self.zone == zone)

    def probabilities(self, zone: str) -> np.ndarray:
        w = self.weight[self.indices(zone)]
        return w / w.sum()


def region_table() -> RegionTable:
    return RegionTable(
        codes=np.array([r.code for r in REGIONS]),
        zone=np.array([r.zone for r in REGIONS]),
        weight=np.array([r.weight for r in REGIONS]),
        rural=np.array([r.rural for r in REGIONS]),
    )
