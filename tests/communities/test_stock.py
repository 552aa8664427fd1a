"""进销存 evidence when the extract leaves ``item_type`` empty, as many local systems do."""

from __future__ import annotations

from ringscope.communities.context import build_context
from ringscope.communities.job_stock import stock_evidence

from .world import World


def untyped_world() -> World:
    """Pharmacy P1 sells bed-day-like service lines nobody ever buys in, and a drug bought in
    elsewhere of which it sells far more than it bought; every fee line is left untyped."""
    w = World()
    w.stock_everything()
    for k in range(30):
        pid = w.person(f"U{k}")
        w.claim(pid, "P1", w.at(10 + k, 60), amount=500.0, lines=[("SERVICE-BED", 5.0, 80.0), ("X99", 4.0, 300.0)])
    w.purchases += [{"facility_id": "P1", "item_code": "X99", "purchased_at": "2023-12-20T10:00:00", "quantity": 10.0},
                    {"facility_id": "P2", "item_code": "X99", "purchased_at": "2023-12-20T10:00:00", "quantity": 500.0}]
    for line in w.items:
        line["item_type"] = None
    return w


def test_an_untyped_item_nobody_buys_in_is_a_service_and_no_ledger_evidence():
    evidence = stock_evidence(build_context(untyped_world().tables()))
    assert evidence.facts["P1"]["items_over"] == 1
    assert set(evidence.strength) == {"P1"}


def test_an_untyped_item_bought_in_somewhere_is_reconciled_as_goods():
    w = untyped_world()
    w.purchases = [p for p in w.purchases if p["item_code"] != "X99"] + \
                  [{"facility_id": "P1", "item_code": "X99", "purchased_at": "2023-12-20T10:00:00", "quantity": 130.0}]
    assert stock_evidence(build_context(w.tables())).strength == {}
