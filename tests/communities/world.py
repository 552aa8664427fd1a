"""Hand-made claims worlds for the detection tests: an honest background plus
whatever a test plants (a ring's signal or a trap), as contract-shaped frames.

The background is small and seeded: a few facilities of each kind, a few
hundred persons in households of 1-4 sharing an address and a phone, each
with some ordinary claims spread over a year at working hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from ringscope.communities.tables import Tables, normalise

START = datetime(2024, 1, 1, 8, 0)


class World:
    def __init__(self, seed: int = 7, persons: int = 300, region: str = "110101"):
        self.rng = np.random.default_rng(seed)
        self.region = region
        self.persons: list[dict] = []
        self.facilities: list[dict] = []
        self.practitioners: list[dict] = []
        self.claims: list[dict] = []
        self.items: list[dict] = []
        self.ids: list[dict] = []
        self.purchases: list[dict] = []
        for kind, n in (("hospital", 2), ("clinic", 4), ("pharmacy", 4)):
            for i in range(n):
                self.facility(f"{kind[0].upper()}{i}", kind, beds=300 if kind == "hospital" else None)
        self.background(persons)

    # -- entities ---------------------------------------------------------
    def facility(self, fid: str, kind: str, *, beds=None, ownership="public", region=None) -> str:
        self.facilities.append({"facility_id": fid, "kind": kind, "beds": beds, "ownership": ownership,
                                "region_code": region or self.region})
        for j in range(3):
            self.practitioners.append({"practitioner_id": f"{fid}-D{j}", "facility_id": fid,
                                       "role": "pharmacist" if kind == "pharmacy" else "doctor"})
        return fid

    def person(self, pid: str, *, household: str | None = None, phone: str | None = None, gender="M",
               birth="1970-01-01", death=None, region=None, id_card=None) -> str:
        self.persons.append({"person_id": pid, "gender": gender, "birth_date": birth, "death_date": death,
                             "region_code": region or self.region, "id_card": id_card})
        self.ids.append({"owner_type": "person", "owner_id": pid, "kind": "address", "value": household or f"A-{pid}"})
        if phone:
            self.ids.append({"owner_type": "person", "owner_id": pid, "kind": "phone", "value": phone})
        return pid

    def claim(self, pid: str, fid: str, when: datetime, *, amount=100.0, visit="outpatient", doctor=None,
              device=None, diagnosis="J06", admitted=None, region=None, lines=()) -> str:
        cid = f"C{len(self.claims):06d}"
        kind = next(f["kind"] for f in self.facilities if f["facility_id"] == fid)
        visit = "pharmacy" if kind == "pharmacy" and visit == "outpatient" else visit
        self.claims.append({"claim_id": cid, "person_id": pid, "facility_id": fid,
                            "practitioner_id": doctor or f"{fid}-D{len(self.claims) % 3}", "visit_type": visit,
                            "settled_at": when.isoformat(), "admitted_at": admitted.isoformat() if admitted else None,
                            "diagnosis_code": diagnosis, "total_amount": amount, "fund_paid": amount * 0.7,
                            "region_code": region, "device_id": device})
        for n, (code, qty, price, *trace) in enumerate(lines, 1):
            self.items.append({"claim_id": cid, "line_no": n, "item_code": code, "item_type": "drug",
                               "quantity": qty, "unit_price": price, "amount": qty * price,
                               "trace_code": trace[0] if trace else None})
        return cid

    def at(self, day: int, minute: int = 0) -> datetime:
        return START + timedelta(days=day, minutes=minute)

    # -- the honest background --------------------------------------------
    def background(self, n: int) -> None:
        facilities = [f["facility_id"] for f in self.facilities]
        made = 0
        while made < n:
            size = int(self.rng.integers(1, 5))
            house = f"H{made}"
            for k in range(size):
                pid = self.person(f"P{made:05d}", household=house, phone=f"ph-{house}",
                                  gender="MF"[k % 2], birth=f"{1940 + int(self.rng.integers(0, 60))}-05-01")
                for _ in range(int(self.rng.integers(1, 9))):
                    fid = facilities[int(self.rng.integers(0, len(facilities)))]
                    when = self.at(int(self.rng.integers(0, 360)), int(self.rng.integers(0, 540)))
                    price = float(self.rng.choice([20.0, 45.0, 300.0]))
                    self.claim(pid, fid, when, amount=float(self.rng.gamma(2.0, 60.0)),
                               lines=[(f"X{int(self.rng.integers(0, 12)):02d}", float(self.rng.integers(1, 4)), price)])
                made += 1
        self.stock_everything()

    def stock_everything(self) -> None:
        """Stock-in matching every facility's sales of every item (an honest ledger)."""
        self.purchases = []
        claims = pd.DataFrame(self.claims)
        if not self.items:
            return
        sold = pd.DataFrame(self.items).merge(claims[["claim_id", "facility_id"]], on="claim_id")
        for (fid, code), qty in sold.groupby(["facility_id", "item_code"])["quantity"].sum().items():
            self.purchases.append({"facility_id": fid, "item_code": code, "purchased_at": "2023-12-20T10:00:00",
                                   "quantity": float(qty)})

    def tables(self, *, optional: bool = True) -> Tables:
        frame = lambda name, rows: normalise(name, pd.DataFrame(rows))  # noqa: E731
        return Tables(
            persons=frame("persons", self.persons), facilities=frame("facilities", self.facilities),
            practitioners=frame("practitioners", self.practitioners), claims=frame("claims", self.claims),
            claim_items=frame("claim_items", self.items) if optional and self.items else None,
            identifiers=frame("identifiers", self.ids) if optional else None,
            purchases=frame("purchases", self.purchases) if optional and self.purchases else None)

    def to_dir(self, folder) -> None:
        """Write the world as a contract extract (CSV files) into ``folder``."""
        from pathlib import Path

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        tables = {"persons": self.persons, "facilities": self.facilities, "practitioners": self.practitioners,
                  "claims": self.claims, "claim_items": self.items, "identifiers": self.ids,
                  "purchases": self.purchases}
        for name, rows in tables.items():
            if rows:
                frame = pd.DataFrame(rows)
                if "beds" in frame:
                    frame["beds"] = frame["beds"].astype("Int64")
                frame.to_csv(folder / f"{name}.csv", index=False)
