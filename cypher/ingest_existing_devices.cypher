// Which of $ids are in the store as Device nodes, with each one's element id:
// the claim writer matches claims' devices by element id.
UNWIND $ids AS id
MATCH (n:Device {value: id})
RETURN id, elementId(n) AS node
