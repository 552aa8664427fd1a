// The terminals and phones that presented claims' credentials, merged once
// before the claims, so that concurrent claim writers only MATCH them.
// Each device's element id comes back for the claim writer (ingest/node_ids.py).
UNWIND $rows AS r
MERGE (v:Device {value: r.value})
RETURN r.value AS id, elementId(v) AS node
