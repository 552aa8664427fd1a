// Catalogue items (national codes); the first name and type seen are kept.
UNWIND $rows AS r
MERGE (i:Item {item_code: r.item_code})
ON CREATE SET i.name = r.name, i.item_type = r.item_type
