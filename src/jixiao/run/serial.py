"""The serial engine: documents one after another in this process.

The default for the rules backend (a document takes ~0.2 s of one core) and the only
engine for a single document or a store only this process can reach. It yields
`Finished` documents: the batch stores them with the same `keep` the workers use.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from jixiao.extract import Backend, LogsCalls
from jixiao.run.document import process_path
from jixiao.run.engine import Job
from jixiao.run.outcome import Done, Finished


class SerialEngine:
    """Runs each document in this process with the backend the batch already built."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def run(self, paths: Sequence[Path], job: Job) -> Iterator[Done | Finished]:
        backend = self.backend
        for path in paths:
            outcome = process_path(path, backend, job.limits)
            calls = backend.drain_calls() if isinstance(backend, LogsCalls) else []
            yield Finished(outcome.record, outcome.text, calls)
