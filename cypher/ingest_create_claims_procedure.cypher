// New settlements with their links and fee lines through the embedded server's
// procedure (graph/launcher, LinkedNodeWriter): the column-wise batch of
// ringscope.ingest.claim_batch written through the kernel API, the same graph
// as ingest_create_claims writes in Cypher, for over a third less server CPU per
// claim (benchmarks/RESULTS.md, rounds 5 and 6 of the online top-ups).
CALL ringscope.createLinked($batch) YIELD created
RETURN created
