"""Every planted ring is labelled, sized and intense as the knobs say, and shows its signature."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ringscope.synthetic.knobs import DEFAULT_KNOBS, TYPOLOGIES

ROLES = {"organiser", "recruiter", "cardholder", "patient", "broker", "doctor", "pharmacist", "facility"}


@pytest.fixture(scope="module")
def ring_claims(extract, honest_extract):
    """Claims that exist only because rings were planted."""
    mixed = extract.read("claims")
    return mixed[~mixed.claim_id.isin(honest_extract.read("claims").claim_id)]


def test_every_typology_has_several_rings(extract):
    labels = extract.read("labels")
    rings = labels.groupby("ring_id").typology.first()
    assert set(rings) == set(TYPOLOGIES)
    assert rings.value_counts().min() >= DEFAULT_KNOBS.rings["card_cashout"].minimum
    assert set(labels.role) <= ROLES
    assert (labels.groupby("ring_id").typology.nunique() == 1).all()


def test_sizes_and_intensities_follow_the_knobs(extract):
    facts = extract.summary.ring_facts
    for fact in facts:
        knobs = DEFAULT_KNOBS.rings[fact.typology]
        assert 3 <= fact.persons <= max(knobs.sizes), fact
        assert fact.intensity in knobs.intensities, fact
        assert fact.claims > 0, fact
    for typology in TYPOLOGIES:
        assert len({f.intensity for f in facts if f.typology == typology}) >= 2, typology
    labels = extract.read("labels")
    persons = labels[labels.entity_type == "person"].groupby("ring_id").size()
    assert sorted(persons.to_list()) == sorted(f.persons for f in facts)


def test_every_member_who_claims_in_a_ring_is_labelled_and_every_labelled_member_acts(extract, ring_claims):
    labels = extract.read("labels")
    people = labels[labels.entity_type == "person"]
    assert set(ring_claims.person_id) <= set(people.entity_id)
    must_claim = people[people.role.isin(["cardholder", "patient"])]
    assert set(must_claim.entity_id) <= set(ring_claims.person_id)
    places = labels[labels.entity_type == "facility"]
    assert set(places.entity_id) <= set(ring_claims.facility_id)
    staff = labels[labels.entity_type == "practitioner"]
    items = extract.read("claim_items")
    on_ring = set(ring_claims.practitioner_id) | set(items[items.claim_id.isin(ring_claims.claim_id)].practitioner_id)
    assert set(staff.entity_id) <= on_ring
    assert not labels.duplicated(["entity_type", "entity_id"]).any(), "no entity belongs to two rings"


def test_ring_members_keep_their_honest_claims(extract, honest_extract, ring_claims):
    labels = extract.read("labels")
    members = set(labels[(labels.entity_type == "person") & (labels.role == "cardholder")].entity_id)
    honest = honest_extract.read("claims")
    assert len(members & set(honest.person_id)) > 0.5 * len(members)


def test_claims_after_death_are_impersonation_or_the_honest_cases(extract, ring_claims):
    persons = extract.read("persons")
    dead = persons[persons.death_date != ""][["person_id", "death_date"]]
    claims = extract.read("claims").merge(dead, on="person_id")
    after = claims[claims.settled_at.str[:10] > claims.death_date]
    ring_ids = set(ring_claims.claim_id)
    labels = extract.read("labels")
    impersonated = set(labels[labels.typology == "impersonation"].entity_id)
    planted = after[after.claim_id.isin(ring_ids)]
    assert len(planted) > 0 and set(planted.person_id) <= impersonated
    honest = after[~after.claim_id.isin(ring_ids)]
    in_hospital = (honest.visit_type == "inpatient") & (honest.discharged_at.str[:10] == honest.death_date)
    days_late = (pd.to_datetime(honest.settled_at.str[:10]) - pd.to_datetime(honest.death_date)).dt.days
    late_settlement = (honest.visit_type == "outpatient") & (days_late <= 15)
    assert (in_hospital | late_settlement).all()


def test_cash_out_sales_are_never_bought_in(extract, honest_extract, ring_claims):
    labels = extract.read("labels")
    rings = labels[(labels.typology == "card_cashout") & (labels.entity_type == "facility")]
    shops = set(rings.entity_id)
    purchases = extract.read("purchases")
    honest_purchases = honest_extract.read("purchases")
    pd.testing.assert_frame_equal(purchases[purchases.facility_id.isin(shops)].reset_index(drop=True),
                                  honest_purchases[honest_purchases.facility_id.isin(shops)].reset_index(drop=True))
    items = extract.read("claim_items")
    claims = extract.read("claims")[["claim_id", "facility_id"]]
    intensity = {f.ring_id: f.intensity for f in extract.summary.ring_facts}
    blatant = {row.entity_id for row in rings.itertuples() if intensity[row.ring_id] == 1.0}
    planted = items[items.claim_id.isin(ring_claims[ring_claims.facility_id.isin(blatant)].claim_id)]
    codes = set(planted[planted.item_type == "drug"].item_code)
    sold = items[items.item_code.isin(codes)].merge(claims, on="claim_id")
    sold = sold[sold.facility_id.isin(blatant)].groupby("facility_id").quantity.apply(lambda s: s.astype(int).sum())
    bought = purchases[purchases.item_code.isin(codes) & purchases.facility_id.isin(blatant)]
    bought = bought.groupby("facility_id").quantity.apply(lambda s: s.astype(int).sum()).reindex(sold.index).fillna(0)
    assert len(sold) and (sold > bought).all()
    reused = items[items.claim_id.isin(ring_claims[ring_claims.facility_id.isin(shops)].claim_id)]
    assert reused[reused.item_type == "drug"].trace_code.duplicated().any(), "fake sales reuse a few boxes' codes"


def test_fictitious_patients_are_seen_nowhere_else(extract):
    labels = extract.read("labels")
    fict = labels[labels.typology == "fictitious_services"]
    claims = extract.read("claims")
    for ring, group in fict.groupby("ring_id"):
        place = set(group[group.entity_type == "facility"].entity_id)
        patients = group[group.role == "patient"].entity_id
        assert set(claims[claims.person_id.isin(patients)].facility_id) <= place, ring


def test_ids_carry_no_ring_information(extract, ring_claims):
    planted = set(ring_claims.claim_id)
    claims = extract.read("claims")
    flags = claims.claim_id.isin(planted).to_numpy()
    positions = np.flatnonzero(flags) / len(flags)
    assert 0.2 < positions.mean() < 0.8, "ring rows are spread through the file"
    order = claims.claim_id.sort_values().index.to_numpy()
    ranks = np.empty(len(order))
    ranks[order] = np.arange(len(order)) / len(order)
    assert 0.3 < ranks[flags].mean() < 0.7, "ring claim ids sort like anyone's"
    cents = (ring_claims.total_amount.astype(float) * 100).round().astype(int)
    assert (cents % 100 == 0).mean() < 0.1, "ring amounts are not round"
