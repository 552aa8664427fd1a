"""Declarative mappings from a local system's field names and codes to the contract.

Why data, not code: each fund's extract names things its own way, and the
people who know those names are not the people who write Python. A mapping is
a TOML (or JSON) file with ``[columns.TABLE]`` renames, ``[codes.TABLE.COLUMN]``
code lists and optional ``[files]`` stems; ``--mapping national`` picks the
one shipped for the national platform. It is applied before validation, and
rejects are reported under the file's own column names and values.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from ringscope.errors import ConfigError
from ringscope.ingest.contract import TABLES_BY_NAME

__all__ = ["Mapping", "load_mapping", "IDENTITY", "BUILT_IN"]

BUILT_IN = ("national",)


@dataclass(frozen=True)
class Mapping:
    """Renames and recodes per table; the identity mapping when empty."""

    name: str = "contract"
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> contract -> source
    codes: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # table -> column -> code -> value
    files: dict[str, str] = field(default_factory=dict)  # table -> file stem

    def _renames(self, table: str, header: tuple[str, ...]) -> dict[str, str]:
        """source -> contract for the source columns present; a contract name already present wins."""
        present = set(header)
        return {source: contract for contract, source in self.columns.get(table, {}).items()
                if source in present and contract not in present}

    def contract_header(self, table: str, header: tuple[str, ...]) -> tuple[str, ...]:
        renames = self._renames(table, header)
        return tuple(renames.get(name, name) for name in header)

    def source_column(self, table: str, header: tuple[str, ...], contract: str) -> str:
        """The name a contract column has in the file (for messages and rejects)."""
        for source, target in self._renames(table, header).items():
            if target == contract:
                return source
        return contract

    def apply(self, table: str, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with contract names and contract codes."""
        renames = self._renames(table, tuple(frame.columns))
        if not renames and table not in self.codes:
            return frame
        out = frame.rename(columns=renames)
        for column, codes in self.codes.get(table, {}).items():
            if column in out:
                out[column] = out[column].replace(codes)
        return out


IDENTITY = Mapping()


def _check(name: str, raw: dict) -> Mapping:
    unknown_sections = set(raw) - {"columns", "codes", "files"}
    if unknown_sections:
        raise ConfigError(f"mapping {name}: unknown section {sorted(unknown_sections)[0]!r}; "
                          "known: columns, codes, files")
    for section in ("columns", "codes", "files"):
        for table in raw.get(section, {}):
            if table not in TABLES_BY_NAME:
                raise ConfigError(f"mapping {name}: [{section}.{table}] names no table; "
                                  f"tables: {', '.join(TABLES_BY_NAME)}")
    for table, columns in raw.get("columns", {}).items():
        for contract in columns:
            if contract not in TABLES_BY_NAME[table].column_names:
                raise ConfigError(f"mapping {name}: [columns.{table}] {contract!r} is not a column of {table}")
    codes = {table: {column: {str(k): str(v) for k, v in values.items()} for column, values in columns.items()}
             for table, columns in raw.get("codes", {}).items()}
    return Mapping(name, raw.get("columns", {}), codes, raw.get("files", {}))


def load_mapping(spec: str | None) -> Mapping:
    """``None`` (the contract's own names), a built-in name, or a TOML/JSON file."""
    if spec is None or spec == IDENTITY.name:
        return IDENTITY
    if spec in BUILT_IN:
        text = resources.files("ringscope.ingest").joinpath(f"mappings/{spec}.toml").read_text(encoding="utf-8")
        return _check(spec, tomllib.loads(text))
    path = Path(spec)
    if not path.is_file():
        raise ConfigError(f"mapping {spec!r} is neither a built-in ({', '.join(BUILT_IN)}) nor a file")
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"mapping file {path.name} cannot be read: {error}") from error
    return _check(path.name, raw)
