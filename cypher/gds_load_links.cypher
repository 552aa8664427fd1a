// One [:GDS_LINK] per igraph edge (identifier -> holder); projected undirected.
UNWIND $rows AS r
MATCH (a:GdsVertex {vid: r.a})
MATCH (b:GdsVertex {vid: r.b})
CREATE (a)-[:GDS_LINK]->(b)
