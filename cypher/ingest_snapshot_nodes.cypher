// Every loaded node with its labels and properties (the run records aside):
// lets a test compare the graphs two loads made, property by property.
MATCH (n)
WHERE NOT n:IngestRun
RETURN labels(n) AS labels, properties(n) AS properties
