"""The optional Graph Data Science route: the embedded server started with graph/gds's jars.

GDS is not part of ``make setup``; the server test skips (saying why) unless
``mvn -q -B -f graph/gds/pom.xml package`` has been run.
"""

from __future__ import annotations

from pathlib import Path

import igraph as ig
import pytest

from ringscope.communities.partition import components
from ringscope.errors import ServerError
from ringscope.graph import server as server_module
from ringscope.graph.db import connect
from ringscope.graph.server import GDS_LIB_DIR, EmbeddedServer, launcher_classpath
from ringscope.settings import load_settings

from tests.conftest import embedded_environment

GDS_BUILT = any(GDS_LIB_DIR.glob("opengds-extension-*.jar"))


def test_gds001_classpath_names_the_missing_build(monkeypatch, tmp_path):
    monkeypatch.setattr(server_module, "GDS_LIB_DIR", tmp_path)
    assert str(tmp_path) not in launcher_classpath()
    with pytest.raises(ServerError, match="graph/gds/pom.xml"):
        launcher_classpath(gds=True)
    (tmp_path / "opengds-extension-2.13.9.jar").touch()
    assert launcher_classpath(gds=True).endswith(f"{tmp_path}/*")


@pytest.mark.neo4j
@pytest.mark.slow
@pytest.mark.skipif(not GDS_BUILT, reason="GDS jars not built: run `mvn -q -B -f graph/gds/pom.xml package`")
def test_gds002_wcc_and_louvain_run_in_the_embedded_server(tmp_path):
    # two triangles joined by one edge, and a separate pair: 2 components, Louvain splits the first
    edges = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3), (6, 7)]
    settings = load_settings(embedded_environment(tmp_path), settings_file=Path("/nonexistent"))
    server = EmbeddedServer(settings, gds=True)
    try:
        server.start()
        with connect(settings) as runner:
            runner.apply("gds_schema")
            runner.write_batches("gds_load_vertices", range(8))
            runner.write_batches("gds_load_links", [{"a": a, "b": b} for a, b in edges])
            vertex_of = {r["node_id"]: r["vid"] for r in runner.read("gds_vertex_ids")}
            assert runner.read("gds_project", graph="g")[0]["relationships"] == 2 * len(edges)
            wcc = {vertex_of[r["node_id"]]: r["community"] for r in runner.stream("gds_wcc_stream", graph="g",
                                                                                    concurrency=1)}
            louvain = {vertex_of[r["node_id"]]: r["community"]
                       for r in runner.stream("gds_louvain_stream", graph="g", concurrency=1)}
            runner.read("gds_drop", graph="g")
    finally:
        server.stop()
    ours = components(ig.Graph(n=8, edges=edges)).membership
    same = {(a, b) for a in range(8) for b in range(8) if ours[a] == ours[b]}
    assert {(a, b) for a in range(8) for b in range(8) if wcc[a] == wcc[b]} == same
    assert louvain[0] == louvain[1] == louvain[2] != louvain[3] == louvain[4] == louvain[5] != louvain[6]
