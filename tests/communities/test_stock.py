"""进销存 evidence when the extract leaves ``item_type`` empty, as many local systems do."""

from __future__ import annotations

from ringscope.communities.context import build_context
from ringscope.communities.job_stock import packs_sold_again, returned_packs, stock_evidence, trace_evidence

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


def test_goods_no_facility_ever_buys_in_are_outside_the_ledger():
    """The same sales typed: P1's bed-day-like lines are a consumable (insulin pen needles, say)
    that no facility's stock-in records list, as an extract's ledger of drugs leaves them out;
    its sales are beyond no purchases. The drug P1 sold far beyond its own purchases still is."""
    w = untyped_world()
    for line in w.items:
        line["item_type"] = "material" if line["item_code"] == "SERVICE-BED" else "drug"
    evidence = stock_evidence(build_context(w.tables()))
    assert set(evidence.strength) == {"P1"} and evidence.facts["P1"]["items_over"] == 1


def traced_world(splits: int, resold_at_p1: int) -> World:
    """Each of the four pharmacies sells 200 coded packs of one drug to background persons, splits
    ``splits`` packs between two strangers (拆零: one code on both sales), and P1 resells
    ``resold_at_p1`` packs more."""
    w = World()
    persons = [p["person_id"] for p in w.persons]
    rng = w.rng
    for shop in ("P0", "P1", "P2", "P3"):
        codes = [f"{shop}-{k}" for k in range(200)]
        codes += [f"{shop}-{k}" for k in range(splits)]
        codes += [f"{shop}-{k}" for k in range(splits, splits + (resold_at_p1 if shop == "P1" else 0))]
        for code in codes:
            pid = persons[int(rng.integers(0, len(persons)))]
            w.claim(pid, shop, w.at(int(rng.integers(0, 360)), int(rng.integers(0, 540))),
                    lines=[("X50", 1.0, 45.0, code)])
    return w


def test_a_pharmacy_splitting_packs_as_often_as_its_peers_is_no_trace_evidence():
    evidence = trace_evidence(build_context(traced_world(splits=3, resold_at_p1=0).tables()))
    assert evidence.strength == {} and evidence.claims == {}


def test_a_pharmacy_reselling_packs_far_beyond_its_peers_splits_is_evidence():
    evidence = trace_evidence(build_context(traced_world(splits=3, resold_at_p1=12).tables()))
    assert set(evidence.strength) == {"P1"}
    assert evidence.facts["P1"]["codes_reused"] == 15


def test_where_no_counter_reuses_codes_one_resold_pack_is_evidence():
    evidence = trace_evidence(build_context(traced_world(splits=0, resold_at_p1=1).tables()))
    assert set(evidence.strength) == {"P1"} and evidence.facts["P1"]["codes_reused"] == 1


def test_a_pack_sold_again_at_another_counter_came_back_from_its_first_buyer():
    """One pack's code sold to S at P0, then a month later to a stranger at P2: the pack came back
    to the market (回流药), S's; and it is no evidence against either counter's own sales."""
    w = World()
    w.person("S", household="SH")
    w.claim("S", "P0", w.at(10, 60), lines=[("X50", 1.0, 45.0, "CODE-1")])
    w.claim("P00001", "P2", w.at(40, 60), lines=[("X50", 1.0, 45.0, "CODE-1")])
    ctx = build_context(w.tables())
    again = packs_sold_again(ctx)
    assert returned_packs(ctx, again).to_dict() == {"S": 1}
    assert trace_evidence(ctx, sold_again=again).strength == {}
