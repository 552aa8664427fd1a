// Projection: claims, one record per person with the person's claims as
// parallel lists (far fewer records than one per claim: the driver's per-record
// cost dominates a pull of millions of claims).
MATCH (c:Claim)
WITH c.person_id AS person_id, collect(c) AS claims
RETURN person_id,
       [c IN claims | c.claim_id] AS claim_id,
       [c IN claims | c.facility_id] AS facility_id,
       [c IN claims | c.practitioner_id] AS practitioner_id,
       [c IN claims | c.visit_type] AS visit_type,
       [c IN claims | toString(c.settled_at)] AS settled_at,
       [c IN claims | toString(c.admitted_at)] AS admitted_at,
       [c IN claims | toString(c.discharged_at)] AS discharged_at,
       [c IN claims | c.diagnosis_code] AS diagnosis_code,
       [c IN claims | c.total_amount] AS total_amount,
       [c IN claims | c.fund_paid] AS fund_paid,
       [c IN claims | c.region_code] AS region_code,
       [c IN claims | c.auth_method] AS auth_method,
       [c IN claims | c.device_id] AS device_id
