// Fee lines of claims loaded by an earlier run (their claims are not in this
// load): merged by line number, so a re-run adds nothing.
UNWIND $rows AS line
MATCH (c:Claim {claim_id: line.claim_id})
MATCH (i:Item {item_code: line.item_code})
MERGE (c)-[x:INCLUDES {line_no: line.line_no}]->(i)
SET x.quantity = line.quantity, x.unit_price = line.unit_price, x.amount = line.amount,
    x.trace_code = line.trace_code, x.practitioner_id = line.practitioner_id
SET x += line.extra
