// The app's own keys: a ring's triage state is kept apart from the (:Ring) that a
// detection re-run replaces, joined by ring_id, so a ring found again keeps its history.
CREATE CONSTRAINT triage_key IF NOT EXISTS FOR (n:Triage) REQUIRE n.ring_id IS UNIQUE;
CREATE INDEX audit_entry_target IF NOT EXISTS FOR (n:AuditEntry) ON (n.target);
CREATE INDEX audit_entry_user IF NOT EXISTS FOR (n:AuditEntry) ON (n.user);
