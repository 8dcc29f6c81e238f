"""What a backend that works through requests offers a runner: `RequestBackend`.

Kept apart from the backend itself, whose imports (openai, instructor) weigh ~35 MB and
a second of start-up: the batch asks "is this a request backend?" for every run, the
offline rules included, and must not pay for the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from jixiao.document import Document
from jixiao.extract import Backend, Extraction
from jixiao.models import Section

if TYPE_CHECKING:
    from jixiao.config import Settings
    from jixiao.extract.llm.client import CallRequest, CallResult, CallRunner


@dataclass
class Prepared:
    """A document's extraction up to its requests: the requests to send and, for
    `hybrid`, the rules' reading the answers complete. Stays where it was prepared;
    only the requests travel to whoever sends them."""

    requests: list[CallRequest]
    ruled: Extraction | None = None
    #: the document's kind as its title lines decided it (`segment`)
    kind: str = "unknown"


@runtime_checkable
class RequestBackend(Backend, Protocol):
    """A backend whose extraction is CPU work around requests, which a runner may send
    for many documents at once under one limit (`jixiao.run.concurrent`):
    ``complete(doc, prepare(doc, sections), [runner.run(r) for r in requests])`` is
    what `extract` does for one document."""

    name: str
    settings: Settings
    runner: CallRunner

    def prepare(self, doc: Document, sections: list[Section]) -> Prepared: ...

    def complete(
        self, doc: Document, prepared: Prepared, results: Sequence[CallResult]
    ) -> Extraction: ...

    async def aclose(self) -> None: ...
