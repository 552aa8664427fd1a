// The ring's evidence claims with the people, places, practitioners and devices on them.
MATCH (:Ring {ring_id: $ring_id})-[:EVIDENCED_BY]->(c:Claim)
OPTIONAL MATCH (p:Person)-[:CLAIMED]->(c)
OPTIONAL MATCH (c)-[:AT]->(f:Facility)
OPTIONAL MATCH (c)-[:BY]->(d:Practitioner)
OPTIONAL MATCH (c)-[:VIA]->(v:Device)
RETURN c.claim_id AS claim_id, toString(c.settled_at) AS settled_at, c.visit_type AS visit_type,
       c.total_amount AS total_amount, c.fund_paid AS fund_paid,
       p.person_id AS person, elementId(p) AS person_node, p.name AS person_name,
       f.facility_id AS facility, elementId(f) AS facility_node, f.name AS facility_name,
       d.practitioner_id AS practitioner, elementId(d) AS practitioner_node, d.name AS practitioner_name,
       elementId(v) AS device_node, v.value AS device
ORDER BY settled_at
