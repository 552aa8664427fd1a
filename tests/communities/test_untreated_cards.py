"""Two cards swiped together at a pharmacy for costly drugs their holders were never treated for.

The signal: an organiser's two cards, of strangers, swiped minutes apart on a
few days for a heart-failure drug neither cardholder ever saw a doctor for.
The traps: two neighbours treated for it who shop together, a couple, cards
that came on the same days at other hours, a pair together once, an extract
without diagnoses.
"""

from __future__ import annotations

import pytest

from ringscope.communities.context import build_context
from ringscope.communities.untreated_cards import untreated_sales

from .test_jobs import flagged, members
from .world import World

#: a costly drug (the background's drugs cost 20 to 300 a box) and what it treats
DRUG, DX = "SACUBITRIL", "I50.9"


def _heart_patients(w: World) -> None:
    """Twenty patients treated for heart failure at hospital H0, filling the drug monthly at
    pharmacy P2 at their own hours: the pharmacy's honest costly sales."""
    for i in range(20):
        pid = w.person(f"T{i}", household=f"TH{i}")
        for month in range(0, 12, 2):
            w.claim(pid, "H0", w.at(month * 30 + i, 60 + 20 * i), diagnosis="I50", amount=200.0)
        for month in range(12):
            w.claim(pid, "P2", w.at(month * 30 + i % 9, 30 + 25 * i), diagnosis=DX, amount=1800.0,
                    lines=[(DRUG, 3.0, 600.0)])


def _swiped(w: World, cards: list[str], days=(40, 95), minutes=(300, 309), devices=(None, None, None)) -> None:
    """Each card's sale of three boxes at P2 on each of ``days``, at its own minute of ``minutes``,
    presented from its device of ``devices`` (None: the card at the counter)."""
    for day in days:
        for pid, minute, device in zip(cards, minutes, devices):
            w.claim(pid, "P2", w.at(day, minute), diagnosis=DX, amount=1800.0, lines=[(DRUG, 3.0, 600.0)],
                    device=device)


def _two_cardholders(case: str) -> tuple[World, list[str]]:
    """The heart patients' world and two working-age cardholders of two households (one for "a
    couple"), treated for heart failure at H0 for "treated"."""
    w = World()
    _heart_patients(w)
    cards = [w.person("H1", household="HH1", birth="1991-04-02"),
             w.person("H2", household="HH1" if case == "a couple" else "HH2", birth="1986-10-20")]
    if case == "treated":
        for pid in cards:
            w.claim(pid, "H0", w.at(20, 100), diagnosis="I50", amount=200.0)
    return w, cards


@pytest.mark.parametrize("presented", ["at the counter", "from the organiser's phone", "from the organiser's phones",
                                       "from phones nobody registered"])
def test_two_strangers_cards_swiped_together_for_a_drug_they_were_never_treated_for_are_cash_out(presented):
    """Two working-age strangers, nothing tied, their cards swiped nine minutes apart on two days
    for a heart-failure drug neither ever saw a doctor for: two cards are no block, no tie
    names a go-between, the pharmacy's ledger adds up. The organiser holds the cards at the
    counter, or presents their e-vouchers from his own phone, or from phones of his, one per card
    (each presents one family's card, but the extract registers them to him, or, where it
    registers its cardholders' phones, to nobody)."""
    w = World()
    _heart_patients(w)
    cards = [w.person("H1", household="HH1", birth="1991-04-02"), w.person("H2", household="HH2", birth="1986-10-20")]
    devices = {"at the counter": (None,) * 3, "from the organiser's phone": ("ORGANISER-PHONE",) * 3,
               "from the organiser's phones": ("ORGANISER-PHONE-1", "ORGANISER-PHONE-2", "ORGANISER-PHONE-3"),
               "from phones nobody registered": ("BURNER-1", "BURNER-2", "BURNER-3")}[presented]
    w.person("ORGANISER", household="OH", birth="1975-06-01")
    w.ids += [{"owner_type": "person", "owner_id": "ORGANISER", "kind": "device", "value": d} for d in devices
              if d and d.startswith("ORGANISER")]
    w.ids.append({"owner_type": "person", "owner_id": "T0", "kind": "device", "value": "T0-PHONE"})
    w.ids.append({"owner_type": "facility", "owner_id": "P2", "kind": "device", "value": "P2-POS"})  # the counter's
    _swiped(w, cards, devices=devices)
    # a third card swiped in one of their sittings is the organiser's too; a stranger's untreated
    # sale there the same day, hours later, is not
    third, stranger = w.person("H3", household="HH3", birth="1979-01-09"), w.person("S", household="SH")
    _swiped(w, [third], days=(95,), minutes=(330,), devices=devices[2:])
    _swiped(w, [stranger], days=(95,), minutes=(480,))
    ring = next(r for r in flagged(w) if set(cards) | {"P2"} <= members(r))
    assert ring.typology == "card_cashout"
    assert third in members(ring) and stranger not in members(ring)
    assert "on 2 days; 5 of their costly drug sales are for a diagnosis the cardholder never had" in ring.summary_en
    # the heart patients who fill at the same pharmacy are not in it
    assert not {f"T{i}" for i in range(20)} & members(ring)


@pytest.mark.parametrize("case", ["treated", "a couple", "other hours", "once", "no diagnoses"])
def test_cards_at_one_pharmacy_that_treatment_a_family_or_chance_explains_are_not_cash_out(case):
    """Two neighbours treated for heart failure who fetch the drug together; a couple (one
    household); two cards at P2 on the same days hours apart; the pair together once; and an
    extract whose claims carry no diagnosis (nothing to read, no crash)."""
    w, cards = _two_cardholders(case)
    _swiped(w, cards, days=(40,) if case == "once" else (40, 95),
            minutes=(100, 400) if case == "other hours" else (300, 309))
    if case == "no diagnoses":
        for claim in w.claims:
            claim["diagnosis_code"] = None
    assert not any(set(cards) & members(r) for r in flagged(w))


def test_a_sale_is_treated_when_its_diagnosis_was_seen_at_a_doctors_under_any_subcode():
    """E11.9 at the pharmacy after an E11 visit is treated; I50.9 with no visit is not; a sale
    of a cheap drug is no costly sale at all."""
    w = World(persons=0)
    w.person("A")
    w.claim("A", "H0", w.at(3, 60), diagnosis="E11", amount=100.0)
    treated = w.claim("A", "P2", w.at(5, 60), diagnosis="E11.9", amount=900.0, lines=[(DRUG, 1.0, 900.0)])
    untreated = w.claim("A", "P2", w.at(6, 60), diagnosis=DX, amount=900.0, lines=[(DRUG, 1.0, 900.0)])
    w.claim("A", "P2", w.at(7, 60), diagnosis=DX, amount=9.0, lines=[("ASPIRIN", 1.0, 9.0)])
    w.claim("A", "P1", w.at(8, 60), diagnosis=DX, amount=9.0, lines=[("VITAMIN", 1.0, 3.0)])
    sales = untreated_sales(build_context(w.tables()), 0.75).set_index("claim_id")["untreated"]
    assert sales.to_dict() == {treated: False, untreated: True}



def _one_pack_sold_twice(w: World, cards: list[str]) -> None:
    """One sale to each card at P2, weeks apart and at other hours, both of the same pack of the
    drug (one traceability code)."""
    for pid, day, minute in zip(cards, (40, 75), (120, 500)):
        w.claim(pid, "P2", w.at(day, minute), diagnosis=DX, amount=1800.0, lines=[(DRUG, 3.0, 600.0, "TC-0001")])


def test_one_pack_sold_on_two_strangers_cards_never_treated_for_its_drug_is_cash_out():
    """The pack that the pharmacy sold on one stranger's card in February was sold again on
    another's in March, and neither cardholder ever saw a doctor for heart failure: the two sales
    name the two cards. Nothing ties them, they never came together, the ledger adds up."""
    w = World()
    _heart_patients(w)
    cards = [w.person("H1", household="HH1", birth="1991-04-02"), w.person("H2", household="HH2", birth="1986-10-20")]
    _one_pack_sold_twice(w, cards)
    ring = next(r for r in flagged(w) if set(cards) | {"P2"} <= members(r))
    assert ring.typology == "card_cashout"
    assert not {f"T{i}" for i in range(20)} & members(ring)
    assert ("2 cards of 2 families at facility P2: 2 of their claims sold packs whose traceability codes were sold "
            "on another claim too, 2 of their costly drug sales for a diagnosis the cardholder never had") \
        in ring.summary_en


@pytest.mark.parametrize("case", ["treated", "a couple", "one card"])
def test_a_pack_sold_twice_to_patients_treatment_or_a_family_explains_is_not_cash_out(case):
    """A pharmacy that scans one code for two customers, or splits a pack between them (拆零),
    sells to patients their doctors treat; a couple may share a pack; one card sold the same
    pack twice is no group."""
    w, cards = _two_cardholders(case)
    _one_pack_sold_twice(w, [cards[0], cards[0]] if case == "one card" else cards)
    assert not any(set(cards) & members(r) for r in flagged(w))


def test_two_patients_refilling_every_fortnight_on_the_same_weekday_are_not_cash_out():
    """Two strangers refill the costly drug every other Tuesday at P2, each at his own hour ten
    minutes apart, all year, on prescriptions written before the extract (never treated for it
    in it): they meet at the counter two dozen times, as a schedule, not a collector, brings them."""
    w = World()
    _heart_patients(w)
    cards = [w.person("A1", household="AH1", birth="1958-03-17"), w.person("A2", household="AH2", birth="1981-10-08")]
    _swiped(w, cards, days=tuple(range(1, 360, 14)), minutes=(600, 611))
    assert not any(set(cards) & members(r) for r in flagged(w))


def test_elders_each_presenting_their_own_phone_at_the_pharmacy_round_the_corner_are_not_cash_out():
    """Two elder strangers who refill the costly drug at P2 on the first days of the month, when
    the quota resets, came within nine minutes of each other twice in the year: each presented
    the e-voucher from the family's own phone, which presents no stranger's card (the other
    parent's, at the clinic). Personal presence, not an organiser's swipe; the same two cards
    held at the counter are the cash-out of the first test."""
    w = World()
    _heart_patients(w)
    cards = [w.person("E1", household="EH1", birth="1948-03-17"), w.person("E2", household="EH2", birth="1951-10-08")]
    spouses = [w.person("E1b", household="EH1", birth="1950-01-01"), w.person("E2b", household="EH2", birth="1953-06-01")]
    phones = ("PHONE-EH1", "PHONE-EH2", None)
    for spouse, phone in zip(spouses, phones):
        w.claim(spouse, "H0", w.at(12, 100), device=phone)
        w.ids.append({"owner_type": "person", "owner_id": spouse, "kind": "device", "value": phone})
    _swiped(w, cards, devices=phones)
    assert not any(set(cards) & members(r) for r in flagged(w))


def test_a_grown_childs_parents_and_in_laws_are_kin_where_the_in_laws_other_child_ties_a_fourth_household():
    """A son fetches his parents' and his parents-in-law's costly drugs together at P2 on one
    run, presenting their e-vouchers from his phone, which the three households list. His wife's
    sister lists her parents' phone too, a fourth household: the four are too wide to be read as
    one family, yet the two elder households on the son's phone are kin, and his errand is no
    organiser's sitting."""
    w = World()
    _heart_patients(w)
    father = w.person("F1", household="PARENTS", phone="SON-PHONE", birth="1950-03-01")
    in_law = w.person("L1", household="IN-LAWS", phone="SON-PHONE", birth="1952-08-09")
    w.person("SON", household="SON-HOME", phone="SON-PHONE", birth="1980-01-01")
    w.person("L2", household="IN-LAWS", phone="IN-LAWS-PHONE", birth="1953-02-02")
    w.person("SISTER", household="SISTER-HOME", phone="IN-LAWS-PHONE", birth="1983-05-05")
    w.person("SISTER-HUSBAND", household="SISTER-HOME", phone="BROTHER-IN-LAW-PHONE", birth="1982-05-05")
    w.person("HIS-MOTHER", household="THEIR-PARENTS", phone="BROTHER-IN-LAW-PHONE", birth="1955-05-05")
    _swiped(w, [father, in_law], devices=("SON-PHONE",) * 2)
    assert not any({father, in_law} & members(r) for r in flagged(w))


def test_strangers_splitting_a_costly_pack_at_a_cash_out_counter_are_no_ring_of_their_own():
    """P2 sells the heart patients their drug, sells an organiser's six cards the same packs
    over and over, and splits a pack between two strangers now and then, twelve pairs over the
    year, each pair at its own hours. Most pairs are heart patients treated at H0; three were
    never treated there (their doctors are out of the extract), which is what chance gives a
    few pairs of twelve at a counter where a ring's cards make untreated sales common: the ring
    is flagged, no pair is."""
    w = World()
    _heart_patients(w)
    w.person("ORGANISER", household="QOH", phone="ph-collector")
    cards = [w.person(f"Q{i}", household=f"QH{i}", phone="ph-collector") for i in range(6)]
    for i, pid in enumerate(cards):
        for k in range(3):
            w.claim(pid, "P2", w.at(30 + 50 * k + i, 200), diagnosis=DX, amount=1800.0,
                    lines=[(DRUG, 3.0, 600.0, f"TRACE-{(i + k) % 6}")])
    strangers = []
    for n in range(12):
        pair = [w.person(f"S{n}{side}", household=f"SH{n}{side}") for side in "ab"]
        for side, pid in enumerate(pair):
            if n % 4:
                w.claim(pid, "H0", w.at(10 + 27 * n, 60 + 240 * side), diagnosis="I50", amount=200.0)
            w.claim(pid, "P2", w.at(20 + 27 * n, 90 + 240 * side), diagnosis=DX, amount=600.0,
                    lines=[(DRUG, 1.0, 600.0, f"SPLIT-{n}")])
        strangers += pair
    rings = flagged(w)
    assert any(r.typology == "card_cashout" and set(cards) <= members(r) for r in rings)
    assert not any(members(r) & set(strangers) for r in rings)


def _collected_once(case: str) -> tuple[World, list[str]]:
    """An organiser whose phone two working-age cardholders of two other households list (two
    elders' for "elders"), their cards swiped a minute apart once at P2, for the heart-failure drug
    or, for "a patent medicine", the most boxes of a cheaper one (a cheap one for "a cheap sale"),
    neither holder treated for it (both for "treated"); "other hours": the same day, hours apart;
    "a son-in-law": the phone's holder keeps her mother's and grandmother's e-vouchers, and her
    husband, who shares her account, fills with the two of them.
    The heart patients fill at P2 too, but for "a patent medicine": a pharmacy of everyday sales,
    where a dozen boxes is among the costliest quarter of its sales."""
    w = World()
    if case != "a patent medicine":
        _heart_patients(w)
    w.person("ORGANISER", household="OH", phone="ph-collector", birth="1975-06-01")
    births = ("1949-02-02", "1951-07-07") if case in ("elders", "a son-in-law") else ("1991-04-02", "1986-10-20")
    cards = [w.person(f"C{i}", household=f"CH{i}", phone="ph-collector", birth=birth) for i, birth in enumerate(births)]
    if case == "a son-in-law":  # the phone is his wife's, her mother's and grandmother's: he shares her account
        cards = [w.person("HUSBAND", household="OH", birth="1974-04-24"), *cards]
        w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-OH"}
                  for pid in ("ORGANISER", "HUSBAND")]
    line = {"a patent medicine": ("SHEXIANG", 12.0, 71.0), "a cheap sale": ("VITAMIN", 1.0, 3.0)}.get(
        case, (DRUG, 3.0, 600.0))
    for pid, minute in zip(cards, (300, 400) if case == "other hours" else (300, 301, 302)):
        if case == "treated":
            w.claim(pid, "H0", w.at(20, 100), diagnosis="I50", amount=200.0)
        w.claim(pid, "P2", w.at(40, minute), diagnosis=DX, amount=line[1] * line[2], lines=[line])
    return w, cards


@pytest.mark.parametrize("case", ["a costly drug", "a patent medicine"])
def test_a_go_betweens_two_cards_swiped_together_once_for_what_neither_was_treated_for_are_cash_out(case):
    """A collector's two working-age cards, tied to him by the phone they list (three households:
    a family's few, which the tie alone reads as a grown child's), swiped a minute apart once at
    P2 for a costly sale of a drug neither holder ever saw a doctor for. One sitting is too
    little for the collected-cards and untreated-cards tests; tie, sitting and treatment meet on
    the same two cards."""
    w, cards = _collected_once(case)
    ring = next(r for r in flagged(w) if set(cards) <= members(r))
    assert ring.typology == "card_cashout"
    assert {"ORGANISER", "P2"} <= members(ring)
    assert not {f"T{i}" for i in range(20)} & members(ring)
    assert "2 of their costly sales for a diagnosis the cardholder never had" in ring.summary_en


@pytest.mark.parametrize("case", ["treated", "elders", "other hours", "a cheap sale", "a son-in-law"])
def test_a_go_betweens_cards_swiped_once_that_treatment_a_family_or_chance_explains_are_not_cash_out(case):
    """The same two cards, once: both holders treated for what they bought; two elders' cards on
    a grown child's phone (his errand); the same day hours apart; a cheap sale; a husband and his
    mother-in-law, tied through his wife, of his own household (one family's errand: a collector
    keeps his own phone)."""
    w, cards = _collected_once(case)
    assert not any(set(cards) & members(r) for r in flagged(w))
