"""Which text encoding a CSV extract is in.

Why detection at all: fund extracts come out of Windows tools in GB18030 as
often as in UTF-8, and a wrong guess turns every name into mojibake that still
passes validation. Only the first MiB is read, so a 50 MB garbage file costs
nothing; a file that changes encoding after that fails later with a message
that suggests ``--encoding``.
"""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

from charset_normalizer import from_bytes

from ringscope.errors import InputError

__all__ = ["SAMPLE_BYTES", "detect_encoding", "canonical_encoding", "read_sample"]

SAMPLE_BYTES = 1 << 20
_CHINESE = {"gb2312", "gbk", "gb18030", "hz", "cp936"}


def canonical_encoding(name: str) -> str:
    """The codec name to read with; every GB flavour is read as GB18030, its superset.

    >>> canonical_encoding("GBK")
    'gb18030'
    >>> canonical_encoding("utf_8")
    'utf-8'
    """
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise InputError(f"unknown encoding {name!r}") from None
    if codec in _CHINESE:
        return "gb18030"
    return "utf-8" if codec in ("utf-8", "utf-8-sig") else codec


def read_sample(path: Path, size: int = SAMPLE_BYTES) -> bytes:
    """The first ``size`` bytes of the file's text, decompressed for ``.gz``."""
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            return handle.read(size)
    except (OSError, EOFError) as error:
        raise InputError(f"cannot read the file: {error}", file=path.name) from error


def _decodes(sample: bytes, encoding: str, complete: bool) -> bool:
    try:
        sample.decode(encoding)
        return True
    except UnicodeDecodeError as error:
        # A sample cut inside a multi-byte character still counts.
        return not complete and error.start >= len(sample) - 3 and error.reason in (
            "unexpected end of data", "incomplete multibyte sequence")


def detect_encoding(path: Path) -> str:
    """UTF-8 (a BOM is fine), else GB18030 when the sample is valid GB18030, else charset-normalizer's guess.

    GB18030 is preferred over a statistical guess because short Chinese
    samples look as much like Korean or Japanese code pages to a detector,
    and these extracts are Chinese.
    """
    sample = read_sample(path)
    complete = len(sample) < SAMPLE_BYTES
    if sample.startswith(codecs.BOM_UTF8) or _decodes(sample, "utf-8", complete):
        return "utf-8"
    if _decodes(sample, "gb18030", complete):
        return "gb18030"
    best = from_bytes(sample).best()
    if best is None:
        raise InputError("cannot tell the text encoding; name it with --encoding", file=path.name)
    return canonical_encoding(best.encoding)
