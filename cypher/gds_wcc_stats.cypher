// WCC without returning rows: computeMillis is the algorithm alone.
CALL gds.wcc.stats($graph, {concurrency: $concurrency})
YIELD componentCount, computeMillis
RETURN componentCount AS communities, computeMillis AS compute_ms
