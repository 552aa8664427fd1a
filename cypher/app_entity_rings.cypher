MATCH (e) WHERE elementId(e) = $node
MATCH (r:Ring)-[m:HAS_MEMBER]->(e)
RETURN r.ring_id AS ring_id, r.typology AS typology, r.score AS score, m.role AS role
ORDER BY r.score DESC
