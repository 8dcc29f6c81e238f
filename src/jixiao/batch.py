"""A batch run of `jixiao extract`: expand inputs, resume, process, store, report.

Bulk users run tens of thousands of documents unattended, so a batch:
* resumes by content hash — a document already stored for this backend is skipped
  (its stored record still goes to `--out`), `--force` redoes it;
* stores each document in one transaction as soon as it is done, so a crash loses at
  most the documents in flight and a re-run stores each exactly once;
* turns every bad input into a one-line reason and goes on.
"""

from __future__ import annotations

import gc
import glob
import hashlib
import multiprocessing
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jixiao.ingest import SUPPORTED_SUFFIXES
from jixiao.models import Record
from jixiao.store.outcome import StoredByWorker, StoreTarget, store_outcome


@dataclass
class BatchOptions:
    backend: str = "auto"
    db: str = "jixiao.db"
    out: Path | None = None
    force: bool = False
    concurrency: int | None = None
    #: worker processes; None: serial for rules, the llm pipeline's own default
    workers: int | None = None
    no_cache: bool = False
    progress: bool = True


@dataclass
class BatchSummary:
    backend: str = "rules"
    backend_reason: str = ""
    documents: int = 0
    processed: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    facts: int = 0
    indicators: int = 0
    flags: Counter[str] = field(default_factory=Counter)
    tokens_in: int = 0
    tokens_out: int = 0
    calls: int = 0
    seconds: float = 0.0

    def add(self, record: Record, *, skipped: bool) -> None:
        self.documents += 1
        if record.error:
            self.failed.append((record.source.path, record.error))
            return
        if skipped:
            self.skipped += 1
        else:
            self.processed += 1
            self.tokens_in += record.run.tokens_in
            self.tokens_out += record.run.tokens_out
            self.calls += record.run.calls
            self.seconds += record.run.seconds
        self.facts += len(record.facts)
        self.indicators += len(record.indicators)
        self.flags.update(f.check for f in record.flags)

    def add_stored(self, done: StoredByWorker) -> None:
        """Count a document a worker process processed and stored itself."""
        self.documents += 1
        if done.error:
            self.failed.append((done.path, done.error))
            return
        self.processed += 1
        self.seconds += done.seconds
        self.tokens_in += done.tokens_in
        self.tokens_out += done.tokens_out
        self.calls += done.calls
        self.facts += done.facts
        self.indicators += done.indicators
        self.flags.update(done.checks)

    def as_dict(self) -> dict:
        return {
            "backend": self.backend,
            "documents": self.documents,
            "processed": self.processed,
            "skipped": self.skipped,
            "failed": len(self.failed),
            "facts": self.facts,
            "indicators": self.indicators,
            "flags": dict(self.flags),
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "calls": self.calls,
        }


# ---------------------------------------------------------------------------- inputs
def expand_inputs(paths: list[str]) -> Iterator[Path]:
    """Files as given, folders walked for supported files, globs expanded; sorted, unique."""
    seen: set[Path] = set()
    for raw in paths:
        candidates: list[Path]
        path = Path(raw)
        if path.is_dir():
            candidates = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        elif not path.exists() and glob.has_magic(raw):
            candidates = sorted(
                Path(p) for p in glob.glob(raw, recursive=True) if Path(p).is_file()
            )
        else:
            candidates = [path]  # a missing file is reported as a failure, not dropped
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                yield candidate


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------------------- memory
def tune_gc() -> None:
    """Fewer, cheaper cyclic-garbage passes for a batch: a document makes objects by the
    hundred thousand, almost all freed by reference counting, and every full pass also
    re-walked the modules, patterns and taxonomy loaded at start (frozen here). A larger
    young generation than the default 700 still keeps memory flat (65 MiB over 600
    documents in-process); 50,000 let it creep up by ~1 MiB per 100 documents."""
    gc.collect()  # nothing collectable goes into the frozen set
    gc.freeze()
    gc.set_threshold(5_000, 10, 10)


# ---------------------------------------------------------------------------- workers
def exit_with_parent(interval: float = 0.5) -> None:
    """In a worker process: exit once the process that started it is gone.

    A forked worker inherits the write end of its own task pipe, so a parent killed with
    SIGKILL never closes it and the worker would wait for work forever. Exiting in the
    middle of storing a document is safe: SQLite rolls back what was not committed.
    """
    if multiprocessing.parent_process() is None:  # a thread of the main process
        return
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="jixiao-parent-watch", daemon=True).start()


#: per worker process: its backend, its own connection to the store, the run and --out
_worker: dict = {}


def _start_worker(backend_name: str, target: StoreTarget) -> None:
    from jixiao.pipeline import get_backend
    from jixiao.store import Store

    exit_with_parent()
    tune_gc()
    _worker.update(backend=get_backend(backend_name), store=Store(target.db), target=target)


def _process_in_worker(path: str) -> StoredByWorker:
    """Process one file and store it from the worker, in one transaction of its own.

    SQLite takes one writer at a time (the store begins writes IMMEDIATE and waits), so
    workers storing their own documents keep the crash guarantee of a serial run (each
    document stored whole or not at all) and leave the parent only counting.
    """
    from jixiao.pipeline import process_path

    backend, store, target = _worker["backend"], _worker["store"], _worker["target"]
    outcome = process_path(Path(path), backend)
    record = outcome.record
    text = outcome.document.text if outcome.document is not None else None
    with target.lock:
        store_outcome(store, record, text, backend.name, target.run_id)
    return StoredByWorker.of(record, want_json=target.want_json)


def _resolve_backend(options: BatchOptions) -> tuple[str, str, object]:
    from jixiao.config import load_settings, resolve_backend
    from jixiao.pipeline import get_backend

    settings = load_settings({"concurrency": options.concurrency})
    name, reason = resolve_backend(options.backend, settings)
    if name == "rules":
        return name, reason, get_backend(name)
    return name, reason, get_backend(name, settings=settings, no_cache=options.no_cache)


def run_batch(paths: list[str], options: BatchOptions, *, console: Console) -> BatchSummary:
    """Run one batch; see the module docstring for what it guarantees."""
    from jixiao.store import Store

    name, reason, backend = _resolve_backend(options)
    tune_gc()
    summary = BatchSummary(backend=name, backend_reason=reason)
    console.print(f"backend: [bold]{name}[/bold] ({escape(reason)})")
    store = Store(options.db)
    run_id = store.start_run(name, args={"paths": paths, "force": options.force})
    inputs = list(expand_inputs(paths))
    with ExitStack() as stack:
        sink: IO[str] | None = None
        if options.out is not None:
            options.out.parent.mkdir(parents=True, exist_ok=True)
            sink = stack.enter_context(options.out.open("w", encoding="utf-8"))
        progress = stack.enter_context(
            Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                disable=not options.progress,
            )
        )
        task = progress.add_task("extracting", total=len(inputs))

        def emit(record: Record, *, skipped: bool) -> None:
            summary.add(record, skipped=skipped)
            if sink is not None:
                sink.write(record.model_dump_json() + "\n")
            progress.advance(task)

        def counted(done: StoredByWorker) -> None:
            summary.add_stored(done)
            if sink is not None and done.record_json is not None:
                sink.write(done.record_json + "\n")
            progress.advance(task)

        todo = _resume(store, inputs, name, options.force, emit)
        many = getattr(backend, "process_many", None)
        target = StoreTarget(options.db, run_id, sink is not None, _writers_lock())
        if len(todo) > 1 and _shared(store) and many is not None:
            # the llm pipeline's workers store the documents they finish
            for done in many(todo, store_to=target, workers=options.workers):
                counted(done)
        elif name == "rules" and (options.workers or 1) > 1 and len(todo) > 1 and _shared(store):
            for done in _process_in_pool(todo, options.workers or 1, name, target):
                counted(done)
        else:
            for record, text in _process(todo, backend):
                store_outcome(store, record, text, name, run_id)
                _log_calls(store, backend, run_id)
                emit(record, skipped=False)
    store.finish_run(run_id, summary.as_dict())
    return summary


def _resume(store, inputs: list[Path], backend: str, force: bool, emit) -> list[Path]:
    """Emit stored records of unchanged inputs; return the paths still to process."""
    todo: list[Path] = []
    for path in inputs:
        if not force and path.is_file():
            done = store.find_done(file_sha256(path), backend)
            if done is not None:
                emit(done, skipped=True)
                continue
        todo.append(path)
    return todo


def _shared(store) -> bool:
    """Whether worker processes opening the store's URL reach the same database (an
    in-memory SQLite database is private to the process that opened it)."""
    url = store.sa_url
    return not (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))


def _writers_lock() -> object:
    """One lock for every process that writes documents to the store during the batch."""
    return multiprocessing.get_context().Lock()


def _process_in_pool(
    paths: list[Path], workers: int, backend: str, target: StoreTarget
) -> Iterator[StoredByWorker]:
    """Documents processed and stored by `workers` processes, in input order."""
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(),
        initializer=_start_worker,
        initargs=(backend, target),
    ) as pool:
        yield from pool.map(_process_in_worker, [str(p) for p in paths], chunksize=4)


def _process(paths: list[Path], backend) -> Iterator[tuple[Record, str | None]]:
    from jixiao.pipeline import process_path

    many = getattr(backend, "process_many", None)
    if many is not None and len(paths) > 1:
        yield from many(paths)
        return
    for path in paths:
        outcome = process_path(path, backend)
        yield outcome.record, outcome.document.text if outcome.document is not None else None


def _log_calls(store, backend, run_id: int) -> None:
    """Move the backend's call log (LLM calls, never keys) into the store."""
    drain = getattr(backend, "drain_calls", None)
    if drain is None:
        return
    for call in drain():
        store.log_call(run_id=run_id, **call)
