MATCH (t:Triage {ring_id: $ring_id})
RETURN t.status AS status, t.assignee AS assignee, t.notes AS notes, t.decision AS decision,
       t.reason AS reason, toString(t.updated_at) AS updated_at, t.updated_by AS updated_by
