// Projection: every facility with kind, ownership, region and licensed beds.
MATCH (f:Facility)
RETURN f.facility_id AS facility_id, f.name AS name, f.kind AS kind, f.level AS level,
       f.ownership AS ownership, f.region_code AS region_code, f.beds AS beds
