MATCH (:Ring {ring_id: $ring_id})-[m:HAS_MEMBER]->(e)
RETURN elementId(e) AS id, labels(e) AS labels,
       coalesce(e.person_id, e.practitioner_id, e.facility_id) AS key, e.name AS name,
       m.role AS role, m.score AS member_score
