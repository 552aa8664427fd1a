// Shortest paths that run only through shared identifiers (and devices used on claims).
MATCH (a) WHERE elementId(a) = $source
MATCH (b) WHERE elementId(b) = $target
MATCH p = allShortestPaths((a)-[:HAS_IDENTIFIER|CLAIMED|VIA*..8]-(b))
WHERE all(n IN nodes(p) WHERE NOT n:Claim OR EXISTS { (n)-[:VIA]->() })
WITH p LIMIT $limit
RETURN [n IN nodes(p) | {id: elementId(n), labels: labels(n),
                         key: coalesce(n.person_id, n.practitioner_id, n.facility_id, n.claim_id),
                         name: n.name, value: n.value}] AS nodes,
       [r IN relationships(p) | {source: elementId(startNode(r)), target: elementId(endNode(r)),
                                 type: type(r)}] AS rels
