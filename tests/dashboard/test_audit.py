"""The audit chain: hashes link, tampering is found and named, in Neo4j and the JSONL mirror."""

from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner

from ringscope.cli import main
from ringscope.dashboard.audit import (GENESIS, AuditEntry, check_chain, entry_hash, mirror_path, recent,
                                       record, verify)
from ringscope.errors import RingscopeError


def _chain(n: int) -> list[AuditEntry]:
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        fields = dict(seq=seq, at=f"2024-01-01T00:00:{seq:02d}", user="wang", action="reveal", target=f"P{seq}",
                      detail='{"reason":"x"}', prev_hash=prev)
        entry = AuditEntry(**fields, hash=entry_hash(**fields))
        entries.append(entry)
        prev = entry.hash
    return entries


def test_audi001_intact_chain_holds():
    assert check_chain(_chain(5)).ok and check_chain(_chain(5)).entries == 5


@pytest.mark.parametrize("change,seq,reason", [
    (lambda e: e.__setitem__(2, dataclasses.replace(e[2], target="P99")), 3, "content"),
    (lambda e: e.pop(1), 3, "expected entry 2"),
    (lambda e: e.__setitem__(3, dataclasses.replace(e[3], prev_hash=GENESIS)), 4, "prev_hash")])
def test_audi002_tampering_named(change, seq, reason):
    entries = _chain(6)
    change(entries)
    check = check_chain(entries)
    assert check.broken_seq == seq and reason in check.reason


def test_audi003_unknown_action_refused(tmp_path):
    with pytest.raises(RingscopeError, match="'delete_everything'"):
        record(None, None, "wang", "delete_everything")


@pytest.mark.neo4j
def test_audi004_recorded_in_neo4j_and_mirror(runner, settings, tmp_path):
    local = dataclasses.replace(settings, home=tmp_path)
    first = record(runner, local, "wang", "login", "wang")
    second = record(runner, local, "wang", "reveal", "person:P1", {"reason": "核实", "field": "id_card"})
    assert second.prev_hash == first.hash and second.seq == first.seq + 1
    assert [e.seq for e in recent(runner, user="wang", limit=5)][:2] == [second.seq, first.seq]
    assert verify(runner, local).ok
    lines = mirror_path(local).read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["detail"] == second.detail
    tampered = json.loads(lines[0])
    tampered["user"] = "someone else"
    mirror_path(local).write_text("\n".join([json.dumps(tampered), *lines[1:]]) + "\n", encoding="utf-8")
    check = verify(runner, local)
    assert check.broken_seq == first.seq and "mirror" in check.reason


@pytest.mark.neo4j
def test_audi005_cli_verify(runner, settings, neo4j_env):
    mirror = mirror_path(settings)
    mirror.unlink(missing_ok=True)
    runner.write("admin_wipe_batch", limit=100_000)
    for n in range(3):
        record(runner, settings, "cli", "export", f"R{n}")
    ok = CliRunner().invoke(main, ["audit", "verify"], env=neo4j_env)
    assert ok.exit_code == 0 and "3 entries" in ok.output, ok.output
    mirror.write_text("\n".join(mirror.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8")
    broken = CliRunner().invoke(main, ["audit", "verify"], env=neo4j_env)
    assert broken.exit_code == 1 and "entry 3" in broken.output, broken.output
    mirror.unlink()
