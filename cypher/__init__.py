"""Every Cypher statement ringscope runs, one ``<name>.cypher`` file each.

Keeping queries in files (never in f-strings) means every query an analyst
sees in a log or an error has a name, and values can only arrive as
``$parameters``. A file may hold several statements separated by ``;`` at the
end of a line (the schema does); ``statements(name)`` splits them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ringscope.errors import QueryError

__all__ = ["load", "statements", "names", "CYPHER_DIR"]

CYPHER_DIR = Path(__file__).resolve().parent
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def names() -> list[str]:
    """Names of every query shipped in this folder."""
    return sorted(path.stem for path in CYPHER_DIR.glob("*.cypher"))


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """Text of the query ``name`` (without comments-only lines' trailing blanks)."""
    if not _NAME.match(name):
        raise QueryError(name, "query names are lower-case words joined by underscores")
    path = CYPHER_DIR / f"{name}.cypher"
    if not path.is_file():
        raise QueryError(name, f"no such query file {path.name} in cypher/")
    return path.read_text(encoding="utf-8").strip()


def statements(name: str) -> list[str]:
    """The statements of a multi-statement file, comments removed."""
    body = "\n".join(line for line in load(name).splitlines() if not line.lstrip().startswith("//"))
    return [part.strip() for part in re.split(r";\s*(?:\n|$)", body) if part.strip()]
