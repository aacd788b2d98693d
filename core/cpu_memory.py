"""Keep a long CPU training's memory bounded.

Measured on 2 cores (the en-de architecture, 3 + 3 layers, d_model 256,
bfloat16 autocast, token-bucketed batches of ~1,800 tokens whose shapes change
every step), resident memory after 150 steps:

* float32: about 1.0 GB, flat;
* bf16: 2.4 GB and still growing — the "3.7 GB after 10 minutes, 4.9 GB after
  50" a Korean training showed. Two causes, each about half:
  1. oneDNN (the library behind bf16 matmuls on CPUs) caches a compiled
     "primitive" per operation *and shape*, up to 1,024 of them; with a new
     batch shape every step the cache fills with kernels and their buffers;
  2. glibc keeps freed blocks of the many differently sized temporaries in
     its arenas instead of returning them to the system.

``release_freed_memory`` (glibc's ``malloc_trim``) every few steps fixes the
second at no measurable cost (2.4 → 1.2–1.6 GB); ``bound_onednn_cache`` (the
recipe's ``[train] onednn_cache``) the first (with both: about 1.1 GB, flat),
at some speed on a busy machine, so it is a recipe choice.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from functools import lru_cache

ONEDNN_CACHE_ENV = "ONEDNN_PRIMITIVE_CACHE_CAPACITY"


@lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's ``malloc_trim``, or ``None`` on another C library (macOS, musl, Windows)."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None


def release_freed_memory() -> bool:
    """Return memory the process has freed to the operating system; ``False`` where glibc is absent."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def bound_onednn_cache(capacity: int) -> bool:
    """Keep at most ``capacity`` compiled oneDNN kernels (0 = the library's default, 1,024).

    oneDNN reads ``ONEDNN_PRIMITIVE_CACHE_CAPACITY`` when it creates its first
    kernel, so this must run before the first bf16 operation; a value the user
    exported is kept. Returns whether the bound was set here.
    """
    if capacity <= 0 or ONEDNN_CACHE_ENV in os.environ:
        return False
    os.environ[ONEDNN_CACHE_ENV] = str(capacity)
    return True
