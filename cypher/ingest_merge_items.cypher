// Catalogue items (national codes); the first name and type seen are kept.
// Each item's element id comes back for the claim writer (ingest/node_ids.py).
UNWIND $rows AS r
MERGE (i:Item {item_code: r.item_code})
ON CREATE SET i.name = r.name, i.item_type = r.item_type
RETURN r.item_code AS id, elementId(i) AS node
