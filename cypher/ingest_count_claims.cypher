// How many claims the store holds (from the count store: instant at any size).
MATCH (c:Claim)
RETURN count(c) AS claims
