"""The peer method: Neo4j's GDS fraud-guide recipe, on the same tables.

As published in the GDS fraud guides (reproduced here with igraph on the
same frames, so that both methods see identical input; GDS itself runs in
the embedded server on request, see ``benchmarks/gds_community.py``):
persons linked by any shared identifier (phone, account, device, e-mail,
address, and the devices on their claims) held by at most
``GENERIC_IDENTIFIER_HOLDERS`` persons; weakly connected components of that graph; Jaccard
node similarity of persons' identifier sets as edge weights; weighted degree
per person; a component's score is its members' highest weighted degree;
the top ``top_share`` (5%) of components with two or more persons are
flagged. The guide has no typology, so flagged components are labelled
``card_lending`` (its nearest fit) and typology-blind figures are the fair
comparison.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ringscope.communities.context import GENERIC_IDENTIFIER_HOLDERS
from ringscope.communities.tables import Tables

__all__ = ["gds_guide_rings"]


def _links(tables: Tables) -> pd.DataFrame:
    parts = []
    if tables.identifiers is not None and not tables.identifiers.empty:
        ids = tables.identifiers[tables.identifiers["owner_type"] == "person"]
        parts.append(pd.DataFrame({"person_id": ids["owner_id"], "node": ids["kind"].astype("string") + ":" + ids["value"]}))
    claims = tables.claims.dropna(subset=["device_id"])
    parts.append(pd.DataFrame({"person_id": claims["person_id"], "node": "device:" + claims["device_id"]}))
    return pd.concat(parts, ignore_index=True).dropna().drop_duplicates()


def gds_guide_rings(tables: Tables, *, top_share: float = 0.05) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(rings, members)`` frames shaped like ``rings.csv`` / ``ring_members.csv``.

    Examples
    --------
    >>> from ringscope.communities.tables import normalise
    >>> ids = normalise("identifiers", pd.DataFrame({"owner_type": ["person"] * 2, "owner_id": ["a", "b"],
    ...                                              "kind": ["phone"] * 2, "value": ["1", "1"]}))
    >>> t = Tables.empty(); t.identifiers = ids
    >>> rings, members = gds_guide_rings(t)
    >>> sorted(members["entity_id"])
    ['a', 'b']
    """
    links = _links(tables)
    sizes = links.groupby("node")["person_id"].transform("size")
    # an identifier held by thousands (a hospital's counter terminal) is public, not shared: as in
    # ringscope's own context, and without it the pair table grows with the square of its holders
    links = links[sizes.between(2, GENERIC_IDENTIFIER_HOLDERS)]
    if links.empty:
        return (pd.DataFrame(columns=["ring_id", "typology", "score"]),
                pd.DataFrame(columns=["ring_id", "entity_type", "entity_id"]))
    degree_of = links.groupby("person_id").size()
    pairs = links.merge(links, on="node")
    pairs = pairs[pairs["person_id_x"] < pairs["person_id_y"]]
    shared = pairs.groupby(["person_id_x", "person_id_y"]).size().rename("shared").reset_index()
    union = degree_of.reindex(shared["person_id_x"]).to_numpy() + degree_of.reindex(shared["person_id_y"]).to_numpy()
    shared["jaccard"] = shared["shared"] / (union - shared["shared"])
    import igraph as ig

    names = pd.Index(sorted(set(shared["person_id_x"]) | set(shared["person_id_y"])))
    graph = ig.Graph(n=len(names), edges=list(zip(names.get_indexer(shared["person_id_x"]),
                                                   names.get_indexer(shared["person_id_y"]))))
    strength = np.asarray(graph.strength(weights=shared["jaccard"].tolist()))
    membership = np.asarray(graph.connected_components().membership)
    frame = pd.DataFrame({"person_id": names, "component": membership, "strength": strength})
    comp = frame.groupby("component").agg(score=("strength", "max"), size=("person_id", "size"))
    comp = comp[comp["size"] >= 2].sort_values("score", ascending=False)
    top = comp.head(max(1, int(np.ceil(top_share * len(comp)))))
    rings = pd.DataFrame({"ring_id": [f"GDS-{c}" for c in top.index], "typology": "card_lending", "score": 1.0})
    chosen = frame[frame["component"].isin(top.index)]
    members = pd.DataFrame({"ring_id": "GDS-" + chosen["component"].astype(str), "entity_type": "person",
                            "entity_id": chosen["person_id"]})
    return rings, members
