// The node of an entity key, whatever its kind (the path finder's endpoints).
CALL {
  MATCH (e:Person {person_id: $key}) RETURN e
  UNION MATCH (e:Practitioner {practitioner_id: $key}) RETURN e
  UNION MATCH (e:Facility {facility_id: $key}) RETURN e
}
RETURN elementId(e) AS id
LIMIT 1
