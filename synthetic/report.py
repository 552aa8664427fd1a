"""Markdown tables of what a generated extract holds (rings per typology, traps).

Used by the benchmark, by ``ringscope generate --describe`` and to write the
tables of ``README.md``, so the documentation is produced from real runs.
"""

from __future__ import annotations

from collections import defaultdict

from ringscope.synthetic.generator import GenerationSummary
from ringscope.synthetic.knobs import TYPOLOGIES

__all__ = ["ring_table", "trap_table"]


def ring_table(summary: GenerationSummary) -> str:
    """Per typology: rings, persons per ring, intensities, claims and fund money."""
    by_type = defaultdict(list)
    for fact in summary.ring_facts:
        by_type[fact.typology].append(fact)
    lines = ["| typology | rings | persons per ring | practitioners | facilities | intensities | claims | fund paid (yuan) |",
             "|---|---:|---|---:|---:|---|---:|---:|"]
    for typology in TYPOLOGIES:
        facts = by_type.get(typology, [])
        if not facts:
            lines.append(f"| {typology} | 0 | | | | | | |")
            continue
        sizes = sorted(f.persons for f in facts)
        lines.append(
            f"| {typology} | {len(facts)} | {sizes[0]}–{sizes[-1]} (median {sizes[len(sizes) // 2]}) "
            f"| {sum(f.practitioners for f in facts)} | {sum(f.facilities for f in facts)} "
            f"| {', '.join(str(x) for x in sorted({f.intensity for f in facts}, reverse=True))} "
            f"| {sum(f.claims for f in facts):,} | {sum(f.fund_paid_cents for f in facts) / 100:,.0f} |")
    return "\n".join(lines)


def trap_table(summary: GenerationSummary) -> str:
    """Per honest look-alike: groups, persons and claims."""
    lines = ["| trap | groups | persons | claims |", "|---|---:|---:|---:|"]
    for name, entry in summary.trap_facts.items():
        groups = entry.get("groups")
        claims = entry.get("claims")
        lines.append(f"| {name} | {'' if not groups else f'{groups:,}'} | {entry.get('persons', 0):,} "
                     f"| {'' if claims is None else f'{claims:,}'} |")
    return "\n".join(lines)
