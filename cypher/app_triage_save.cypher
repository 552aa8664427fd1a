MERGE (t:Triage {ring_id: $ring_id})
SET t.status = $status, t.assignee = $assignee, t.notes = $notes, t.decision = $decision,
    t.reason = $reason, t.updated_at = datetime(), t.updated_by = $user
RETURN t.ring_id AS ring_id
