// Insured persons, their insuring region and their own identity card.
// MERGE + SET: a re-run writes the same values again and changes nothing.
// Each person's element id comes back for the claim writer (ingest/node_ids.py).
UNWIND $rows AS r
MERGE (p:Person {person_id: r.person_id})
SET p.name = r.name, p.id_card = r.id_card, p.gender = r.gender,
    p.birth_date = date(r.birth_date), p.region_code = r.region_code,
    p.insurance_type = r.insurance_type, p.death_date = date(r.death_date)
SET p += r.extra
FOREACH (code IN CASE WHEN r.region_code IS NULL THEN [] ELSE [r.region_code] END |
  MERGE (g:Region {code: code})
  MERGE (p)-[:INSURED_IN]->(g))
FOREACH (card IN CASE WHEN r.id_card IS NULL THEN [] ELSE [r.id_card] END |
  MERGE (c:IdCard {value: card})
  MERGE (p)-[h:HAS_IDENTIFIER]->(c)
  SET h.kind = 'id_card')
RETURN r.person_id AS id, elementId(p) AS node
