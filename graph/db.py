"""The one way into Neo4j: a query runner over named ``cypher/*.cypher`` files.

Only this module creates a driver or opens a session. Every query has a name,
is tagged with ``{"app": "ringscope-<version>", "query": name}`` in the
transaction metadata (so a DBA sees who ran what in ``SHOW TRANSACTIONS``),
receives values only as ``$parameters``, and fails as a ``QueryError`` that
names the query and its parameter names but never the values (claims data).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Mapping

import neo4j
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable

from ringscope import __version__
from ringscope.cypher import load, statements
from ringscope.errors import QueryError, ServerError
from ringscope.settings import Settings, load_settings

__all__ = ["QueryRunner", "Explained", "connect", "bolt_answers", "APP_TAG"]

APP_TAG = f"ringscope-{__version__}"
_schema_applied: set[tuple[str, str]] = set()


def _batches(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _query_error(name: str, error: Exception, params: Mapping[str, Any]) -> QueryError:
    """The driver's failure as a ``QueryError``: the Neo4j code and message, parameter names only."""
    code = getattr(error, "code", None) or type(error).__name__
    message = getattr(error, "message", None) or str(error)
    return QueryError(name, f"{code}: {message}", tuple(sorted(params)))


@dataclass(frozen=True)
class Explained:
    """What ``EXPLAIN`` says about a query: its type (r, rw, w, s) and plan operators."""

    query_type: str
    operators: frozenset[str]


def _operators(plan: Mapping[str, Any] | None) -> set[str]:
    if not plan:
        return set()
    found = {str(plan.get("operatorType", "")).split("@")[0]}
    for child in plan.get("children", []):
        found |= _operators(child)
    return found


class QueryRunner:
    """Runs named queries on one database; build it with :func:`connect`."""

    def __init__(self, driver: neo4j.Driver, database: str = "neo4j"):
        self.driver = driver
        self.database = database

    def __enter__(self) -> "QueryRunner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.driver.close()

    # -- the core -----------------------------------------------------------

    def _execute(self, name: str, text: str, params: Mapping[str, Any], *, write: bool,
                 handle: Callable[[neo4j.Result], Any]) -> Any:
        @neo4j.unit_of_work(metadata={"app": APP_TAG, "query": name})
        def work(tx: neo4j.ManagedTransaction) -> Any:
            return handle(tx.run(text, dict(params)))

        try:
            with self.driver.session(database=self.database) as session:
                return (session.execute_write if write else session.execute_read)(work)
        except (Neo4jError, DriverError) as error:
            raise _query_error(name, error, params) from error

    def read(self, name: str, **params: Any) -> list[neo4j.Record]:
        """Run the read query ``name`` and return all its records."""
        return self._execute(name, load(name), params, write=False, handle=list)

    def write(self, name: str, **params: Any) -> list[neo4j.Record]:
        """Run the write query ``name`` in one transaction and return its records."""
        return self._execute(name, load(name), params, write=True, handle=list)

    def write_batches(self, name: str, rows: Iterable[Mapping[str, Any]], *, batch_size: int = 5000,
                      param: str = "rows", on_batch: Callable[[int], None] | None = None,
                      **params: Any) -> int:
        """Send ``rows`` to the query ``name`` as ``$rows`` in transactions of ``batch_size``.

        Each batch commits on its own, so a run stopped half-way leaves whole
        batches only; the ``MERGE``-based loaders make a re-run complete it.
        """
        text, total = load(name), 0
        for batch in _batches(rows, batch_size):
            self._execute(name, text, {**params, param: batch}, write=True, handle=lambda r: r.consume())
            total += len(batch)
            if on_batch:
                on_batch(len(batch))
        return total

    def stream(self, name: str, *, fetch_size: int = 10_000, **params: Any) -> Iterator[neo4j.Record]:
        """Yield the records of the read query ``name`` without holding them all."""
        text = load(name)
        try:
            with self.driver.session(database=self.database, fetch_size=fetch_size,
                                     default_access_mode=neo4j.READ_ACCESS) as session:
                with session.begin_transaction(metadata={"app": APP_TAG, "query": name}) as tx:
                    yield from tx.run(text, params)
        except (Neo4jError, DriverError) as error:
            raise _query_error(name, error, params) from error

    def apply(self, name: str) -> int:
        """Run every statement of a multi-statement file (the schema), each on its own."""
        parts = statements(name)
        for index, text in enumerate(parts, 1):
            self._execute(f"{name}[{index}]", text, {}, write=True, handle=lambda r: r.consume())
        return len(parts)

    # -- the read-only console's primitives ---------------------------------

    def explain(self, text: str, params: Mapping[str, Any], name: str = "console") -> Explained:
        """Plan a user's query without running it."""
        def handle(result: neo4j.Result) -> Explained:
            summary = result.consume()
            return Explained(summary.query_type or "", frozenset(_operators(summary.plan)))

        return self._execute(name, f"EXPLAIN {text}", params, write=False, handle=handle)

    def read_only(self, text: str, params: Mapping[str, Any], name: str = "console") -> tuple[list[str], list[list[Any]]]:
        """Run a user's query in a READ access-mode transaction; the server refuses any write."""
        try:
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                with session.begin_transaction(metadata={"app": APP_TAG, "query": name}) as tx:
                    result = tx.run(text, dict(params))
                    keys = list(result.keys())
                    rows = [list(record.values()) for record in result]
                    tx.rollback()
                    return keys, rows
        except (Neo4jError, DriverError) as error:
            raise _query_error(name, error, params) from error


def bolt_answers(uri: str, auth: tuple[str, str]) -> bool:
    """Whether a Bolt server answers at ``uri``; a wrong password raises ``AuthError``."""
    try:
        with neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=2) as driver:
            driver.verify_connectivity()
        return True
    except (ServiceUnavailable, OSError):
        return False


def connect(settings: Settings | None = None, *, ensure_schema: bool = True) -> QueryRunner:
    """A runner on the configured database, starting the embedded server if needed.

    With ``NEO4J_URI`` set nothing is started; otherwise the embedded Neo4j under
    ``RINGSCOPE_HOME`` is started (or found running) and waited for. The schema
    is applied once per process and database.
    """
    settings = settings or load_settings()
    if settings.external:
        if not settings.neo4j_password:
            raise ServerError("NEO4J_URI is set but NEO4J_PASSWORD is not")
        uri, auth = settings.neo4j_uri, (settings.neo4j_user, settings.neo4j_password)
    else:
        from ringscope.graph.server import EmbeddedServer

        server = EmbeddedServer(settings)
        server.start()
        uri, auth = server.uri, ("neo4j", server.password())
    driver = neo4j.GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF",
                                        user_agent=APP_TAG)
    try:
        driver.verify_connectivity()
    except (Neo4jError, DriverError) as error:
        driver.close()
        raise ServerError(f"cannot reach Neo4j at {uri}: {error}") from error
    runner = QueryRunner(driver, settings.neo4j_database)
    key = (str(uri), settings.neo4j_database)
    if ensure_schema and key not in _schema_applied:
        runner.apply("schema")
        _schema_applied.add(key)
    return runner
