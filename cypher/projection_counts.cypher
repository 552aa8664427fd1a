// How many rows each projection will pull; a zero means the optional table is absent.
CALL { MATCH (c:Claim) RETURN count(c) AS claims }
CALL { MATCH (:Claim)-[x:INCLUDES]->() RETURN count(x) AS claim_items }
CALL { MATCH ()-[h:HAS_IDENTIFIER]->() WHERE h.kind <> 'id_card' RETURN count(h) AS identifiers }
CALL { MATCH (s:StockIn) RETURN count(s) AS purchases }
RETURN claims, claim_items, identifiers, purchases
