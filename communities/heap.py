"""Big arrays handed back to the system when freed, not kept in the C heap.

glibc serves an allocation above its mmap threshold (128 KiB at start) from a mapping of its
own, returned to the system when freed; but each time such a block is freed it raises the
threshold to that block's size (up to 32 MiB). After the first frame a detection step lets go
of, the arrays of the next steps (tens of megabytes at ten million claims) come from the heap
instead, where a few small objects still alive keep the freed pages resident, and every later
step's peak stands on them. At 10M claims the run peaked 155 MiB higher that way
(``benchmarks/RESULTS.md``, round 43). Setting the threshold once keeps it where it is.
"""

from __future__ import annotations

import ctypes

__all__ = ["keep_big_arrays_mapped", "MMAP_THRESHOLD"]

#: glibc's own starting threshold: blocks this size or more get a mapping of their own
MMAP_THRESHOLD = 128 * 1024
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number in glibc's malloc.h


def keep_big_arrays_mapped() -> bool:
    """Fix the C heap's mmap threshold at :data:`MMAP_THRESHOLD` for this process; whether it
    was set. False, and nothing changed, where the C library is not glibc (macOS, musl). The
    symbol is looked up in the C library the process already runs on (no ``find_library``,
    which starts ``ldconfig`` on every call), so each detection run may call it."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
