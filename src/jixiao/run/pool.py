"""The process-pool engine: documents spread over local worker processes.

For CPU-bound backends (rules) on a machine with cores to spare (`--workers N`). Each
worker builds its own backend from the job's spec, processes a document with the same
`process_path` as the serial loop and stores it itself (SQLite takes one writer at a
time; the store begins writes IMMEDIATE and the writers queue on the job's lock), so a
crash loses only the documents in flight and the parent only counts.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jixiao.run.document import process_path
from jixiao.run.engine import Job
from jixiao.run.outcome import Done, Finished
from jixiao.run.workers import Worker

#: this worker process's state, set by `_start`
_worker: list[tuple[Worker, Job]] = []


def _start(job: Job) -> None:
    if job.log_file is not None:
        from jixiao.run.logs import route_library_logs

        route_library_logs(job.log_file)  # a forked worker has it already; a spawned one not
    _worker.append((Worker.start(job.backend.build(), job.target), job))


def _one(path: str) -> Done | Finished:
    worker, job = _worker[0]
    outcome = process_path(Path(path), worker.backend, job.limits)
    return worker.keep(Finished(outcome.record, outcome.text))


class PoolEngine:
    """`workers` local processes; results in input order."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def run(self, paths: Sequence[Path], job: Job) -> Iterator[Done | Finished]:
        with ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context(),
            initializer=_start,
            initargs=(job,),
        ) as pool:
            yield from pool.map(_one, [str(p) for p in paths], chunksize=4)
