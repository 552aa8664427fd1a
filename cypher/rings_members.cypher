// HAS_MEMBER links from rings to persons, practitioners and facilities.
UNWIND $rows AS r
MATCH (g:Ring {ring_id: r.ring_id})
OPTIONAL MATCH (p:Person {person_id: CASE r.entity_type WHEN 'person' THEN r.entity_id END})
OPTIONAL MATCH (d:Practitioner {practitioner_id: CASE r.entity_type WHEN 'practitioner' THEN r.entity_id END})
OPTIONAL MATCH (f:Facility {facility_id: CASE r.entity_type WHEN 'facility' THEN r.entity_id END})
WITH g, r, coalesce(p, d, f) AS member
WHERE member IS NOT NULL
MERGE (g)-[m:HAS_MEMBER]->(member)
SET m.role = r.role, m.score = r.score
