"""Where the llm path's CPU goes at zero latency: the loop's process, its workers, the stand-in.

At zero latency the client runs as fast as its CPU allows, so this is its capacity on the
machine, split by process: the CLI's own process (the event loop: building requests,
instructor's parsing, the cache), the worker process(es) that load, plan, ground, verify
and store each document, and the stand-in server. CPU times are sampled from outside
every 200 ms (the last sample of each process before it exits).

    .venv/bin/python benchmarks/llm_cpu_split.py            # 600 documents, concurrency 64
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, print_table, replicate_seeds, write_json
from llm_concurrency import Standin, _env


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jixiao-cpu-") as tmp:
        root = Path(tmp)
        replicate_seeds(root / "docs", args.documents)
        server = Standin(0.0)
        standin = psutil.Process(server.proc.pid)
        standin_before = cpu_seconds(standin)
        command = [sys.executable, "-m", "jixiao", "extract", str(root / "docs")]
        command += ["--db", str(root / "run.db"), "--backend", "llm", "--quiet", "--no-cache"]
        command += ["--concurrency", str(args.concurrency)]
        env = {**os.environ, **_env(server.url, root / "cache")}
        started = time.perf_counter()
        cli = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        last: dict[int, tuple[str, float]] = {}
        parent = psutil.Process(cli.pid)
        while cli.poll() is None:
            try:
                for process in [parent, *parent.children(recursive=True)]:
                    role = "loop's process" if process.pid == cli.pid else "worker"
                    last[process.pid] = (role, cpu_seconds(process))
            except psutil.Error:
                pass
            time.sleep(0.2)
        wall = time.perf_counter() - started
        standin_cpu = cpu_seconds(standin) - standin_before
        requests = server.ask("stats")["requests"]
        server.close()
    rows = [[role, round(cpu, 1)] for role, cpu in last.values()]
    rows.append(["stand-in", round(standin_cpu, 1)])
    print(f"\n{args.documents} documents, {requests} requests, concurrency "
          f"{args.concurrency}, zero latency: {wall:.1f} s wall "
          f"({args.documents / wall:.1f} documents/s, {requests / wall:.1f} requests/s)\n")  # fmt: skip
    table = print_table(["process", "CPU s"], rows)
    worker = sum(cpu for role, cpu in last.values() if role == "worker")
    loop = sum(cpu for role, cpu in last.values() if role != "worker")
    print(
        f"\nper document: {1000 * worker / args.documents:.1f} ms in the worker(s); "
        f"per request: {1000 * loop / max(requests, 1):.1f} ms in the loop's process"
    )
    write_json(
        "llm_cpu_split",
        {
            "machine": machine(),
            "documents": args.documents,
            "requests": requests,
            "concurrency": args.concurrency,
            "wall_s": round(wall, 2),
            "cpu_s": {"loop_process": round(loop, 2), "workers": round(worker, 2),
                      "standin": round(standin_cpu, 2)},
            "table": table,
        },
    )  # fmt: skip


if __name__ == "__main__":
    main()
