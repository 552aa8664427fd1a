// Projection: every insured person with the facts the detection jobs join to claims.
// The ID card number only of those whom someone lists as proxy (代办人): detection ties a
// proxy to the persons who list him, and needs no one else's.
MATCH (p:Person)
RETURN p.person_id AS person_id, p.gender AS gender, toString(p.birth_date) AS birth_date,
       p.region_code AS region_code, p.insurance_type AS insurance_type,
       toString(p.death_date) AS death_date,
       CASE WHEN EXISTS { (p)-[:HAS_IDENTIFIER {kind: 'id_card'}]->(:IdCard)<-[:HAS_IDENTIFIER {kind: 'proxy_id_card'}]-(:Person) }
            THEN p.id_card END AS id_card
