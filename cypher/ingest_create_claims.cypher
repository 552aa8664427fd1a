// New settlements with everything that hangs off them, in one transaction per
// batch: person, facility, practitioner, device and fee lines. Only claims the
// store lacks reach this query (the loader drops known ones first with
// ingest_existing_claims; claims are immutable once loaded), so a plain CREATE
// suffices: no per-claim existence check and no Eager on the Claim label,
// and the uniqueness constraint still refuses a duplicate outright.
// The nodes a claim links to come as element ids the loader looked up once
// per load (ingest_existing_*): a seek by id takes no index lock and walks no
// index tree, which was a third of this query's server time per claim.
UNWIND $rows AS r
MATCH (p:Person) WHERE elementId(p) = r.person_node
MATCH (f:Facility) WHERE elementId(f) = r.facility_node
CREATE (c:Claim {claim_id: r.claim_id, person_id: r.person_id, facility_id: r.facility_id,
                 practitioner_id: r.practitioner_id, visit_type: r.visit_type,
                 settled_at: localdatetime(r.settled_at), admitted_at: localdatetime(r.admitted_at),
                 discharged_at: localdatetime(r.discharged_at), diagnosis_code: r.diagnosis_code,
                 total_amount: r.total_amount, fund_paid: r.fund_paid,
                 region_code: coalesce(r.region_code, f.region_code),
                 auth_method: r.auth_method, device_id: r.device_id})
SET c += r.extra
CREATE (p)-[:CLAIMED]->(c)
CREATE (c)-[:AT]->(f)
WITH c, r
OPTIONAL MATCH (d:Practitioner) WHERE elementId(d) = r.practitioner_node
OPTIONAL MATCH (v:Device) WHERE elementId(v) = r.device_node
FOREACH (_ IN CASE WHEN d IS NULL THEN [] ELSE [1] END | CREATE (c)-[:BY]->(d))
FOREACH (_ IN CASE WHEN v IS NULL THEN [] ELSE [1] END | CREATE (c)-[:VIA]->(v))
WITH c, r
UNWIND r.items AS line
MATCH (i:Item) WHERE elementId(i) = line.item_node
CREATE (c)-[x:INCLUDES {line_no: line.line_no, quantity: line.quantity, unit_price: line.unit_price,
                        amount: line.amount, trace_code: line.trace_code,
                        practitioner_id: line.practitioner_id}]->(i)
SET x += line.extra
