"""The query workers as the server sees them: processes it can kill, a bounded queue, a share kept for saved queries.

- A query past its time limit is stopped by killing its worker (SIGKILL: the CPU is free at once); a warm spare
  takes its place at once and a new spare starts in the background.
- At most `workers` queries run at once. Ad hoc /sparql queries may hold at most `workers - reserved` of them, so
  a flood of runaway queries cannot starve the saved queries of /api, and a freed worker goes to a waiting saved
  query first.
- Past `queue` waiting requests of a kind, the answer is 503 with Retry-After at once, not a long wait.
"""
from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection

from .worker import Job, Reply, serve_jobs

SPAWN_SECONDS = 60.0  # a worker that is not ready by then is a broken installation, said once at start-up


class Busy(Exception):
    """A request refused before it ran: the queue is full or no worker came free in time (503 + Retry-After)."""

    def __init__(self, message: str, retry_after: int = 1):
        super().__init__(message)
        self.retry_after = retry_after


class Stopped(Exception):
    """A query stopped at its time limit (503)."""


@dataclass(eq=False)
class Worker:
    process: mp.process.BaseProcess
    conn: Connection
    store: str | None = None  # the store folder of its last job: the one it has open


@dataclass
class Limits:
    """What one client may ask of the server; `kg serve` options, defaults for a small public endpoint."""

    seconds: float = 30.0  # per query: past it the query's worker is killed (503); also its wait for a worker
    rows: int = 10_000  # per answer (400 past it, counted while the results stream)
    bytes: int = 32 * 1024 * 1024  # per answer, counted the same way
    workers: int = max(2, os.cpu_count() or 2)  # queries running at once, one process each
    reserved: int = 1  # workers kept for saved queries (/api): ad hoc /sparql queries never hold them
    queue: int = 32  # requests of each kind waiting for a worker; past it, 503 with Retry-After at once
    poll: float = 1.0  # how often a served store folder is looked at for new builds (seconds)


@dataclass
class WorkerPool:
    settings: Limits = field(default_factory=Limits)
    current: Callable[[], str] = str  # the store folder a job goes to, read when a worker takes it

    def __post_init__(self) -> None:
        self._ctx = mp.get_context("spawn")  # a clean interpreter: forking a threaded server is unsafe
        self.idle: list[Worker] = []
        self.busy: set[Worker] = set()
        self.spare: Worker | None = None
        self.adhoc_running = 0
        self.waiting: dict[bool, deque[asyncio.Future]] = {True: deque(), False: deque()}  # saved? -> waiters
        self._closed = False

    @property
    def adhoc_max(self) -> int:
        """Workers ad hoc queries may hold: all but the reserved ones, and at least one."""
        return max(1, self.settings.workers - self.settings.reserved)

    def _all(self) -> list[Worker]:
        return [*self.idle, *self.busy, *([self.spare] if self.spare else [])]

    # ------------------------------------------------------------------ processes
    def _launch(self) -> tuple[mp.process.BaseProcess, Connection]:
        mine, theirs = self._ctx.Pipe()
        process = self._ctx.Process(target=serve_jobs, args=(theirs,), daemon=True, name="diplokg-query-worker")
        process.start()
        theirs.close()
        return process, mine

    @staticmethod
    def _ready(process: mp.process.BaseProcess, conn: Connection) -> Worker:
        if not conn.poll(SPAWN_SECONDS):
            process.kill()
            raise RuntimeError(f"a query worker did not start within {SPAWN_SECONDS:g} s")
        conn.recv()
        return Worker(process, conn)

    def _spawn(self) -> Worker:
        return self._ready(*self._launch())

    def start(self) -> None:
        """Start the workers and the spare, in parallel, and wait until each is ready."""
        launched = [self._launch() for _ in range(self.settings.workers + 1)]
        workers = [self._ready(*pair) for pair in launched]
        self.spare = workers.pop()
        self.idle = workers

    def close(self) -> None:
        self._closed = True
        everyone = self._all()
        for w in everyone:
            w.process.kill()
            w.conn.close()
        for w in everyone:
            w.process.join(5)
        self.idle, self.busy, self.spare = [], set(), None

    def stores_in_use(self) -> set[str]:
        """The store folders a worker has open or is answering from."""
        return {w.store for w in [*self.idle, *self.busy] if w.store}

    def _replace(self, dead: Worker) -> None:
        """Kill a worker (a runaway query, or one that died); the spare takes its place, a new spare starts."""
        dead.process.kill()
        dead.conn.close()
        loop = asyncio.get_running_loop()
        loop.run_in_executor(None, dead.process.join, 5)
        if self._closed:
            return
        spare, self.spare = self.spare, None
        new = loop.run_in_executor(None, self._spawn)

        def started(fut: asyncio.Future) -> None:
            if fut.exception() is not None or self._closed:
                return
            if self.spare is None:
                self.spare = fut.result()
            else:
                self._release(fut.result())

        new.add_done_callback(started)
        if spare is not None:
            self._release(spare)

    # ------------------------------------------------------------------ scheduling
    def _release(self, w: Worker) -> None:
        """A free worker goes to the first waiting saved query, else to a waiting ad hoc one if ad hoc queries
        hold fewer than their share, else back to the idle list."""
        for saved in (True, False):
            if not saved and self.adhoc_running >= self.adhoc_max:
                break
            queue = self.waiting[saved]
            while queue:
                fut = queue.popleft()
                if not fut.done():
                    if not saved:
                        self.adhoc_running += 1
                    self.busy.add(w)
                    fut.set_result(w)
                    return
        self.idle.append(w)

    async def _acquire(self, saved: bool) -> Worker:
        if self.idle and (saved or self.adhoc_running < self.adhoc_max):
            if not saved:
                self.adhoc_running += 1
            w = self.idle.pop()
            self.busy.add(w)
            return w
        queue = self.waiting[saved]
        if len(queue) >= self.settings.queue:
            raise Busy(f"server busy: {self.settings.workers} queries running and {len(queue)} waiting "
                       f"(the queue limit); retry in a moment")
        fut = asyncio.get_running_loop().create_future()
        queue.append(fut)
        try:
            done, _ = await asyncio.wait({fut}, timeout=self.settings.seconds)
        except asyncio.CancelledError:  # the client went away while waiting
            self._give_back(fut, saved)
            raise
        if not done:
            self._give_back(fut, saved)
            raise Busy(f"server busy: no worker came free within the time limit of {self.settings.seconds:g} s; "
                       "retry in a moment", retry_after=max(1, int(self.settings.seconds)))
        return fut.result()

    def _give_back(self, fut: asyncio.Future, saved: bool) -> None:
        """A waiter that leaves: its place in the queue, or the worker it was given just then."""
        if fut.done() and not fut.cancelled():
            self._finish(fut.result(), saved)
        else:
            fut.cancel()

    def _finish(self, w: Worker, saved: bool, lost: bool = False) -> None:
        """A worker done with a request: back to work, or (`lost`: killed or dead) replaced."""
        self.busy.discard(w)
        if not saved:
            self.adhoc_running -= 1
        (self._replace if lost else self._release)(w)

    async def run(self, job: Job, saved: bool) -> Reply:
        """The worker's reply to `job`; Busy if none came free, Stopped past the time limit."""
        w = await self._acquire(saved)
        # the folder is chosen now, not when the request came: a generation retired while it waited is gone
        job = replace(job, store=self.current())
        loop = asyncio.get_running_loop()
        readable = loop.create_future()
        fd = w.conn.fileno()
        w.store = job.store  # from now on its folder is in use (the worker closes its older one on this job)
        try:
            w.conn.send(job)
            loop.add_reader(fd, lambda: readable.done() or readable.set_result(None))
            try:
                await asyncio.wait_for(readable, self.settings.seconds)
            finally:
                loop.remove_reader(fd)
                os.set_blocking(fd, True)  # uvloop (libuv) leaves a watched fd non-blocking: recv would fail
            reply = w.conn.recv()
        except asyncio.TimeoutError:
            self._finish(w, saved, lost=True)
            raise Stopped(f"query stopped: it ran longer than the time limit of {self.settings.seconds:g} s; "
                          "narrow it (LIMIT, more specific patterns)") from None
        except asyncio.CancelledError:  # the client went away: its query must not run on unseen
            self._finish(w, saved, lost=True)
            raise
        except (EOFError, OSError):
            self._finish(w, saved, lost=True)
            return 500, "text/plain; charset=utf-8", b"internal error: the query's worker process died\n"
        self._finish(w, saved)
        return reply
