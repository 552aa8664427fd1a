"""Doctors who share an account, a phone or an e-mail with a pharmacy: the trail of a kickback (回扣).

A pharmacy that pays doctors for the prescriptions they steer to it pays
into an account, and the identifiers registered to practitioners and
facilities (a pharmacy's settlement account and phone, its pharmacists'
phones, a doctor's salary card) show where one value is held on both sides.
A value registered at the doctor's own facility (the hospital's switchboard
on its doctors' records) ties him to his employer, not to a shop; a value
held by more than ``GENERIC_IDENTIFIER_HOLDERS`` owners is public.

A tie says nothing of prescriptions by itself (a doctor married to a
pharmacist, a doctor who owns a pharmacy across town): the collusion job
reads it as one line of evidence beside the flow of fills and their
quantities, and it lets that job test a pair whose flow its peers explain,
as when every prescribing doctor of a hospital sends his patients to the
same paying shop.
"""

from __future__ import annotations

import numpy as np

from ringscope.communities.context import GENERIC_IDENTIFIER_HOLDERS
from ringscope.communities.tables import Tables

__all__ = ["pharmacy_ties", "TIE_KINDS"]

#: the identifiers money and messages go through
TIE_KINDS = ("bank_account", "phone", "email")


def pharmacy_ties(tables: Tables) -> dict[tuple[str, str], int]:
    """Per (doctor, facility other than his own): how many account, phone or e-mail values the
    doctor shares with that facility or with a practitioner on its staff.

    >>> from types import SimpleNamespace
    >>> import pandas as pd
    >>> ids = pd.DataFrame({"owner_type": ["practitioner", "facility", "practitioner", "practitioner", "facility"],
    ...                     "owner_id": ["d1", "shop", "d2", "d2", "hosp"],
    ...                     "kind": ["bank_account", "bank_account", "phone", "phone", "phone"],
    ...                     "value": ["6222", "6222", "139", "138", "138"]})
    >>> staff = pd.DataFrame({"practitioner_id": ["d1", "d2", "p1"], "facility_id": ["hosp", "hosp", "shop"],
    ...                       "role": ["doctor", "doctor", "pharmacist"]})
    >>> pharmacy_ties(SimpleNamespace(identifiers=ids, practitioners=staff))
    {('d1', 'shop'): 1}
    """
    ids = tables.identifiers
    if ids is None or ids.empty:
        return {}
    staff = tables.practitioners.drop_duplicates("practitioner_id").set_index("practitioner_id")
    ids = ids.loc[ids["kind"].isin(TIE_KINDS) & ids["owner_type"].isin(["practitioner", "facility"]),
                  ["owner_type", "owner_id", "value"]].dropna().drop_duplicates()
    ids = ids[ids.groupby("value")["owner_id"].transform("size") <= GENERIC_IDENTIFIER_HOLDERS]
    by_staff = ids["owner_type"].eq("practitioner").fillna(False).to_numpy(dtype=bool)
    # the facility each holder stands for: the facility itself, or a practitioner's employer
    ids = ids.assign(facility=np.where(by_staff, ids["owner_id"].map(staff["facility_id"]), ids["owner_id"]))
    doctors = ids[by_staff & ids["owner_id"].map(staff["role"]).eq("doctor").fillna(False).to_numpy(dtype=bool)]
    pairs = doctors[["owner_id", "value", "facility"]].merge(
        ids[["owner_id", "value", "facility"]].dropna(), on="value", suffixes=("_doctor", ""))
    pairs = pairs[(pairs["owner_id"] != pairs["owner_id_doctor"]) & (pairs["facility"] != pairs["facility_doctor"])]
    counts = pairs.drop_duplicates(["owner_id_doctor", "facility", "value"]) \
        .groupby(["owner_id_doctor", "facility"]).size()
    return {(str(doctor), str(facility)): int(n) for (doctor, facility), n in counts.items()}
