"""A small catalogue of real 医保 item types, diagnoses and departments.

Item names and price levels are those of common items on the national list
(after volume-based procurement where it applies); codes follow the national
formats (drugs: 23 characters starting X/Z, services: 15 digits built from
the 2012 national service-item code, materials: C + 19 digits) but are
illustrative, not looked up. Prices are base prices in cents; facilities
apply their own level factors (see ``providers``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "Item", "ITEMS", "ITEM_INDEX", "Diagnosis", "DIAGNOSES", "DX_INDEX",
    "DEPARTMENTS", "Regimen", "REGIMENS", "item_arrays",
]

DEPARTMENTS: tuple[str, ...] = (
    "内科", "外科", "儿科", "妇产科", "肿瘤科", "肾内科", "康复医学科",
    "全科医疗科", "急诊科", "骨科", "中医科", "神经内科",
)


@dataclass(frozen=True)
class Item:
    key: str
    item_type: str  # drug | service | material
    name: str
    price_cents: int
    code: str
    #: days one box lasts for a chronic drug (0: not a chronic drug)
    days_per_box: int = 0
    #: the most boxes one fill may hold (long prescriptions, 长处方)
    max_boxes: int = 3


def _drug(key, name, yuan, atc, serial, days=0, max_boxes=3):
    code = f"{'Z' if atc.startswith('Z') else 'X'}{atc.lstrip('Z'):<5.5}".replace(" ", "A")
    code = f"{code}A{serial:03d}A001010101{serial * 7 % 1000:03d}"
    return Item(key, "drug", name, int(round(yuan * 100)), code[:23], days, max_boxes)


def _service(key, name, yuan, national):
    return Item(key, "service", name, int(round(yuan * 100)), f"00{national}0000")


def _material(key, name, yuan, serial):
    return Item(key, "material", name, int(round(yuan * 100)), f"C{serial:019d}")


ITEMS: tuple[Item, ...] = (
    # chronic drugs (days_per_box > 0)
    _drug("amlodipine", "苯磺酸氨氯地平片", 9.80, "C08CA", 41, 28, 3),
    _drug("valsartan", "缬沙坦胶囊", 15.60, "C09CA", 52, 28, 3),
    _drug("nifedipine", "硝苯地平控释片", 32.50, "C08CA", 44, 30, 3),
    _drug("metformin", "盐酸二甲双胍片", 8.90, "A10BA", 12, 30, 3),
    _drug("acarbose", "阿卡波糖片", 18.20, "A10BF", 13, 15, 6),
    _drug("glargine", "甘精胰岛素注射液", 76.80, "A10AE", 21, 20, 5),
    _drug("atorvastatin", "阿托伐他汀钙片", 12.50, "C10AA", 33, 28, 3),
    _drug("clopidogrel", "硫酸氢氯吡格雷片", 24.90, "B01AC", 4, 28, 3),
    _drug("seretide", "沙美特罗替卡松粉吸入剂", 152.30, "R03AK", 6, 30, 3),
    _drug("entecavir", "恩替卡韦分散片", 13.70, "J05AF", 10, 28, 3),
    _drug("sacubitril", "沙库巴曲缬沙坦钠片", 118.60, "C09DX", 4, 14, 6),
    _drug("shexiang", "麝香保心丸", 61.40, "ZC01AA", 118, 14, 6),
    # cancer drugs filled at DTP pharmacies
    _drug("osimertinib", "甲磺酸奥希替尼片", 4972.00, "L01EB", 4, 30, 1),
    _drug("lenalidomide", "来那度胺胶囊", 1150.00, "L04AX", 4, 21, 1),
    # acute drugs
    _drug("amoxicillin", "阿莫西林胶囊", 6.50, "J01CA", 4),
    _drug("cefaclor", "头孢克洛缓释片", 22.40, "J01DC", 4),
    _drug("ibuprofen", "布洛芬缓释胶囊", 11.80, "M01AE", 1),
    _drug("lianhua", "连花清瘟胶囊", 14.80, "ZA01AB", 263),
    _drug("omeprazole", "奥美拉唑肠溶胶囊", 9.20, "A02BC", 1),
    _drug("smectite", "蒙脱石散", 16.30, "A07BC", 5),
    _drug("loratadine", "氯雷他定片", 18.50, "R06AX", 13),
    _drug("mometasone", "糠酸莫米松乳膏", 21.70, "D07AC", 13),
    _drug("diclofenac_gel", "双氯芬酸二乙胺乳胶剂", 19.90, "M02AA", 15),
    _drug("ganmaoling", "感冒灵颗粒", 12.60, "ZA01AA", 88),
    _drug("tamsulosin", "盐酸坦索罗辛缓释胶囊", 28.50, "G04CA", 2, 30, 3),
    _drug("ped_syrup", "小儿氨酚黄那敏颗粒", 9.60, "N02BE", 51),
    # inpatient drugs
    _drug("saline", "0.9%氯化钠注射液", 4.30, "B05XA", 3),
    _drug("ceftriaxone", "注射用头孢曲松钠", 5.20, "J01DD", 4),
    _drug("omeprazole_inj", "注射用奥美拉唑钠", 9.80, "A02BC", 2),
    _drug("enoxaparin", "依诺肝素钠注射液", 26.40, "B01AB", 5),
    _drug("xueshuantong", "注射用血栓通(冻干)", 38.60, "ZB01AC", 312),
    _drug("albumin", "人血白蛋白", 382.00, "B05AA", 1),
    _drug("paclitaxel", "注射用紫杉醇(白蛋白结合型)", 785.00, "L01CD", 1),
    _drug("oxytocin", "缩宫素注射液", 3.60, "H01BB", 2),
    _drug("piperacillin", "注射用哌拉西林钠他唑巴坦钠", 28.50, "J01CR", 5),
    _drug("oxiracetam", "注射用奥拉西坦", 42.00, "N06BX", 24),
    _drug("alprostadil", "前列地尔注射液", 68.00, "C01EA", 1),
    _drug("meropenem", "注射用美罗培南", 98.00, "J01DH", 2),
    _drug("cefoperazone", "注射用头孢哌酮钠舒巴坦钠", 45.00, "J01DD", 12),
    _drug("edaravone", "依达拉奉注射液", 118.00, "N07XX", 14),
    _drug("isosorbide", "注射用单硝酸异山梨酯", 29.00, "C01DA", 14),
    _drug("ngf", "注射用鼠神经生长因子", 152.00, "N07XX", 30),
    _drug("amino_acids", "复方氨基酸注射液(18AA)", 36.00, "B05BA", 1),
    # services
    _service("consult", "普通门诊诊查费", 12.00, "110200001"),
    _service("consult_er", "急诊诊查费", 18.00, "110200003"),
    _service("inpatient_consult", "住院诊查费", 20.00, "110300001"),
    _service("bed", "普通病房床位费", 45.00, "110900001"),
    _service("nursing", "Ⅱ级护理", 25.00, "120100004"),
    _service("infusion", "静脉输液", 8.00, "120400006"),
    _service("blood_routine", "血细胞分析", 20.00, "250101015"),
    _service("biochem", "肝功能检测组合", 62.00, "250305001"),
    _service("glucose", "葡萄糖测定", 6.00, "250302001"),
    _service("ecg", "常规心电图检查", 25.00, "310701001"),
    _service("xray", "数字化摄影(DR)", 65.00, "210102015"),
    _service("ct", "X线计算机体层(CT)平扫", 260.00, "210300001"),
    _service("ultrasound", "彩色多普勒超声常规检查", 120.00, "220600001"),
    _service("dialysis", "血液透析", 420.00, "311000006"),
    _service("physio_motor", "运动疗法", 45.00, "340200001"),
    _service("physio_electric", "中频脉冲电治疗", 22.00, "340100012"),
    _service("acupuncture", "普通针刺", 26.00, "430000001"),
    _service("tuina", "推拿治疗", 40.00, "440000001"),
    _service("fracture_surgery", "骨折切开复位内固定术", 2350.00, "331505006"),
    _service("delivery", "单胎顺产接生", 820.00, "331300003"),
    _service("anaesthesia", "全身麻醉", 780.00, "330100005"),
    _service("mri", "磁共振平扫", 560.00, "210400001"),
    _service("biochem_full", "血清生化全套", 180.00, "250300001"),
    _service("coagulation", "凝血功能检测", 58.00, "250203001"),
    _service("oxygen", "氧气吸入", 2.50, "120800001"),
    _service("ecg_monitor", "心电监测", 6.00, "310701008"),
    _service("home_visit", "家庭医生签约上门服务", 30.00, "111000002"),
    # materials
    _material("infusion_set", "一次性使用输液器", 3.50, 2010301100012301),
    _material("syringe", "一次性使用无菌注射器", 0.60, 2010302100004512),
    _material("iv_catheter", "一次性使用静脉留置针", 15.80, 2010401200010033),
    _material("dialyzer", "血液透析器", 148.00, 3040101100002207),
    _material("dialysis_line", "血液透析体外循环管路", 58.00, 3040102100001129),
    _material("bone_plate", "金属锁定接骨板", 3480.00, 1301020100023411),
    _material("dressing", "医用敷料", 6.40, 2020101100008815),
)

ITEM_INDEX: dict[str, int] = {item.key: i for i, item in enumerate(ITEMS)}


def item_arrays() -> dict[str, np.ndarray]:
    """Per-item arrays indexed like ``ITEMS``."""
    return {
        "price": np.array([i.price_cents for i in ITEMS], dtype=np.int64),
        "is_drug": np.array([i.item_type == "drug" for i in ITEMS]),
        "traceable": np.array([i.item_type == "drug" for i in ITEMS]),
        "days_per_box": np.array([i.days_per_box for i in ITEMS], dtype=np.int64),
        "max_boxes": np.array([i.max_boxes for i in ITEMS], dtype=np.int64),
        "is_service": np.array([i.item_type == "service" for i in ITEMS]),
    }


@dataclass(frozen=True)
class Diagnosis:
    code: str
    name: str
    department: str
    #: median length of stay when admitted (days)
    los: float = 7.0
    #: "M", "F" or "" (either); age range the diagnosis fits
    sex: str = ""
    ages: tuple[int, int] = (0, 120)


DIAGNOSES: tuple[Diagnosis, ...] = (
    Diagnosis("J06.9", "急性上呼吸道感染", "内科"),
    Diagnosis("J20.9", "急性支气管炎", "内科"),
    Diagnosis("K29.7", "慢性胃炎", "内科"),
    Diagnosis("K52.9", "胃肠炎", "内科", 5),
    Diagnosis("M54.5", "腰痛", "骨科"),
    Diagnosis("M51.2", "腰椎间盘突出", "骨科", 10),
    Diagnosis("M47.8", "颈椎病", "骨科", 9),
    Diagnosis("L30.9", "皮炎", "内科"),
    Diagnosis("J30.4", "过敏性鼻炎", "内科"),
    Diagnosis("I10", "原发性高血压", "内科", 8),
    Diagnosis("E11.9", "2型糖尿病", "内科", 9),
    Diagnosis("E78.5", "高脂血症", "内科"),
    Diagnosis("I25.1", "冠状动脉粥样硬化性心脏病", "内科", 8),
    Diagnosis("I63.9", "脑梗死", "神经内科", 12),
    Diagnosis("I67.8", "脑供血不足", "神经内科", 9),
    Diagnosis("J44.9", "慢性阻塞性肺疾病", "内科", 10),
    Diagnosis("B18.1", "慢性乙型病毒性肝炎", "内科", 12),
    Diagnosis("N18.5", "慢性肾脏病5期", "肾内科", 10),
    Diagnosis("C34.9", "肺恶性肿瘤", "肿瘤科", 9),
    Diagnosis("C50.9", "乳腺恶性肿瘤", "肿瘤科", 8, "F", (25, 120)),
    Diagnosis("C90.0", "多发性骨髓瘤", "肿瘤科", 12),
    Diagnosis("S82.2", "胫骨干骨折", "骨科", 14),
    Diagnosis("S06.0", "脑震荡", "外科", 6),
    Diagnosis("J18.9", "肺炎", "内科", 8),
    Diagnosis("O80.0", "单胎顺产", "妇产科", 3, "F", (18, 45)),
    Diagnosis("Z34.9", "正常妊娠监督", "妇产科", 1, "F", (18, 45)),
    Diagnosis("N40", "前列腺增生", "外科", 7, "M", (45, 120)),
    Diagnosis("N76.0", "急性阴道炎", "妇产科", 1, "F", (15, 120)),
    Diagnosis("J03.9", "急性扁桃体炎", "儿科", 4, "", (0, 14)),
    Diagnosis("I69.3", "脑梗死后遗症", "康复医学科", 20),
    Diagnosis("Z10.0", "职业健康检查", "全科医疗科", 1),
    Diagnosis("R53", "乏力", "全科医疗科"),
)

DX_INDEX: dict[str, int] = {d.code: i for i, d in enumerate(DIAGNOSES)}


@dataclass(frozen=True)
class Regimen:
    """A long-term drug regimen: the diagnosis it treats and its drug."""

    key: str
    diagnosis: str
    drug: str
    #: relative frequency among persons with a chronic condition
    weight: float


REGIMENS: tuple[Regimen, ...] = (
    Regimen("htn_amlodipine", "I10", "amlodipine", 18),
    Regimen("htn_valsartan", "I10", "valsartan", 12),
    Regimen("htn_nifedipine", "I10", "nifedipine", 8),
    Regimen("dm_metformin", "E11.9", "metformin", 12),
    Regimen("dm_acarbose", "E11.9", "acarbose", 5),
    Regimen("dm_glargine", "E11.9", "glargine", 5),
    Regimen("lipid_atorvastatin", "E78.5", "atorvastatin", 12),
    Regimen("chd_clopidogrel", "I25.1", "clopidogrel", 6),
    Regimen("chd_shexiang", "I25.1", "shexiang", 3),
    Regimen("hf_sacubitril", "I25.1", "sacubitril", 2),
    Regimen("copd_seretide", "J44.9", "seretide", 4),
    Regimen("hbv_entecavir", "B18.1", "entecavir", 3),
    Regimen("bph_tamsulosin", "N40", "tamsulosin", 3),
)
