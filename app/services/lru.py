"""A thread-safe least-recently-used cache with a budget in bytes.

Translations of long sentences are large (a 255-token input to a 3+3-layer,
8-head model holds about 7.5 MB of attention maps), so counting entries is not
enough to bound the memory of a server shared by a study group: this cache
evicts the least recently used results once their total size passes the
budget.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ByteBudgetLRU(Generic[V]):
    """``get_or_compute(key, compute)`` with LRU eviction beyond ``max_bytes``."""

    def __init__(self, max_bytes: int, size_of: Callable[[V], int]) -> None:
        self.max_bytes = max_bytes
        self._size_of = size_of
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def total_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def get_or_compute(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The cached value for ``key``, computing (outside the lock) and storing it if absent.

        Two sessions asking for the same missing key at once may both compute
        it; the result is the same and one copy is kept.
        """
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        value = compute()  # may raise: nothing is stored then
        size = self._size_of(value)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
            self._items[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes and len(self._items) > 1:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped
        return value
