// Which of $ids are already in the store as Claim nodes, with each one's
// element id (the shape every ingest_existing_* query shares): the
// foreign-key check of a later load asks only about the keys the load itself
// lacks, and the claim writer drops the claims an earlier run loaded.
UNWIND $ids AS id
MATCH (n:Claim {claim_id: id})
RETURN id, elementId(n) AS node
