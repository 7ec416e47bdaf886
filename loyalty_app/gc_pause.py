"""Python's cycle collector held off while a job builds millions of small objects that hold no cycles.

A statistics rebuild reads every purchase line into tuples, dicts and lists: none of them refer back to each other,
so the collector, woken every few hundred allocations, walks ever more live objects and frees nothing (about a
sixth of the rebuild's CPU on the benchmark shop). The collector stays off only while such a job runs; jobs on
other threads may overlap, and it comes back when the last of them ends. It is the whole process's collector: the
counter's thread goes without it for the rebuild's 15-20 seconds too, which its few short-lived cycles can afford.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
