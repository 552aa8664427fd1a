// Links between a person, practitioner or facility and a shared identifier
// node (one label per kind, so each kind has its own uniqueness constraint).
// r.owner is the owner's element id, which the loader knows (ingest/online.py):
// a seek by element id walks no index.
UNWIND $rows AS r
MATCH (owner) WHERE elementId(owner) = r.owner
FOREACH (_ IN CASE WHEN r.kind = 'phone' THEN [1] ELSE [] END |
  MERGE (i:Phone {value: r.value})
  MERGE (owner)-[h:HAS_IDENTIFIER]->(i)
  SET h.kind = r.kind, h.first_seen = date(r.first_seen), h.last_seen = date(r.last_seen), h += r.extra)
FOREACH (_ IN CASE WHEN r.kind = 'bank_account' THEN [1] ELSE [] END |
  MERGE (i:BankAccount {value: r.value})
  MERGE (owner)-[h:HAS_IDENTIFIER]->(i)
  SET h.kind = r.kind, h.first_seen = date(r.first_seen), h.last_seen = date(r.last_seen), h += r.extra)
FOREACH (_ IN CASE WHEN r.kind = 'address' THEN [1] ELSE [] END |
  MERGE (i:Address {value: r.value})
  MERGE (owner)-[h:HAS_IDENTIFIER]->(i)
  SET h.kind = r.kind, h.first_seen = date(r.first_seen), h.last_seen = date(r.last_seen), h += r.extra)
FOREACH (_ IN CASE WHEN r.kind = 'device' THEN [1] ELSE [] END |
  MERGE (i:Device {value: r.value})
  MERGE (owner)-[h:HAS_IDENTIFIER]->(i)
  SET h.kind = r.kind, h.first_seen = date(r.first_seen), h.last_seen = date(r.last_seen), h += r.extra)
FOREACH (_ IN CASE WHEN r.kind = 'email' THEN [1] ELSE [] END |
  MERGE (i:Email {value: r.value})
  MERGE (owner)-[h:HAS_IDENTIFIER]->(i)
  SET h.kind = r.kind, h.first_seen = date(r.first_seen), h.last_seen = date(r.last_seen), h += r.extra)
FOREACH (_ IN CASE WHEN r.kind = 'proxy_id_card' THEN [1] ELSE [] END |
  MERGE (i:IdCard {value: r.value})
  MERGE (owner)-[h:HAS_IDENTIFIER]->(i)
  SET h.kind = r.kind, h.first_seen = date(r.first_seen), h.last_seen = date(r.last_seen), h += r.extra)
