"""What an engine is: a way to run many documents, and the one job they all run.

An engine decides only *where and in what order* documents are processed: in this
process one after another (`serial`), in a pool of local processes (`pool`), with the
LLM requests of many documents in flight at once (`concurrent`), or — later — on a
cluster. Everything else is shared and lives outside the engines, so a record is
byte-for-byte the same whichever engine made it:

* one document: `run.document.process_path` (or, for the concurrent runner, its
  split around the requests ending in `run.document.finish`), under `run.limits`;
* storing it: `run.outcome.keep`, in whichever process finished it;
* resuming, `--out`, the summary: `run.batch`, from the `Done` each engine yields.

The interface is small on purpose: `Engine.run(paths, job)` yields, per path and in
input order, a `Done` (the worker stored the document) or a `Finished` (the worker could
not reach the store; the batch keeps it). The `Job` is a picklable value, so a worker
anywhere can rebuild the backend, open the store and apply the limits from it alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from jixiao.extract.registry import BackendSpec
from jixiao.run.limits import Limits
from jixiao.run.outcome import Done, Finished, StoreTarget


@dataclass(frozen=True)
class Job:
    """What every engine needs to run a batch's documents (picklable)."""

    #: how each worker builds its backend
    backend: BackendSpec
    #: where workers store what they finish; None when only the parent can (an
    #: in-memory database), and workers send back `Finished` documents instead
    target: StoreTarget | None
    limits: Limits
    #: the file library warnings go to (`run.logs`), in every worker too
    log_file: str | None = None


class Engine(Protocol):
    """A way to run many documents (see the module docstring)."""

    def run(self, paths: Sequence[Path], job: Job) -> Iterator[Done | Finished]:
        """Per path, in input order: `Done` when stored where it ran, else `Finished`."""
        ...


@dataclass(frozen=True)
class Spent:
    """What an LLM endpoint answered during a batch, counted where the requests passed."""

    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0


@runtime_checkable
class CountsSpending(Protocol):
    """An engine that counts every answer its workers got — also those of attempts whose
    document was lost and run again, which no stored record carries (the Ray engine's
    gate). The batch reports the difference, so its totals are what was spent."""

    def spent(self) -> Spent | None:
        """The batch's LLM usage (None: no requests were counted)."""
        ...
