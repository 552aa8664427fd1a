// The internal node id GDS streams back, for each igraph vertex index.
MATCH (v:GdsVertex)
RETURN id(v) AS node_id, v.vid AS vid
