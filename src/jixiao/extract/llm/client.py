"""The call layer: one validated answer per chunk, under one global concurrency limit.

Every call goes through `CallRunner.run`, which
* answers from the disk cache when it can (zero calls on unchanged input; an answer
  that stayed invalid after the re-asks is cached too, as what the model can do with
  this chunk, while a transport failure is not, so it is tried again next run);
* otherwise waits for a slot of the run-wide semaphore (``--concurrency``) and asks
  instructor, which re-asks on validation errors up to `validation_retries` times,
  while the openai client itself retries 429 (honouring Retry-After), 5xx and timeouts;
* records the call (model, mode, prompt version, schema hash, tokens, attempts, seconds,
  cached, error) in `calls`, never the key;
* when the re-asks run out, returns the last invalid answer, read without validation,
  so its values can be kept with low confidence instead of being lost.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import instructor
import openai
from instructor.core.exceptions import InstructorError, InstructorRetryException
from instructor.v2.core.hooks import Hooks
from instructor.v2.validation import async_validators as _async_validators
from pydantic import BaseModel, ValidationError

from jixiao.config import Settings
from jixiao.extract.llm.answer_models import GROUNDING_CHUNK, AnswerSpec
from jixiao.extract.llm.cache import AnswerCache, cache_key
from jixiao.extract.llm.chunking import Chunk

# instructor logs every failed attempt at ERROR with a multi-line trace; jixiao already
# keeps each failure as an `extraction_error` flag and a call-log row, so the terminal of
# a batch run stays quiet (tests/test_robustness.py checks that no library log leaks).
logging.getLogger("instructor").setLevel(logging.CRITICAL)


def _checked_once(check: Any) -> Any:
    """`check(model)` remembered per model class: it only reads the class's definition.

    instructor walks the whole response model on every request (twice) to refuse async
    validators, ~4 ms a request for our one unchanging model (cProfile, seed 001).
    """
    passed: set[Any] = set()

    def once(model: Any) -> None:
        try:
            if model in passed:
                return
        except TypeError:  # unhashable: check every time
            return check(model)
        check(model)
        passed.add(model)

    once.__wrapped__ = check  # type: ignore[attr-defined]
    return once


def _remember_async_validator_checks() -> None:
    """Install `_checked_once` wherever instructor bound the check by name at import."""
    original = _async_validators.reject_async_validators
    if hasattr(original, "__wrapped__"):
        return
    once = _checked_once(original)
    for name, module in list(sys.modules.items()):
        if name.startswith("instructor") and getattr(module, _CHECK, None) is original:
            setattr(module, _CHECK, once)


_CHECK = "reject_async_validators"
_remember_async_validator_checks()

INSTRUCTOR_MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
    "json_schema": instructor.Mode.JSON_SCHEMA,
}
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


@dataclass
class CallRequest:
    chunk: Chunk
    spec: AnswerSpec
    messages: list[dict[str, Any]]
    #: the document's content hash, for the call log
    sha256: str = ""


@dataclass
class CallResult:
    answer: BaseModel | None
    #: True when the answer passed validation (False: salvaged after the re-asks ran out)
    valid: bool
    tokens_in: int = 0
    tokens_out: int = 0
    attempts: int = 0
    seconds: float = 0.0
    cached: bool = False
    error: str | None = None


class RequestGate(Protocol):
    """A limit on requests in flight shared with other processes (e.g. every worker of a
    cluster, `jixiao.run.cluster_gate`), used instead of this process's own semaphore:
    the endpoint's limit holds for the whole batch, not per worker. `release` gets the
    call's result (None when it raised) so the gate can count what was spent."""

    async def acquire(self) -> Any: ...

    async def release(self, lease: Any, result: CallResult | None) -> None: ...


@dataclass
class _Runtime:
    """The per-event-loop part: the HTTP client and the semaphore are bound to a loop."""

    loop: asyncio.AbstractEventLoop
    client: Any
    limiter: asyncio.Semaphore
    http: openai.AsyncOpenAI


def _usage(usage: Any) -> tuple[int, int]:
    if usage is None:
        return 0, 0
    if isinstance(usage, dict):
        return int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
    return int(getattr(usage, "prompt_tokens", 0) or 0), int(
        getattr(usage, "completion_tokens", 0) or 0
    )


def raw_answer(completion: Any) -> dict[str, Any] | None:
    """The JSON object a completion carried, whatever the mode, or None."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    text = None
    if getattr(message, "tool_calls", None):
        text = message.tool_calls[0].function.arguments
    elif message.content:
        fenced = _FENCE.search(message.content)
        text = fenced.group(1) if fenced else message.content
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def salvage(spec: AnswerSpec, completion: Any) -> BaseModel | None:
    """The last invalid answer, read without the grounding validators (None if unreadable)."""
    data = raw_answer(completion)
    if data is None:
        return None
    try:
        return spec.model.model_validate(data)
    except ValidationError:
        return None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:200]}"


@dataclass
class CallRunner:
    settings: Settings
    prompt_version: str
    no_cache: bool = False
    #: one dict per call, for `Store.log_call(**fields)` (keys are llm_calls columns)
    calls: list[dict[str, Any]] = field(default_factory=list)
    in_flight: int = 0
    peak_in_flight: int = 0
    _runtime: _Runtime | None = None
    #: a limit shared beyond this process; None: the run-wide semaphore of this process
    gate: RequestGate | None = None
    #: the call log is drained by the batch's thread while the pipeline's loop appends
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @functools.cached_property
    def cache(self) -> AnswerCache:
        return AnswerCache(self.settings.cache_dir)

    def drain(self) -> list[dict[str, Any]]:
        """The calls logged since the last drain."""
        with self._lock:
            drained, self.calls = self.calls, []
        return drained

    def connect(self) -> None:
        """Create the HTTP client now (call on the loop): its first use imports much of
        openai (~0.5 s), better spent while the first documents are being read."""
        self._current()

    def _current(self) -> _Runtime:
        loop = asyncio.get_running_loop()
        if self._runtime is None or self._runtime.loop is not loop:
            http = openai.AsyncOpenAI(
                base_url=self.settings.base_url,
                api_key=self.settings.key(),
                max_retries=self.settings.http_retries,
                timeout=self.settings.timeout,
            )
            client = instructor.from_openai(http, mode=INSTRUCTOR_MODES[self.settings.mode])
            self._runtime = _Runtime(
                loop, client, asyncio.Semaphore(self.settings.concurrency), http
            )
        return self._runtime

    async def aclose(self) -> None:
        """Close the HTTP client of the running loop (call before that loop ends)."""
        runtime, self._runtime = self._runtime, None
        if runtime is not None and runtime.loop is asyncio.get_running_loop():
            await runtime.http.close()

    def key_for(self, request: CallRequest) -> str:
        return cache_key(
            model=self.settings.model or "",
            mode=self.settings.mode,
            prompt_version=self.prompt_version,
            schema_hash=request.spec.schema_hash,
            messages=request.messages,
        )

    async def run(self, request: CallRequest, *, log: bool = True) -> CallResult:
        """The answer to one request; `log=False` leaves the call log to the caller
        (the batch pipeline's workers store each document's calls with it)."""
        key = self.key_for(request)
        result = None if self.no_cache else self._from_cache(key, request)
        if result is None:
            runtime = self._current()
            if self.gate is not None:
                result = await self._through_gate(self.gate, runtime.client, request)
            else:
                async with runtime.limiter:
                    result = await self._counted(runtime.client, request)
            if result.answer is not None:
                self.cache.put(
                    key,
                    {
                        "answer": result.answer.model_dump(mode="json"),
                        "valid": result.valid,
                        "error": result.error,
                    },
                )
        if log:
            with self._lock:
                self.calls.append(self.entry(request, result))
        return result

    async def _counted(self, client: Any, request: CallRequest) -> CallResult:
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            return await self._ask(client, request)
        finally:
            self.in_flight -= 1

    async def _through_gate(
        self, gate: RequestGate, client: Any, request: CallRequest
    ) -> CallResult:
        lease = await gate.acquire()
        result: CallResult | None = None
        try:
            result = await self._counted(client, request)
        finally:
            await gate.release(lease, result)
        return result

    def _from_cache(self, key: str, request: CallRequest) -> CallResult | None:
        entry = self.cache.get(key)
        if not entry:
            return None
        valid = bool(entry.get("valid", True))
        context = {"chunk": request.chunk.text} if valid else None
        try:
            answer = request.spec.model.model_validate(entry["answer"], context=context)
        except (ValidationError, KeyError, TypeError):
            return None
        return CallResult(answer, valid, cached=True, error=entry.get("error"))

    async def _ask(self, client: Any, request: CallRequest) -> CallResult:
        attempts: list[int] = []
        hooks = Hooks()
        hooks.on("completion:kwargs", lambda *a, **k: attempts.append(1))
        started = time.perf_counter()
        try:
            answer, completion = await self._create(client, request, hooks)
        except InstructorRetryException as exc:
            tokens_in, tokens_out = _usage(exc.total_usage)
            salvaged = salvage(request.spec, exc.last_completion)
            return CallResult(
                salvaged,
                False,
                tokens_in,
                tokens_out,
                max(exc.n_attempts or 0, len(attempts)),
                time.perf_counter() - started,
                error=_short(exc),
            )
        except (InstructorError, openai.OpenAIError, TimeoutError) as exc:
            return CallResult(
                None,
                False,
                0,
                0,
                max(len(attempts), 1),
                time.perf_counter() - started,
                error=_short(exc),
            )
        tokens_in, tokens_out = _usage(getattr(completion, "usage", None))
        return CallResult(
            answer,
            True,
            tokens_in,
            tokens_out,
            max(len(attempts), 1),
            time.perf_counter() - started,
        )

    async def _create(self, client: Any, request: CallRequest, hooks: Hooks) -> Any:
        """instructor's call, its answers checked against the chunk (`GROUNDING_CHUNK`).

        The variable is reset before any salvage, which reads the last answer unchecked.
        """
        grounding = GROUNDING_CHUNK.set(request.chunk.text)
        try:
            return await client.chat.completions.create_with_completion(
                model=self.settings.model,
                response_model=request.spec.model,
                messages=request.messages,
                max_retries=self.settings.validation_retries,
                hooks=hooks,
                max_tokens=self.settings.max_tokens,
                temperature=0,
            )
        finally:
            GROUNDING_CHUNK.reset(grounding)

    def entry(self, request: CallRequest, result: CallResult) -> dict[str, Any]:
        """The call-log row of one call (for `Store.log_call(**entry)`; never the key)."""
        sections = request.chunk.sections
        section_id = sections[0].id + (f"..{sections[-1].id}" if len(sections) > 1 else "")
        return {
            "sha256": request.sha256,
            "section_id": section_id,
            "model": self.settings.model,
            "mode": self.settings.mode,
            "prompt_version": self.prompt_version,
            "schema_hash": request.spec.schema_hash,
            "tokens_in": result.tokens_in,
            "tokens_out": result.tokens_out,
            "attempts": result.attempts,
            "seconds": round(result.seconds, 4),
            "cached": result.cached,
            "error": result.error,
        }
