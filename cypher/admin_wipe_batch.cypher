// Deletes up to $limit nodes with their relationships; run until it returns 0.
// Used to empty a database (tests, `ringscope demo --fresh`) without holding
// one huge transaction.
MATCH (n)
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
