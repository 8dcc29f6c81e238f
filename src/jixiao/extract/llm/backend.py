"""The `llm` backend: a document's sections, packed into chunks, through instructor.

`aextract` runs one document's requests concurrently. A batch is run by
`jixiao.run.concurrent`, which splits each document's extraction into `prepare` (CPU:
the requests), the requests (I/O, sent for many documents at once) and `complete`
(CPU: grounding the answers). Both share the runner's single semaphore, so
``--concurrency`` bounds the requests in flight across the whole batch and a batch
takes about calls × latency ÷ concurrency. A chunk that fails never
stops the document: it becomes an `extraction_error` flag (with the last answer's values
kept at low confidence when there was one).

What a request carries (see docs/llm.md, "What is sent"): the same system message and
response schema every time, then the document's kind, the stages and concepts the
chunk's text names, and the chunk — small sections packed together up to
``chunk_chars``, each introduced by a `§id kind` line. The kind is decided once per
document, by the title lines (`segment`); only when they decide none is the model asked,
in the request holding the document's beginning, where its title is.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable, Sequence
from typing import Any, cast

from jixiao.config import Settings
from jixiao.document import Document
from jixiao.errors import LLMConfigError
from jixiao.extract import Extraction
from jixiao.extract.llm.answer_models import (
    Answer,
    answer_spec,
    concept_menu,
    concepts_in,
    kinds_menu,
    stage_menu,
)
from jixiao.extract.llm.chunking import Chunk, chunk_section, own_spans, pack, without
from jixiao.extract.llm.client import CallRequest, CallResult, CallRunner
from jixiao.extract.llm.convert import Converter
from jixiao.extract.llm.prompts import DEFAULT_VERSION, PromptSet, load_prompts
from jixiao.extract.llm.requests import Prepared
from jixiao.models import RunInfo, Section
from jixiao.statement_tables import load_statement_forms

#: concepts to ask for, per section id (None: any the text names); set by `hybrid`
Wanted = dict[str, tuple[str, ...] | None]
#: spans of the document's text no request carries (tables the rules read; `hybrid`)
Skip = Sequence[tuple[int, int]]


UNKNOWN_KIND = "unknown"
#: what to answer with a <kinds> menu (sent only when the title lines decided no kind)
KINDS_ASKED = "document_kind: one code below, a space, the title line naming it"


def family_stage(kind: str) -> str | None:
    """The stage of a figure no wording stages in a document of this kind (a budget's
    预算, final accounts' 决算; `statement_tables.yaml` families), if the kind has one."""
    return load_statement_forms().family_stage.get(kind)


def document_kind_of(sections: Iterable[Section]) -> str:
    """The kind the title lines decided (`segment`), or unknown."""
    return str(getattr(sections, "document_kind", UNKNOWN_KIND) or UNKNOWN_KIND)


def user_message(
    chunk: Chunk, menu: str, kind: str = UNKNOWN_KIND, *, ask_kind: bool = False
) -> str:
    """The document's kind (or the kinds to choose from), the stages and concepts the chunk
    names, then the chunk as data, fenced, each section named where it starts."""
    head = ""
    if ask_kind:
        head += f"<kinds>\n{KINDS_ASKED}\n{kinds_menu()}\n</kinds>\n"
    elif kind != UNKNOWN_KIND:
        head += f"<kind>{kind}</kind>\n"
    stages = stage_menu(chunk.text, family_stage(kind))
    if stages:
        head += f"<stages>\n{stages}\n</stages>\n"
    if menu:
        head += f"<concepts>\n{menu}\n</concepts>\n"
    return f"{head}<document>\n{chunk.marked_text()}\n</document>"


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


def _allowed(chunk: Chunk, wanted: Wanted | None) -> frozenset[str] | None:
    """The concept codes the chunk's sections may be asked about (None: any)."""
    if wanted is None:
        return None
    asked = [wanted.get(s.id) for s in chunk.sections]
    if any(a is None for a in asked):
        return None
    return frozenset(c for a in asked for c in a or ())


def assemble(
    doc: Document,
    requests: Sequence[CallRequest],
    results: Sequence[CallResult],
    model: str | None,
    prompt_version: str,
    kind: str = UNKNOWN_KIND,
    fiscal_year: int | None = None,
) -> Extraction:
    """The answers of one document's requests as one grounded `Extraction`.

    `kind` is the document's kind as the title lines decided it (unknown: the model's
    answer, if any, decides); `fiscal_year` the year already read (`hybrid`: the rules',
    which the record keeps, so both backends date a figure alike), else the model's. A
    plain function of picklable arguments, so the batch pipeline runs it in a worker.
    """
    converter = Converter(doc, kind=kind)
    # every request is answered in the one `Answer` model (`answer_models.answer_spec`)
    answers = [cast(Answer | None, r.answer) for r in results]
    pairs = sorted(
        zip(requests, results, answers, strict=True), key=lambda p: p[0].chunk.pieces[0][0]
    )
    # context first (kind, fiscal year, department), so every fact gets its year and stage
    for request, _, answer in pairs:
        if answer is not None:
            converter.context(request.chunk, answer)
    converter.fiscal_year = fiscal_year or converter.extraction.fiscal_year
    converter.kind = converter.extraction.document_kind or kind
    for request, result, answer in pairs:
        if answer is None:
            converter.failed(request.chunk, result.error)
        else:
            converter.absorb(request.chunk, answer, valid=result.valid, error=result.error)
    extraction = converter.extraction
    extraction.run = RunInfo(
        backend="llm",
        model=model,
        prompt_version=prompt_version,
        tokens_in=sum(r.tokens_in for r in results),
        tokens_out=sum(r.tokens_out for r in results),
        calls=sum(0 if r.cached else r.attempts for r in results),
        seconds=round(sum(r.seconds for r in results), 4),
    )
    return extraction


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
        return self.runner.drain()

    # ------------------------------------------------------------------------ requests
    def chunks(
        self,
        doc: Document,
        sections: Iterable[Section],
        all_sections: Sequence[Section],
        skip: Skip = (),
    ) -> list[Chunk]:
        """Each section's own text (subsections and `skip` excluded) cut to the budget,
        then packed."""
        budget = self.settings.chunk_chars
        single: list[Chunk] = []
        everything = list(all_sections)
        for section in sections:
            spans = without(own_spans(section, everything), skip)
            single += chunk_section(doc, section, budget, spans)
        single.sort(key=lambda c: c.pieces[0][0])
        return pack(single, budget)

    def requests(
        self,
        doc: Document,
        sections: Iterable[Section],
        wanted: Wanted | None = None,
        all_sections: Sequence[Section] | None = None,
        skip: Skip = (),
    ) -> list[CallRequest]:
        """One request per packed chunk. The document's kind comes from `all_sections`
        (else `sections`) as `segment` decided it; when it is unknown, the first chunk
        asks the model."""
        kind = document_kind_of(sections if all_sections is None else all_sections)
        sections = list(sections)
        everything = sections if all_sections is None else all_sections
        out: list[CallRequest] = []
        for n, chunk in enumerate(self.chunks(doc, sections, everything, skip)):
            found = concepts_in(chunk.text, _allowed(chunk, wanted))
            ask_kind = kind == UNKNOWN_KIND and n == 0
            user = user_message(chunk, concept_menu(found), kind, ask_kind=ask_kind)
            messages = [
                {"role": "system", "content": self.prompts.system},
                {"role": "user", "content": user},
            ]
            out.append(CallRequest(chunk, answer_spec(tuple(found)), messages, doc.sha256))
        return out

    def plan(
        self,
        doc: Document,
        sections: list[Section],
        wanted: Wanted | None = None,
        skip: Skip = (),
    ) -> list[CallRequest]:
        """The requests a document needs: every section, or those `wanted` without the
        `skip` spans (hybrid)."""
        todo = [s for s in sections if wanted is None or s.id in wanted]
        return self.requests(doc, todo, wanted, sections, skip)

    def prepare(self, doc: Document, sections: list[Section]) -> Prepared:
        """Every section's requests (see `RequestBackend`)."""
        return Prepared(self.plan(doc, sections), kind=document_kind_of(sections))

    def complete(
        self, doc: Document, prepared: Prepared, results: Sequence[CallResult]
    ) -> Extraction:
        """The answers as one grounded extraction (see `RequestBackend`)."""
        return self.assemble(doc, prepared.requests, results, prepared.kind)

    # ------------------------------------------------------------------------ extraction
    async def ask(
        self,
        doc: Document,
        sections: list[Section],
        *,
        wanted: Wanted | None = None,
        skip: Skip = (),
    ) -> tuple[list[CallRequest], list[CallResult]]:
        """One document's requests, all concurrently within the global limit."""
        requests = self.plan(doc, sections, wanted, skip)
        results = await asyncio.gather(*(self.runner.run(r) for r in requests))
        return requests, list(results)

    async def aextract(
        self,
        doc: Document,
        sections: list[Section],
        *,
        wanted: Wanted | None = None,
        skip: Skip = (),
        fiscal_year: int | None = None,
    ) -> Extraction:
        """One document: its requests, then their answers as grounded contract objects."""
        started = time.perf_counter()
        requests, results = await self.ask(doc, sections, wanted=wanted, skip=skip)
        kind = document_kind_of(sections)
        extraction = self.assemble(doc, requests, results, kind, fiscal_year)
        extraction.run.seconds = round(time.perf_counter() - started, 4)
        return extraction

    def assemble(
        self,
        doc: Document,
        requests: Sequence[CallRequest],
        results: Sequence[CallResult],
        kind: str = UNKNOWN_KIND,
        fiscal_year: int | None = None,
    ) -> Extraction:
        model, version = self.settings.model, self.prompts.version
        return assemble(doc, requests, results, model, version, kind, fiscal_year)

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
