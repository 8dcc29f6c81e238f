"""The OCR engine: RapidOCR's PP-OCR Chinese models on ONNX Runtime, loaded once.

The models ship inside the ``rapidocr-onnxruntime`` wheel (PP-OCRv4 detection and
recognition, the mobile v2 direction classifier): nothing is downloaded at run time.
Everything here is imported lazily, when the first page needs OCR, so starting jixiao
on text documents costs nothing.

ONNX Runtime runs single-threaded per session (it busy-waits its extra threads, which
on a shared 2-core machine burns CPU without speed); pages are spread over a small
thread pool instead, as many threads as cores are free (`page_threads`). `STATS` adds up the CPU seconds of each stage
for the benchmark.
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: CPU seconds per stage, summed over every page OCR'd by this process
STATS: dict[str, float] = defaultdict(float)
_lock = threading.Lock()
_engine: Any = None
#: detection runs on the page at this resolution (a finer scan is reduced for it; the
#: recogniser still reads crops of the full-resolution page)
DET_DPI = 160.0
#: and never on more than this many pixels along the longer side (a 长图 longer than
#: ~25 inches at 160 dpi is reduced further)
DET_MAX_SIDE = 4096


def engine() -> Any:
    """The RapidOCR engine (built on first use, shared by the threads of this process)."""
    global _engine
    with _lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR

            _engine = RapidOCR(
                intra_op_num_threads=1,
                inter_op_num_threads=1,
                det_limit_side_len=DET_MAX_SIDE,
                det_limit_type="max",
            )
    return _engine


def page_threads() -> int:
    """Pages OCR'd at once: ``JIXIAO_OCR_THREADS``, else one per core that is free (by
    the load average over the last minute, less this process's own), at least one and
    at most two. A second thread only pays on a core nobody else wants: on a busy
    machine it takes CPU from the other work and gives this document little."""
    configured = os.environ.get("JIXIAO_OCR_THREADS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    cores = os.cpu_count() or 1
    try:
        others = max(os.getloadavg()[0] - 1.0, 0.0)  # this process is one of the load
    except (AttributeError, OSError):  # no load average on this system
        others = 0.0
    return max(1, min(2, cores, int(cores - others + 0.5)))


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the CPU time of the block (this thread's) to `STATS[name]`."""
    started = time.thread_time()
    try:
        yield
    finally:
        spent = time.thread_time() - started
        with _lock:
            STATS[name] += spent
