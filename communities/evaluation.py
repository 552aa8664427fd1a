"""Measuring a detection run against ground truth (``labels.csv``).

Rules (issue 7): a ring is *flagged* when its score is >= ``FLAG_SCORE``.
A flagged ring matches a planted ring when the Jaccard similarity of their
member sets (``entity_type:entity_id``) is >= ``MATCH_JACCARD`` and, for the
typology-aware figures, the typologies agree. Matching is one-to-one
(greedy by Jaccard, highest first), so a second flagged ring on the same
planted ring counts against precision. Typology-blind figures match on
members only; typology accuracy is the share of blind matches whose
typology is right. Entity-level figures compare the union of flagged
members with the union of planted members. ``flagged_per_100k`` divides the
number of flagged rings by the number of persons (``--persons`` or
``persons.csv`` beside the labels).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from ringscope.communities.stats import jaccard
from ringscope.errors import InputError

__all__ = ["Evaluation", "evaluate_rings", "evaluate_dir", "format_table", "matched_planted", "FLAG_SCORE",
           "MATCH_JACCARD"]

FLAG_SCORE = 0.5
MATCH_JACCARD = 0.5


@dataclass
class Evaluation:
    planted: int
    flagged: int
    matched: int
    precision: float
    recall: float
    f1: float
    blind_matched: int
    blind_precision: float
    blind_recall: float
    blind_f1: float
    typology_accuracy: float
    recall_by_typology: dict[str, float] = field(default_factory=dict)
    entity_precision: float = 0.0
    entity_recall: float = 0.0
    persons: int = 0
    flagged_per_100k: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _sets(members: pd.DataFrame, key: str) -> dict[str, frozenset[str]]:
    keys = members["entity_type"].astype(str) + ":" + members["entity_id"].astype(str)
    return {rid: frozenset(group) for rid, group in keys.groupby(members[key])}


def _match(found: dict[str, frozenset], truth: dict[str, frozenset], allowed) -> list[tuple[str, str, float]]:
    index: dict[str, set[str]] = {}
    for tid, members in truth.items():
        for m in members:
            index.setdefault(m, set()).add(tid)
    pairs = []
    for fid, members in found.items():
        for tid in {t for m in members for t in index.get(m, ())}:
            if not allowed(fid, tid):
                continue
            j = jaccard(members, truth[tid])
            if j >= MATCH_JACCARD:
                pairs.append((j, fid, tid))
    used_f, used_t, out = set(), set(), []
    for j, fid, tid in sorted(pairs, key=lambda x: (-x[0], x[1], x[2])):
        if fid not in used_f and tid not in used_t:
            used_f.add(fid), used_t.add(tid)
            out.append((fid, tid, j))
    return out


def evaluate_rings(rings: pd.DataFrame, members: pd.DataFrame, labels: pd.DataFrame, *,
                   persons: int = 0) -> Evaluation:
    """Figures for rings (``rings.csv``) and members (``ring_members.csv``) against ``labels``.

    Examples
    --------
    >>> labels = pd.DataFrame({"ring_id": ["T"] * 2, "typology": ["card_lending"] * 2,
    ...                        "entity_type": ["person"] * 2, "entity_id": ["a", "b"]})
    >>> rings = pd.DataFrame({"ring_id": ["R"], "typology": ["card_lending"], "score": [0.9]})
    >>> members = pd.DataFrame({"ring_id": ["R"] * 2, "entity_type": ["person"] * 2, "entity_id": ["a", "b"]})
    >>> evaluate_rings(rings, members, labels, persons=100_000).f1
    1.0
    """
    found, truth, found_typ, truth_typ = _flagged_and_planted(rings, members, labels)
    aware = _typology_matches(found, truth, found_typ, truth_typ)
    blind = _match(found, truth, lambda f, t: True)
    nf, nt = len(found), len(truth)
    p, r = (len(aware) / nf if nf else 0.0), (len(aware) / nt if nt else 0.0)
    bp, br = (len(blind) / nf if nf else 0.0), (len(blind) / nt if nt else 0.0)
    hit = {t for _, t, _ in aware}
    by_typ = {typ: round(sum(1 for t in ids if t in hit) / len(ids), 4)
              for typ, ids in pd.Series(list(truth_typ)).groupby(pd.Series(list(truth_typ.values()))).agg(list).items()}
    planted_entities = set().union(*truth.values()) if truth else set()
    flagged_entities = set().union(*found.values()) if found else set()
    both = len(planted_entities & flagged_entities)
    return Evaluation(
        planted=nt, flagged=nf, matched=len(aware), precision=round(p, 4), recall=round(r, 4),
        f1=round(_f1(p, r), 4), blind_matched=len(blind), blind_precision=round(bp, 4),
        blind_recall=round(br, 4), blind_f1=round(_f1(bp, br), 4),
        typology_accuracy=round(sum(found_typ[f] == truth_typ[t] for f, t, _ in blind) / len(blind), 4) if blind else 0.0,
        recall_by_typology=by_typ,
        entity_precision=round(both / len(flagged_entities), 4) if flagged_entities else 0.0,
        entity_recall=round(both / len(planted_entities), 4) if planted_entities else 0.0,
        persons=persons, flagged_per_100k=round(nf * 100_000 / persons, 3) if persons else 0.0)


def matched_planted(rings: pd.DataFrame, members: pd.DataFrame, labels: pd.DataFrame) -> set[str]:
    """The planted rings (ids in ``labels``) that a flagged ring matches, typology and all: the
    rings :func:`evaluate_rings` counts as recalled, for figures it does not break down by."""
    return {t for _, t, _ in _typology_matches(*_flagged_and_planted(rings, members, labels))}


def _typology_matches(found, truth, found_typ, truth_typ) -> list[tuple[str, str, float]]:
    """One-to-one matches of flagged and planted rings of the same typology."""
    return _match(found, truth, lambda f, t: found_typ[f] == truth_typ[t])


def _flagged_and_planted(rings: pd.DataFrame, members: pd.DataFrame, labels: pd.DataFrame):
    """Member sets of the flagged rings and of the planted ones, and the typology of each."""
    flagged = rings[rings["score"].astype(float) >= FLAG_SCORE]
    found = {k: v for k, v in _sets(members, "ring_id").items() if k in set(flagged["ring_id"])}
    truth = _sets(labels, "ring_id") if len(labels) else {}
    found_typ = dict(zip(flagged["ring_id"], flagged["typology"]))
    truth_typ = labels.drop_duplicates("ring_id").set_index("ring_id")["typology"].to_dict() if len(labels) else {}
    return found, truth, found_typ, truth_typ


def _read(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def evaluate_dir(truth: str | Path, out_dir: str | Path, *, persons: int | None = None) -> Evaluation:
    """Evaluate ``OUT_DIR/rings.csv`` and ``OUT_DIR/ring_members.csv`` against ``truth`` (labels.csv).

    Persons are counted from ``persons.csv`` next to the labels unless given.
    """
    truth, out_dir = Path(truth), Path(out_dir)
    labels = _read(truth)
    missing = {"ring_id", "typology", "entity_type", "entity_id"} - set(labels.columns)
    if missing:
        raise InputError("labels lack required columns", file=str(truth), column=", ".join(sorted(missing)))
    if persons is None:
        people = truth.parent / "persons.csv"
        persons = 0
        if people.is_file():
            with people.open(encoding="utf-8") as handle:
                persons = sum(1 for _ in handle) - 1
    return evaluate_rings(_read(out_dir / "rings.csv"), _read(out_dir / "ring_members.csv"), labels,
                          persons=persons)


def format_table(results: dict[str, Evaluation]) -> str:
    """A plain-text table, one column per named evaluation."""
    names = list(results)
    rows = ["planted", "flagged", "matched", "precision", "recall", "f1", "blind_precision", "blind_recall",
            "blind_f1", "typology_accuracy", "entity_precision", "entity_recall", "flagged_per_100k"]
    typologies = sorted({t for e in results.values() for t in e.recall_by_typology})
    width = max(12, *(len(n) for n in names)) + 2
    lines = ["metric".ljust(26) + "".join(n.rjust(width) for n in names)]
    for row in rows:
        lines.append(row.ljust(26) + "".join(str(getattr(results[n], row)).rjust(width) for n in names))
    for typ in typologies:
        lines.append(f"recall[{typ}]".ljust(26) + "".join(
            str(results[n].recall_by_typology.get(typ, "-")).rjust(width) for n in names))
    return "\n".join(lines)
