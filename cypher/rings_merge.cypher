// Rings of a run, keyed by their member-derived id: a ring found again keeps
// its node (and the decisions hanging off it); its members and evidence are
// replaced by this run's, so writing the same run twice gives the same graph.
UNWIND $rows AS r
MATCH (run:DetectionRun {run_id: $run_id})
MERGE (g:Ring {ring_id: r.ring_id})
SET g += r.props, g.run_id = $run_id,
    g.first_seen = CASE WHEN r.first_seen = '' THEN null ELSE date(r.first_seen) END,
    g.last_seen = CASE WHEN r.last_seen = '' THEN null ELSE date(r.last_seen) END
MERGE (run)-[:FOUND]->(g)
WITH g
OPTIONAL MATCH (g)-[old:HAS_MEMBER|EVIDENCED_BY]->()
DELETE old
