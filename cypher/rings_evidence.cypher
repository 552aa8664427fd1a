// EVIDENCED_BY links from rings to the claims behind their signals.
UNWIND $rows AS r
MATCH (g:Ring {ring_id: r.ring_id})
MATCH (c:Claim {claim_id: r.claim_id})
MERGE (g)-[:EVIDENCED_BY]->(c)
