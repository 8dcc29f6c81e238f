"""A batch run of `jixiao extract`: expand inputs, resume, process, store, report.

Bulk users run tens of thousands of documents unattended, so a batch:
* resumes by content hash — a document already stored for this backend is skipped
  (its stored record still goes to `--out`), `--force` redoes it;
* stores each document in one transaction as soon as it is done, so a crash loses at
  most the documents in flight and a re-run stores each exactly once;
* turns every bad input into a one-line reason and goes on.
"""

from __future__ import annotations

import glob
import hashlib
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


@dataclass
class BatchOptions:
    backend: str = "auto"
    db: str = "jixiao.db"
    out: Path | None = None
    force: bool = False
    concurrency: int | None = None
    workers: int = 1
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


# ---------------------------------------------------------------------------- workers
def _process_in_worker(args: tuple[str, str]) -> tuple[str, str | None]:
    """Process one file in a worker process; return the record JSON and the text."""
    from jixiao.pipeline import get_backend, process_path

    path, backend_name = args
    outcome = process_path(Path(path), get_backend(backend_name))
    text = outcome.document.text if outcome.document is not None else None
    return outcome.record.model_dump_json(), text


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

        todo = _resume(store, inputs, name, options.force, emit)
        for record, text in _process(todo, name, backend, options.workers):
            if record.error is None and text is not None:
                store.save_record(record, text, run_id)
            else:
                store.save_failure(
                    path=record.source.path,
                    sha256=record.source.sha256 or None,
                    backend=name,
                    reason=record.error or "failed",
                    run_id=run_id,
                )
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


def _process(
    paths: list[Path], name: str, backend, workers: int
) -> Iterator[tuple[Record, str | None]]:
    from jixiao.pipeline import process_path

    if workers > 1 and name == "rules" and len(paths) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            jobs = ((str(p), name) for p in paths)
            for record_json, text in pool.map(_process_in_worker, jobs, chunksize=4):
                yield Record.model_validate_json(record_json), text
        return
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
