// Identifiers that two or more of the ring's members share: the links a ring hides behind.
MATCH (:Ring {ring_id: $ring_id})-[:HAS_MEMBER]->(e)-[:HAS_IDENTIFIER]->(i)
WITH i, collect(DISTINCT elementId(e)) AS owners
WHERE size(owners) > 1
RETURN elementId(i) AS id, labels(i) AS labels, i.value AS value, owners
