// Which of $ids are already in the store as Practitioner nodes: the foreign-key check
// of a later load asks only about the keys the load itself lacks.
UNWIND $ids AS id
MATCH (n:Practitioner {practitioner_id: id})
RETURN id
