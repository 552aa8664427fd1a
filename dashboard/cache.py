"""A small time-limited cache, so a page's repeated callbacks do not re-read Neo4j.

Entries expire after ``ttl`` seconds, so another process's writes show up
within that time; this process's writes call :meth:`TTLCache.invalidate`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

__all__ = ["TTLCache"]

V = TypeVar("V")


class TTLCache(Generic[V]):
    """At most ``size`` values, each kept ``ttl`` seconds.

    >>> cache = TTLCache(ttl=60, size=2)
    >>> cache.get("a", lambda: 1), cache.get("a", lambda: 2)
    (1, 1)
    >>> cache.invalidate(); cache.get("a", lambda: 3)
    3
    """

    def __init__(self, ttl: float, size: int = 32, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.size, self.clock = ttl, size, clock
        self._values: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], V]) -> V:
        now = self.clock()
        with self._lock:
            hit = self._values.get(key)
            if hit and now - hit[0] < self.ttl:
                self._values.move_to_end(key)
                return hit[1]
        value = load()
        with self._lock:
            self._values[key] = (now, value)
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def invalidate(self, key: Hashable | None = None) -> None:
        """Forget ``key``, or everything."""
        with self._lock:
            if key is None:
                self._values.clear()
            else:
                self._values.pop(key, None)
