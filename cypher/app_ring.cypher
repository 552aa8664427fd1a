// Everything the ring page draws, in one round trip: the ring, its members,
// the identifiers two or more members share, and its evidence claims with who
// and what was on each. Claims come as one list of rows (thousands of driver
// records cost more to decode than the query takes); the column order is
// ring_view._CLAIM_COLUMNS.
MATCH (r:Ring {ring_id: $ring_id})
CALL (r) {
  MATCH (r)-[m:HAS_MEMBER]->(e)
  RETURN collect({id: elementId(e), labels: labels(e), key: coalesce(e.person_id, e.practitioner_id, e.facility_id),
                  name: e.name, role: m.role, member_score: m.score}) AS members
}
CALL (r) {
  MATCH (r)-[:HAS_MEMBER]->(e)-[:HAS_IDENTIFIER]->(i)
  WITH i, collect(DISTINCT elementId(e)) AS owners
  WHERE size(owners) > 1
  RETURN collect({id: elementId(i), labels: labels(i), value: i.value, owners: owners}) AS shared
}
CALL (r) {
  MATCH (r)-[:EVIDENCED_BY]->(c:Claim)
  OPTIONAL MATCH (p:Person)-[:CLAIMED]->(c)
  OPTIONAL MATCH (c)-[:AT]->(f:Facility)
  OPTIONAL MATCH (c)-[:BY]->(d:Practitioner)
  OPTIONAL MATCH (c)-[:VIA]->(v:Device)
  RETURN collect([c.claim_id, toString(c.settled_at), c.visit_type, c.total_amount, c.fund_paid,
                  p.person_id, elementId(p), p.name, f.facility_id, elementId(f), f.name,
                  d.practitioner_id, elementId(d), d.name, elementId(v), v.value]) AS claims
}
RETURN properties(r) AS ring, members, shared, claims
