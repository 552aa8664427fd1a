// The entity's claims per day and treating region (a facility's can be many: capped at $limit claims).
MATCH (e) WHERE elementId(e) = $node
MATCH (e)-[:CLAIMED|AT|BY]-(c:Claim)
WITH c LIMIT $limit
RETURN left(toString(c.settled_at), 10) AS day, c.region_code AS region, count(*) AS claims,
       sum(c.fund_paid) AS fund_paid
ORDER BY day
