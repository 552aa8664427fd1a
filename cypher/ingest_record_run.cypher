// The record a load leaves behind: what was read, what was loaded or
// rejected per file, the inputs' SHA-256 fingerprint and the step timings.
CREATE (run:IngestRun {run_id: $run_id})
SET run += $record
RETURN run.run_id AS run_id
