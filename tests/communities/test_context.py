"""Context helpers the jobs share: who brokers a group."""

from __future__ import annotations

from ringscope.communities.context import build_context

from .world import World


def test_an_organiser_tying_two_households_is_a_broker_and_a_nursing_homes_residents_are_not():
    w = World(persons=20)
    members = [w.person(f"G{i}", household=f"GH{i}", phone="ph-organiser") for i in range(3)]
    w.person("ORGANISER", household="OH", phone="ph-organiser")
    home = [w.person(f"N{i}", household="nursing-home") for i in range(6)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "proxy_id_card", "value": "STAFF-CARD"}
              for pid in home]
    ctx = build_context(w.tables())
    assert "ORGANISER" in ctx.brokers(set(members))
    assert ctx.brokers(set(home[:3])) == set()


def test_a_proxy_who_is_insured_himself_holds_the_card_his_patients_list():
    """Three patients of three households list one man's ID card as their proxy's (代办人), and
    he is in the register: he brokers them. A nursing home's residents listing their carer,
    insured too, are one household, and she brokers none of them."""
    w = World(persons=20)
    patients = [w.person(f"G{i}", household=f"GH{i}") for i in range(3)]
    w.person("RECRUITER", household="RH", id_card="410103198901059278")
    home = [w.person(f"N{i}", household="nursing-home") for i in range(6)]
    w.person("CARER", household="CH", id_card="410103197502020021")
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "proxy_id_card", "value": "410103198901059278"}
              for pid in patients]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "proxy_id_card", "value": "410103197502020021"}
              for pid in home]
    ctx = build_context(w.tables())
    assert ctx.brokers(set(patients)) == {"RECRUITER"}
    assert ctx.brokers(set(home[:3])) == set()


def test_a_proxy_card_listed_with_a_small_x_is_still_his():
    """The proxy's number written with a lower-case check character by the clerk of one office
    and an upper-case one in the register is the same card."""
    w = World(persons=20)
    patients = [w.person(f"G{i}", household=f"GH{i}") for i in range(3)]
    w.person("RECRUITER", household="RH", id_card="11010119800101123X")
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "proxy_id_card", "value": "11010119800101123x"}
              for pid in patients]
    assert build_context(w.tables()).brokers(set(patients)) == {"RECRUITER"}


def test_a_wards_patients_seen_nowhere_else_are_weighed_against_other_wards():
    """A town hospital's outpatients are often seen there alone, but its inpatients are seen at
    a clinic before and after. Five stays of patients seen nowhere else stand out against the
    other inpatients, not against everyone who came for a visit."""
    w = World(persons=0)
    for i in range(60):  # the town's outpatients: this hospital is all the care they get
        w.claim(w.person(f"T{i}", household=f"TH{i}"), "H0", w.at(i))
    for i in range(40):  # its inpatients, followed up at a clinic
        pid = w.person(f"S{i}", household=f"SH{i}")
        w.claim(pid, "H0", w.at(i + 10), visit="inpatient", admitted=w.at(i))
        w.claim(pid, "C0", w.at(i + 20))
    ward = {w.person(f"G{i}", household=f"GH{i}") for i in range(5)}
    for i, pid in enumerate(sorted(ward)):
        w.claim(pid, "H0", w.at(100 + i + 10), visit="inpatient", admitted=w.at(100 + i))
    ctx = build_context(w.tables())
    alone, among_everyone = ctx.never_elsewhere(ward, "hospital")
    _, among_stays = ctx.never_elsewhere(ward, "hospital", stays=True)
    assert alone == 5
    assert among_everyone < 2 < 4 < among_stays


def test_a_brokers_account_holders_stay_one_group_when_a_chain_is_cut():
    """Ten sellers paid into one broker's account (ten households) each met a stranger at the
    counter the same week, and the strangers are chained by phones shared two by two: one
    component of twenty, split because a chain can join two rings. The cut falls in the chain
    of strangers, never inside the account's holders (it was cutting them into pairs, each
    seller with the stranger he met)."""
    w = World(persons=20)
    sellers = [w.person(f"S{i}", household=f"SH{i}") for i in range(10)]
    strangers = [w.person(f"X{i}", household=f"XH{i}") for i in range(10)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in sellers]
    w.ids += [{"owner_type": "person", "owner_id": strangers[i + k], "kind": "phone", "value": f"ph-x{i}"}
              for i in range(9) for k in (0, 1)]
    ctx = build_context(w.tables())
    met = list(zip(sellers, strangers))
    groups = ctx.tied_groups(set(sellers) | set(strangers), met, split_above=12, seed=3)
    assert len(groups) > 1
    assert [len(g & set(sellers)) for g in groups if g & set(sellers)] == [10]


def _a_couple_and_elders(w: World, elders_born: list[str], phones: list[str]) -> list[str]:
    """A couple born in 1982 and 1985 with a boy of ten listed on both their phones (household
    "KH0", "ph-him" and "ph-her"), and one elder per household "KH1".. born ``elders_born``, each
    listing ``phones``' entry."""
    w.person("HIM", household="KH0", phone="ph-him", birth="1982-09-02")
    w.person("HER", household="KH0", phone="ph-her", birth="1985-11-09")
    w.person("BOY", household="KH0", phone="ph-him", birth="2014-09-22")
    w.ids.append({"owner_type": "person", "owner_id": "BOY", "kind": "phone", "value": "ph-her"})
    return [w.person(f"E{i}", household=f"KH{i + 1}", phone=phone, birth=born)
            for i, (born, phone) in enumerate(zip(elders_born, phones))]


def test_a_couple_keeping_four_elder_households_link_a_familys_households_and_are_one_family():
    """Husband and wife each keep two elder households on their phones: five households tied,
    read as a family's three, and one family. One of the four of the couple's own age, or four
    households on one keeper's phone, or a fifth household away, and they are five or six."""
    old = ["1949-01-01", "1940-01-01", "1952-01-01", "1935-01-01"]
    cases = [(old, ["ph-him", "ph-him", "ph-her", "ph-her"], 3),
             (old[:3] + ["1975-01-01"], ["ph-him", "ph-him", "ph-her", "ph-her"], 5),
             (old, ["ph-her"] * 4, 5),
             (old + ["1938-01-01"], ["ph-him", "ph-him", "ph-her", "ph-her", "ph-her"], 6)]
    for births, phones, households in cases:
        w = World(persons=20)
        w.claim("P00000", "P0", w.at(300))  # the extract runs to the end of 2024's October
        elders = _a_couple_and_elders(w, births, phones)
        ctx = build_context(w.tables())
        assert ctx.households_linked({"HIM", "HER", "BOY", *elders})[0] == households, (births, phones)
        one_family = len({ctx.family_of(pid) for pid in ("HIM", *elders)}) == 1
        assert one_family is (households == 3), (births, phones)
