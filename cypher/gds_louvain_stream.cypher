CALL gds.louvain.stream($graph, {concurrency: $concurrency})
YIELD nodeId, communityId
RETURN nodeId AS node_id, communityId AS community
