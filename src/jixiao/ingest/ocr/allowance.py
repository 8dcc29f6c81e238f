"""The extra time a document earns by the pages it needs OCR'd.

A text document of any length is read in seconds; a scanned one costs seconds of CPU
per page (`benchmarks/ocr.py`). One fixed time limit per document would either stop a
long scan half-way or leave a damaged text file stuck as long as the longest scan may
take. So the per-document limit (`jixiao.run.limits`) is a base plus an allowance per
OCR'd page: a reader announces the pages it is about to recognise (`announce`), in the
document's thread and before the work starts, and whoever guards the document listens
(`listening`) and moves the deadline. Outside a guard nobody listens and nothing happens.

The listener lives in a context variable, so a thread that did not set it (another
document's thread, a page-recognition worker) never extends a deadline by accident.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_listener: ContextVar[Callable[[int], None] | None] = ContextVar("ocr_allowance", default=None)


def announce(pages: int) -> None:
    """`pages` pages are about to be OCR'd for the document being read."""
    listener = _listener.get()
    if listener is not None and pages > 0:
        listener(pages)


@contextmanager
def listening(listener: Callable[[int], None]) -> Iterator[None]:
    """Within the block, `announce(n)` calls `listener(n)` (in this thread's context)."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
