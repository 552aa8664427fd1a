// Search by ring id, entity key, name (prefix), identity card (exact or masked
// prefix/suffix), phone, or facility name (substring); values only as parameters.
CALL {
  MATCH (e:Ring {ring_id: $text}) RETURN e
  UNION MATCH (e:Person {person_id: $text}) RETURN e
  UNION MATCH (e:Practitioner {practitioner_id: $text}) RETURN e
  UNION MATCH (e:Facility {facility_id: $text}) RETURN e
  UNION MATCH (e:Person) WHERE e.name STARTS WITH $text RETURN e
  UNION MATCH (e:Practitioner) WHERE e.name STARTS WITH $text RETURN e
  UNION MATCH (e:Facility) WHERE e.name CONTAINS $text RETURN e
  UNION MATCH (e:Person {id_card: $text}) RETURN e
  UNION MATCH (e:Person) WHERE $prefix IS NOT NULL AND e.id_card STARTS WITH $prefix
                          AND e.id_card ENDS WITH $suffix RETURN e
  UNION MATCH (:Phone {value: $text})<-[:HAS_IDENTIFIER]-(e) RETURN e
}
WITH e LIMIT $limit
RETURN labels(e) AS labels, coalesce(e.ring_id, e.person_id, e.practitioner_id, e.facility_id) AS key,
       e.name AS name, e.id_card AS id_card, e.typology AS typology
