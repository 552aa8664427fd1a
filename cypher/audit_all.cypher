MATCH (e:AuditEntry)
RETURN e.seq AS seq, e.at AS at, e.user AS user, e.action AS action, e.target AS target,
       e.detail AS detail, e.prev_hash AS prev_hash, e.hash AS hash
ORDER BY e.seq
