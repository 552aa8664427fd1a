"""The eight input tables of ``data-contract.md``, as data.

Why a table of specs instead of code per file: reading, validation, reject
files, the mapping and both loaders all walk the same columns, so each fact
(a column's kind, a vocabulary, a key, a foreign key) is written once here.
The order of ``TABLES`` is the load order: a table's foreign keys point only
to tables before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Column", "Table", "TABLES", "TABLES_BY_NAME", "ColumnKind", "ForeignKey"]

#: text, an identifier, a whole number, a decimal, an ISO date, an ISO local
#: time (a date alone means midnight), a 6-digit region code, an identity card.
ColumnKind = str
KINDS = ("text", "int", "decimal", "date", "datetime", "region", "id_card")


@dataclass(frozen=True)
class ForeignKey:
    """``column`` names a row of ``table``; ``when`` limits it to rows whose
    ``when[0]`` column equals ``when[1]`` (identifiers name several tables)."""

    column: str
    table: str
    when: tuple[str, str] | None = None


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind = "text"
    required: bool = False
    vocabulary: tuple[str, ...] = ()
    minimum: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name}: unknown kind {self.kind!r}; known: {', '.join(KINDS)}")


@dataclass(frozen=True)
class Table:
    name: str
    required: bool
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    loaded: bool = True
    rules: tuple[str, ...] = field(default=())

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


_MONEY = {"kind": "decimal", "minimum": 0.0}

TABLES: tuple[Table, ...] = (
    Table("persons", True, (
        Column("person_id", required=True),
        Column("name"),
        Column("id_card", "id_card"),
        Column("gender", vocabulary=("M", "F")),
        Column("birth_date", "date"),
        Column("region_code", "region"),
        Column("insurance_type", vocabulary=("employee", "resident")),
        Column("death_date", "date"),
    ), key=("person_id",)),
    Table("facilities", True, (
        Column("facility_id", required=True),
        Column("name"),
        Column("kind", required=True, vocabulary=("hospital", "clinic", "pharmacy")),
        Column("level", vocabulary=("tertiary", "secondary", "primary")),
        Column("ownership", vocabulary=("public", "private")),
        Column("region_code", "region", required=True),
        Column("address"),
        Column("beds", "int", minimum=0),
    ), key=("facility_id",)),
    Table("practitioners", True, (
        Column("practitioner_id", required=True),
        Column("name"),
        Column("role", required=True, vocabulary=("doctor", "pharmacist")),
        Column("facility_id"),
        Column("department"),
        Column("id_card", "id_card"),
    ), key=("practitioner_id",), foreign_keys=(ForeignKey("facility_id", "facilities"),)),
    Table("claims", True, (
        Column("claim_id", required=True),
        Column("person_id", required=True),
        Column("facility_id", required=True),
        Column("practitioner_id"),
        Column("visit_type", required=True, vocabulary=("outpatient", "inpatient", "pharmacy")),
        Column("settled_at", "datetime", required=True),
        Column("admitted_at", "datetime"),
        Column("discharged_at", "datetime"),
        Column("diagnosis_code"),
        Column("total_amount", required=True, **_MONEY),
        Column("fund_paid", required=True, **_MONEY),
        Column("region_code", "region"),
        Column("auth_method", vocabulary=("card", "e_voucher", "face", "other")),
        Column("device_id"),
    ), key=("claim_id",), foreign_keys=(
        ForeignKey("person_id", "persons"),
        ForeignKey("facility_id", "facilities"),
        ForeignKey("practitioner_id", "practitioners"),
    ), rules=("fund_paid_within_total",)),
    Table("claim_items", False, (
        Column("claim_id", required=True),
        Column("line_no", "int", required=True, minimum=1),
        Column("item_code", required=True),
        Column("item_name"),
        Column("item_type", vocabulary=("drug", "service", "material")),
        Column("quantity", required=True, **_MONEY),
        Column("unit_price", required=True, **_MONEY),
        Column("amount", required=True, **_MONEY),
        Column("practitioner_id"),
        Column("trace_code"),
    ), key=("claim_id", "line_no"), foreign_keys=(
        ForeignKey("claim_id", "claims"),
        ForeignKey("practitioner_id", "practitioners"),
    ), rules=("amount_is_quantity_times_price",)),
    Table("identifiers", False, (
        Column("owner_type", required=True, vocabulary=("person", "practitioner", "facility")),
        Column("owner_id", required=True),
        Column("kind", required=True,
               vocabulary=("phone", "bank_account", "address", "device", "email", "proxy_id_card")),
        Column("value", required=True),
        Column("first_seen", "date"),
        Column("last_seen", "date"),
    ), key=("owner_type", "owner_id", "kind", "value"), foreign_keys=(
        ForeignKey("owner_id", "persons", when=("owner_type", "person")),
        ForeignKey("owner_id", "practitioners", when=("owner_type", "practitioner")),
        ForeignKey("owner_id", "facilities", when=("owner_type", "facility")),
    )),
    Table("purchases", False, (
        Column("facility_id", required=True),
        Column("item_code", required=True),
        Column("purchased_at", "datetime", required=True),
        Column("quantity", required=True, **_MONEY),
        Column("unit_price", **_MONEY),
        Column("supplier"),
    # Two identical deliveries on one day are two records: purchases have no key.
    ), key=(), foreign_keys=(ForeignKey("facility_id", "facilities"),)),
    # Ground truth for evaluation: never loaded, so detection cannot read it.
    Table("labels", False, (
        Column("ring_id", required=True),
        Column("typology", required=True),
        Column("entity_type", required=True),
        Column("entity_id", required=True),
        Column("role"),
    ), key=(), loaded=False),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
