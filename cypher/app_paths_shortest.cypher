// Every shortest path (up to 8 hops, at most $limit) through claims and identifiers.
MATCH (a) WHERE elementId(a) = $source
MATCH (b) WHERE elementId(b) = $target
MATCH p = allShortestPaths((a)-[:CLAIMED|AT|BY|VIA|HAS_IDENTIFIER*..8]-(b))
WITH p LIMIT $limit
RETURN [n IN nodes(p) | {id: elementId(n), labels: labels(n),
                         key: coalesce(n.person_id, n.practitioner_id, n.facility_id, n.claim_id),
                         name: n.name, value: n.value}] AS nodes,
       [r IN relationships(p) | {source: elementId(startNode(r)), target: elementId(endNode(r)),
                                 type: type(r)}] AS rels
