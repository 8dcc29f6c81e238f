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

from standin.server import StandinServer  # noqa: E402
from test_llm_cassettes import SECRET_HEADERS, cassette_settings, run_case  # noqa: E402

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


if __name__ == "__main__":
    main()
