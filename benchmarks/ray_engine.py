"""The Ray engine against the local engine on the same batch, on this machine.

The five seeds replicated to a small and a large batch (a unique line appended to each
copy) run through the real CLI in a child process, with the rules backend and a fresh
SQLite store each time:

* local, ``--workers 1`` and ``--workers 2``;
* ray, on a head started beforehand with ``--num-cpus 1`` and ``--num-cpus 2`` (one
  and two worker processes), ``--engine ray --ray-address 127.0.0.1:PORT``.

What is compared is the ratio, not absolute time (the machine is shared). **docs/s** is
the large batch over its wall time (driver start-up, connecting to the cluster and the
store included); **marginal ms/doc** is (wall large − wall small) / (large − small):
the steady cost of one more document once everything is up, so start-up cancels out.
The per-document overhead Ray adds is the ray row's marginal ms/doc minus the local
row's with as many workers. **CPU s** adds up the driver's and (for ray) the cluster's
processes' user + system time over the large batch, sampled every 0.2 s. Each cell is
the median of ``--repeats`` runs.

    .venv/bin/python benchmarks/ray_engine.py                  # 30 and 300 documents, 3 repeats
    .venv/bin/python benchmarks/ray_engine.py --large 100 --repeats 1
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, print_table, replicate_seeds, write_json

CLUSTER_ENV = {
    "RAY_AUTH_MODE": "token",
    "RAY_AUTH_TOKEN": secrets.token_hex(16),
    "RAY_USAGE_STATS_ENABLED": "0",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Head:
    """A Ray head on this machine with `cpus` CPUs, stopped by its own processes."""

    def __init__(self, cpus: int) -> None:
        self.cpus = cpus
        self.root = Path(tempfile.mkdtemp(prefix="jxbench", dir="/tmp"))
        self.address = f"127.0.0.1:{_free_port()}"

    def __enter__(self) -> Head:
        ray = str(Path(sys.executable).with_name("ray"))
        subprocess.run(
            [
                ray,
                "start",
                "--head",
                "--node-ip-address=127.0.0.1",
                f"--port={self.address.rsplit(':', 1)[1]}",
                f"--num-cpus={self.cpus}",
                f"--object-store-memory={128 * 2**20}",
                "--include-dashboard=false",
                "--disable-usage-stats",
                f"--ray-client-server-port={_free_port()}",
                f"--dashboard-agent-listen-port={_free_port()}",
                f"--temp-dir={self.root}",
            ],
            env={**os.environ, **CLUSTER_ENV},
            check=True,
            capture_output=True,
        )
        return self

    def processes(self) -> list[psutil.Process]:
        found: dict[int, psutil.Process] = {}
        for proc in psutil.process_iter(["cmdline"]):
            if any(str(self.root) in part for part in proc.info["cmdline"] or ()):
                found[proc.pid] = proc
                with contextlib.suppress(psutil.Error):
                    for child in proc.children(recursive=True):
                        found[child.pid] = child
        return list(found.values())

    def __exit__(self, *exc: object) -> None:
        procs = self.processes()
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                proc.terminate()
        _, alive = psutil.wait_procs(procs, timeout=15)
        for proc in alive:
            with contextlib.suppress(psutil.Error):
                proc.kill()


class CpuMeter:
    """User + system seconds of a set of processes (the driver's tree, the cluster's),
    sampled every 0.2 s so processes that end are counted up to their last sample."""

    def __init__(self, find: Callable[[], list[psutil.Process]]) -> None:
        self.find = find
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        for proc in self.find():
            with contextlib.suppress(psutil.Error):
                times = proc.cpu_times()
                used = times.user + times.system
                self.first.setdefault(proc.pid, used)
                self.last[proc.pid] = used

    def _loop(self) -> None:
        while not self.stop.is_set():
            self._sample()
            self.stop.wait(0.2)

    @contextlib.contextmanager
    def measuring(self) -> Iterator[CpuMeter]:
        self._sample()  # the baseline of processes already running
        self.thread.start()
        try:
            yield self
        finally:
            self.stop.set()
            self.thread.join()
            self._sample()

    def seconds(self, baseline: dict[int, float]) -> float:
        return sum(used - baseline.get(pid, 0.0) for pid, used in self.last.items())


def run_once(folder: Path, workers: int, head: Head | None) -> tuple[float, float]:
    """Wall seconds and CPU seconds of one batch through the CLI."""
    db = Path(tempfile.mkdtemp(prefix="jxbenchdb")) / "bench.db"
    args = [sys.executable, "-m", "jixiao", "extract", str(folder), "--db", str(db)]
    args += ["--backend", "rules", "--quiet"]
    if head is None:
        args += ["--workers", str(workers)]
    else:
        args += ["--engine", "ray", "--ray-address", head.address]
    baseline: dict[int, float] = {}
    if head is not None:
        for proc in head.processes():
            with contextlib.suppress(psutil.Error):
                times = proc.cpu_times()
                baseline[proc.pid] = times.user + times.system
    started = time.perf_counter()
    popen = subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **CLUSTER_ENV},
    )
    driver = psutil.Process(popen.pid)

    def tree() -> list[psutil.Process]:
        procs = [driver]
        with contextlib.suppress(psutil.Error):
            procs += driver.children(recursive=True)
        if head is not None:
            procs += head.processes()
        return procs

    meter = CpuMeter(tree)
    with meter.measuring():
        _, stderr = popen.communicate()
    wall = time.perf_counter() - started
    if popen.returncode != 0:
        raise SystemExit(f"batch failed ({popen.returncode}): {stderr.decode()[-2000:]}")
    return wall, meter.seconds(baseline)


def measure(
    small: Path,
    large: Path,
    n_small: int,
    n_large: int,
    workers: int,
    head: Head | None,
    repeats: int,
) -> dict:
    walls_small, walls_large, cpus = [], [], []
    for _ in range(repeats):
        walls_small.append(run_once(small, workers, head)[0])
        wall, cpu = run_once(large, workers, head)
        walls_large.append(wall)
        cpus.append(cpu)
    wall_small, wall_large = statistics.median(walls_small), statistics.median(walls_large)
    return {
        "engine": "ray" if head else "local",
        "workers": workers,
        "wall_small": round(wall_small, 2),
        "wall_large": round(wall_large, 2),
        "docs_per_second": round(n_large / wall_large, 2),
        "marginal_ms_per_doc": round(1000 * (wall_large - wall_small) / (n_large - n_small), 2),
        "cpu_seconds_large": round(statistics.median(cpus), 2),
        "docs_per_cpu_second": round(n_large / statistics.median(cpus), 2),
        "runs_small": [round(w, 2) for w in walls_small],
        "runs_large": [round(w, 2) for w in walls_large],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=30)
    parser.add_argument("--large", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="jxbenchin") as tmp:
        small, large = Path(tmp) / "small", Path(tmp) / "large"
        replicate_seeds(small, args.small)
        replicate_seeds(large, args.large)
        rows = []
        for workers in args.workers:
            rows.append(measure(small, large, args.small, args.large, workers, None, args.repeats))
            with Head(workers) as head:
                run_once(small, workers, head)  # the cluster's first job starts its workers
                rows.append(
                    measure(small, large, args.small, args.large, workers, head, args.repeats)
                )
    local = {r["workers"]: r for r in rows if r["engine"] == "local"}
    for row in rows:
        base = local[row["workers"]]
        row["ratio_to_local"] = round(row["docs_per_second"] / base["docs_per_second"], 2)
        row["overhead_ms_per_doc"] = round(
            row["marginal_ms_per_doc"] - base["marginal_ms_per_doc"], 2
        )
    headers = (
        "engine",
        "workers",
        f"wall {args.small} docs s",
        f"wall {args.large} docs s",
        "docs/s",
        "× local",
        "marginal ms/doc",
        "overhead ms/doc",
        "CPU s",
        "docs per CPU s",
    )
    table = print_table(
        headers,
        [
            (
                r["engine"],
                r["workers"],
                r["wall_small"],
                r["wall_large"],
                r["docs_per_second"],
                r["ratio_to_local"],
                r["marginal_ms_per_doc"],
                r["overhead_ms_per_doc"],
                r["cpu_seconds_large"],
                r["docs_per_cpu_second"],
            )
            for r in rows
        ],
    )
    write_json(
        "ray_engine",
        {
            "machine": machine(),
            "load_average_at_start": round(load, 2),
            "small": args.small,
            "large": args.large,
            "repeats": args.repeats,
            "rows": rows,
            "table": table,
        },
    )


if __name__ == "__main__":
    main()
