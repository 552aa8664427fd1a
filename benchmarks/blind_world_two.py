#!/usr/bin/env python
"""A second blind world for ringscope: an independent synthetic 医保 extract with planted fraud rings.

Why it exists
-------------
ringscope's detectors were tuned on worlds from its own generator and on one earlier independent
generator. This script is a second world from different hands, written *blind*: only from
``shared/design.md`` and ``shared/data-contract.md`` (and the shape of the earlier generator's unit
test), without reading ringscope's generator, detectors or the first blind world. It has its own
setting (a 成都-like Sichuan prefecture, 5101xx districts, nearby prefectures 德阳/眉山/资阳/绵阳/雅安 and a
few far regions), its own 18-month window (2023-07-01 to 2024-12-31), its own id formats, rhythms and
honest traps, so that measuring the detector on it says something about data it was not tuned for.

Run it from the repository root::

    .venv/bin/python benchmarks/blind_world_two.py --out DIR --seed 7 --persons 100000
    .venv/bin/python benchmarks/blind_world_two.py --out DIR_CLEAN --seed 7 --persons 100000 --no-rings

It writes persons, facilities, practitioners, claims, claim_items, identifiers, purchases and labels
(``ring_id,typology,entity_type,entity_id,role``) as CSV. ``--no-rings`` gives the same world (same
persons in the same order, facilities, honest claims and honest traps); only the rings are left out and
labels.csv holds just its header. The rings draw from their own random stream, so adding them never
changes the honest world.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

START_DAY = np.datetime64("2023-07-01", "D")
NDAYS = 550                      # 2023-07-01 .. 2024-12-31
MIN_PER_DAY = 1440
NEVER = 10 ** 7                  # a day index beyond the window

# --------------------------------------------------------------------------------------------------
# regions: code, name, zone, population weight (for the insured population of the prefecture)
REGIONS = [
    ("510104", "锦江区", "urban", 9), ("510105", "青羊区", "urban", 9), ("510106", "金牛区", "urban", 11),
    ("510107", "武侯区", "urban", 11), ("510108", "成华区", "urban", 10), ("510112", "龙泉驿区", "suburb", 7),
    ("510113", "青白江区", "suburb", 3), ("510114", "新都区", "suburb", 7), ("510115", "温江区", "suburb", 5),
    ("510116", "双流区", "suburb", 8), ("510117", "郫都区", "suburb", 6), ("510118", "新津区", "suburb", 2),
    ("510121", "金堂县", "rural", 4), ("510129", "大邑县", "rural", 3), ("510131", "蒲江县", "rural", 2),
    ("510181", "都江堰市", "rural", 4), ("510182", "彭州市", "rural", 4), ("510183", "邛崃市", "rural", 3),
    ("510184", "崇州市", "rural", 4), ("510185", "简阳市", "rural", 6),
    ("510603", "德阳市旌阳区", "near", 3), ("511402", "眉山市东坡区", "near", 2), ("512002", "资阳市雁江区", "near", 1),
    ("510703", "绵阳市涪城区", "near", 1), ("511802", "雅安市雨城区", "near", 1),
    ("500103", "重庆市渝中区", "far", 1), ("440106", "广州市天河区", "far", 1), ("440305", "深圳市南山区", "far", 1),
    ("310115", "上海市浦东新区", "far", 1), ("110105", "北京市朝阳区", "far", 1), ("330106", "杭州市西湖区", "far", 1),
    ("460203", "三亚市吉阳区", "far", 0),
]
R_CODE = np.array([r[0] for r in REGIONS])
R_NAME = np.array([r[1] for r in REGIONS])
R_ZONE = np.array([r[2] for r in REGIONS])
R_W = np.array([r[3] for r in REGIONS], float)
NREG = len(REGIONS)
CD = np.where(np.isin(R_ZONE, ["urban", "suburb", "rural"]))[0]
URBAN = np.where(R_ZONE == "urban")[0]
NEAR = np.where(R_ZONE == "near")[0]
FAR = np.where(R_ZONE == "far")[0]
SANYA = int(np.where(R_CODE == "460203")[0][0])
R_CITY = NREG                     # pseudo region: every 成都 facility of a category
R_PREFIX = {"urban": "四川省成都市", "suburb": "四川省成都市", "rural": "四川省成都市", "near": "四川省"}

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
                "任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严向汤敬蒲母")
SUR_W = np.r_[np.linspace(6, 1.5, 30), np.linspace(1.5, 0.3, len(SURNAMES) - 30)]
GIVEN_M = list("伟强军勇杰涛斌磊超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋建国志兵春成庆红文德福贵全")
GIVEN_F = list("芳娜敏静丽艳娟霞秀英梅琳燕玲婷雪慧莉萍红蓉倩颖佳琴瑶雯欣怡悦珊淑兰凤桂玉翠素")
STREETS = list("春熙路 红星路 人民南路 蜀都大道 建设路 一环路 二环路 天府大道 府河路 光华大道 锦华路 星辉路 "
               "驿都大道 桂湖路 柳城大道 棠湖路 望丛路 文化路 东大街 南大街 西大街 北大街 滨江路 新华大道".split())
COMPOUNDS = list("锦绣花园 翠苑小区 蓝光小区 金沙苑 芙蓉苑 龙湖小区 银杏苑 桂花园 万科城 保利花园 金色家园 "
                 "枫林苑 幸福里 梧桐苑 望江苑 天府新苑 和平小区 水井坊小区 玉林小区 南苑".split())
VILLAGES = list("石桥村 柏木村 双河村 青龙村 白鹤村 金马村 桂林村 永安村 杨柳村 新华村 高桥村 红旗村".split())


# ----------------------------------------------------------------------------------------------- helpers
def scramble(i, bits, salt=0):
    """A bijection of 0..2**bits-1 that looks random: distinct inputs give distinct outputs."""
    m = np.uint64((1 << bits) - 1)
    x = np.asarray(i, dtype=np.int64).astype(np.uint64) & m
    for k, a in enumerate((0x9E3779B97F4A7C15, 0xD1B54A32D192ED03, 0xBF58476D1CE4E5B9)):
        x = (x * np.uint64(a | 1) + np.uint64((salt * 7919 + k * 104729) & 0xFFFFFFFF)) & m
        x ^= x >> np.uint64(bits // 2 + 1)
    return x.astype(np.int64)


def zpad(x, width):
    return pd.Series(np.asarray(x, dtype=np.int64)).astype(str).str.zfill(width).to_numpy(dtype=object)


def hashu(*arrs):
    """Deterministic per-key uniform in [0,1) from integer keys (no randomness consumed)."""
    h = np.zeros(len(arrs[0]), dtype=np.uint64)
    for k, a in enumerate(arrs):
        h ^= (np.asarray(a).astype(np.int64).astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15 + k)) * \
             np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(31)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(29)
    return (h >> np.uint64(11)).astype(np.float64) / float(2 ** 53)


class Pool:
    """Groups of values by an integer key, for vectorised 'pick one of the group' draws."""

    def __init__(self, keys, values):
        keys = np.asarray(keys, np.int64)
        o = np.argsort(keys, kind="stable")
        self.vals = np.asarray(values)[o]
        sk = keys[o]
        self.uk, self.start, self.cnt = np.unique(sk, return_index=True, return_counts=True)

    def count(self, k):
        k = np.asarray(k, np.int64)
        if len(self.uk) == 0:
            return np.zeros(len(k), int), np.zeros(len(k), int)
        i = np.minimum(np.searchsorted(self.uk, k), len(self.uk) - 1)
        ok = self.uk[i] == k
        return np.where(ok, self.start[i], 0), np.where(ok, self.cnt[i], 0)

    def pick(self, k, u):
        s, c = self.count(k)
        j = s + np.minimum((np.asarray(u) * c).astype(np.int64), np.maximum(c - 1, 0))
        out = self.vals[np.minimum(j, len(self.vals) - 1)] if len(self.vals) else np.zeros(len(s), int)
        return np.where(c > 0, out, -1)


def id_checksum(body17):
    """18th character of a 居民身份证号码 from the first 17 digits (int64 array)."""
    w = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    s = np.zeros(len(body17), np.int64)
    x = body17.copy()
    for k in range(16, -1, -1):
        s += (x % 10) * w[k]
        x //= 10
    return np.array(list("10X98765432"))[s % 11]


def make_id_cards(region_codes, birth_days, female, serial):
    births = (START_DAY + birth_days.astype("timedelta64[D]")).astype("datetime64[D]")
    ymd = pd.Series(births).dt.strftime("%Y%m%d").astype(np.int64).to_numpy()
    seq = (serial % 490) * 2 + np.where(female, 2, 1)             # 3 digits, odd for men, even for women
    body = region_codes.astype(np.int64) * 10 ** 11 + ymd * 1000 + seq
    return zpad(body, 17) + id_checksum(body)


def names(rng, n, female):
    sur = np.array(SURNAMES)[rng.choice(len(SURNAMES), n, p=SUR_W / SUR_W.sum())]
    gm, gf = np.array(GIVEN_M), np.array(GIVEN_F)
    g1 = np.where(female, gf[rng.integers(0, len(gf), n)], gm[rng.integers(0, len(gm), n)])
    g2 = np.where(female, gf[rng.integers(0, len(gf), n)], gm[rng.integers(0, len(gm), n)])
    two = rng.random(n) < 0.72
    return pd.Series(sur).str.cat(pd.Series(g1)).str.cat(pd.Series(np.where(two, g2, ""))).to_numpy(dtype=object)


def day_str(days):
    return (START_DAY + np.asarray(days, np.int64).astype("timedelta64[D]")).astype(str).astype(object)


def min_str(mins):
    t = np.datetime64("2023-07-01T00:00", "m") + np.asarray(mins, np.int64).astype("timedelta64[m]")
    return np.char.add(t.astype(str), ":00").astype(object)


B32 = np.array(list("0123456789ABCDEFGHJKMNPQRSTVWXYZ"))


def base32(x, width):
    x = np.asarray(x, np.int64)
    cols = [B32[(x >> (5 * k)) & 31] for k in range(width - 1, -1, -1)]
    return np.array(["".join(t) for t in zip(*cols)], dtype=object)


# ------------------------------------------------------------------------------------------- population
HH_TYPES = {  # name: (probability, slots: (relation, sex, age offset lo, hi from head age, probability))
    "single": (0.16, [("head", "R", 0, 0, 1.0)]),
    "young_couple": (0.11, [("head", "M", 0, 0, 1.0), ("spouse", "F", -5, 2, 1.0)]),
    "family": (0.24, [("head", "M", 0, 0, 1.0), ("spouse", "F", -5, 2, 1.0), ("child", "R", -36, -23, 1.0),
                      ("child", "R", -40, -27, 0.35)]),
    "three_gen": (0.14, [("head", "M", 0, 0, 1.0), ("spouse", "F", -5, 2, 1.0), ("child", "R", -36, -24, 0.8),
                         ("elder", "M", 24, 32, 0.55), ("elder", "F", 22, 30, 0.9)]),
    "elderly_couple": (0.19, [("head", "M", 0, 0, 1.0), ("spouse", "F", -6, 1, 1.0)]),
    "elderly_single": (0.10, [("head", "F", 0, 0, 1.0)]),
    "left_behind": (0.06, [("head", "M", 0, 0, 0.8), ("spouse", "F", -5, 1, 1.0), ("grandchild", "R", -62, -52, 1.0),
                           ("migrant", "R", -34, -24, 1.0), ("migrant", "R", -34, -24, 0.6)]),
}
HEAD_AGE = {"single": (19, 62), "young_couple": (24, 38), "family": (30, 52), "three_gen": (33, 56),
            "elderly_couple": (62, 90), "elderly_single": (66, 96), "left_behind": (58, 78)}
CHRONIC = ["htn", "dm", "chd", "hlp", "copd", "hbv", "bph", "hf", "thy"]


def build_population(rng, P):
    n_h = int(P / 2.3) + 30
    names_t = list(HH_TYPES)
    p = np.array([HH_TYPES[t][0] for t in names_t])
    htype = rng.choice(len(names_t), n_h, p=p / p.sum())
    head_age = np.zeros(n_h)
    for k, t in enumerate(names_t):
        m = htype == k
        lo, hi = HEAD_AGE[t]
        head_age[m] = rng.uniform(lo, hi, m.sum())
    # where each household lives: 成都 districts by weight, some in nearby prefectures
    w = np.where(np.isin(np.arange(NREG), CD), R_W, 0.0)
    hreg = rng.choice(NREG, n_h, p=w / w.sum())
    near = rng.random(n_h) < 0.07
    wn = R_W[NEAR] / R_W[NEAR].sum()
    hreg[near] = NEAR[rng.choice(len(NEAR), near.sum(), p=wn)]
    rows = []
    for k, t in enumerate(names_t):
        hh = np.where(htype == k)[0]
        for slot, (rel, sex, lo, hi, pr) in enumerate(HH_TYPES[t][1]):
            keep = hh[rng.random(len(hh)) < pr]
            age = head_age[keep] + rng.uniform(lo, hi, len(keep))
            if sex == "R":
                fem = rng.random(len(keep)) < (0.62 if t == "elderly_single" else 0.49)
            else:
                fem = np.full(len(keep), sex == "F")
            if t == "elderly_single":
                fem = rng.random(len(keep)) < 0.66
            rows.append(pd.DataFrame({"hh": keep, "slot": slot, "rel": rel, "age": np.clip(age, 0.1, 101),
                                      "female": fem}))
    pop = pd.concat(rows, ignore_index=True).sort_values(["hh", "slot"], kind="stable").reset_index(drop=True)
    pop = pop.iloc[:P].copy()
    pop["htype"] = np.array(names_t)[htype[pop.hh.to_numpy()]]
    pop["home"] = hreg[pop.hh.to_numpy()]
    n = len(pop)
    age = pop.age.to_numpy()
    zone = R_ZONE[pop.home.to_numpy()]
    # insurance: employees among working adults and retirees, residents elsewhere
    pe = np.where(age < 18, 0.0, np.where(age < 60, np.where(zone == "rural", 0.38, 0.68),
                                          np.where(zone == "rural", 0.18, 0.52)))
    pop["employee"] = rng.random(n) < pe
    ins = pop.home.to_numpy().copy()
    res = pop.home.to_numpy().copy()
    # migrant workers of left-behind families: insured at home, living and working far away
    mig = (pop.rel == "migrant").to_numpy()
    res[mig] = FAR[rng.choice(len(FAR) - 1, mig.sum())]   # not 三亚
    pop.loc[mig, "employee"] = rng.random(mig.sum()) < 0.3
    # people insured far away (or nearby) who live in 成都 (异地就医 every time they see a doctor)
    hh_away = rng.random(n_h) < 0.025
    away = hh_away[pop.hh.to_numpy()] & np.isin(pop.home.to_numpy(), CD) & ~mig
    far_ins = np.r_[FAR[:-1], NEAR]
    ins[away] = far_ins[(hashu(pop.hh.to_numpy()[away], np.full(away.sum(), 7)) * len(far_ins)).astype(int)]
    pop["ins_region"] = ins
    pop["res"] = res
    # births: age at window start
    birth_day = -(age * 365.25).astype(np.int64) - rng.integers(0, 2, n)
    pop["birth_day"] = birth_day
    # deaths during the window
    q = np.clip(0.00035 * np.exp(0.09 * (age - 30)), 0.0002, 0.35)
    die = rng.random(n) < 1 - (1 - q) ** 1.5
    pop["death_day"] = np.where(die, rng.integers(5, NDAYS - 3, n), NEVER)
    pop["in_hosp_death"] = die & (rng.random(n) < 0.45)
    # movers: the whole household moves once, on one day
    hmove = rng.random(n_h) < 0.025
    mday = rng.integers(60, NDAYS - 60, n_h)
    dest = np.where(rng.random(n_h) < 0.6, CD[rng.integers(0, len(CD), n_h)],
                    np.where(rng.random(n_h) < 0.6, NEAR[rng.integers(0, len(NEAR), n_h)],
                             FAR[rng.integers(0, len(FAR) - 1, n_h)]))
    hhv = pop.hh.to_numpy()
    pop["move_day"] = np.where(hmove[hhv] & ~mig, mday[hhv], NEVER)
    pop["res_after"] = np.where(hmove[hhv] & ~mig, dest[hhv], res)
    # winter birds: elderly 成都 couples spending December to February in 三亚
    pop["winter"] = ((pop.htype.to_numpy() == "elderly_couple") & (rng.random(n_h) < 0.05)[hhv]
                     & np.isin(res, URBAN))
    # chronic conditions
    a = age
    prev = {"htn": np.clip((a - 30) / 55, 0, 0.62), "dm": np.clip((a - 30) / 120, 0, 0.24),
            "chd": np.clip((a - 45) / 160, 0, 0.2), "hlp": np.clip((a - 35) / 150, 0, 0.22),
            "copd": np.clip((a - 50) / 300, 0, 0.11), "hbv": np.where(a > 20, 0.025, 0.002),
            "bph": np.where(pop.female, 0, np.clip((a - 55) / 150, 0, 0.22)), "hf": np.clip((a - 65) / 400, 0, 0.06),
            "thy": np.where(pop.female, np.clip((a - 25) / 500, 0, 0.06), 0.005)}
    for c in CHRONIC:
        pop[c] = rng.random(n) < prev[c]
    pop["n_chronic"] = pop[CHRONIC].sum(axis=1)
    # specialised, costly honest patients
    pop["dialysis"] = (rng.random(n) < np.where(a > 35, 0.0016, 0.0002))
    pop["cancer"] = (rng.random(n) < np.clip((a - 35) / 5000, 0, 0.009))
    pop["biologic"] = (rng.random(n) < np.where((a > 12) & (a < 70), 0.0012, 0.0))
    pop["stroke_rehab"] = (rng.random(n) < np.clip((a - 50) / 4000, 0, 0.008))
    # identities
    female = pop.female.to_numpy()
    pop["person_id"] = "SC" + pd.Series(base32(scramble(np.arange(n), 40, 11), 8))
    pop["name"] = names(rng, n, female)
    birth_reg = np.where(rng.random(n) < 0.8, R_CODE[ins].astype(np.int64),
                         R_CODE[CD[rng.integers(0, len(CD), n)]].astype(np.int64))
    serial = scramble(np.arange(n), 20, 5)
    cards = make_id_cards(birth_reg, birth_day, female, serial)
    for k in range(1, 20):                      # rare clashes (same place, birthday, sex, serial): redraw
        dup = pd.Series(cards).duplicated(keep="first").to_numpy()
        if not dup.any():
            break
        cards[dup] = make_id_cards(birth_reg[dup], birth_day[dup], female[dup], serial[dup] + 37 * k)
    pop["id_card"] = cards
    return pop.reset_index(drop=True), n_h


# ------------------------------------------------------------------------------------------- facilities
TER, SEC, PRIVH, CHC, VIL, PCL, DIAL, REHAB, NHC, PHA, CHAIN, DTP, ADJ = range(13)
NCAT = 13
DEPTS = ["全科", "心血管内科", "呼吸与危重症医学科", "内分泌科", "消化内科", "神经内科", "肾内科", "肿瘤科", "血液科",
         "风湿免疫科", "皮肤科", "骨科", "普外科", "妇产科", "儿科", "眼科", "耳鼻咽喉科", "急诊科", "康复医学科",
         "中医科", "感染科", "老年医学科", "血液透析室", "药剂科", "药房"]
DEP = {d: k for k, d in enumerate(DEPTS)}
NDEPT = len(DEPTS)
TER_DEPT_W = np.array([0, 8, 8, 6, 6, 6, 4, 6, 3, 3, 3, 8, 8, 7, 7, 4, 4, 6, 3, 4, 2, 4, 2, 0, 0], float)
SEC_DEPT_W = np.array([6, 6, 6, 3, 4, 3, 1, 1, 0, 0, 1, 6, 6, 5, 5, 2, 2, 5, 2, 4, 1, 2, 1, 0, 0], float)
TER_NAMES = ["锦城大学附属华西医院", "天府省人民医院", "锦城市第一人民医院", "锦城市第二人民医院", "锦城市第三人民医院",
             "锦城市中西医结合医院", "锦城市妇女儿童中心医院", "锦城市第五人民医院", "锦城市肿瘤医院", "天府省骨科医院",
             "锦城市第七人民医院", "锦城医学院第一附属医院"]
PRIV_KINDS = ["康复骨科医院", "仁和医院", "博爱医院", "华康中医医院", "肛肠医院", "明目眼科医院", "和美妇产医院",
              "长寿老年病医院", "安康中西医结合医院", "同心医院"]
CHAINS = ["本草堂医药连锁", "天府健民大药房连锁", "芙蓉医药连锁", "蜀康大药房连锁"]
PHARM_WORDS = ["益民", "康泰", "百草", "仁心", "济世", "德仁", "安生", "福寿", "惠民", "长青", "杏林", "同仁"]


def build_facilities(rng, P, pop):
    s = P / 100000
    n_homes = max(1, round(P / 12000))
    rows = []

    def add(cat, reg, name, kind, level, own, beds=None, chain=-1, parent=-1):
        rows.append(dict(cat=cat, reg=reg, name=name, kind=kind, level=level, ownership=own, beds=beds,
                         chain=chain, parent=parent))
        return len(rows) - 1

    popw = np.bincount(pop.res.to_numpy(), minlength=NREG).astype(float)
    cdw = popw[CD] / popw[CD].sum()

    def alloc(total, minimum=1, where=CD, weights=None):
        w = cdw if weights is None else weights
        k = max(minimum, int(round(total)))
        return where[rng.choice(len(where), k, p=w)]

    n_ter = max(2, round(6 * s))
    ter_regs = np.r_[URBAN, CD[[9, 5]]][np.arange(n_ter) % 7]
    ters = [add(TER, r, TER_NAMES[k % len(TER_NAMES)] + ("" if k < len(TER_NAMES) else f"{k // 12 + 1}院区"),
                "hospital", "tertiary", "public", int(rng.integers(1200, 4300))) for k, r in enumerate(ter_regs)]
    ters.append(add(TER, URBAN[2], "锦城上锦国际医院", "hospital", "tertiary", "private", int(rng.integers(600, 1200))))
    for k, r in enumerate(alloc(9 * s, 2)):
        suffix = ["人民医院", "中医医院", "妇幼保健院", "第二人民医院", "中西医结合医院"][k % 5]
        add(SEC, r, R_NAME[r] + suffix, "hospital", "secondary", "public", int(rng.integers(250, 900)))
    for k, r in enumerate(alloc(10 * s, 2)):
        add(PRIVH, r, R_NAME[r] + PRIV_KINDS[k % len(PRIV_KINDS)], "hospital",
            "secondary" if rng.random() < 0.4 else "primary", "private", int(rng.integers(50, 320)))
    add(REHAB, URBAN[3], "锦城市康复医院", "hospital", "secondary", "public", 260)
    if s >= 0.5:
        add(REHAB, CD[9], "双流颐康康复医院", "hospital", "primary", "private", 120)
    for k in range(max(1, round(2 * s))):
        add(DIAL, URBAN[k % 5], ["锦城肾康血液透析中心", "天府优透血液透析中心", "蜀都血液净化中心"][k % 3], "clinic", "",
            "private")
    for k, r in enumerate(alloc(22 * s, 3)):
        if R_ZONE[r] == "rural" or (R_ZONE[r] == "suburb" and k % 2):
            add(CHC, r, R_NAME[r] + ["安德", "石羊", "永宁", "三星", "观音", "白沙"][k % 6] + "镇卫生院", "hospital", "primary",
                "public", int(rng.integers(20, 80)))
        else:
            add(CHC, r, R_NAME[r] + STREETS[k % len(STREETS)] + "社区卫生服务中心", "clinic", "primary", "public")
    rural = np.where(np.isin(R_ZONE[CD], ["rural", "suburb"]))[0]
    wr = cdw[rural] / cdw[rural].sum()
    for k, r in enumerate(alloc(32 * s, 2, CD[rural], wr)):
        add(VIL, r, R_NAME[r] + VILLAGES[k % len(VILLAGES)] + "卫生室", "clinic", "primary", "public")
    for k, r in enumerate(alloc(38 * s, 3)):
        sur = SURNAMES[k % 40]
        add(PCL, r, R_NAME[r] + (f"{sur}氏诊所" if k % 3 else f"{sur}济堂中医诊所" if k % 2 else "康宁门诊部"),
            "clinic", "", "private")
    for k in range(n_homes):
        r = np.r_[URBAN, CD[5:10]][k % 10]
        add(NHC, r, R_NAME[r] + ["福寿", "康乐", "夕阳红", "松鹤", "颐和"][k % 5] + "颐养院医务室", "clinic", "", "private")
    # pharmacies: chains of several stores, independents, DTP pharmacies beside tertiary hospitals,
    # and pharmacies next to a secondary hospital that fill its doctors' prescriptions
    n_chain = max(1, min(4, round(3 * s + 0.5)))
    for c in range(n_chain):
        for k, r in enumerate(alloc(max(3, 9 * s))):
            add(CHAIN, r, f"{CHAINS[c]}{R_NAME[r]}{k + 1}分店", "pharmacy", "", "private", chain=c)
    for k, r in enumerate(alloc(36 * s, 3)):
        add(PHA, r, R_NAME[r] + PHARM_WORDS[k % 12] + ["大药房", "药店", "医药超市"][k % 3], "pharmacy", "", "private")
    for k, h in enumerate(ters[:max(1, round(4 * s))]):
        add(DTP, rows[h]["reg"], f"{CHAINS[k % n_chain]}DTP专业药房（{rows[h]['name']}店）", "pharmacy", "", "private",
            chain=k % n_chain, parent=h)
    secs = [i for i, r in enumerate(rows) if r["cat"] == SEC]
    for k, h in enumerate(secs[:max(1, round(4 * s))]):
        add(ADJ, rows[h]["reg"], f"{rows[h]['name'][:-2]}旁康泰大药房", "pharmacy", "", "private", parent=h)
    # nearby prefectures and far regions: enough places for people who live or travel there
    for r in NEAR:
        add(TER if r == NEAR[0] else SEC, r, R_NAME[r][:3] + ("市人民医院" if r == NEAR[0] else "人民医院"), "hospital",
            "tertiary" if r == NEAR[0] else "secondary", "public", int(rng.integers(500, 2000)))
        add(SEC, r, R_NAME[r] + "中医医院", "hospital", "secondary", "public", int(rng.integers(200, 600)))
        add(CHC, r, R_NAME[r] + "城北社区卫生服务中心", "clinic", "primary", "public")
        add(PCL, r, R_NAME[r] + "康民诊所", "clinic", "", "private")
        for k in range(2 + (r == NEAR[0])):
            add(PHA, r, R_NAME[r] + PHARM_WORDS[(k + r) % 12] + "大药房", "pharmacy", "", "private")
    for r in FAR:
        add(TER, r, R_NAME[r][:R_NAME[r].index("市") + 1] + R_NAME[r][R_NAME[r].index("市") + 1:-1] + "中心医院",
            "hospital", "tertiary", "public", int(rng.integers(1000, 3000)))
        add(PCL, r, R_NAME[r] + "社区门诊部", "clinic", "", "private")
        add(PHA, r, R_NAME[r] + "老百姓大药房", "pharmacy", "", "private")
        add(PHA, r, R_NAME[r] + "国大药房", "pharmacy", "", "private")
    fac = pd.DataFrame(rows)
    n = len(fac)
    ser = scramble(np.arange(n), 17, 23) % 100000
    prefix = np.where(fac.kind == "pharmacy", "P", "H")
    fac["facility_id"] = prefix + R_CODE[fac.reg.to_numpy()] + zpad(ser, 5)
    street = np.array(STREETS)[rng.integers(0, len(STREETS), n)]
    fac["address"] = [f"{'四川省成都市' if R_ZONE[r] in ('urban', 'suburb', 'rural') else '四川省' if R_ZONE[r] == 'near' else ''}"
                      f"{R_NAME[r]}{st}{no}号" for r, st, no in zip(fac.reg, street, rng.integers(1, 900, n))]
    fac["region_code"] = R_CODE[fac.reg.to_numpy()]
    fac["terminals"] = np.select([fac.cat == TER, fac.cat.isin([SEC, REHAB]), fac.cat.isin([PRIVH, CHC, DIAL])],
                                 [16, 6, 3], 1) + (fac.kind == "pharmacy") * rng.integers(0, 2, n)
    # how busy a place is (relative pull among its peers)
    fac["pull"] = np.where(fac.cat == TER, fac.beds.fillna(0) / 1500, rng.lognormal(0, 0.5, n))
    return fac


def build_practitioners(rng, fac, P):
    s = P / 100000
    fcat = fac.cat.to_numpy()
    zone = R_ZONE[fac.reg.to_numpy()]
    main = np.isin(zone, ["urban", "suburb", "rural"])
    ndoc = np.select([fcat == TER, fcat == SEC, fcat == PRIVH, fcat == CHC, fcat == VIL, fcat == PCL, fcat == DIAL,
                      fcat == REHAB, fcat == NHC],
                     [np.maximum(12, (70 * s * fac.pull.clip(0.5, 3)).astype(int)), max(6, round(22 * s)),
                      max(3, round(9 * s)), max(3, round(7 * s)), 1, 1, 3, max(4, round(9 * s)), 1], 0)
    ndoc = np.where(main, ndoc, np.maximum(2, ndoc // 4)) + (rng.random(len(fac)) < 0.3) * (fcat == VIL)
    nph = np.where(fac.kind == "pharmacy", rng.integers(1, 4, len(fac)),
                   np.where(np.isin(fcat, [TER, SEC]), 3, np.where(np.isin(fcat, [PRIVH, CHC, REHAB]), 1, 0)))
    f_doc = np.repeat(np.arange(len(fac)), ndoc)
    f_ph = np.repeat(np.arange(len(fac)), nph)
    dept = np.zeros(len(f_doc), int)
    c = fcat[f_doc]
    for cat, w in ((TER, TER_DEPT_W), (SEC, SEC_DEPT_W)):
        m = c == cat
        dept[m] = rng.choice(NDEPT, m.sum(), p=w / w.sum())
    # every tertiary hospital has the departments its heavy users need
    first = np.r_[0, np.cumsum(ndoc)[:-1]]
    for f in np.where(fcat == TER)[0]:
        dept[first[f]:first[f] + 6] = [DEP["肿瘤科"], DEP["皮肤科"], DEP["风湿免疫科"], DEP["肾内科"], DEP["内分泌科"],
                                       DEP["血液透析室"]]
    pri = np.isin(c, [PRIVH])
    dept[pri] = rng.choice([DEP["骨科"], DEP["康复医学科"], DEP["中医科"], DEP["全科"], DEP["普外科"]], pri.sum())
    dept[c == DIAL] = DEP["血液透析室"]
    dept[c == REHAB] = np.where(rng.random((c == REHAB).sum()) < 0.7, DEP["康复医学科"], DEP["中医科"])
    dept[np.isin(c, [CHC, VIL, PCL, NHC])] = DEP["全科"]
    pcl = c == PCL
    dept[pcl] = np.where(rng.random(pcl.sum()) < 0.3, DEP["中医科"], DEP["全科"])
    pr = pd.DataFrame({"fac": np.r_[f_doc, f_ph], "doctor": np.r_[np.ones(len(f_doc), bool), np.zeros(len(f_ph), bool)],
                       "dept": np.r_[dept, np.where(fac.kind.to_numpy()[f_ph] == "pharmacy", DEP["药房"], DEP["药剂科"])]})
    n = len(pr)
    ser = scramble(np.arange(n), 17, 41) % 100000
    reg = fac.reg.to_numpy()[pr.fac.to_numpy()]
    pr["practitioner_id"] = np.where(pr.doctor, "D", "Y") + R_CODE[reg] + zpad(ser, 5)
    pr["role"] = np.where(pr.doctor, "doctor", "pharmacist")
    female = rng.random(n) < 0.52
    pr["name"] = names(rng, n, female)
    pr["facility_id"] = fac.facility_id.to_numpy()[pr.fac.to_numpy()]
    pr["department"] = np.array(DEPTS)[pr.dept.to_numpy()]
    bday = -(rng.uniform(26, 62, n) * 365.25).astype(np.int64)
    pr["id_card"] = make_id_cards(R_CODE[reg].astype(np.int64), bday, female, scramble(np.arange(n), 20, 99) + 491)
    return pr


# ------------------------------------------------------------------------------------------ catalogue
# name, type, unit price (yuan per pack / session / piece), group, days one pack lasts (drugs), ATC-ish stem
CATALOGUE = [
    # chronic drugs
    ("苯磺酸氨氯地平片 5mg*28片", "drug", 14.6, "htn", 28, "C08CA"), ("硝苯地平控释片 30mg*12片", "drug", 31.2, "htn", 12, "C08CA"),
    ("厄贝沙坦片 0.15g*28片", "drug", 19.8, "htn", 28, "C09CA"), ("缬沙坦胶囊 80mg*28粒", "drug", 24.5, "htn", 28, "C09CA"),
    ("琥珀酸美托洛尔缓释片 47.5mg*28片", "drug", 26.9, "htn", 28, "C07AB"),
    ("盐酸二甲双胍片 0.5g*60片", "drug", 11.8, "dm", 20, "A10BA"), ("阿卡波糖片 50mg*30片", "drug", 35.4, "dm", 10, "A10BF"),
    ("格列美脲片 2mg*30片", "drug", 24.0, "dm", 30, "A10BB"), ("达格列净片 10mg*14片", "drug", 61.6, "dm", 14, "A10BK"),
    ("磷酸西格列汀片 100mg*14片", "drug", 49.9, "dm", 14, "A10BH"), ("甘精胰岛素注射液 3ml:300单位", "drug", 76.5, "dm_ins", 15, "A10AE"),
    ("阿司匹林肠溶片 100mg*30片", "drug", 12.6, "chd", 30, "B01AC"), ("硫酸氢氯吡格雷片 75mg*28片", "drug", 26.8, "chd", 28, "B01AC"),
    ("阿托伐他汀钙片 20mg*28片", "drug", 19.5, "hlp", 28, "C10AA"), ("瑞舒伐他汀钙片 10mg*28片", "drug", 17.9, "hlp", 28, "C10AA"),
    ("替格瑞洛片 90mg*14片", "drug", 88.0, "chd", 7, "B01AC"), ("单硝酸异山梨酯缓释片 40mg*24片", "drug", 22.4, "chd", 24, "C01DA"),
    ("布地奈德福莫特罗吸入粉雾剂 160/4.5μg*60吸", "drug", 198.0, "copd", 30, "R03AK"),
    ("噻托溴铵粉雾剂 18μg*30粒", "drug", 152.0, "copd", 30, "R03BB"), ("恩替卡韦片 0.5mg*28片", "drug", 18.6, "hbv", 28, "J05AF"),
    ("富马酸丙酚替诺福韦片 25mg*30片", "drug", 26.3, "hbv", 30, "J05AF"), ("盐酸坦索罗辛缓释胶囊 0.2mg*30粒", "drug", 42.0, "bph", 30, "G04CA"),
    ("非那雄胺片 5mg*30片", "drug", 39.5, "bph", 30, "G04CB"), ("沙库巴曲缬沙坦钠片 100mg*28片", "drug", 129.0, "hf", 14, "C09DX"),
    ("左甲状腺素钠片 50μg*100片", "drug", 23.0, "thy", 100, "H03AA"),
    # specialty (DTP / oncology / biologics / dialysis)
    ("甲磺酸奥希替尼片 80mg*30片", "drug", 4950.0, "onc", 30, "L01EB"), ("吉非替尼片 0.25g*10片", "drug", 547.0, "onc", 10, "L01EB"),
    ("来那度胺胶囊 25mg*21粒", "drug", 1180.0, "onc", 28, "L04AX"), ("甲磺酸伊马替尼片 0.1g*60片", "drug", 610.0, "onc", 15, "L01EA"),
    ("信迪利单抗注射液 10ml:100mg", "drug", 1080.0, "onc_inf", 21, "L01FF"), ("注射用紫杉醇（白蛋白结合型） 100mg", "drug", 780.0, "onc_inf", 21, "L01CD"),
    ("阿达木单抗注射液 40mg/0.4ml", "drug", 1150.0, "bio", 14, "L04AB"), ("司库奇尤单抗注射液 150mg/1ml", "drug", 1188.0, "bio", 28, "L04AC"),
    ("度普利尤单抗注射液 300mg/2ml", "drug", 3160.0, "bio", 14, "D11AH"), ("司美格鲁肽注射液 1.34mg/ml*1.5ml", "drug", 404.0, "dm_glp", 28, "A10BJ"),
    ("重组人促红素注射液 10000IU", "drug", 148.0, "dial", 7, "B03XA"), ("蔗糖铁注射液 5ml:100mg", "drug", 79.0, "dial", 14, "B03AC"),
    ("人血白蛋白 10g", "drug", 395.0, "inp", 0, "B05AA"),
    ("注射用哌拉西林钠他唑巴坦钠 4.5g", "drug", 38.5, "inp", 0, "J01CR"), ("注射用奥美拉唑钠 40mg", "drug", 21.6, "inp", 0, "A02BC"),
    ("低分子肝素钙注射液 0.4ml:4100IU", "drug", 34.8, "inp", 0, "B01AB"), ("丹红注射液 10ml", "drug", 27.9, "inp", 0, "ZC05A"),
    ("Ⅰ级护理", "service", 38.0, "ward", 0, ""), ("动态心电图", "service", 180.0, "exam", 0, ""),
    # acute drugs
    ("阿莫西林胶囊 0.25g*24粒", "drug", 9.8, "resp", 0, "J01CA"), ("头孢克肟胶囊 0.1g*6粒", "drug", 24.6, "resp", 0, "J01DD"),
    ("阿奇霉素片 0.25g*6片", "drug", 17.5, "resp", 0, "J01FA"), ("左氧氟沙星片 0.5g*4片", "drug", 14.2, "resp", 0, "J01MA"),
    ("磷酸奥司他韦胶囊 75mg*10粒", "drug", 34.8, "flu", 0, "J05AH"), ("玛巴洛沙韦片 20mg*2片", "drug", 222.0, "flu", 0, "J05AX"),
    ("布洛芬缓释胶囊 0.3g*20粒", "drug", 15.5, "pain", 0, "M01AE"), ("对乙酰氨基酚片 0.5g*20片", "drug", 6.2, "resp", 0, "N02BE"),
    ("盐酸氨溴索口服溶液 100ml", "drug", 18.3, "resp", 0, "R05CB"), ("蒙脱石散 3g*10袋", "drug", 14.9, "gi", 0, "A07BC"),
    ("奥美拉唑肠溶胶囊 20mg*14粒", "drug", 15.1, "gi", 0, "A02BC"), ("铝碳酸镁咀嚼片 0.5g*20片", "drug", 19.6, "gi", 0, "A02AD"),
    ("塞来昔布胶囊 0.2g*6粒", "drug", 29.7, "pain", 0, "M01AH"), ("糠酸莫米松乳膏 5g:5mg", "drug", 21.0, "skin", 0, "D07AC"),
    ("左氧氟沙星滴眼液 5ml", "drug", 16.8, "eye", 0, "S01AE"), ("注射用头孢曲松钠 1g", "drug", 9.6, "iv", 0, "J01DD"),
    ("0.9%氯化钠注射液 250ml", "drug", 4.8, "iv", 0, "B05BB"),
    # Chinese patent medicines
    ("连花清瘟胶囊 0.35g*24粒", "drug", 21.8, "resp_tcm", 0, "ZA01A"), ("小儿豉翘清热颗粒 2g*6袋", "drug", 29.5, "ped_tcm", 0, "ZA01B"),
    ("藿香正气口服液 10ml*10支", "drug", 12.5, "gi", 0, "ZA03A"), ("云南白药气雾剂 85g+30g", "drug", 36.0, "pain", 0, "ZA12A"),
    ("复方丹参滴丸 27mg*180丸", "drug", 27.9, "chd_tcm", 30, "ZA06A"), ("安宫牛黄丸 3g*1丸", "drug", 468.0, "lux", 0, "ZA08A"),
    ("片仔癀 3g*1粒", "drug", 590.0, "lux", 0, "ZA09A"), ("百令胶囊 0.5g*42粒", "drug", 66.0, "lux", 0, "ZA15A"),
    # services
    ("普通门诊诊查费", "service", 10.0, "consult", 0, ""), ("副主任医师门诊诊查费", "service", 25.0, "consult", 0, ""),
    ("主任医师门诊诊查费", "service", 40.0, "consult", 0, ""), ("一般诊疗费", "service", 10.0, "consult", 0, ""),
    ("血细胞分析（血常规）", "service", 20.0, "lab", 0, ""), ("尿液分析", "service", 10.0, "lab", 0, ""),
    ("肝肾功能血脂血糖（生化全套）", "service", 168.0, "lab", 0, ""), ("糖化血红蛋白测定", "service", 58.0, "lab", 0, ""),
    ("甲型/乙型流感病毒抗原检测", "service", 64.0, "lab", 0, ""), ("常规心电图检查", "service", 25.0, "exam", 0, ""),
    ("胸部数字化X线摄影（DR）", "service", 78.0, "exam", 0, ""), ("胸部CT平扫", "service", 198.0, "exam", 0, ""),
    ("腰椎磁共振平扫", "service", 580.0, "exam", 0, ""), ("腹部彩色多普勒超声", "service", 148.0, "exam", 0, ""),
    ("静脉输液（第一组）", "service", 10.0, "care", 0, ""), ("清创缝合术", "service", 120.0, "care", 0, ""),
    ("血液透析", "service", 410.0, "dialysis", 0, ""), ("血液透析滤过", "service", 590.0, "dialysis", 0, ""),
    ("床位费（三人间）", "service", 45.0, "ward", 0, ""), ("Ⅱ级护理", "service", 22.0, "ward", 0, ""),
    ("住院诊查费", "service", 20.0, "ward", 0, ""), ("运动疗法", "service", 58.0, "rehab", 0, ""),
    ("普通针刺", "service", 30.0, "rehab", 0, ""), ("中频脉冲电治疗", "service", 20.0, "rehab", 0, ""),
    ("推拿治疗", "service", 50.0, "rehab", 0, ""), ("艾灸", "service", 22.0, "rehab", 0, ""), ("拔罐", "service", 15.0, "rehab", 0, ""),
    ("腹腔镜下胆囊切除术", "service", 2450.0, "surgery", 0, ""), ("阑尾切除术", "service", 1180.0, "surgery", 0, ""),
    ("白内障超声乳化摘除术+人工晶体植入术", "service", 2780.0, "surgery", 0, ""), ("人工全膝关节置换术", "service", 5900.0, "surgery", 0, ""),
    ("子宫下段剖宫产术", "service", 1480.0, "surgery", 0, ""), ("股骨颈骨折闭合复位内固定术", "service", 3200.0, "surgery", 0, ""),
    ("静脉化疗（日间）", "service", 150.0, "chemo", 0, ""), ("健康体检一般检查", "service", 30.0, "checkup", 0, ""),
    ("流感疫苗接种（四价）", "service", 128.0, "vaccine", 0, ""),
    # materials
    ("一次性使用输液器", "material", 3.2, "iv_mat", 0, ""), ("一次性使用血液透析器", "material", 148.0, "dialysis_mat", 0, ""),
    ("人工晶体（单焦点）", "material", 1450.0, "implant", 0, ""), ("膝关节假体（集采）", "material", 6980.0, "implant", 0, ""),
    ("一次性使用胰岛素注射笔针头", "material", 1.1, "dm_mat", 0, ""), ("医用外科敷料", "material", 8.5, "care_mat", 0, ""),
]
ITEMS = pd.DataFrame(CATALOGUE, columns=["name", "type", "price", "group", "days", "atc"])
NITEM = len(ITEMS)


def _item_codes():
    codes = []
    for i, r in ITEMS.iterrows():
        if r.type == "drug":
            lead = "Z" if r.atc.startswith("Z") else "X"
            codes.append(f"{lead}{r.atc}{chr(65 + i % 26)}{(i * 37) % 1000:03d}A{(i * 13) % 1000:03d}01010{(4401 + i * 73) % 10000:04d}")
        elif r.type == "service":
            codes.append(f"{(1102000010000 + i * 100010007) % 10 ** 15:015d}")
        else:
            codes.append(f"C{(2020316300000104480 + i * 7770000013) % 10 ** 19:019d}")
    return np.array(codes, dtype=object)


ITEMS["code"] = _item_codes()
IT = {n.split(" ")[0]: k for k, n in enumerate(ITEMS.name)}
I_PRICE = ITEMS.price.to_numpy()
I_DRUG = (ITEMS.type == "drug").to_numpy()
I_DAYS = ITEMS.days.to_numpy()
# a 7-digit 药品标识码 per drug, the leading part of its 20-digit 追溯码
I_TRACE_PREFIX = 8100000 + (np.arange(NITEM) * 104729) % 900000

CHRONIC_DRUGS = {"htn": ["苯磺酸氨氯地平片", "硝苯地平控释片", "厄贝沙坦片", "缬沙坦胶囊", "琥珀酸美托洛尔缓释片"],
                 "dm": ["盐酸二甲双胍片", "阿卡波糖片", "格列美脲片", "达格列净片", "磷酸西格列汀片", "甘精胰岛素注射液"],
                 "chd": ["阿司匹林肠溶片", "硫酸氢氯吡格雷片", "复方丹参滴丸", "替格瑞洛片", "单硝酸异山梨酯缓释片"],
                 "hlp": ["阿托伐他汀钙片", "瑞舒伐他汀钙片"], "copd": ["布地奈德福莫特罗吸入粉雾剂", "噻托溴铵粉雾剂"],
                 "hbv": ["恩替卡韦片", "富马酸丙酚替诺福韦片"], "bph": ["盐酸坦索罗辛缓释胶囊", "非那雄胺片"],
                 "hf": ["沙库巴曲缬沙坦钠片"], "thy": ["左甲状腺素钠片"]}
CHRONIC_ICD = {"htn": "I10", "dm": "E11.9", "chd": "I25.1", "hlp": "E78.5", "copd": "J44.9", "hbv": "B18.1",
               "bph": "N40", "hf": "I50.9", "thy": "E03.9"}
ICDS = ["I10", "E11.9", "I25.1", "E78.5", "J44.9", "B18.1", "N40", "I50.9", "E03.9",
        "J06.9", "J02.9", "J20.9", "J11.1", "J18.9", "K29.7", "K52.9", "A09", "K21.0", "M54.5", "M17.9", "M51.2",
        "M75.1", "L20.9", "L30.9", "H10.9", "J30.4", "N76.0", "S61.0", "S93.4", "T14.0", "Z09", "N18.5", "C34.9",
        "C50.9", "C18.9", "C90.0", "L40.0", "M05.9", "I69.3", "I63.9", "H25.9", "K80.2", "K35.8", "O82.0", "S72.0",
        "S06.0", "A05.9", "Z00.0", "Z23", "B08.4", "J44.1", "I21.9", "S82.2", "Z51.1", "E66.9", "R53"]
DX = {c: k for k, c in enumerate(ICDS)}


# ----------------------------------------------------------------------------- identifiers and ties
PHONE_HEAD = np.array(["135", "138", "139", "150", "158", "177", "181", "183", "189", "199"])
BANK_HEAD = np.array(["621700", "622848", "622202", "621483", "623668", "622908"])
FAC_ID_BASE = 1 << 24          # identifier numbers for facilities and institutions
RING_ID_BASE = 1 << 25         # identifier numbers the rings use (never clash with honest ones)


def phone_str(i):
    i = np.asarray(i, np.int64)
    return PHONE_HEAD[(hashu(i, np.full(len(i), 3)) * 10).astype(int)] + zpad(scramble(i, 26, 1), 8)


def device_str(i):
    x = scramble(np.asarray(i, np.int64), 40, 2)
    return "MB" + pd.Series(x).map(lambda v: f"{v:010X}").to_numpy(dtype=object)


def bank_str(i):
    i = np.asarray(i, np.int64)
    return BANK_HEAD[(hashu(i, np.full(len(i), 5)) * 6).astype(int)] + zpad(scramble(i, 36, 3), 11) + \
        zpad(i % 7 + 1, 1)


def email_str(i):
    x = scramble(np.asarray(i, np.int64), 33, 4) + 10 ** 8
    dom = np.array(["@qq.com", "@163.com", "@126.com", "@sina.com"])[np.asarray(i) % 4]
    return pd.Series(x).astype(str).to_numpy(dtype=object) + dom


def institutions(rng, pop, fac):
    """Nursing homes with their residents and carers, factory dormitories, and grown children who manage
    the e-vouchers of their parents and parents-in-law."""
    n = len(pop)
    age = pop.age.to_numpy()
    hh = pop.hh.to_numpy()
    htype = pop.htype.to_numpy()
    res = pop.res.to_numpy()
    pop["home_inst"] = -1           # nursing home (facility index of its clinic)
    pop["carer_of"] = -1
    pop["dorm"] = -1
    pop["manager"] = -1
    free = np.ones(n, bool)
    for f in np.where(fac.cat == NHC)[0]:
        cand = np.where(free & (htype == "elderly_single") & (age > 72) & np.isin(res, CD) &
                        (pop.move_day.to_numpy() == NEVER))[0]
        k = min(len(cand), int(rng.integers(25, 90)))
        members = rng.choice(cand, k, replace=False)
        pop.loc[members, "home_inst"] = f
        pop.loc[members, "res"] = fac.reg.iat[f]
        pop.loc[members, "res_after"] = fac.reg.iat[f]
        free[members] = False
        carers = np.where(free & (htype == "single") & (age > 28) & (age < 56))[0]
        c = rng.choice(carers, min(len(carers), int(rng.integers(2, 5))), replace=False)
        pop.loc[c, "carer_of"] = f
        free[c] = False
    ndorm = max(1, round(n / 25000))
    pop["dorm"] = -1
    for d in range(ndorm):
        cand = np.where(free & (htype == "single") & (age > 18) & (age < 46) & np.isin(res, CD[5:12]))[0]
        k = min(len(cand), int(rng.integers(30, 110)))
        members = rng.choice(cand, k, replace=False)
        pop.loc[members, "dorm"] = d
        pop.loc[members, "employee"] = True
        free[members] = False
    # grown children: one adult manages one or two elderly households (own parents, parents-in-law)
    eld_hh = np.unique(hh[np.isin(htype, ["elderly_couple", "elderly_single"]) & free & np.isin(res, CD)])
    eld_hh = eld_hh[rng.random(len(eld_hh)) < 0.38]
    rng.shuffle(eld_hh)
    adults = np.where(np.isin(htype, ["family", "young_couple", "three_gen"]) & (pop.slot.to_numpy() <= 1) &
                      (age > 26) & (age < 60) & np.isin(res, CD))[0]
    two = rng.random(len(eld_hh)) < 0.55
    groups = np.cumsum(np.r_[True, ~two[:-1] | (np.arange(1, len(eld_hh)) % 2 == 0)]) - 1
    mgr = rng.choice(adults, groups.max() + 1 if len(groups) else 0, replace=False)
    m_of_hh = dict(zip(eld_hh, mgr[groups]))
    mm = pd.Series(hh).map(m_of_hh)
    pop["manager"] = mm.fillna(-1).astype(int).to_numpy()
    return pop


def build_identifiers(rng, pop, fac, pr):
    n = len(pop)
    age = pop.age.to_numpy()
    hh = pop.hh.to_numpy()
    idx = np.arange(n)
    mgr = pop.manager.to_numpy()
    home = pop.home_inst.to_numpy()
    own_phone = (age >= 14) & ((age < 70) | (rng.random(n) < 0.5)) & (home < 0)
    # the first phone owner of each household answers for those without one
    owner = pd.Series(np.where(own_phone, idx, n + 1)).groupby(hh).transform("min").to_numpy()
    fam_phone = np.where(owner <= n, owner, -1)
    phone_of = np.where(mgr >= 0, mgr, np.where(own_phone, idx, fam_phone))
    rows = []

    def emit(owner_type, owner_id, kind, value, first=None, last=None):
        rows.append(pd.DataFrame({"owner_type": owner_type, "owner_id": owner_id, "kind": kind, "value": value,
                                  "first_seen": first if first is not None else "", "last_seen": last if last is not None else ""}))

    pid = pop.person_id.to_numpy()
    since = day_str(-rng.integers(60, 3000, n))
    m = phone_of >= 0
    emit("person", pid[m], "phone", phone_str(phone_of[m]), since[m])
    # managed elders often also keep their own old phone number
    m2 = (mgr >= 0) & own_phone & (rng.random(n) < 0.5)
    emit("person", pid[m2], "phone", phone_str(idx[m2]), since[m2])
    # e-voucher handsets: own phone, a parent's (children), the managing child's (elders)
    uses_ev = own_phone & (rng.random(n) < np.where(age < 60, 0.85, np.where(age < 75, 0.5, 0.3)))
    parent = pd.Series(np.where((pop.slot.to_numpy() <= 1) & uses_ev, idx, n + 1)).groupby(hh).transform("min").to_numpy()
    ev_dev = np.where(uses_ev, idx, -1)
    ev_dev = np.where((age < 14) & (parent <= n), parent, ev_dev)
    ev_dev = np.where(mgr >= 0, mgr, ev_dev)
    m = ev_dev >= 0
    emit("person", pid[m], "device", device_str(ev_dev[m]), day_str(-rng.integers(10, 900, m.sum())))
    # bank accounts: employees and retirees; some couples share one; managed elders sometimes use the child's
    has_bank = (age >= 18) & (rng.random(n) < np.where(pop.employee, 0.93, 0.45))
    spouse_head = pd.Series(np.where(pop.slot.to_numpy() == 0, idx, n + 1)).groupby(hh).transform("min").to_numpy()
    bank_of = np.where(has_bank, idx, -1)
    share = (pop.slot.to_numpy() == 1) & has_bank & (rng.random(n) < 0.15) & (spouse_head <= n)
    bank_of[share] = spouse_head[share]
    use_child = (mgr >= 0) & (rng.random(n) < 0.3)
    bank_of[use_child] = mgr[use_child]
    m = bank_of >= 0
    emit("person", pid[m], "bank_account", bank_str(bank_of[m]), since[m])
    m = (age > 18) & (age < 55) & (rng.random(n) < 0.25)
    emit("person", pid[m], "email", email_str(idx[m]), since[m])
    # addresses: household, nursing home, dormitory; movers get a second one
    nh = hh.max() + 1
    hreg = pop.groupby("hh").res.first().reindex(range(nh)).fillna(0).astype(int).to_numpy()
    street = np.array(STREETS)[rng.integers(0, len(STREETS), nh)]
    comp = np.array(COMPOUNDS)[rng.integers(0, len(COMPOUNDS), nh)]
    vil = np.array(VILLAGES)[rng.integers(0, len(VILLAGES), nh)]
    bld = pd.Series(rng.integers(1, 30, nh)).astype(str) + "栋" + pd.Series(rng.integers(1, 5, nh)).astype(str) + "单元" + \
        pd.Series(rng.integers(101, 3303, nh)).astype(str) + "号"
    zone = R_ZONE[hreg]
    prov = np.where(np.isin(zone, ["urban", "suburb", "rural"]), "四川省成都市", np.where(zone == "near", "四川省", ""))
    haddr = np.where(zone == "rural", prov + R_NAME[hreg] + vil + pd.Series(rng.integers(1, 12, nh)).astype(str) + "组" +
                     pd.Series(rng.integers(1, 80, nh)).astype(str) + "号",
                     prov + R_NAME[hreg] + street + pd.Series(rng.integers(1, 600, nh)).astype(str) + "号" + comp + bld)
    addr = haddr[hh].astype(object)
    inst_addr = fac.address.to_numpy()
    addr[home >= 0] = inst_addr[home[home >= 0]] + "（颐养院）"
    dorm = pop.dorm.to_numpy()
    dorm_addr = np.array([f"四川省成都市{R_NAME[CD[5 + d % 6]]}工业园区{d + 1}号厂区员工宿舍" for d in range(max(1, dorm.max() + 1))])
    addr[dorm >= 0] = dorm_addr[dorm[dorm >= 0]]
    mv = pop.move_day.to_numpy() < NEVER
    emit("person", pid, "address", addr, since, np.where(mv, day_str(np.minimum(pop.move_day.to_numpy(), NDAYS)), ""))
    ra = pop.res_after.to_numpy()[mv]
    new_addr = np.array(["四川省成都市" if R_ZONE[r] in ("urban", "suburb", "rural") else "四川省" if R_ZONE[r] == "near" else ""
                         for r in ra], dtype=object) + R_NAME[ra] + np.array(STREETS)[hh[mv] % len(STREETS)] + \
        zpad(hh[mv] % 500 + 1, 1) + "号新居" + zpad(hh[mv] % 20 + 1, 1) + "栋"
    emit("person", pid[mv], "address", new_addr, day_str(pop.move_day.to_numpy()[mv]))
    # nursing homes: the front desk phone and the carer's id card stand for the residents
    for f in np.where(fac.cat == NHC)[0]:
        resid = np.where(home == f)[0]
        carers = np.where(pop.carer_of.to_numpy() == f)[0]
        if len(resid) == 0:
            continue
        emit("person", pid[resid], "phone", phone_str(np.full(len(resid), FAC_ID_BASE + f)))
        if len(carers):
            c = carers[rng.integers(0, len(carers), len(resid))]
            emit("person", pid[resid], "proxy_id_card", pop.id_card.to_numpy()[c])
    m = (mgr >= 0) & (rng.random(n) < 0.4)
    emit("person", pid[m], "proxy_id_card", pop.id_card.to_numpy()[mgr[m]])
    # facilities and practitioners
    fid = fac.facility_id.to_numpy()
    nf = len(fac)
    emit("facility", fid, "address", fac.address.to_numpy())
    emit("facility", fid, "phone", phone_str(FAC_ID_BASE + np.arange(nf)))
    emit("facility", fid, "bank_account", bank_str(FAC_ID_BASE + np.arange(nf)))
    term = fac.terminals.to_numpy()
    tf = np.repeat(np.arange(nf), term)
    tk = np.arange(len(tf)) - np.repeat(np.r_[0, np.cumsum(term)[:-1]], term)
    emit("facility", fid[tf], "device", terminal_str(fid[tf], tk))
    npr = len(pr)
    prid = pr.practitioner_id.to_numpy()
    emit("practitioner", prid, "phone", phone_str(FAC_ID_BASE + nf + np.arange(npr)))
    mb = rng.random(npr) < 0.6
    emit("practitioner", prid[mb], "bank_account", bank_str(FAC_ID_BASE + nf + np.arange(npr)[mb]))
    ids = pd.concat(rows, ignore_index=True)
    pop["ev_dev"] = ev_dev
    return ids


def terminal_str(fid, k):
    return np.asarray(fid, dtype=object) + "-POS" + zpad(np.asarray(k) + 1, 2)


# ------------------------------------------------------------------------------------------ time rhythm
def _di(d):
    return int((np.datetime64(d, "D") - START_DAY).astype(np.int64))


DAYS = START_DAY + np.arange(NDAYS).astype("timedelta64[D]")
DOW = (DAYS.astype(np.int64) + 3) % 7                     # Monday = 0
SF = _di(np.datetime64("2024-02-10"))          # Spring Festival 2024
_d = np.arange(NDAYS)


def _bump(center, sd):
    return np.exp(-0.5 * ((_d - center) / sd) ** 2)


HOLIDAY = np.ones(NDAYS)
HOLIDAY[SF - 8:SF + 8] = 0.45
HOLIDAY[SF - 3:SF + 4] = 0.3
for a in (np.datetime64("2023-09-29"), np.datetime64("2024-10-01")):
    i = _di(a)
    HOLIDAY[i:i + 7] = 0.6
W_OUT = np.where(DOW < 5, 1.0, np.where(DOW == 5, 0.55, 0.4)) * HOLIDAY
W_PHARM = np.where(DOW >= 5, 1.25, 1.0) * np.sqrt(HOLIDAY) * (1 + 0.35 * _bump(SF - 14, 6))
FLU = 1 + 2.2 * _bump(_di(np.datetime64("2023-12-05")), 16) + \
    1.0 * _bump(_di(np.datetime64("2024-03-22")), 12) + \
    2.6 * _bump(_di(np.datetime64("2025-01-02")), 14) + \
    0.6 * _bump(_di(np.datetime64("2023-10-20")), 20)      # mycoplasma among children
SUMMER = 1 + 0.6 * _bump(_di(np.datetime64("2023-07-25")), 18) + \
    0.6 * _bump(_di(np.datetime64("2024-07-25")), 18)
WINTER = ((_d >= 153) & (_d <= 243)) | (_d >= 519)


def draw_days(rng, w, n):
    return rng.choice(NDAYS, n, p=w / w.sum()) if n else np.zeros(0, np.int64)


def tod_clinic(rng, n):
    """Minute of the day for a visit: a strong morning peak, a lunch lull, a flatter afternoon."""
    am = rng.random(n) < 0.68
    t = np.where(am, rng.normal(9.6 * 60, 55, n), rng.uniform(14 * 60, 17.5 * 60, n))
    return np.clip(t, 7.5 * 60, 21 * 60).astype(np.int64)


def tod_pharm(rng, n):
    r = rng.random(n)
    t = np.where(r < 0.38, rng.uniform(8.5 * 60, 12 * 60, n),
                 np.where(r < 0.55, rng.uniform(12 * 60, 17 * 60, n), rng.normal(19.2 * 60, 70, n)))
    return np.clip(t, 8 * 60, 22 * 60).astype(np.int64)


def tod_discharge(rng, n):
    return np.clip(rng.normal(10.5 * 60, 80, n), 8 * 60, 17.5 * 60).astype(np.int64)


# ---------------------------------------------------------------------------------------- claim book
AUTH = np.array(["card", "e_voucher", "face", "other"])
OUT, INP, PHARM = 0, 1, 2
VT = np.array(["outpatient", "inpatient", "pharmacy"])


class Book:
    """Claims and fee lines as column arrays, appended stream by stream."""

    def __init__(self):
        self.parts, self.lparts, self.n = [], [], 0

    def add(self, p, f, d, vt, t, dx, auth, dev, adm=None, dis=None, frate=np.nan, src=0):
        n = len(p)
        idx = np.arange(self.n, self.n + n)
        self.n += n
        full = lambda v, dt: np.broadcast_to(np.asarray(v, dt), (n,)).copy()
        self.parts.append({"p": full(p, np.int64), "f": full(f, np.int64), "d": full(d, np.int64),
                           "vt": full(vt, np.int8), "t": full(t, np.int64), "dx": full(dx, np.int16),
                           "auth": full(auth, np.int8), "dev": full(dev, np.int64),
                           "adm": full(-1 if adm is None else adm, np.int64),
                           "dis": full(-1 if dis is None else dis, np.int64), "frate": full(frate, np.float64),
                           "src": full(src, np.int16)})
        return idx

    def lines(self, c, item, qty, lp=-1):
        n = len(c)
        if n:
            self.lparts.append({"c": np.asarray(c, np.int64), "item": np.broadcast_to(np.asarray(item, np.int64), (n,)).copy(),
                                "qty": np.broadcast_to(np.asarray(qty, np.float64), (n,)).copy(),
                                "lp": np.broadcast_to(np.asarray(lp, np.int64), (n,)).copy()})

    def basket(self, rng, c, spec):
        """spec: list of (probability, [item names], min quantity, max quantity)."""
        for prob, opts, lo, hi in spec:
            m = rng.random(len(c)) < prob
            if not m.any():
                continue
            ids = np.array([IT[o] for o in opts])
            self.lines(c[m], ids[rng.integers(0, len(ids), m.sum())], rng.integers(lo, hi + 1, m.sum()))

    def frame(self):
        cl = {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}
        li = {k: np.concatenate([p[k] for p in self.lparts]) for k in self.lparts[0]}
        return pd.DataFrame(cl), pd.DataFrame(li)


def consult_items(fcat, rng):
    n = len(fcat)
    r = rng.random(n)
    return np.select([np.isin(fcat, [CHC, VIL, NHC]), fcat == TER],
                     [IT["一般诊疗费"], np.where(r < 0.6, IT["副主任医师门诊诊查费"], IT["主任医师门诊诊查费"])],
                     np.where(r < 0.75, IT["普通门诊诊查费"], IT["副主任医师门诊诊查费"]))


ACUTE = {  # group: (icd codes, probability by age band <15, 15-59, 60+, day weights, fee-line spec)
    "resp": (["J06.9", "J02.9", "J20.9", "J11.1", "J18.9"], (0.58, 0.36, 0.34), "flu",
             [(0.55, ["血细胞分析（血常规）"], 1, 1), (0.25, ["甲型/乙型流感病毒抗原检测"], 1, 1), (0.12, ["胸部数字化X线摄影（DR）"], 1, 1),
              (0.7, ["阿莫西林胶囊", "头孢克肟胶囊", "阿奇霉素片", "左氧氟沙星片", "盐酸氨溴索口服溶液"], 1, 2),
              (0.5, ["连花清瘟胶囊", "对乙酰氨基酚片", "布洛芬缓释胶囊", "磷酸奥司他韦胶囊"], 1, 2),
              (0.1, ["注射用头孢曲松钠"], 2, 3)]),
    "gi": (["K29.7", "K52.9", "A09", "K21.0"], (0.12, 0.16, 0.14), "summer",
           [(0.3, ["血细胞分析（血常规）"], 1, 1), (0.12, ["腹部彩色多普勒超声"], 1, 1),
            (0.9, ["奥美拉唑肠溶胶囊", "蒙脱石散", "铝碳酸镁咀嚼片", "藿香正气口服液"], 1, 3)]),
    "msk": (["M54.5", "M17.9", "M51.2", "M75.1"], (0.02, 0.18, 0.22), "flat",
            [(0.3, ["胸部数字化X线摄影（DR）"], 1, 1), (0.06, ["腰椎磁共振平扫"], 1, 1),
             (0.7, ["塞来昔布胶囊", "布洛芬缓释胶囊", "云南白药气雾剂"], 1, 2), (0.2, ["中频脉冲电治疗", "普通针刺"], 1, 3)]),
    "skin": (["L20.9", "L30.9"], (0.1, 0.1, 0.06), "summer", [(0.9, ["糠酸莫米松乳膏"], 1, 2)]),
    "eye_ent": (["H10.9", "J30.4"], (0.06, 0.08, 0.08), "flat", [(0.9, ["左氧氟沙星滴眼液"], 1, 2)]),
    "injury": (["S61.0", "S93.4", "T14.0"], (0.06, 0.06, 0.05), "flat",
               [(0.5, ["清创缝合术"], 1, 1), (0.5, ["医用外科敷料"], 1, 4), (0.3, ["胸部数字化X线摄影（DR）"], 1, 1)]),
    "gyn": (["N76.0"], (0.0, 0.06, 0.02), "flat", [(0.6, ["腹部彩色多普勒超声"], 1, 1), (0.4, ["尿液分析"], 1, 1)]),
    "follow": (["Z09", "R53"], (0.06, 0.06, 0.1), "flat", [(0.8, ["血细胞分析（血常规）"], 1, 1), (0.3, ["常规心电图检查"], 1, 1),
                                                         (0.4, ["肝肾功能血脂血糖（生化全套）"], 1, 1)]),
}
DAYW = {"flu": W_OUT * FLU, "summer": W_OUT * SUMMER, "flat": W_OUT}


class World:
    """Look-ups shared by the honest streams and the rings."""

    def __init__(self, pop, fac, pr):
        self.pop, self.fac, self.pr = pop, fac, pr
        self.age = pop.age.to_numpy()
        self.female = pop.female.to_numpy()
        self.death = pop.death_day.to_numpy()
        self.fcat = fac.cat.to_numpy()
        self.freg = fac.reg.to_numpy()
        self.term = fac.terminals.to_numpy()
        self.ev = pop.ev_dev.to_numpy()
        rep = np.clip(np.round(fac.pull.to_numpy() * 3), 1, 12).astype(int)
        fi = np.repeat(np.arange(len(fac)), rep)
        incd = np.isin(self.freg[fi], CD)
        keys = np.r_[self.freg[fi] * NCAT + self.fcat[fi], R_CITY * NCAT + self.fcat[fi][incd]]
        self.fpool = Pool(keys, np.r_[fi, fi[incd]])
        doc = pr.doctor.to_numpy()
        pf = pr.fac.to_numpy()
        self.docpool = Pool(pf[doc], np.where(doc)[0])
        self.deptpool = Pool(pf[doc] * NDEPT + pr.dept.to_numpy()[doc], np.where(doc)[0])
        self.phpool = Pool(pf[~doc], np.where(~doc)[0])

    def where(self, p, day):
        pop = self.pop
        r = np.where(day < pop.move_day.to_numpy()[p], pop.res.to_numpy()[p], pop.res_after.to_numpy()[p])
        r = np.where(pop.winter.to_numpy()[p] & WINTER[np.clip(day, 0, NDAYS - 1)], SANYA, r)
        sf = (day >= SF - 9) & (day <= SF + 8)
        mig = (pop.rel.to_numpy()[p] == "migrant") & sf & (hashu(p, np.full(len(p), 17)) < 0.8)
        r = np.where(mig, pop.home.to_numpy()[p], r)
        away = (pop.ins_region.to_numpy()[p] != pop.home.to_numpy()[p]) & sf & (hashu(p, np.full(len(p), 19)) < 0.4)
        return np.where(away, pop.ins_region.to_numpy()[p], r)

    def pick_fac(self, reg, cat, u):
        cat = np.broadcast_to(np.asarray(cat), reg.shape)
        f = self.fpool.pick(reg * NCAT + cat, u)
        city = np.isin(reg, CD)
        for alt_reg, alt_cat in ((np.where(city, R_CITY, reg), cat), (reg, np.where(cat >= PHA, PHA, TER)),
                                 (reg, np.where(cat >= PHA, CHAIN, SEC)), (reg, np.full(reg.shape, PCL))):
            miss = f < 0
            if not miss.any():
                break
            f[miss] = self.fpool.pick(alt_reg[miss] * NCAT + alt_cat[miss], u[miss])
        return f

    def pick_doc(self, f, u, dept=None):
        d = self.docpool.pick(f, u)
        if dept is not None:
            dd = self.deptpool.pick(f * NDEPT + dept, u)
            d = np.where(dd >= 0, dd, d)
        return d

    def pick_pharmacist(self, f, u):
        return self.phpool.pick(f, u)

    def auth_dev(self, rng, p, f, day, pharmacy=False):
        n = len(p)
        ev = self.ev[p]
        trend = 0.35 + 0.3 * day / NDAYS
        use_ev = (ev >= 0) & (rng.random(n) < trend + (0.1 if pharmacy else 0))
        face = ~use_ev & (rng.random(n) < 0.12)
        auth = np.where(use_ev, 1, np.where(face, 2, 0))
        k = (rng.random(n) * self.term[f]).astype(np.int64)
        dev = np.where(use_ev, ev, -2 - (f * 64 + k))
        return auth, dev


def explode(counts):
    """Row index repeated per count and the running number inside each group."""
    counts = np.asarray(counts, np.int64)
    idx = np.repeat(np.arange(len(counts)), counts)
    j = np.arange(len(idx)) - np.repeat(np.cumsum(counts) - counts, counts)
    return idx, j


def alive(W, p, day):
    return day <= W.death[p]


def acute_outpatient(rng, W, B):
    n = len(W.pop)
    a = W.age
    rate = np.select([a < 3, a < 7, a < 18, a < 60, a < 75], [4.4, 3.4, 1.6, 1.1, 2.1], 2.7)
    rate = rate * rng.gamma(2.0, 0.5, n) * (NDAYS / 365)
    cnt = rng.poisson(rate)
    p, _ = explode(cnt)
    band = np.select([a[p] < 15, a[p] < 60], [0, 1], 2)
    groups = list(ACUTE)
    probs = np.array([[ACUTE[g][1][b] for g in groups] for b in range(3)])
    probs[:, groups.index("gyn")] *= 1  # women only, fixed below
    g = np.zeros(len(p), int)
    for b in range(3):
        m = band == b
        g[m] = rng.choice(len(groups), m.sum(), p=probs[b] / probs[b].sum())
    g[(g == groups.index("gyn")) & ~W.female[p]] = groups.index("follow")
    day = np.zeros(len(p), np.int64)
    for k, gname in enumerate(groups):
        m = g == k
        day[m] = draw_days(rng, DAYW[ACUTE[gname][2]], m.sum())
    keep = alive(W, p, day)
    p, g, day, band = p[keep], g[keep], day[keep], band[keep]
    reg = W.where(p, day)
    zone = R_ZONE[reg]
    catp = np.array([[0.33, 0.3, 0.02, 0.2, 0.0, 0.15], [0.14, 0.24, 0.06, 0.3, 0.0, 0.26], [0.18, 0.25, 0.04, 0.35, 0.0, 0.18]])
    cats = np.array([TER, SEC, PRIVH, CHC, VIL, PCL])
    ci = np.zeros(len(p), int)
    for b in range(3):
        m = band == b
        ci[m] = rng.choice(6, m.sum(), p=catp[b])
    cat = cats[ci]
    rural = (zone == "rural") & (cat == CHC) & (rng.random(len(p)) < 0.5)
    cat[rural] = VIL
    loyal = rng.random(len(p)) < 0.7
    u = np.where(loyal, hashu(p, cat), rng.random(len(p)))
    reg_f = np.where((cat == TER) & np.isin(reg, CD), R_CITY, reg)
    f = W.pick_fac(reg_f, cat, u)
    d = W.pick_doc(f, np.where(loyal, hashu(p, f), rng.random(len(p))),
                   np.where(band == 0, DEP["儿科"], -1) if True else None)
    t = day * MIN_PER_DAY + tod_clinic(rng, len(p))
    auth, dev = W.auth_dev(rng, p, f, day)
    dxs = np.zeros(len(p), int)
    for k, gname in enumerate(groups):
        m = g == k
        codes = np.array([DX[c] for c in ACUTE[gname][0]])
        dxs[m] = codes[rng.integers(0, len(codes), m.sum())]
    # flu season: influenza diagnoses rise with the wave
    flu = (g == 0) & (rng.random(len(p)) < 0.35 * (FLU[day] - 1) / 2)
    dxs[flu] = DX["J11.1"]
    c = B.add(p, f, d, OUT, t, dxs, auth, dev, src=1)
    B.lines(c, consult_items(W.fcat[f], rng), 1)
    # drugs of visits at a hospital with a pharmacy beside it are often filled there (外配处方)
    adj_of = W.fac.parent.to_numpy()
    adj = np.full(len(W.fac), -1)
    am = (W.fcat == ADJ) & (adj_of >= 0)
    adj[adj_of[am]] = np.where(am)[0]
    out = (adj[f] >= 0) & (rng.random(len(p)) < 0.55)
    for k, gname in enumerate(groups):
        m = g == k
        spec = ACUTE[gname][3]
        drugs = [s for s in spec if all(IT[o] < NITEM and I_DRUG[IT[o]] for o in s[1])]
        other = [s for s in spec if s not in drugs]
        B.basket(rng, c[m], other)
        B.basket(rng, c[m & ~out], drugs)
        mo = m & out
        if mo.any():
            pf = adj[f[mo]]
            dt = t[mo] + rng.integers(15, 70, mo.sum())
            a2, dv2 = W.auth_dev(rng, p[mo], pf, day[mo], True)
            c2 = B.add(p[mo], pf, d[mo], PHARM, dt, dxs[mo], a2, dv2, src=2)
            B.basket(rng, c2, [(1.0, s[1], s[2], s[3]) if s is drugs[0] else s for s in drugs])
    # an infusion at clinics, more often in rural places
    iv = np.isin(W.fcat[f], [VIL, PCL, CHC]) & (g == 0) & (rng.random(len(p)) < 0.18)
    B.basket(rng, c[iv], [(1, ["静脉输液（第一组）"], 1, 1), (1, ["0.9%氯化钠注射液"], 1, 2), (1, ["一次性使用输液器"], 1, 2),
                          (0.8, ["注射用头孢曲松钠"], 1, 2)])
    return len(c)


def acute_pharmacy(rng, W, B):
    n = len(W.pop)
    a = W.age
    rate = np.select([a < 14, a < 60], [1.1, 2.5], 3.0) * rng.gamma(1.5, 1 / 1.5, n) * (NDAYS / 365)
    p, _ = explode(rng.poisson(rate))
    resp = rng.random(len(p)) < 0.55
    day = np.where(resp, draw_days(rng, W_PHARM * FLU, len(p)), draw_days(rng, W_PHARM * SUMMER, len(p)))
    keep = alive(W, p, day)
    p, day, resp = p[keep], day[keep], resp[keep]
    reg = W.where(p, day)
    cat = np.where(rng.random(len(p)) < 0.55, CHAIN, PHA)
    loyal = rng.random(len(p)) < 0.65
    f = W.pick_fac(reg, cat, np.where(loyal, hashu(p, np.full(len(p), 3)), rng.random(len(p))))
    ph = W.pick_pharmacist(f, rng.random(len(p)))
    t = day * MIN_PER_DAY + tod_pharm(rng, len(p))
    auth, dev = W.auth_dev(rng, p, f, day, True)
    kid = a[p] < 14
    dx = np.where(resp, DX["J06.9"], np.select([rng.random(len(p)) < 0.4, rng.random(len(p)) < 0.5],
                                                [DX["K29.7"], DX["M54.5"]], DX["L30.9"]))
    c = B.add(p, f, ph, PHARM, t, dx, auth, dev, src=3)
    B.basket(rng, c[resp & ~kid], [(0.8, ["连花清瘟胶囊", "对乙酰氨基酚片", "布洛芬缓释胶囊", "盐酸氨溴索口服溶液"], 1, 2),
                                   (0.3, ["阿莫西林胶囊", "头孢克肟胶囊", "阿奇霉素片"], 1, 2), (0.04, ["磷酸奥司他韦胶囊"], 1, 1)])
    B.lines(c[resp & kid], IT["小儿豉翘清热颗粒"], rng.integers(1, 3, (resp & kid).sum()))
    B.basket(rng, c[~resp], [(0.9, ["奥美拉唑肠溶胶囊", "铝碳酸镁咀嚼片", "藿香正气口服液", "云南白药气雾剂", "糠酸莫米松乳膏",
                                    "塞来昔布胶囊", "左氧氟沙星滴眼液"], 1, 2),
                             (0.05, ["安宫牛黄丸", "片仔癀", "百令胶囊"], 1, 1)])
    # the odd bare line: a pharmacy sale with nothing but a consult-free OTC line is normal; nothing more
    return len(c)


def regimen_lines(rng, W, B, c, p, supply_days, conds=None):
    """Fee lines of a chronic refill: each condition's own drug, packs for the supply period."""
    pop = W.pop
    for k, cond in enumerate(CHRONIC):
        m = pop[cond].to_numpy()[p]
        if conds is not None:
            m &= conds[k]
        if not m.any():
            continue
        opts = np.array([IT[o] for o in CHRONIC_DRUGS[cond]])
        item = opts[(hashu(p[m], np.full(m.sum(), 100 + k)) * len(opts)).astype(int)]
        packs = np.maximum(1, np.round(np.asarray(supply_days)[m] / np.maximum(I_DAYS[item], 1)))
        B.lines(c[m], item, packs)
        ins = item == IT["甘精胰岛素注射液"]
        B.lines(c[m][ins], IT["一次性使用胰岛素注射笔针头"], 30)


def first_dx(W, p):
    dx = np.full(len(p), DX["I10"])
    for cond in reversed(CHRONIC):
        dx = np.where(W.pop[cond].to_numpy()[p], DX[CHRONIC_ICD[cond]], dx)
    return dx


def schedule(rng, starts, interval, ends, jitter=3, skip=0.07):
    """Repeated dates: from start, every interval days (+-jitter), until end."""
    starts = np.asarray(starts, np.int64)
    interval = np.broadcast_to(np.asarray(interval, np.int64), starts.shape)
    cnt = np.maximum(0, (np.minimum(ends, NDAYS - 1) - starts) // interval + 1)
    i, j = explode(cnt)
    day = starts[i] + j * interval[i] + rng.integers(-jitter, jitter + 1, len(i))
    keep = (day >= 0) & (day < NDAYS) & (day <= ends[i]) & (rng.random(len(i)) >= skip)
    return i[keep], j[keep], day[keep]


def chronic_refills(rng, W, B):
    pop = W.pop
    n = len(pop)
    chronic = pop.n_chronic.to_numpy() > 0
    home = pop.home_inst.to_numpy()
    mgr = pop.manager.to_numpy()
    total = 0
    # ---- ordinary patients: community chronic clinic, a pharmacy, or a hospital clinic
    pts = np.where(chronic & (home < 0) & ~((mgr >= 0) & (hashu(np.arange(n), np.full(n, 23)) < 0.7)))[0]
    zone = R_ZONE[pop.res.to_numpy()[pts]]
    r = rng.random(len(pts))
    chan = np.where(zone == "rural", np.select([r < 0.5, r < 0.75], [CHC, PHA], SEC),
                    np.select([r < 0.35, r < 0.55, r < 0.7], [CHC, CHAIN, PHA], np.where(r < 0.85, SEC, TER)))
    interval = np.where(rng.random(len(pts)) < 0.8, 30, np.where(rng.random(len(pts)) < 0.5, 56, 84))
    start = (rng.random(len(pts)) * interval).astype(np.int64)
    i, j, day = schedule(rng, start, interval, W.death[pts])
    p, ch, iv = pts[i], chan[i], interval[i]
    reg = W.where(p, day)
    f = W.pick_fac(np.where(ch == TER, np.where(np.isin(reg, CD), R_CITY, reg), reg), ch, hashu(p, np.full(len(p), 11)))
    fc = W.fcat[f]
    # a community centre's chronic clinic runs on two fixed weekday mornings
    is_chc = np.isin(fc, [CHC])
    wd1 = (hashu(f, np.full(len(f), 5)) * 5).astype(int)
    wd2 = (wd1 + 3) % 5
    dow = DOW[np.clip(day, 0, NDAYS - 1)]
    shift = np.minimum((wd1 - dow) % 7, (wd2 - dow) % 7)
    day = np.where(is_chc, day + shift, day)
    ok = (day < NDAYS) & (day <= W.death[p])
    p, f, fc, day, iv, is_chc = p[ok], f[ok], fc[ok], day[ok], iv[ok], is_chc[ok]
    ph = fc >= PHA
    t = day * MIN_PER_DAY + np.where(is_chc, np.clip(rng.normal(8.7 * 60, 40, len(p)), 7.4 * 60, 11.6 * 60).astype(np.int64),
                                     np.where(ph, tod_pharm(rng, len(p)), tod_clinic(rng, len(p))))
    d = np.where(ph, W.pick_pharmacist(f, rng.random(len(p))), W.pick_doc(f, hashu(p, f)))
    auth, dev = W.auth_dev(rng, p, f, day, True)
    c = B.add(p, f, d, np.where(ph, PHARM, OUT), t, first_dx(W, p), auth, dev, src=4)
    B.lines(c[~ph], IT["一般诊疗费"], 1)
    dm = pop.dm.to_numpy()[p] & ~ph & (rng.random(len(p)) < 0.2)
    B.lines(c[dm], IT["糖化血红蛋白测定"], 1)
    regimen_lines(rng, W, B, c, p, iv)
    total += len(c)
    # ---- heavy users: a second prescriber at a big hospital, now and then overlapping the first
    heavy = np.where(chronic & (pop.n_chronic.to_numpy() >= 3) & (W.age >= 62) & (home < 0) &
                     (rng.random(n) < 0.4))[0]
    i, j, day = schedule(rng, rng.integers(0, 60, len(heavy)), 60, W.death[heavy], jitter=6, skip=0.15)
    p = heavy[i]
    f = W.pick_fac(np.where(np.isin(W.where(p, day), CD), R_CITY, W.where(p, day)), np.full(len(p), TER),
                   hashu(p, np.full(len(p), 12)))
    c = B.add(p, f, W.pick_doc(f, hashu(p, f)), OUT, day * MIN_PER_DAY + tod_clinic(rng, len(p)), first_dx(W, p),
              *W.auth_dev(rng, p, f, day), src=5)
    B.lines(c, consult_items(W.fcat[f], rng), 1)
    conds = np.stack([rng.random(len(p)) < 0.6 for _ in CHRONIC])
    regimen_lines(rng, W, B, c, p, np.full(len(p), 30), conds)
    total += len(c)
    # ---- elders whose child fetches their medicine with the e-vouchers on the child's phone
    eld = np.where(chronic & (mgr >= 0) & (home < 0) & (hashu(np.arange(n), np.full(n, 23)) < 0.7))[0]
    m_of = mgr[eld]
    i, j, day = schedule(rng, (hashu(m_of, np.full(len(m_of), 31)) * 30).astype(np.int64), 30, W.death[eld], 0, 0.05)
    p, m = eld[i], m_of[i]
    run_day = day + (hashu(m, j) * 5).astype(np.int64) - 2
    run_day = np.clip(run_day, 0, NDAYS - 1)
    ok = run_day <= W.death[p]
    p, m, j, run_day = p[ok], m[ok], j[ok], run_day[ok]
    base = np.where(hashu(m, j, np.full(len(m), 3)) < 0.6, 18.5 * 60 + hashu(m, j) * 150, 9 * 60 + hashu(m, j) * 240)
    rank = pd.DataFrame({"m": m, "j": j}).groupby(["m", "j"]).cumcount().to_numpy()
    t = run_day * MIN_PER_DAY + base.astype(np.int64) + rank * rng.integers(1, 6, len(p))
    f = W.pick_fac(W.where(m, run_day), np.full(len(p), CHAIN), hashu(m, np.full(len(m), 3)))
    c = B.add(p, f, W.pick_pharmacist(f, hashu(m, f)), PHARM, t, first_dx(W, p), 1, W.ev[p], src=6)
    regimen_lines(rng, W, B, c, p, np.full(len(p), 30))
    total += len(c)
    # ---- nursing homes: a monthly medicine morning, the carer's tablet presents every resident
    res = np.where(home >= 0)[0]
    f_of = home[res]
    dom = 4 + f_of % 6
    i, j, day = schedule(rng, dom, 30, W.death[res], 0, 0.04)
    p, f = res[i], f_of[i]
    rank = pd.DataFrame({"f": f, "j": j}).groupby(["f", "j"]).cumcount().to_numpy()
    t = day * MIN_PER_DAY + 9 * 60 + rank * rng.integers(1, 4, len(p))
    c = B.add(p, f, W.pick_doc(f, np.zeros(len(p))), OUT, t, first_dx(W, p), 0, -2 - f * 64, src=7)
    B.lines(c, IT["一般诊疗费"], 1)
    regimen_lines(rng, W, B, c, p, np.full(len(p), 30))
    nodrug = pop.n_chronic.to_numpy()[p] == 0
    B.lines(c[nodrug], IT["复方丹参滴丸"], 1)
    total += len(c)
    # ---- village doctors' monthly rounds with a tablet, in the afternoon
    vil = np.where((W.fcat == VIL) & np.isin(W.freg, CD))[0]
    if len(vil):
        cand = np.where(chronic & (W.age >= 62) & (home < 0) & np.isin(pop.res.to_numpy(), W.freg[vil]))[0]
        cand = cand[hashu(cand, np.full(len(cand), 41)) < 0.15]
        f_of = W.pick_fac(pop.res.to_numpy()[cand], np.full(len(cand), VIL), hashu(cand, np.full(len(cand), 42)))
        ok = f_of >= 0
        cand, f_of = cand[ok], f_of[ok]
        i, j, day = schedule(rng, 8 + f_of % 15, 30, W.death[cand], 0, 0.1)
        p, f = cand[i], f_of[i]
        rank = pd.DataFrame({"f": f, "j": j}).groupby(["f", "j"]).cumcount().to_numpy()
        t = day * MIN_PER_DAY + 14 * 60 + rank * rng.integers(3, 9, len(p))
        c = B.add(p, f, W.pick_doc(f, np.zeros(len(p))), OUT, t, first_dx(W, p), 3, -2 - f * 64, src=8)
        B.lines(c, IT["一般诊疗费"], 1)
        regimen_lines(rng, W, B, c, p, np.full(len(p), 30), np.stack([rng.random(len(p)) < 0.5] * len(CHRONIC)))
        total += len(c)
    return total


INPATIENT = [  # icd, mean stay, age band weights (<15, 15-59, 60+), procedure, implant, department
    ("J18.9", 8, (5, 2, 6), None, None, "呼吸与危重症医学科"), ("I63.9", 12, (0, 1, 5), None, None, "神经内科"),
    ("I25.1", 7, (0, 1, 4), None, None, "心血管内科"), ("J44.1", 9, (0, 0.3, 4), None, None, "呼吸与危重症医学科"),
    ("K80.2", 6, (0, 2, 2), "腹腔镜下胆囊切除术", None, "普外科"), ("K35.8", 5, (2, 2, 0.5), "阑尾切除术", None, "普外科"),
    ("H25.9", 2, (0, 0.2, 3), "白内障超声乳化摘除术+人工晶体植入术", "人工晶体（单焦点）", "眼科"),
    ("M17.9", 12, (0, 0.2, 1.2), "人工全膝关节置换术", "膝关节假体（集采）", "骨科"),
    ("O82.0", 5, (0, 3, 0), "子宫下段剖宫产术", None, "妇产科"), ("S72.0", 14, (0, 0.3, 1.5), "股骨颈骨折闭合复位内固定术", None, "骨科"),
    ("E11.9", 8, (0.2, 1, 2), None, None, "内分泌科"), ("K29.7", 5, (0.5, 1.5, 1.5), None, None, "消化内科"),
    ("M51.2", 9, (0, 1.5, 1.5), None, None, "骨科"), ("J20.9", 6, (4, 0.5, 1), None, None, "儿科"),
]


def inpatient_lines(rng, B, c, los, proc=None, implant=None, heavy=0.1):
    n = len(c)
    B.lines(c, IT["床位费（三人间）"], los)
    B.lines(c, IT["Ⅱ级护理"], los)
    B.lines(c, IT["住院诊查费"], los)
    B.lines(c, IT["血细胞分析（血常规）"], rng.integers(1, 4, n))
    B.lines(c, IT["肝肾功能血脂血糖（生化全套）"], rng.integers(1, 3, n))
    B.basket(rng, c, [(0.5, ["胸部CT平扫", "腹部彩色多普勒超声", "胸部数字化X线摄影（DR）"], 1, 1), (0.5, ["常规心电图检查"], 1, 2)])
    iv = rng.random(n) < 0.8
    B.lines(c[iv], IT["0.9%氯化钠注射液"], np.maximum(1, los[iv] * rng.integers(1, 3, iv.sum())))
    B.lines(c[iv], IT["一次性使用输液器"], np.maximum(1, los[iv]))
    B.lines(c[iv], IT["注射用头孢曲松钠"], np.maximum(1, los[iv] * (rng.random(iv.sum()) < 0.6)))
    B.basket(rng, c, [(0.5, ["奥美拉唑肠溶胶囊", "阿托伐他汀钙片", "阿司匹林肠溶片", "盐酸氨溴索口服溶液"], 1, 3)])
    before = len(B.lparts)
    B.basket(rng, c, [(0.35, ["注射用哌拉西林钠他唑巴坦钠"], 1, 1), (0.45, ["注射用奥美拉唑钠"], 1, 1),
                      (0.25, ["低分子肝素钙注射液"], 1, 1), (0.2, ["丹红注射液"], 1, 1), (0.15, ["动态心电图"], 1, 1)])
    # the daily drugs above are billed per dose: scale them by the stay
    for part in B.lparts[before:]:
        if len(part["c"]) and I_DRUG[part["item"][0]]:
            pos = np.searchsorted(c, part["c"])
            part["qty"] = part["qty"] * np.maximum(1, los[np.minimum(pos, n - 1)] * 2)
    hv = rng.random(n) < heavy
    B.lines(c[hv], IT["人血白蛋白"], rng.integers(2, 8, hv.sum()))
    B.lines(c[hv], IT["Ⅰ级护理"], los[hv])
    if proc is not None:
        B.lines(c, IT[proc], 1)
    if implant is not None:
        B.lines(c, IT[implant], 1)


def inpatient(rng, W, B):
    pop = W.pop
    n = len(pop)
    a = W.age
    rate = np.select([a < 15, a < 60, a < 80], [0.06, 0.05, 0.22], 0.38) * rng.gamma(2, 0.5, n) * (NDAYS / 365)
    p, _ = explode(rng.poisson(rate))
    band = np.select([a[p] < 15, a[p] < 60], [0, 1], 2)
    w = np.array([[x[2][b] for x in INPATIENT] for b in range(3)], float)
    k = np.zeros(len(p), int)
    for b in range(3):
        m = band == b
        k[m] = rng.choice(len(INPATIENT), m.sum(), p=w[b] / w[b].sum())
    k[(k == 8) & ~W.female[p]] = 11
    los = np.maximum(1, np.round(rng.gamma(4, np.array([x[1] for x in INPATIENT])[k] / 4))).astype(np.int64)
    wadm = W_OUT * (1 + 0.5 * (FLU - 1))
    adm = draw_days(rng, wadm, len(p))
    dis = adm + los
    keep = (dis < NDAYS) & (dis <= W.death[p])
    # those who die in hospital: the last stay ends on the day of death, settled that day or days later
    dying = np.where(pop.in_hosp_death.to_numpy())[0]
    dlos = rng.integers(2, 26, len(dying))
    p = np.r_[p[keep], dying]
    k = np.r_[k[keep], rng.choice([0, 1, 2, 3], len(dying))]
    los = np.r_[los[keep], dlos]
    dis = np.r_[dis[keep], W.death[dying]]
    adm = dis - los
    lag = np.r_[np.zeros(keep.sum(), np.int64), rng.choice([0, 0, 1, 2, 3, 5, 7], len(dying))]
    settle_day = np.minimum(dis + lag, NDAYS - 1)
    reg = W.where(p, np.maximum(adm, 0))
    r = rng.random(len(p))
    cat = np.select([r < 0.36, r < 0.8, r < 0.9], [TER, SEC, PRIVH], CHC)
    f = W.pick_fac(np.where((cat == TER) & np.isin(reg, CD), R_CITY, reg), cat, np.where(rng.random(len(p)) < 0.6,
                                                                                          hashu(p, cat), rng.random(len(p))))
    clinic = W.fac.kind.to_numpy()[f] != "hospital"
    f[clinic] = W.pick_fac(reg[clinic], np.full(clinic.sum(), SEC), rng.random(clinic.sum()))
    dept = np.array([DEP[x[5]] for x in INPATIENT])[k]
    d = W.pick_doc(f, rng.random(len(p)), dept)
    adm_t = adm * MIN_PER_DAY + np.where(rng.random(len(p)) < 0.75, tod_clinic(rng, len(p)), rng.integers(0, MIN_PER_DAY, len(p)))
    dis_t = dis * MIN_PER_DAY + tod_discharge(rng, len(p))
    set_t = np.maximum(settle_day * MIN_PER_DAY + tod_discharge(rng, len(p)), dis_t)
    auth = np.where(rng.random(len(p)) < 0.7, 0, 2)
    dev = -2 - (f * 64 + (rng.random(len(p)) * W.term[f]).astype(np.int64))
    c = B.add(p, f, d, INP, set_t, np.array([DX[x[0]] for x in INPATIENT])[k], auth, dev, adm_t, dis_t, src=9)
    for kk, x in enumerate(INPATIENT):
        m = k == kk
        inpatient_lines(rng, B, c[m], los[m], x[3], x[4], 0.15 if x[0] in ("I63.9", "S72.0", "J44.1") else 0.03)
    return len(c)


def special_schedules(rng, W, B):
    pop = W.pop
    total = 0
    # ---- haemodialysis: the same shift of patients three times a week
    pts = np.where(pop.dialysis.to_numpy())[0]
    if len(pts):
        cat = np.where(hashu(pts, np.full(len(pts), 51)) < 0.6, DIAL, TER)
        f_of = W.pick_fac(np.full(len(pts), R_CITY), cat, hashu(pts, np.full(len(pts), 52)))
        sched = (hashu(pts, np.full(len(pts), 53)) < 0.5).astype(int)      # 0: Mon/Wed/Fri, 1: Tue/Thu/Sat
        shift = (hashu(pts, np.full(len(pts), 54)) * 3).astype(int)
        start = np.where(rng.random(len(pts)) < 0.85, 0, rng.integers(0, NDAYS - 30, len(pts)))
        cnt = np.maximum(0, np.minimum(W.death[pts], NDAYS - 1) - start + 1)
        i, j = explode(cnt)
        day = start[i] + j
        ok = np.isin(DOW[day], [0, 2, 4]) & (sched[i] == 0) | np.isin(DOW[day], [1, 3, 5]) & (sched[i] == 1)
        ok &= rng.random(len(i)) > 0.02
        i, day = i[ok], day[ok]
        p, f = pts[i], f_of[i]
        t = day * MIN_PER_DAY + np.array([7 * 60 + 30, 12 * 60 + 30, 17 * 60 + 30])[shift[i]] + 240 + rng.integers(0, 40, len(i))
        dev = -2 - (f * 64 + (rng.random(len(i)) * W.term[f]).astype(np.int64))
        c = B.add(p, f, W.pick_doc(f, hashu(p, f), np.full(len(p), DEP["血液透析室"])), OUT, t, DX["N18.5"],
                  np.where(rng.random(len(i)) < 0.8, 0, 2), dev, frate=0.9, src=10)
        hdf = rng.random(len(c)) < 0.15
        B.lines(c[~hdf], IT["血液透析"], 1)
        B.lines(c[hdf], IT["血液透析滤过"], 1)
        B.lines(c, IT["一次性使用血液透析器"], 1)
        wk = DOW[day] <= 1
        B.lines(c[wk], IT["重组人促红素注射液"], 1)
        B.lines(c[wk & (rng.random(len(c)) < 0.5)], IT["蔗糖铁注射液"], 1)
        total += len(c)
    # ---- cancer: day-ward chemotherapy every three weeks, or an oral targeted drug each month from the
    # DTP pharmacy beside the hospital (prescribed by the hospital's oncologist, no visit at the pharmacy)
    pts = np.where(pop.cancer.to_numpy())[0]
    if len(pts):
        hosp = W.pick_fac(np.full(len(pts), R_CITY), np.full(len(pts), TER), hashu(pts, np.full(len(pts), 61)))
        onc = W.pick_doc(hosp, hashu(pts, np.full(len(pts), 62)), np.full(len(pts), DEP["肿瘤科"]))
        dtp_of = np.full(len(W.fac), -1)
        dm = W.fcat == DTP
        dtp_of[W.fac.parent.to_numpy()[dm]] = np.where(dm)[0]
        any_dtp = np.where(dm)[0]
        dtp = np.where(dtp_of[hosp] >= 0, dtp_of[hosp], any_dtp[pts % len(any_dtp)] if len(any_dtp) else -1)
        oral = hashu(pts, np.full(len(pts), 63)) < 0.5
        dx = np.array([DX["C34.9"], DX["C50.9"], DX["C18.9"], DX["C90.0"]])[(hashu(pts, np.full(len(pts), 64)) * 4).astype(int)]
        start = np.where(rng.random(len(pts)) < 0.5, 0, rng.integers(0, NDAYS - 120, len(pts)))
        # infusions
        inf = np.where(~oral)[0]
        end = np.minimum(W.death[pts[inf]], start[inf] + rng.integers(120, 240, len(inf)))
        i, j, day = schedule(rng, start[inf], 21, end, 1, 0.03)
        k = inf[i]
        p, f = pts[k], hosp[k]
        t_adm = day * MIN_PER_DAY + 8 * 60 + rng.integers(0, 90, len(p))
        t_dis = (day + 1) * MIN_PER_DAY + tod_discharge(rng, len(p))
        ok = day + 1 < NDAYS
        c = B.add(p[ok], f[ok], onc[k][ok], INP, t_dis[ok], DX["Z51.1"], 0, -2 - f[ok] * 64, t_adm[ok], t_dis[ok], src=11)
        B.lines(c, IT["静脉化疗（日间）"], 1)
        B.lines(c, IT["床位费（三人间）"], 1)
        B.basket(rng, c, [(1, ["信迪利单抗注射液", "注射用紫杉醇（白蛋白结合型）"], 1, 3), (1, ["血细胞分析（血常规）"], 1, 1),
                          (1, ["0.9%氯化钠注射液"], 2, 4)])
        total += len(c)
        # oral targeted drugs
        ora = np.where(oral & (dtp >= 0))[0]
        i, j, day = schedule(rng, start[ora], 30, W.death[pts[ora]], 2, 0.02)
        k = ora[i]
        p, f = pts[k], dtp[k]
        drug = np.array([IT["甲磺酸奥希替尼片"], IT["吉非替尼片"], IT["来那度胺胶囊"], IT["甲磺酸伊马替尼片"]])[
            (hashu(p, np.full(len(p), 65)) * 4).astype(int)]
        t = day * MIN_PER_DAY + tod_pharm(rng, len(p))
        c = B.add(p, f, onc[k], PHARM, t, dx[k], *W.auth_dev(rng, p, f, day, True), frate=0.8, src=12)
        B.lines(c, drug, np.maximum(1, np.round(30 / I_DAYS[drug])), W.pick_pharmacist(f, hashu(p, f)))
        total += len(c)
        # follow-up visits every two months for everyone
        i, j, day = schedule(rng, start + 10, 60, W.death[pts], 5, 0.1)
        p, f = pts[i], hosp[i]
        c = B.add(p, f, onc[i], OUT, day * MIN_PER_DAY + tod_clinic(rng, len(p)), dx[i], *W.auth_dev(rng, p, f, day), src=13)
        B.lines(c, consult_items(W.fcat[f], rng), 1)
        B.basket(rng, c, [(1, ["胸部CT平扫"], 1, 1), (1, ["血细胞分析（血常规）"], 1, 1), (0.7, ["肝肾功能血脂血糖（生化全套）"], 1, 1)])
        total += len(c)
    # ---- biologics for psoriasis, rheumatoid arthritis, eczema: monthly from the DTP pharmacy
    pts = np.where(pop.biologic.to_numpy())[0]
    if len(pts):
        kind = (hashu(pts, np.full(len(pts), 71)) * 3).astype(int)
        hosp = W.pick_fac(np.full(len(pts), R_CITY), np.full(len(pts), TER), hashu(pts, np.full(len(pts), 72)))
        doc = W.pick_doc(hosp, hashu(pts, np.full(len(pts), 73)),
                         np.array([DEP["皮肤科"], DEP["风湿免疫科"], DEP["皮肤科"]])[kind])
        dtp_of = np.full(len(W.fac), -1)
        dm = W.fcat == DTP
        dtp_of[W.fac.parent.to_numpy()[dm]] = np.where(dm)[0]
        any_dtp = np.where(dm)[0]
        dtp = np.where(dtp_of[hosp] >= 0, dtp_of[hosp], any_dtp[pts % len(any_dtp)])
        start = rng.integers(0, 200, len(pts))
        i, j, day = schedule(rng, start, 28, W.death[pts], 2, 0.05)
        p, f = pts[i], dtp[i]
        drug = np.array([IT["司库奇尤单抗注射液"], IT["阿达木单抗注射液"], IT["度普利尤单抗注射液"]])[kind[i]]
        dx = np.array([DX["L40.0"], DX["M05.9"], DX["L20.9"]])[kind[i]]
        c = B.add(p, f, doc[i], PHARM, day * MIN_PER_DAY + tod_pharm(rng, len(p)), dx, *W.auth_dev(rng, p, f, day, True),
                  frate=0.75, src=14)
        B.lines(c, drug, np.maximum(1, np.round(28 / I_DAYS[drug])), W.pick_pharmacist(f, hashu(p, f)))
        total += len(c)
        i, j, day = schedule(rng, start + 5, 90, W.death[pts], 7, 0.1)
        p, f = pts[i], hosp[i]
        c = B.add(p, f, doc[i], OUT, day * MIN_PER_DAY + tod_clinic(rng, len(p)),
                  np.array([DX["L40.0"], DX["M05.9"], DX["L20.9"]])[kind[i]], *W.auth_dev(rng, p, f, day), src=15)
        B.lines(c, consult_items(W.fcat[f], rng), 1)
        B.lines(c, IT["血细胞分析（血常规）"], 1)
        total += len(c)
    # ---- rehabilitation after a stroke: weekday sessions for two to three months, same therapist, same slot
    pts = np.where(pop.stroke_rehab.to_numpy())[0]
    if len(pts):
        cat = np.where(hashu(pts, np.full(len(pts), 81)) < 0.6, REHAB, CHC)
        reg = pop.res.to_numpy()[pts]
        f_of = W.pick_fac(np.where(cat == REHAB, R_CITY, reg), cat, hashu(pts, np.full(len(pts), 82)))
        th = W.pick_doc(f_of, hashu(pts, np.full(len(pts), 83)), np.full(len(pts), DEP["康复医学科"]))
        start = rng.integers(0, NDAYS - 60, len(pts))
        cnt = rng.integers(56, 90, len(pts))
        i, j = explode(cnt)
        day = start[i] + j
        ok = (DOW[np.minimum(day, NDAYS - 1)] < 5) & (day < NDAYS) & (day <= W.death[pts[i]]) & (rng.random(len(i)) > 0.08)
        i, day = i[ok], day[ok]
        p, f = pts[i], f_of[i]
        slot = (hashu(p, np.full(len(p), 84)) * 14).astype(int)
        t = day * MIN_PER_DAY + 8 * 60 + slot * 30 + 45 + rng.integers(-5, 15, len(p))
        c = B.add(p, f, th[i], OUT, t, DX["I69.3"], *W.auth_dev(rng, p, f, day), frate=0.7, src=16)
        B.lines(c, IT["运动疗法"], 1)
        B.lines(c, IT["普通针刺"], 1)
        B.lines(c, IT["中频脉冲电治疗"], 1)
        total += len(c)
    return total


def community_events(rng, W, B):
    """Free elderly check-up mornings, vaccination days, an employer's check-up day, accidents, a banquet
    food poisoning, nursing-home and school outbreaks, and people who see doctors in two nearby cities on one
    day. Each is a crowd at one place and time that is not a ring."""
    pop = W.pop
    n = len(pop)
    total = 0
    res = pop.res.to_numpy()
    # ---- 老年人免费体检: two or three mornings a year per centre, identical bills, paid by public health
    eld = np.where((W.age >= 64) & np.isin(res, CD) & (pop.home_inst.to_numpy() < 0))[0]
    f = W.pick_fac(res[eld], np.full(len(eld), CHC), hashu(eld, np.full(len(eld), 11)))
    ok = (f >= 0) & (W.fcat[np.maximum(f, 0)] == CHC)
    eld, f = eld[ok], f[ok]
    for year_start, span, share in ((_di("2023-09-11"), 40, 0.3), (_di("2024-04-08"), 60, 0.5)):
        go = rng.random(len(eld)) < share
        p, ff = eld[go], f[go]
        slot = (hashu(ff, np.full(len(ff), year_start)) * span).astype(int)
        day = year_start + slot + 7 * (rng.random(len(p)) < 0.35)
        day += np.where(DOW[day] >= 5, 2, 0)
        ok = day <= W.death[p]
        p, ff, day = p[ok], ff[ok], day[ok]
        t = day * MIN_PER_DAY + np.clip(rng.normal(8 * 60 + 10, 35, len(p)), 6 * 60 + 50, 10 * 60 + 50).astype(np.int64)
        c = B.add(p, ff, W.pick_doc(ff, rng.random(len(p))), OUT, t, DX["Z00.0"], np.where(rng.random(len(p)) < 0.7, 0, 2),
                  -2 - (ff * 64 + (rng.random(len(p)) * W.term[ff]).astype(np.int64)), frate=0.0, src=20)
        for it in ("健康体检一般检查", "血细胞分析（血常规）", "尿液分析", "肝肾功能血脂血糖（生化全套）", "常规心电图检查", "腹部彩色多普勒超声"):
            B.lines(c, IT[it], 1)
        total += len(c)
    # ---- flu vaccination days (Tuesday and Thursday mornings, October and November)
    cand = np.where(((W.age >= 60) | ((W.age >= 1) & (W.age < 9))) & np.isin(res, CD) & (pop.home_inst.to_numpy() < 0))[0]
    for s0 in (_di("2023-10-09"), _di("2024-10-08")):
        go = rng.random(len(cand)) < 0.22
        p = cand[go]
        ff = W.pick_fac(res[p], np.full(len(p), CHC), hashu(p, np.full(len(p), 11)))
        day = s0 + 7 * rng.integers(0, 8, len(p)) + np.where(rng.random(len(p)) < 0.5, 1, 3) - DOW[s0]
        ok = (day <= W.death[p]) & (ff >= 0)
        p, ff, day = p[ok], ff[ok], day[ok]
        t = day * MIN_PER_DAY + np.where(rng.random(len(p)) < 0.7, rng.integers(510, 690, len(p)), rng.integers(840, 990, len(p)))
        c = B.add(p, ff, W.pick_doc(ff, rng.random(len(p))), OUT, t, DX["Z23"], *W.auth_dev(rng, p, ff, day), frate=1.0, src=21)
        B.lines(c, IT["流感疫苗接种（四价）"], 1)
        total += len(c)
    # ---- an employer's staff checked on one morning at a district hospital
    dorm = pop.dorm.to_numpy()
    for dd in range(dorm.max() + 1):
        p = np.where(dorm == dd)[0]
        if not len(p):
            continue
        h = W.pick_fac(res[p[:1]], np.array([SEC]), np.array([0.3]))
        day = _di("2024-05-14") + dd * 9
        f = np.full(len(p), h[0])
        t = day * MIN_PER_DAY + 8 * 60 + np.sort(rng.integers(0, 150, len(p)))
        c = B.add(p, f, W.pick_doc(f, rng.random(len(p))), OUT, t, DX["Z00.0"], 0, -2 - f * 64, frate=0.0, src=22)
        for it in ("健康体检一般检查", "血细胞分析（血常规）", "胸部数字化X线摄影（DR）", "常规心电图检查", "肝肾功能血脂血糖（生化全套）"):
            B.lines(c, IT[it], 1)
        total += len(c)
    s = n / 100000
    # ---- road accidents: a coach overturns; passengers from everywhere go to the nearest hospital
    for e in range(max(1, round(2.5 * s))):
        k = int(rng.integers(12, 36))
        p = rng.choice(np.where(W.age >= 16)[0], k, replace=False)
        day = int(rng.integers(10, NDAYS - 30))
        p = p[W.death[p] >= day + 25]
        reg = CD[12 + e % 8]
        h = W.pick_fac(np.array([reg]), np.array([SEC]), np.array([0.5]))[0]
        t0 = day * MIN_PER_DAY + int(rng.integers(15 * 60, 21 * 60))
        admit = rng.random(len(p)) < 0.7
        los = rng.integers(2, 21, len(p))
        pa = p[admit]
        dis_t = (day + los[admit]) * MIN_PER_DAY + tod_discharge(rng, admit.sum())
        fa = np.full(len(pa), h)
        c = B.add(pa, fa, W.pick_doc(fa, rng.random(len(pa)), np.full(len(pa), DEP["骨科"])), INP, dis_t,
                  np.array([DX["S06.0"], DX["S72.0"], DX["S82.2"], DX["T14.0"]])[rng.integers(0, 4, len(pa))], 0, -2 - fa * 64,
                  t0 + rng.integers(20, 120, len(pa)), dis_t, src=23)
        inpatient_lines(rng, B, c, los[admit], None, None, 0.1)
        po = p[~admit]
        fo = np.full(len(po), h)
        c = B.add(po, fo, W.pick_doc(fo, rng.random(len(po)), np.full(len(po), DEP["急诊科"])), OUT,
                  t0 + rng.integers(30, 300, len(po)), DX["T14.0"], 0, -2 - fo * 64, src=23)
        B.basket(rng, c, [(1, ["清创缝合术"], 1, 1), (1, ["胸部数字化X线摄影（DR）"], 1, 2), (1, ["医用外科敷料"], 2, 5)])
        total += len(p)
    # ---- food poisoning after a village banquet (坝坝宴): whole households, one night, one township hospital
    for e in range(max(1, round(2 * s))):
        reg = CD[12 + (e * 3) % 8]
        hh_here = np.unique(pop.hh.to_numpy()[(res == reg) & (pop.home_inst.to_numpy() < 0)])
        if not len(hh_here):
            continue
        pick = rng.choice(hh_here, min(len(hh_here), int(rng.integers(8, 22))), replace=False)
        p = np.where(np.isin(pop.hh.to_numpy(), pick))[0]
        day = int(rng.integers(10, NDAYS - 10))
        p = p[W.death[p] >= day + 4]
        h = W.pick_fac(np.array([reg]), np.array([CHC]), np.array([0.2]))[0]
        if W.fac.kind.iat[h] != "hospital":
            h = W.pick_fac(np.array([reg]), np.array([SEC]), np.array([0.2]))[0]
        t = day * MIN_PER_DAY + 20 * 60 + np.sort(rng.integers(0, 200, len(p)))
        admit = rng.random(len(p)) < 0.4
        f = np.full(len(p), h)
        d = W.pick_doc(f, rng.random(len(p)))
        co = B.add(p[~admit], f[~admit], d[~admit], OUT, t[~admit] + 90, DX["A05.9"], 0, -2 - f[~admit] * 64, src=24)
        for it, q in (("一般诊疗费", 1), ("血细胞分析（血常规）", 1), ("静脉输液（第一组）", 1), ("0.9%氯化钠注射液", 2),
                      ("一次性使用输液器", 1), ("蒙脱石散", 1)):
            B.lines(co, IT[it], q)
        los = rng.integers(1, 4, admit.sum())
        dis_t = (day + los) * MIN_PER_DAY + tod_discharge(rng, admit.sum())
        ci = B.add(p[admit], f[admit], d[admit], INP, dis_t, DX["A05.9"], 0, -2 - f[admit] * 64, t[admit], dis_t, src=24)
        inpatient_lines(rng, B, ci, los, None, None, 0.0)
        total += len(p)
    # ---- nursing-home outbreak of influenza: residents admitted together
    home = pop.home_inst.to_numpy()
    for e, f0 in enumerate(np.where(W.fcat == NHC)[0]):
        resid = np.where(home == f0)[0]
        day = _di("2023-12-02") + 7 * e if e % 2 == 0 else _di("2024-12-10") + 3 * e
        resid = resid[W.death[resid] > day + 14]
        if len(resid) < 4:
            continue
        p = rng.choice(resid, min(len(resid), int(rng.integers(8, 26))), replace=False)
        h = W.pick_fac(np.array([W.freg[f0]]), np.array([SEC]), np.array([0.1]))[0]
        f = np.full(len(p), h)
        adm = day + rng.integers(0, 3, len(p))
        los = rng.integers(5, 13, len(p))
        ok = adm + los < NDAYS
        p, f, adm, los = p[ok], f[ok], adm[ok], los[ok]
        dis_t = (adm + los) * MIN_PER_DAY + tod_discharge(rng, len(p))
        c = B.add(p, f, W.pick_doc(f, rng.random(len(p)), np.full(len(p), DEP["呼吸与危重症医学科"])), INP, dis_t,
                  np.where(rng.random(len(p)) < 0.6, DX["J11.1"], DX["J18.9"]), 0, -2 - f * 64,
                  adm * MIN_PER_DAY + rng.integers(600, 1300, len(p)), dis_t, src=25)
        inpatient_lines(rng, B, c, los, None, None, 0.2)
        B.lines(c, IT["磷酸奥司他韦胶囊"], 1)
        total += len(c)
    # ---- hand-foot-mouth disease at a kindergarten
    for e in range(max(1, round(1.5 * s))):
        reg = URBAN[e % len(URBAN)]
        kids = np.where((W.age >= 2) & (W.age < 7) & (res == reg))[0]
        if len(kids) < 5:
            continue
        p = rng.choice(kids, min(len(kids), int(rng.integers(15, 41))), replace=False)
        day = _di("2024-05-06") + 20 * e + rng.integers(0, 3, len(p))
        h = W.pick_fac(np.array([R_CITY]), np.array([TER]), np.array([0.05 + 0.2 * e % 1]))[0]
        f = np.full(len(p), h)
        c = B.add(p, f, W.pick_doc(f, rng.random(len(p)), np.full(len(p), DEP["儿科"])), OUT,
                  day * MIN_PER_DAY + tod_clinic(rng, len(p)), DX["B08.4"], *W.auth_dev(rng, p, f, day), src=26)
        B.lines(c, consult_items(W.fcat[f], rng), 1)
        B.basket(rng, c, [(1, ["血细胞分析（血常规）"], 1, 1), (0.8, ["小儿豉翘清热颗粒"], 1, 2)])
        total += len(c)
    # ---- two nearby cities on one day: a morning visit in 德阳/眉山/资阳, an afternoon pharmacy in 成都
    trav = np.where((W.age > 20) & np.isin(res, np.r_[CD, NEAR]) & (rng.random(n) < 0.008))[0]
    p, _ = explode(rng.integers(1, 5, len(trav)))
    p = trav[p]
    day = draw_days(rng, W_OUT, len(p))
    ok = day <= W.death[p]
    p, day = p[ok], day[ok]
    near = NEAR[:3][(hashu(p, np.full(len(p), 91)) * 3).astype(int)]
    f1 = W.pick_fac(near, np.where(rng.random(len(p)) < 0.5, SEC, PHA), rng.random(len(p)))
    t1 = day * MIN_PER_DAY + rng.integers(8 * 60 + 30, 11 * 60, len(p))
    ph1 = W.fcat[f1] >= PHA
    d1 = np.where(ph1, W.pick_pharmacist(f1, rng.random(len(p))), W.pick_doc(f1, rng.random(len(p))))
    dx = np.where(W.pop.n_chronic.to_numpy()[p] > 0, first_dx(W, p), DX["J06.9"])
    c1 = B.add(p, f1, d1, np.where(ph1, PHARM, OUT), t1, dx, *W.auth_dev(rng, p, f1, day, True), src=27)
    B.lines(c1[~ph1], consult_items(W.fcat[f1[~ph1]], rng), 1)
    B.basket(rng, c1, [(1, ["连花清瘟胶囊", "奥美拉唑肠溶胶囊", "布洛芬缓释胶囊", "苯磺酸氨氯地平片"], 1, 2)])
    f2 = W.pick_fac(np.full(len(p), R_CITY), np.full(len(p), CHAIN), hashu(p, np.full(len(p), 3)))
    t2 = day * MIN_PER_DAY + rng.integers(15 * 60, 20 * 60, len(p))
    c2 = B.add(p, f2, W.pick_pharmacist(f2, rng.random(len(p))), PHARM, t2, dx, *W.auth_dev(rng, p, f2, day, True), src=27)
    B.basket(rng, c2, [(1, ["藿香正气口服液", "对乙酰氨基酚片", "阿莫西林胶囊", "铝碳酸镁咀嚼片"], 1, 2)])
    total += 2 * len(p)
    return total


# ------------------------------------------------------------------------------------------- finishing
TRACE_FROM = _di("2024-07-01")            # hospitals scan 追溯码 at the outpatient pharmacy from July 2024
LEVEL_IX = {"tertiary": 0, "secondary": 1, "primary": 2}
RATE = {  # insured kind (0 employee, 1 resident) -> visit type -> level (tertiary, secondary, primary, none)
    0: {OUT: [0.55, 0.65, 0.75, 0.6], INP: [0.84, 0.88, 0.91, 0.86], PHARM: [0.95, 0.95, 0.95, 0.95]},
    1: {OUT: [0.4, 0.5, 0.62, 0.45], INP: [0.62, 0.72, 0.82, 0.68], PHARM: [0.4, 0.4, 0.4, 0.4]},
}
DEDUCT = np.array([800.0, 500.0, 200.0, 400.0])


def finish(rng, W, book, claim_base, pack_base, split_rate=0.004):
    cl, li = book.frame()
    n = len(cl)
    cl["t"] = np.minimum(cl.t.to_numpy(), NDAYS * MIN_PER_DAY - 1)
    f = cl.f.to_numpy()
    vt = cl.vt.to_numpy()
    # every claim carries at least one fee line
    has = np.zeros(n, bool)
    has[li.c.to_numpy()] = True
    miss = np.where(~has)[0]
    if len(miss):
        fb = np.where(vt[miss] == PHARM, IT["对乙酰氨基酚片"], np.where(vt[miss] == INP, IT["住院诊查费"], IT["普通门诊诊查费"]))
        li = pd.concat([li, pd.DataFrame({"c": miss, "item": fb, "qty": 1.0, "lp": -1})], ignore_index=True)
    lc = li.c.to_numpy()
    item = li.item.to_numpy()
    day = cl.t.to_numpy() // MIN_PER_DAY
    traced = I_DRUG[item] & ((vt[lc] == PHARM) | ((vt[lc] == OUT) & (day[lc] >= TRACE_FROM)))
    # one scanned line per pack for traced drugs
    qty = li.qty.to_numpy()
    reps = np.where(traced & (qty >= 1) & (qty == np.round(qty)), qty, 1).astype(np.int64)
    li = li.loc[np.repeat(li.index.to_numpy(), reps)].reset_index(drop=True)
    traced = np.repeat(traced, reps)
    li.loc[traced & (reps.repeat(reps) > 1), "qty"] = 1.0
    lc = li.c.to_numpy()
    item = li.item.to_numpy()
    fl = f[lc]
    fcat = W.fcat[fl]
    factor = np.where(fcat >= PHA, 0.92 + 0.2 * hashu(fl, item), np.where(fcat == PCL, 1.05, 1.0))
    price = np.round(I_PRICE[item] * factor, 2)
    serial = scramble(pack_base + np.arange(len(li)), 30, 9) % 10 ** 9
    chk = (hashu(serial, item) * 10000).astype(np.int64)
    code = zpad(I_TRACE_PREFIX[item], 7) + zpad(serial, 9) + zpad(chk, 4)
    trace = np.where(traced, code, "").astype(object)
    qty = li.qty.to_numpy().copy()
    # honest split packs (拆零): one pack's code on two sales of the same drug at the same pharmacy
    if split_rate > 0:
        cand = np.where(traced & (vt[lc] == PHARM) & (I_PRICE[item] < 40))[0]
        o = cand[np.lexsort((cl.t.to_numpy()[lc[cand]], item[cand], fl[cand]))]
        pick = np.where(rng.random(len(o) - 1) < split_rate)[0] if len(o) > 1 else np.zeros(0, int)
        a, b = o[pick], o[pick + 1]
        same = (fl[a] == fl[b]) & (item[a] == item[b]) & (lc[a] != lc[b])
        a, b = a[same], b[same]
        trace[b] = trace[a]
        qty[a] = 0.5
        qty[b] = 0.5
    amount = np.round(qty * price, 2)
    lp = li.lp.to_numpy()
    d = cl.d.to_numpy()
    is_ph = W.pr.doctor.to_numpy()[np.maximum(d, 0)] == False  # noqa: E712
    lp = np.where(lp >= 0, lp, np.where(vt[lc] == PHARM, np.where(is_ph[lc], d[lc], W.pick_pharmacist(fl, hashu(lc))), d[lc]))
    order = np.lexsort((np.arange(len(li)), lc))
    lines = pd.DataFrame({"c": lc[order], "item": item[order], "qty": qty[order], "price": price[order],
                          "amount": amount[order], "lp": lp[order], "trace": trace[order]})
    lines["line_no"] = lines.groupby("c").cumcount() + 1
    total = np.round(np.bincount(lines.c.to_numpy(), weights=lines.amount.to_numpy(), minlength=n), 2)
    # fund share by insurance, visit type and level
    emp = W.pop.employee.to_numpy()[cl.p.to_numpy()]
    lvl = W.fac.level.map(LEVEL_IX).fillna(3).astype(int).to_numpy()[f]
    rate = np.zeros(n)
    for ins in (0, 1):
        for v in (OUT, INP, PHARM):
            m = (emp == (ins == 0)) & (vt == v)
            rate[m] = np.array(RATE[ins][v])[lvl[m]]
    rate *= rng.uniform(0.9, 1.04, n)
    res_ph0 = (vt == PHARM) & ~emp & (rng.random(n) < 0.45)
    rate[res_ph0] = 0.0
    fr = cl.frate.to_numpy()
    rate = np.where(np.isnan(fr), rate, fr * np.where(fr > 0, rng.uniform(0.96, 1.0, n), 1))
    base = np.where(vt == INP, np.maximum(total - DEDUCT[lvl], 0), total)
    fund = np.clip(np.round(base * rate, 2), 0, total)
    cl["total"] = total
    cl["fund"] = fund
    cl["claim_no"] = claim_base + np.arange(n)
    return cl, lines


def claims_table(W, cl):
    fid = W.fac.facility_id.to_numpy()
    f = cl.f.to_numpy()
    t = cl.t.to_numpy()
    vt = cl.vt.to_numpy()
    ym = pd.Series(min_str(t)).str.slice(2, 7).str.replace("-", "", regex=False).to_numpy(dtype=object)
    cid = np.array(["MZ", "ZY", "YD"], dtype=object)[vt] + ym + zpad(scramble(cl.claim_no.to_numpy(), 33, 13), 10)
    dev = cl.dev.to_numpy()
    dstr = np.full(len(cl), "", dtype=object)
    m = dev >= 0
    dstr[m] = device_str(dev[m])
    m = dev <= -2
    code = -2 - dev[m]
    dstr[m] = terminal_str(fid[code // 64], code % 64)
    d = cl.d.to_numpy()
    prid = W.pr.practitioner_id.to_numpy()
    adm = cl.adm.to_numpy()
    dis = cl.dis.to_numpy()
    inp = vt == INP
    out = pd.DataFrame({
        "claim_id": cid, "person_id": W.pop.person_id.to_numpy()[cl.p.to_numpy()], "facility_id": fid[f],
        "practitioner_id": np.where(d >= 0, prid[np.maximum(d, 0)], ""), "visit_type": VT[vt], "settled_at": min_str(t),
        "admitted_at": np.where(inp, min_str(adm), ""),
        "discharged_at": np.where(inp, min_str(dis), ""),
        "diagnosis_code": np.array(ICDS, dtype=object)[cl.dx.to_numpy()], "total_amount": cl.total.to_numpy(),
        "fund_paid": cl.fund.to_numpy(), "region_code": R_CODE[W.freg[f]], "auth_method": AUTH[cl.auth.to_numpy()],
        "device_id": dstr})
    return out


def lines_table(W, lines, claim_ids):
    lp = lines.lp.to_numpy()
    item = lines.item.to_numpy()
    return pd.DataFrame({"claim_id": claim_ids[lines.c.to_numpy()], "line_no": lines.line_no.to_numpy(),
                         "item_code": ITEMS.code.to_numpy()[item], "item_name": ITEMS.name.to_numpy()[item],
                         "item_type": ITEMS.type.to_numpy()[item], "quantity": lines.qty.to_numpy(),
                         "unit_price": lines.price.to_numpy(), "amount": lines.amount.to_numpy(),
                         "practitioner_id": np.where(lp >= 0, W.pr.practitioner_id.to_numpy()[np.maximum(lp, 0)], ""),
                         "trace_code": lines.trace.to_numpy()})


SUPPLIERS = ["国药控股四川医药股份有限公司", "重药控股四川医药有限公司", "四川科伦医药贸易集团有限公司", "华润四川医药有限公司",
             "九州通医药集团四川有限公司", "四川合纵药易购医药股份有限公司"]


def purchases_table(rng, W, cl, lines, honest=True):
    """Stock-in (进) that roughly covers what was sold: bought a few days before the month it is for, with
    stock from before the window, late records, small gaps, and stores of a chain moving stock between them."""
    drug = I_DRUG[lines.item.to_numpy()]
    c = lines.c.to_numpy()[drug]
    f = cl.f.to_numpy()[c]
    day = cl.t.to_numpy()[c] // MIN_PER_DAY
    month = (START_DAY + day.astype("timedelta64[D]")).astype("datetime64[M]")
    mi = (month - np.datetime64("2023-07", "M")).astype(np.int64)
    g = pd.DataFrame({"f": f, "item": lines.item.to_numpy()[drug], "m": mi, "q": lines.qty.to_numpy()[drug]})
    g = g.groupby(["f", "item", "m"], as_index=False).q.sum()
    n = len(g)
    q = g.q.to_numpy() * rng.uniform(1.0, 1.12, n)
    gap = rng.random(n) < 0.03
    q[gap] *= rng.uniform(0.85, 0.95, gap.sum())
    pre = (g.m.to_numpy() == 0) & (rng.random(n) < 0.4)
    q[pre] *= rng.uniform(0.0, 0.7, pre.sum())
    price = I_PRICE[g.item.to_numpy()]
    case = np.where(price <= 50, 10, np.where(price <= 500, 5, 1))
    q = np.ceil(q / case) * case
    fcat = W.fcat[g.f.to_numpy()]
    chain = W.fac.chain.to_numpy()[g.f.to_numpy()]
    supplier = np.array(SUPPLIERS, dtype=object)[(hashu(g.f.to_numpy(), g.item.to_numpy()) * len(SUPPLIERS)).astype(int)]
    is_chain = (chain >= 0) & np.isin(fcat, [CHAIN, DTP])
    supplier[is_chain] = np.array([CHAINS[k] + "配送中心" for k in chain[is_chain]], dtype=object)
    # deliveries: one to three per month, the first a few days before the month starts; a few recorded late
    k = np.where(q > 3 * case, rng.integers(1, 4, n), 1)
    i, j = explode(k)
    mstart = (np.datetime64("2023-07-01") + 0 * np.arange(1)).astype("datetime64[M]")[0] + g.m.to_numpy()[i].astype("timedelta64[M]")
    mday = (mstart.astype("datetime64[D]") - START_DAY).astype(np.int64)
    dday = np.where(j == 0, mday - rng.integers(2, 11, len(i)), mday + j * 9 + rng.integers(0, 5, len(i)))
    late = rng.random(len(i)) < 0.02
    dday[late] = mday[late] + rng.integers(10, 25, late.sum())
    qq = np.maximum(case[i], np.round(q[i] / k[i] / case[i]) * case[i])
    out = pd.DataFrame({"f": g.f.to_numpy()[i], "item": g.item.to_numpy()[i], "day": dday, "q": qq,
                        "price": np.round(price[i] * rng.uniform(0.68, 0.86, len(i)), 2), "sup": supplier[i]})
    # chain stores lend stock: part of a store's month comes from a sister store, recorded as a transfer
    ch = np.where(is_chain[i] & (rng.random(len(i)) < 0.15) & (j == 0))[0]
    if len(ch):
        stores = pd.Series(np.where((W.fac.chain.to_numpy() >= 0) & np.isin(W.fcat, [CHAIN]))[0])
        by_chain = stores.groupby(W.fac.chain.to_numpy()[stores.to_numpy()]).apply(list).to_dict()
        sis = np.array([by_chain.get(chain[i][x], [out.f.iat[x]])[int(rng.integers(0, len(by_chain.get(chain[i][x], [0]))))]
                        for x in ch])
        moved = np.ceil(out.q.to_numpy()[ch] * 0.3)
        out.loc[ch, "q"] = out.q.to_numpy()[ch] - moved
        tr = pd.DataFrame({"f": out.f.to_numpy()[ch], "item": out.item.to_numpy()[ch], "day": out.day.to_numpy()[ch] + 2,
                           "q": moved, "price": out.price.to_numpy()[ch],
                           "sup": "调拨自" + W.fac.facility_id.to_numpy()[sis]})
        extra = out.iloc[ch].copy()
        extra["f"] = sis
        extra["q"] = moved
        out = pd.concat([out, tr, extra], ignore_index=True)
    out = out[out.q > 0]
    return out


def purchases_strings(W, pu, rng):
    t = pu.day.to_numpy() * MIN_PER_DAY + rng.integers(8 * 60, 17 * 60, len(pu))
    return pd.DataFrame({"facility_id": W.fac.facility_id.to_numpy()[pu.f.to_numpy()],
                         "item_code": ITEMS.code.to_numpy()[pu.item.to_numpy()], "purchased_at": min_str(t),
                         "quantity": pu.q.to_numpy(), "unit_price": pu.price.to_numpy(), "supplier": pu.sup.to_numpy()})


# ------------------------------------------------------------------------------------------------ main
TYPOLOGIES = ["card_cashout", "induced_admission", "card_lending", "impersonation", "drug_resale",
              "prescription_collusion", "fictitious_services"]


def build(out, seed, P, rings=True, quiet=False):
    t0 = time.time()
    rng = np.random.default_rng([seed, 2023])
    pop, _ = build_population(rng, P)
    fac = build_facilities(rng, P, pop)
    pr = build_practitioners(rng, fac, P)
    pop = institutions(rng, pop, fac)
    ids = build_identifiers(rng, pop, fac, pr)
    W = World(pop, fac, pr)
    B = Book()
    acute_outpatient(rng, W, B)
    acute_pharmacy(rng, W, B)
    chronic_refills(rng, W, B)
    inpatient(rng, W, B)
    special_schedules(rng, W, B)
    community_events(rng, W, B)
    cl, lines = finish(rng, W, B, 0, 0)
    pu = purchases_table(rng, W, cl, lines)
    pu_s = purchases_strings(W, pu, rng)
    labels = pd.DataFrame(columns=["ring_id", "typology", "entity_type", "entity_id", "role"])
    ring_summary = {}
    claims = [claims_table(W, cl)]
    items = [lines_table(W, lines, claims[0].claim_id.to_numpy())]
    idents = [ids]
    purch = [pu_s]
    if rings:
        rr = np.random.default_rng([seed, 0xB10D2])
        RB = Book()
        labels, extra_ids, ring_summary, resale_f = plant_rings(rr, W, RB, cl)
        if RB.n:
            rcl, rlines = finish(rr, W, RB, 1 << 31, 1 << 28, split_rate=0.0)
            by_src = rcl.groupby("src").agg(n=("fund", "size"), fund=("fund", "sum"))
            for typ, src in RING_SRC.items():
                if typ in ring_summary and src in by_src.index:
                    ring_summary[typ] = (f"{ring_summary[typ]} rings, {int(by_src.n[src]):,d} claims, "
                                         f"fund {by_src.fund[src]:,.0f} yuan")
            rlines = reuse_trace_codes(rr, W, rcl, rlines, lines)
            ct = claims_table(W, rcl)
            claims.append(ct)
            items.append(lines_table(W, rlines, ct.claim_id.to_numpy()))
            # drugs that were really handed out (resale, steered prescriptions) were bought in first
            real = rcl.src.isin([40, 50]).to_numpy()
            keep = real[rlines.c.to_numpy()]
            if keep.any():
                rp = purchases_table(rr, W, rcl, rlines[keep].reset_index(drop=True))
                purch.append(purchases_strings(W, rp, rr))
        idents.append(extra_ids)
    out.mkdir(parents=True, exist_ok=True)
    persons = pop[["person_id", "name", "id_card"]].copy()
    persons["gender"] = np.where(pop.female, "F", "M")
    persons["birth_date"] = day_str(pop.birth_day.to_numpy())
    persons["region_code"] = R_CODE[pop.ins_region.to_numpy()]
    persons["insurance_type"] = np.where(pop.employee, "employee", "resident")
    persons["death_date"] = np.where(pop.death_day.to_numpy() < NEVER, day_str(np.minimum(pop.death_day.to_numpy(), NDAYS)), "")
    persons.to_csv(out / "persons.csv", index=False)
    fo = fac[["facility_id", "name", "kind", "level", "ownership", "region_code", "address"]].copy()
    fo["beds"] = fac.beds.astype("Int64")
    fo.to_csv(out / "facilities.csv", index=False)
    pr[["practitioner_id", "name", "role", "facility_id", "department", "id_card"]].to_csv(out / "practitioners.csv", index=False)
    claims = pd.concat(claims, ignore_index=True).sort_values(["settled_at", "claim_id"], kind="stable")
    claims.to_csv(out / "claims.csv", index=False, float_format="%.2f")
    items = pd.concat(items, ignore_index=True)
    # a few settlements reach the extract without their fee detail
    h = pd.util.hash_pandas_object(items.claim_id, index=False).to_numpy() % np.uint64(1000)
    items = items[h >= np.uint64(40)]
    items.to_csv(out / "claim_items.csv", index=False)
    idents = pd.concat(idents, ignore_index=True).drop_duplicates(["owner_type", "owner_id", "kind", "value"])
    idents.to_csv(out / "identifiers.csv", index=False)
    purch = pd.concat(purch, ignore_index=True)
    purch.to_csv(out / "purchases.csv", index=False)
    labels[["ring_id", "typology", "entity_type", "entity_id", "role"]].to_csv(out / "labels.csv", index=False)
    counts = {name: len(df) for name, df in (("persons", persons), ("facilities", fo), ("practitioners", pr),
                                             ("claims", claims), ("claim_items", items),
                                             ("identifiers", idents), ("purchases", purch), ("labels", labels))}
    if not quiet:
        print(f"blind world two: seed {seed}, {P} persons, {'with' if rings else 'without'} rings, "
              f"{time.time() - t0:.1f}s")
        for k, v in counts.items():
            print(f"  {k:14s} {v:>10,d}")
        for k, v in sorted(ring_summary.items()):
            print(f"  rings {k:24s} {v}")
    return counts, ring_summary


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--persons", type=int, default=100000)
    ap.add_argument("--no-rings", action="store_true")
    a = ap.parse_args(argv)
    build(a.out, a.seed, a.persons, rings=not a.no_rings)


# ------------------------------------------------------------------------------------------------ rings
RING_SRC = {"card_cashout": 30, "induced_admission": 31, "card_lending": 32, "impersonation": 33,
            "fictitious_services": 34, "drug_resale": 40, "prescription_collusion": 50}
RING_WEIGHTS = {"card_cashout": 0.2, "induced_admission": 0.13, "card_lending": 0.15, "impersonation": 0.12,
                "drug_resale": 0.15, "prescription_collusion": 0.12, "fictitious_services": 0.13}
CASHOUT_GOODS = ["安宫牛黄丸", "片仔癀", "百令胶囊", "甘精胰岛素注射液", "布地奈德福莫特罗吸入粉雾剂", "沙库巴曲缬沙坦钠片", "复方丹参滴丸"]
RESALE_GOODS = ["司美格鲁肽注射液", "甘精胰岛素注射液", "沙库巴曲缬沙坦钠片", "布地奈德福莫特罗吸入粉雾剂", "替格瑞洛片", "达格列净片"]


class Planter:
    def __init__(self, rr, W, B, honest):
        self.rr, self.W, self.B = rr, W, B
        self.used = np.zeros(len(W.pop), bool)
        self.used[W.pop.home_inst.to_numpy() >= 0] = True
        self.labels, self.ids = [], []
        self.next_id = RING_ID_BASE
        self.honest_count = np.bincount(honest.p.to_numpy(), minlength=len(W.pop))
        self.honest = honest

    def new_ids(self, k):
        v = self.next_id + np.arange(k)
        self.next_id += k
        return v

    def label(self, ring, typ, etype, eids, role):
        eids = np.atleast_1d(eids)
        self.labels.append(pd.DataFrame({"ring_id": ring, "typology": typ, "entity_type": etype, "entity_id": eids,
                                         "role": role}))

    def ident(self, owner_type, owner_ids, kind, values, first=""):
        owner_ids, values = np.broadcast_arrays(np.atleast_1d(np.asarray(owner_ids, dtype=object)),
                                                np.atleast_1d(np.asarray(values, dtype=object)))
        self.ids.append(pd.DataFrame({"owner_type": owner_type, "owner_id": owner_ids, "kind": kind, "value": values,
                                      "first_seen": first, "last_seen": ""}))

    def people(self, k, cond, window_end):
        W = self.W
        cand = np.where(cond & ~self.used & (W.death > window_end))[0]
        k = min(k, len(cand))
        p = self.rr.choice(cand, k, replace=False) if k else np.zeros(0, int)
        self.used[p] = True
        return p

    def pid(self, p):
        return self.W.pop.person_id.to_numpy()[p]

    def fid(self, f):
        return self.W.fac.facility_id.to_numpy()[f]

    def prid(self, d):
        return self.W.pr.practitioner_id.to_numpy()[d]


def _sessions(rr, start, end, gap_lo, gap_hi):
    days, d = [], start + int(rr.integers(0, gap_lo + 1))
    while d <= end:
        days.append(d)
        d += int(rr.integers(gap_lo, gap_hi + 1))
    return np.array(days, np.int64)


def ring_card_cashout(pl, ring, it, start, end):
    rr, W, B = pl.rr, pl.W, pl.B
    typ = "card_cashout"
    ph = np.where(np.isin(W.fcat, [PHA, CHAIN]) & np.isin(W.freg, CD))[0]
    f = int(rr.choice(ph))
    reg = W.freg[f]
    near = np.isin(W.pop.res.to_numpy(), [reg]) | (rr.random(len(W.pop)) < 0.25)
    k = int(np.clip(rr.integers(8, 61) * (0.5 + it), 6, 60))
    members = pl.people(k, W.pop.employee.to_numpy() & (W.age > 25) & (W.age < 70) & near &
                        np.isin(W.pop.res.to_numpy(), CD), end)
    coll = pl.people(1 + (k > 30), (W.age > 28) & (W.age < 60) & np.isin(W.pop.res.to_numpy(), CD), end)
    pharmacist = W.pick_pharmacist(np.array([f]), np.array([0.0]))[0]
    days = _sessions(rr, start, end, 5 if it > 0.6 else 8, 10 if it > 0.6 else 20)
    goods = np.array([IT[g] for g in rr.choice(CASHOUT_GOODS, 3 if it > 0.6 else 5, replace=False)])
    share = 0.5 + 0.5 * it
    dev_term = -2 - f * 64
    rows = []
    for dday in days:
        who = members[rr.random(len(members)) < share * 0.6]
        if not len(who):
            continue
        if it > 0.5:   # a stack of cards swiped one after another in the evening
            t = dday * MIN_PER_DAY + int(rr.integers(19 * 60, 21 * 60)) + np.cumsum(rr.integers(1, 4, len(who)))
        else:          # spread over the day, one or two at a time
            t = dday * MIN_PER_DAY + np.sort(rr.integers(9 * 60, 21 * 60, len(who)))
        rows.append((who, t))
    if not rows:
        return
    p = np.concatenate([r[0] for r in rows])
    t = np.concatenate([r[1] for r in rows])
    ok = t // MIN_PER_DAY < W.death[p]
    p, t = p[ok], t[ok]
    auth = np.where(rr.random(len(p)) < 0.85, 0, 1)
    dev = np.where(auth == 0, dev_term, W.ev[p])
    dev = np.where(dev == -1, dev_term, dev)
    auth = np.where(dev == dev_term, 0, 1)
    c = B.add(p, np.full(len(p), f), pharmacist, PHARM, t, np.where(W.pop.n_chronic.to_numpy()[p] > 0, first_dx(W, p), DX["R53"]),
              auth, dev, src=30)
    if it > 0.6:
        g = goods[(hashu(np.full(len(c), int(ring[-3:])), np.zeros(len(c))) * len(goods)).astype(int)]
        B.lines(c, g, np.maximum(1, np.round(600 / I_PRICE[g])))
    else:
        g = goods[rr.integers(0, len(goods), len(c))]
        B.lines(c, g, np.maximum(1, np.round(rr.uniform(250, 1200, len(c)) / I_PRICE[g])))
        g2 = rr.random(len(c)) < 0.4
        B.lines(c[g2], goods[rr.integers(0, len(goods), g2.sum())], 1)
    # money and phones lead back to the collectors
    cb = pl.new_ids(len(coll) * 2)
    cph = pl.new_ids(len(coll) * 2)
    for k2, cp in enumerate(coll):
        pl.ident("person", pl.pid(cp), "bank_account", bank_str(cb[2 * k2:2 * k2 + 2]))
        pl.ident("person", pl.pid(cp), "phone", phone_str(cph[2 * k2:2 * k2 + 2]))
    m = rr.random(len(members)) < 0.25 + 0.5 * it
    pl.ident("person", pl.pid(members[m]), "bank_account", bank_str(cb[rr.integers(0, len(cb), m.sum())]))
    m = rr.random(len(members)) < 0.15 + 0.4 * it
    pl.ident("person", pl.pid(members[m]), "phone", phone_str(cph[rr.integers(0, len(cph), m.sum())]))
    pl.label(ring, typ, "person", pl.pid(coll), "organiser")
    pl.label(ring, typ, "person", pl.pid(members), "cardholder")
    pl.label(ring, typ, "facility", pl.fid(f), "pharmacy")
    pl.label(ring, typ, "practitioner", pl.prid(pharmacist), "pharmacist")


def ring_induced_admission(pl, ring, it, start, end):
    rr, W, B = pl.rr, pl.W, pl.B
    typ = "induced_admission"
    hs = np.where((W.fcat == PRIVH) & np.isin(W.freg, CD))[0]
    f = int(rr.choice(hs))
    reg = W.freg[f]
    res = W.pop.res.to_numpy()
    far = ~np.isin(res, [reg]) & (np.isin(res, CD[12:]) | np.isin(res, NEAR))
    k = int(np.clip(rr.integers(12, 61) * (0.5 + it), 8, 60))
    pts = pl.people(k, (W.age > 55) & (W.age < 86) & far, end)
    recs = pl.people(int(rr.integers(2, 5)), (W.age > 30) & (W.age < 62) & np.isin(res, CD), end)
    docs = W.pick_doc(np.full(3, f), rr.random(3))
    docs = np.unique(docs[docs >= 0])
    dx_set = np.array([DX[x] for x in (["M51.2"] if it > 0.7 else rr.choice(["M51.2", "M17.9", "I69.3", "K29.7", "I63.9"], 3,
                                                                             replace=False))])
    waves = _sessions(rr, start, end - 15, 20 if it > 0.6 else 35, 40 if it > 0.6 else 70)
    rows = []
    for wd in waves:
        who = pts[rr.random(len(pts)) < (0.3 + 0.2 * it)]
        if len(who) < 3:
            continue
        spread = 0 if it > 0.6 else 3
        adm = wd + rr.integers(0, spread + 1, len(who))
        los = np.clip(np.round(rr.normal(10, 1 if it > 0.6 else 2.5, len(who))), 6, 16).astype(np.int64)
        rows.append((who, adm, los))
    if not rows:
        return
    p = np.concatenate([r[0] for r in rows])
    adm = np.concatenate([r[1] for r in rows])
    los = np.concatenate([r[2] for r in rows])
    ok = (adm + los < NDAYS) & (adm + los <= W.death[p])
    p, adm, los = p[ok], adm[ok], los[ok]
    adm_t = adm * MIN_PER_DAY + 9 * 60 + rr.integers(0, 180, len(p))
    dis_t = (adm + los) * MIN_PER_DAY + 9 * 60 + rr.integers(0, 120, len(p))
    fa = np.full(len(p), f)
    c = B.add(p, fa, docs[rr.integers(0, len(docs), len(p))], INP, dis_t, dx_set[rr.integers(0, len(dx_set), len(p))], 0,
              -2 - fa * 64, adm_t, dis_t, src=31)
    for it_name in ("床位费（三人间）", "Ⅱ级护理", "住院诊查费", "中频脉冲电治疗", "普通针刺", "推拿治疗", "静脉输液（第一组）"):
        B.lines(c, IT[it_name], los)
    B.lines(c, IT["0.9%氯化钠注射液"], los)
    B.lines(c, IT["腰椎磁共振平扫"], 1)
    B.lines(c, IT["肝肾功能血脂血糖（生化全套）"], 1)
    B.lines(c, IT["血细胞分析（血常规）"], 2)
    B.lines(c, IT["复方丹参滴丸"], 2)
    rp = pl.new_ids(len(recs) * 2)
    for k2, r in enumerate(recs):
        pl.ident("person", pl.pid(r), "phone", phone_str(rp[2 * k2:2 * k2 + 2]))
    m = rr.random(len(pts)) < 0.3 + 0.5 * it
    pl.ident("person", pl.pid(pts[m]), "phone", phone_str(rp[rr.integers(0, len(rp), m.sum())]))
    pl.label(ring, typ, "person", pl.pid(recs), "recruiter")
    pl.label(ring, typ, "person", pl.pid(pts), "patient")
    pl.label(ring, typ, "facility", pl.fid(f), "hospital")
    pl.label(ring, typ, "practitioner", pl.prid(docs), "doctor")


def ring_card_lending(pl, ring, it, start, end):
    rr, W, B = pl.rr, pl.W, pl.B
    typ = "card_lending"
    res = W.pop.res.to_numpy()
    k = int(np.clip(rr.integers(6, 41) * (0.5 + it), 5, 45))
    lenders = pl.people(k, (W.age > 20) & (W.age < 75) & np.isin(res, CD), end)
    org = pl.people(1 + (k > 20), (W.age > 25) & (W.age < 60) & np.isin(res, CD), end)
    devs = pl.new_ids(int(rr.integers(2, 5)))
    phones = pl.new_ids(len(devs))
    places = np.where(np.isin(W.fcat, [PHA, CHAIN, PCL]) & np.isin(W.freg, CD))[0]
    home = rr.choice(places, int(rr.integers(3, 9)), replace=False)
    runs = _sessions(rr, start, end, 3 if it > 0.6 else 6, 8 if it > 0.6 else 15)
    P_, F_, T_, D_ = [], [], [], []
    for rd in runs:
        stops = rr.choice(home, int(rr.integers(2, min(5, len(home)) + 1)), replace=False)
        t = rd * MIN_PER_DAY + int(rr.integers(9 * 60, 15 * 60))
        dv = devs[int(rr.integers(0, len(devs)))]
        for s_ in stops:
            who = rr.choice(lenders, min(len(lenders), int(rr.integers(2, 7))), replace=False)
            tt = t + np.cumsum(rr.integers(1, 5 if it > 0.5 else 12, len(who)))
            P_.append(who), F_.append(np.full(len(who), s_)), T_.append(tt), D_.append(np.full(len(who), dv))
            t = tt[-1] + int(rr.integers(15, 50))
    p, f, t, dv = map(np.concatenate, (P_, F_, T_, D_))
    ok = t // MIN_PER_DAY < W.death[p]
    p, f, t, dv = p[ok], f[ok], t[ok], dv[ok]
    ph = W.fcat[f] >= PHA
    d = np.where(ph, W.pick_pharmacist(f, rr.random(len(p))), W.pick_doc(f, rr.random(len(p))))
    c = B.add(p, f, d, np.where(ph, PHARM, OUT), t, np.where(W.pop.n_chronic.to_numpy()[p] > 0, first_dx(W, p), DX["I10"]),
              1, dv, src=32)
    B.lines(c[~ph], IT["普通门诊诊查费"], 1)
    goods = np.array([IT[g] for g in ["甘精胰岛素注射液", "苯磺酸氨氯地平片", "阿托伐他汀钙片", "布地奈德福莫特罗吸入粉雾剂", "百令胶囊",
                                      "达格列净片", "硫酸氢氯吡格雷片"]])
    g = goods[rr.integers(0, len(goods), len(c))]
    B.lines(c, g, rr.integers(2, 5, len(c)))
    for k2, o in enumerate(org):
        pl.ident("person", pl.pid(o), "device", device_str(devs))
        pl.ident("person", pl.pid(o), "phone", phone_str(phones))
    m = rr.random(len(lenders)) < 0.3 + 0.5 * it
    pl.ident("person", pl.pid(lenders[m]), "device", device_str(devs[rr.integers(0, len(devs), m.sum())]))
    m = rr.random(len(lenders)) < 0.1 + 0.4 * it
    pl.ident("person", pl.pid(lenders[m]), "phone", phone_str(phones[rr.integers(0, len(phones), m.sum())]))
    m = rr.random(len(lenders)) < 0.3 * it
    pl.ident("person", pl.pid(lenders[m]), "proxy_id_card", W.pop.id_card.to_numpy()[org[0]])
    pl.label(ring, typ, "person", pl.pid(org), "organiser")
    pl.label(ring, typ, "person", pl.pid(lenders), "lender")


def ring_impersonation(pl, ring, it, start, end):
    rr, W, B = pl.rr, pl.W, pl.B
    typ = "impersonation"
    pop = W.pop
    res = pop.res.to_numpy()
    fs = np.where(np.isin(W.fcat, [PCL, PHA, VIL]) & np.isin(W.freg, CD))[0]
    fset = rr.choice(fs, int(rr.integers(1, 4)), replace=False)
    reg = W.freg[fset[0]]
    k = int(np.clip(rr.integers(4, 26) * (0.5 + it), 3, 30))
    # cards of the dead (never handed back) and of people working far away
    dead = np.where(~pl.used & (W.death < NDAYS - 60) & (W.death > 20) & np.isin(res, CD) & (W.age > 55))[0]
    away = np.where(~pl.used & ((pop.rel.to_numpy() == "migrant") |
                                (np.isin(pop.res_after.to_numpy(), FAR) & (pop.move_day.to_numpy() < NDAYS - 90))))[0]
    nd = min(len(dead), max(1, int(k * 0.5)))
    owners = np.r_[rr.choice(dead, nd, replace=False), rr.choice(away, min(len(away), k - nd), replace=False)].astype(int)
    pl.used[owners] = True
    broker = pl.people(1, (W.age > 30) & (W.age < 65) & (res == reg) | (W.age > 30) & (W.age < 65) & np.isin(res, CD), NDAYS)
    devs = pl.new_ids(2)
    gap = 12 if it > 0.5 else 25
    i, j, day = schedule(rr, np.full(len(owners), start) + rr.integers(0, gap, len(owners)), gap, np.full(len(owners), end), 3, 0.1)
    p = owners[i]
    is_dead = W.death[p] < NEVER
    ok = np.where(is_dead, day > W.death[p] + 7, True)
    # the migrants' cards are used in 成都 also on days their holders see a doctor far away
    hc = pl.honest
    far_days = hc[np.isin(hc.p.to_numpy(), owners) & np.isin(W.freg[hc.f.to_numpy()], FAR)]
    fp = far_days.p.to_numpy()
    fd = far_days.t.to_numpy() // MIN_PER_DAY
    sel = (fd >= start) & (fd <= end) & (rr.random(len(fp)) < 0.5 + 0.4 * it)
    p = np.r_[p[ok], fp[sel]]
    day = np.r_[day[ok], fd[sel]]
    f = fset[rr.integers(0, len(fset), len(p))]
    t = day * MIN_PER_DAY + tod_clinic(rr, len(p))
    ph = W.fcat[f] >= PHA
    d = np.where(ph, W.pick_pharmacist(f, np.zeros(len(p))), W.pick_doc(f, np.zeros(len(p))))
    use_phone = rr.random(len(p)) < 0.6
    dev = np.where(use_phone, devs[rr.integers(0, 2, len(p))], -2 - f * 64)
    # a few claims do not even fit the card: women's complaints on men's cards, children's granules for the old
    dx = np.where(pop.n_chronic.to_numpy()[p] > 0, first_dx(W, p), DX["I10"])
    odd = rr.random(len(p)) < 0.15 * it
    dx = np.where(odd & ~W.female[p], DX["N76.0"], dx)
    c = B.add(p, f, d, np.where(ph, PHARM, OUT), t, dx, np.where(use_phone, 1, 0), dev, src=33)
    B.lines(c[~ph], IT["一般诊疗费"], 1)
    goods = np.array([IT[g] for g in ["苯磺酸氨氯地平片", "盐酸二甲双胍片", "阿托伐他汀钙片", "百令胶囊", "复方丹参滴丸", "甘精胰岛素注射液"]])
    B.lines(c, goods[rr.integers(0, len(goods), len(c))], rr.integers(1, 4, len(c)))
    kid = odd & W.female[p]
    B.lines(c[kid], IT["小儿豉翘清热颗粒"], 2)
    pl.ident("person", pl.pid(broker), "device", device_str(devs))
    m = rr.random(len(owners)) < 0.3 + 0.4 * it
    pl.ident("person", pl.pid(owners[m]), "device", device_str(devs[rr.integers(0, 2, m.sum())]))
    pl.label(ring, typ, "person", pl.pid(broker), "organiser")
    pl.label(ring, typ, "person", pl.pid(owners), "card_owner")
    pl.label(ring, typ, "facility", pl.fid(fset), "facility")
    dd = np.unique(d)
    pl.label(ring, typ, "practitioner", pl.prid(dd), "staff")


def ring_drug_resale(pl, ring, it, start, end):
    rr, W, B = pl.rr, pl.W, pl.B
    typ = "drug_resale"
    res = W.pop.res.to_numpy()
    k = int(np.clip(rr.integers(5, 41) * (0.5 + it), 4, 45))
    pts = pl.people(k, (W.age > 35) & (W.age < 78) & np.isin(res, CD), end)
    broker = pl.people(int(rr.integers(1, 3)), (W.age > 28) & (W.age < 60) & np.isin(res, CD), end)
    goods = np.array([IT[g] for g in rr.choice(RESALE_GOODS, int(rr.integers(1, 3)), replace=False)])
    places = np.r_[rr.choice(np.where(np.isin(W.fcat, [TER, SEC]) & np.isin(W.freg, CD))[0], 3, replace=False),
                   rr.choice(np.where(np.isin(W.fcat, [PHA, CHAIN]) & np.isin(W.freg, CD))[0], int(rr.integers(2, 6)), replace=False)]
    gap = int(10 + 15 * (1 - it))
    i, j, day = schedule(rr, start + rr.integers(0, gap, len(pts)), gap, np.minimum(end, W.death[pts]), 4, 0.1)
    p = pts[i]
    f = places[rr.integers(0, len(places), len(p))]
    ph = W.fcat[f] >= PHA
    t = day * MIN_PER_DAY + np.where(ph, tod_pharm(rr, len(p)), tod_clinic(rr, len(p)))
    presc = W.pick_doc(f, rr.random(len(p)))
    # pharmacy fills carry a hospital doctor's prescription
    hosp_doc = W.pick_doc(places[:3][rr.integers(0, 3, len(p))], rr.random(len(p)))
    d = np.where(ph, hosp_doc, presc)
    auth, dev = W.auth_dev(rr, p, f, day, True)
    g = goods[rr.integers(0, len(goods), len(p))]
    dx = np.select([g == IT["布地奈德福莫特罗吸入粉雾剂"], g == IT["沙库巴曲缬沙坦钠片"], g == IT["替格瑞洛片"]],
                   [DX["J44.9"], DX["I50.9"], DX["I25.1"]], DX["E11.9"])
    c = B.add(p, f, d, np.where(ph, PHARM, OUT), t, dx, auth, dev, src=40)
    B.lines(c[~ph], consult_items(W.fcat[f[~ph]], rr), 1)
    packs = np.maximum(1, np.round(rr.uniform(60, 90, len(c)) / np.maximum(I_DAYS[g], 1)))
    B.lines(c, g, packs, np.where(ph, W.pick_pharmacist(f, rr.random(len(p))), -1))
    bb = pl.new_ids(len(broker) * 2)
    bp = pl.new_ids(len(broker) * 2)
    for k2, b_ in enumerate(broker):
        pl.ident("person", pl.pid(b_), "bank_account", bank_str(bb[2 * k2:2 * k2 + 2]))
        pl.ident("person", pl.pid(b_), "phone", phone_str(bp[2 * k2:2 * k2 + 2]))
    m = rr.random(len(pts)) < 0.2 + 0.5 * it
    pl.ident("person", pl.pid(pts[m]), "bank_account", bank_str(bb[rr.integers(0, len(bb), m.sum())]))
    m = rr.random(len(pts)) < 0.2 + 0.3 * it
    pl.ident("person", pl.pid(pts[m]), "phone", phone_str(bp[rr.integers(0, len(bp), m.sum())]))
    pl.label(ring, typ, "person", pl.pid(broker), "broker")
    pl.label(ring, typ, "person", pl.pid(pts), "patient")


def ring_prescription_collusion(pl, ring, it, start, end):
    rr, W, B = pl.rr, pl.W, pl.B
    typ = "prescription_collusion"
    hs = np.where(np.isin(W.fcat, [SEC, TER, PRIVH]) & np.isin(W.freg, CD))[0]
    h = int(rr.choice(hs))
    ph_c = np.where((W.fcat == PHA) & np.isin(W.freg, CD))[0]
    same = ph_c[W.freg[ph_c] == W.freg[h]]
    pharm = int(rr.choice(same if len(same) else ph_c))
    nd = int(rr.integers(1, 4))
    docs = np.unique(W.pick_doc(np.full(nd, h), rr.random(nd)))
    docs = docs[docs >= 0]
    pharmacist = W.pick_pharmacist(np.array([pharm]), np.array([0.0]))[0]
    res = W.pop.res.to_numpy()
    k = int(np.clip(rr.integers(10, 51) * (0.5 + it), 8, 55))
    pts = pl.people(k, (W.age > 30) & np.isin(res, CD), end)
    gap = int(18 + 20 * (1 - it))
    i, j, day = schedule(rr, start + rr.integers(0, gap, len(pts)), gap, np.minimum(end, W.death[pts]), 5, 0.1)
    p = pts[i]
    d = docs[(hashu(p, np.full(len(p), int(ring[-3:]))) * len(docs)).astype(int)]
    fh = np.full(len(p), h)
    t = day * MIN_PER_DAY + tod_clinic(rr, len(p))
    dx = np.where(W.pop.n_chronic.to_numpy()[p] > 0, first_dx(W, p), DX["K29.7"])
    c = B.add(p, fh, d, OUT, t, dx, *W.auth_dev(rr, p, fh, day), src=50)
    B.lines(c, consult_items(W.fcat[fh], rr), 1)
    B.basket(rr, c, [(0.5, ["血细胞分析（血常规）"], 1, 1), (0.2, ["腹部彩色多普勒超声"], 1, 1)])
    lag = np.where(rr.random(len(p)) < 0.7, rr.integers(20, 120, len(p)), MIN_PER_DAY + rr.integers(0, 300, len(p)))
    t2 = t + lag
    fp = np.full(len(p), pharm)
    c2 = B.add(p, fp, d, PHARM, t2, dx, *W.auth_dev(rr, p, fp, t2 // MIN_PER_DAY, True), src=50)
    regimen_lines(rr, W, B, c2, p, np.full(len(p), 30) * (2 + (it > 0.5)))
    extras = np.array([IT[g] for g in ["百令胶囊", "复方丹参滴丸", "安宫牛黄丸", "塞来昔布胶囊", "奥美拉唑肠溶胶囊"]])
    B.lines(c2, extras[rr.integers(0, len(extras), len(c2))], rr.integers(2, 6, len(c2)), pharmacist)
    B.lines(c2, extras[rr.integers(0, 2, len(c2))], rr.integers(1, 4, len(c2)), pharmacist)
    # the kickback account: the pharmacy's second account is also the doctors'
    acct = pl.new_ids(1)
    pl.ident("facility", pl.fid(pharm), "bank_account", bank_str(acct))
    if it > 0.4:
        pl.ident("practitioner", pl.prid(docs), "bank_account", bank_str(acct))
    else:
        pl.ident("practitioner", pl.prid(docs[:1]), "phone", phone_str(FAC_ID_BASE + np.array([pharm])))
    pl.label(ring, typ, "practitioner", pl.prid(docs), "prescriber")
    pl.label(ring, typ, "facility", pl.fid(pharm), "pharmacy")
    pl.label(ring, typ, "practitioner", pl.prid(pharmacist), "pharmacist")
    pl.label(ring, typ, "person", pl.pid(pts), "patient")


def ring_fictitious_services(pl, ring, it, start, end):
    rr, W, B = pl.rr, pl.W, pl.B
    typ = "fictitious_services"
    cs = np.where(np.isin(W.fcat, [PCL, PRIVH]) & np.isin(W.freg, CD))[0]
    f = int(rr.choice(cs))
    reg = W.freg[f]
    res = W.pop.res.to_numpy()
    quiet = pl.honest_count <= np.percentile(pl.honest_count, 40)
    k = int(np.clip(rr.integers(10, 61) * (0.5 + it), 8, 60))
    pts = pl.people(k, quiet & (W.age > 40) & ((res == reg) | (rr.random(len(res)) < 0.1)) & np.isin(res, CD), end)
    if len(pts) < k // 2:
        pts = np.r_[pts, pl.people(k - len(pts), (W.age > 40) & np.isin(res, CD), end)]
    docs = np.unique(W.pick_doc(np.full(2, f), rr.random(2)))
    owner = pl.people(1, (W.age > 35) & (W.age < 65) & np.isin(res, CD), NDAYS)
    # each patient is billed one to three "courses" of ten to twenty sessions, about three a week
    courses = rr.integers(1, 4 if it > 0.5 else 3, len(pts))
    ci, _ = explode(courses)
    c_start = rr.integers(start, max(start + 1, end - 40), len(ci))
    c_len = rr.integers(10, 21, len(ci))
    si, sj = explode(c_len)
    p = pts[ci[si]]
    day = c_start[si] + (sj * 7) // 3 + rr.integers(0, 2, len(si))
    day = np.minimum(day, NDAYS - 1)
    ok = day < W.death[p]
    p, day = p[ok], day[ok]
    if it > 0.5:   # keyed in after hours, in batches, identical bills
        t = day * MIN_PER_DAY + 20 * 60 + rr.integers(0, 150, len(p))
    else:
        t = day * MIN_PER_DAY + tod_clinic(rr, len(p))
    fa = np.full(len(p), f)
    c = B.add(p, fa, docs[rr.integers(0, len(docs), len(p))], OUT, t,
              np.array([DX["M54.5"], DX["M51.2"], DX["M17.9"]])[rr.integers(0, 3 if it < 0.7 else 1, len(p))],
              np.where(rr.random(len(p)) < 0.8, 0, 3), -2 - fa * 64, src=34)
    for it_name in ("普通针刺", "推拿治疗", "艾灸", "拔罐", "中频脉冲电治疗"):
        if it > 0.6 or rr.random() < 0.7:
            B.lines(c, IT[it_name], 1 if it > 0.6 else rr.integers(1, 3, len(c)))
    mri = rr.random(len(c)) < 0.05
    B.lines(c[mri], IT["腰椎磁共振平扫"], 1)
    pl.label(ring, typ, "facility", pl.fid(f), "facility")
    pl.label(ring, typ, "practitioner", pl.prid(docs[docs >= 0]), "doctor")
    pl.label(ring, typ, "person", pl.pid(owner), "organiser")
    pl.label(ring, typ, "person", pl.pid(pts), "patient")
    pl.ident("person", pl.pid(owner), "phone", phone_str(FAC_ID_BASE + np.array([f])))


RING_FUN = {"card_cashout": ring_card_cashout, "induced_admission": ring_induced_admission,
            "card_lending": ring_card_lending, "impersonation": ring_impersonation, "drug_resale": ring_drug_resale,
            "prescription_collusion": ring_prescription_collusion, "fictitious_services": ring_fictitious_services}


def plant_rings(rr, W, B, honest):
    P = len(W.pop)
    n = max(7, int(round(P / 4000)))
    types = list(rr.permutation(TYPOLOGIES))
    w = np.array([RING_WEIGHTS[t] for t in TYPOLOGIES])
    types += list(rr.choice(TYPOLOGIES, n - 7, p=w / w.sum()))
    pl = Planter(rr, W, B, honest)
    summary = {}
    for k, typ in enumerate(types):
        ring = f"BW2-{k + 1:03d}"
        it = float(rr.uniform(0.15, 1.0))
        start = int(rr.integers(0, NDAYS - 120))
        end = int(min(NDAYS - 1, start + rr.integers(90, NDAYS)))
        RING_FUN[typ](pl, ring, it, start, end)
        summary[typ] = summary.get(typ, 0) + 1
    labels = pd.concat(pl.labels, ignore_index=True).drop_duplicates(["ring_id", "entity_type", "entity_id"])
    ids = pd.concat(pl.ids, ignore_index=True) if pl.ids else pd.DataFrame()
    return labels, ids, summary, None


def reuse_trace_codes(rr, W, rcl, rlines, honest_lines):
    """Cash-out sales scan the same few packs again and again (or codes never bought in)."""
    co = (rcl.src.to_numpy() == 30)[rlines.c.to_numpy()] & (rlines.trace.to_numpy() != "")
    if not co.any():
        return rlines
    idx = np.where(co)[0]
    f = rcl.f.to_numpy()[rlines.c.to_numpy()[idx]]
    item = rlines.item.to_numpy()[idx]
    key = f * NITEM + item
    tr = rlines.trace.to_numpy().copy()
    for kk in np.unique(key):
        m = idx[key == kk]
        if rr.random() < 0.6:
            pool = tr[m[:max(1, len(m) // int(rr.integers(3, 12)))]]
            tr[m] = pool[rr.integers(0, len(pool), len(m))]
    rlines = rlines.copy()
    rlines["trace"] = tr
    return rlines


if __name__ == "__main__":
    main()
