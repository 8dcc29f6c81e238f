"""A batch through the llm or hybrid backend as one continuous pipeline.

The event loop only waits on HTTP. Each document goes: load + segment (a worker) →
rules, for `hybrid` (a worker) → its requests, under the run-wide semaphore (the loop)
→ grounding the answers, merge, verify, build the record (a worker). Documents are admitted as earlier ones
are handed to the caller, up to a window that keeps the semaphore full, so there is no
barrier where slots idle while the slowest document of a group finishes, and memory
stays bounded. The workers are a process pool when the machine has more than one core
(ingestion and verification are pure Python: threads would share the loop's GIL), else
a thread. Records come out in input order.
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
from jixiao.errors import JixiaoError
from jixiao.extract import Extraction
from jixiao.models import Record, Section

#: documents in flight per slot of the semaphore (each has several requests)
WINDOW_PER_SLOT = 2
MIN_WINDOW = 8


# --------------------------------------------------------------------- worker functions
def prepare(path: str, backend_name: str) -> tuple[Document | None, list[Section], Record | None]:
    """Load and segment one file; a file that cannot be read becomes a failed record."""
    from jixiao.ingest import load
    from jixiao.pipeline import failed_record
    from jixiao.segment import segment

    file = Path(path)
    try:
        doc = load(file)
    except JixiaoError as exc:
        data = file.read_bytes() if file.is_file() else None
        return None, [], failed_record(file, f"{exc.reason}: {exc}", backend_name, data)
    except OSError as exc:
        reason = f"unreadable: {exc.strerror or exc}"
        return None, [], failed_record(file, reason, backend_name, None)
    return doc, segment(doc), None


def rules_extract(doc: Document, sections: list[Section]) -> tuple[Extraction, Any]:
    """The rules backend's reading, for `hybrid`, and what the LLM should still be asked."""
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


@dataclass
class Answers:
    """One document's requests and their results, to be assembled in a worker."""

    requests: list[Any]
    results: list[Any]
    model: str | None
    prompt_version: str
    #: the rules' reading, for `hybrid`
    ruled: Extraction | None = None


def finish(
    doc: Document, sections: list[Section], answers: Answers, backend_name: str, elapsed: float
) -> Record:
    """Assemble the answers (merged with the rules' for `hybrid`), verify, build the record.

    `elapsed` is the document's time so far (loading, rules, the LLM calls).
    """
    from jixiao.extract.llm.backend import assemble
    from jixiao.pipeline import failed_record, process_document

    started = time.perf_counter()
    try:
        extraction = assemble(
            doc, answers.requests, answers.results, answers.model, answers.prompt_version
        )
        extraction.run.seconds = round(elapsed, 4)
        if answers.ruled is not None:
            from jixiao.extract.hybrid import merge

            extraction = merge(answers.ruled, extraction)
        extracted = _Extracted(backend_name, extraction)
        elapsed += time.perf_counter() - started
        return process_document(doc, extracted, elapsed=elapsed, sections=sections)
    except JixiaoError as exc:
        record = failed_record(Path(doc.path), f"{exc.reason}: {exc}", backend_name, None)
        record.source.sha256 = doc.sha256
        return record


def warm() -> None:
    """Import the stages' modules in a worker while the parent imports the HTTP stack."""
    import jixiao.extract.rules
    import jixiao.ingest
    import jixiao.pipeline
    import jixiao.segment
    import jixiao.verify  # noqa: F401


def make_executor() -> Executor:
    """A process pool on a multi-core machine, forked now, before the pipeline's thread.

    Fork keeps start-up cheap (no re-import); the workers only run jixiao's own pure
    functions, which take no lock another thread of the parent could hold.
    """
    cores = os.cpu_count() or 1
    if cores < 2:
        return ThreadPoolExecutor(max_workers=1)
    pool = ProcessPoolExecutor(
        max_workers=min(cores - 1, 4), mp_context=multiprocessing.get_context("fork")
    )
    pool.submit(warm)  # forks the workers now (fork context: all at the first submit)
    return pool


# --------------------------------------------------------------------- the pipeline
_DONE = object()


def process_many(backend: Any, paths: Sequence[Path]) -> Iterator[tuple[Record, str | None]]:
    """(record, document text) per path, in order, through the continuous pipeline."""
    if not paths:
        return
    llm = getattr(backend, "llm", backend)
    window = max(MIN_WINDOW, WINDOW_PER_SLOT * llm.settings.concurrency)
    out: queue.Queue[Any] = queue.Queue()
    executor = make_executor()
    state: dict[str, Any] = {}
    ready = threading.Event()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        admit = asyncio.Semaphore(window)
        state["loop"], state["admit"] = loop, admit
        ready.set()

        async def one(index: int, path: Path) -> None:
            try:
                out.put((index, await document(backend, executor, path)))
            except BaseException as exc:  # handed to the caller's thread, raised there
                out.put((index, exc))

        tasks = []
        try:
            for index, path in enumerate(paths):
                await admit.acquire()
                tasks.append(asyncio.create_task(one(index, path)))
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
        yield from _in_order(out, len(paths), state)
    finally:
        thread.join()
        executor.shutdown(wait=True)


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


async def document(backend: Any, executor: Executor, path: Path) -> tuple[Record, str | None]:
    """One file through every stage; only the requests run on the loop."""
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    doc, sections, failed = await loop.run_in_executor(executor, prepare, str(path), backend.name)
    if doc is None:
        return failed, None
    llm = getattr(backend, "llm", backend)
    ruled, wanted = None, None
    if llm is not backend:  # hybrid: rules first, in a worker, then the LLM for the rest
        ruled, wanted = await loop.run_in_executor(executor, rules_extract, doc, sections)
    requests, results = await llm.ask(doc, sections, wanted=wanted)
    answers = Answers(requests, results, llm.settings.model, llm.prompts.version, ruled)
    elapsed = time.perf_counter() - started
    record = await loop.run_in_executor(
        executor, finish, doc, sections, answers, backend.name, elapsed
    )
    return record, doc.text
