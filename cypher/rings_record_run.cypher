// The detection run itself; MERGE so that recording the same run twice changes nothing.
MERGE (run:DetectionRun {run_id: $run_id})
SET run += $record, run.started_at = datetime($started_at)
RETURN run.run_id AS run_id
