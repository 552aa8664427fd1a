// The newest entries, all users' or ($user set) one user's, or ($target set) about one thing.
MATCH (e:AuditEntry)
WHERE ($user IS NULL OR e.user = $user) AND ($target IS NULL OR e.target = $target)
RETURN e.seq AS seq, e.at AS at, e.user AS user, e.action AS action, e.target AS target,
       e.detail AS detail, e.prev_hash AS prev_hash, e.hash AS hash
ORDER BY e.seq DESC
LIMIT $limit
