"""Components and Leiden communities on igraph graphs, seeded and self-describing.

Resolution rule (documented, not tuned per data set): Leiden optimises
modularity with the standard configuration null model (resolution 1.0),
run once on the whole graph with igraph's C implementation
(``Graph.community_leiden``, the algorithm of Traag et al. 2019 that
leidenalg also implements; it was 25x faster here than leidenalg's
``find_partition`` on the identifier graph, whose thousands of tiny
components dominate leidenalg's per-call overhead); the labels are kept only
for the connected components larger than ``split_above`` nodes. Small components are kept whole, because
modularity's resolution limit would otherwise cut a genuine small ring in
two; large components are split because a chain of shared identifiers can
join unrelated groups.

Components too light to split are not handed to Leiden at all: merging two
adjacent parts A and B of a component raises modularity by
``w_AB / m - gamma * d_A * d_B / (2 m^2)``, which is positive for every split
of a component of total degree D once ``gamma * D^2 < 8 * m * w_min``
(``d_A * d_B <= D^2 / 4``, ``w_AB >= w_min``, the lightest edge). Such a
component is whole in the best partition of the whole graph (modularity's
resolution limit, Fortunato and Barthelemy 2007), so keeping it whole is exact,
not a heuristic; on an identifier graph it is nearly every component.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import random

import igraph as ig
import numpy as np

__all__ = ["CommunityRun", "components", "leiden_communities", "too_light_to_split", "LEIDEN_RESOLUTION"]

LEIDEN_RESOLUTION = 1.0


@dataclass(frozen=True)
class CommunityRun:
    """A partition of a graph's vertices and how it was made."""

    membership: list[int]
    method: str
    params: dict = field(default_factory=dict)

    @property
    def n_communities(self) -> int:
        return len(set(self.membership))

    def groups(self) -> list[list[int]]:
        """Vertex indices per community, each sorted, communities in label order."""
        found: dict[int, list[int]] = {}
        for vertex, label in enumerate(self.membership):
            found.setdefault(label, []).append(vertex)
        return [found[label] for label in sorted(found)]


def components(graph: ig.Graph) -> CommunityRun:
    """Weakly connected components.

    >>> g = ig.Graph(n=5, edges=[(0, 1), (1, 2), (3, 4)])
    >>> components(g).groups()
    [[0, 1, 2], [3, 4]]
    """
    return CommunityRun(list(graph.connected_components(mode="weak").membership), "components")


def _edge_share(sub: ig.Graph, graph: ig.Graph, weights: str | None) -> float:
    """The share of ``graph``'s edge weight in ``sub``: modularity's null model counts the whole
    graph's weight, so on a subgraph the resolution is scaled by it and the objective is the
    same (``gamma * k_i * k_j / 2m`` unchanged for every pair inside the subgraph)."""
    total = graph.ecount() if weights is None else float(sum(graph.es[weights]))
    part = sub.ecount() if weights is None else float(sum(sub.es[weights]))
    return part / total if total else 1.0


def _leiden_modularity(sub: ig.Graph, graph: ig.Graph, weights: str | None, resolution: float) -> ig.VertexClustering:
    """igraph's Leiden on ``sub`` (a subgraph of ``graph``) for the whole graph's modularity.

    A self-loop (a group contracted to one vertex, its inner ties the loop's weight) is always
    inside its vertex's community, so it adds a constant to modularity and counts only in the
    vertex's strength; igraph's modularity objective weighs loops otherwise, and kept two
    brokers' contracted rings joined by one acquaintance whole (their split scores 0.48 against
    0). So with loops, the same objective is given as CPM: node weights the strengths, loops
    included, at ``resolution / 2m`` of the whole graph's weight ``m``, loops left out as edges.
    """
    loops = np.flatnonzero(sub.is_loop()).tolist()
    if not loops:
        return sub.community_leiden(objective_function="modularity", weights=weights,
                                    resolution=resolution * _edge_share(sub, graph, weights), n_iterations=2)
    total = graph.ecount() if weights is None else float(sum(graph.es[weights]))
    strength = sub.strength(weights=weights)
    plain = sub.copy()
    plain.delete_edges(loops)
    return plain.community_leiden(objective_function="CPM", weights=weights, node_weights=strength,
                                  resolution=resolution / (2 * total), n_iterations=2)


def too_light_to_split(graph: ig.Graph, membership: np.ndarray, weights: str | None,
                       resolution: float) -> np.ndarray:
    """Per component: True where no split can raise the whole graph's modularity (see the
    module docstring), so the component is one community of the best partition.

    >>> two_triangles = ig.Graph.Full(3) + ig.Graph.Full(3)
    >>> too_light_to_split(two_triangles, np.array([0, 0, 0, 1, 1, 1]), None, 1.0).tolist()
    [True, True]
    >>> barbell = ig.Graph.Full(4) + ig.Graph.Full(4)
    >>> _ = barbell.add_edge(0, 4)
    >>> too_light_to_split(barbell, np.zeros(8, dtype=int), None, 1.0).tolist()
    [False]
    """
    n_components = int(membership.max()) + 1 if len(membership) else 0
    w = np.ones(graph.ecount()) if weights is None else np.asarray(graph.es[weights], dtype=float)
    if not graph.ecount() or (w <= 0).any():
        return np.zeros(n_components, dtype=bool)  # the bound needs positive weights
    volume = np.bincount(membership, weights=np.asarray(graph.strength(weights=weights), dtype=float),
                         minlength=n_components)
    return resolution * volume ** 2 < 8.0 * w.sum() * w.min()


def leiden_communities(graph: ig.Graph, *, weights: str | None = "weight", seed: int = 0,
                       resolution: float = LEIDEN_RESOLUTION, split_above: int = 12,
                       sizes: np.ndarray | None = None) -> CommunityRun:
    """Leiden (modularity, configuration model) inside each component bigger than ``split_above``.

    Parameters
    ----------
    graph : igraph.Graph
        Undirected graph; ``weights`` names an edge attribute or is ``None``.
    seed : int
        Seed of Leiden's random moves; the same seed gives the same partition.
    resolution : float
        Must be > 0.
    split_above : int
        Components with at most this many vertices are returned whole, as are those that no
        split can improve (``too_light_to_split``).
    sizes : array of int, optional
        How many members each vertex stands for (a group contracted to one vertex, its inner
        edges a weighted loop), counted instead of vertices against ``split_above``.

    Returns
    -------
    CommunityRun
        Labels numbered from 0 in order of each community's smallest vertex.

    Examples
    --------
    >>> g = ig.Graph.Full(4) + ig.Graph.Full(4)
    >>> _ = g.add_edge(0, 4)
    >>> leiden_communities(g, weights=None, seed=1, split_above=3).n_communities
    2
    """
    if resolution <= 0:
        raise ValueError(f"resolution must be > 0, got {resolution}")
    if weights is not None and weights not in graph.es.attributes():
        raise ValueError(f"edge attribute {weights!r} not on the graph; has {graph.es.attributes()}")
    membership = np.asarray(graph.connected_components(mode="weak").membership, dtype=np.int64)
    members = np.bincount(membership, weights=sizes) if len(membership) else np.zeros(0, dtype=np.int64)
    whole = (members <= split_above) | too_light_to_split(graph, membership, weights, resolution)
    small = whole[membership] if len(membership) else np.zeros(0, dtype=bool)
    labels = membership.copy()
    if len(membership) and not small.all():
        # igraph's own Leiden (C core; the same algorithm as leidenalg, modularity with a
        # resolution), once, on the large components together: communities never span
        # components, one subgraph is far cheaper than one per component, and the small
        # components (most of an identifier graph) cost Leiden's moves for nothing
        large = np.flatnonzero(~small)
        sub = graph if len(large) == graph.vcount() else graph.induced_subgraph(large.tolist())
        ig.set_random_number_generator(random.Random(seed))
        try:
            found = _leiden_modularity(sub, graph, weights, resolution)
        finally:
            ig.set_random_number_generator(random)  # igraph's default generator
        # small components stay whole (component labels), large ones take Leiden's labels after them
        labels[large] = len(members) + np.asarray(found.membership, dtype=np.int64)
    labels = labels.tolist()
    order = {}
    for label in labels:
        order.setdefault(label, len(order))
    return CommunityRun([order[label] for label in labels], "leiden",
                        {"resolution": resolution, "seed": seed, "split_above": split_above,
                         "weights": weights, "quality": "modularity"})
