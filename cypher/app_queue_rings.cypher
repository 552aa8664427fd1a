// Every ring of the newest detection run (every ring when no run is recorded),
// with its triage state; the app sorts, filters and pages these in memory.
OPTIONAL MATCH (run:DetectionRun)
WITH run ORDER BY run.started_at DESC LIMIT 1
MATCH (r:Ring)
WHERE run IS NULL OR r.run_id = run.run_id
OPTIONAL MATCH (t:Triage {ring_id: r.ring_id})
RETURN r.ring_id AS ring_id, r.score AS score, r.typology AS typology, r.size AS size,
       r.n_claims AS n_claims, r.fund_paid AS fund_paid, coalesce(r.region_code, head([(r)-[:HAS_MEMBER]->(f:Facility) | f.region_code]),
                head([(r)-[:HAS_MEMBER]->(p:Person) | p.region_code])) AS region,
       toString(r.first_seen) AS first_seen, toString(r.last_seen) AS last_seen,
       coalesce(t.status, 'new') AS status, t.assignee AS assignee
