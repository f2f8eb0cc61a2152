"""Files are independent until their results meet, so long runs read them in one worker
process per CPU. One way to do it, for every command that reads many records."""

from __future__ import annotations

import gc
import os
from typing import Callable, Iterable, Iterator

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 200
MAX_CHUNK = 1000


def map_in_order(function: Callable, items: list, jobs: int = 0, *, initializer: Callable | None = None,
                 initargs: tuple = (), serial: bool = False, start_method: str | None = None) -> Iterator:
    """`function` over `items`, results in order: here for few items, one job or `serial`,
    else across worker processes (forked where the system can, unless `start_method` says
    otherwise: a process with threads must not fork), each with the garbage collector off
    (parsing makes no cycles) and `initializer(*initargs)` run first."""
    jobs = jobs or os.cpu_count() or 1
    if serial or jobs < 2 or len(items) < PARALLEL_THRESHOLD:
        if initializer is not None:
            initializer(*initargs)
        return map(function, items)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context(start_method or ("fork" if "fork" in methods else None))
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(initializer, initargs))
    # Results wait in this process until their turn: chunks of at most MAX_CHUNK keep few waiting.
    chunk = max(16, min(MAX_CHUNK, len(items) // (jobs * 8)))

    def results() -> Iterable:
        with pool:
            yield from pool.map(function, items, chunksize=chunk)

    return results()


def _start_worker(initializer: Callable | None, initargs: tuple) -> None:
    gc.disable()
    if initializer is not None:
        initializer(*initargs)


def preferred_start_method(threads: bool) -> str | None:
    """How to start workers: forking a process that runs threads (the language server)
    can copy a lock some thread holds, so such a process starts them from a fork server."""
    import multiprocessing

    if threads and "forkserver" in multiprocessing.get_all_start_methods():
        return "forkserver"
    return None
