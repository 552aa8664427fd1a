// Designated facilities, labelled Hospital, Clinic or Pharmacy by kind, in their region.
// Each facility's element id comes back for the claim writer (ingest/node_ids.py).
UNWIND $rows AS r
MERGE (f:Facility {facility_id: r.facility_id})
SET f.name = r.name, f.kind = r.kind, f.level = r.level, f.ownership = r.ownership,
    f.region_code = r.region_code, f.address = r.address, f.beds = r.beds
SET f += r.extra
FOREACH (_ IN CASE WHEN r.kind = 'hospital' THEN [1] ELSE [] END | SET f:Hospital)
FOREACH (_ IN CASE WHEN r.kind = 'clinic' THEN [1] ELSE [] END | SET f:Clinic)
FOREACH (_ IN CASE WHEN r.kind = 'pharmacy' THEN [1] ELSE [] END | SET f:Pharmacy)
MERGE (g:Region {code: r.region_code})
MERGE (f)-[:LOCATED_IN]->(g)
RETURN r.facility_id AS id, elementId(f) AS node
