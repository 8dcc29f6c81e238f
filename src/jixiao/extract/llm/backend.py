"""The `llm` backend: every section, chunk by chunk, through instructor.

`aextract` runs one document's chunks concurrently; `extract_many` runs many documents
at once. Both share the runner's single semaphore, so ``--concurrency`` bounds the
requests in flight across the whole batch and a batch takes about
calls × latency ÷ concurrency. A section that fails never stops the document: it becomes
an `extraction_error` flag (with the last answer's values kept at low confidence when
there was one).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.config import Settings
from jixiao.document import Document
from jixiao.errors import JixiaoError, LLMConfigError
from jixiao.extract import Extraction
from jixiao.extract.llm.chunking import Chunk, chunk_section, own_spans
from jixiao.extract.llm.client import CallRequest, CallResult, CallRunner
from jixiao.extract.llm.convert import Converter
from jixiao.extract.llm.prompts import DEFAULT_VERSION, PromptSet, load_prompts
from jixiao.extract.llm.schemas import AnswerSpec, answer_spec
from jixiao.models import Record, RunInfo, Section

#: concepts to ask for, per section id (None: all of the kind's); set by `hybrid`
Wanted = dict[str, tuple[str, ...] | None]


def user_message(chunk: Chunk) -> str:
    """The chunk as data, fenced, with the section it comes from."""
    section = chunk.section
    lines = [f"章节 / section: {section.title}"]
    if section.project:
        lines.append(f"项目 / project: {section.project}")
    lines += ["<document>", chunk.text, "</document>"]
    return "\n".join(lines)


def run_sync(coro: Any) -> Any:
    """Run a coroutine to completion from sync code, even inside a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


class LLMBackend:
    name = "llm"

    def __init__(
        self, settings: Settings, *, prompt_version: str = DEFAULT_VERSION, no_cache: bool = False
    ) -> None:
        if not settings.llm_configured:
            raise LLMConfigError(
                "the llm backend needs an endpoint and a model: set "
                "JIXIAO_LLM_BASE_URL and JIXIAO_LLM_MODEL (or [llm] in "
                "jixiao.toml), or use --backend rules"
            )
        self.settings = settings
        self.prompts: PromptSet = load_prompts(prompt_version)
        self.runner = CallRunner(settings, self.prompts.version, no_cache=no_cache)

    @property
    def calls(self) -> list[dict[str, Any]]:
        """The call log (one dict per call; never holds the key)."""
        return self.runner.calls

    def drain_calls(self) -> list[dict[str, Any]]:
        """The calls logged since the last drain, for `Store.log_call(**call)`."""
        drained, self.runner.calls = self.runner.calls, []
        return drained

    def process_many(self, paths: Sequence[Path]) -> Iterator[tuple[Record, str | None]]:
        """Records for many files, extracted concurrently under the one limit (see below)."""
        return process_many(self, paths, window=max(8, 4 * self.settings.concurrency))

    # ------------------------------------------------------------------------ requests
    def requests(
        self,
        doc: Document,
        sections: Iterable[Section],
        wanted: Wanted | None = None,
        all_sections: Sequence[Section] | None = None,
    ) -> list[CallRequest]:
        """One request per chunk of each section's own text (its subsections excluded)."""
        out: list[CallRequest] = []
        everything = list(sections if all_sections is None else all_sections)
        for section in sections:
            concepts = (wanted or {}).get(section.id)
            spec = answer_spec(section.kind, concepts)
            spans = own_spans(section, everything)
            for chunk in chunk_section(doc, section, self.settings.chunk_chars, spans):
                out.append(self.request(chunk, spec, doc.sha256))
        return out

    def request(self, chunk: Chunk, spec: AnswerSpec, sha256: str = "") -> CallRequest:
        messages = [
            {"role": "system", "content": self.prompts.for_kind(chunk.section.kind)},
            {"role": "user", "content": user_message(chunk)},
        ]
        return CallRequest(chunk, spec, messages, sha256)

    # ------------------------------------------------------------------------ extraction
    async def aextract(
        self, doc: Document, sections: list[Section], *, wanted: Wanted | None = None
    ) -> Extraction:
        """One document: all its chunks concurrently, within the global limit."""
        started = time.perf_counter()
        todo = [s for s in sections if wanted is None or s.id in wanted]
        requests = self.requests(doc, todo, wanted, sections)
        results = await asyncio.gather(*(self.runner.run(r) for r in requests))
        extraction = self.assemble(doc, requests, results)
        extraction.run.seconds = round(time.perf_counter() - started, 4)
        return extraction

    def assemble(
        self, doc: Document, requests: Sequence[CallRequest], results: Sequence[CallResult]
    ) -> Extraction:
        converter = Converter(doc)
        # context first (fiscal year, department), so facts get their year
        pairs = sorted(
            zip(requests, results, strict=True),
            key=lambda p: (
                p[0].spec.shape not in ("profile", "overall", "final_accounts"),
                p[0].chunk.section.start,
                p[0].chunk.index,
            ),
        )
        for request, result in pairs:
            if (
                request.spec.shape in ("profile", "overall", "final_accounts")
                and result.answer is not None
            ):
                converter.context(request.chunk, result.answer)
        converter.fiscal_year = converter.extraction.fiscal_year
        for request, result in sorted(
            zip(requests, results, strict=True),
            key=lambda p: (p[0].chunk.section.start, p[0].chunk.index),
        ):
            if result.answer is None:
                converter.failed(request.chunk, result.error)
            else:
                converter.absorb(
                    request.chunk,
                    request.spec,
                    result.answer,
                    valid=result.valid,
                    error=result.error,
                )
        extraction = converter.extraction
        extraction.run = RunInfo(
            backend="llm",
            model=self.settings.model,
            prompt_version=self.prompts.version,
            tokens_in=sum(r.tokens_in for r in results),
            tokens_out=sum(r.tokens_out for r in results),
            calls=sum(0 if r.cached else r.attempts for r in results),
            seconds=round(sum(r.seconds for r in results), 4),
        )
        return extraction

    async def aclose(self) -> None:
        """Release the HTTP connections; call at the end of the event loop that used them."""
        await self.runner.aclose()

    async def _closing(self, coro: Any) -> Any:
        try:
            return await coro
        finally:
            await self.aclose()

    def extract(self, doc: Document, sections: list[Section]) -> Extraction:
        return run_sync(self._closing(self.aextract(doc, sections)))

    async def aextract_many(
        self, items: Sequence[tuple[Document, list[Section]]]
    ) -> list[Extraction]:
        return list(await asyncio.gather(*(self.aextract(d, s) for d, s in items)))

    def extract_many(self, items: Sequence[tuple[Document, list[Section]]]) -> list[Extraction]:
        """Several documents at once under the one concurrency limit, results in order."""
        return run_sync(self._closing(self.aextract_many(items)))


@dataclass
class _Extracted:
    """A backend stand-in that returns an extraction already made (for `process_document`)."""

    name: str
    extraction: Extraction

    def extract(self, doc: Document, sections: list[Section]) -> Extraction:
        return self.extraction


def process_many(
    backend: Any, paths: Sequence[Path], *, window: int = 32
) -> Iterator[tuple[Record, str | None]]:
    """(record, document text) per path, in order, `window` documents in flight at a time.

    Loading, segmenting, merging and verifying are the pipeline's own functions; only the
    extraction of a window's documents runs concurrently (`backend.aextract_many`), so
    the global concurrency limit is filled across documents. A file that cannot be read
    becomes a failed record, as in `process_path`, and the batch goes on.
    """
    from jixiao.ingest import load
    from jixiao.pipeline import failed_record, process_document
    from jixiao.segment import segment

    for begin in range(0, len(paths), window):
        part = list(paths[begin : begin + window])
        loaded: list[tuple[Path, Document | None, Record | None]] = []
        for path in part:
            try:
                loaded.append((path, load(path), None))
            except JixiaoError as exc:
                data = path.read_bytes() if path.is_file() else None
                loaded.append(
                    (path, None, failed_record(path, f"{exc.reason}: {exc}", backend.name, data))
                )
            except OSError as exc:
                reason = f"unreadable: {exc.strerror or exc}"
                loaded.append((path, None, failed_record(path, reason, backend.name, None)))
        docs = [(doc, segment(doc)) for _, doc, _ in loaded if doc is not None]
        extractions = iter(backend.extract_many(docs))
        for path, doc, failed in loaded:
            if doc is None:
                yield failed, None
                continue
            try:
                record = process_document(doc, _Extracted(backend.name, next(extractions)))
            except JixiaoError as exc:
                record = failed_record(path, f"{exc.reason}: {exc}", backend.name, None)
                record.source.sha256 = doc.sha256
            yield record, doc.text
