"""What a failed start of the embedded Neo4j says: the exception and its cause, not stack frames."""

from __future__ import annotations

from pathlib import Path

from ringscope.graph.server import EmbeddedServer
from ringscope.settings import load_settings

from tests.conftest import embedded_environment


def test_the_log_tail_of_a_failed_start_names_the_exception_and_its_cause(tmp_path: Path):
    server = EmbeddedServer(load_settings(embedded_environment(tmp_path / "home"), settings_file=Path("/nonexistent")))
    server.log_file.parent.mkdir(parents=True, exist_ok=True)
    frames = [f"\tat org.neo4j.kernel.Frame{i}.call(Frame{i}.java:{i})" for i in range(12)]
    server.log_file.write_text("\n".join([
        "ringscope-neo4j starting",
        "Exception in thread \"main\" java.lang.RuntimeException: Error starting Neo4j database server",
        *frames[:6],
        "Caused by: java.io.IOException: No space left on device",
        *frames[6:],
        "\t... 8 more",
    ]), encoding="utf-8")
    tail = server._log_tail()
    assert "No space left on device" in tail and "Error starting Neo4j database server" in tail
    assert "\tat " not in tail and "more" not in tail
