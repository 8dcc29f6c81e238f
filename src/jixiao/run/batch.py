"""A batch run of `jixiao extract`: expand inputs, resume, pick an engine, store, report.

Bulk users run tens of thousands of documents unattended, so a batch:
* resumes by content hash — a document already stored for this backend is skipped
  (its stored record still goes to `--out`), `--force` redoes it;
* stores each document in one transaction as soon as it is done, so a crash loses at
  most the documents in flight and a re-run stores each exactly once;
* turns every bad input into a one-line reason and goes on; a document over the
  per-document time or memory limit is such an input (`run.limits`).

This is the one store/resume/summary path: whichever engine runs the documents
(`pick_engine`), what it yields is kept, written to `--out` and counted here.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from jixiao.errors import ClusterError, ConfigError
from jixiao.extract import Backend
from jixiao.extract.registry import BackendSpec, resolve_backend, spec_for
from jixiao.run.engine import CountsSpending, Engine, Job
from jixiao.run.inputs import expand_inputs, file_sha256
from jixiao.run.limits import (
    DEFAULT_MEMORY_MB,
    DEFAULT_SECONDS,
    DEFAULT_SECONDS_PER_OCR_PAGE,
    Limits,
)
from jixiao.run.logs import library_logs_to, log_path_for
from jixiao.run.outcome import Done, Finished, StoreTarget, keep
from jixiao.run.summary import BatchSummary
from jixiao.run.workers import tune_gc
from jixiao.store import Store


@dataclass
class BatchOptions:
    backend: str = "auto"
    db: str = "jixiao.db"
    out: Path | None = None
    force: bool = False
    concurrency: int | None = None
    #: worker processes; None: serial for rules, the concurrent runner's own default
    workers: int | None = None
    no_cache: bool = False
    progress: bool = True
    #: per-document limits (None: none)
    timeout: float | None = DEFAULT_SECONDS
    #: seconds the time limit grows by for each page a document needs OCR'd
    timeout_per_ocr_page: float = DEFAULT_SECONDS_PER_OCR_PAGE
    max_memory_mb: int | None = DEFAULT_MEMORY_MB
    #: where library warnings go instead of the terminal (None: beside the store,
    #: `run.logs.log_path_for`)
    log_file: Path | None = None
    #: where documents run: "local" (this machine's engines) or "ray" (a Ray cluster)
    engine: str = "local"
    #: the Ray cluster for `engine="ray"` (`run.cluster.RayEngine`)
    ray_address: str = "auto"


ENGINES = ("local", "ray")


def resolve(options: BatchOptions) -> tuple[BackendSpec, str]:
    """The backend to run (as a spec every worker can rebuild) and why it was chosen."""
    from jixiao.config import load_settings

    settings = load_settings({"concurrency": options.concurrency})
    name, reason = resolve_backend(options.backend, settings)
    return spec_for(name, settings, no_cache=options.no_cache), reason


def pick_engine(backend: Backend, todo: int, options: BatchOptions, shared: bool) -> Engine:
    """The engine for this batch: a Ray cluster when asked for (`--engine ray`); else the
    concurrent runner for request backends (llm, hybrid), a process pool for
    `--workers N` with the rules, else the serial loop.
    Worker processes need a store they can reach (`shared`) to keep their documents,
    except the concurrent runner's, which can hand them back."""
    from jixiao.extract.llm.requests import RequestBackend

    if options.engine == "ray":
        return _ray_engine(options)  # checked before the batch started: installed
    if todo > 1 and isinstance(backend, RequestBackend):
        from jixiao.run.concurrent import ConcurrentEngine

        return ConcurrentEngine(backend, options.workers)
    if todo > 1 and shared and (options.workers or 1) > 1:
        from jixiao.run.pool import PoolEngine

        return PoolEngine(options.workers or 1)
    from jixiao.run.serial import SerialEngine

    return SerialEngine(backend)


def _ray_engine(options: BatchOptions) -> Engine:
    """The Ray engine, or a one-line reason when the optional extra is not installed."""
    try:
        from jixiao.run.cluster import RayEngine
    except ImportError as exc:
        if (exc.name or "").split(".")[0] != "ray":
            raise
        raise ClusterError(
            "--engine ray needs the optional Ray extra: pip install 'jixiao[ray]'"
        ) from None
    return RayEngine(options.ray_address, options.workers)


class _RateColumn(ProgressColumn):
    """Documents per second over the last half minute (Rich's own estimate)."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text(f"{speed:.1f} docs/s" if speed else "", style="progress.data.speed")


def run_batch(paths: list[str], options: BatchOptions, *, console: Console) -> BatchSummary:
    """Run one batch; see the module docstring for what it guarantees."""
    log_file = options.log_file or log_path_for(options.db)
    with library_logs_to(log_file):
        return _run(paths, options, log_file, console)


def _run(paths: list[str], options: BatchOptions, log_file: Path, console: Console) -> BatchSummary:
    if options.engine not in ENGINES:
        raise ConfigError(f"unknown engine {options.engine!r}: choose {' or '.join(ENGINES)}")
    if options.engine == "ray":
        _ray_engine(options)  # a missing extra is said before anything starts
    spec, reason = resolve(options)
    backend = spec.build()
    tune_gc()
    summary = BatchSummary(backend=spec.name, backend_reason=reason)
    console.print(f"backend: [bold]{escape(spec.name)}[/bold] ({escape(reason)})")
    store = Store(options.db)
    run_id = store.start_run(spec.name, args={"paths": paths, "force": options.force})
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
                TextColumn("{task.fields[failed]} failed"),
                _RateColumn(),
                TimeElapsedColumn(),
                console=console,
                disable=not options.progress,
            )
        )
        task = progress.add_task("extracting", total=len(inputs), failed=0)

        def count(done: Done) -> None:
            summary.add(done)
            if sink is not None and done.record_json is not None:
                sink.write(done.record_json + "\n")
            progress.update(task, advance=1, failed=len(summary.failed))

        target = StoreTarget(options.db, run_id, sink is not None, _writers_lock())
        todo = _resume(store, inputs, spec.name, options.force, target.want_json, count)
        shared = _shared(store)
        job = Job(
            backend=spec,
            target=target if shared else None,
            limits=Limits(
                seconds=options.timeout or None,
                memory_mb=options.max_memory_mb or None,
                seconds_per_ocr_page=options.timeout_per_ocr_page,
            ),
            log_file=str(log_file),
        )
        engine = pick_engine(backend, len(todo), options, shared)
        for item in engine.run(todo, job):
            count(keep(store, target, item) if isinstance(item, Finished) else item)
        spent = engine.spent() if isinstance(engine, CountsSpending) else None
        if spent is not None:
            summary.add_spent(spent.calls, spent.tokens_in, spent.tokens_out)
    store.finish_run(run_id, summary.as_dict())
    return summary


def _resume(
    store: Store,
    inputs: list[Path],
    backend: str,
    force: bool,
    want_json: bool,
    count: Callable[[Done], None],
) -> list[Path]:
    """Count the stored records of unchanged inputs; return the paths still to process."""
    todo: list[Path] = []
    for path in inputs:
        if not force and path.is_file():
            done = store.find_done(file_sha256(path), backend)
            if done is not None:
                count(Done.of(done, want_json=want_json, skipped=True))
                continue
        todo.append(path)
    return todo


def _shared(store: Store) -> bool:
    """Whether worker processes opening the store's URL reach the same database (an
    in-memory SQLite database is private to the process that opened it)."""
    url = store.sa_url
    return not (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))


def _writers_lock() -> object:
    """One lock for every process that writes documents to the store during the batch."""
    return multiprocessing.get_context().Lock()
