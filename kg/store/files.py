"""Writing files and store folders safely: atomic outputs, file modes, one writer per store, write errors."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class StoreError(Exception):
    """A graph file or store that cannot be read; str() names it and the problem."""


class StoreBusy(StoreError):
    """A store a build is writing, opened with wait=False: try again after the build."""


class StoreWriteError(StoreError):
    """The store or an output file cannot be written (disk full, read-only, permission): stops the build."""


def write_error(path: Path | str, exc: OSError | Exception) -> StoreWriteError:
    reason = getattr(exc, "strerror", None) or (str(exc).strip().splitlines() or ["write failed"])[0]
    return StoreWriteError(f"{path}: cannot write: {reason}; nothing replaced")


def file_mode() -> int:
    """The mode open() would give a new file: 0666 less the process umask (read without changing it for long)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file, and a
    failed write (disk full, read-only folder) leaves the old file as it was (StoreWriteError)."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, file_mode())  # mkstemp makes 0600; a new file gets what the user's umask gives
        os.replace(tmp, path)
    except OSError as exc:
        raise write_error(path, exc) from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


LOCK_NAME = "kg.lock"


class StoreLock:
    """An advisory lock beside the store's files: one build writes, readers wait for it to finish.

    Oxigraph 0.5 has no secondary mode, and a read-only opening fails when the writer's compaction
    removes a file under it; so a reader takes a shared lock and a build an exclusive one.
    """

    def __init__(self, folder: Path, exclusive: bool, log=None, wait: bool = True):
        import fcntl

        self.fh = None
        try:
            folder.mkdir(parents=True, exist_ok=True) if exclusive else None
            self.fh = open(folder / LOCK_NAME, "a+b")
        except OSError:
            return  # a read-only medium: nobody can be writing it
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(self.fh, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            busy = f"{folder}: {'in use' if exclusive else 'a build is writing it'}"
            if not wait:
                self.release()
                raise StoreBusy(busy) from None
            if log is not None:
                log(f"{busy}; waiting for it to finish")
            fcntl.flock(self.fh, mode)

    def release(self) -> None:
        if self.fh is not None:
            self.fh.close()  # closing drops the lock
            self.fh = None
