"""CPU-bound work off the event loop: a bounded thread pool and a per-request time limit."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from hvpscore.service._errors import ServiceError

__all__ = ["Worker"]


class Worker:
    """Runs functions in ``threads`` worker threads; a call that takes longer than
    ``timeout_s`` (waiting included) answers ``408 timeout``. A timed-out call that has not
    started never runs; one that has started finishes in its thread (Python cannot stop a
    thread), which the pool size bounds."""

    def __init__(self, *, threads: int, timeout_s: float):
        self.threads = threads
        self.timeout_s = timeout_s
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="hvpscore-work")

    async def run(self, fn, /, *args, **kwargs):
        """``fn(*args, **kwargs)`` in a worker thread, within the time limit."""
        fut = self._pool.submit(fn, *args, **kwargs)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(fut), self.timeout_s)
        except TimeoutError:
            fut.cancel()
            raise ServiceError("timeout", seconds=f"{self.timeout_s:g}") from None

    def shutdown(self) -> None:
        """Stop taking work; queued calls are cancelled."""
        self._pool.shutdown(wait=False, cancel_futures=True)
