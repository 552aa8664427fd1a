// Appends only when $seq follows the newest entry, so two writers can never fork
// the chain: the loser gets no row back (or hits the seq constraint) and retries.
CALL {
  MATCH (last:AuditEntry) RETURN last.seq AS top ORDER BY last.seq DESC LIMIT 1
  UNION
  RETURN 0 AS top
}
WITH max(top) AS top
WITH top WHERE top = $seq - 1
CREATE (e:AuditEntry {seq: $seq, at: $at, user: $user, action: $action, target: $target,
                      detail: $detail, prev_hash: $prev_hash, hash: $hash})
RETURN e.seq AS seq
