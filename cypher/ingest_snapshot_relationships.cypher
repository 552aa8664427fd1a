// Every loaded relationship, its end nodes named by their label's key.
MATCH (a)-[r]->(b)
WITH a, r, b,
     [n IN [a, b] | CASE
        WHEN n:Claim THEN n.claim_id WHEN n:Person THEN n.person_id
        WHEN n:Practitioner THEN n.practitioner_id WHEN n:Facility THEN n.facility_id
        WHEN n:Item THEN n.item_code WHEN n:StockIn THEN n.stock_in_id
        WHEN n:Region THEN n.code ELSE n.value END] AS keys
RETURN type(r) AS type, labels(a)[0] AS start_label, keys[0] AS start_key,
       labels(b)[0] AS end_label, keys[1] AS end_key, properties(r) AS properties
