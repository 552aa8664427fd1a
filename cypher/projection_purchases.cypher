// Projection: stock-in records (进销存: 进).
MATCH (s:StockIn)
RETURN s.facility_id AS facility_id, s.item_code AS item_code, toString(s.purchased_at) AS purchased_at,
       s.quantity AS quantity, s.unit_price AS unit_price, s.supplier AS supplier
