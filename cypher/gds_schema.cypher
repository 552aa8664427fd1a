// benchmarks/gds_community.py: the benchmark's own vertices, found by their igraph index
// when the links are written; a throw-away label in a throw-away store, not ringscope's schema.
CREATE INDEX gds_vertex_vid IF NOT EXISTS FOR (v:GdsVertex) ON (v.vid);
CALL db.awaitIndexes(300);
