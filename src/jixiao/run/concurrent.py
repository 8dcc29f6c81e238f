"""The concurrent engine: many documents' LLM requests in flight at once.

For backends whose extraction is CPU work around requests (`RequestBackend`: `llm`,
`hybrid`). The event loop only waits on HTTP. Each document goes to one worker, which
loads and segments it and has the backend `prepare` it (for `hybrid`, the rules run
here) — the same steps as `run.document.process_document`, split around the requests —
and keeps the document; the loop sends the requests under the run-wide semaphore and
hands the answers back to that same worker, which has the backend `complete` the
extraction, then `finish`es it (verify, record) and, in a batch, `keep`s it (one
transaction with its call log). So a document crosses between processes only as its
requests going out and its answers coming back, and the parent never re-reads a
record: pickling documents both ways and storing in the parent had made the loop's
process the bottleneck of fast endpoints.

Documents are admitted as earlier ones are handed to the caller, up to a window that
keeps the semaphore full, so there is no barrier where slots idle while the slowest
document of a group finishes, and memory stays bounded. The workers are processes when
the machine has more than one core (ingestion and verification are pure Python: threads
would share the loop's GIL), else a thread. Results come out in input order.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.document import Document
from jixiao.extract.llm.client import CallRequest, CallResult
from jixiao.extract.llm.requests import Prepared, RequestBackend
from jixiao.models import Section
from jixiao.run.engine import Job
from jixiao.run.failures import failed_load, failed_processing, internal_error, reason_for
from jixiao.run.limits import UNLIMITED, Limits
from jixiao.run.outcome import Done, Finished, StoreTarget
from jixiao.run.workers import Worker

#: documents in flight per slot of the semaphore (each has several requests)
WINDOW_PER_SLOT = 2
MIN_WINDOW = 8
#: worker processes by default at most (a document's CPU work is small next to its
#: requests); `--workers N` sets the number
MAX_WORKERS = 4


# --------------------------------------------------------------------- worker side
@dataclass
class _Held:
    """A document a worker keeps between preparing its requests and completing it."""

    doc: Document
    sections: list[Section]
    prepared: Prepared
    started: float


@dataclass
class _WorkerState:
    worker: Worker | None = None
    limits: Limits = UNLIMITED
    held: dict[int, _Held] | None = None


_state = _WorkerState()


def start_worker(
    backend: RequestBackend | None, target: StoreTarget | None, limits: Limits
) -> None:
    """Per worker: the backend (inherited by fork), and its own connection to the store."""
    import jixiao.extract.rules
    import jixiao.verify  # noqa: F401  (imported now, not during the first document)

    _state.limits, _state.held = limits, {}
    if backend is not None:
        _state.worker = Worker.start(backend, target)


def _backend() -> RequestBackend:
    assert _state.worker is not None
    backend = _state.worker.backend
    assert isinstance(backend, RequestBackend)
    return backend


def prepare(ticket: int, path: str) -> list[CallRequest] | Done | Finished:
    """Load, segment and prepare the requests; the document stays here.

    Returns the requests, or — for a file that cannot be read or prepared — the
    document's outcome.
    """
    from jixiao.ingest import load
    from jixiao.segment import segment

    backend = _backend()
    started = time.perf_counter()
    doc: Document | None = None
    try:
        with _state.limits.guard():
            doc = load(Path(path))
            sections = segment(doc)
            prepared = backend.prepare(doc, sections)
    except Exception as exc:
        if doc is None:
            return _keep(failed_load(Path(path), exc, backend.name), None)
        return _keep(failed_processing(doc, reason_for(exc), backend.name), None)
    assert _state.held is not None
    _state.held[ticket] = _Held(doc, sections, prepared, started)
    return prepared.requests


def complete(ticket: int, results: list[CallResult], calls: list[dict[str, Any]]) -> Any:
    """Complete a held document with its answers, finish and keep it.

    `record.run.seconds` is the document's wall time here, from preparing to the
    record, so it includes the wait for its requests.
    """
    from jixiao.run.document import finish

    assert _state.held is not None
    held = _state.held.pop(ticket)
    backend, doc = _backend(), held.doc
    try:
        with _state.limits.guard():
            extraction = backend.complete(doc, held.prepared, results)
            record = finish(doc, held.sections, extraction, started=held.started)
    except Exception as exc:
        record = failed_processing(doc, reason_for(exc), backend.name)
    return _keep(record, doc.text, calls)


def abandon(ticket: int, reason: str) -> Done | Finished:
    """A held document whose requests failed unexpectedly: its outcome, with `reason`."""
    assert _state.held is not None
    doc = _state.held.pop(ticket).doc
    return _keep(failed_processing(doc, reason, _backend().name), None)


def _keep(record: Any, text: str | None, calls: Sequence[dict[str, Any]] = ()) -> Done | Finished:
    assert _state.worker is not None
    return _state.worker.keep(Finished(record, text, list(calls)))


class Workers:
    """Processes that each keep their documents: a document's prepare and complete go to
    the same worker (`for_ticket`), so it is never sent back and forth."""

    def __init__(
        self,
        backend: RequestBackend | None,
        target: StoreTarget | None,
        count: int | None,
        limits: Limits = UNLIMITED,
    ) -> None:
        cores = os.cpu_count() or 1
        initargs = (backend, target, limits)
        if count is None and cores < 2:  # one core: a thread beside the loop
            self.pools: list[Executor] = [
                ThreadPoolExecutor(1, initializer=start_worker, initargs=initargs)
            ]
            return
        # fork: no re-import, and the backend is inherited, not pickled; the workers
        # run only jixiao's own pure functions, taking no lock the parent's thread holds
        context = multiprocessing.get_context("fork")
        self.pools = [
            ProcessPoolExecutor(1, mp_context=context, initializer=start_worker, initargs=initargs)
            for _ in range(count or min(cores - 1, MAX_WORKERS))
        ]
        for pool in self.pools:
            pool.submit(int)  # fork now, before the pipeline's thread starts

    def for_ticket(self, ticket: int) -> Executor:
        return self.pools[ticket % len(self.pools)]

    def shutdown(self) -> None:
        for pool in self.pools:
            pool.shutdown(wait=True)


# --------------------------------------------------------------------- the engine
_DONE = object()


class ConcurrentEngine:
    """The concurrent LLM runner as an engine: `workers` processes (default: one per
    core but one, at most `MAX_WORKERS`; a thread on one core) around one event loop.

    It runs the batch's own backend (its HTTP runner, cache and semaphore live in this
    process; the workers inherit it by fork), not one rebuilt from the job's spec.
    """

    def __init__(self, backend: RequestBackend, workers: int | None = None) -> None:
        self.backend = backend
        self.workers = workers

    def run(self, paths: Sequence[Path], job: Job) -> Iterator[Done | Finished]:
        """Per path, in order: `Done` when the workers store each document to the
        job's target, else `Finished` (record, text and calls) for the caller to keep."""
        if not paths:
            return
        backend = self.backend
        window = max(MIN_WINDOW, WINDOW_PER_SLOT * backend.settings.concurrency)
        out: queue.Queue[Any] = queue.Queue()
        pool = Workers(backend, job.target, self.workers, job.limits)
        state: dict[str, Any] = {}
        ready = threading.Event()

        async def main() -> None:
            loop = asyncio.get_running_loop()
            admit = asyncio.Semaphore(window)
            state["loop"], state["admit"] = loop, admit
            ready.set()

            async def one(index: int, path: Path) -> None:
                worker = pool.for_ticket(index)
                try:
                    out.put((index, await document(backend, worker, index, path)))
                except BaseException as exc:  # handed to the caller's thread, raised there
                    out.put((index, exc))

            tasks = []
            first_wave = min(window, len(paths)) - 1
            try:
                for index, path in enumerate(paths):
                    await admit.acquire()
                    tasks.append(asyncio.create_task(one(index, path)))
                    if index == first_wave:  # runs once these tasks have handed out their files
                        loop.call_soon(backend.runner.connect)
                await asyncio.gather(*tasks)
            finally:
                await backend.aclose()

        def run() -> None:
            try:
                asyncio.run(main())
            except BaseException as exc:
                out.put((-1, exc))
            finally:
                ready.set()
                out.put((-1, _DONE))

        thread = threading.Thread(target=run, name="jixiao-llm-pipeline", daemon=True)
        thread.start()
        ready.wait()
        try:
            yield from _in_order(out, len(paths), state)
        finally:
            thread.join()
            pool.shutdown()


def _in_order(out: queue.Queue[Any], total: int, state: dict[str, Any]) -> Iterator[Any]:
    """Yield results by input index, releasing one admission per result handed over."""
    pending: dict[int, Any] = {}
    following = 0
    while following < total:
        index, value = out.get()
        if index < 0:
            if isinstance(value, BaseException):
                raise value
            raise RuntimeError("the llm pipeline stopped before every document was done")
        pending[index] = value
        while following in pending:
            value = pending.pop(following)
            following += 1
            if isinstance(value, BaseException):
                raise value
            with contextlib.suppress(RuntimeError):  # the loop ends once all are done
                state["loop"].call_soon_threadsafe(state["admit"].release)
            yield value


async def document(
    backend: RequestBackend, worker: Executor, ticket: int, path: Path
) -> Done | Finished:
    """One file, prepared and completed in `worker`; only the requests run on the loop.

    The calls are logged with the document (stored with it in one transaction), not in
    the runner's shared log.
    """
    loop = asyncio.get_running_loop()
    prepared = await loop.run_in_executor(worker, prepare, ticket, str(path))
    if not isinstance(prepared, list):  # it could not be read or prepared: its outcome
        return prepared
    runner = backend.runner
    try:
        results = await asyncio.gather(*(runner.run(r, log=False) for r in prepared))
    except Exception as exc:  # the call layer turns expected failures into results
        return await loop.run_in_executor(worker, abandon, ticket, internal_error(exc))
    calls = [runner.entry(r, result) for r, result in zip(prepared, results, strict=True)]
    return await loop.run_in_executor(worker, complete, ticket, list(results), calls)
