"""The store folders the query workers read: a fixed copy of a graph, or a live store's newest committed state.

Workers open a folder nobody writes (Oxigraph 0.5 has no secondary mode, and a read-only opening of a store a
build is writing is undefined). For `kg serve --store DIR`, a watcher looks at DIR every `poll` seconds; when its
files have changed and no build holds it, it takes a fresh checkpoint (RocksDB hard links: cheap) as the next
generation. New queries go to the newest generation, queries under way finish on the one they started with, and
a generation no worker has open any more is deleted. A build's articles become visible once the build has
committed and released the store: a checkpoint holds whole transactions only, so no half-written article shows.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from ..store.files import LOCK_NAME, StoreBusy, StoreError
from ..store.graph_store import GraphStore


def _signature(folder: Path) -> tuple:
    """What changes when a build commits: the store's files, their sizes and times (not the lock, not RocksDB's
    info logs, which a read-only opening may write)."""
    entries = []
    for e in os.scandir(folder):
        if e.name == LOCK_NAME or e.name.startswith("LOG"):
            continue
        st = e.stat()
        entries.append((e.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(entries))


class StoreFolders:
    """The generations of the served data; `current` is where a new query goes."""

    def __init__(self, store: GraphStore | None = None, live: Path | None = None, poll: float = 1.0):
        if (store is None) == (live is None):
            raise ValueError("give a store or a live store folder")
        self.root = Path(tempfile.mkdtemp(prefix="diplokg-serve-"))
        self.live = live
        self.poll = poll
        self.generation = 0
        self.kept: list[Path] = []  # generations on disk, oldest first (the last is `current`)
        self.quads = 0
        self._seen: tuple | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        try:
            if live is not None:
                if not self.refresh(wait=True):
                    raise StoreError(f"{live}: cannot snapshot the store")
            else:
                self._copy(store)
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def _next(self) -> Path:
        return self.root / f"gen-{self.generation + 1:06d}"

    def _taken(self, target: Path) -> None:
        """`target` (the folder `_next` named) holds a whole checkpoint: new queries go there now."""
        self.kept.append(target)
        self.generation += 1

    def _copy(self, store: GraphStore) -> None:
        target = self._next()
        if store.path is not None:
            store.snapshot(target).close()
        else:  # an in-memory graph (`--graph FILE`): written once to a folder every worker can open
            copy = ox.Store(str(target))
            copy.bulk_extend(store.ox.quads_for_pattern(None, None, None, None))
            copy.flush()
            del copy
        self.quads = len(store)
        self._taken(target)

    @property
    def current(self) -> Path:
        return self.root / f"gen-{self.generation:06d}"

    def refresh(self, wait: bool = False) -> bool:
        """Take a new generation if the live store changed and no build holds it; True if one was taken."""
        with self._lock:
            signature = _signature(self.live)
            if signature == self._seen:
                return False
            try:
                opened = GraphStore(self.live, read_only=True, wait=wait)
            except StoreBusy:
                return False  # a build is writing: look again at the next poll
            try:
                signature = _signature(self.live)  # as it is under the lock
                target = self._next()
                opened.snapshot(target).close()
                self.quads = len(opened)
            finally:
                opened.close()
            self._seen = signature
            self._taken(target)
            return True

    def watch(self) -> None:
        """Look for new builds in the background (live stores only)."""
        if self.live is None or self._watcher is not None:
            return

        def loop() -> None:
            while not self._stop.wait(self.poll):
                try:
                    self.refresh()
                except (OSError, StoreError):
                    pass  # a store mid-change or gone for a moment: the next poll tries again

        self._watcher = threading.Thread(target=loop, name="diplokg-store-watcher", daemon=True)
        self._watcher.start()

    def retire(self, in_use: Callable[[], set[str]]) -> None:
        """Delete the generations older than the current one that no worker has open (called after every
        request: without an older generation it does nothing)."""
        if len(self.kept) < 2:
            return
        busy = in_use()
        for gen in self.kept[:-1]:
            if str(gen) not in busy:
                shutil.rmtree(gen, ignore_errors=True)
                self.kept.remove(gen)

    def close(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(5)
        shutil.rmtree(self.root, ignore_errors=True)
