"""What every worker process does first, and how it keeps the documents it finishes.

Shared by the local process pool and the concurrent LLM runner (and meant for any
engine whose workers are processes): a worker exits with its parent, tunes the garbage
collector for a batch, opens its own connection to the store, and ends each document
with `keep` — so a worker's document is stored exactly as the serial loop stores it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jixiao.extract import Backend
from jixiao.run.outcome import Done, Finished, StoreTarget, keep

if TYPE_CHECKING:
    from jixiao.store import Store


def tune_gc() -> None:
    """Fewer, cheaper cyclic-garbage passes for a batch: a document makes objects by the
    hundred thousand, almost all freed by reference counting, and every full pass also
    re-walked the modules, patterns and taxonomy loaded at start (frozen here). A larger
    young generation than the default 700 still keeps memory flat (65 MiB over 600
    documents in-process); 50,000 let it creep up by ~1 MiB per 100 documents."""
    gc.collect()  # nothing collectable goes into the frozen set
    gc.freeze()
    gc.set_threshold(5_000, 10, 10)


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


@dataclass
class Worker:
    """One worker's backend and, when it can reach it, its own connection to the store."""

    backend: Backend
    target: StoreTarget | None
    store: Store | None

    @classmethod
    def start(cls, backend: Backend, target: StoreTarget | None) -> Worker:
        """Set up the current worker process (or thread) for a batch."""
        exit_with_parent()
        store = None
        if target is not None:
            from jixiao.store import Store

            store = Store(target.db)
        tune_gc()  # after the imports, so their objects are frozen out of collection
        return cls(backend, target, store)

    def keep(self, finished: Finished) -> Done | Finished:
        """Store the document here when the store is reachable, else hand it back."""
        if self.store is None or self.target is None:
            return finished
        return keep(self.store, self.target, finished)
