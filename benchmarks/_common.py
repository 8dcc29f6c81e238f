"""Helpers shared by the benchmark scripts: corpora, child-process RSS sampling, output.

Benchmarks run the real CLI in a child process, so what they measure is what a user
gets (start-up, ingestion, extraction, verification, the store), and its memory is the
child's own, sampled from outside.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "eval" / "fixtures"
SEEDS = ("000", "001", "002", "003", "004")
RESULTS = REPO / "benchmarks" / "results"


def seed_texts() -> list[str]:
    return [(FIXTURES / s / "source.txt").read_text(encoding="utf-8") for s in SEEDS]


def replicate_seeds(folder: Path, n: int) -> list[Path]:
    """`n` distinct documents: the five seeds in turn, each with a unique line appended."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = seed_texts()
    paths = []
    for i in range(n):
        path = folder / f"doc{i:05d}.txt"
        path.write_text(texts[i % len(texts)] + f"\n附注：基准测试副本{i}。\n", encoding="utf-8")
        paths.append(path)
    return paths


@dataclass
class ChildRun:
    returncode: int
    seconds: float
    #: peak resident set of the CLI process alone, and of it plus its worker processes
    peak_rss_main: int
    peak_rss_tree: int
    stdout: str
    stderr: str


def _sample_rss(proc: psutil.Process, stop: threading.Event, peaks: list[int]) -> None:
    while not stop.is_set():
        try:
            main = proc.memory_info().rss
            tree = main + sum(child.memory_info().rss for child in proc.children(recursive=True))
        except psutil.Error:
            break
        peaks[0] = max(peaks[0], main)
        peaks[1] = max(peaks[1], tree)
        stop.wait(0.02)


def run_cli(
    args: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> ChildRun:
    """Run `python -m jixiao ARGS` and sample its peak RSS every 20 ms."""
    command = [sys.executable, "-m", "jixiao", *args]
    started = time.perf_counter()
    popen = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )
    peaks = [0, 0]
    stop = threading.Event()
    sampler = threading.Thread(
        target=_sample_rss, args=(psutil.Process(popen.pid), stop, peaks), daemon=True
    )
    sampler.start()
    stdout, stderr = popen.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    return ChildRun(popen.returncode, seconds, peaks[0], peaks[1], stdout, stderr)


def mib(n: int) -> float:
    return round(n / 2**20, 1)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (pasted as is into RESULTS.md); printed and returned."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---:" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    text = "\n".join(lines)
    print(text)
    return text


def write_json(name: str, data: dict, path: Path | None = None) -> Path:
    path = path or RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return path


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
    }


#: one token per CJK character, per run of ASCII letters/digits, per other non-space
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+|[^\sA-Za-z0-9]")


def count_tokens(text: str) -> int:
    return len(_TOKEN.findall(text))


def request_tokens(body: dict) -> int:
    """Tokens the client sent: every message, plus the tool schema in tools mode."""
    total = sum(count_tokens(m.get("content") or "") for m in body.get("messages", []))
    if body.get("tools"):
        total += count_tokens(json.dumps(body["tools"], ensure_ascii=False))
    if body.get("response_format"):
        total += count_tokens(json.dumps(body["response_format"], ensure_ascii=False))
    return total
