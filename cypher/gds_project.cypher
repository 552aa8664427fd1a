// Native projection of the stored graph into GDS's in-memory catalog, undirected like igraph's.
CALL gds.graph.project($graph, 'GdsVertex', {GDS_LINK: {orientation: 'UNDIRECTED'}})
YIELD nodeCount, relationshipCount, projectMillis
RETURN nodeCount AS nodes, relationshipCount AS relationships, projectMillis AS project_ms
