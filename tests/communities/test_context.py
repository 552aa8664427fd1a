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
