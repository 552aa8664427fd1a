// New settlements with their links and fee lines through the embedded server's
// procedure (graph/launcher, LinkedNodeWriter): the column-wise batch of
// ringscope.ingest.claim_batch written by the Core API, the same graph as
// ingest_create_claims writes in Cypher, for about a quarter less server CPU
// per claim (benchmarks/RESULTS.md, round 5 of the online top-ups).
CALL ringscope.createLinked($batch) YIELD created
RETURN created
