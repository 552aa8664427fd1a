"""Oracle tests: components and Leiden partitions against networkx on seeded random graphs."""

from __future__ import annotations

import igraph as ig
import numpy as np
import networkx as nx
import pytest

from ringscope.communities.partition import components, leiden_communities, too_light_to_split


def as_sets(groups) -> set[frozenset[int]]:
    return {frozenset(g) for g in groups}


def random_graph(seed: int, n: int = 200, p: float = 0.012):
    g = nx.gnp_random_graph(n, p, seed=seed)
    return g, ig.Graph(n=n, edges=list(g.edges()))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_components_match_networkx_regardless_of_numbering(seed):
    nxg, igg = random_graph(seed)
    assert as_sets(components(igg).groups()) == as_sets(nx.connected_components(nxg))


@pytest.mark.parametrize("seed", [4, 5])
def test_leiden_is_a_partition_inside_components_with_modularity_like_louvain(seed):
    nxg = nx.planted_partition_graph(6, 20, 0.5, 0.01, seed=seed)
    igg = ig.Graph(n=nxg.number_of_nodes(), edges=list(nxg.edges()))
    igg.es["weight"] = [1.0] * igg.ecount()
    run = leiden_communities(igg, seed=seed, split_above=0)
    groups = run.groups()
    assert sorted(v for g in groups for v in g) == list(range(igg.vcount()))
    comp = {v: c for c, members in enumerate(nx.connected_components(nxg)) for v in members}
    assert all(len({comp[v] for v in g}) == 1 for g in groups)
    ours = nx.community.modularity(nxg, [set(g) for g in groups])
    louvain = nx.community.modularity(nxg, nx.community.louvain_communities(nxg, seed=seed))
    assert ours >= louvain - 0.02
    planted = as_sets(nxg.graph["partition"])
    assert as_sets(groups) == planted


def test_same_seed_same_partition_and_small_components_kept_whole():
    igg = ig.Graph.Erdos_Renyi(n=300, p=0.02)
    igg.es["weight"] = [1.0] * igg.ecount()
    a = leiden_communities(igg, seed=11).membership
    assert a == leiden_communities(igg, seed=11).membership
    tiny = ig.Graph.Ring(5)
    tiny.es["weight"] = [1.0] * 5
    assert leiden_communities(tiny, seed=1, split_above=12).n_communities == 1


@pytest.mark.parametrize("bad, match", [({"resolution": -1.0}, "resolution must be > 0, got -1.0"),
                                        ({"weights": "nope"}, "edge attribute 'nope'")])
def test_bad_arguments_name_the_value(bad, match):
    with pytest.raises(ValueError, match=match):
        leiden_communities(ig.Graph.Ring(4), **bad)


def test_leiden_on_the_large_components_alone_keeps_the_whole_graph_objective():
    """Leiden runs only on components above ``split_above``, but modularity's null model is the
    whole graph's: two triangles joined by one edge, beside 200 pairs, are one community of the
    graph (as Leiden on every component finds), though on their own they would split in two."""
    edges = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]
    edges += [(6 + 2 * i, 7 + 2 * i) for i in range(200)]
    graph = ig.Graph(n=406, edges=edges)
    alone = ig.Graph(n=6, edges=edges[:7])
    assert len(set(alone.community_leiden(objective_function="modularity", n_iterations=2).membership)) == 2
    for split_above in (0, 3):
        run = leiden_communities(graph, weights=None, seed=1, split_above=split_above)
        assert len({run.membership[v] for v in range(6)}) == 1, split_above
    assert leiden_communities(graph, weights=None, seed=1, split_above=3).n_communities == 201


def set_partitions(items):
    """Every partition of a short list (Bell(7) = 877 for seven vertices)."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in set_partitions(rest):
        yield [[first]] + partition
        for i in range(len(partition)):
            yield partition[:i] + [[first] + partition[i]] + partition[i + 1:]


@pytest.mark.parametrize("seed", [6, 7, 8])
def test_a_component_too_light_to_split_is_whole_in_the_best_partition(seed):
    """The bound is exact: for every component it calls too light, no partition of that component
    (the rest of the graph whole) has higher modularity than the component whole, by brute force
    over weighted random components sized so that some sit either side of the bound."""
    rng = np.random.default_rng(seed)
    nxg, offset = nx.Graph(), 0
    for _ in range(5):
        size = int(rng.integers(3, 8))
        piece = nx.connected_watts_strogatz_graph(size, 2, 0.5, seed=int(rng.integers(1 << 30)))
        nxg.add_weighted_edges_from((offset + a, offset + b, float(rng.uniform(0.5, 3.0))) for a, b in piece.edges())
        offset += size
    igg = ig.Graph(n=offset, edges=list(nxg.edges()))
    igg.es["weight"] = [nxg.edges[e]["weight"] for e in nxg.edges()]
    membership = np.asarray(igg.connected_components().membership)
    light = too_light_to_split(igg, membership, "weight", 1.0)
    others = lambda c: [set(np.flatnonzero(membership == o).tolist()) for o in range(len(light)) if o != c]
    checked = 0
    for c in np.flatnonzero(light):
        whole = nx.community.modularity(nxg, others(c) + [set(np.flatnonzero(membership == c).tolist())])
        for split in set_partitions(np.flatnonzero(membership == c).tolist()):
            assert nx.community.modularity(nxg, others(c) + [set(p) for p in split]) <= whole + 1e-12
        checked += 1
    assert checked and not light.all()
    run = leiden_communities(igg, seed=seed, split_above=0)
    assert all(len({run.membership[v] for v in np.flatnonzero(membership == c)}) == 1 for c in np.flatnonzero(light))


def test_groups_contracted_to_one_vertex_split_where_modularity_says():
    """Two groups contracted to one vertex each (their inner ties a loop's weight) joined through
    one vertex between them: the best partition, checked with networkx's modularity over every
    way of cutting the path, keeps the middle vertex with one group and parts the groups."""
    igg = ig.Graph(n=3, edges=[(0, 0), (0, 1), (1, 2), (2, 2)])
    igg.es["weight"] = [28.0, 1.0, 1.0, 28.0]
    run = leiden_communities(igg, seed=1, split_above=2, sizes=np.array([14, 1, 14]))
    nxg = nx.MultiGraph()
    nxg.add_weighted_edges_from([(0, 0, 28.0), (0, 1, 1.0), (1, 2, 1.0), (2, 2, 28.0)])
    cuts = [[{0, 1, 2}], [{0, 1}, {2}], [{0}, {1, 2}], [{0}, {1}, {2}]]
    best = max(nx.community.modularity(nxg, cut) for cut in cuts)
    assert run.n_communities == 2
    assert nx.community.modularity(nxg, [set(g) for g in run.groups()]) == pytest.approx(best)


def test_a_component_of_few_vertices_standing_for_many_members_is_split():
    """``sizes`` counts members, not vertices, against ``split_above``: two contracted groups of
    fourteen and a go-between are 29 members, not three vertices."""
    igg = ig.Graph(n=3, edges=[(0, 0), (0, 1), (1, 2), (2, 2)])
    igg.es["weight"] = [28.0, 1.0, 1.0, 28.0]
    assert leiden_communities(igg, seed=1, split_above=12).n_communities == 1
    assert leiden_communities(igg, seed=1, split_above=12, sizes=np.array([14, 1, 14])).n_communities == 2
