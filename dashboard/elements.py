"""Graph records from Neo4j turned into dash-cytoscape elements, masked for the viewer.

Nodes are keyed by Neo4j ``elementId`` (opaque, so no identifier value travels
as an id); what a node shows is its name, or for an identifier its value
masked by the viewer's role. Styling is by kind (label) and ring role.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ringscope.dashboard.access import mask_for

__all__ = ["node_kind", "node_element", "edge_element", "merge_elements", "STYLESHEET", "ENTITY_KINDS",
           "path_elements"]

#: label -> kind, most specific first (a Doctor is also a Practitioner)
_KIND_OF_LABEL = (
    ("Person", "person"), ("Practitioner", "practitioner"), ("Facility", "facility"),
    ("Phone", "phone"), ("BankAccount", "bank_account"), ("Address", "address"), ("Device", "device"),
    ("Email", "email"), ("IdCard", "id_card"), ("Claim", "claim"), ("Ring", "ring"), ("Item", "item"),
)
ENTITY_KINDS = ("person", "practitioner", "facility")


def node_kind(labels: Iterable[str]) -> str:
    """The app's kind for a node's labels (``other`` when none is known).

    >>> node_kind(["Practitioner", "Doctor"]), node_kind(["Phone"])
    ('practitioner', 'phone')
    """
    present = set(labels)
    return next((kind for label, kind in _KIND_OF_LABEL if label in present), "other")


def node_element(node_id: str, labels: Iterable[str], role: str | None, *, key: str | None = None,
                 name: str | None = None, value: str | None = None, ring_role: str | None = None,
                 classes: str = "") -> dict[str, Any]:
    """One cytoscape node; identifier values are masked for ``role``.

    >>> node_element("n1", ["Item"], "analyst", key="X01", name="阿莫西林胶囊")["data"]["label"]
    '阿莫西林胶囊'
    >>> node_element("n2", ["Phone"], "analyst", value="13800138000")["data"]["label"]
    '13*******00'
    """
    kind = node_kind(labels)
    if kind in ENTITY_KINDS or kind == "item":  # drugs and services reached by expanding a prescriber
        text = name or key or ""
    elif kind == "claim":
        text = key or value or ""
    else:
        text = mask_for(role, kind, value)
    data = {"id": node_id, "label": text, "kind": kind, "key": key or "", "ring_role": ring_role or ""}
    return {"data": data, "classes": " ".join(part for part in (kind, ring_role or "", classes) if part)}


def edge_element(source: str, target: str, relation: str, weight: int = 1) -> dict[str, Any]:
    """One cytoscape edge; the id is derived so the same link is never drawn twice."""
    first, second = sorted((source, target))
    return {"data": {"id": f"{first}|{second}|{relation}", "source": source, "target": target,
                     "relation": relation, "weight": weight}, "classes": relation.lower()}


def merge_elements(current: list[Mapping[str, Any]], extra: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``current`` plus those of ``extra`` whose id is new (an expand adds, never duplicates)."""
    seen = {element["data"]["id"] for element in current}
    merged = [dict(element) for element in current]
    for element in extra:
        if element["data"]["id"] not in seen:
            seen.add(element["data"]["id"])
            merged.append(dict(element))
    return merged


def path_elements(paths: Iterable[Mapping[str, Any]], role: str | None) -> list[dict[str, Any]]:
    """Elements for paths returned as ``{nodes: [...], rels: [...]}`` maps."""
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for path in paths:
        nodes += [node_element(n["id"], n["labels"], role, key=n.get("key"), name=n.get("name"),
                               value=n.get("value")) for n in path["nodes"]]
        edges += [edge_element(r["source"], r["target"], r["type"]) for r in path["rels"]]
    return merge_elements([], nodes + edges)


_COLOURS = {"person": "#1f77b4", "practitioner": "#2ca02c", "facility": "#d62728", "claim": "#7f7f7f",
            "phone": "#ff7f0e", "bank_account": "#9467bd", "address": "#8c564b", "device": "#e377c2",
            "email": "#bcbd22", "id_card": "#17becf", "item": "#9edae5"}
_SHAPES = {"person": "ellipse", "practitioner": "diamond", "facility": "round-rectangle", "claim": "tag"}

STYLESHEET: list[dict[str, Any]] = [
    {"selector": "node", "style": {"label": "data(label)", "font-size": 9, "width": 18, "height": 18,
                                   "background-color": "#aaa", "shape": "triangle"}},
    *({"selector": f".{kind}", "style": {"background-color": colour}} for kind, colour in _COLOURS.items()),
    *({"selector": f".{kind}", "style": {"shape": shape}} for kind, shape in _SHAPES.items()),
    {"selector": ".organiser, .recruiter, .collector, .broker, .hub",
     "style": {"border-width": 3, "border-color": "#000", "width": 28, "height": 28}},
    {"selector": ".expanded", "style": {"opacity": 0.75}},
    {"selector": "edge", "style": {"width": "mapData(weight, 1, 20, 1, 6)", "line-color": "#bbb",
                                   "curve-style": "haystack"}},
    {"selector": ".has_identifier", "style": {"line-style": "dashed", "line-color": "#ff7f0e"}},
    {"selector": ":selected", "style": {"border-width": 4, "border-color": "#f0c000"}},
]
