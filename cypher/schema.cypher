// Uniqueness constraints for every node key of the model (design.md), and the
// indexes the detection jobs and the app look things up by. Idempotent: run at
// first connection by ringscope.graph.schema.ensure_schema.
CREATE CONSTRAINT person_key IF NOT EXISTS FOR (n:Person) REQUIRE n.person_id IS UNIQUE;
CREATE CONSTRAINT practitioner_key IF NOT EXISTS FOR (n:Practitioner) REQUIRE n.practitioner_id IS UNIQUE;
CREATE CONSTRAINT facility_key IF NOT EXISTS FOR (n:Facility) REQUIRE n.facility_id IS UNIQUE;
CREATE CONSTRAINT claim_key IF NOT EXISTS FOR (n:Claim) REQUIRE n.claim_id IS UNIQUE;
CREATE CONSTRAINT item_key IF NOT EXISTS FOR (n:Item) REQUIRE n.item_code IS UNIQUE;
CREATE CONSTRAINT phone_key IF NOT EXISTS FOR (n:Phone) REQUIRE n.value IS UNIQUE;
CREATE CONSTRAINT bank_account_key IF NOT EXISTS FOR (n:BankAccount) REQUIRE n.value IS UNIQUE;
CREATE CONSTRAINT address_key IF NOT EXISTS FOR (n:Address) REQUIRE n.value IS UNIQUE;
CREATE CONSTRAINT device_key IF NOT EXISTS FOR (n:Device) REQUIRE n.value IS UNIQUE;
CREATE CONSTRAINT email_key IF NOT EXISTS FOR (n:Email) REQUIRE n.value IS UNIQUE;
CREATE CONSTRAINT id_card_key IF NOT EXISTS FOR (n:IdCard) REQUIRE n.value IS UNIQUE;
CREATE CONSTRAINT region_key IF NOT EXISTS FOR (n:Region) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT stock_in_key IF NOT EXISTS FOR (n:StockIn) REQUIRE n.stock_in_id IS UNIQUE;
CREATE CONSTRAINT ring_key IF NOT EXISTS FOR (n:Ring) REQUIRE n.ring_id IS UNIQUE;
CREATE CONSTRAINT alert_key IF NOT EXISTS FOR (n:Alert) REQUIRE n.alert_id IS UNIQUE;
CREATE CONSTRAINT case_key IF NOT EXISTS FOR (n:Case) REQUIRE n.case_id IS UNIQUE;
CREATE CONSTRAINT detection_run_key IF NOT EXISTS FOR (n:DetectionRun) REQUIRE n.run_id IS UNIQUE;
CREATE CONSTRAINT ingest_run_key IF NOT EXISTS FOR (n:IngestRun) REQUIRE n.run_id IS UNIQUE;
CREATE CONSTRAINT user_key IF NOT EXISTS FOR (n:User) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT audit_entry_key IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.seq IS UNIQUE;
CREATE INDEX person_id_card IF NOT EXISTS FOR (n:Person) ON (n.id_card);
CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE INDEX practitioner_name IF NOT EXISTS FOR (n:Practitioner) ON (n.name);
CREATE INDEX facility_name IF NOT EXISTS FOR (n:Facility) ON (n.name);
CREATE INDEX claim_settled_at IF NOT EXISTS FOR (n:Claim) ON (n.settled_at);
CREATE INDEX ring_run IF NOT EXISTS FOR (n:Ring) ON (n.run_id);
