"""The C heap's mmap threshold stays fixed, so a freed array of tens of megabytes leaves RSS.

Each case runs in a fresh interpreter: the threshold is process state, and the pytest process
has long since moved its own.
"""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

_PROBE = """
import sys, numpy as np
from ringscope.communities.heap import keep_big_arrays_mapped
def rss_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
if sys.argv[1] == "fixed":
    assert keep_big_arrays_mapped()
first = np.ones(2 * 2**20); del first          # 16 MiB freed: glibc raises its threshold to it
before = rss_mib()
step = np.ones(2 * 2**20)                       # the next step's array of the same size
alive = [bytearray(512) for _ in range(2000)]   # small objects allocated after it, still alive
del step
print(rss_mib() - before)
"""

glibc_only = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the mmap threshold is glibc's")


def _kept_after_free(mode: str) -> float:
    done = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


@glibc_only
def test_a_freed_step_array_leaves_rss_once_the_threshold_is_fixed():
    assert _kept_after_free("fixed") < 4.0


@glibc_only
def test_without_it_glibc_keeps_the_freed_array_resident():
    """The control: what the fixed threshold is for (glibc's dynamic threshold at work)."""
    assert _kept_after_free("default") > 12.0
