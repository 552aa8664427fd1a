// One person, practitioner or facility by its kind and key.
OPTIONAL MATCH (p:Person {person_id: $key}) WHERE $kind = 'person'
OPTIONAL MATCH (d:Practitioner {practitioner_id: $key}) WHERE $kind = 'practitioner'
OPTIONAL MATCH (f:Facility {facility_id: $key}) WHERE $kind = 'facility'
WITH coalesce(p, d, f) AS e
WHERE e IS NOT NULL
RETURN elementId(e) AS id, labels(e) AS labels, properties(e) AS props
