"""A stand-in OpenAI-compatible server for tests and benchmarks (no model, no network).

It is a real HTTP server on 127.0.0.1 (aiohttp, random port, its own thread) answering
``POST /v1/chat/completions`` in the modes instructor uses (tools, json, md_json,
json_schema). It reads the response schema from the request and fills it *naively*
from the document text between <document> tags: a concept field gets the numbers that
follow its Chinese label, an indicator table gets one row per line under the
三级指标 header. The answers are plausible, not accurate; never report accuracy on them.

What makes it useful is the script: configurable latency, and faults consumed one per
request — ``429`` (with Retry-After), ``500``, ``timeout`` (hangs), ``malformed`` (not
JSON), ``invalid`` (violates the schema), ``ungrounded`` (quotes not in the text),
``misfit`` (units that do not fit the concept). Without a fault it answers a re-ask by
leaving out the items the validation error names. Like an
obedient model, it also follows instructions planted in the text ("…报告为999万元").
It counts requests, tokens and the peak of requests in flight.

Run it for a benchmark: ``python tests/standin/server.py --port 8000 --latency 0.2``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

PROMPT_TOKENS = 100
COMPLETION_TOKENS = 10
_NUMBER = re.compile(r"(-?\d[\d,，]*(?:\.\d+)?)\s*(亿元|万元|元|%|％|人次|人|件|分|个)")
_PLANTED = re.compile(
    r"[^。\n]*?(?:报告为|填写为|report\S* .{0,30} as)\s*(\d+(?:\.\d+)?)[^。\n]*", re.I
)


@dataclass
class Script:
    latency: float = 0.0
    #: consumed one per request, in arrival order
    faults: list[str] = field(default_factory=list)
    #: how long a "timeout" fault hangs before answering
    hang: float = 2.0
    obey_planted: bool = True


@dataclass
class Stats:
    requests: int = 0
    in_flight: int = 0
    peak_in_flight: int = 0
    faults_served: list[str] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    #: seconds answers went out after they were due (the stand-in's own slowness)
    late_max: float = 0.0
    late_total: float = 0.0
    #: perf_counter of the first request's arrival and of the last answer sent
    first_arrival: float | None = None
    last_sent: float | None = None


# ------------------------------------------------------------------------- reading requests
def document_text(body: dict[str, Any]) -> str:
    for message in body.get("messages", []):
        content = message.get("content")
        if message.get("role") == "user" and isinstance(content, str) and "<document>" in content:
            return content.split("<document>", 1)[1].split("</document>", 1)[0].strip("\n")
    return ""


def menu(body: dict[str, Any], tag: str = "concepts") -> list[tuple[str, str]]:
    """(code, wording) pairs of the request's <tag> menu (concepts, stages, kinds)."""
    for message in body.get("messages", []):
        content = message.get("content")
        if message.get("role") == "user" and isinstance(content, str) and f"<{tag}>" in content:
            block = content.split(f"<{tag}>", 1)[1].split(f"</{tag}>", 1)[0]
            pairs = [line.split(" ", 1) for line in block.strip().split("\n") if " " in line]
            return [(code, wording) for code, wording in pairs if not code.endswith(":")]
    return []


def concept_menu(body: dict[str, Any]) -> list[tuple[str, str]]:
    return menu(body, "concepts")


def naive_kind(kinds: list[tuple[str, str]], text: str) -> str | None:
    """The first offered kind whose label (or one of its " / " forms) a line of the
    document's first lines prints: "code line"."""
    for line in text.split("\n")[:12]:
        for code, label in kinds:
            if any(form.strip() and form.strip() in line for form in label.split("/")):
                return f"{code} {line.strip()}"
    return None


def _first_schema(text: str) -> dict[str, Any] | None:
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(value, dict) and "properties" in value:
            return value
    return None


def response_schema(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(mode, JSON schema) of what the client asks for."""
    if body.get("tools"):
        return "tools", body["tools"][0]["function"]["parameters"]
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return "json", fmt["json_schema"]["schema"]
    mode = "json" if fmt.get("type") == "json_object" else "md_json"
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, str):
            schema = _first_schema(content)
            if schema is not None:
                return mode, schema
    return mode, {"properties": {}}


# ------------------------------------------------------------------------- naive answers
def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        return root.get("$defs", {}).get(ref.rsplit("/", 1)[-1], {})
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return _resolve(option, root)
    return schema


def naive_mentions(label: str, text: str, limit: int = 3) -> list[dict[str, Any]]:
    """The numbers printed right after `label`, each with its label-to-unit quote."""
    found: list[dict[str, Any]] = []
    for occurrence in re.finditer(re.escape(label), text):
        window = text[occurrence.end() : occurrence.end() + 16]
        number = _NUMBER.search(window)
        if not number or "\n" in window[: number.start()]:
            continue
        end = occurrence.end() + number.end()
        value = float(number.group(1).replace(",", "").replace("，", ""))
        unit = "%" if number.group(2) == "％" else number.group(2)
        found.append(
            {
                "value": value,
                "unit": unit,
                "quote": text[occurrence.start() : end],
                "measure": "share_pct" if unit == "%" else "amount",
            }
        )
        if len(found) >= limit:
            break
    return found


def naive_rows(text: str) -> list[dict[str, Any]]:
    """One row per table line under a header naming 三级指标."""
    rows: list[dict[str, Any]] = []
    column = target = None
    for line in text.split("\n"):
        cells = [c.strip() for c in line.split("\t")]
        if "三级指标" in cells:
            column = cells.index("三级指标")
            target = next((i for i, c in enumerate(cells) if "指标值" in c), None)
            continue
        if column is None or len(cells) <= column or not cells[column]:
            continue
        row: dict[str, Any] = {"level3": cells[column]}
        if column >= 2:
            row["level1"], row["level2"] = cells[column - 2] or None, cells[column - 1] or None
        if target is not None and target < len(cells) and cells[target]:
            row["target"] = cells[target]
        rows.append(row)
    return rows


def naive_answer(
    schema: dict[str, Any],
    text: str,
    concepts: list[tuple[str, str]] | None = None,
    kinds: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """Fill the schema naively: a menu concept gets the numbers after its wording; a
    document kind is answered when the request offers <kinds>."""
    answer: dict[str, Any] = {}
    for name, prop in schema.get("properties", {}).items():
        if name == "figures":
            figures = [
                {"concept": code, **mention}
                for code, wording in concepts or []
                for mention in naive_mentions(wording, text)
                if _unit_fits(code, mention)
            ]
            if figures:
                answer[name] = figures
            continue
        if name == "document_kind":
            kind = naive_kind(kinds or [], text)
            if kind:
                answer[name] = kind
            continue
        items = _resolve(prop.get("items", {}), schema) if prop.get("type") == "array" else {}
        if "measure" in items.get("properties", {}):
            label = re.split(r"[；（]", prop.get("description", ""), maxsplit=1)[0]
            mentions = naive_mentions(label, text) if label else []
            if mentions:
                answer[name] = mentions
        elif name == "rows":
            answer[name] = naive_rows(text)
        elif name == "fiscal_year":
            year = re.search(r"(20\d\d)年", text)
            answer[name] = int(year.group(1)) if year else None
    return answer


def _unit_fits(code: str, mention: dict[str, Any]) -> bool:
    """What a model that knows the concept would not get wrong: money in 元, counts in 人."""
    from jixiao.extract.llm.answer_models import unit_fits
    from jixiao.taxonomy import load_taxonomy

    concept = load_taxonomy().get(code)
    return concept is None or unit_fits(concept.kind, mention["measure"], mention["unit"])


_FLAGGED = re.compile(r"\b(figures|rows)\[(\d+)\]")


def correct(answer: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """On a re-ask, leave out the items the validation error names (as a model fixing them
    by dropping what it cannot support would)."""
    feedback = [
        m.get("content") or ""
        for m in body.get("messages", [])[2:]
        if m.get("role") in ("tool", "user")
    ]
    if not feedback:
        return answer
    flagged = {(f, int(n)) for f, n in _FLAGGED.findall(feedback[-1])}
    for field_name in ("figures", "rows"):
        items = answer.get(field_name)
        if isinstance(items, list):
            answer[field_name] = [x for n, x in enumerate(items) if (field_name, n) not in flagged]
    return answer


def obey_planted(answer: dict[str, Any], schema: dict[str, Any], text: str) -> None:
    """Do what an obedient model does with a planted instruction: report its number."""
    planted = _PLANTED.search(text)
    if planted and "figures" in schema.get("properties", {}):
        figure = {"concept": "other 本年收入合计", "value": float(planted.group(1))}
        answer.setdefault("figures", []).append(
            {**figure, "unit": "万元", "quote": planted.group(0).strip()}
        )
        return
    fields = [
        n
        for n, p in schema.get("properties", {}).items()
        if "measure" in _resolve(p.get("items", {}), schema).get("properties", {})
    ]
    if planted and fields:
        mention = {
            "value": float(planted.group(1)),
            "unit": "万元",
            "quote": planted.group(0).strip(),
        }
        answer.setdefault(fields[0], []).append(mention)


def break_answer(answer: dict[str, Any], fault: str) -> dict[str, Any]:
    if fault == "invalid":
        return (
            {**answer, "rows": "not a list", "fiscal_year": "not a year"}
            if "rows" in answer
            else {k: "not a list" for k in answer} or {"fiscal_year": "not a year"}
        )
    if fault == "misfit":  # a unit that parses but does not fit the concept (money in 人)
        for item in answer.get("figures", []):
            item["unit"] = "人"
    if fault == "ungrounded":
        for value in answer.values():
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, dict) and "quote" in item:
                        item["quote"] = "本年收入合计999万元（编造）"
                        item["value"] = 999.0
    return answer


def completion(body: dict[str, Any], mode: str, payload: str, name: str) -> dict[str, Any]:
    if mode == "tools":
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": name, "arguments": payload},
                }
            ],
        }
        finish = "tool_calls"
    else:
        content = f"```json\n{payload}\n```" if mode == "md_json" else payload
        message = {"role": "assistant", "content": content}
        finish = "stop"
    return {
        "id": "chatcmpl-standin",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model", "standin"),
        "choices": [{"index": 0, "finish_reason": finish, "message": message}],
        "usage": {
            "prompt_tokens": PROMPT_TOKENS,
            "completion_tokens": COMPLETION_TOKENS,
            "total_tokens": PROMPT_TOKENS + COMPLETION_TOKENS,
        },
    }


# ------------------------------------------------------------------------- the server
class StandinServer:
    """Start with `start()` (or as a context manager); `url` is the base_url to configure."""

    def __init__(self, script: Script | None = None) -> None:
        self.script = script or Script()
        self.stats = Stats()
        self.port = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        #: first-attempt answers by prompt (see `_answer`)
        self._answers: dict[tuple[str, str, bool], str] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def push_faults(self, *faults: str) -> None:
        with self._lock:
            self.script.faults.extend(faults)

    def reset_stats(self) -> None:
        with self._lock:
            self.stats = Stats()

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        arrived = time.perf_counter()
        body = await request.json()
        with self._lock:
            if self.stats.first_arrival is None:
                self.stats.first_arrival = arrived
            self.stats.requests += 1
            self.stats.bodies.append(body)
            fault = self.script.faults.pop(0) if self.script.faults else None
            if fault:
                self.stats.faults_served.append(fault)
            self.stats.in_flight += 1
            self.stats.peak_in_flight = max(self.stats.peak_in_flight, self.stats.in_flight)
        try:
            return await self._answer(body, fault, arrived)
        finally:
            with self._lock:
                self.stats.in_flight -= 1

    async def _answer(
        self, body: dict[str, Any], fault: str | None, arrived: float
    ) -> web.StreamResponse:
        """The answer, sent `latency` after the request arrived (its making included, as a
        server's would be: computing it after the wait made 64 answers due at once queue
        behind each other on this one thread, so the latency grew with the concurrency)."""
        if fault == "429":
            return web.json_response(
                {
                    "error": {
                        "type": "rate_limit_error",
                        "code": "rate_limit_exceeded",
                        "message": "rate limited (stand-in)",
                    }
                },
                status=429,
                headers={"retry-after-ms": "20", "retry-after": "0"},
            )
        if fault == "500":
            return web.json_response({"error": {"message": "stand-in failure"}}, status=500)
        due = arrived + self.script.latency
        if fault == "timeout":
            await asyncio.sleep(self.script.hang)
            due += self.script.hang
        mode, schema = response_schema(body)
        # a first attempt without a fault is a function of its prompt: answered once, so
        # a benchmark's repeated documents do not spend the client's cores on the server
        prompt = [body.get(k) for k in ("messages", "tools", "response_format")]
        memo = (mode, json.dumps(prompt, ensure_ascii=False), self.script.obey_planted)
        payload = self._answers.get(memo) if fault is None and len(body["messages"]) <= 2 else None
        if payload is None:
            payload = self._payload(body, mode, schema, fault)
            if fault is None and len(self._answers) < 10_000:
                self._answers[memo] = payload
        name = body["tools"][0]["function"]["name"] if body.get("tools") else ""
        response = web.json_response(completion(body, mode, payload, name))
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        with self._lock:
            late = time.perf_counter() - due
            self.stats.late_max = max(self.stats.late_max, late)
            self.stats.late_total += max(0.0, late)
            self.stats.last_sent = time.perf_counter()
        return response

    def _payload(
        self, body: dict[str, Any], mode: str, schema: dict[str, Any], fault: str | None
    ) -> str:
        text = document_text(body)
        answer = naive_answer(schema, text, concept_menu(body), menu(body, "kinds"))
        if self.script.obey_planted:
            obey_planted(answer, schema, text)
        if fault is None:  # a scripted fault repeats the mistake; otherwise it is fixed
            answer = correct(answer, body)
        if fault in ("invalid", "ungrounded", "misfit"):
            answer = break_answer(answer, fault)
        return "{not json" if fault == "malformed" else json.dumps(answer, ensure_ascii=False)

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        return app

    def start(self, port: int = 0) -> StandinServer:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def serve() -> None:
            loop = self._loop
            assert loop is not None
            asyncio.set_event_loop(loop)
            self._runner = web.AppRunner(self._app(), handle_signals=False)
            loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", port)
            loop.run_until_complete(site.start())
            self.port = self._runner.addresses[0][1]
            ready.set()
            loop.run_forever()

        self._thread = threading.Thread(target=serve, name="standin-llm", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("stand-in server did not start")
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        if self._runner is not None:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()
        self._loop = self._thread = None

    def __enter__(self) -> StandinServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    server = StandinServer(Script(latency=args.latency)).start(args.port)
    print(f"stand-in OpenAI-compatible server at {server.url} (Ctrl-C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
