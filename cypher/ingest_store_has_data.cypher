// Whether the store holds any node: an empty embedded store takes the bulk importer.
MATCH (n)
RETURN count(n) > 0 AS has_data
LIMIT 1
