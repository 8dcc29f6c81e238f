"""Why Ray rather than Dask runs jixiao's documents: two facts measured on this machine.

1. **Where a task runs.** jixiao's per-document limits (`run.limits`) are a real-time
   timer (SIGALRM) and an address-space ceiling (RLIMIT_AS): both act on a process and
   a signal reaches only its main thread. A Ray task runs in its worker process's main
   thread, one at a time; a Dask task runs in a thread of the worker's pool. The script
   runs `Limits(seconds=0.5).guard()` around two seconds of work on each and reports
   whether the limit fired.
2. **Per-task overhead.** 400 tasks that return at once, two worker processes each
   (Ray: a local cluster of 2 CPUs; Dask: `LocalCluster(n_workers=2,
   threads_per_worker=1)`), submitted together and gathered: ms per task, median of 3.

Dask is not a dependency of jixiao: ``pip install 'dask[distributed]'`` into the
environment to run this (it says so and stops when it is missing).

    .venv/bin/python benchmarks/ray_vs_dask.py
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, print_table, write_json

TASKS = 400
REPEATS = 3


def noop(i: int) -> int:
    return i


def limited_work(seconds: float = 2.0) -> dict:
    """Work for `seconds` under a 0.5 s per-document limit; what happened, and where."""
    from jixiao.errors import DocumentTimeout
    from jixiao.run.limits import Limits

    main = threading.current_thread() is threading.main_thread()
    started = time.perf_counter()
    try:
        with Limits(seconds=0.5, memory_mb=None).guard():
            while time.perf_counter() - started < seconds:
                sum(range(10_000))
        fired = False
    except DocumentTimeout:
        fired = True
    return {
        "main_thread": main,
        "limit_fired": fired,
        "seconds": round(time.perf_counter() - started, 2),
    }


def ray_side() -> dict:
    import ray

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    started = time.perf_counter()
    ray.init(
        address="local",
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        object_store_memory=128 * 2**20,
        logging_level="WARNING",
    )
    start_seconds = time.perf_counter() - started
    try:
        remote_noop = ray.remote(noop)
        remote_limited = ray.remote(limited_work)
        ray.get([remote_noop.remote(i) for i in range(20)])  # workers up
        per_task = []
        for _ in range(REPEATS):
            t = time.perf_counter()
            ray.get([remote_noop.remote(i) for i in range(TASKS)])
            per_task.append(1000 * (time.perf_counter() - t) / TASKS)
        limit = ray.get(remote_limited.remote())
    finally:
        ray.shutdown()
    return {
        "engine": "ray",
        "start_seconds": round(start_seconds, 2),
        "ms_per_task": round(statistics.median(per_task), 3),
        **limit,
    }


def dask_side() -> dict | None:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        print("dask[distributed] is not installed: pip install 'dask[distributed]' to compare")
        return None
    started = time.perf_counter()
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        start_seconds = time.perf_counter() - started
        client.gather(client.map(noop, range(20), pure=False))
        per_task = []
        for _ in range(REPEATS):
            t = time.perf_counter()
            client.gather(client.map(noop, range(TASKS), pure=False))
            per_task.append(1000 * (time.perf_counter() - t) / TASKS)
        limit = client.submit(limited_work, pure=False).result()
    return {
        "engine": "dask",
        "start_seconds": round(start_seconds, 2),
        "ms_per_task": round(statistics.median(per_task), 3),
        **limit,
    }


def main() -> None:
    rows = [r for r in (ray_side(), dask_side()) if r is not None]
    table = print_table(
        (
            "engine",
            "cluster start s",
            f"ms per task ({TASKS} no-op tasks)",
            "task in main thread",
            "0.5 s limit fired on 2 s work",
            "work took s",
        ),
        [
            (
                r["engine"],
                r["start_seconds"],
                r["ms_per_task"],
                r["main_thread"],
                r["limit_fired"],
                r["seconds"],
            )
            for r in rows
        ],
    )
    write_json(
        "ray_vs_dask",
        {
            "machine": machine(),
            "load_average_at_start": round(os.getloadavg()[0], 2),
            "rows": rows,
            "table": table,
        },
    )


if __name__ == "__main__":
    main()
