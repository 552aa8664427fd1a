"""Oracle tests: components and Leiden partitions against networkx on seeded random graphs."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import pytest

from ringscope.communities.partition import components, leiden_communities


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
