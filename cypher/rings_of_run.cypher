// The rings a detection run wrote, with member and evidence counts (for checks and notebooks).
MATCH (:DetectionRun {run_id: $run_id})-[:FOUND]->(g:Ring)
OPTIONAL MATCH (g)-[m:HAS_MEMBER]->()
WITH g, count(m) AS members
OPTIONAL MATCH (g)-[:EVIDENCED_BY]->(c:Claim)
RETURN g.ring_id AS ring_id, g.score AS score, g.typology AS typology, g.region_code AS region_code,
       members, count(c) AS claims
ORDER BY ring_id
