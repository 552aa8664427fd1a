// The terminals and phones that presented claims' credentials, merged once
// before the claims, so that concurrent claim writers only MATCH them.
UNWIND $rows AS r
MERGE (:Device {value: r.value})
