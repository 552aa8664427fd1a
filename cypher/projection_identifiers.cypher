// Projection: links between owners and shared identifiers (a person's own id
// card is not a link between people, so kind 'id_card' is left out).
MATCH (o)-[h:HAS_IDENTIFIER]->(i)
WHERE h.kind IS NOT NULL AND h.kind <> 'id_card'
RETURN CASE WHEN o:Person THEN 'person' WHEN o:Practitioner THEN 'practitioner' ELSE 'facility' END AS owner_type,
       coalesce(o.person_id, o.practitioner_id, o.facility_id) AS owner_id,
       h.kind AS kind, i.value AS value,
       toString(h.first_seen) AS first_seen, toString(h.last_seen) AS last_seen
