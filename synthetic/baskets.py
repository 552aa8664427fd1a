"""What a settlement bills: line templates per kind of visit ("basket").

A basket is a list of lines ``(item, probability, quantity rule, parameter)``.
Each line is included with its probability; the quantity rule is ``one``,
``poisson`` (1 + Poisson(parameter - 1), so the mean is the parameter),
``fill`` (the claim's box count: chronic fills), ``per_day`` (the stay's
length times the parameter) or ``fixed`` (the parameter). Rings use the same
baskets as honest people, with their own box counts, so they do not stand
out by odd items or round amounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ringscope.synthetic.catalogue import ITEM_INDEX, REGIMENS

__all__ = ["BASKETS", "BASKET_INDEX", "BasketTable", "basket_table",
           "ONE", "POISSON", "FILL", "PER_DAY", "FIXED"]

ONE, POISSON, FILL, PER_DAY, FIXED = 0, 1, 2, 3, 4
_RULES = {"one": ONE, "poisson": POISSON, "fill": FILL, "per_day": PER_DAY, "fixed": FIXED}

_WARD = [("inpatient_consult", 1, "per_day", 1), ("bed", 1, "per_day", 1), ("nursing", 1, "per_day", 1),
         ("biochem_full", 0.9, "poisson", 1.6), ("coagulation", 0.6, "one", 1)]
_DRIP = [("saline", 0.9, "per_day", 1.5), ("infusion", 0.9, "per_day", 1.0), ("infusion_set", 0.9, "per_day", 1.0),
         ("iv_catheter", 0.6, "poisson", 1.5)]

_FIXED_BASKETS: dict[str, list[tuple[str, float, str, float]]] = {
    "out_resp": [("consult", 1, "one", 1), ("blood_routine", 0.45, "one", 1), ("xray", 0.08, "one", 1),
                 ("ct", 0.03, "one", 1),
                 ("amoxicillin", 0.35, "poisson", 1.3), ("cefaclor", 0.2, "poisson", 1.2),
                 ("lianhua", 0.35, "poisson", 1.5), ("ibuprofen", 0.2, "one", 1), ("ganmaoling", 0.25, "poisson", 1.4)],
    "out_gi": [("consult", 1, "one", 1), ("blood_routine", 0.2, "one", 1), ("omeprazole", 0.6, "poisson", 1.5),
               ("biochem", 0.1, "one", 1),
               ("smectite", 0.35, "poisson", 1.3), ("ultrasound", 0.1, "one", 1)],
    "out_msk": [("consult", 1, "one", 1), ("xray", 0.3, "one", 1), ("ct", 0.05, "one", 1),
                ("ibuprofen", 0.4, "poisson", 1.2), ("diclofenac_gel", 0.45, "poisson", 1.3),
                ("physio_electric", 0.15, "poisson", 3), ("tuina", 0.1, "poisson", 2)],
    "out_skin": [("consult", 1, "one", 1), ("loratadine", 0.6, "poisson", 1.3), ("mometasone", 0.5, "one", 1)],
    "out_gyn": [("consult", 1, "one", 1), ("ultrasound", 0.4, "one", 1), ("blood_routine", 0.3, "one", 1),
                ("amoxicillin", 0.3, "one", 1)],
    "out_peds": [("consult", 1, "one", 1), ("blood_routine", 0.5, "one", 1), ("ped_syrup", 0.7, "poisson", 1.3),
                 ("amoxicillin", 0.3, "one", 1)],
    "out_prenatal": [("consult", 1, "one", 1), ("ultrasound", 0.7, "one", 1), ("blood_routine", 0.6, "one", 1)],
    "out_er": [("consult_er", 1, "one", 1), ("xray", 0.5, "one", 1), ("ct", 0.2, "one", 1),
               ("dressing", 0.5, "poisson", 2), ("ibuprofen", 0.3, "one", 1)],
    "out_general": [("consult", 1, "one", 1), ("glucose", 0.3, "one", 1), ("ecg", 0.08, "one", 1),
                    ("blood_routine", 0.2, "one", 1), ("ultrasound", 0.05, "one", 1)],
    "out_home_visit": [("home_visit", 1, "one", 1), ("glucose", 0.4, "one", 1)],
    "out_screen": [("consult", 1, "one", 1), ("blood_routine", 0.95, "one", 1), ("biochem", 0.9, "one", 1),
                   ("ecg", 0.8, "one", 1), ("xray", 0.85, "one", 1), ("ultrasound", 0.5, "one", 1)],
    "out_oncology": [("consult", 1, "one", 1), ("blood_routine", 0.9, "one", 1), ("biochem", 0.7, "one", 1),
                     ("ct", 0.35, "one", 1)],
    "ph_resp": [("lianhua", 0.45, "poisson", 1.4), ("ganmaoling", 0.4, "poisson", 1.4), ("ibuprofen", 0.25, "one", 1),
                ("amoxicillin", 0.2, "poisson", 1.2), ("loratadine", 0.05, "one", 1)],
    "ph_gi": [("omeprazole", 0.6, "poisson", 1.4), ("smectite", 0.5, "poisson", 1.3)],
    "ph_msk": [("diclofenac_gel", 0.7, "poisson", 1.3), ("ibuprofen", 0.4, "one", 1)],
    "ph_skin": [("loratadine", 0.6, "poisson", 1.3), ("mometasone", 0.5, "one", 1)],
    "ph_osimertinib": [("osimertinib", 1, "fill", 1)],
    "ph_lenalidomide": [("lenalidomide", 1, "fill", 1)],
    "dialysis": [("dialysis", 1, "one", 1), ("dialyzer", 1, "one", 1), ("dialysis_line", 1, "one", 1),
                 ("saline", 1, "fixed", 2), ("enoxaparin", 0.9, "one", 1), ("blood_routine", 0.08, "one", 1),
                 ("biochem", 0.05, "one", 1)],
    "rehab": [("physio_motor", 1, "one", 1), ("physio_electric", 0.7, "one", 1), ("acupuncture", 0.4, "one", 1),
              ("tuina", 0.35, "one", 1)],
    # identical bills of fictitious services: every line always, fixed quantities
    "fict_rehab": [("physio_motor", 1, "one", 1), ("physio_electric", 1, "one", 1), ("acupuncture", 1, "one", 1),
                   ("tuina", 1, "one", 1)],
    "fict_ward": _WARD + [("physio_electric", 1, "per_day", 1), ("acupuncture", 1, "per_day", 1),
                          ("blood_routine", 1, "fixed", 2), ("ct", 1, "one", 1)],
    "in_pneumonia": _WARD + _DRIP + [("blood_routine", 1, "poisson", 2.5), ("biochem", 0.9, "poisson", 1.5),
                                     ("xray", 0.8, "poisson", 1.3), ("ct", 0.4, "one", 1),
                                     ("ceftriaxone", 0.5, "per_day", 1), ("piperacillin", 0.5, "per_day", 2.5),
                                     ("oxygen", 0.7, "per_day", 20), ("omeprazole_inj", 0.3, "per_day", 1),
                                     ("meropenem", 0.25, "per_day", 2), ("cefoperazone", 0.45, "per_day", 2),
                                     ("amino_acids", 0.4, "per_day", 1)],
    "in_stroke": _WARD + _DRIP + [("blood_routine", 1, "poisson", 2), ("biochem", 1, "poisson", 2), ("ct", 0.9, "one", 1),
                                  ("ultrasound", 0.6, "one", 1), ("xueshuantong", 0.7, "per_day", 0.8),
                                  ("enoxaparin", 0.3, "per_day", 1), ("clopidogrel", 0.5, "one", 1),
                                  ("atorvastatin", 0.5, "one", 1), ("acupuncture", 0.3, "per_day", 0.6),
                                  ("oxiracetam", 0.5, "per_day", 2), ("alprostadil", 0.35, "per_day", 1),
                                  ("edaravone", 0.45, "per_day", 1.5), ("ngf", 0.2, "per_day", 1),
                                  ("mri", 0.5, "one", 1), ("ecg_monitor", 0.5, "per_day", 18)],
    "in_cardiac": _WARD + _DRIP + [("ecg", 1, "poisson", 2), ("blood_routine", 1, "poisson", 1.5),
                                   ("biochem", 0.9, "poisson", 1.5), ("ultrasound", 0.7, "one", 1),
                                   ("clopidogrel", 0.6, "one", 1), ("atorvastatin", 0.6, "one", 1),
                                   ("xueshuantong", 0.3, "per_day", 0.7), ("ecg_monitor", 0.8, "per_day", 20),
                                   ("alprostadil", 0.3, "per_day", 1), ("isosorbide", 0.6, "per_day", 1.5)],
    "in_copd": _WARD + _DRIP + [("blood_routine", 1, "poisson", 2), ("xray", 0.8, "one", 1), ("ct", 0.5, "one", 1),
                                ("ceftriaxone", 0.6, "per_day", 1), ("seretide", 0.5, "one", 1),
                                ("piperacillin", 0.4, "per_day", 2.5), ("oxygen", 0.9, "per_day", 22),
                                ("cefoperazone", 0.4, "per_day", 2), ("amino_acids", 0.4, "per_day", 1)],
    "in_spine": _WARD + [("ct", 0.5, "one", 1), ("xray", 0.5, "one", 1), ("mri", 0.6, "one", 1),
                         ("physio_electric", 0.8, "per_day", 0.8),
                         ("tuina", 0.5, "per_day", 0.6), ("acupuncture", 0.5, "per_day", 0.7),
                         ("ibuprofen", 0.4, "one", 1), ("xueshuantong", 0.2, "per_day", 0.6),
                         ("ngf", 0.35, "per_day", 1), ("alprostadil", 0.25, "per_day", 1),
                         ("saline", 0.5, "per_day", 1), ("infusion", 0.5, "per_day", 1)],
    "in_fracture": _WARD + _DRIP + [("xray", 1, "poisson", 2), ("ct", 0.6, "one", 1), ("fracture_surgery", 1, "one", 1), ("anaesthesia", 1, "one", 1),
                                    ("bone_plate", 1, "one", 1), ("enoxaparin", 0.6, "per_day", 1),
                                    ("ceftriaxone", 0.8, "poisson", 3), ("dressing", 1, "poisson", 4)],
    "in_concussion": _WARD + _DRIP + [("ct", 1, "poisson", 1.5), ("blood_routine", 0.8, "one", 1),
                                      ("omeprazole_inj", 0.3, "per_day", 1)],
    "in_cancer": _WARD + _DRIP + [("paclitaxel", 0.6, "poisson", 1.5), ("albumin", 0.15, "poisson", 2),
                                  ("blood_routine", 1, "poisson", 3), ("biochem", 1, "poisson", 2),
                                  ("ct", 0.6, "one", 1), ("omeprazole_inj", 0.5, "per_day", 1),
                                  ("amino_acids", 0.6, "per_day", 1), ("mri", 0.3, "one", 1)],
    "in_delivery": _WARD + [("delivery", 1, "one", 1), ("oxytocin", 0.8, "poisson", 2),
                            ("blood_routine", 1, "poisson", 2), ("ultrasound", 0.6, "one", 1),
                            ("saline", 0.6, "per_day", 1), ("infusion", 0.6, "per_day", 1)],
    "in_general": _WARD + _DRIP + [("blood_routine", 1, "poisson", 2), ("biochem", 0.9, "poisson", 1.5),
                                   ("ultrasound", 0.5, "one", 1), ("omeprazole_inj", 0.3, "per_day", 1),
                                   ("ceftriaxone", 0.3, "per_day", 1), ("cefoperazone", 0.3, "per_day", 2),
                                   ("amino_acids", 0.5, "per_day", 1), ("ct", 0.3, "one", 1)],
}


def _regimen_baskets() -> dict[str, list[tuple[str, float, str, float]]]:
    out = {}
    for r in REGIMENS:
        test = ("glucose", 0.6, "one", 1) if r.diagnosis == "E11.9" else ("ecg", 0.1, "one", 1)
        out[f"ph_{r.key}"] = [(r.drug, 1, "fill", 1)]
        out[f"out_{r.key}"] = [("consult", 1, "one", 1), test, ("biochem", 0.08, "one", 1), (r.drug, 1, "fill", 1)]
    return out


BASKETS: dict[str, list[tuple[str, float, str, float]]] = {**_FIXED_BASKETS, **_regimen_baskets()}
BASKET_INDEX: dict[str, int] = {name: i for i, name in enumerate(BASKETS)}


@dataclass(frozen=True)
class BasketTable:
    """All baskets' lines as flat arrays; basket ``b`` owns rows ``start[b]:start[b]+count[b]``."""

    start: np.ndarray
    count: np.ndarray
    item: np.ndarray
    prob: np.ndarray
    rule: np.ndarray
    param: np.ndarray


def basket_table() -> BasketTable:
    rows = [(b, ITEM_INDEX[item], p, _RULES[rule], param)
            for b, lines in enumerate(BASKETS.values()) for item, p, rule, param in lines]
    arr = np.array(rows, dtype=float)
    count = np.bincount(arr[:, 0].astype(int), minlength=len(BASKETS))
    return BasketTable(
        start=np.concatenate(([0], np.cumsum(count)[:-1])), count=count,
        item=arr[:, 1].astype(np.int64), prob=arr[:, 2], rule=arr[:, 3].astype(np.int64), param=arr[:, 4],
    )
