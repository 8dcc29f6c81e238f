"""The stand-in server in its own process, driven over stdin (used by llm_concurrency.py).

Prints ``{"url": ...}`` once started, then one JSON line per command read from stdin:
``stats`` (requests, peak in flight) or ``tokens`` (input tokens of every request, with
the simple tokenizer of `_common.count_tokens`). Ends when stdin closes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import count_tokens, request_tokens

from standin.server import Script, StandinServer


def token_stats(bodies: list[dict]) -> dict:
    """Input tokens of all requests; first attempts are those with no re-ask appended."""
    from standin.server import document_text

    system = [
        count_tokens(m.get("content") or "")
        for b in bodies
        for m in b.get("messages", [])
        if m.get("role") == "system"
    ]
    schema = [count_tokens(json.dumps(b.get("tools") or [], ensure_ascii=False)) for b in bodies]
    prefixes = {
        json.dumps(
            [[m for m in b.get("messages", []) if m.get("role") == "system"], b.get("tools")],
            ensure_ascii=False,
            sort_keys=True,
        )
        for b in bodies
    }
    return {
        "requests": len(bodies),
        #: distinct (system message, tool schema) pairs: 1 means an identical prefix
        "distinct_prefixes": len(prefixes),
        "input_tokens": sum(request_tokens(b) for b in bodies),
        "first_attempt_tokens": sum(
            request_tokens(b) for b in bodies if len(b.get("messages", [])) <= 2
        ),
        "document_tokens": sum(count_tokens(document_text(b)) for b in bodies),
        "system_tokens_per_request": round(statistics.mean(system)) if system else 0,
        "schema_tokens_per_request": round(statistics.mean(schema)) if schema else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    server = StandinServer(Script(latency=args.latency)).start()
    print(json.dumps({"url": server.url}), flush=True)
    try:
        for line in sys.stdin:
            command = line.strip()
            stats = server.stats
            if command == "stats":
                answer = {
                    "requests": stats.requests,
                    "peak": stats.peak_in_flight,
                    "late_max_s": round(stats.late_max, 4),
                    "late_mean_s": round(stats.late_total / max(stats.requests, 1), 4),
                    # from the first request's arrival to the last answer sent
                    "busy_s": round((stats.last_sent or 0) - (stats.first_arrival or 0), 3),
                    # time.perf_counter() is the system's monotonic clock: comparable
                    # with the benchmark's own readings
                    "first_arrival": stats.first_arrival,
                    "last_sent": stats.last_sent,
                }
            elif command == "tokens":
                answer = token_stats(list(stats.bodies))
            else:
                answer = {"error": f"unknown command {command!r}"}
            print(json.dumps(answer), flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
