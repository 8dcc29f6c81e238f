"""Write the hand-written cassettes of tests/test_llm_cassettes.py.

The request side is recorded from the real code path (LLMBackend → instructor → openai →
httpx2) against the local stand-in server, so the bodies match exactly what the code
sends; the response side is then replaced by the hand-written answer from `cases.py`
in the OpenAI wire format (a forced tool call). Run from the repository root:

    .venv/bin/python tests/cassettes/generate.py

Re-run it whenever a prompt, a schema or the request shape changes (the replay test
matches on the request body, so it fails loudly until you do).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import vcr

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from cases import CASES, MODE, MODEL  # noqa: E402
from documents import DOCUMENTS, answer_for  # noqa: E402

from standin.server import StandinServer  # noqa: E402
from test_llm_cassettes import SECRET_HEADERS, cassette_settings, run_case  # noqa: E402
from test_llm_documents import (  # noqa: E402
    CASSETTES,
    backend_for,
    cassette,
    document_settings,
    source,
)

OUT = HERE / "test_llm_cassettes"


def answer_response(name: str, answer: dict, model: str) -> dict:
    return {
        "id": f"chatcmpl-handwritten-{name}",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_0",
                            "type": "function",
                            "function": {
                                "name": "",
                                "arguments": json.dumps(answer, ensure_ascii=False),
                            },
                        }
                    ],
                },
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with StandinServer() as server:
        for name, case in CASES.items():

            def rewrite(response: dict, case: dict = case, name: str = name) -> dict:
                body = answer_response(name, case["answer"], MODEL)
                # the tool name is the response model's, as the request named it
                body["choices"][0]["message"]["tool_calls"][0]["function"]["name"] = (
                    rewrite.tool_name
                )
                response["body"]["string"] = json.dumps(body, ensure_ascii=False).encode()
                response["headers"] = {"content-type": ["application/json"]}
                return response

            def remember(request, rewrite=rewrite):
                rewrite.tool_name = json.loads(request.body)["tools"][0]["function"]["name"]
                return request

            recorder = vcr.VCR(
                filter_headers=SECRET_HEADERS,
                before_record_request=remember,
                before_record_response=rewrite,
                record_mode="all",
                decode_compressed_response=True,
            )
            path = OUT / f"test_replayed_answer_is_grounded[{name}].yaml"
            path.unlink(missing_ok=True)
            settings = cassette_settings(server.url, Path(tempfile.mkdtemp()))
            with recorder.use_cassette(str(path)):
                run_case(case, settings)
            print(f"wrote {path.relative_to(HERE.parent.parent)} ({MODE}, {MODEL})")


def documents() -> None:
    """The whole-document cassettes: one request at a time, each answered by the
    hand-written answer whose `for` text its document part holds."""
    from jixiao.ingest import load
    from jixiao.run.document import process_document
    from standin.server import document_text

    CASSETTES.mkdir(exist_ok=True)
    with StandinServer() as server:
        for name, case in DOCUMENTS.items():
            pending: list[dict] = []
            seen: set[bytes] = set()

            def remember(request, case: dict = case, pending: list[dict] = pending, seen=seen):
                # vcr passes a request here more than once; one request at a time, so
                # the distinct requests come in the order their responses do
                if request.body in seen:
                    return request
                seen.add(request.body)
                body = json.loads(request.body)
                answer = answer_for(case, document_text(body))
                pending.append({"answer": answer, "tool": body["tools"][0]["function"]["name"]})
                return request

            def rewrite(response: dict, name: str = name, pending: list[dict] = pending) -> dict:
                asked = pending.pop(0)
                body = answer_response(name, asked["answer"], MODEL)
                body["choices"][0]["message"]["tool_calls"][0]["function"]["name"] = asked["tool"]
                response["body"]["string"] = json.dumps(body, ensure_ascii=False).encode()
                response["headers"] = {"content-type": ["application/json"]}
                return response

            recorder = vcr.VCR(
                filter_headers=SECRET_HEADERS,
                before_record_request=remember,
                before_record_response=rewrite,
                record_mode="all",
                decode_compressed_response=True,
            )
            path = cassette(name)
            path.unlink(missing_ok=True)
            settings = document_settings(server.url, Path(tempfile.mkdtemp()))
            with recorder.use_cassette(str(path)):
                process_document(load(source(case)), backend_for(case, settings))
            print(f"wrote {path.relative_to(HERE.parent.parent)} ({MODE}, {MODEL})")


if __name__ == "__main__":
    main()
    documents()
