// Which of $ids are already in the store as Practitioner nodes, with each one's element id:
// the foreign-key check of a later load asks only about the keys the load
// itself lacks, and the claim writer matches these nodes by element id.
UNWIND $ids AS id
MATCH (n:Practitioner {practitioner_id: id})
RETURN id, elementId(n) AS node
