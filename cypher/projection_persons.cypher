// Projection: every insured person with the facts the detection jobs join to claims.
MATCH (p:Person)
RETURN p.person_id AS person_id, p.gender AS gender, toString(p.birth_date) AS birth_date,
       p.region_code AS region_code, p.insurance_type AS insurance_type,
       toString(p.death_date) AS death_date
