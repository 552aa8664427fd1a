// The latest completed load of exactly these input bytes with this mapping:
// a re-run of the same directory finds it and has nothing to do.
MATCH (run:IngestRun {fingerprint: $fingerprint})
WHERE run.mapping = $mapping AND run.finished_at IS NOT NULL
RETURN properties(run) AS run
ORDER BY run.finished_at DESC
LIMIT 1
