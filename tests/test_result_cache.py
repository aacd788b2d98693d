"""The shared translation cache stays within its byte budget."""

from __future__ import annotations

import threading

import pytest

from app.services.lru import ByteBudgetLRU


def test_evicts_least_recently_used_beyond_the_budget():
    cache = ByteBudgetLRU(max_bytes=100, size_of=len)
    calls = []

    def make(key, size):
        return lambda: calls.append(key) or "x" * size

    cache.get_or_compute("a", make("a", 40))
    cache.get_or_compute("b", make("b", 40))
    cache.get_or_compute("a", make("a", 40))  # hit: "a" becomes most recent
    assert calls == ["a", "b"]
    cache.get_or_compute("c", make("c", 40))  # 120 > 100: evict "b"
    assert "b" not in cache and "a" in cache and "c" in cache
    assert cache.total_bytes == 80


def test_a_single_oversized_item_is_kept_alone():
    cache = ByteBudgetLRU(max_bytes=10, size_of=len)
    cache.get_or_compute("small", lambda: "xx")
    value = cache.get_or_compute("big", lambda: "x" * 50)
    assert value == "x" * 50 and len(cache) == 1 and "big" in cache


def test_errors_are_not_cached():
    cache = ByteBudgetLRU(max_bytes=10, size_of=len)
    with pytest.raises(ValueError):
        cache.get_or_compute("k", lambda: (_ for _ in ()).throw(ValueError("empty")))
    assert "k" not in cache and cache.total_bytes == 0


def test_concurrent_use_keeps_the_books_straight():
    cache = ByteBudgetLRU(max_bytes=1000, size_of=len)

    def worker(offset):
        for i in range(300):
            cache.get_or_compute((i + offset) % 50, lambda i=i: "x" * (10 + i % 30))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert cache.total_bytes <= 1000
    assert cache.total_bytes == sum(size for _, size in cache._items.values())  # noqa: SLF001
