"""Generated tables follow the data contract to the letter (columns, formats, keys, money)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from ringscope.synthetic.writer import COLUMNS

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
MONEY = re.compile(r"^\d+\.\d{2}$")
VOCABULARY = {
    ("persons", "gender"): {"M", "F"},
    ("persons", "insurance_type"): {"employee", "resident"},
    ("facilities", "kind"): {"hospital", "clinic", "pharmacy"},
    ("facilities", "level"): {"tertiary", "secondary", "primary", ""},
    ("facilities", "ownership"): {"public", "private"},
    ("practitioners", "role"): {"doctor", "pharmacist"},
    ("claims", "visit_type"): {"outpatient", "inpatient", "pharmacy"},
    ("claims", "auth_method"): {"card", "e_voucher", "face", "other"},
    ("claim_items", "item_type"): {"drug", "service", "material"},
    ("identifiers", "owner_type"): {"person", "practitioner", "facility"},
    ("identifiers", "kind"): {"phone", "bank_account", "address", "device", "email", "proxy_id_card"},
    ("labels", "entity_type"): {"person", "practitioner", "facility"},
}
_CHECK = "10X98765432"
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _check_char(number: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS)) % 11]


@pytest.mark.parametrize("name", list(COLUMNS))
def test_columns_are_the_contracts(extract, name):
    assert tuple(extract.read(name).columns) == COLUMNS[name]


@pytest.mark.parametrize(("table", "column"), list(VOCABULARY))
def test_vocabularies(extract, table, column):
    values = set(extract.read(table)[column].unique())
    assert values <= VOCABULARY[(table, column)], values - VOCABULARY[(table, column)]


def test_every_vocabulary_value_of_visits_and_auth_occurs(extract):
    claims = extract.read("claims")
    assert set(claims.visit_type) == VOCABULARY[("claims", "visit_type")]
    assert set(claims.auth_method) == VOCABULARY[("claims", "auth_method")]
    assert set(extract.read("identifiers").kind) == VOCABULARY[("identifiers", "kind")]


@pytest.mark.parametrize(("table", "columns"), [
    ("persons", ["birth_date"]), ("identifiers", ["first_seen", "last_seen"]), ("purchases", ["purchased_at"]),
])
def test_dates_are_iso(extract, table, columns):
    frame = extract.read(table)
    for column in columns:
        assert frame[column].str.match(DATE).all(), column
    deaths = extract.read("persons").death_date
    assert deaths[deaths != ""].str.match(DATE).all()


def test_times_are_iso_local_and_amounts_have_two_decimals(extract):
    claims = extract.read("claims")
    assert claims.settled_at.str.match(TIME).all()
    inpatient = claims[claims.visit_type == "inpatient"]
    assert inpatient.admitted_at.str.match(TIME).all() and inpatient.discharged_at.str.match(TIME).all()
    assert (claims[claims.visit_type != "inpatient"].admitted_at == "").all()
    assert claims.total_amount.str.match(MONEY).all() and claims.fund_paid.str.match(MONEY).all()
    items = extract.read("claim_items")
    assert items.unit_price.str.match(MONEY).all() and items.amount.str.match(MONEY).all()


def test_id_cards_have_right_check_character_birth_date_and_sex(extract):
    persons = extract.read("persons")
    cards = persons.id_card
    assert cards.str.len().eq(18).all() and cards.is_unique
    assert all(_check_char(c) == c[17] for c in cards)
    assert (cards.str[6:14] == persons.birth_date.str.replace("-", "")).all()
    male = cards.str[16].astype(int) % 2 == 1
    assert (male == (persons.gender == "M")).all()
    doctors = extract.read("practitioners").id_card
    assert all(_check_char(c) == c[17] for c in doctors)


def test_region_codes_are_six_digits(extract):
    for table in ("persons", "facilities", "claims"):
        assert extract.read(table).region_code.str.fullmatch(r"\d{6}").all(), table


def test_every_foreign_key_resolves(extract):
    persons = set(extract.read("persons").person_id)
    facilities = set(extract.read("facilities").facility_id)
    practitioners = set(extract.read("practitioners").practitioner_id)
    claims = extract.read("claims")
    items = extract.read("claim_items")
    assert claims.claim_id.is_unique
    assert set(claims.person_id) <= persons and set(claims.facility_id) <= facilities
    assert set(claims.practitioner_id) - {""} <= practitioners
    assert set(items.claim_id) == set(claims.claim_id)
    assert set(items.practitioner_id) - {""} <= practitioners
    assert set(extract.read("practitioners").facility_id) <= facilities
    assert set(extract.read("purchases").facility_id) <= facilities
    owners = {"person": persons, "practitioner": practitioners, "facility": facilities}
    identifiers = extract.read("identifiers")
    for kind, ids in owners.items():
        assert set(identifiers.owner_id[identifiers.owner_type == kind]) <= ids, kind
    labels = extract.read("labels")
    for kind, ids in owners.items():
        assert set(labels.entity_id[labels.entity_type == kind]) <= ids, kind
    devices = set(identifiers.value[identifiers.kind == "device"])
    honest_devices = set(claims.device_id[claims.device_id != ""])
    assert len(honest_devices & devices) > 0.8 * len(honest_devices)


def test_money_adds_up(extract):
    claims = extract.read("claims")
    items = extract.read("claim_items")
    cents = lambda s: (s.astype(float) * 100).round().astype(np.int64)  # noqa: E731
    total, fund = cents(claims.total_amount), cents(claims.fund_paid)
    assert ((fund >= 0) & (fund <= total)).all()
    assert (cents(items.amount) == items.quantity.astype(int) * cents(items.unit_price)).all()
    per_claim = cents(items.amount).groupby(items.claim_id).sum()
    assert (per_claim.reindex(claims.claim_id).to_numpy() == total.to_numpy()).all()
    assert (items.groupby("claim_id").line_no.apply(lambda s: list(s.astype(int)) == list(range(1, len(s) + 1)))).all()


def test_inpatient_stays_are_ordered_in_time(extract):
    claims = extract.read("claims")
    stays = claims[claims.visit_type == "inpatient"]
    assert (stays.admitted_at < stays.discharged_at).all()
    assert (stays.discharged_at <= stays.settled_at).all()


def test_honest_trace_codes_are_unique_per_line(honest_extract):
    items = honest_extract.read("claim_items")
    drugs = items[items.item_type == "drug"]
    assert drugs.trace_code.str.fullmatch(r"\d{20}").all()
    assert drugs.trace_code.is_unique
    assert (items[items.item_type != "drug"].trace_code == "").all()


def test_purchases_cover_what_honest_facilities_dispense(honest_extract):
    items = honest_extract.read("claim_items")
    claims = honest_extract.read("claims")[["claim_id", "facility_id"]]
    goods = items[items.item_type != "service"].merge(claims, on="claim_id")
    sold = goods.groupby(["facility_id", "item_code"]).quantity.apply(lambda s: s.astype(int).sum())
    bought = honest_extract.read("purchases")
    stocked = bought.groupby(["facility_id", "item_code"]).quantity.apply(lambda s: s.astype(int).sum())
    ratio = (stocked.reindex(sold.index).fillna(0) / sold)
    assert ratio.min() > 0.9
    assert 0.99 < ratio.median() < 1.15


def test_ids_do_not_follow_row_order(extract):
    persons = extract.read("persons").person_id
    assert not persons.is_monotonic_increasing and not persons.is_monotonic_decreasing
    claims = extract.read("claims").claim_id
    assert not claims.is_monotonic_increasing and not claims.is_monotonic_decreasing
    pd.testing.assert_index_equal(pd.Index(sorted(claims.str.len().unique())), pd.Index([16]))
