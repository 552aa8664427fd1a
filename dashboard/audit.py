"""The append-only audit trail: every login, reveal, decision, download and export.

Each entry carries the SHA-256 of the entry before it, so changing or removing
any entry breaks every hash after it. Entries live in Neo4j as
``(:AuditEntry {seq, ...})`` and are mirrored line by line to
``RINGSCOPE_HOME/audit/audit.jsonl``; :func:`verify` checks both and names
the first entry that does not hold.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping

from neo4j.exceptions import ConstraintError

from ringscope.errors import QueryError, RingscopeError
from ringscope.graph.db import QueryRunner
from ringscope.settings import Settings

__all__ = ["AuditEntry", "AuditCheck", "ACTIONS", "GENESIS", "entry_hash", "record", "recent", "verify",
           "check_chain", "mirror_path"]

GENESIS = "0" * 64
ACTIONS = ("login", "login_failed", "logout", "reveal", "decision", "download", "export", "user_add")
_ATTEMPTS = 8
_lock = threading.Lock()


@dataclass(frozen=True)
class AuditEntry:
    """One line of the trail; ``detail`` is canonical JSON text."""

    seq: int
    at: str
    user: str
    action: str
    target: str
    detail: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditCheck:
    """What :func:`verify` found: how many entries held, and the first that did not."""

    entries: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def entry_hash(seq: int, at: str, user: str, action: str, target: str, detail: str, prev_hash: str) -> str:
    """SHA-256 over the entry's fields and the previous entry's hash, as canonical JSON."""
    payload = json.dumps([seq, at, user, action, target, detail, prev_hash], ensure_ascii=False,
                         separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def mirror_path(settings: Settings) -> Path:
    """Where the JSONL copy of the trail lives."""
    return settings.home / "audit" / "audit.jsonl"


def _is_conflict(error: QueryError) -> bool:
    return isinstance(error.__cause__, ConstraintError)


def record(runner: QueryRunner, settings: Settings, user: str, action: str, target: str = "",
           detail: Mapping[str, Any] | None = None) -> AuditEntry:
    """Append one entry to the chain in Neo4j, then to the JSONL mirror."""
    if action not in ACTIONS:
        raise RingscopeError(f"unknown audit action {action!r}; actions are {', '.join(ACTIONS)}")
    text = json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with _lock:
        for _ in range(_ATTEMPTS):
            last = runner.read("audit_last")
            seq, prev = (last[0]["seq"] + 1, last[0]["hash"]) if last else (1, GENESIS)
            at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
            entry = AuditEntry(seq, at, user, action, target, text, prev,
                               entry_hash(seq, at, user, action, target, text, prev))
            try:
                written = runner.write("audit_append", **asdict(entry))
            except QueryError as error:
                if not _is_conflict(error):
                    raise
                written = []
            if written:
                _mirror(settings, entry)
                return entry
    raise RingscopeError(f"audit trail busy: could not append a {action!r} entry after {_ATTEMPTS} tries")


def _mirror(settings: Settings, entry: AuditEntry) -> None:
    path = mirror_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True) + "\n")


def _entry(row: Mapping[str, Any]) -> AuditEntry:
    return AuditEntry(**{name: row[name] for name in AuditEntry.__dataclass_fields__})


def recent(runner: QueryRunner, *, user: str | None = None, target: str | None = None,
           limit: int = 200) -> list[AuditEntry]:
    """The newest entries first, optionally only one user's or about one target."""
    return [_entry(row) for row in runner.read("audit_recent", user=user, target=target, limit=limit)]


def check_chain(entries: Iterable[AuditEntry]) -> AuditCheck:
    """Check sequence numbers, links and hashes; the first failure is named."""
    prev, count = GENESIS, 0
    for expected_seq, entry in enumerate(entries, 1):
        if entry.seq != expected_seq:
            return AuditCheck(count, entry.seq, f"expected entry {expected_seq}, found {entry.seq}")
        if entry.prev_hash != prev:
            return AuditCheck(count, entry.seq, "prev_hash does not match the previous entry's hash")
        fields = asdict(entry)
        fields.pop("hash")
        if entry_hash(**fields) != entry.hash:
            return AuditCheck(count, entry.seq, "hash does not match the entry's content")
        prev, count = entry.hash, count + 1
    return AuditCheck(count)


def _mirror_entries(path: Path) -> list[AuditEntry]:
    if not path.is_file():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            entries.append(_entry(json.loads(line)))
        except (ValueError, KeyError, TypeError) as error:
            raise RingscopeError(f"{path}: line {number} is not an audit entry ({error})") from error
    return entries


def verify(runner: QueryRunner, settings: Settings) -> AuditCheck:
    """Check the chain in Neo4j, then that the JSONL mirror holds the same entries."""
    stored = [_entry(row) for row in runner.stream("audit_all")]
    check = check_chain(stored)
    if not check.ok:
        return check
    mirror = _mirror_entries(mirror_path(settings))
    for entry, copy in zip(stored, mirror):
        if entry != copy:
            return AuditCheck(check.entries, entry.seq, "the JSONL mirror differs from Neo4j at this entry")
    if len(mirror) != len(stored):
        first = min(len(mirror), len(stored)) + 1
        where = "JSONL mirror" if len(mirror) < len(stored) else "Neo4j"
        return AuditCheck(check.entries, first, f"entry missing from the {where}")
    return check
