"""Per-document limits: wall time and memory, so one damaged file cannot hold a batch.

A PDF with a few flipped bits can send a parser into minutes of work (a 3.7 MB file
took over 100 s against 1.9 s undamaged) or into gigabytes of memory. The batch must
go on: such a document fails with a `timeout` or `memory` reason and the next one runs.

`Limits` is a small frozen value and `Limits.guard()` a context manager around the
work of one document, so every engine — the serial loop, the process pool, the
concurrent LLM runner's workers, a distributed worker — enforces the same limits the
same way, in whatever process runs the document:

* time: a real-time interval timer (``SIGALRM``) interrupts the work. The interrupt is
  a `BaseException`, so a library's ``except Exception`` cannot swallow it, and it is
  raised again every 0.1 s until it gets out; it leaves the guard as `DocumentTimeout`.
  A scanned page takes seconds of OCR where a text page takes milliseconds, so the
  limit grows by `seconds_per_ocr_page` for each page a reader announces it will OCR
  (`jixiao.ingest.ocr.allowance`): a 300-page scan is not cut short by the limit that
  stops a damaged text file.
* memory: the process's address-space limit (``RLIMIT_AS``) is set to what it uses
  now plus the ceiling, and restored afterwards; an allocation past it raises
  `MemoryError`, which leaves the guard as `DocumentMemoryExceeded`.

Both act on a whole process and a signal reaches only its main thread, so the guard
enforces them only in the main thread of a process on a system that has them (Linux,
macOS); elsewhere (e.g. the single-core fallback thread) the work runs unguarded.
Storing a document is never inside the guard: an interrupted write could not be rolled
back cleanly by every database.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from jixiao.errors import DocumentMemoryExceeded, DocumentTimeout

#: seconds one document may take by default: a text at the 32 MB input limit takes
#: about a minute on one core, and an OCR'd scan of a long report several; a damaged
#: file stuck in a parser is stopped after this
DEFAULT_SECONDS = 300.0
#: seconds added to a document's limit per page it needs OCR'd: a dense A4 page takes
#: 6-8 CPU s, and a 25-page scan took 54 s of wall time a page on a 2-core machine at
#: load 14-17 (benchmarks/RESULTS.md); a limit is there to stop a stuck file, not a slow one
DEFAULT_SECONDS_PER_OCR_PAGE = 60.0
#: MiB of memory one document may add by default (a 32 MB text needs about 2 GiB)
DEFAULT_MEMORY_MB = 4096
#: after the timer fires, how often the interrupt is raised again if something caught it
_RETRY_SECONDS = 0.1


class _Expired(BaseException):
    """Raised in the document's thread when its time is up (not an `Exception`, so
    ``except Exception`` in a library does not swallow it)."""


@dataclass(frozen=True)
class Limits:
    """How long and how much memory one document may take (None: no limit); the time
    grows by `seconds_per_ocr_page` for each page it needs OCR'd."""

    seconds: float | None = DEFAULT_SECONDS
    memory_mb: int | None = DEFAULT_MEMORY_MB
    seconds_per_ocr_page: float = DEFAULT_SECONDS_PER_OCR_PAGE

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Run the block under these limits (see the module docstring for where)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        with (
            _time_limit(self.seconds, self.seconds_per_ocr_page),
            _memory_limit(self.memory_mb),
        ):
            yield


#: no limit at all (tests, the eval, one document from a library call)
UNLIMITED = Limits(seconds=None, memory_mb=None)


@contextmanager
def _time_limit(seconds: float | None, per_ocr_page: float) -> Iterator[None]:
    if not seconds or not hasattr(signal, "setitimer"):
        yield
        return
    from jixiao.ingest.ocr.allowance import listening

    armed = True
    ocr_pages = 0

    def expire(signum: int, frame: FrameType | None) -> None:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, _RETRY_SECONDS)
            raise _Expired

    def allow(pages: int) -> None:
        """Move the deadline by the allowance of `pages` OCR pages."""
        nonlocal ocr_pages
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        if armed and remaining > 0 and per_ocr_page > 0:
            ocr_pages += pages
            signal.setitimer(signal.ITIMER_REAL, remaining + pages * per_ocr_page)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with listening(allow):
            yield
    except _Expired:
        allowed = f"{seconds:g} s"
        if ocr_pages:
            allowed += f" + {per_ocr_page:g} s × {ocr_pages} OCR page" + "s" * (ocr_pages > 1)
        raise DocumentTimeout(
            f"processing took longer than {allowed}, the per-document limit "
            "(--timeout, --timeout-per-ocr-page): the file may be damaged; check it, "
            "or raise the limit"
        ) from None
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _address_space() -> int | None:
    """Bytes of address space this process uses now (Linux), else None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def _memory_limit(memory_mb: int | None) -> Iterator[None]:
    try:
        import resource
    except ImportError:  # not on this system
        resource = None  # type: ignore[assignment]
    used = _address_space() if memory_mb and resource is not None else None
    if used is None or resource is None or memory_mb is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = used + memory_mb * 2**20
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    if soft != resource.RLIM_INFINITY and soft <= ceiling:
        yield  # a stricter limit is already in force
        return
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    except MemoryError:
        raise DocumentMemoryExceeded(
            f"processing needed more than {memory_mb} MiB, the per-document memory "
            "ceiling (--max-memory): split the file, or raise the ceiling"
        ) from None
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
