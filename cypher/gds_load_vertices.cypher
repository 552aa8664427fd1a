// One (:GdsVertex) per igraph vertex of the persons-identifiers graph.
UNWIND $rows AS vid
CREATE (:GdsVertex {vid: vid})
