// Stock-in records (进销存: 进): (Facility)-[:PURCHASED]->(StockIn)-[:OF]->(Item).
// stock_in_id hashes the record's values, so a re-run finds and skips it.
UNWIND $rows AS r
OPTIONAL MATCH (known:StockIn {stock_in_id: r.stock_in_id})
WITH r WHERE known IS NULL
MATCH (f:Facility {facility_id: r.facility_id})
MERGE (i:Item {item_code: r.item_code})
CREATE (s:StockIn {stock_in_id: r.stock_in_id, facility_id: r.facility_id, item_code: r.item_code,
                   purchased_at: localdatetime(r.purchased_at), quantity: r.quantity,
                   unit_price: r.unit_price, supplier: r.supplier})
SET s += r.extra
CREATE (f)-[:PURCHASED]->(s)
CREATE (s)-[:OF]->(i)
