"""Freed per-document arrays are given back to the operating system between stages."""

import sys

import numpy as np
import pytest

from tifa.memory import release_freed_memory


def _resident_mib() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and needs glibc's malloc_trim")
def test_pages_of_freed_small_arrays_are_returned():
    # thousands of 40 KB arrays (a document's n-gram hashes), every other one freed: holes in the heap
    # that glibc keeps until it is asked to give them back
    arrays = [np.ones(5_000) for _ in range(4_000)]
    del arrays[::2]
    held = _resident_mib()
    assert release_freed_memory()
    assert held - _resident_mib() > 40  # about 80 MB were freed
    assert len(arrays) == 2_000
