CALL gds.wcc.stream($graph, {concurrency: $concurrency})
YIELD nodeId, componentId
RETURN nodeId AS node_id, componentId AS community
