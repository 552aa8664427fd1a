// Which of $ids are already in the store as Facility nodes: the foreign-key check
// of a later load asks only about the keys the load itself lacks.
UNWIND $ids AS id
MATCH (n:Facility {facility_id: id})
RETURN id
