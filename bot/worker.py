"""One worker process for CPU-heavy work (checking an import file), so the event loop keeps answering.

A thread would share the GIL with the loop: pure-Python checks of 10,000 entries would still slow every
question.  The process is started on first use and kept (imports queue behind one another); a worker that
dies (killed, out of memory) is replaced on the next call."""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")


class WorkerFailed(RuntimeError):
    """The worker process stopped before it finished (it is replaced on the next call)."""


class _Pool:
    executor: ProcessPoolExecutor | None = None


async def in_worker(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in the worker process; its exceptions come back as they were raised there."""
    if _Pool.executor is None:
        # spawn, not fork: forking a process that runs threads (aiosqlite's) can copy a held lock.
        _Pool.executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return await asyncio.get_running_loop().run_in_executor(_Pool.executor, function, *args)
    except BrokenProcessPool:
        _Pool.executor = None
        raise WorkerFailed("the worker process stopped before it finished") from None
