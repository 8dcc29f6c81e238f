"""The llm path against the stand-in server: wall time vs ideal, input tokens, warm cache.

The stand-in (tests/standin/server.py) runs in its own process (so its JSON work does not
share our GIL) and sends each answer exactly ``latency`` after the request arrived, its
own work included, as a remote server would; it answers a repeated prompt from memory,
so the replicated documents cost this machine's two cores as little as possible. How
late its answers went out is reported ("stand-in late").

Input tokens are measured first, per seed: they are counted by the stand-in's own copy of
each request with a simple tokenizer (one token per CJK character, per run of ASCII
letters/digits, per other non-space character; `_common.count_tokens`) over every message
plus the tool schema, against the same count of the document's text. Then, for each
latency and concurrency level, the five seeds, replicated until the ideal time is at
least ``--min-ideal`` seconds, go through the real CLI (`jixiao extract --backend llm
--no-cache`, a fresh store each time). Ideal wall time is requests × latency ÷
concurrency. The same run at zero latency gives the client's own cost and so its
capacity in requests per second on this machine; a level needs concurrency ÷ latency of
it. A warm re-run against a fresh store must make zero calls.

    .venv/bin/python benchmarks/llm_concurrency.py      # 2 s latency, batches of >= 60 s
    .venv/bin/python benchmarks/llm_concurrency.py --latencies 0.2 --min-ideal 10 \
        --json benchmarks/results/llm_concurrency_200ms.json   # beyond the client's capacity
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    REPO,
    SEEDS,
    count_tokens,
    machine,
    mib,
    print_table,
    replicate_seeds,
    run_cli,
    seed_texts,
    write_json,
)

TARGET_RATIO = 1.2
TARGET_TOKENS = 1.5


class Standin:
    """The stand-in server in a child process, driven over stdin (see _standin_process.py)."""

    def __init__(self, latency: float) -> None:
        helper = Path(__file__).resolve().parent / "_standin_process.py"
        self.proc = subprocess.Popen(
            [sys.executable, str(helper), "--latency", str(latency)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = self._read()["url"]

    def _read(self) -> dict:
        assert self.proc.stdout is not None
        return json.loads(self.proc.stdout.readline())

    def ask(self, command: str) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)


def extract(folder: Path, db: Path, env: dict, concurrency: int, *, no_cache: bool) -> dict:
    args = ["extract", str(folder), "--db", str(db), "--backend", "llm", "--quiet"]
    args += ["--concurrency", str(concurrency)] + (["--no-cache"] if no_cache else [])
    launched = time.perf_counter()
    run = run_cli(args, env=env)
    if run.returncode not in (0, 1):
        raise SystemExit(f"jixiao extract failed ({run.returncode}):\n{run.stderr[-2000:]}")
    return {"seconds": run.seconds, "peak_rss_mib": mib(run.peak_rss_main), "launched": launched}


def concurrency_rows(
    root: Path, levels: list[int], latency: float, per_copy: int, min_ideal: float
) -> list[dict]:
    """Per level: the seeds, copied until requests × latency ÷ level ≥ `min_ideal`."""
    rows = []
    for level in levels:
        copies = max(1, math.ceil(min_ideal * level / (latency * per_copy)))
        folder = root / f"c{level}-{latency}"
        n_docs = len(SEEDS) * copies
        replicate_seeds(folder, n_docs)
        row: dict = {"latency_s": latency, "concurrency": level, "documents": n_docs}
        for lat in (latency, 0.0):
            server = Standin(lat)
            try:
                env = _env(server.url, root / f"cache-{level}-{latency}-{lat}")
                db = root / f"c{level}-{latency}-{lat}.db"
                run = extract(folder, db, env, level, no_cache=True)
                stats = server.ask("stats")
            finally:
                server.close()
            key = "loaded" if lat else "zero_latency"
            # perf_counter is the system's monotonic clock, shared with the stand-in
            first = (stats["first_arrival"] or run["launched"]) - run.pop("launched")
            row[key] = {
                **run,
                "requests": stats["requests"],
                "peak_in_flight": stats["peak"],
                "to_first_request_s": round(first, 2),
                "busy_s": stats["busy_s"],
                "standin_late_max_s": stats["late_max_s"],
            }
        ideal = row["loaded"]["requests"] * latency / level
        row["ideal_s"] = round(ideal, 2)
        row["wall_s"] = round(row["loaded"]["seconds"], 2)
        row["overhead_s"] = round(row["zero_latency"]["seconds"], 2)
        row["ratio"] = round(row["wall_s"] / ideal, 2)
        row["ratio_less_overhead"] = round((row["wall_s"] - row["overhead_s"]) / ideal, 2)
        # what the client sustains here at zero latency vs what the level asks of it
        row["capacity_rps"] = round(row["zero_latency"]["requests"] / row["overhead_s"], 1)
        row["needed_rps"] = round(level / latency, 1)
        rows.append(row)
        print(
            f"  latency {latency} s, concurrency {level}: {row['wall_s']} s "
            f"(ideal {ideal:.2f}, {row['ratio']}×)",
            file=sys.stderr,
        )
    return rows


def token_rows(root: Path) -> list[dict]:
    """Per seed: the document's tokens vs every token the client sent for it."""
    rows = []
    texts = seed_texts()
    for seed, text in zip(SEEDS, texts, strict=True):
        folder = root / f"tokens-{seed}"
        folder.mkdir()
        (folder / f"{seed}.txt").write_text(text, encoding="utf-8")
        server = Standin(0.0)
        try:
            env = _env(server.url, root / f"cache-tokens-{seed}")
            extract(folder, root / f"tokens-{seed}.db", env, 8, no_cache=True)
            stats = server.ask("tokens")
        finally:
            server.close()
        doc_tokens = count_tokens(text)
        rows.append(
            {
                "seed": seed,
                "doc_tokens": doc_tokens,
                "requests": stats["requests"],
                "input_tokens": stats["input_tokens"],
                "document_tokens_sent": stats["document_tokens"],
                "ratio": round(stats["input_tokens"] / doc_tokens, 2),
                "document_sent_ratio": round(stats["document_tokens"] / doc_tokens, 2),
                "first_attempt_ratio": round(stats["first_attempt_tokens"] / doc_tokens, 2),
                "system_tokens_per_request": stats["system_tokens_per_request"],
                "schema_tokens_per_request": stats["schema_tokens_per_request"],
                "distinct_prefixes": stats["distinct_prefixes"],
            }
        )
    return rows


def warm_cache(root: Path, latency: float) -> dict:
    folder = root / "warm"
    replicate_seeds(folder, len(SEEDS))
    server = Standin(latency)
    try:
        env = _env(server.url, root / "cache-warm")
        cold = extract(folder, root / "warm-cold.db", env, 16, no_cache=False)
        cold_requests = server.ask("stats")["requests"]
        warm = extract(folder, root / "warm-warm.db", env, 16, no_cache=False)
        warm_requests = server.ask("stats")["requests"] - cold_requests
    finally:
        server.close()
    return {
        "cold_s": round(cold["seconds"], 2),
        "cold_requests": cold_requests,
        "warm_s": round(warm["seconds"], 2),
        "warm_requests": warm_requests,
    }


def _env(url: str, cache: Path) -> dict[str, str]:
    return {
        "JIXIAO_LLM_BASE_URL": url,
        "JIXIAO_LLM_MODEL": "standin-model",
        "JIXIAO_LLM_API_KEY": "sk-benchmark",
        "JIXIAO_LLM_MODE": "tools",
        "JIXIAO_CACHE_DIR": str(cache),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latencies", type=float, nargs="+", default=[2.0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 4, 16, 64])
    parser.add_argument(
        "--min-ideal",
        type=float,
        default=60.0,
        help="copy the five seeds until the ideal time of a level is at least this (s)",
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="jixiao-llm-", dir=None) as tmp:
        root = Path(tmp)
        tokens = token_rows(root)
        per_copy = sum(t["requests"] for t in tokens)
        rows = [
            row
            for latency in args.latencies
            for row in concurrency_rows(root, args.levels, latency, per_copy, args.min_ideal)
        ]
        warm = warm_cache(root, args.latencies[0])

    print("\n## Wall time vs ideal (CLI, --no-cache)\n")
    concurrency_table = print_table(
        ["latency s", "concurrency", "docs", "requests", "peak in flight", "ideal s", "wall s",
         "wall/ideal", "to first request s", "requests busy s", "zero-latency wall s",
         "client capacity req/s", "level needs req/s", "stand-in late max s", "peak RSS MiB"],
        [
            [r["latency_s"], r["concurrency"], r["documents"], r["loaded"]["requests"],
             r["loaded"]["peak_in_flight"], r["ideal_s"], r["wall_s"], r["ratio"],
             r["loaded"]["to_first_request_s"], r["loaded"]["busy_s"], r["overhead_s"],
             r["capacity_rps"], r["needed_rps"], r["loaded"]["standin_late_max_s"],
             r["loaded"]["peak_rss_mib"]]
            for r in rows
        ],
    )  # fmt: skip
    print("\n## Input tokens per document (tokenizer: see the module docstring)\n")
    token_table = print_table(
        ["seed", "doc tokens", "requests", "input tokens", "input/doc", "first attempts/doc",
         "document text sent/doc", "system tokens/request", "schema tokens/request",
         "distinct system+schema prefixes"],
        [
            [t["seed"], t["doc_tokens"], t["requests"], t["input_tokens"], t["ratio"],
             t["first_attempt_ratio"], t["document_sent_ratio"], t["system_tokens_per_request"],
             t["schema_tokens_per_request"], t["distinct_prefixes"]]
            for t in tokens
        ],
    )  # fmt: skip
    print("\n## Warm cache (same documents, fresh store)\n")
    warm_table = print_table(
        ["cold s", "cold requests", "warm s", "warm requests"],
        [[warm["cold_s"], warm["cold_requests"], warm["warm_s"], warm["warm_requests"]]],
    )
    write_json(
        "llm_concurrency",
        {
            "machine": machine(),
            "latencies_s": args.latencies,
            "min_ideal_s": args.min_ideal,
            "targets": {"wall_over_ideal": TARGET_RATIO, "input_over_doc_tokens": TARGET_TOKENS},
            "concurrency": rows,
            "tokens": tokens,
            "warm_cache": warm,
            "tables": [concurrency_table, token_table, warm_table],
            "repo": str(REPO.name),
        },
        args.json,
    )


if __name__ == "__main__":
    main()
