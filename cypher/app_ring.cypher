MATCH (r:Ring {ring_id: $ring_id})
RETURN properties(r) AS ring
