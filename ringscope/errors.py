"""One base exception, so the command line can turn any failure into one line.

Each subclass carries the exit status the data contract gives it: 2 for a
refused request (a write in the read-only console, a bad argument), 1 for any
other failure. Messages name the offending value and never carry claims data.
"""

from __future__ import annotations

__all__ = [
    "RingscopeError",
    "ConfigError",
    "ServerError",
    "QueryError",
    "WriteRefused",
    "InputError",
]


class RingscopeError(Exception):
    """Base of every error ringscope raises on purpose."""

    exit_code = 1


class ConfigError(RingscopeError):
    """A setting or argument has a value ringscope cannot use."""

    exit_code = 2


class ServerError(RingscopeError):
    """The embedded Neo4j could not be built, started, reached or stopped."""


class QueryError(RingscopeError):
    """A named Cypher query failed; carries the query name and parameter names."""

    def __init__(self, query_name: str, message: str, parameter_names: tuple[str, ...] = ()):
        self.query_name = query_name
        self.parameter_names = parameter_names
        params = f" (parameters: {', '.join(parameter_names)})" if parameter_names else ""
        super().__init__(f"query {query_name!r} failed{params}: {message}")


class WriteRefused(RingscopeError):
    """The read-only console was asked to run a query that could write."""

    exit_code = 2


class InputError(RingscopeError):
    """An input file breaks the data contract in a way that stops the run."""

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None, value: object = None):
        self.file, self.row, self.column, self.value = file, row, column, value
        where = ", ".join(
            part for part in (
                f"file {file}" if file else "",
                f"row {row}" if row is not None else "",
                f"column {column}" if column else "",
                f"value {value!r}" if value is not None else "",
            ) if part
        )
        super().__init__(f"{where}: {message}" if where else message)
