// Which of $ids are already in the store as Claim nodes: the foreign-key check
// of a later load asks only about the keys the load itself lacks.
UNWIND $ids AS id
MATCH (n:Claim {claim_id: id})
RETURN id
