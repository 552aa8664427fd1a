// Every ring of the newest detection run (every ring when no run is recorded)
// with its triage state: only the queue's columns, as ONE list of rows, because
// 10,000 driver records cost more to decode than the query takes. No member
// traversal: the region is the one detection stores on the ring.
OPTIONAL MATCH (run:DetectionRun)
WITH run ORDER BY run.started_at DESC LIMIT 1
MATCH (r:Ring)
WHERE run IS NULL OR r.run_id = run.run_id
OPTIONAL MATCH (t:Triage {ring_id: r.ring_id})
RETURN collect([r.ring_id, r.score, r.typology, r.size, r.n_claims, r.fund_paid, r.region_code,
                toString(r.first_seen), toString(r.last_seen), coalesce(t.status, 'new'), t.assignee]) AS rows
