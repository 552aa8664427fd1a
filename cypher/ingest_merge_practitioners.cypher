// Doctors and pharmacists, where they are registered, and their identity card.
// Each practitioner's element id comes back for the claim writer (ingest/node_ids.py).
UNWIND $rows AS r
MERGE (d:Practitioner {practitioner_id: r.practitioner_id})
SET d.name = r.name, d.role = r.role, d.facility_id = r.facility_id,
    d.department = r.department, d.id_card = r.id_card
SET d += r.extra
FOREACH (_ IN CASE WHEN r.role = 'doctor' THEN [1] ELSE [] END | SET d:Doctor)
FOREACH (_ IN CASE WHEN r.role = 'pharmacist' THEN [1] ELSE [] END | SET d:Pharmacist)
WITH d, r
OPTIONAL MATCH (f:Facility {facility_id: r.facility_id})
FOREACH (_ IN CASE WHEN f IS NULL THEN [] ELSE [1] END | MERGE (d)-[:WORKS_AT]->(f))
FOREACH (card IN CASE WHEN r.id_card IS NULL THEN [] ELSE [r.id_card] END |
  MERGE (c:IdCard {value: card})
  MERGE (d)-[h:HAS_IDENTIFIER]->(c)
  SET h.kind = 'id_card')
RETURN r.practitioner_id AS id, elementId(d) AS node
