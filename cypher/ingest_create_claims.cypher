// New settlements with everything that hangs off them, in one transaction per
// batch: person, facility, practitioner, device and fee lines. The batch is
// column-wise (ringscope.ingest.claim_batch): one list per property, the linked
// nodes as element ids the loader looked up once per load, and each claim's
// fee lines at lines.offsets[k] .. lines.offsets[k + 1] - 1. This is the
// writer for a server without ringscope.createLinked (the embedded server's
// procedure, which writes the same graph faster: ingest_create_claims_procedure).
// Only claims the store lacks reach it (the loader drops known ones first with
// ingest_existing_claims; claims are immutable once loaded), so a plain CREATE
// suffices, and the uniqueness constraint still refuses a duplicate outright.
// A seek by element id takes no index lock and walks no index tree.
WITH $batch AS b
UNWIND range(0, size(b.properties.claim_id) - 1) AS k
MATCH (p:Person) WHERE elementId(p) = b.links[0].nodes[k]
MATCH (f:Facility) WHERE elementId(f) = b.links[1].nodes[k]
CREATE (c:Claim {claim_id: b.properties.claim_id[k], person_id: b.properties.person_id[k],
                 facility_id: b.properties.facility_id[k], practitioner_id: b.properties.practitioner_id[k],
                 visit_type: b.properties.visit_type[k],
                 settled_at: localdatetime(b.properties.settled_at[k]),
                 admitted_at: localdatetime(b.properties.admitted_at[k]),
                 discharged_at: localdatetime(b.properties.discharged_at[k]),
                 diagnosis_code: b.properties.diagnosis_code[k],
                 total_amount: b.properties.total_amount[k], fund_paid: b.properties.fund_paid[k],
                 region_code: coalesce(b.properties.region_code[k], f.region_code),
                 auth_method: b.properties.auth_method[k], device_id: b.properties.device_id[k]})
SET c += coalesce(b.extra[k], {})
CREATE (p)-[:CLAIMED]->(c)
CREATE (c)-[:AT]->(f)
WITH b, k, c
OPTIONAL MATCH (d:Practitioner) WHERE elementId(d) = b.links[2].nodes[k]
OPTIONAL MATCH (v:Device) WHERE elementId(v) = b.links[3].nodes[k]
FOREACH (_ IN CASE WHEN d IS NULL THEN [] ELSE [1] END | CREATE (c)-[:BY]->(d))
FOREACH (_ IN CASE WHEN v IS NULL THEN [] ELSE [1] END | CREATE (c)-[:VIA]->(v))
WITH b, k, c
UNWIND CASE WHEN b.lines IS NULL THEN [] ELSE range(b.lines.offsets[k], b.lines.offsets[k + 1] - 1) END AS j
MATCH (i:Item) WHERE elementId(i) = b.lines.nodes[j]
CREATE (c)-[x:INCLUDES {line_no: b.lines.properties.line_no[j], quantity: b.lines.properties.quantity[j],
                        unit_price: b.lines.properties.unit_price[j], amount: b.lines.properties.amount[j],
                        trace_code: b.lines.properties.trace_code[j],
                        practitioner_id: b.lines.properties.practitioner_id[j]}]->(i)
SET x += coalesce(b.lines.extra[j], {})
