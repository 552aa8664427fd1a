"""Every honest look-alike is present, at the rates the knobs set, even in small extracts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ringscope.synthetic.claims import TRAP_KINDS
from ringscope.synthetic.knobs import DEFAULT_KNOBS, scaled_count

TRAPS = DEFAULT_KNOBS.traps


def _within(observed: int, trials: int, p: float, sigmas: float = 4.0) -> bool:
    """Whether a binomial count is within ``sigmas`` standard deviations of its mean."""
    return abs(observed - trials * p) <= sigmas * math.sqrt(trials * p * (1 - p)) + 1


@pytest.fixture(scope="module")
def claims(honest_extract) -> pd.DataFrame:
    frame = honest_extract.read("claims")
    frame["day"] = frame.settled_at.str[:10]
    return frame


def test_every_trap_kind_is_present_in_a_small_extract(honest_extract):
    facts = honest_extract.summary.trap_facts
    for kind in TRAP_KINDS:
        assert facts.get(kind, {}).get("claims", 0) > 0, kind


def test_households_share_addresses_at_the_set_rate(honest_extract):
    facts = honest_extract.summary.trap_facts["household_shared_address"]
    assert abs(facts["persons"] / honest_extract.summary.persons - TRAPS.household_share) < 0.04
    ids = honest_extract.read("identifiers")
    addresses = ids[(ids.owner_type == "person") & (ids.kind == "address")]
    shared = addresses.value.map(addresses.value.value_counts()) > 1
    assert shared.mean() >= TRAPS.household_share - 0.04


def test_counted_patients_match_the_knobs(honest_extract, claims):
    facts, persons = honest_extract.summary.trap_facts, honest_extract.summary.persons
    assert facts["dialysis_patient"]["persons"] == scaled_count(TRAPS.dialysis_per_100k, persons, 3)
    assert facts["dtp_patient"]["persons"] == scaled_count(TRAPS.dtp_patients_per_100k, persons, 3)
    items = honest_extract.read("claim_items")
    dialysis = claims[claims.claim_id.isin(items[items.item_name == "血液透析"].claim_id)]
    per_person = dialysis.groupby("person_id")
    assert per_person.ngroups == facts["dialysis_patient"]["persons"]
    weekdays = pd.to_datetime(dialysis.day).dt.day_of_week
    fixed = weekdays.groupby(dialysis.person_id).agg(lambda s: s.value_counts().head(3).sum() / len(s))
    assert (fixed > 0.9).all(), "dialysis runs on three fixed weekdays"
    assert (per_person.size() >= 20).all()


def test_one_device_presents_many_residents_at_one_place(claims):
    e_voucher = claims[claims.auth_method == "e_voucher"]
    per_device = e_voucher.groupby("device_id").agg(persons=("person_id", "nunique"), places=("facility_id", "nunique"))
    tablets = per_device[per_device.persons >= TRAPS.family_doctor_patients[0]]
    assert len(tablets) >= 2 and (tablets.places <= 2).all()


def test_grown_children_present_parents_vouchers_from_other_addresses(honest_extract, claims):
    facts = honest_extract.summary.trap_facts["proxy_child_phone"]
    assert facts["persons"] > 0 and facts["groups"] > 0
    ids = honest_extract.read("identifiers")
    address = ids[(ids.owner_type == "person") & (ids.kind == "address")].set_index("owner_id").value
    e_voucher = claims[claims.auth_method == "e_voucher"]
    homes = e_voucher.assign(home=e_voucher.person_id.map(address)).groupby("device_id").home.nunique()
    assert (homes.between(2, 6)).sum() >= facts["groups"] // 2


def test_deaths_in_hospital_and_late_settlements_at_the_set_shares(honest_extract, claims):
    facts = honest_extract.summary.trap_facts
    deaths = facts["death"]["persons"]
    assert _within(facts["in_hospital_death"]["persons"], deaths, TRAPS.in_hospital_death_share)
    assert facts["late_settlement"]["persons"] <= deaths * TRAPS.late_settlement_death_share * 2 + 3
    persons = honest_extract.read("persons")
    died = claims.merge(persons[persons.death_date != ""][["person_id", "death_date"]], on="person_id")
    in_hospital = died[(died.visit_type == "inpatient") & (died.discharged_at.str[:10] == died.death_date)]
    assert in_hospital.person_id.nunique() == facts["in_hospital_death"]["persons"]
    assert (in_hospital.settled_at.str[:10] >= in_hospital.death_date).all()


def test_groups_admitted_or_screened_together(claims):
    stays = claims[claims.visit_type == "inpatient"]
    together = stays.groupby([stays.admitted_at.str[:10], "facility_id"]).person_id.nunique()
    assert together.max() >= TRAPS.group_admission_size[0]
    screened = claims[claims.diagnosis_code == "Z10.0"].groupby(["day", "facility_id"]).person_id.nunique()
    assert screened.max() >= TRAPS.employer_staff[0]


def test_travellers_are_treated_in_other_provinces_some_on_the_same_day(honest_extract, claims):
    facts = honest_extract.summary.trap_facts
    province = claims.region_code.str[:2]
    away = claims[province != "41"]
    assert away.person_id.nunique() >= facts["travel"]["persons"]
    both = claims.assign(province=province).groupby(["person_id", "day"]).province.nunique()
    assert (both > 1).sum() >= facts["travel_same_day"]["persons"]


def test_elderly_couples_visit_together(honest_extract, claims):
    facts = honest_extract.summary.trap_facts["couple_visit"]
    ids = honest_extract.read("identifiers")
    address = ids[(ids.owner_type == "person") & (ids.kind == "address")].set_index("owner_id").value
    visits = claims[claims.visit_type == "outpatient"].assign(home=lambda f: f.person_id.map(address))
    visits["t"] = pd.to_datetime(visits.settled_at)
    pairs = visits.merge(visits, on=["home", "facility_id", "day"])
    pairs = pairs[(pairs.person_id_x < pairs.person_id_y) & ((pairs.t_x - pairs.t_y).abs() <= pd.Timedelta(minutes=15))]
    assert len(pairs) >= facts["claims"]


def test_stock_arrives_early_and_sometimes_runs_short(honest_extract, claims):
    purchases = honest_extract.read("purchases")
    assert (purchases.purchased_at < "2024-01-01").any(), "January stock bought in December"
    items = honest_extract.read("claim_items")
    sold = items[items.item_type != "service"].merge(claims[["claim_id", "facility_id", "day"]], on="claim_id")
    sold["month"] = sold.day.str[:7]
    sold = sold.groupby(["facility_id", "item_code", "month"]).quantity.apply(lambda s: s.astype(int).sum())
    purchases["month"] = purchases.purchased_at.str[:7]
    bought = purchases.groupby(["facility_id", "item_code", "month"]).quantity.apply(lambda s: s.astype(int).sum())
    short = (bought.reindex(sold.index).fillna(0) < sold).mean()
    assert 0 < short < 0.5
