// Which of $ids are in the store as Item nodes, with each one's element id:
// the claim writer matches fee lines' items by element id.
UNWIND $ids AS id
MATCH (n:Item {item_code: id})
RETURN id, elementId(n) AS node
