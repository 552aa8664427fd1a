// Louvain without returning rows: computeMillis is the algorithm alone.
CALL gds.louvain.stats($graph, {concurrency: $concurrency})
YIELD communityCount, modularity, computeMillis
RETURN communityCount AS communities, modularity, computeMillis AS compute_ms
