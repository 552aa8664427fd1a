// A node's neighbours for "expand": its identifiers (or their owners) and whoever
// shares a claim with it, strongest first; hubs are cut at $claims claims.
MATCH (n) WHERE elementId(n) = $node
CALL (n) {
  MATCH (n)-[:HAS_IDENTIFIER]-(x)
  RETURN x, 'HAS_IDENTIFIER' AS via, 1 AS weight
  UNION ALL
  MATCH (n)--(c:Claim)
  WITH n, c LIMIT $claims
  MATCH (c)--(x)
  WHERE x <> n AND NOT x:Claim AND NOT x:Ring
  RETURN x, 'CLAIM' AS via, 1 AS weight
}
WITH x, via, sum(weight) AS weight
ORDER BY weight DESC
LIMIT $limit
RETURN elementId(x) AS id, labels(x) AS labels,
       coalesce(x.person_id, x.practitioner_id, x.facility_id, x.item_code) AS key, x.name AS name,
       x.value AS value, via, weight
