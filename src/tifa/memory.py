"""Giving freed memory back to the operating system between the stages of a large build.

Numpy arrays of a few tens of kilobytes (one per document: n-gram hashes, offsets) come
from the C heap. When thousands of them are freed, glibc keeps the pages for reuse
by small allocations, but the large arrays of the next stage (the TF-IDF matrix, the
seeds of the n-gram index) are mapped separately, so the freed pages stay counted
in the build's resident memory. `release_freed_memory` asks glibc to return them
(malloc_trim); elsewhere (macOS, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def release_freed_memory() -> bool:
    """Return the heap's free pages to the operating system; True if glibc released any."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
