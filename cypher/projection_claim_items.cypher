// Projection: fee lines, one record per person with the lines of all the
// person's claims as parallel lists (a record per claim made the driver's
// per-record cost the whole pull at millions of claims).
MATCH (c:Claim)-[x:INCLUDES]->(i:Item)
WITH c.person_id AS person_id, collect([c.claim_id, x, i]) AS lines
RETURN person_id,
       [l IN lines | l[0]] AS claim_id,
       [l IN lines | l[1].line_no] AS line_no,
       [l IN lines | l[2].item_code] AS item_code,
       [l IN lines | l[2].item_type] AS item_type,
       [l IN lines | l[1].quantity] AS quantity,
       [l IN lines | l[1].unit_price] AS unit_price,
       [l IN lines | l[1].amount] AS amount,
       [l IN lines | l[1].practitioner_id] AS practitioner_id,
       [l IN lines | l[1].trace_code] AS trace_code
