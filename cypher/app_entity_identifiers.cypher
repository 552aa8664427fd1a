// The entity's identifiers and (up to 20 of) the others who share each one.
MATCH (e) WHERE elementId(e) = $node
MATCH (e)-[:HAS_IDENTIFIER]->(i)
OPTIONAL MATCH (i)<-[:HAS_IDENTIFIER]-(o) WHERE o <> e
WITH i, collect(o)[..20] AS others, count(o) AS n_others
RETURN labels(i) AS labels, i.value AS value, n_others,
       [o IN others | {labels: labels(o), key: coalesce(o.person_id, o.practitioner_id, o.facility_id),
                       name: o.name}] AS others
ORDER BY n_others DESC, value
