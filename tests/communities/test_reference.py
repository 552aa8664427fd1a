"""The GDS fraud-guide reference (components over shared identifiers, Jaccard-weighted degree,
top share flagged), run on the same frames ringscope's jobs read."""

from __future__ import annotations

from ringscope.communities.reference import gds_guide_rings

from .world import World


def test_gds_guide_flags_the_most_tightly_shared_component_from_typed_tables():
    """Identifier kinds arrive as categoricals (as read from an extract or pulled from Neo4j);
    the guide still joins kind and value, and the persons sharing the most identifiers with
    each other (one phone and one bank account) make its top component."""
    w = World(persons=60)
    ring = [w.person(f"G{i}", household=f"GH{i}", phone="ph-shared") for i in range(5)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-shared"}
              for pid in ring]
    tables = w.tables()
    assert str(tables.identifiers["kind"].dtype) == "category"
    rings, members = gds_guide_rings(tables, top_share=0.01)
    assert len(rings) == 1
    assert set(members["entity_id"]) == set(ring)
