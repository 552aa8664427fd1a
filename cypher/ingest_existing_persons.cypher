// Which of $ids are already in the store as Person nodes: the foreign-key check
// of a later load asks only about the keys the load itself lacks.
UNWIND $ids AS id
MATCH (n:Person {person_id: id})
RETURN id
