// Projection: every practitioner with role and registered facility.
MATCH (d:Practitioner)
RETURN d.practitioner_id AS practitioner_id, d.role AS role, d.facility_id AS facility_id,
       d.department AS department
