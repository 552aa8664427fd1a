// Every loaded relationship, its end nodes named by their key property.
MATCH (a)-[r]->(b)
WITH a, r, b,
     [k IN ['person_id', 'practitioner_id', 'facility_id', 'claim_id', 'item_code', 'stock_in_id', 'code', 'value']
      WHERE a[k] IS NOT NULL][0] AS a_key,
     [k IN ['person_id', 'practitioner_id', 'facility_id', 'claim_id', 'item_code', 'stock_in_id', 'code', 'value']
      WHERE b[k] IS NOT NULL][0] AS b_key
RETURN type(r) AS type, labels(a)[0] AS start_label, a[a_key] AS start_key,
       labels(b)[0] AS end_label, b[b_key] AS end_key, properties(r) AS properties
