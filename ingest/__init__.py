"""Validated, idempotent loading of a 医保 extract into Neo4j (``ringscope ingest``).

Public API::

    from ringscope.ingest import IngestOptions, ingest_directory
    report = ingest_directory(IngestOptions(Path("extract")), load_settings())
    report.loaded, report.rejected, report.files[0].reject_file

    from ringscope.ingest import check_directory   # validation only, no database

The graph a load writes (both the bulk importer and the Bolt path write
exactly these labels, types and properties; dates are Neo4j ``Date``, times
``LocalDateTime``, amounts ``Float``, ``line_no`` and ``beds`` ``Integer``)::

    (:Person {person_id, name, id_card, gender, birth_date, region_code, insurance_type, death_date})
    (:Facility:Hospital|Clinic|Pharmacy {facility_id, name, kind, level, ownership, region_code, address, beds})
    (:Practitioner:Doctor|Pharmacist {practitioner_id, name, role, facility_id, department, id_card})
    (:Claim {claim_id, person_id, facility_id, practitioner_id, visit_type, settled_at, admitted_at,
             discharged_at, diagnosis_code, total_amount, fund_paid, region_code, auth_method, device_id})
        region_code defaults to the facility's when the claim has none
    (:Item {item_code, name, item_type})            first name and type seen in claim_items
    (:StockIn {stock_in_id, facility_id, item_code, purchased_at, quantity, unit_price, supplier})
    (:Region {code})
    (:Phone|BankAccount|Address|Device|Email|IdCard {value})

    (Person)-[:CLAIMED]->(Claim)-[:AT]->(Facility)
    (Claim)-[:BY]->(Practitioner)                   when practitioner_id is given
    (Claim)-[:VIA]->(Device)                        when device_id is given
    (Claim)-[:INCLUDES {line_no, quantity, unit_price, amount, trace_code, practitioner_id}]->(Item)
    (Person|Practitioner|Facility)-[:HAS_IDENTIFIER {kind, first_seen, last_seen}]->(identifier)
        kind 'id_card' links a person or practitioner to the IdCard of its own id_card column
    (Practitioner)-[:WORKS_AT]->(Facility)
    (Person)-[:INSURED_IN]->(Region), (Facility)-[:LOCATED_IN]->(Region)
    (Facility)-[:PURCHASED]->(StockIn)-[:OF]->(Item)
    (:IngestRun {run_id, method, fingerprint, files, loaded, rejected, <table>_read|_loaded|_rejected,
                 timings (JSON), started_at, finished_at, data_dir, mapping})   one per run

Unknown extra columns become string properties of the row's node (fee
lines: of INCLUDES; identifiers: of HAS_IDENTIFIER). Claims are immutable
once loaded: a claim already in the store is skipped whole, with its lines.
``labels.csv`` (ground truth) is read and counted but never loaded.
"""

from ringscope.ingest.checking import FileReport, check_directory
from ringscope.ingest.job import IngestOptions, IngestReport, fingerprint, ingest_directory
from ringscope.ingest.mapping import Mapping, load_mapping

__all__ = ["IngestOptions", "IngestReport", "FileReport", "ingest_directory", "check_directory", "fingerprint",
           "Mapping", "load_mapping"]
