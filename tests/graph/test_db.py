"""The query runner on the real server: tagging, batching, streaming, error naming."""

from __future__ import annotations

import pytest

from ringscope.errors import QueryError
from ringscope.graph.admin import label_counts, wipe_graph

pytestmark = pytest.mark.neo4j


def test_db001_transactions_carry_the_query_name(runner):
    metadata = runner.read("admin_transaction_metadata")[0]["metadata"]
    assert metadata == {"app": metadata["app"], "query": "admin_transaction_metadata"}
    assert metadata["app"].startswith("ringscope-")


def test_db002_write_batches_commits_every_row_once(runner):
    batches: list[int] = []
    written = runner.write_batches("probe_rows_create", ({"n": i} for i in range(2_345)),
                                   batch_size=1_000, on_batch=batches.append)
    assert written == 2_345 and batches == [1_000, 1_000, 345]
    assert sorted(row["n"] for row in runner.read("probe_rows_all")) == list(range(2_345))
    assert sorted(row["n"] for row in runner.stream("probe_rows_all", fetch_size=100)) == list(range(2_345))
    assert label_counts(runner)["Probe"] == 2_345
    assert wipe_graph(runner, batch=1_000) == 2_345
    assert runner.read("probe_rows_all") == []


def test_db003_failures_name_the_query_and_parameters_not_values(runner):
    with pytest.raises(QueryError, match=r"query 'admin_wipe_batch' failed") as caught:
        runner.write("admin_wipe_batch", limit="secret-person-id-410102")
    assert caught.value.query_name == "admin_wipe_batch"
    assert caught.value.parameter_names == ("limit",)
    assert "secret-person-id-410102" not in str(caught.value)
    assert caught.value.__cause__ is not None


def test_db004_stream_failures_are_named_too(runner):
    with pytest.raises(QueryError, match="'admin_wipe_batch'"):
        list(runner.stream("admin_wipe_batch", limit=1))  # a write inside a read transaction
