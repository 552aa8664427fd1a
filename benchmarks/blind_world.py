"""An independent synthetic 医保 world, written blind.

Why this exists: ringscope ships its own generator, and a detector tuned on
data from the same hands that wrote it learns those hands' habits (id formats,
time grids, how a ring "looks") as much as it learns fraud. This script was
written from ``design.md`` (the typology table and the paragraph on traps) and
``data-contract.md`` alone, by a session that never read ringscope's generator
or detectors. Detection measured on this data is measured on someone else's
habits and someone else's traps.

Usage::

    .venv/bin/python benchmarks/blind_world.py --out DIR --seed N --persons N [--no-rings]

It writes persons, facilities, practitioners, claims, claim_items, identifiers
and purchases as CSV per the data contract, plus ``labels.csv``. With
``--no-rings`` the honest world and its traps are the same (same seed, same
people, same honest claims); only the rings are left out and ``labels.csv``
holds its header only.

The world is one year (2024) of a prefecture (长沙-like region codes) plus a
few far regions that people move from or to.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

YEAR = 2024
NDAYS = 366
T0 = np.datetime64(f"{YEAR}-01-01T00:00:00", "s")
DAY = 86400

# (code, name, urban?, population weight). Local regions form the prefecture.
LOCAL_REGIONS = [
    ("430102", "芙蓉区", True, 0.12), ("430103", "天心区", True, 0.11),
    ("430104", "岳麓区", True, 0.16), ("430105", "开福区", True, 0.12),
    ("430111", "雨花区", True, 0.15), ("430121", "长沙县", False, 0.13),
    ("430181", "浏阳市", False, 0.12), ("430182", "宁乡市", False, 0.09),
]
# People insured elsewhere who moved here, and a city locals moved away to.
ORIGIN_REGIONS = [("431202", "鹤城区"), ("431221", "中方县"), ("430621", "岳阳县")]
AWAY_REGION = ("440304", "福田区")
RURAL_CODES = {r[0] for r in LOCAL_REGIONS if not r[2]} | {"431221", "430621"}
REGION_PREFIX = {"4301": "湖南省长沙市", "4312": "湖南省怀化市", "4306": "湖南省岳阳市",
                 "4403": "广东省深圳市"}

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛")
SURNAME_W = np.r_[np.linspace(7, 2, 20), np.linspace(1.8, 0.4, len(SURNAMES) - 20)]
GIVEN_M = list("伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘")
GIVEN_F = list("秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽")
ROADS = ["五一大道", "韶山北路", "劳动西路", "人民中路", "解放东路", "芙蓉中路", "湘江中路",
         "麓山南路", "车站北路", "黄兴中路", "万家丽路", "岳华路", "金星中路", "桐梓坡路",
         "曙光路", "东塘路", "新民路", "树木岭路", "洪山路", "三一大道", "银盆岭路", "枫林路"]
TOWNS = ["黄花", "星沙", "榔梨", "大瑶", "官渡", "玉潭", "花明楼", "灰汤", "道林", "集里",
         "淳口", "沙市", "社港", "金井", "福临", "春华", "安沙", "北山"]
VILLAGES = ["新塘", "石桥", "杨柳", "大屋", "枫树", "荷叶", "双江", "白竹", "长冲", "松山",
            "桃花", "金塘", "黄泥", "龙王", "高坪", "水口"]
CHAINS = ["老百姓大药房", "益丰大药房", "养天和大药房", "千金大药房", "湘雅大药房", "仁和堂药店",
          "康寿堂药号", "九芝堂药房"]
SUPPLIERS = ["国药控股湖南有限公司", "华润湖南医药有限公司", "九州通医药集团湖南有限公司",
             "上药控股湖南有限公司", "湖南达嘉维康医药有限公司"]
DEPTS_BIG = ["内科", "外科", "儿科", "妇产科", "骨科", "心血管内科", "内分泌科", "呼吸内科",
             "肿瘤科", "神经内科", "肾内科", "康复医学科", "急诊科", "全科医学科", "消化内科"]

# Catalogue: (tag, name, type, price, days covered per unit; 0 if not a drug).
# Drug prices are post-集采/negotiated levels; services are 湖南-ish price list.
CATALOG = [
    ("acute", "阿莫西林胶囊 0.25g*24粒", "drug", 9.8, 0), ("acute", "头孢克肟分散片 0.1g*6片", "drug", 21.5, 0),
    ("acute", "布洛芬缓释胶囊 0.3g*20粒", "drug", 13.6, 0), ("acute", "复方甘草片 100片", "drug", 7.5, 0),
    ("acute", "奥美拉唑肠溶胶囊 20mg*14粒", "drug", 9.9, 0), ("acute", "蒙脱石散 3g*10袋", "drug", 15.8, 0),
    ("acute", "连花清瘟胶囊 0.35g*24粒", "drug", 14.8, 0), ("acute", "左氧氟沙星片 0.5g*4片", "drug", 12.3, 0),
    ("acute", "氯雷他定片 10mg*6片", "drug", 18.9, 0), ("acute", "双氯芬酸钠缓释片 75mg*10片", "drug", 11.2, 0),
    ("acute", "阿奇霉素片 0.25g*6片", "drug", 16.4, 0), ("acute", "枸橼酸莫沙必利片 5mg*24片", "drug", 26.0, 0),
    ("acute", "感冒清热颗粒 12g*10袋", "drug", 15.0, 0), ("acute", "蒲地蓝消炎口服液 10ml*10支", "drug", 32.0, 0),
    ("acute", "盐酸氨溴索口服溶液 100ml", "drug", 18.5, 0),
    ("chronic", "盐酸二甲双胍缓释片 0.5g*30片", "drug", 9.6, 15), ("chronic", "阿卡波糖片 50mg*30片", "drug", 18.4, 10),
    ("chronic", "苯磺酸氨氯地平片 5mg*28片", "drug", 4.2, 28), ("chronic", "厄贝沙坦片 0.15g*28片", "drug", 9.9, 28),
    ("chronic", "缬沙坦胶囊 80mg*28粒", "drug", 13.5, 28), ("chronic", "阿托伐他汀钙片 20mg*28片", "drug", 7.6, 28),
    ("chronic", "硫酸氢氯吡格雷片 75mg*28片", "drug", 18.2, 28), ("chronic", "阿司匹林肠溶片 100mg*30片", "drug", 14.5, 30),
    ("chronic", "恩替卡韦分散片 0.5mg*28片", "drug", 8.4, 28), ("chronic", "复方丹参滴丸 27mg*180丸", "drug", 38.0, 20),
    ("costly", "噻托溴铵粉吸入剂 18μg*30粒", "drug", 168.0, 30), ("costly", "布地奈德福莫特罗吸入粉雾剂 160μg/4.5μg*60吸", "drug", 226.0, 30),
    ("costly", "甘精胰岛素注射液 3ml:300单位", "drug", 72.0, 20), ("costly", "门冬胰岛素30注射液 3ml:300单位", "drug", 41.0, 15),
    ("costly", "沙库巴曲缬沙坦钠片 100mg*14片", "drug", 86.0, 7), ("costly", "达格列净片 10mg*14片", "drug", 51.0, 14),
    ("costly", "利伐沙班片 10mg*10片", "drug", 25.0, 10), ("costly", "利拉鲁肽注射液 3ml:18mg", "drug", 410.0, 15),
    ("tcm", "参松养心胶囊 0.4g*36粒", "drug", 56.0, 6), ("tcm", "脑心通胶囊 0.4g*48粒", "drug", 52.0, 8),
    ("tcm", "银杏叶片 19.2mg*24片", "drug", 38.0, 8), ("tcm", "复方阿胶浆 20ml*48支", "drug", 198.0, 16),
    ("tcm", "安宫牛黄丸 3g*1丸", "drug", 398.0, 1),
    ("cancer", "甲磺酸奥希替尼片 80mg*30片", "drug", 4580.0, 30), ("cancer", "甲磺酸阿美替尼片 55mg*20片", "drug", 1997.0, 10),
    ("cancer", "注射用曲妥珠单抗 150mg", "drug", 1788.0, 7), ("cancer", "信迪利单抗注射液 10ml:100mg", "drug", 1080.0, 10),
    ("cancer", "来那度胺胶囊 25mg*21粒", "drug", 1290.0, 28), ("cancer", "醋酸阿比特龙片 250mg*120片", "drug", 1550.0, 30),
    ("female", "妇科千金片 0.32g*72片", "drug", 24.0, 0), ("female", "黄体酮软胶囊 100mg*30粒", "drug", 48.0, 0),
    ("male", "盐酸坦索罗辛缓释胶囊 0.2mg*30粒", "drug", 38.0, 0), ("male", "非那雄胺片 5mg*28片", "drug", 62.0, 0),
    ("ipdrug", "注射用头孢曲松钠 1g", "drug", 4.5, 0), ("ipdrug", "0.9%氯化钠注射液 250ml", "drug", 3.5, 0),
    ("ipdrug", "注射用泮托拉唑钠 40mg", "drug", 18.0, 0), ("ipdrug", "注射用丹参多酚酸盐 100mg", "drug", 95.0, 0),
    ("ipdrug", "依诺肝素钠注射液 0.4ml:4000IU", "drug", 28.0, 0), ("ipdrug", "注射用血栓通 150mg", "drug", 32.0, 0),
    ("ipdrug", "盐酸莫西沙星氯化钠注射液 250ml", "drug", 45.0, 0), ("ipdrug", "甘露醇注射液 250ml", "drug", 8.0, 0),
    ("dial", "重组人促红素注射液 3000IU", "drug", 38.0, 0), ("dial", "肝素钠注射液 2ml:12500单位", "drug", 12.0, 0),
    ("consult", "普通门诊诊查费", "service", 10.0, 0), ("consult", "副主任医师诊查费", "service", 20.0, 0),
    ("consult", "主任医师诊查费", "service", 30.0, 0),
    ("exam", "血细胞分析(血常规)", "service", 20.0, 0), ("exam", "尿液分析(尿常规)", "service", 10.0, 0),
    ("exam", "C反应蛋白测定", "service", 25.0, 0), ("exam", "肝功能检测", "service", 60.0, 0),
    ("exam", "肾功能检测", "service", 40.0, 0), ("exam", "血脂四项", "service", 45.0, 0),
    ("exam", "糖化血红蛋白测定", "service", 60.0, 0), ("exam", "常规心电图检查", "service", 25.0, 0),
    ("exam", "胸部X线摄影", "service", 70.0, 0), ("exam", "腹部彩色多普勒超声", "service", 150.0, 0),
    ("exam", "头颅CT平扫", "service", 280.0, 0), ("exam", "腰椎磁共振平扫", "service", 600.0, 0),
    ("ward", "床位费(普通病房)", "service", 50.0, 0), ("ward", "二级护理", "service", 25.0, 0),
    ("ward", "住院诊查费", "service", 20.0, 0), ("ward", "静脉输液", "service", 12.0, 0),
    ("rehab", "运动疗法", "service", 45.0, 0), ("rehab", "中频脉冲电治疗", "service", 25.0, 0),
    ("rehab", "手法治疗", "service", 50.0, 0), ("rehab", "普通针刺", "service", 30.0, 0),
    ("rehab", "推拿治疗", "service", 40.0, 0), ("rehab", "红外线治疗", "service", 15.0, 0),
    ("rehab", "作业疗法", "service", 40.0, 0),
    ("surgery", "清创缝合术", "service", 120.0, 0), ("surgery", "骨折切开复位内固定术", "service", 2800.0, 0),
    ("surgery", "腹腔镜下胆囊切除术", "service", 2400.0, 0), ("surgery", "阑尾切除术", "service", 1300.0, 0),
    ("surgery", "经阴道分娩", "service", 1100.0, 0),
    ("dialsvc", "血液透析", "service", 420.0, 0), ("fdoc", "家庭医生签约随访", "service", 10.0, 0),
    ("material", "一次性使用输液器", "material", 3.5, 0), ("material", "静脉留置针", "material", 18.0, 0),
    ("material", "医用敷料", "material", 12.0, 0), ("implant", "金属接骨板", "material", 3200.0, 0),
    ("dialmat", "血液透析器", "material", 135.0, 0),
]

# ICD-10 groups for honest care.
DX_ACUTE = ["J06.9", "J20.9", "J02.9", "K29.7", "A09.9", "M54.5", "L30.9", "H10.9", "R51", "K30", "J30.4", "M79.1"]
DX_IP_OLD = ["I63.9", "J18.9", "I25.1", "I50.9", "J44.1", "E11.9", "K80.1", "S72.0", "N18.4", "I10"]
DX_IP_ADULT = ["K35.8", "K80.1", "M51.2", "J18.9", "S82.2", "N20.0", "K56.7", "I10"]
DX_IP_CHILD = ["J18.9", "J20.9", "A09.9", "S52.5"]
LOS_BY_DX = {"I63.9": 12, "J18.9": 8, "I25.1": 7, "I50.9": 9, "J44.1": 9, "E11.9": 8, "K80.1": 6,
             "S72.0": 14, "N18.4": 10, "I10": 6, "K35.8": 5, "M51.2": 9, "S82.2": 12, "N20.0": 4,
             "K56.7": 7, "J20.9": 5, "A09.9": 4, "S52.5": 6, "O80": 3, "S06.0": 5, "S22.3": 8,
             "T14.0": 3, "J11.1": 6, "C34.9": 3, "C50.9": 3}
SURGICAL_DX = {"K80.1": "腹腔镜下胆囊切除术", "K35.8": "阑尾切除术", "S72.0": "骨折切开复位内固定术",
               "S82.2": "骨折切开复位内固定术", "O80": "经阴道分娩", "S52.5": "清创缝合术"}
CHRONIC = {  # condition: (diagnosis, drug names, prevalence at 40-59, at 60+)
    "htn": ("I10", ["苯磺酸氨氯地平片 5mg*28片", "厄贝沙坦片 0.15g*28片", "缬沙坦胶囊 80mg*28粒"], 0.18, 0.42),
    "dm": ("E11.9", ["盐酸二甲双胍缓释片 0.5g*30片", "阿卡波糖片 50mg*30片", "达格列净片 10mg*14片",
                     "甘精胰岛素注射液 3ml:300单位"], 0.07, 0.17),
    "chd": ("I25.1", ["阿托伐他汀钙片 20mg*28片", "硫酸氢氯吡格雷片 75mg*28片", "阿司匹林肠溶片 100mg*30片",
                      "复方丹参滴丸 27mg*180丸"], 0.02, 0.09),
    "copd": ("J44.9", ["噻托溴铵粉吸入剂 18μg*30粒", "布地奈德福莫特罗吸入粉雾剂 160μg/4.5μg*60吸"], 0.01, 0.06),
    "hbv": ("B18.1", ["恩替卡韦分散片 0.5mg*28片"], 0.02, 0.01),
    "hf": ("I50.9", ["沙库巴曲缬沙坦钠片 100mg*14片"], 0.003, 0.02),
}
CANCER = {"C34.9": ["甲磺酸奥希替尼片 80mg*30片", "甲磺酸阿美替尼片 55mg*20片", "信迪利单抗注射液 10ml:100mg"],
          "C50.9": ["注射用曲妥珠单抗 150mg"], "C90.0": ["来那度胺胶囊 25mg*21粒"], "C61": ["醋酸阿比特龙片 250mg*120片"]}

VT_OUT, VT_IN, VT_PH = 0, 1, 2
VT_NAMES = np.array(["outpatient", "inpatient", "pharmacy"], dtype=object)
AUTH_NAMES = np.array(["card", "e_voucher", "face", "other"], dtype=object)
A_CARD, A_VOUCHER, A_FACE, A_OTHER = 0, 1, 2, 3
# Item templates: how a claim's fee lines are built (see make_items).
(T_ACUTE, T_OTC, T_REFILL, T_CHRONIC_VISIT, T_INPATIENT, T_DIALYSIS, T_REHAB, T_DTP,
 T_CHECKUP, T_FIXED, T_PICK) = range(11)


# ----------------------------------------------------------------------------
# small helpers
# ----------------------------------------------------------------------------

def unique_ints(rng: np.random.Generator, n: int, lo: int, hi: int) -> np.ndarray:
    """Distinct random integers, so that two strangers never share a phone by accident."""
    out = np.empty(0, dtype=np.int64)
    while len(out) < n:
        draw = rng.integers(lo, hi, size=int(n * 1.2) + 10, dtype=np.int64)
        both = np.concatenate([out, draw])
        _, first = np.unique(both, return_index=True)
        out = both[np.sort(first)]
    return out[:n]


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal strings of an integer array."""
    return np.char.zfill(values.astype(np.int64).astype(str), width).astype(object)


def id_card_numbers(region: np.ndarray, birth: np.ndarray, male: np.ndarray,
                    rng: np.random.Generator) -> np.ndarray:
    """18-character 居民身份证号码 with a valid ISO 7064 MOD 11-2 check character."""
    n = len(region)
    seq = rng.integers(0, 500, n) * 2 + np.where(male, 1, 0)  # odd for men, even for women
    ymd = pd.to_datetime(birth).strftime("%Y%m%d").to_numpy().astype(str)
    body = np.char.add(np.char.add(region.astype(str), ymd), np.char.zfill(seq.astype(str), 3))
    mat = np.frombuffer(body.astype("S17").tobytes(), dtype=np.uint8).reshape(n, 17) - 48
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    check = np.array(list("10X98765432"))[(mat * weights).sum(1) % 11]
    return np.char.add(body, check).astype(object)


def chinese_names(rng: np.random.Generator, surname: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Given names of one or two characters, drawn by sex; surnames come from the household."""
    n = len(surname)
    m1 = np.array(GIVEN_M)[rng.integers(0, len(GIVEN_M), n)]
    f1 = np.array(GIVEN_F)[rng.integers(0, len(GIVEN_F), n)]
    m2 = np.array(GIVEN_M)[rng.integers(0, len(GIVEN_M), n)]
    f2 = np.array(GIVEN_F)[rng.integers(0, len(GIVEN_F), n)]
    first = np.where(female, f1, m1)
    second = np.where(rng.random(n) < 0.7, np.where(female, f2, m2), "")
    return np.char.add(np.char.add(surname.astype(str), first), second).astype(object)


def day_weights(kind: str) -> np.ndarray:
    """Weekday and season profile: clinics quiet on Sundays, respiratory winters, pharmacies flat."""
    d = np.arange(NDAYS)
    weekday = d % 7  # 2024-01-01 was a Monday
    month = (np.datetime64(f"{YEAR}-01-01") + d).astype("datetime64[M]").astype(int) % 12
    if kind == "pharmacy":
        w = np.array([1.0, 1.0, 1.0, 1.0, 1.05, 1.15, 1.1])[weekday]
    else:
        w = np.array([1.3, 1.1, 1.05, 1.0, 1.0, 0.65, 0.45])[weekday]
    w = w * np.where(np.isin(month, [0, 1, 11]), 1.25, 1.0)
    # Spring festival week is quiet for everything but emergencies.
    w[(d >= 40) & (d <= 46)] *= 0.5
    return w / w.sum()


def clock(rng: np.random.Generator, n: int, kind: str) -> np.ndarray:
    """Seconds into the day: clinic mornings, afternoon second wave, pharmacy evenings."""
    if kind == "pharmacy":
        hour = np.where(rng.random(n) < 0.6, rng.normal(10.5, 2.0, n), rng.normal(18.5, 1.8, n))
        hour = np.clip(hour, 8.0, 21.9)
    elif kind == "ward":
        hour = np.clip(rng.normal(10.5, 1.6, n), 8.0, 17.5)
    else:
        hour = np.where(rng.random(n) < 0.68, rng.normal(9.4, 1.1, n), rng.normal(15.0, 1.0, n))
        hour = np.clip(hour, 7.6, 17.8)
    return (hour * 3600).astype(np.int64)


def iso_seconds(t: np.ndarray) -> np.ndarray:
    """ISO-8601 local times; -1 means empty."""
    out = np.datetime_as_string(T0 + np.maximum(t, 0).astype("timedelta64[s]"), unit="s").astype(object)
    out[t < 0] = ""
    return out


def iso_days(day: np.ndarray) -> np.ndarray:
    """ISO dates from days since 1 January of the simulated year; -1 means empty."""
    out = np.datetime_as_string(np.datetime64(f"{YEAR}-01-01") + np.maximum(day, 0).astype("timedelta64[D]"),
                                unit="D").astype(object)
    out[day < 0] = ""
    return out


# ----------------------------------------------------------------------------
# the people
# ----------------------------------------------------------------------------

HH_TYPES = ["single", "couple", "family", "threegen", "elder_couple", "elder_single", "middle_couple"]
HH_PROBS = [0.08, 0.07, 0.30, 0.12, 0.17, 0.10, 0.16]


def household_members(rng: np.random.Generator, t: int) -> list[tuple[int, int, str]]:
    """(age, female, relation) for one household of type t; shapes who shares what."""
    r = rng.random
    if t == 0:
        return [(int(rng.integers(19, 38)), int(r() < 0.45), "head")]
    if t in (1, 2, 3):
        head = int(rng.integers(24, 41) if t == 1 else rng.integers(28, 52))
        mem = [(head, 0, "head"), (max(20, head + int(rng.integers(-5, 3))), 1, "spouse")]
        if t in (2, 3):
            for _ in range(1 + int(r() < 0.45)):
                mem.append((max(0, head - int(rng.integers(23, 34))), int(r() < 0.48), "child"))
        if t == 3:
            elder = head + int(rng.integers(25, 32))
            mem.append((elder, 1, "elder"))
            if r() < 0.5:
                mem.append((elder + int(rng.integers(0, 5)), 0, "elder"))
        return mem
    if t == 4:
        head = int(rng.integers(60, 88))
        return [(head, 0, "head"), (head - int(rng.integers(0, 6)), 1, "spouse")]
    if t == 5:
        return [(int(rng.integers(65, 96)), int(r() < 0.68), "head")]
    head = int(rng.integers(45, 63))
    return [(head, 0, "head"), (head - int(rng.integers(0, 5)), 1, "spouse")]


@dataclass
class People:
    """Person-level arrays; index i is the person's row everywhere in this script."""
    n: int
    hh: np.ndarray
    hh_type: np.ndarray
    rel: np.ndarray
    age: np.ndarray
    female: np.ndarray
    region: np.ndarray        # insuring region (参保地)
    live: np.ndarray          # where they actually live and get treated
    urban: np.ndarray
    insurance: np.ndarray
    birth: np.ndarray
    death: np.ndarray         # true day of death, -1 alive
    death_rec: np.ndarray     # recorded day (lags or leads the truth for a few)
    died_in_hospital: np.ndarray
    person_id: np.ndarray = None
    name: np.ndarray = None
    id_card: np.ndarray = None
    special: np.ndarray = None  # members of trap cohorts, kept out of rings
    final_adm: np.ndarray = None  # second of the final admission of those who die in hospital


def build_people(rng: np.random.Generator, n: int) -> People:
    """Households first, so that spouses, children and elders share homes and phones."""
    hh, htype, age, fem, rel = [], [], [], [], []
    h = 0
    while len(age) < n:
        t = int(rng.choice(len(HH_TYPES), p=HH_PROBS))
        for a, f, r in household_members(rng, t):
            hh.append(h), htype.append(t), age.append(a), fem.append(f), rel.append(r)
        h += 1
    hh, htype = np.array(hh[:n]), np.array(htype[:n])
    age, fem, rel = np.array(age[:n]), np.array(fem[:n], dtype=bool), np.array(rel[:n], dtype=object)
    n_hh = hh.max() + 1

    codes = np.array([r[0] for r in LOCAL_REGIONS], dtype=object)
    w = np.array([r[3] for r in LOCAL_REGIONS])
    hh_region = codes[rng.choice(len(codes), n_hh, p=w / w.sum())]
    hh_live = hh_region.copy()
    hh_ins = hh_region.copy()
    head_age = np.zeros(n_hh, int)
    np.maximum.at(head_age, hh, np.where(rel == "head", age, 0))
    # Moved here from elsewhere but still insured at home (异地就医 in our facilities).
    movers_in = rng.random(n_hh) < 0.03
    hh_ins[movers_in] = np.array([r[0] for r in ORIGIN_REGIONS], dtype=object)[
        rng.integers(0, len(ORIGIN_REGIONS), movers_in.sum())]
    # Young households who moved away to work but kept their local insurance.
    movers_out = (~movers_in) & (head_age < 46) & (rng.random(n_hh) < 0.04)
    hh_live[movers_out] = AWAY_REGION[0]

    urban_codes = {r[0] for r in LOCAL_REGIONS if r[2]} | {AWAY_REGION[0]}
    region, live = hh_ins[hh], hh_live[hh]
    urban = np.isin(live, list(urban_codes))
    adult = (age >= 22) & (age < 60)
    p_emp = np.where(adult, np.where(urban, 0.62, 0.22), np.where(age >= 60, np.where(urban, 0.5, 0.1), 0.0))
    insurance = np.where(rng.random(n) < p_emp, "employee", "resident").astype(object)
    birth = (np.datetime64(f"{YEAR}-07-01") - (age * 365.25).astype("timedelta64[D]")
             - rng.integers(-182, 183, n).astype("timedelta64[D]"))

    q = np.select([age < 40, age < 60, age < 75, age < 85], [0.0006, 0.003, 0.012, 0.045], 0.13)
    dies = rng.random(n) < q
    death = np.where(dies, rng.integers(0, NDAYS, n), -1)
    in_hosp = dies & (age >= 50) & (rng.random(n) < 0.45)
    # Registration lag trap: recorded date a few days before the last honest claims.
    death_rec = death.copy()
    lag = dies & ~in_hosp & (rng.random(n) < 0.12) & (death > 5)
    death_rec[lag] = death[lag] - rng.integers(1, 4, lag.sum())
    return People(n, hh, htype, rel, age, fem, region, live, urban, insurance, birth, death,
                  death_rec, in_hosp)


def name_people(rng: np.random.Generator, pp: People) -> None:
    """Names share the household's surname (spouses and in-marrying elders keep their own)."""
    n_hh = pp.hh.max() + 1
    sw = SURNAME_W / SURNAME_W.sum()
    hh_sur = np.array(SURNAMES)[rng.choice(len(SURNAMES), n_hh, p=sw)]
    own_sur = np.array(SURNAMES)[rng.choice(len(SURNAMES), pp.n, p=sw)]
    sur = np.where(np.isin(pp.rel, ["head", "child"]), hh_sur[pp.hh], own_sur)
    pp.name = chinese_names(rng, sur, pp.female)
    born_in = pp.region.astype(str)
    pp.id_card = id_card_numbers(born_in, pp.birth, ~pp.female, rng)
    # Opaque ids in random order, so that id proximity leaks neither household nor ring.
    pp.person_id = np.char.add("psn", digits(unique_ints(rng, pp.n, 10**9, 10**10), 10).astype(str)).astype(object)
    pp.special = np.zeros(pp.n, dtype=bool)


# ----------------------------------------------------------------------------
# facilities, practitioners, terminals
# ----------------------------------------------------------------------------

PRIV_HOSP = ["仁爱", "博爱", "康桥", "华程", "协和", "民生", "同济", "安康", "德仁", "瑞康", "济民", "福康",
             "和美", "永安", "惠民", "长康", "泰和", "明德", "宏康", "广济"]
TERTIARY = ["长沙市中心医院", "湘江医学院附属第一医院", "湘江医学院附属第二医院", "长沙市第三医院",
            "湖南省第二人民医院", "长沙市肿瘤医院"]


@dataclass
class Places:
    """Facilities, their staff and terminals, plus lookup arrays for fast vectorised choices."""
    fac: pd.DataFrame
    prac: pd.DataFrame
    devices: list = field(default_factory=list)   # device id strings, index = device number
    term_start: np.ndarray = None
    term_cnt: np.ndarray = None
    doc_start: np.ndarray = None
    doc_cnt: np.ndarray = None
    ph_start: np.ndarray = None
    ph_cnt: np.ndarray = None
    by_cat: dict = field(default_factory=dict)    # (region, cat) -> facility indices


def region_name(code: str) -> str:
    names = {r[0]: r[1] for r in LOCAL_REGIONS}
    names.update(dict(ORIGIN_REGIONS))
    names[AWAY_REGION[0]] = AWAY_REGION[1]
    return names[code]


def address(rng: np.random.Generator, code: str, rural: bool) -> str:
    """A street address (urban) or village address (rural) inside one region."""
    head = REGION_PREFIX[code[:4]] + region_name(code)
    if rural:
        return (f"{head}{TOWNS[rng.integers(len(TOWNS))]}镇{VILLAGES[rng.integers(len(VILLAGES))]}村"
                f"{rng.integers(1, 16)}组{rng.integers(1, 90)}号")
    return (f"{head}{ROADS[rng.integers(len(ROADS))]}{rng.integers(1, 600)}号"
            f"{rng.integers(1, 30)}栋{rng.integers(1, 6)}单元{rng.integers(1, 33)}{rng.integers(1, 5):02d}室")


def facility_plan(rng: np.random.Generator, pp: People, n_private_hosp: int) -> list[dict]:
    """What facilities exist where; counts scale with the population a region holds."""
    rows = []
    pop = pd.Series(pp.live).value_counts()
    scale = pp.n / 50000

    def add(cat, code, name, kind, level, own, beds=None, addr=None):
        rows.append(dict(cat=cat, region_code=code, name=name, kind=kind, level=level, ownership=own,
                         beds=beds, address=addr or address(rng, code, code in RURAL_CODES)))

    n_tert = max(2, min(len(TERTIARY), round(4 * scale ** 0.5)))
    urban_codes = [r[0] for r in LOCAL_REGIONS if r[2]]
    for k in range(n_tert):
        add("tertiary", urban_codes[k % len(urban_codes)], TERTIARY[k], "hospital", "tertiary", "public",
            int(rng.integers(1500, 3300)))
    for code, rname, is_urban, _ in LOCAL_REGIONS:
        npop = int(pop.get(code, 0))
        if is_urban:
            add("secondary", code, f"长沙市{rname}人民医院", "hospital", "secondary", "public",
                int(rng.integers(300, 800)))
            for k in range(max(1, round(npop / 6000))):
                add("community", code, f"{rname}{ROADS[rng.integers(len(ROADS))]}街道社区卫生服务中心{k + 1}",
                    "clinic", "primary", "public")
        else:
            add("secondary", code, f"{rname}人民医院", "hospital", "secondary", "public", int(rng.integers(400, 900)))
            for k in range(max(1, round(2 * scale))):
                add("township", code, f"{rname}{TOWNS[(k * 3 + len(rows)) % len(TOWNS)]}镇卫生院", "hospital",
                    "primary", "public", int(rng.integers(20, 60)))
            rural_n = max(2, round(npop / 900))
            for k in range(rural_n):
                add("village", code, f"{rname}{TOWNS[rng.integers(len(TOWNS))]}镇{VILLAGES[k % len(VILLAGES)]}村卫生室",
                    "clinic", "", "public")
        for k in range(max(1, round(npop / 2500))):
            sur = SURNAMES[rng.integers(30)]
            add("pclinic", code, f"{rname}{sur}氏诊所" if k % 2 == 0 else f"{rname}{ROADS[rng.integers(len(ROADS))]}门诊部",
                "clinic", "", "private")
        for k in range(max(2, round(npop / 1400))):
            road = ROADS[rng.integers(len(ROADS))]
            add("pharmacy", code, f"{CHAINS[rng.integers(len(CHAINS))]}{rname}{road}店", "pharmacy", "", "private")
    for k in range(n_private_hosp):
        code = [r[0] for r in LOCAL_REGIONS][k % len(LOCAL_REGIONS)]
        add("phosp", code, f"长沙{PRIV_HOSP[k % len(PRIV_HOSP)]}医院" + ("" if k < len(PRIV_HOSP) else f"{k}"),
            "hospital", "secondary" if rng.random() < 0.4 else "primary", "private", int(rng.integers(50, 300)))
    add("rehab", "430104", "长沙市康复医院", "hospital", "secondary", "public", 180)
    add("rehab", "430111", "长沙康宁康复医院", "hospital", "primary", "private", 90)
    add("dialysis", "430105", "长沙肾康血液透析中心", "clinic", "", "private")
    for k in range(max(2, round(3 * scale))):
        code = urban_codes[(k + 2) % len(urban_codes)]
        add("nursing", code, f"长沙市{PRIV_HOSP[-1 - k % len(PRIV_HOSP)]}养老院医务室", "clinic", "", "private")
    # DTP pharmacies sit across the road from the big hospitals they serve.
    for k in range(min(2, n_tert)):
        hosp = rows[k]
        add("dtp", hosp["region_code"], f"{CHAINS[k]}DTP专业药房({hosp['name'][:6]}店)", "pharmacy", "", "private",
            addr=hosp["address"].split("号")[0][:-3] + f"{rng.integers(600, 700)}号")
    # The far side: where emigrants live, and a hospital back home.
    add("tertiary_away", AWAY_REGION[0], "深圳市福田区第二人民医院", "hospital", "tertiary", "public", 1200)
    add("community_away", AWAY_REGION[0], "福田区莲花街道社区健康服务中心", "clinic", "primary", "public")
    for k in range(2):
        add("pharmacy_away", AWAY_REGION[0], f"海王星辰健康药房福田{['莲花', '华强'][k]}店", "pharmacy", "", "private")
    add("secondary_far", "431202", "怀化市鹤城区人民医院", "hospital", "secondary", "public", 500)
    add("pharmacy_far", "431202", "怀化老百姓大药房迎丰店", "pharmacy", "", "private")
    return rows


def build_places(rng: np.random.Generator, pp: People, n_private_hosp: int) -> Places:
    """Facilities with national-style codes (H/P + region + serial), staff, and terminals."""
    fac = pd.DataFrame(facility_plan(rng, pp, n_private_hosp))
    serial = rng.permutation(np.arange(100, 100 + len(fac))) * 7 % 99999
    prefix = np.where(fac["kind"] == "pharmacy", "P", "H")
    fac["facility_id"] = [f"{p}{r}{s:05d}" for p, r, s in zip(prefix, fac["region_code"], serial)]
    staff = {"tertiary": (90, 8), "secondary": (32, 4), "phosp": (10, 2), "township": (6, 1), "rehab": (8, 1),
             "dialysis": (3, 0), "community": (6, 1), "village": (1, 0), "pclinic": (1, 0), "nursing": (1, 0),
             "pharmacy": (0, 2), "dtp": (0, 2), "tertiary_away": (40, 3), "community_away": (5, 1),
             "pharmacy_away": (0, 2), "secondary_far": (20, 2), "pharmacy_far": (0, 2)}
    rows = []
    for f, (cat, code) in enumerate(zip(fac["cat"], fac["region_code"])):
        nd, nph = staff[cat]
        if cat in ("phosp", "village", "pclinic", "nursing", "pharmacy"):
            nd = nd + int(rng.integers(0, 3 if cat == "phosp" else 2))
            nph = nph + (int(rng.integers(0, 2)) if cat == "pharmacy" else 0)
        for k in range(nd):
            if cat in ("tertiary", "tertiary_away", "secondary", "secondary_far"):
                dept = DEPTS_BIG[k % len(DEPTS_BIG)]
            elif cat == "phosp":
                dept = ["内科", "外科", "骨科", "康复医学科", "中医科", "神经内科"][k % 6]
            elif cat == "rehab":
                dept = "康复医学科"
            elif cat == "dialysis":
                dept = "肾内科"
            else:
                dept = "全科医学科"
            rows.append((f, "doctor", dept, code))
        for k in range(nph):
            rows.append((f, "pharmacist", "药剂科", code))
    prac = pd.DataFrame(rows, columns=["fac", "role", "department", "region"])
    n = len(prac)
    female = rng.random(n) < 0.5
    age = rng.integers(27, 62, n)
    birth = np.datetime64(f"{YEAR}-07-01") - (age * 365.25).astype("timedelta64[D]")
    prac["id_card"] = id_card_numbers(prac["region"].to_numpy().astype(str), birth, ~female, rng)
    sur = np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)]
    prac["name"] = chinese_names(rng, sur, female)
    letter = np.where(prac["role"] == "doctor", "D", "Y")
    serial = unique_ints(rng, n, 0, 10**6)
    prac["practitioner_id"] = [f"{a}{r}{s:06d}" for a, r, s in zip(letter, prac["region"], serial)]
    prac["facility_id"] = fac["facility_id"].to_numpy()[prac["fac"]]

    pl = Places(fac=fac, prac=prac)
    nf = len(fac)
    pl.doc_start = np.zeros(nf, int); pl.doc_cnt = np.zeros(nf, int)
    pl.ph_start = np.zeros(nf, int); pl.ph_cnt = np.zeros(nf, int)
    for (f, role), idx in prac.groupby(["fac", "role"]).indices.items():
        if role == "doctor":
            pl.doc_start[f], pl.doc_cnt[f] = idx[0], len(idx)
        else:
            pl.ph_start[f], pl.ph_cnt[f] = idx[0], len(idx)
    n_term = fac["cat"].map({"tertiary": 24, "secondary": 8, "phosp": 3, "township": 2, "rehab": 3,
                             "tertiary_away": 10, "secondary_far": 5}).fillna(1).astype(int).to_numpy()
    n_term = np.where(fac["cat"].isin(["pharmacy", "pclinic"]), rng.integers(1, 3, nf), n_term)
    pl.term_start = np.r_[0, np.cumsum(n_term)[:-1]]
    pl.term_cnt = n_term
    tid = unique_ints(rng, int(n_term.sum()), 16**11, 16**12)
    pl.devices = [f"TM{v:012X}" for v in tid]
    for (code, cat), idx in fac.groupby(["region_code", "cat"]).indices.items():
        pl.by_cat[(code, cat)] = np.asarray(idx)
    pl.by_cat["tertiary"] = np.flatnonzero(fac["cat"] == "tertiary")
    pl.by_cat["phosp"] = np.flatnonzero(fac["cat"] == "phosp")
    return pl


def pick_doctor(rng: np.random.Generator, pl: Places, f: np.ndarray) -> np.ndarray:
    """A doctor at each facility; skewed so some doctors are much busier than others."""
    u = rng.random(len(f)) ** 1.6
    return np.where(pl.doc_cnt[f] > 0, pl.doc_start[f] + (u * pl.doc_cnt[f]).astype(int), -1)


def pick_pharmacist(rng: np.random.Generator, pl: Places, f: np.ndarray) -> np.ndarray:
    return np.where(pl.ph_cnt[f] > 0, pl.ph_start[f] + (rng.random(len(f)) * pl.ph_cnt[f]).astype(int), -1)


def dept_doctors(pl: Places, f: int, dept: str) -> np.ndarray:
    idx = np.flatnonzero((pl.prac["fac"].to_numpy() == f) & (pl.prac["department"].to_numpy() == dept))
    return idx if len(idx) else pl.doc_start[f] + np.arange(max(1, pl.doc_cnt[f]))


def terminal(rng: np.random.Generator, pl: Places, f: np.ndarray) -> np.ndarray:
    return pl.term_start[f] + (rng.random(len(f)) * pl.term_cnt[f]).astype(int)


# ----------------------------------------------------------------------------
# identifiers of people: phones, devices, accounts, who presents whose e-voucher
# ----------------------------------------------------------------------------

@dataclass
class Links:
    """Who can present whose credential, and the identifier rows that record it."""
    phone: np.ndarray        # phone number string each person is registered with
    own_dev: np.ndarray      # device number of the person's own phone, -1 if none
    voucher_dev: np.ndarray  # device that presents this person's e-voucher, -1 if none
    home_addr: np.ndarray
    rows: list = field(default_factory=list)  # identifier DataFrames
    helper_of: np.ndarray = None  # person index of the grown child managing this elder, -1
    nursing_home: np.ndarray = None  # facility index of the resident's home, -1


def id_rows(owner_type: str, owner_id, kind: str, value, first, last) -> pd.DataFrame:
    return pd.DataFrame({"owner_type": owner_type, "owner_id": owner_id, "kind": kind, "value": value,
                         "first_seen": first, "last_seen": last})


def seen_dates(rng: np.random.Generator, n: int, since_year: int = 2014) -> tuple[np.ndarray, np.ndarray]:
    """first_seen years back, last_seen in the simulated year (sometimes unknown)."""
    start = np.datetime64(f"{since_year}-01-01")
    span = (np.datetime64(f"{YEAR}-06-30") - start).astype(int)
    first = start + rng.integers(0, span, n).astype("timedelta64[D]")
    last = np.datetime64(f"{YEAR}-01-01") + rng.integers(180, NDAYS, n).astype("timedelta64[D]")
    last_s = np.datetime_as_string(last, unit="D").astype(object)
    last_s[rng.random(n) < 0.25] = ""
    return np.datetime_as_string(first, unit="D").astype(object), last_s


def build_links(rng: np.random.Generator, pp: People, pl: Places) -> Links:
    """Households share address and often a phone; grown children and nursing homes present credentials."""
    n = pp.n
    owns = rng.random(n) < np.select([pp.age < 12, pp.age < 18, pp.age < 60, pp.age < 75],
                                     [0.0, 0.6, 0.97, 0.72], 0.35)
    numbers = unique_ints(rng, n, 0, 10**9)
    prefix = np.array(["13", "15", "18", "17", "19", "16"])[rng.integers(0, 6, n)]
    own_phone = np.char.add(prefix, np.char.zfill(numbers.astype(str), 9)).astype(object)
    own_dev = np.full(n, -1)
    n_dev0 = len(pl.devices)
    own_dev[owns] = n_dev0 + np.arange(owns.sum())
    imei = unique_ints(rng, int(owns.sum()), 10**13, 10**14)
    pl.devices.extend(f"86{v:013d}" for v in imei)

    # The household's main phone: the head's if any, else any member's.
    n_hh = pp.hh.max() + 1
    order = np.lexsort((pp.rel != "head", ~owns, pp.hh))
    first_owner = np.full(n_hh, -1)
    hh_sorted = pp.hh[order]
    is_first = np.r_[True, hh_sorted[1:] != hh_sorted[:-1]]
    firsts = order[is_first]
    first_owner[pp.hh[firsts]] = np.where(owns[firsts], firsts, -1)
    main = first_owner[pp.hh]
    phone = np.where(owns, own_phone, np.where(main >= 0, own_phone[np.maximum(main, 0)], "")).astype(object)
    share = (pp.rel == "spouse") & (main >= 0) & (rng.random(n) < 0.22)
    phone[share] = own_phone[main[share]]
    voucher_dev = np.where(owns, own_dev, np.where(main >= 0, own_dev[np.maximum(main, 0)], -1))

    hh_urban = np.zeros(n_hh, bool); hh_urban[pp.hh] = pp.urban
    hh_live = np.empty(n_hh, object); hh_live[pp.hh] = pp.live
    hh_addr = np.array([address(rng, hh_live[h], not hh_urban[h]) for h in range(n_hh)], dtype=object)
    home_addr = hh_addr[pp.hh]
    lk = Links(phone, own_dev, voucher_dev, home_addr)

    # Grown children who run their parents' and in-laws' e-vouchers from one phone.
    local = ~np.isin(pp.live, [AWAY_REGION[0]])
    helpers = np.flatnonzero(np.isin(pp.rel, ["head", "spouse"]) & (pp.age >= 35) & (pp.age <= 60) & owns & local)
    elder_hh = np.unique(pp.hh[np.isin(pp.hh_type, [4, 5]) & local])
    managed_hh = elder_hh[rng.random(len(elder_hh)) < 0.28]
    chosen_helpers = rng.choice(helpers, max(1, int(len(managed_hh) / 1.6)), replace=False)
    hh_helper = np.full(n_hh, -1)
    hh_helper[managed_hh] = chosen_helpers[rng.integers(0, len(chosen_helpers), len(managed_hh))]
    lk.helper_of = hh_helper[pp.hh]
    m = lk.helper_of >= 0
    lk.voucher_dev[m] = own_dev[lk.helper_of[m]]
    reg_child = m & (~owns | (rng.random(n) < 0.5))
    lk.phone[reg_child] = own_phone[lk.helper_of[reg_child]]

    # Nursing-home residents: the home's address, desk phone and tablet stand for them.
    lk.nursing_home = np.full(n, -1)
    homes = np.flatnonzero(pl.fac["cat"] == "nursing")
    home_phone = np.char.add("0731", digits(unique_ints(rng, len(homes), 10**7, 10**8), 8).astype(str)).astype(object)
    cand = np.flatnonzero((pp.hh_type == 5) & (pp.age >= 75) & pp.urban & local & ~m)
    per_home = min(len(cand) // max(1, len(homes)), int(rng.integers(35, 60)))
    chosen = rng.choice(cand, per_home * len(homes), replace=False)
    for k, f in enumerate(homes):
        res = chosen[k * per_home:(k + 1) * per_home]
        lk.nursing_home[res] = f
        lk.home_addr[res] = pl.fac.at[f, "address"]
        lk.phone[res] = np.where(owns[res], lk.phone[res], home_phone[k])
        lk.voucher_dev[res] = pl.term_start[f]
    pp.special |= lk.nursing_home >= 0

    pid = pp.person_id
    f1, l1 = seen_dates(rng, n)
    has_phone = lk.phone != ""
    lk.rows.append(id_rows("person", pid[has_phone], "phone", lk.phone[has_phone], f1[has_phone], l1[has_phone]))
    f2, l2 = seen_dates(rng, n, 2010)
    l2[:] = ""
    lk.rows.append(id_rows("person", pid, "address", lk.home_addr, f2, l2))
    dev_str = np.array(pl.devices, dtype=object)
    f3, l3 = seen_dates(rng, n, 2019)
    lk.rows.append(id_rows("person", pid[owns], "device", dev_str[own_dev[owns]], f3[owns], l3[owns]))
    # Elders' apps are logged in on the helper's phone; the platform records that device too.
    lk.rows.append(id_rows("person", pid[m], "device", dev_str[lk.voucher_dev[m]], f3[m], l3[m]))
    proxy = m & (rng.random(n) < 0.5)
    lk.rows.append(id_rows("person", pid[proxy], "proxy_id_card", pp.id_card[lk.helper_of[proxy]],
                           f3[proxy], l3[proxy]))
    has_bank = rng.random(n) < np.where(pp.insurance == "employee", 0.98, np.where(pp.age >= 18, 0.6, 0.05))
    bins = np.array(["6222", "6228", "6217", "6214", "6230", "6212"])[rng.integers(0, 6, n)]
    acct = np.char.add(bins, digits(unique_ints(rng, n, 10**14, 10**15), 15).astype(str)).astype(object)
    couple_share = (pp.rel == "spouse") & (pp.hh_type == 4) & (rng.random(n) < 0.3) & (main >= 0)
    acct[couple_share] = acct[main[couple_share]]
    f4, l4 = seen_dates(rng, n)
    lk.rows.append(id_rows("person", pid[has_bank], "bank_account", acct[has_bank], f4[has_bank], l4[has_bank]))
    lk.acct = acct
    mail = (pp.age >= 18) & (pp.age < 50) & (rng.random(n) < 0.3)
    qq = unique_ints(rng, int(mail.sum()), 10**7, 4 * 10**9)
    lk.rows.append(id_rows("person", pid[mail], "email", [f"{v}@qq.com" for v in qq], f4[mail], l4[mail]))
    lk.owns = owns
    lk.own_phone = own_phone
    return lk


def facility_identifiers(rng: np.random.Generator, pl: Places) -> list[pd.DataFrame]:
    """Facilities' addresses, desk phones, terminals and settlement accounts; staff phones and accounts."""
    fac, prac = pl.fac, pl.prac
    nf, npr = len(fac), len(prac)
    f1, l1 = seen_dates(rng, nf, 2008)
    out = [id_rows("facility", fac["facility_id"], "address", fac["address"], f1, "")]
    out.append(id_rows("facility", fac["facility_id"], "phone",
                       np.char.add("0731", digits(unique_ints(rng, nf, 10**7, 10**8), 8).astype(str)), f1, l1))
    out.append(id_rows("facility", fac["facility_id"], "bank_account",
                       np.char.add("4300", digits(unique_ints(rng, nf, 10**15, 10**16), 16).astype(str)), f1, l1))
    owner = np.repeat(np.arange(nf), pl.term_cnt)
    ft, lt = seen_dates(rng, len(owner), 2018)
    out.append(id_rows("facility", fac["facility_id"].to_numpy()[owner], "device",
                       np.array(pl.devices[:len(owner)], dtype=object), ft, lt))
    f2, l2 = seen_dates(rng, npr)
    out.append(id_rows("practitioner", prac["practitioner_id"], "phone",
                       np.char.add("13", digits(unique_ints(rng, npr, 10**8, 10**9), 9).astype(str)), f2, l2))
    out.append(id_rows("practitioner", prac["practitioner_id"], "bank_account",
                       np.char.add("6217", digits(unique_ints(rng, npr, 10**14, 10**15), 15).astype(str)), f2, l2))
    return out


# ----------------------------------------------------------------------------
# where each person goes for care
# ----------------------------------------------------------------------------

PREF_CATS = ["prim", "sec", "tert", "pcl", "phosp", "pharm", "pharm2"]


def preferences(rng: np.random.Generator, pp: People, pl: Places) -> dict[str, np.ndarray]:
    """Usual facility per care category; households share their clinic and pharmacy."""
    n_hh = pp.hh.max() + 1
    hh_live = np.empty(n_hh, object); hh_live[pp.hh] = pp.live
    pref = {c: np.full(pp.n, -1) for c in PREF_CATS}

    def draw(arr, k):
        return arr[rng.integers(0, len(arr), k)]

    tert = pl.by_cat["tertiary"]
    tert_w = np.linspace(1.5, 0.6, len(tert)); tert_w /= tert_w.sum()
    for code in np.unique(hh_live):
        hhs = np.flatnonzero(hh_live == code)
        per = np.flatnonzero(pp.live == code)
        hpos = np.searchsorted(hhs, pp.hh[per])
        k = len(hhs)
        g = lambda cat: pl.by_cat.get((code, cat), np.empty(0, int))
        if code == AWAY_REGION[0]:
            t, c, ph = g("tertiary_away"), g("community_away"), g("pharmacy_away")
            choice = {"prim": draw(c, k), "sec": draw(t, k), "tert": draw(t, k), "pcl": draw(c, k),
                      "phosp": draw(t, k), "pharm": draw(ph, k), "pharm2": draw(ph, k)}
        else:
            rural = code in RURAL_CODES
            prim = draw(g("village") if rural else g("community"), k)
            sec = draw(g("secondary"), k)
            if rural:
                sec = np.where(rng.random(k) < 0.4, draw(g("township"), k), sec)
            choice = {"prim": prim, "sec": sec, "tert": tert[rng.choice(len(tert), k, p=tert_w)],
                      "pcl": draw(g("pclinic"), k), "phosp": draw(pl.by_cat["phosp"], k),
                      "pharm": draw(g("pharmacy"), k), "pharm2": draw(g("pharmacy"), k)}
        for c in PREF_CATS:
            pref[c][per] = choice[c][hpos]
    return pref


# ----------------------------------------------------------------------------
# settlements
# ----------------------------------------------------------------------------

CLAIM_DEFAULTS = dict(person=-1, fac=-1, prac=-1, vt=VT_OUT, t=0, adm=-1, dis=-1, dx="", auth=A_CARD, dev=-1,
                      tmpl=T_ACUTE, drug=-1, qty=1, drug2=-1, qty2=0, bill=-1, ring=-1, allow_dead=False,
                      phantom=0.0, trace="")


class ClaimBuf:
    """Column buffers of settlements; fee lines are derived later from each claim's template."""

    def __init__(self):
        self.parts: list[dict] = []
        self.bills: list[list[tuple[int, float]]] = []  # fixed fee-line lists for T_FIXED claims

    def add(self, n: int, **cols) -> None:
        if n == 0:
            return
        part = {}
        for k, default in CLAIM_DEFAULTS.items():
            v = cols.pop(k, default)
            part[k] = np.broadcast_to(np.asarray(v), (n,)).copy() if np.ndim(v) == 0 else np.asarray(v)
            assert len(part[k]) == n, (k, len(part[k]), n)
        assert not cols, cols
        self.parts.append(part)

    def bill(self, lines: list[tuple[int, float]]) -> int:
        self.bills.append(lines)
        return len(self.bills) - 1

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({k: np.concatenate([p[k] for p in self.parts]) for k in CLAIM_DEFAULTS})


@dataclass
class Ctx:
    """Everything the event generators share."""
    rng: np.random.Generator
    pp: People
    pl: Places
    lk: Links
    pref: dict
    cat: pd.DataFrame
    item: dict               # item name -> catalogue index
    cb: ClaimBuf
    chronic_drugs: np.ndarray = None  # (n, 2) catalogue indices, -1 none
    chronic_dx: np.ndarray = None


def auth_and_device(c: Ctx, person: np.ndarray, fac: np.ndarray, p_voucher=None) -> tuple[np.ndarray, np.ndarray]:
    """Card at the facility's terminal, or an e-voucher shown on whichever phone holds the app."""
    rng, n = c.rng, len(person)
    if p_voucher is None:
        p_voucher = np.where(c.pp.age[person] < 60, 0.5, 0.25)
        p_voucher = np.where(c.lk.helper_of[person] >= 0, 0.65, p_voucher)
    u = rng.random(n)
    auth = np.where(u < p_voucher, A_VOUCHER, np.where(u < p_voucher + 0.04, A_FACE,
                                                      np.where(u < p_voucher + 0.06, A_OTHER, A_CARD)))
    vdev = c.lk.voucher_dev[person]
    auth = np.where((auth == A_VOUCHER) & (vdev < 0), A_CARD, auth)
    dev = np.where(auth == A_VOUCHER, vdev, terminal(rng, c.pl, fac))
    return auth, dev


def rand_days(rng: np.random.Generator, n: int, kind: str) -> np.ndarray:
    return rng.choice(NDAYS, n, p=day_weights(kind))


def gen_outpatient(c: Ctx) -> None:
    """Acute outpatient visits: most people a few a year, small children and elders more."""
    rng, pp = c.rng, c.pp
    rate = np.select([pp.age < 7, pp.age < 18, pp.age < 45, pp.age < 60, pp.age < 75], [4.5, 2.0, 1.8, 2.6, 3.8], 4.4)
    rate = rate * np.where(pp.female, 1.2, 1.0) * rng.gamma(2.0, 0.5, pp.n)
    k = rng.poisson(rate)
    person = np.repeat(np.arange(pp.n), k)
    n = len(person)
    urban = pp.urban[person]
    u = rng.random(n)
    cats = np.where(urban, np.select([u < .33, u < .53, u < .83, u < .95], [0, 1, 2, 3], 4),
                    np.select([u < .45, u < .80, u < .92, u < .98], [0, 1, 2, 3], 4))
    prefs = np.stack([c.pref[x] for x in PREF_CATS[:5]])
    fac = prefs[cats, person]
    day = rand_days(rng, n, "clinic")
    auth, dev = auth_and_device(c, person, fac)
    c.cb.add(n, person=person, fac=fac, prac=pick_doctor(rng, c.pl, fac), vt=VT_OUT,
             t=day * DAY + clock(rng, n, "clinic"), dx=np.array(DX_ACUTE, dtype=object)[rng.integers(0, len(DX_ACUTE), n)],
             auth=auth, dev=dev, tmpl=T_ACUTE)


def gen_otc(c: Ctx) -> None:
    """Retail pharmacy purchases on the insurance card (个人账户), mostly at the home pharmacy."""
    rng, pp = c.rng, c.pp
    rate = np.select([pp.age < 18, pp.age < 60], [0.8, 2.4], 3.0) * rng.gamma(1.5, 1 / 1.5, pp.n)
    person = np.repeat(np.arange(pp.n), rng.poisson(rate))
    n = len(person)
    fac = np.where(rng.random(n) < 0.75, c.pref["pharm"][person], c.pref["pharm2"][person])
    dx = np.where(rng.random(n) < 0.3, np.array(DX_ACUTE, dtype=object)[rng.integers(0, len(DX_ACUTE), n)], "")
    auth, dev = auth_and_device(c, person, fac)
    c.cb.add(n, person=person, fac=fac, prac=pick_pharmacist(rng, c.pl, fac), vt=VT_PH,
             t=rand_days(rng, n, "pharmacy") * DAY + clock(rng, n, "pharmacy"), dx=dx, auth=auth, dev=dev, tmpl=T_OTC)


def assign_chronic(c: Ctx) -> np.ndarray:
    """Chronic conditions by age; each patient keeps up to two drugs all year."""
    rng, pp = c.rng, c.pp
    drugs = np.full((pp.n, 2), -1)
    dx = np.full(pp.n, "", dtype=object)
    for cond, (code, names, p_mid, p_old) in CHRONIC.items():
        p = np.where(pp.age >= 60, p_old, np.where(pp.age >= 40, p_mid, np.where(pp.age >= 25, p_mid * 0.15, 0)))
        has = rng.random(pp.n) < p
        pick = np.array([c.item[x] for x in names])[rng.integers(0, len(names), pp.n)]
        slot = np.where(drugs[:, 0] < 0, 0, np.where(drugs[:, 1] < 0, 1, -1))
        ok = has & (slot >= 0)
        drugs[ok, slot[ok]] = pick[ok]
        dx[ok & (dx == "")] = code
    c.chronic_drugs, c.chronic_dx = drugs, dx
    return np.flatnonzero(drugs[:, 0] >= 0)


def refill_times(rng: np.random.Generator, m: int, interval: np.ndarray, jitter: np.ndarray,
                 max_events: int) -> tuple[np.ndarray, np.ndarray]:
    """Irregular refill days: own interval, own jitter, occasional skipped month."""
    gaps = interval[:, None] + rng.normal(0, 1, (m, max_events)) * jitter[:, None]
    gaps = np.maximum(gaps, 3) * np.where(rng.random((m, max_events)) < 0.07, 2, 1)
    start = rng.random(m) * interval
    days = start[:, None] + np.cumsum(gaps, axis=1) - gaps[:, :1]
    who, k = np.nonzero(days < NDAYS)
    return who, np.floor(days[who, k]).astype(int)


def gen_chronic(c: Ctx) -> None:
    """Monthly-ish refills at pharmacy or clinic; some on a fixed fortnightly weekday; village rounds."""
    rng, pp, pl = c.rng, c.pp, c.pl
    pats = assign_chronic(c)
    pats = pats[c.lk.nursing_home[pats] < 0]
    m = len(pats)
    urban = pp.urban[pats]
    u = rng.random(m)
    channel = np.where(urban, np.select([u < .55, u < .85], [0, 1], 2), np.select([u < .3, u < .8], [0, 1], 2))
    home_doc_fac = np.where(channel == 2, c.pref["sec"][pats], c.pref["prim"][pats])
    prescriber = pick_doctor(rng, pl, home_doc_fac)
    fixed = rng.random(m) < 0.08
    interval = np.where(fixed, 14.0, rng.uniform(24, 42, m))
    jitter = np.where(fixed, 0.0, rng.uniform(1, 6, m))
    who, day = refill_times(rng, m, interval, jitter, 30)
    # Fixed-schedule patients come on the same weekday, about the same time.
    first_wd = rng.integers(0, 7, m)
    day = np.where(fixed[who], day - (day % 7) + first_wd[who], day)
    day = np.clip(day, 0, NDAYS - 1)
    p = pats[who]
    n = len(p)
    ch = channel[who]
    fac = np.select([ch == 0, ch == 1], [c.pref["pharm"][p], c.pref["prim"][p]], c.pref["sec"][p])
    sec_time = np.where(fixed[who], (rng.integers(8, 11, m) * 3600)[who] + rng.integers(0, 900, n),
                        np.where(ch == 0, clock(rng, n, "pharmacy"), clock(rng, n, "clinic")))
    days_cover = interval[who]
    d1, d2 = c.chronic_drugs[p, 0], c.chronic_drugs[p, 1]
    per_unit = np.maximum(c.cat["days"].to_numpy(), 1)
    q1 = np.ceil(days_cover / per_unit[d1]).astype(int)
    q2 = np.where(d2 >= 0, np.ceil(days_cover / per_unit[np.maximum(d2, 0)]).astype(int), 0)
    prac = np.where(ch == 0, np.where(rng.random(n) < 0.5, prescriber[who], pick_pharmacist(rng, pl, fac)),
                    np.where(rng.random(n) < 0.8, prescriber[who], pick_doctor(rng, pl, fac)))
    auth, dev = auth_and_device(c, p, fac)
    c.cb.add(n, person=p, fac=fac, prac=prac, vt=np.where(ch == 0, VT_PH, VT_OUT), t=day * DAY + sec_time,
             dx=c.chronic_dx[p], auth=auth, dev=dev, tmpl=np.where(ch == 0, T_REFILL, T_CHRONIC_VISIT),
             drug=d1, qty=q1, drug2=d2, qty2=q2)
    gen_village_rounds(c, pats[~urban])


def gen_village_rounds(c: Ctx, pats: np.ndarray) -> None:
    """Family-doctor follow-ups: the village doctor's one tablet presents every patient, door to door."""
    rng, pl = c.rng, c.pl
    fac = c.pref["prim"][pats]
    pats, fac = pats[pl.fac["cat"].to_numpy()[fac] == "village"], fac[pl.fac["cat"].to_numpy()[fac] == "village"]
    rows_p, rows_t, rows_f = [], [], []
    for f in np.unique(fac):
        members = pats[fac == f]
        for quarter in range(4):
            d0 = quarter * 91 + int(rng.integers(5, 60))
            seen = members[rng.random(len(members)) < 0.85]
            seen = rng.permutation(seen)
            gaps = rng.integers(6 * 60, 25 * 60, len(seen))
            t = d0 * DAY + 8 * 3600 + np.cumsum(gaps)
            # A long list spills into the next day.
            t = t + (t - d0 * DAY > 17 * 3600) * (DAY - 8 * 3600)
            rows_p.append(seen), rows_t.append(t), rows_f.append(np.full(len(seen), f))
    if not rows_p:
        return
    p, t, f = np.concatenate(rows_p), np.concatenate(rows_t), np.concatenate(rows_f)
    n = len(p)
    c.cb.add(n, person=p, fac=f, prac=pl.doc_start[f], vt=VT_OUT, t=t, dx=c.chronic_dx[p],
             auth=np.where(rng.random(n) < 0.6, A_FACE, A_CARD), dev=pl.term_start[f], tmpl=T_CHRONIC_VISIT,
             drug=c.chronic_drugs[p, 0], qty=np.where(rng.random(n) < 0.5, 1, 2), drug2=-1, qty2=0)


def admissions(c: Ctx, person, fac, day, los, dx, adm_sec=None, settle_lag_days=None, allow_dead=False,
               doctor=None, ring=-1, tmpl=T_INPATIENT, bill=-1) -> None:
    """Inpatient settlements: admitted, discharged, settled at (or a few days after) discharge."""
    rng, n = c.rng, len(person)
    adm = day * DAY + (adm_sec if adm_sec is not None else clock(rng, n, "ward"))
    dis = (day + los) * DAY + clock(rng, n, "ward")
    dis = np.maximum(dis, adm + 3 * 3600)
    if settle_lag_days is None:
        settle_lag_days = np.where(rng.random(n) < 0.1, rng.integers(1, 4, n), 0)
    settled = dis + settle_lag_days * DAY + rng.integers(300, 3600, n)
    auth = np.where(rng.random(n) < 0.85, A_CARD, A_FACE)
    c.cb.add(n, person=person, fac=fac, prac=pick_doctor(rng, c.pl, fac) if doctor is None else doctor,
             vt=VT_IN, t=settled, adm=adm, dis=dis, dx=dx, auth=auth, dev=terminal(rng, c.pl, fac),
             tmpl=tmpl, qty=los, allow_dead=allow_dead, ring=ring, bill=bill)


def los_for(rng: np.random.Generator, dx: np.ndarray, spread: float = 0.35) -> np.ndarray:
    base = np.array([LOS_BY_DX.get(d, 6) for d in dx])
    return np.maximum(1, np.round(base * rng.lognormal(0, spread, len(dx)))).astype(int)


def gen_inpatient(c: Ctx) -> None:
    """Ordinary stays, plus the last stays of those who die in hospital (settled on or after death)."""
    rng, pp = c.rng, c.pp
    p_adm = np.select([pp.age < 5, pp.age < 18, pp.age < 45, pp.age < 60, pp.age < 75], [.08, .03, .05, .08, .15], .25)
    k = (rng.random(pp.n) < p_adm) * (1 + (rng.random(pp.n) < 0.2))
    person = np.repeat(np.arange(pp.n), k)
    n = len(person)
    age = pp.age[person]
    pick = lambda lst: np.array(lst, dtype=object)[rng.integers(0, len(lst), n)]
    dx = np.where(age >= 60, pick(DX_IP_OLD), np.where(age >= 18, pick(DX_IP_ADULT), pick(DX_IP_CHILD)))
    birth = pp.female[person] & (age >= 21) & (age <= 38) & (rng.random(n) < 0.35)
    dx[birth] = "O80"
    los = los_for(rng, dx)
    day = (rng.random(n) * (NDAYS - 1 - los)).astype(int)
    u = rng.random(n)
    fac = np.where(pp.urban[person], np.select([u < .45, u < .82], [c.pref["tert"][person], c.pref["sec"][person]],
                                               c.pref["phosp"][person]),
                   np.where(u < .22, c.pref["tert"][person], c.pref["sec"][person]))
    emergency = rng.random(n) < 0.3
    adm_sec = np.where(emergency, rng.integers(0, DAY, n), clock(rng, n, "ward"))
    admissions(c, person, fac, day, los, dx, adm_sec=adm_sec)

    dying = np.flatnonzero(pp.died_in_hospital)
    m = len(dying)
    los = rng.integers(1, 21, m)
    day = np.maximum(pp.death[dying] - los, 0)
    los = pp.death[dying] - day
    dx = np.array(DX_IP_OLD + ["C34.9", "C16.9"], dtype=object)[rng.integers(0, len(DX_IP_OLD) + 2, m)]
    fac = np.where(rng.random(m) < 0.5, c.pref["tert"][dying], c.pref["sec"][dying])
    admissions(c, dying, fac, day, los, dx, settle_lag_days=rng.integers(0, 4, m), allow_dead=True)
    pp.final_adm = np.full(pp.n, -1)
    pp.final_adm[dying] = day * DAY


def gen_dialysis(c: Ctx) -> None:
    """Haemodialysis three times a week, same slot, same machine room: a lockstep that is honest."""
    rng, pp, pl = c.rng, c.pp, c.pl
    cand = np.flatnonzero((pp.age >= 35) & (pp.live != AWAY_REGION[0]) & ~pp.special)
    pats = rng.choice(cand, max(3, round(pp.n * 0.0008)), replace=False)
    pp.special[pats] = True
    centre = pl.by_cat.get(("430105", "dialysis"))[0]
    hosp = np.flatnonzero(pl.fac["cat"].isin(["secondary", "tertiary"]))[:3]
    fac = np.where(rng.random(len(pats)) < 0.6, centre, hosp[rng.integers(0, len(hosp), len(pats))])
    pattern = rng.integers(0, 2, len(pats))          # Mon/Wed/Fri or Tue/Thu/Sat
    slot = rng.choice([7 * 3600 + 1800, 12 * 3600 + 1800, 17 * 3600], len(pats))
    start = np.where(rng.random(len(pats)) < 0.2, rng.integers(0, 250, len(pats)), 0)
    days = np.arange(NDAYS)
    rows = []
    for i, p in enumerate(pats):
        d = days[(days >= start[i]) & np.isin(days % 7, [0, 2, 4] if pattern[i] == 0 else [1, 3, 5])]
        d = d[rng.random(len(d)) > 0.02]
        rows.append((np.full(len(d), i), d))
    i = np.concatenate([r[0] for r in rows]); d = np.concatenate([r[1] for r in rows])
    n = len(i)
    f = fac[i]
    doctors = {ff: dept_doctors(pl, ff, "肾内科") for ff in np.unique(fac)}
    prac = np.array([doctors[ff][k % len(doctors[ff])] for ff, k in zip(f, rng.integers(0, 3, n))])
    t = d * DAY + slot[i] + 4 * 3600 + rng.integers(-600, 900, n)
    c.cb.add(n, person=pats[i], fac=f, prac=prac, vt=VT_OUT, t=t, dx="N18.5", auth=A_CARD,
             dev=terminal(rng, pl, f), tmpl=T_DIALYSIS)


def gen_rehab(c: Ctx) -> None:
    """Physiotherapy courses: weeks of sessions on set weekdays, many repeat patients per therapist."""
    rng, pp, pl = c.rng, c.pp, c.pl
    cand = np.flatnonzero((pp.age >= 30) & (pp.live != AWAY_REGION[0]) & ~pp.special)
    pats = rng.choice(cand, max(5, round(pp.n * 0.004)), replace=False)
    pp.special[pats] = True
    centres = np.flatnonzero(pl.fac["cat"] == "rehab")
    fac = centres[rng.integers(0, len(centres), len(pats))]
    dxs = np.array(["I69.3", "M54.5", "S72.0", "M17.9", "M75.1", "G81.9"], dtype=object)
    rows_p, rows_d, rows_f, rows_dx, rows_slot = [], [], [], [], []
    for i, p in enumerate(pats):
        for _ in range(1 + int(rng.random() < 0.25)):
            start = int(rng.integers(0, NDAYS - 30))
            weeks = int(rng.integers(4, 13))
            wd = np.sort(rng.choice(6, int(rng.integers(3, 6)), replace=False))
            d = np.arange(start, min(NDAYS, start + weeks * 7))
            d = d[np.isin(d % 7, wd) & (rng.random(len(d)) > 0.08)]
            rows_p.append(np.full(len(d), p)), rows_d.append(d), rows_f.append(np.full(len(d), fac[i]))
            rows_dx.append(np.full(len(d), dxs[rng.integers(len(dxs))], dtype=object))
            rows_slot.append(np.full(len(d), int(rng.integers(8, 17)) * 3600))
    p, d, f = np.concatenate(rows_p), np.concatenate(rows_d), np.concatenate(rows_f)
    n = len(p)
    therapist = {ff: dept_doctors(pl, ff, "康复医学科") for ff in np.unique(f)}
    prac = np.array([therapist[ff][hash((int(pp_), int(ff))) % len(therapist[ff])] for pp_, ff in zip(p, f)])
    t = d * DAY + np.concatenate(rows_slot) + 2400 + rng.integers(0, 1200, n)
    auth, dev = auth_and_device(c, p, f, p_voucher=np.full(n, 0.2))
    c.cb.add(n, person=p, fac=f, prac=prac, vt=VT_OUT, t=t, dx=np.concatenate(rows_dx), auth=auth, dev=dev,
             tmpl=T_REHAB)


def gen_cancer(c: Ctx) -> None:
    """Heavy honest users: targeted cancer drugs each month at the DTP pharmacy, prescribed by one oncologist."""
    rng, pp, pl = c.rng, c.pp, c.pl
    cand = np.flatnonzero((pp.age >= 40) & (pp.age < 82) & (pp.live != AWAY_REGION[0]) & ~pp.special)
    pats = rng.choice(cand, max(4, round(pp.n * 0.0018)), replace=False)
    pp.special[pats] = True
    dtps = np.flatnonzero(pl.fac["cat"] == "dtp")
    tert = pl.by_cat["tertiary"]
    m = len(pats)
    k = rng.integers(0, len(dtps), m)
    dtp, hosp = dtps[k], tert[k]
    onco = {h: dept_doctors(pl, h, "肿瘤科") for h in np.unique(hosp)}
    doctor = np.array([onco[h][rng.integers(len(onco[h]))] for h in hosp])
    female = pp.female[pats]
    u = rng.random(m)
    dx = np.where(u < 0.5, "C34.9", np.where(u < 0.75, np.where(female, "C50.9", "C61"), "C90.0")).astype(object)
    drug = np.array([c.item[CANCER[d][rng.integers(len(CANCER[d]))]] for d in dx])
    interval = rng.uniform(27, 33, m)
    who, day = refill_times(rng, m, interval, rng.uniform(0.5, 3, m), 14)
    n = len(who)
    p = pats[who]
    qty = np.ceil(interval[who] / c.cat["days"].to_numpy()[drug[who]]).astype(int)
    auth, dev = auth_and_device(c, p, dtp[who])
    c.cb.add(n, person=p, fac=dtp[who], prac=doctor[who], vt=VT_PH, t=day * DAY + clock(rng, n, "pharmacy"),
             dx=dx[who], auth=auth, dev=dev, tmpl=T_REFILL, drug=drug[who], qty=qty, drug2=-1, qty2=0)
    # Quarterly reviews at the hospital, by the same oncologist.
    who = np.repeat(np.arange(m), 4)
    day = (np.tile(np.arange(4), m) * 91 + rng.integers(0, 85, len(who)))
    auth, dev = auth_and_device(c, pats[who], hosp[who])
    c.cb.add(len(who), person=pats[who], fac=hosp[who], prac=doctor[who], vt=VT_OUT,
             t=day * DAY + clock(rng, len(who), "clinic"), dx=dx[who], auth=auth, dev=dev, tmpl=T_CHECKUP)


def gen_nursing(c: Ctx) -> None:
    """Fortnightly rounds in nursing homes (one tablet, residents minutes apart) and one winter outbreak."""
    rng, pl, lk = c.rng, c.pl, c.lk
    homes = np.flatnonzero(pl.fac["cat"] == "nursing")
    chronic_pool = np.array([c.item[x] for x in CHRONIC["htn"][1] + CHRONIC["chd"][1]])
    for f in homes:
        res = np.flatnonzero(lk.nursing_home == f)
        drug = chronic_pool[rng.integers(0, len(chronic_pool), len(res))]
        wd = int(rng.integers(0, 5))
        ps, ts = [], []
        for d0 in range(wd, NDAYS, 14):
            seen = rng.permutation(res[rng.random(len(res)) < 0.55])
            ps.append(seen)
            ts.append(d0 * DAY + 9 * 3600 + np.cumsum(rng.integers(120, 540, len(seen))))
        p, t = np.concatenate(ps), np.concatenate(ts)
        n = len(p)
        idx = np.searchsorted(res, p)
        c.cb.add(n, person=p, fac=f, prac=pl.doc_start[f], vt=VT_OUT, t=t, dx="I10",
                 auth=np.where(rng.random(n) < 0.7, A_FACE, A_CARD), dev=pl.term_start[f],
                 tmpl=T_CHRONIC_VISIT, drug=drug[idx], qty=2, drug2=-1, qty2=0)
    # Flu outbreak in one home: a cluster of admissions to one hospital within three days.
    f = homes[0]
    res = np.flatnonzero(lk.nursing_home == f)
    sick = rng.choice(res, min(len(res), int(rng.integers(8, 19))), replace=False)
    d0 = int(rng.choice([10, 20, 340, 350]))
    day = d0 + rng.integers(0, 3, len(sick))
    dx = np.where(rng.random(len(sick)) < 0.6, "J11.1", "J18.9").astype(object)
    hosp = pl.by_cat[(pl.fac.at[f, "region_code"], "secondary")][0]
    admissions(c, sick, np.full(len(sick), hosp), day, los_for(rng, dx, 0.3), dx)


def gen_groups(c: Ctx) -> None:
    """Bus crashes (mixed strangers admitted together) and employers' staff checked on one morning."""
    rng, pp, pl = c.rng, c.pp, c.pl
    scale = pp.n / 50000
    alive = (pp.death < 0) & (pp.live != AWAY_REGION[0]) & ~pp.special & (pp.age >= 6)
    for _ in range(max(1, round(1.5 * scale))):
        victims = rng.choice(np.flatnonzero(alive), int(rng.integers(12, 29)), replace=False)
        d0 = int(rng.integers(20, NDAYS - 40))
        hosp = rng.choice(np.flatnonzero(pl.fac["cat"].isin(["tertiary", "secondary"])))
        dx = np.array(["S06.0", "S22.3", "S82.2", "T14.0", "S52.5"], dtype=object)[rng.integers(0, 5, len(victims))]
        adm_sec = 16 * 3600 + rng.integers(0, 2 * 3600, len(victims))
        admissions(c, victims, np.full(len(victims), hosp), np.full(len(victims), d0), los_for(rng, dx, 0.5), dx,
                   adm_sec=adm_sec)
    staff_pool = np.flatnonzero(alive & (pp.insurance == "employee") & (pp.age < 60) & pp.urban)
    for _ in range(max(1, round(2 * scale))):
        staff = rng.choice(staff_pool, int(rng.integers(30, 81)), replace=False)
        hosp = rng.choice(pl.by_cat["tertiary"])
        d0 = int(rng.integers(60, 330)); d0 -= d0 % 7 - 1
        docs = dept_doctors(pl, hosp, "全科医学科")
        n = len(staff)
        t = d0 * DAY + 8 * 3600 + np.sort(rng.integers(0, 3 * 3600, n))
        auth, dev = auth_and_device(c, staff, np.full(n, hosp))
        c.cb.add(n, person=staff, fac=hosp, prac=docs[rng.integers(0, len(docs), n)], vt=VT_OUT, t=t, dx="Z00.0",
                 auth=auth, dev=dev, tmpl=T_CHECKUP)


def gen_couples(c: Ctx) -> None:
    """Elderly couples who go to the doctor together: same place, same doctor, minutes apart, one phone."""
    rng, pp, pl = c.rng, c.pp, c.pl
    heads = np.flatnonzero((pp.hh_type == 4) & (pp.rel == "head"))
    spouses = heads + 1  # members are contiguous within a household
    ok = (spouses < pp.n) & (pp.hh[np.minimum(spouses, pp.n - 1)] == pp.hh[heads]) & (rng.random(len(heads)) < 0.35)
    heads, spouses = heads[ok], spouses[ok]
    k = rng.poisson(5, len(heads))
    h, s = np.repeat(heads, k), np.repeat(spouses, k)
    n = len(h)
    u = rng.random(n)
    fac = np.select([u < .5, u < .8], [c.pref["prim"][h], c.pref["sec"][h]], c.pref["tert"][h])
    day = rand_days(rng, n, "clinic")
    t1 = day * DAY + clock(rng, n, "clinic")
    t2 = t1 + rng.integers(60, 480, n)
    doc = pick_doctor(rng, pl, fac)
    doc2 = np.where(rng.random(n) < 0.8, doc, pick_doctor(rng, pl, fac))
    dx1 = np.array(DX_ACUTE, dtype=object)[rng.integers(0, len(DX_ACUTE), n)]
    dx2 = np.where(rng.random(n) < 0.5, dx1, np.array(DX_ACUTE, dtype=object)[rng.integers(0, len(DX_ACUTE), n)])
    auth, dev = auth_and_device(c, h, fac)
    # When the husband's phone shows his code, it shows hers next.
    dev2 = np.where(auth == A_VOUCHER, dev, terminal(rng, pl, fac))
    c.cb.add(n, person=h, fac=fac, prac=doc, vt=VT_OUT, t=t1, dx=dx1, auth=auth, dev=dev, tmpl=T_ACUTE)
    c.cb.add(n, person=s, fac=fac, prac=doc2, vt=VT_OUT, t=t2, dx=dx2, auth=auth, dev=dev2, tmpl=T_ACUTE)


def drop_after_death(claims: pd.DataFrame, pp: People) -> pd.DataFrame:
    """The dead stop claiming, except stays settled at discharge and ring claims made on their cards."""
    death = pp.death[claims["person"].to_numpy()]
    end = np.where(claims["vt"] == VT_IN, claims["dis"], claims["t"])
    late = (death >= 0) & (end >= (death + 1) * DAY) & ~claims["allow_dead"].to_numpy()
    # Someone who died in hospital had no other claims after the final admission.
    final = pp.final_adm[claims["person"].to_numpy()]
    start = np.where(claims["vt"] == VT_IN, claims["adm"], claims["t"])
    late |= (final >= 0) & (start >= final) & ~claims["allow_dead"].to_numpy() & (claims["ring"].to_numpy() < 0)
    return claims[~late].reset_index(drop=True)


# ----------------------------------------------------------------------------
# rings
# ----------------------------------------------------------------------------

TYPOLOGIES = ["card_cashout", "induced_admission", "card_lending", "impersonation", "drug_resale",
              "prescription_collusion", "fictitious_services"]


@dataclass
class RingKit:
    """Shared state while planting rings: who is taken, labels, and extra identifier rows."""
    c: Ctx
    used_p: np.ndarray
    used_f: set
    labels: list = field(default_factory=list)
    erase: list = field(default_factory=list)  # persons whose honest claims vanish ("never seen elsewhere")
    trace_serial: int = 0
    ring_no: int = -1

    def people(self, k: int, mask: np.ndarray, need_phone: bool = False) -> np.ndarray:
        pp = self.c.pp
        ok = mask & ~self.used_p & ~pp.special & (pp.death < 0) & (self.c.lk.helper_of < 0)
        if need_phone:
            ok &= self.c.lk.owns
        chosen = self.c.rng.choice(np.flatnonzero(ok), k, replace=False)
        self.used_p[chosen] = True
        return chosen

    def facility(self, cats: list[str]) -> int:
        fac = self.c.pl.fac
        cand = [f for f in np.flatnonzero(fac["cat"].isin(cats)) if f not in self.used_f]
        f = int(self.c.rng.choice(cand))
        self.used_f.add(f)
        return f

    def label(self, rid: str, typ: str, etype: str, idx, role: str) -> None:
        ids = {"person": self.c.pp.person_id, "practitioner": self.c.pl.prac["practitioner_id"].to_numpy(),
               "facility": self.c.pl.fac["facility_id"].to_numpy()}[etype]
        for i in np.atleast_1d(idx):
            self.labels.append((rid, typ, etype, ids[int(i)], role))

    def link(self, members: np.ndarray, kind: str, value: str, p: float, at_least: int = 1) -> None:
        """Register some members with the organiser's phone, account, device or id card."""
        rng = self.c.rng
        hit = members[rng.random(len(members)) < p]
        if len(hit) < at_least:
            hit = rng.choice(members, min(at_least, len(members)), replace=False)
        first = np.datetime64(f"{YEAR - 1}-03-01") + rng.integers(0, 600, len(hit)).astype("timedelta64[D]")
        self.c.lk.rows.append(id_rows("person", self.c.pp.person_id[hit], kind, value,
                                      np.datetime_as_string(first, unit="D"), ""))

    def traces(self, k: int) -> np.ndarray:
        self.trace_serial += k
        base = self.c.rng.integers(10**12, 10**13, k)
        return np.char.add("8", digits(base, 19).astype(str)).astype(object)


def session_times(rng: np.random.Generator, day: int, k: int, start_hour: float, gap_lo: int, gap_hi: int) -> np.ndarray:
    """One person handing over a stack of cards: settlements a few minutes apart."""
    return day * DAY + int(start_hour * 3600) + np.cumsum(rng.integers(gap_lo, gap_hi + 1, k))


def local_adults(pp: People, lo: int = 22, hi: int = 75) -> np.ndarray:
    return (pp.age >= lo) & (pp.age <= hi) & (pp.live != AWAY_REGION[0])


def ring_card_cashout(kit: RingKit, rid: str, size: int, loud: float) -> None:
    """A collector swipes a stack of employees' cards at a pharmacy in bursts for goods never handed over."""
    c = kit.c; rng, pp, pl = c.rng, c.pp, c.pl
    f = kit.facility(["pharmacy"])
    ph = pick_pharmacist(rng, pl, np.array([f]))[0]
    members = kit.people(size, local_adults(pp, 25, 68) & (pp.insurance == "employee"), need_phone=True)
    collector = members[0]
    goods = np.array([c.item[x] for x in ["布地奈德福莫特罗吸入粉雾剂 160μg/4.5μg*60吸", "复方阿胶浆 20ml*48支",
                                           "甘精胰岛素注射液 3ml:300单位", "安宫牛黄丸 3g*1丸", "利拉鲁肽注射液 3ml:18mg",
                                           "参松养心胶囊 0.4g*36粒"]])
    goods = rng.choice(goods, 3, replace=False)
    month_ends = np.array([30, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365])
    nb = int(round(4 + 10 * loud))
    days = np.where(rng.random(nb) < loud, rng.choice(month_ends, nb) - rng.integers(0, 3, nb),
                    rng.integers(0, NDAYS, nb))
    for d in np.unique(days):
        who = members[rng.random(size) < 0.6 + 0.4 * loud]
        if len(who) == 0:
            continue
        who = rng.permutation(who)
        k = len(who)
        gap = (60, 240) if loud > 0.5 else (300, 1800)
        t = session_times(rng, int(d), k, rng.uniform(18.5, 20.5) if loud > 0.5 else rng.uniform(9, 16), *gap)
        q = rng.integers(2, 7, k) if loud > 0.5 else rng.integers(1, 4, k)
        c.cb.add(k, person=who, fac=f, prac=ph, vt=VT_PH, t=t, auth=A_CARD, dev=pl.term_start[f], tmpl=T_REFILL,
                 drug=goods[rng.integers(0, 3, k)], qty=q, drug2=goods[rng.integers(0, 3, k)], qty2=rng.integers(1, 3, k),
                 ring=kit.ring_no, phantom=0.45 + 0.5 * loud)
    kit.link(members[1:], "phone", c.lk.phone[collector], 0.2 + 0.6 * loud, 2)
    kit.link(members[1:], "bank_account", c.lk.acct[collector], 0.1 + 0.5 * loud, 1)
    kit.label(rid, "card_cashout", "person", collector, "collector")
    kit.label(rid, "card_cashout", "person", members[1:], "cardholder")
    kit.label(rid, "card_cashout", "facility", f, "pharmacy")
    kit.label(rid, "card_cashout", "practitioner", ph, "pharmacist")


def ring_induced_admission(kit: RingKit, rid: str, size: int, loud: float) -> None:
    """Recruiters bus groups from the countryside into a private hospital: same diagnosis, same stay, same bill."""
    c = kit.c; rng, pp, pl = c.rng, c.pp, c.pl
    h = kit.facility(["phosp"])
    docs = pl.doc_start[h] + rng.choice(pl.doc_cnt[h], min(pl.doc_cnt[h], 1 + int(size > 12)), replace=False)
    n_rec = 1 + int(size >= 12)
    far = np.isin(pp.live, ["430181", "430182", "430121"]) if loud > 0.4 else np.ones(pp.n, bool)
    recruiters = kit.people(n_rec, local_adults(pp, 30, 60), need_phone=True)
    patients = kit.people(size - n_rec, far & local_adults(pp, 50, 85))
    dx_pool = np.array(["I63.9", "M47.8", "I25.1", "J44.1", "M81.0", "E11.9"], dtype=object)
    ring_dx = rng.choice(dx_pool, 1 if loud > 0.6 else 3, replace=False)
    base_los = int(rng.integers(7, 11))
    ward = [c.item["床位费(普通病房)"], c.item["二级护理"], c.item["住院诊查费"], c.item["静脉输液"]]
    fixed = [(c.item[x], 1) for x in ["头颅CT平扫", "血细胞分析(血常规)", "肝功能检测", "常规心电图检查", "血脂四项"]]
    per_day = [c.item["注射用丹参多酚酸盐 100mg"], c.item["注射用血栓通 150mg"], c.item["普通针刺"], c.item["中频脉冲电治疗"]]
    bills = {}
    for w in range(int(round(3 + 5 * loud))):
        grp = rng.choice(patients, min(len(patients), int(rng.integers(3, 11))), replace=False)
        k = len(grp)
        d0 = int(rng.integers(10, NDAYS - 25))
        day = d0 + (0 if loud > 0.6 else rng.integers(0, 4, k))
        los = base_los + (rng.integers(-1, 2, k) if loud > 0.6 else rng.integers(-3, 4, k))
        los = np.maximum(los, 3)
        dx = ring_dx[rng.integers(0, len(ring_dx), k)]
        adm_sec = np.full(k, int(rng.uniform(9, 11) * 3600)) + rng.integers(0, 2400, k)
        if loud > 0.5:
            b = np.array([bills.setdefault(int(L), c.cb.bill([(i, int(L)) for i in ward] + fixed +
                                                              [(i, int(L)) for i in per_day])) for L in los])
            admissions(c, grp, np.full(k, h), np.full(k, day) if np.ndim(day) == 0 else day, los, dx,
                       adm_sec=adm_sec, doctor=docs[rng.integers(0, len(docs), k)], ring=kit.ring_no,
                       tmpl=T_FIXED, bill=b)
        else:
            admissions(c, grp, np.full(k, h), np.full(k, day) if np.ndim(day) == 0 else day, los, dx,
                       adm_sec=adm_sec, doctor=docs[rng.integers(0, len(docs), k)], ring=kit.ring_no)
    for r in recruiters:
        kit.link(patients, "phone", c.lk.phone[r], (0.2 + 0.6 * loud) / n_rec, 1)
        kit.link(patients, "proxy_id_card", pp.id_card[r], (0.05 + 0.4 * loud) / n_rec, 0)
    kit.label(rid, "induced_admission", "person", recruiters, "recruiter")
    kit.label(rid, "induced_admission", "person", patients, "patient")
    kit.label(rid, "induced_admission", "facility", h, "hospital")
    kit.label(rid, "induced_admission", "practitioner", docs, "doctor")


def ring_card_lending(kit: RingKit, rid: str, size: int, loud: float) -> None:
    """A professional claimant runs many lent e-vouchers from one or two phones across several shops."""
    c = kit.c; rng, pp, pl = c.rng, c.pp, c.pl
    members = kit.people(size, local_adults(pp, 20, 75), need_phone=True)
    org, lenders = members[0], members[1:]
    devs = [c.lk.own_dev[org]]
    if loud < 0.6:
        devs.append(len(pl.devices)); pl.devices.append(f"86{rng.integers(10**13, 10**14):013d}")
        kit.c.lk.rows.append(id_rows("person", [pp.person_id[org]], "device", [pl.devices[devs[1]]],
                                     [f"{YEAR}-02-11"], [""]))
    cats = pl.fac["cat"].to_numpy()
    shops = rng.choice(np.flatnonzero(np.isin(cats, ["pharmacy", "pclinic"])), int(rng.integers(3, 7)), replace=False)
    shops = np.array([s for s in shops if s not in kit.used_f] or [shops[0]])
    goods = np.array([c.item[x] for x in CHRONIC["dm"][1] + CHRONIC["copd"][1] + CHRONIC["htn"][1]])
    for _ in range(int(round(6 + 14 * loud))):
        f = int(rng.choice(shops))
        who = rng.choice(lenders, min(len(lenders), int(rng.integers(3, 9))), replace=False)
        k = len(who)
        t = session_times(rng, int(rng.integers(0, NDAYS)), k, rng.uniform(9, 19),
                          *((40, 360) if loud > 0.5 else (300, 1500)))
        dev = np.array(devs)[rng.integers(0, len(devs), k)]
        is_ph = cats[f] == "pharmacy"
        c.cb.add(k, person=who, fac=f, prac=(pick_pharmacist if is_ph else pick_doctor)(rng, pl, np.full(k, f)),
                 vt=VT_PH if is_ph else VT_OUT, t=t, dx="" if is_ph else "I10", auth=A_VOUCHER, dev=dev,
                 tmpl=T_REFILL if is_ph else T_CHRONIC_VISIT, drug=goods[rng.integers(0, len(goods), k)],
                 qty=rng.integers(1, 4, k), drug2=-1, qty2=0, ring=kit.ring_no)
    kit.link(lenders, "phone", c.lk.own_phone[org], 0.25 + 0.5 * loud, 1)
    kit.link(lenders, "device", pl.devices[devs[0]], 0.3 + 0.5 * loud, 2)
    kit.link(lenders, "bank_account", c.lk.acct[org], 0.05 + 0.3 * loud, 0)
    kit.label(rid, "card_lending", "person", org, "organiser")
    kit.label(rid, "card_lending", "person", lenders, "cardholder")


def ring_impersonation(kit: RingKit, rid: str, size: int, loud: float) -> None:
    """Cards used where their holders cannot be: dead, living in Shenzhen, or the wrong sex or age."""
    c = kit.c; rng, pp, pl = c.rng, c.pp, c.pl
    f = kit.facility(["pclinic", "pharmacy"])
    is_ph = pl.fac.at[f, "cat"] == "pharmacy"
    org = kit.people(1, local_adults(pp, 30, 65), need_phone=True)[0]
    n_v = size - 1
    n_dead = max(1, int(round(n_v * 0.4)))
    n_away = max(1, int(round(n_v * 0.3)))
    n_sex = n_v - n_dead - n_away
    dead = kit.people(n_dead, local_adults(pp, 70, 99))
    pp.death[dead] = rng.integers(20, 200, n_dead); pp.death_rec[dead] = pp.death[dead]
    away = kit.people(n_away, (pp.live == AWAY_REGION[0]) & (pp.age >= 20))
    sexed = kit.people(max(0, n_sex), (pp.live != AWAY_REGION[0]) & (pp.age >= 3))
    chronic = np.array([c.item[x] for x in CHRONIC["htn"][1] + CHRONIC["dm"][1][:2]])
    rows = []  # (person, day, drug, dx)
    for p in dead:
        k = int(round(2 + 8 * loud))
        days = pp.death[p] + np.cumsum(rng.integers(5, 40 if loud > 0.5 else 15, k))
        for d in days[days < NDAYS]:
            rows.append((p, int(d), int(rng.choice(chronic)), "I10"))
    away_fac = np.concatenate([pl.by_cat[(AWAY_REGION[0], "pharmacy_away")], pl.by_cat[(AWAY_REGION[0], "community_away")]])
    for p in away:
        for d in rng.integers(0, NDAYS, int(round(2 + 5 * loud))):
            rows.append((p, int(d), int(rng.choice(chronic)), "I10"))
            af = int(rng.choice(away_fac))   # the holder's own, honest visit that same day in Shenzhen
            a_is_ph = pl.fac.at[af, "kind"] == "pharmacy"
            c.cb.add(1, person=p, fac=af, prac=(pick_pharmacist if a_is_ph else pick_doctor)(rng, pl, np.array([af])),
                     vt=VT_PH if a_is_ph else VT_OUT, t=d * DAY + clock(rng, 1, "clinic"), dx="J06.9",
                     auth=A_VOUCHER if c.lk.voucher_dev[p] >= 0 else A_CARD,
                     dev=c.lk.voucher_dev[p] if c.lk.voucher_dev[p] >= 0 else pl.term_start[af], tmpl=T_OTC)
    for p in sexed:
        for d in rng.integers(0, NDAYS, int(round(2 + 5 * loud))):
            if pp.age[p] < 14:
                rows.append((p, int(d), int(rng.choice(chronic)), "I10"))
            elif pp.female[p]:
                rows.append((p, int(d), c.item[rng.choice(["盐酸坦索罗辛缓释胶囊 0.2mg*30粒", "非那雄胺片 5mg*28片"])], "N40"))
            else:
                rows.append((p, int(d), c.item[rng.choice(["妇科千金片 0.32g*72片", "黄体酮软胶囊 100mg*30粒"])], "N76.0"))
    if not rows:
        return
    p, d, drug, dx = (np.array(x) for x in zip(*rows))
    # The organiser brings several cards per trip: snap days to a few trip days.
    trips = np.sort(rng.integers(0, NDAYS, max(3, len(rows) // 3)))
    d = np.where(rng.random(len(d)) < loud, trips[np.clip(np.searchsorted(trips, d), 0, len(trips) - 1)], d)
    dead_mask = np.isin(p, dead)
    d = np.where(dead_mask, np.maximum(d, pp.death[p] + 1), d)
    keep = d < NDAYS
    p, d, drug, dx = p[keep], d[keep], drug[keep], dx[keep]
    n = len(p)
    t = d * DAY + clock(rng, n, "pharmacy" if is_ph else "clinic")
    via_phone = rng.random(n) < 0.3 + 0.6 * loud
    c.cb.add(n, person=p, fac=f, prac=(pick_pharmacist if is_ph else pick_doctor)(rng, pl, np.full(n, f)),
             vt=VT_PH if is_ph else VT_OUT, t=t, dx=dx.astype(object), auth=np.where(via_phone, A_VOUCHER, A_CARD),
             dev=np.where(via_phone, c.lk.own_dev[org], pl.term_start[f]), tmpl=T_REFILL if is_ph else T_CHRONIC_VISIT,
             drug=drug, qty=rng.integers(1, 4, n), drug2=-1, qty2=0, ring=kit.ring_no, allow_dead=True)
    victims = np.concatenate([dead, away, sexed])
    kit.link(victims, "phone", c.lk.own_phone[org], 0.15 + 0.4 * loud, 1)
    kit.link(victims, "proxy_id_card", pp.id_card[org], 0.1 + 0.4 * loud, 0)
    kit.label(rid, "impersonation", "person", org, "organiser")
    kit.label(rid, "impersonation", "person", victims, "cardholder")
    kit.label(rid, "impersonation", "facility", f, "pharmacy" if is_ph else "clinic")


def ring_drug_resale(kit: RingKit, rid: str, size: int, loud: float) -> None:
    """Members fetch maximum packs of the same costly chronic drugs at many places; a broker resells them."""
    c = kit.c; rng, pp, pl = c.rng, c.pp, c.pl
    members = kit.people(size, local_adults(pp, 45, 85), need_phone=True)
    broker, buyers = members[0], members[1:]
    names = ["甘精胰岛素注射液 3ml:300单位", "布地奈德福莫特罗吸入粉雾剂 160μg/4.5μg*60吸", "沙库巴曲缬沙坦钠片 100mg*14片",
             "利拉鲁肽注射液 3ml:18mg", "噻托溴铵粉吸入剂 18μg*30粒", "达格列净片 10mg*14片"]
    ring_drugs = np.array([c.item[x] for x in rng.choice(names, 2, replace=False)])
    dx_of = {c.item[names[0]]: "E11.9", c.item[names[1]]: "J44.9", c.item[names[2]]: "I50.9",
             c.item[names[3]]: "E11.9", c.item[names[4]]: "J44.9", c.item[names[5]]: "E11.9"}
    cats = pl.fac["cat"].to_numpy()
    pool = np.flatnonzero(np.isin(cats, ["pharmacy", "community", "secondary"]))
    places = rng.choice([f for f in pool if f not in kit.used_f], int(round(3 + 5 * loud)), replace=False)
    m = len(buyers)
    interval = rng.uniform(8, 14, m) if loud > 0.5 else rng.uniform(16, 26, m)
    who, day = refill_times(rng, m, interval, interval * 0.15, 45)
    p = buyers[who]
    n = len(p)
    drug = ring_drugs[(who + rng.integers(0, 2, n) * (rng.random(n) < 0.3)) % 2]
    cover = 84 if loud > 0.5 else 42
    qty = np.ceil(cover / c.cat["days"].to_numpy()[drug]).astype(int)
    f = places[rng.integers(0, len(places), n)]
    is_ph = cats[f] == "pharmacy"
    via_broker = rng.random(n) < 0.5 * loud
    auth, dev = auth_and_device(c, p, f)
    auth = np.where(via_broker, A_VOUCHER, auth)
    dev = np.where(via_broker, c.lk.own_dev[broker], dev)
    prac = np.where(is_ph, pick_pharmacist(rng, pl, f), pick_doctor(rng, pl, f))
    tr = kit.traces(n)
    c.cb.add(n, person=p, fac=f, prac=prac, vt=np.where(is_ph, VT_PH, VT_OUT),
             t=day * DAY + clock(rng, n, "clinic"), dx=np.array([dx_of[x] for x in drug], dtype=object), auth=auth,
             dev=dev, tmpl=np.where(is_ph, T_REFILL, T_CHRONIC_VISIT), drug=drug, qty=qty, drug2=-1, qty2=0,
             ring=kit.ring_no, trace=tr)
    kit.link(buyers, "bank_account", c.lk.acct[broker], 0.15 + 0.5 * loud, 1)
    kit.link(buyers, "phone", c.lk.own_phone[broker], 0.1 + 0.4 * loud, 1)
    kit.label(rid, "drug_resale", "person", broker, "broker")
    kit.label(rid, "drug_resale", "person", buyers, "member")
    if loud > 0.5:
        # Resold packs come back through one pharmacy: the same trace code sold twice.
        recv = kit.facility(["pharmacy"])
        back = rng.random(n) < 0.35
        k = int(back.sum())
        buyers2 = rng.choice(np.flatnonzero(~kit.used_p & (pp.death < 0) & local_adults(pp, 30, 85)), k)
        t2 = np.minimum(day[back] + rng.integers(3, 25, k), NDAYS - 1) * DAY + clock(rng, k, "pharmacy")
        auth2, dev2 = auth_and_device(c, buyers2, np.full(k, recv))
        c.cb.add(k, person=buyers2, fac=recv, prac=pick_pharmacist(rng, pl, np.full(k, recv)), vt=VT_PH, t=t2,
                 dx="", auth=auth2, dev=dev2, tmpl=T_REFILL, drug=drug[back], qty=1, drug2=-1, qty2=0,
                 ring=kit.ring_no, trace=tr[back])
        kit.label(rid, "drug_resale", "facility", recv, "receiver")


def ring_prescription_collusion(kit: RingKit, rid: str, size: int, loud: float) -> None:
    """A doctor steers his patients' prescriptions to one pharmacy, which bills inflated quantities."""
    c = kit.c; rng, pp, pl = c.rng, c.pp, c.pl
    h = kit.facility(["secondary", "phosp"])
    doc = pl.doc_start[h] + int(rng.integers(0, pl.doc_cnt[h]))
    region = pl.fac.at[h, "region_code"]
    ph_f = kit.facility(["pharmacy"])
    pharmacist = pick_pharmacist(rng, pl, np.array([ph_f]))[0]
    near = pp.live == region if loud > 0.3 else np.ones(pp.n, bool)
    pats = kit.people(size, near & local_adults(pp, 40, 85))
    chronic = np.array([c.item[x] for x in CHRONIC["htn"][1] + CHRONIC["chd"][1] + CHRONIC["dm"][1][:3]])
    extras = np.array([c.item[x] for x in ["参松养心胶囊 0.4g*36粒", "脑心通胶囊 0.4g*48粒", "银杏叶片 19.2mg*24片"]])
    m = len(pats)
    main_drug = chronic[rng.integers(0, len(chronic), m)]
    interval = rng.uniform(25, 35, m)
    who, day = refill_times(rng, m, interval, np.full(m, 3.0), 15)
    p = pats[who]
    n = len(p)
    visit_t = day * DAY + clock(rng, n, "clinic")
    auth, dev = auth_and_device(c, p, np.full(n, h))
    c.cb.add(n, person=p, fac=h, prac=doc, vt=VT_OUT, t=visit_t, dx="I10", auth=auth, dev=dev,
             tmpl=T_CHRONIC_VISIT, drug=-1, qty=0, drug2=-1, qty2=0, ring=kit.ring_no)
    infl = rng.uniform(2, 4, n) if loud > 0.5 else rng.uniform(1.3, 1.8, n)
    d1 = main_drug[who]
    q1 = np.ceil(interval[who] / c.cat["days"].to_numpy()[d1] * infl).astype(int)
    fill_t = visit_t + np.where(rng.random(n) < 0.7, rng.integers(1800, 4 * 3600, n), DAY + rng.integers(0, 3600, n))
    auth, dev = auth_and_device(c, p, np.full(n, ph_f))
    c.cb.add(n, person=p, fac=ph_f, prac=doc, vt=VT_PH, t=fill_t, dx="I10", auth=auth, dev=dev, tmpl=T_REFILL,
             drug=d1, qty=q1, drug2=extras[rng.integers(0, 3, n)], qty2=rng.integers(2, 5, n) if loud > 0.5 else 1,
             ring=kit.ring_no, phantom=0.5 * loud)
    kit.label(rid, "prescription_collusion", "practitioner", doc, "doctor")
    kit.label(rid, "prescription_collusion", "facility", ph_f, "pharmacy")
    kit.label(rid, "prescription_collusion", "practitioner", pharmacist, "pharmacist")
    kit.label(rid, "prescription_collusion", "person", pats, "patient")


def ring_fictitious_services(kit: RingKit, rid: str, size: int, loud: float) -> None:
    """A clinic bills therapy sessions that never happened, on cards it holds, in identical bills."""
    c = kit.c; rng, pp, pl = c.rng, c.pp, c.pl
    f = kit.facility(["pclinic", "phosp"])
    docs = pl.doc_start[f] + np.arange(min(2, pl.doc_cnt[f]))
    region = pl.fac.at[f, "region_code"]
    pats = kit.people(size, (pp.live == region) & (pp.age >= 18) if loud > 0.3 else local_adults(pp, 18, 85))
    if loud > 0.5:
        kit.erase.extend(pats.tolist())
    svc = [c.item[x] for x in ["普通针刺", "推拿治疗", "中频脉冲电治疗", "红外线治疗", "手法治疗", "运动疗法"]]
    consult = c.item["普通门诊诊查费"]
    n_bills = 1 if loud > 0.7 else (2 if loud > 0.4 else 6)
    bills = [c.cb.bill([(consult, 1)] + [(s, int(rng.integers(1, 3))) for s in rng.choice(svc, int(rng.integers(3, 5)),
                                                                                           replace=False)])
             for _ in range(n_bills)]
    per_week = 3 if loud > 0.5 else 1.5
    months = int(rng.integers(3, 9)) if loud > 0.5 else int(rng.integers(2, 5))
    start = int(rng.integers(0, NDAYS - months * 30))
    batch_days = np.arange(start, start + months * 30)
    batch_days = batch_days[rng.random(len(batch_days)) < per_week / 7]
    ps, ts = [], []
    for d in batch_days:
        who = pats[rng.random(len(pats)) < 0.75]
        if loud > 0.5:   # keyed in after hours, one after another
            t = session_times(rng, int(d), len(who), rng.uniform(19.5, 21.5), 20, 90)
        else:
            t = d * DAY + clock(rng, len(who), "clinic")
        ps.append(who), ts.append(t)
    p, t = np.concatenate(ps), np.concatenate(ts)
    n = len(p)
    c.cb.add(n, person=p, fac=f, prac=docs[rng.integers(0, len(docs), n)] if loud < 0.5 else docs[0], vt=VT_OUT, t=t,
             dx=np.array(["M54.5", "M47.8", "M79.1"], dtype=object)[rng.integers(0, 3 if loud < 0.7 else 1, n)],
             auth=np.where(rng.random(n) < 0.5 * loud, A_OTHER, A_CARD), dev=pl.term_start[f], tmpl=T_FIXED,
             bill=np.array(bills)[rng.integers(0, len(bills), n)], ring=kit.ring_no)
    cat = pl.fac.at[f, "cat"]
    kit.label(rid, "fictitious_services", "facility", f, "clinic" if cat == "pclinic" else "hospital")
    kit.label(rid, "fictitious_services", "practitioner", docs, "doctor")
    kit.label(rid, "fictitious_services", "person", pats, "patient")


RING_MAKERS = {"card_cashout": ring_card_cashout, "induced_admission": ring_induced_admission,
               "card_lending": ring_card_lending, "impersonation": ring_impersonation,
               "drug_resale": ring_drug_resale, "prescription_collusion": ring_prescription_collusion,
               "fictitious_services": ring_fictitious_services}


def rings_per_typology(n_persons: int) -> int:
    return max(1, round(4 * n_persons / 50000))


def plant_rings(c: Ctx, rng: np.random.Generator) -> RingKit:
    """Several rings per typology, of varied size (4 to 30 people) and loudness (subtle to blatant)."""
    kit = RingKit(c, np.zeros(c.pp.n, bool), set(c.pl.by_cat.get("dtp", [])))
    k = rings_per_typology(c.pp.n)
    plans = []
    for typ in TYPOLOGIES:
        sizes = np.exp(rng.uniform(np.log(4), np.log(30.99), k)).astype(int)
        spread = np.linspace(0.15, 1.0, k) if k > 1 else rng.uniform(0.2, 1.0, 1)
        loud = np.clip(rng.permutation(spread) + rng.normal(0, 0.05, k), 0.1, 1.0)
        plans += [(typ, int(s), float(l)) for s, l in zip(sizes, loud)]
    order = rng.permutation(len(plans))
    kit.plans = []
    for no, j in enumerate(order):
        typ, size, loud = plans[j]
        rid = f"BW-{no + 1:03d}"
        kit.ring_no = no
        RING_MAKERS[typ](kit, rid, size, loud)
        kit.plans.append((rid, typ, size, round(loud, 2)))
    return kit


# ----------------------------------------------------------------------------
# fee lines, money, trace codes, stock-in
# ----------------------------------------------------------------------------

def catalogue() -> tuple[pd.DataFrame, dict, dict]:
    """National-style 医保 codes: X/Z + ATC-like stem for drugs, 15 digits for services, C + 19 for materials."""
    cat = pd.DataFrame(CATALOG, columns=["tag", "name", "type", "price", "days"])
    rng = np.random.default_rng(20240101)  # the catalogue is the same in every world
    codes = []
    atc = ["A02BC", "A10BA", "C08CA", "C09CA", "C10AA", "B01AC", "J01CA", "J01DD", "M01AE", "R05CB", "L01EB",
           "L01FD", "R03AK", "R03BB", "A10AE", "C09DX", "J05AF", "G04CA", "N02BE"]
    for i, (tag, name, typ) in enumerate(zip(cat["tag"], cat["name"], cat["type"])):
        if typ == "drug":
            lead = "Z" if any(w in name for w in ["胶囊 0.4g", "丸", "颗粒", "口服液", "滴丸", "阿胶", "千金",
                                                   "银杏", "血栓通", "丹参"]) else "X"
            stem = "A" + "".join(rng.choice(list("ABCDEFGHJK"), 4)) if lead == "Z" else atc[i % len(atc)]
            codes.append(f"{lead}{stem}{'ABEHK'[i % 5]}{rng.integers(1, 999):03d}A{rng.integers(1, 999):03d}"
                         f"{rng.integers(10**8, 10**9)}")
        elif typ == "service":
            codes.append(f"00{rng.integers(10**12, 10**13)}")
        else:
            codes.append(f"C{rng.integers(10**17, 10**18)}{rng.integers(0, 10)}")
    cat["code"] = codes
    item = {n: i for i, n in enumerate(cat["name"])}
    pools = {t: np.flatnonzero(cat["tag"] == t) for t in cat["tag"].unique()}
    return cat, item, pools


def make_items(rng: np.random.Generator, cl: pd.DataFrame, bills: list, cat: pd.DataFrame, pools: dict,
               item: dict, fac_cat: np.ndarray) -> pd.DataFrame:
    """Fee lines from each claim's template; one vectorised pass per template."""
    R, I, Q = [], [], []

    def emit(r, i, q):
        r = np.asarray(r)
        R.append(r); I.append(np.broadcast_to(i, r.shape).astype(int)); Q.append(np.broadcast_to(q, r.shape).astype(int))

    def rand_from(r, pool, lo, hi, qlo=1, qhi=1):
        k = rng.integers(lo, hi + 1, len(r))
        rr = np.repeat(r, k)
        emit(rr, pool[rng.integers(0, len(pool), len(rr))], rng.integers(qlo, qhi + 1, len(rr)))

    tm = cl["tmpl"].to_numpy()
    drug, drug2 = cl["drug"].to_numpy(), cl["drug2"].to_numpy()
    qty, qty2 = cl["qty"].to_numpy(), cl["qty2"].to_numpy()
    fcat = fac_cat[cl["fac"].to_numpy()]
    big = np.isin(fcat, ["tertiary", "tertiary_away"])
    consult = np.where(big, np.array(pools["consult"])[np.searchsorted([0.5, 0.8], rng.random(len(cl)))],
                       item["普通门诊诊查费"])
    cheap = np.array([item[x] for x in ["血细胞分析(血常规)", "尿液分析(尿常规)", "C反应蛋白测定", "常规心电图检查", "胸部X线摄影"]])
    chronic_exam = np.array([item[x] for x in ["糖化血红蛋白测定", "血脂四项", "常规心电图检查", "肝功能检测", "肾功能检测"]])

    r = np.flatnonzero(tm == T_ACUTE)
    emit(r, consult[r], 1)
    ex = r[rng.random(len(r)) < 0.45]
    rand_from(ex, np.r_[cheap, item["腹部彩色多普勒超声"], item["头颅CT平扫"]], 1, 2)
    rand_from(r, pools["acute"], 1, 3, 1, 2)

    r = np.flatnonzero(tm == T_OTC)
    rand_from(r, pools["acute"], 1, 3, 1, 3)
    rand_from(r[rng.random(len(r)) < 0.1], pools["tcm"][:3], 1, 1, 1, 2)

    r = np.flatnonzero(np.isin(tm, [T_REFILL, T_CHRONIC_VISIT]))
    visit = r[tm[r] == T_CHRONIC_VISIT]
    emit(visit, consult[visit], 1)
    emit(visit[np.isin(fcat[visit], ["village"])], item["家庭医生签约随访"], 1)
    rand_from(visit[rng.random(len(visit)) < 0.25], chronic_exam, 1, 2)
    d = r[drug[r] >= 0]
    emit(d, drug[d], np.maximum(qty[d], 1))
    d = r[drug2[r] >= 0]
    emit(d, drug2[d], np.maximum(qty2[d], 1))

    r = np.flatnonzero(tm == T_INPATIENT)
    los = np.maximum(qty[r], 1)
    for name in ["床位费(普通病房)", "二级护理", "住院诊查费"]:
        emit(r, item[name], los)
    emit(r, item["静脉输液"], np.maximum(1, (los * 0.8).astype(int)))
    rand_from(r, pools["exam"], 3, 6)
    k = rng.integers(3, 7, len(r)); rr = np.repeat(r, k)
    emit(rr, pools["ipdrug"][rng.integers(0, len(pools["ipdrug"]), len(rr))],
         np.maximum(1, np.repeat(los, k) * rng.integers(1, 3, len(rr))))
    rand_from(r, pools["material"], 1, 2, 1, 4)
    dx = cl["dx"].to_numpy()[r]
    for code, op in SURGICAL_DX.items():
        s = r[dx == code]
        emit(s, item[op], 1)
        if code in ("S72.0", "S82.2"):
            emit(s, item["金属接骨板"], 1)

    r = np.flatnonzero(tm == T_DIALYSIS)
    emit(r, item["血液透析"], 1); emit(r, item["血液透析器"], 1); emit(r, item["肝素钠注射液 2ml:12500单位"], 1)
    emit(r[rng.random(len(r)) < 0.4], item["重组人促红素注射液 3000IU"], 1)

    r = np.flatnonzero(tm == T_REHAB)
    rand_from(r, pools["rehab"], 2, 3)

    r = np.flatnonzero(tm == T_CHECKUP)
    emit(r, consult[r], 1)
    for name in ["血细胞分析(血常规)", "尿液分析(尿常规)", "肝功能检测", "肾功能检测", "血脂四项", "常规心电图检查",
                 "胸部X线摄影", "腹部彩色多普勒超声"]:
        emit(r, item[name], 1)

    r = np.flatnonzero(tm == T_FIXED)
    if len(r):
        b = cl["bill"].to_numpy()[r]
        lens = np.array([len(x) for x in bills])
        flat_i = np.concatenate([[i for i, _ in x] for x in bills]).astype(int)
        flat_q = np.concatenate([[q for _, q in x] for x in bills]).astype(int)
        offs = np.r_[0, np.cumsum(lens)[:-1]]
        rr = np.repeat(r, lens[b])
        pos = np.repeat(offs[b], lens[b]) + (np.arange(len(rr)) - np.repeat(np.r_[0, np.cumsum(lens[b])[:-1]], lens[b]))
        emit(rr, flat_i[pos], flat_q[pos])

    lines = pd.DataFrame({"row": np.concatenate(R), "item": np.concatenate(I), "qty": np.concatenate(Q)})
    lines = lines.drop_duplicates(["row", "item"]).sort_values("row", kind="stable").reset_index(drop=True)
    return lines


def price_lines(rng: np.random.Generator, lines: pd.DataFrame, cl: pd.DataFrame, cat: pd.DataFrame,
                fac: pd.DataFrame) -> None:
    """Services cost more at higher levels; drugs cost the same everywhere (集采 prices)."""
    f = cl["fac"].to_numpy()[lines["row"].to_numpy()]
    level = fac["level"].to_numpy()[f]
    factor = np.select([level == "tertiary", level == "secondary"], [1.15, 1.0], 0.9)
    is_svc = cat["type"].to_numpy()[lines["item"].to_numpy()] == "service"
    price = cat["price"].to_numpy()[lines["item"].to_numpy()]
    lines["unit_price"] = np.round(np.where(is_svc, price * factor, price), 2)
    lines["amount"] = np.round(lines["unit_price"] * lines["qty"], 2)


def trace_codes(rng: np.random.Generator, lines: pd.DataFrame, cl: pd.DataFrame, cat: pd.DataFrame,
                fac: pd.DataFrame) -> np.ndarray:
    """追溯码 on most pharmacy drug lines, fewer in hospitals; split packs (拆零) honestly repeat a code."""
    n = len(lines)
    row, it = lines["row"].to_numpy(), lines["item"].to_numpy()
    f = cl["fac"].to_numpy()[row]
    kind = fac["kind"].to_numpy()[f]
    is_drug = cat["type"].to_numpy()[it] == "drug"
    p = np.select([kind == "pharmacy", kind == "clinic"], [0.88, 0.6], 0.3)
    has = is_drug & (rng.random(n) < p)
    product = (np.arange(len(cat)) * 7919 + 100003) % 900000 + 100000
    serial = rng.integers(10**12, 10**13, n)
    code = np.char.add(np.char.add("8", product[it].astype(str)), serial.astype(str)).astype(object)
    code[~has] = ""
    ring_tr = cl["trace"].to_numpy()[row]
    own = (ring_tr != "") & (it == cl["drug"].to_numpy()[row])
    code[own] = ring_tr[own]
    # 拆零: a box split over two sales at the same pharmacy keeps its code.
    t = cl["t"].to_numpy()[row]
    order = np.lexsort((t, it, f))
    same = np.r_[False, (f[order][1:] == f[order][:-1]) & (it[order][1:] == it[order][:-1])]
    split = same & has[order] & np.r_[False, has[order][:-1]] & (kind[order] == "pharmacy") & (rng.random(n) < 0.004)
    code_sorted = code[order]
    code_sorted[split] = code_sorted[np.flatnonzero(split) - 1]
    code[order] = code_sorted
    return code


def fund_share(rng: np.random.Generator, cl: pd.DataFrame, total: np.ndarray, pp: People, fac: pd.DataFrame) -> np.ndarray:
    """What the fund pays: deductibles and ratios by visit type, level and scheme; personal accounts at pharmacies."""
    vt = cl["vt"].to_numpy()
    emp = pp.insurance[cl["person"].to_numpy()] == "employee"
    level = fac["level"].to_numpy()[cl["fac"].to_numpy()]
    lv = np.select([level == "tertiary", level == "secondary"], [0, 1], 2)
    ip_ratio = np.where(emp, np.array([0.82, 0.87, 0.92])[lv], np.array([0.60, 0.70, 0.82])[lv])
    deduct = np.where(emp, np.array([800, 500, 200])[lv], np.array([1000, 600, 200])[lv])
    ip = np.maximum(0, total - deduct) * ip_ratio
    op_ratio = np.where(emp, np.array([0.55, 0.6, 0.7])[lv], np.array([0.3, 0.4, 0.5])[lv])
    op = total * op_ratio * (rng.random(len(cl)) < 0.9)
    special = np.isin(cl["tmpl"].to_numpy(), [T_DIALYSIS, T_DTP]) | np.isin(cl["dx"].to_numpy(), list(CANCER))
    op = np.where(special, total * np.where(emp, 0.88, 0.7), op)
    ph = np.where(emp, total * np.where(rng.random(len(cl)) < 0.8, 1.0, 0.5),
                  total * np.where(rng.random(len(cl)) < 0.4, 0.5, 0.0))
    ph = np.where(special & (vt == VT_PH), total * np.where(emp, 0.75, 0.6), ph)
    fund = np.select([vt == VT_IN, vt == VT_OUT], [ip, op], ph)
    return np.minimum(np.floor(fund * 100) / 100, total)


def purchases(rng: np.random.Generator, lines: pd.DataFrame, cl: pd.DataFrame, cat: pd.DataFrame,
              fac: pd.DataFrame) -> pd.DataFrame:
    """Stock-in that covers honest sales: delivered days before the month, with small honest gaps."""
    row = lines["row"].to_numpy()
    f = cl["fac"].to_numpy()[row]
    keep = np.isin(fac["kind"].to_numpy()[f], ["pharmacy", "clinic"]) & (cat["type"].to_numpy()[lines["item"]] == "drug")
    real = lines["qty"].to_numpy() * (1 - cl["phantom"].to_numpy()[row])
    month = (T0 + cl["t"].to_numpy()[row].astype("timedelta64[s]")).astype("datetime64[M]").astype(int) - (YEAR - 1970) * 12
    sales = pd.DataFrame({"fac": f[keep], "item": lines["item"].to_numpy()[keep], "month": month[keep],
                          "q": real[keep]}).groupby(["fac", "item", "month"], as_index=False)["q"].sum()
    sales = sales[sales["q"] >= 0.5]
    n = len(sales)
    ratio = np.where(rng.random(n) < 0.07, rng.uniform(0.82, 0.95, n), rng.uniform(0.97, 1.12, n))
    total = np.maximum(1, np.ceil(sales["q"].to_numpy() * ratio)).astype(int)
    first = np.where(total > 5, np.ceil(total * rng.uniform(0.5, 0.75, n)).astype(int), total)
    month_start = np.datetime64(f"{YEAR}-01-01", "M") + sales["month"].to_numpy().astype("timedelta64[M]")
    d1 = month_start.astype("datetime64[D]") - rng.integers(1, 8, n).astype("timedelta64[D]")
    d2 = month_start.astype("datetime64[D]") + rng.integers(9, 20, n).astype("timedelta64[D]")
    sec = lambda k: rng.integers(8 * 3600, 17 * 3600, k).astype("timedelta64[s]")
    t1 = d1.astype("datetime64[s]") + sec(n)
    t2 = d2.astype("datetime64[s]") + sec(n)
    supplier_of = np.array(SUPPLIERS, dtype=object)[(np.arange(len(fac)) * 3 + rng.integers(0, 2, len(fac))) % len(SUPPLIERS)]
    unit = np.round(cat["price"].to_numpy()[sales["item"].to_numpy()] * rng.uniform(0.72, 0.86, n), 2)
    second = total - first > 0
    out = pd.DataFrame({
        "fac": np.r_[sales["fac"].to_numpy(), sales["fac"].to_numpy()[second]],
        "item": np.r_[sales["item"].to_numpy(), sales["item"].to_numpy()[second]],
        "t": np.r_[t1, t2[second]], "quantity": np.r_[first, (total - first)[second]],
        "unit_price": np.r_[unit, unit[second]]})
    out["supplier"] = supplier_of[out["fac"].to_numpy()]
    return out.sort_values("t", kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------
# assembling and writing the tables
# ----------------------------------------------------------------------------

def honest_world(seed: int, n_persons: int) -> Ctx:
    """Everything that does not depend on rings, drawn from its own random stream."""
    rng = np.random.default_rng([seed, 1])
    pp = build_people(rng, n_persons)
    name_people(rng, pp)
    n_private = max(6, round(8 * n_persons / 50000)) + 2 * rings_per_typology(n_persons)
    pl = build_places(rng, pp, n_private)
    lk = build_links(rng, pp, pl)
    lk.rows.extend(facility_identifiers(rng, pl))
    cat, item, pools = catalogue()
    c = Ctx(rng, pp, pl, lk, preferences(rng, pp, pl), cat, item, ClaimBuf())
    c.pools = pools
    for gen in (gen_dialysis, gen_rehab, gen_cancer, gen_nursing, gen_outpatient, gen_otc, gen_chronic,
                gen_inpatient, gen_groups, gen_couples):
        gen(c)
    return c


def with_lines(rng: np.random.Generator, c: Ctx, cl: pd.DataFrame) -> pd.DataFrame:
    lines = make_items(rng, cl, c.cb.bills, c.cat, c.pools, c.item, c.pl.fac["cat"].to_numpy())
    price_lines(rng, lines, cl, c.cat, c.pl.fac)
    lines["trace_code"] = trace_codes(rng, lines, cl, c.cat, c.pl.fac)
    return lines


def build(seed: int, n_persons: int, rings: bool) -> dict[str, pd.DataFrame]:
    """The honest world is identical with or without rings; rings and their lines use their own streams."""
    c = honest_world(seed, n_persons)
    honest = drop_after_death(c.cb.frame(), c.pp)
    h_lines = with_lines(np.random.default_rng([seed, 2]), c, honest)
    n_hon_bills = len(c.cb.bills)
    labels = []
    if rings:
        c.cb.parts = []
        c.rng = np.random.default_rng([seed, 3])
        kit = plant_rings(c, c.rng)
        labels = kit.labels
        ring_cl = c.cb.frame()
        r_lines = with_lines(np.random.default_rng([seed, 4]), c, ring_cl)
        # Forced deaths and erased patients remove some of the honest claims drawn above.
        gone = drop_after_death(honest.assign(_row=np.arange(len(honest))), c.pp)["_row"].to_numpy()
        gone_mask = ~np.isin(np.arange(len(honest)), gone) | np.isin(honest["person"], kit.erase)
        keep_rows = np.flatnonzero(~gone_mask)
        remap = np.full(len(honest), -1); remap[keep_rows] = np.arange(len(keep_rows))
        honest = honest.iloc[keep_rows].reset_index(drop=True)
        h_lines = h_lines[remap[h_lines["row"]] >= 0].assign(row=lambda d: remap[d["row"]])
        r_lines = r_lines.assign(row=r_lines["row"] + len(honest))
        cl = pd.concat([honest, ring_cl], ignore_index=True)
        lines = pd.concat([h_lines, r_lines], ignore_index=True)
        c.plans = kit.plans
    else:
        cl, lines, c.plans = honest, h_lines, []
    assert n_hon_bills <= len(c.cb.bills)
    return tables(c, cl, lines, labels, seed)


def tables(c: Ctx, cl: pd.DataFrame, lines: pd.DataFrame, labels: list, seed: int) -> dict[str, pd.DataFrame]:
    """Contract-shaped tables; claim ids follow settlement time so that nothing else leaks through them."""
    rng = np.random.default_rng([seed, 5])
    pp, pl, cat = c.pp, c.pl, c.cat
    order = np.argsort(cl["t"].to_numpy(), kind="stable")
    rank = np.empty(len(cl), int); rank[order] = np.arange(len(cl))
    serial = np.cumsum(rng.integers(1, 4, len(cl)))[rank] + 4301 * 10**10
    claim_id = np.char.add("JS", serial.astype(str)).astype(object)
    row = lines["row"].to_numpy()
    total = np.round(np.bincount(row, weights=lines["amount"].to_numpy(), minlength=len(cl)), 2)
    fund = fund_share(rng, cl, total, pp, pl.fac)
    prac_id = np.r_[pl.prac["practitioner_id"].to_numpy(), np.array([""], dtype=object)]
    fac_id = pl.fac["facility_id"].to_numpy()
    devices = np.array(pl.devices + [""], dtype=object)
    vt = cl["vt"].to_numpy()
    claims = pd.DataFrame({
        "claim_id": claim_id, "person_id": pp.person_id[cl["person"]], "facility_id": fac_id[cl["fac"]],
        "practitioner_id": prac_id[cl["prac"].to_numpy()], "visit_type": VT_NAMES[vt],
        "settled_at": iso_seconds(cl["t"].to_numpy()),
        "admitted_at": iso_seconds(np.where(vt == VT_IN, cl["adm"], -1)),
        "discharged_at": iso_seconds(np.where(vt == VT_IN, cl["dis"], -1)),
        "diagnosis_code": cl["dx"].to_numpy(), "total_amount": total, "fund_paid": fund,
        "region_code": pl.fac["region_code"].to_numpy()[cl["fac"]], "auth_method": AUTH_NAMES[cl["auth"].to_numpy()],
        "device_id": devices[cl["dev"].to_numpy()]}).iloc[order]
    items = pd.DataFrame({
        "claim_id": claim_id[row], "line_no": lines.groupby("row").cumcount().to_numpy() + 1,
        "item_code": cat["code"].to_numpy()[lines["item"]], "item_name": cat["name"].to_numpy()[lines["item"]],
        "item_type": cat["type"].to_numpy()[lines["item"]], "quantity": lines["qty"].to_numpy(),
        "unit_price": lines["unit_price"].to_numpy(), "amount": lines["amount"].to_numpy(),
        "practitioner_id": prac_id[cl["prac"].to_numpy()[row]], "trace_code": lines["trace_code"].to_numpy()})
    items = items.iloc[np.argsort(rank[row], kind="stable")]
    persons = pd.DataFrame({
        "person_id": pp.person_id, "name": pp.name, "id_card": pp.id_card,
        "gender": np.where(pp.female, "F", "M"), "birth_date": np.datetime_as_string(pp.birth, unit="D"),
        "region_code": pp.region, "insurance_type": pp.insurance, "death_date": iso_days(pp.death_rec)})
    persons = persons.iloc[np.argsort(pp.person_id)]
    fac = pl.fac
    facilities = pd.DataFrame({
        "facility_id": fac["facility_id"], "name": fac["name"], "kind": fac["kind"], "level": fac["level"],
        "ownership": fac["ownership"], "region_code": fac["region_code"], "address": fac["address"],
        "beds": fac["beds"].astype("Int64")})
    practitioners = pl.prac[["practitioner_id", "name", "role", "facility_id", "department", "id_card"]]
    stock = purchases(rng, lines, cl, cat, fac)
    purch = pd.DataFrame({"facility_id": fac_id[stock["fac"]], "item_code": cat["code"].to_numpy()[stock["item"]],
                          "purchased_at": np.datetime_as_string(stock["t"].to_numpy(), unit="s"),
                          "quantity": stock["quantity"], "unit_price": stock["unit_price"],
                          "supplier": stock["supplier"]})
    ids = pd.concat(c.lk.rows, ignore_index=True).drop_duplicates(["owner_type", "owner_id", "kind", "value"])
    ids = ids.sample(frac=1.0, random_state=seed % (2**32)).reset_index(drop=True)
    lab = pd.DataFrame(labels, columns=["ring_id", "typology", "entity_type", "entity_id", "role"])
    lab = lab.drop_duplicates(["ring_id", "entity_type", "entity_id"])
    return {"persons": persons, "facilities": facilities, "practitioners": practitioners, "claims": claims,
            "claim_items": items, "identifiers": ids, "purchases": purch, "labels": lab, "_plans": c.plans}


def write(out: Path, tabs: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tabs.items():
        if name.startswith("_"):
            continue
        df.to_csv(out / f"{name}.csv", index=False, float_format="%.2f", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--persons", type=int, default=50000)
    ap.add_argument("--no-rings", action="store_true")
    a = ap.parse_args(argv)
    if a.persons < 2000:
        ap.error(f"--persons {a.persons}: at least 2000 are needed for the trap cohorts and rings")
    t0 = time.time()
    tabs = build(a.seed, a.persons, not a.no_rings)
    write(a.out, tabs)
    counts = ", ".join(f"{k} {len(v)}" for k, v in tabs.items() if not k.startswith("_"))
    print(f"wrote {a.out} in {time.time() - t0:.1f}s: {counts}")
    for rid, typ, size, loud in tabs["_plans"]:
        print(f"  {rid} {typ:24s} size {size:2d} loudness {loud}")


if __name__ == "__main__":
    main()
