// Projection: fee lines, one record per claim with its lines as parallel lists.
MATCH (c:Claim)-[x:INCLUDES]->(i:Item)
WITH c.claim_id AS claim_id, collect([x, i]) AS lines
RETURN claim_id,
       [l IN lines | l[0].line_no] AS line_no,
       [l IN lines | l[1].item_code] AS item_code,
       [l IN lines | l[1].item_type] AS item_type,
       [l IN lines | l[0].quantity] AS quantity,
       [l IN lines | l[0].unit_price] AS unit_price,
       [l IN lines | l[0].amount] AS amount,
       [l IN lines | l[0].practitioner_id] AS practitioner_id,
       [l IN lines | l[0].trace_code] AS trace_code
