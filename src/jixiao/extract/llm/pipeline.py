"""A batch through the llm or hybrid backend as one continuous pipeline.

The event loop only waits on HTTP. Each document goes to one worker, which loads and
segments it, runs the rules (for `hybrid`) and plans its requests, and keeps the
document; the loop sends the requests under the run-wide semaphore and hands the
answers back to that same worker, which grounds them, merges, verifies, builds the
record and, in a batch, stores it (one transaction) with its call log. So a document
crosses between processes only as its requests going out and its answers coming back,
and the parent never re-reads a record: pickling documents both ways and storing in the
parent had made the loop's process the bottleneck of fast endpoints.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.document import Document
from jixiao.extract import Extraction
from jixiao.models import Record, Section
from jixiao.store.outcome import StoredByWorker, StoreTarget, store_outcome

#: documents in flight per slot of the semaphore (each has several requests)
WINDOW_PER_SLOT = 2
MIN_WINDOW = 8
#: worker processes by default at most (a document's CPU work is small next to its
#: requests); `--workers N` sets the number
MAX_WORKERS = 4


# --------------------------------------------------------------------- worker side
@dataclass
class _Held:
    """A document a worker keeps between planning its requests and assembling answers."""

    doc: Document
    sections: list[Section]
    requests: list[Any]
    ruled: Extraction | None
    started: float


@dataclass
class _WorkerState:
    backend: Any = None
    target: StoreTarget | None = None
    store: Any = None
    held: dict[int, _Held] = field(default_factory=dict)


_state = _WorkerState()


def start_worker(backend: Any, target: StoreTarget | None) -> None:
    """Per worker: the backend (inherited by fork), and its own connection to the store."""
    import jixiao.extract.rules
    import jixiao.verify  # noqa: F401  (imported now, not during the first document)
    from jixiao.batch import exit_with_parent, tune_gc

    exit_with_parent()
    _state.backend, _state.target, _state.held = backend, target, {}
    if target is not None:
        from jixiao.store import Store

        _state.store = Store(target.db)
        tune_gc()  # after the imports, so their objects are frozen out of collection


def plan(ticket: int, path: str) -> list[Any] | tuple[Any, ...]:
    """Load, segment, rules for `hybrid`, and the requests; the document stays here.

    Returns the requests, or — for a file that cannot be read or planned — the
    document's outcome.
    """
    from jixiao.ingest import load
    from jixiao.pipeline import failed_load, failed_processing, reason_for
    from jixiao.segment import segment

    backend = _state.backend
    started = time.perf_counter()
    try:
        doc = load(Path(path))
    except Exception as exc:
        return _outcome(failed_load(Path(path), exc, backend.name), None)
    try:
        sections = segment(doc)
        llm = getattr(backend, "llm", backend)
        ruled, wanted = None, None
        if llm is not backend:  # hybrid: the rules first, then the LLM for what they left
            ruled, wanted = _rules(doc, sections)
        requests = llm.plan(doc, sections, wanted)
    except Exception as exc:
        return _outcome(failed_processing(doc, reason_for(exc), backend.name), None)
    _state.held[ticket] = _Held(doc, sections, requests, ruled, started)
    return requests


def _rules(doc: Document, sections: list[Section]) -> tuple[Extraction, Any]:
    from jixiao.extract.hybrid import wanted_from
    from jixiao.extract.rules import RulesBackend

    started = time.perf_counter()
    extraction = RulesBackend().extract(doc, sections)
    extraction.run.seconds = time.perf_counter() - started
    return extraction, wanted_from(doc, extraction, sections)


@dataclass
class _Extracted:
    """A backend stand-in that returns an extraction already made (for `process_document`)."""

    name: str
    extraction: Extraction

    def extract(self, doc: Document, sections: list[Section]) -> Extraction:
        return self.extraction


def finish(ticket: int, results: list[Any], calls: list[dict[str, Any]]) -> Any:
    """Assemble a held document's answers, verify, build the record, store it (batch).

    `record.run.seconds` is the document's wall time here, from planning to the record,
    so it includes the wait for its requests.
    """
    from jixiao.extract.llm.backend import assemble
    from jixiao.pipeline import failed_processing, process_document, reason_for

    held = _state.held.pop(ticket)
    backend, doc = _state.backend, held.doc
    llm = getattr(backend, "llm", backend)
    resumed = time.perf_counter()
    elapsed = resumed - held.started
    try:
        extraction = assemble(doc, held.requests, results, llm.settings.model, llm.prompts.version)
        extraction.run.seconds = round(elapsed, 4)
        if held.ruled is not None:
            from jixiao.extract.hybrid import merge

            extraction = merge(held.ruled, extraction)
        elapsed += time.perf_counter() - resumed
        record = process_document(
            doc, _Extracted(backend.name, extraction), elapsed=elapsed, sections=held.sections
        )
    except Exception as exc:
        record = failed_processing(doc, reason_for(exc), backend.name)
    return _outcome(record, doc.text, calls)


def abandon(ticket: int, reason: str) -> Any:
    """A held document whose requests failed unexpectedly: its outcome, with `reason`."""
    from jixiao.pipeline import failed_processing

    doc = _state.held.pop(ticket).doc
    return _outcome(failed_processing(doc, reason, _state.backend.name), None)


def _outcome(
    record: Record, text: str | None, calls: Sequence[dict[str, Any]] = ()
) -> tuple[Any, ...]:
    """In a batch: store the document and its calls here, send back counts; else the record."""
    target, store = _state.target, _state.store
    if target is None:
        return ("record", record, text)
    with target.lock:
        store_outcome(store, record, text, _state.backend.name, target.run_id)
        store.log_calls(calls, run_id=target.run_id)
    return ("stored", StoredByWorker.of(record, want_json=target.want_json))


class Workers:
    """Processes that each keep their documents: a document's plan and finish go to the
    same worker (`for_ticket`), so it is never sent back and forth."""

    def __init__(self, backend: Any, target: StoreTarget | None, count: int | None) -> None:
        cores = os.cpu_count() or 1
        if count is None and cores < 2:  # one core: a thread beside the loop
            self.pools: list[Executor] = [
                ThreadPoolExecutor(1, initializer=start_worker, initargs=(backend, target))
            ]
            return
        # fork: no re-import, and the backend is inherited, not pickled; the workers
        # run only jixiao's own pure functions, taking no lock the parent's thread holds
        context = multiprocessing.get_context("fork")
        self.pools = [
            ProcessPoolExecutor(
                1, mp_context=context, initializer=start_worker, initargs=(backend, target)
            )
            for _ in range(count or min(cores - 1, MAX_WORKERS))
        ]
        for pool in self.pools:
            pool.submit(int)  # fork now, before the pipeline's thread starts

    def for_ticket(self, ticket: int) -> Executor:
        return self.pools[ticket % len(self.pools)]

    def shutdown(self) -> None:
        for pool in self.pools:
            pool.shutdown(wait=True)


# --------------------------------------------------------------------- the pipeline
_DONE = object()


def process_many(
    backend: Any,
    paths: Sequence[Path],
    store_to: StoreTarget | None = None,
    workers: int | None = None,
) -> Iterator[Any]:
    """Per path, in order: (record, text), or `StoredByWorker` when the workers store
    each document to `store_to` (the batch's store, run and lock). `workers` processes
    (default: one per core but one, at most `MAX_WORKERS`; a thread on one core)."""
    if not paths:
        return
    llm = getattr(backend, "llm", backend)
    window = max(MIN_WINDOW, WINDOW_PER_SLOT * llm.settings.concurrency)
    out: queue.Queue[Any] = queue.Queue()
    pool = Workers(backend, store_to, workers)
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
                out.put((index, await document(llm, worker, index, path, store_to is not None)))
            except BaseException as exc:  # handed to the caller's thread, raised there
                out.put((index, exc))

        tasks = []
        first_wave = min(window, len(paths)) - 1
        try:
            for index, path in enumerate(paths):
                await admit.acquire()
                tasks.append(asyncio.create_task(one(index, path)))
                if index == first_wave:  # runs once these tasks have handed out their files
                    loop.call_soon(llm.runner.connect)
            await asyncio.gather(*tasks)
        finally:
            await llm.aclose()

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
        for kind, *value in _in_order(out, len(paths), state):
            yield value[0] if kind == "stored" else tuple(value)
    finally:
        thread.join()
        pool.shutdown()


def _in_order(out: queue.Queue, total: int, state: dict[str, Any]) -> Iterator[Any]:
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
    llm: Any, worker: Executor, ticket: int, path: Path, stored: bool
) -> tuple[Any, ...]:
    """One file, planned and finished in `worker`; only the requests run on the loop.

    When the worker `stored` the document, it stores the calls with it; otherwise they
    stay in the runner's call log, for the caller to drain.
    """
    loop = asyncio.get_running_loop()
    planned = await loop.run_in_executor(worker, plan, ticket, str(path))
    if isinstance(planned, tuple):  # it could not be read or planned: already its outcome
        return planned
    try:
        results = await asyncio.gather(*(llm.runner.run(r, log=not stored) for r in planned))
    except Exception as exc:  # the call layer turns expected failures into results
        from jixiao.pipeline import internal_error

        return await loop.run_in_executor(worker, abandon, ticket, internal_error(exc))
    calls = (
        [llm.runner.entry(r, result) for r, result in zip(planned, results, strict=True)]
        if stored
        else []
    )
    return await loop.run_in_executor(worker, finish, ticket, list(results), calls)
