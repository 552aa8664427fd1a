// The region of rings that carry no region_code (written before detection
// stored one): a member facility's region, else a member person's insured region.
UNWIND $ring_ids AS ring_id
MATCH (r:Ring {ring_id: ring_id})
RETURN ring_id, coalesce(r.region_code, head([(r)-[:HAS_MEMBER]->(f:Facility) | f.region_code]),
                         head([(r)-[:HAS_MEMBER]->(p:Person) | p.region_code])) AS region
