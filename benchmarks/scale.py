"""Exports and review pages at the size of a real batch: 1,000 to 30,000 documents.

Stores are built cheaply (`scale_store.py`: copies of the fixtures' records with small
changes, through the store API) on SQLite and on a PostgreSQL cluster of our own on
loopback, grown size by size. At each size every export format runs through the real
CLI in a child process (wall time, CPU time of the client, peak RSS sampled every
20 ms), and the review server answers the overview, filtered-queue and API URLs
(median and worst of several requests after a warm-up).

Targets (issue 17): export peak memory flat from 1,000 to 30,000 documents; XLSX
export ≤ 2× CSV time; overview and filtered queue ≤ 0.3 s at 10,000 documents.

    .venv/bin/python benchmarks/scale.py                          # everything (~2 h)
    .venv/bin/python benchmarks/scale.py --sizes 1000 --stores sqlite --formats csv
    .venv/bin/python benchmarks/scale.py --skip-exports           # review latencies only
    .venv/bin/python benchmarks/scale.py --url overview=/ --url 'queue=/api/queue?check=sum'

Stores stay in `--work` (default /tmp/jixiao-scale) between runs, so a second run only
adds what is missing; the PostgreSQL cluster is started for the run and stopped after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, mib, print_table, run_cli, write_json
from scale_store import build, fixture_records

FORMATS = ("csv", "jsonl", "parquet", "xlsx")
#: the review URLs timed by default: name → path (filters as the review UI sends them; the
#: same questions as benchmarks/review_latency.py asks in-process, here over HTTP)
URLS = {
    "overview": "/",
    "overview, page 50": "/?page=50",
    "overview, check filter": "/?check=sum",
    "overview, department sorted": "/?department=信访局&sort=open&desc=1",
    "queue start, filtered": "/queue?check=sum&year=2022",
    "api documents, filtered": "/api/documents?check=sum&kind=final_accounts&per_page=100",
    "api queue, filtered": "/api/queue?check=sum&severity=error&per_page=100",
}
REQUEST_TIMEOUT = 300.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------- PostgreSQL


class Cluster:
    """A PostgreSQL cluster of our own under `folder`, on a free loopback port."""

    def __init__(self, folder: Path) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        if not bins:
            raise SystemExit("no PostgreSQL server under /usr/lib/postgresql: apt-get install it")
        self.bin = bins[-1]
        self.folder = folder
        self.data = folder / "data"
        self.port = _free_port()
        self.url = f"postgresql+psycopg://jixiao@127.0.0.1:{self.port}/jixiao_scale"

    def _as_owner(self, *args: str) -> None:
        # PostgreSQL refuses to run as root: run as the unprivileged postgres user then
        prefix = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, stdout=subprocess.DEVNULL)

    def database(self, name: str) -> str:
        """The URL of database `name`, created when missing."""
        exists = subprocess.run(
            [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "jixiao",
             "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        if not exists:
            self._as_owner(
                str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                "-U", "jixiao", name,
            )  # fmt: skip
        return self.url.rsplit("/", 1)[0] + "/" + name

    def start(self) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.getuid() == 0:
            shutil.chown(self.folder, "postgres")
        if not self.data.exists():
            self._as_owner(
                str(self.bin / "initdb"), "-D", str(self.data), "-U", "jixiao", "-A", "trust",
                "-E", "UTF8", "--locale=C.UTF-8",
            )  # fmt: skip
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.folder} -c synchronous_commit=off "
            "-c shared_buffers=256MB"
        )
        self._as_owner(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
            "-w", "-o", options, "start",
        )  # fmt: skip
        return self.database("jixiao_scale")

    def stop(self) -> None:
        self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


def documents_in(url: str) -> int:
    from jixiao.store import Store
    from jixiao.store.stream import count_documents

    with Store(url) as store:
        return count_documents(store)


def store_for(url: str, size: int, cluster: Cluster | None) -> str:
    """The growing store when it holds at most `size` documents, else a store of its own
    for this size (stores only grow: a smaller size asked after a larger one)."""
    if documents_in(url) <= size:
        return url
    if cluster is not None:
        return cluster.database(f"jixiao_scale_{size}")
    return str(Path(url).with_name(f"scale-{size}.db"))


def store_bytes(url: str) -> int:
    if "://" not in url:
        return sum(p.stat().st_size for p in Path(url).parent.glob(Path(url).name + "*"))
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
    engine.dispose()
    return int(size or 0)


# ---------------------------------------------------------------- exports


def time_export(url: str, fmt: str, out: Path, repeats: int) -> dict:
    """Export `url` to `fmt` `repeats` times: median wall, its CPU, the highest peak RSS."""
    runs = []
    for _ in range(repeats):
        shutil.rmtree(out, ignore_errors=True)
        cpu = _children_cpu()
        run = run_cli(["export", "--db", url, "--format", fmt, "--out", str(out), "--quiet"])
        if run.returncode != 0:
            raise SystemExit(f"export {fmt} failed:\n{run.stderr[-2000:]}")
        written = sum(p.stat().st_size for p in out.iterdir())
        runs.append((run.seconds, _children_cpu() - cpu, run.peak_rss_main, written))
    runs.sort()
    seconds, cpu, _, written = runs[len(runs) // 2]
    shutil.rmtree(out, ignore_errors=True)
    return {
        "format": fmt,
        "seconds": round(seconds, 2),
        "seconds_all": [round(r[0], 2) for r in runs],
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mib": mib(max(r[2] for r in runs)),
        "output_mib": mib(written),
    }


# ---------------------------------------------------------------- review pages


def _get(url: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return time.perf_counter() - started, status, len(body)


def time_review(db: str, urls: dict[str, str], requests: int) -> dict:
    """Serve `db` with `jixiao review` and time each URL (one warm-up, then `requests`)."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "review", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError as exc:
                if server.poll() is not None or time.monotonic() > deadline:
                    stderr = server.stderr.read() if server.stderr else ""
                    raise SystemExit(f"the review server did not start: {stderr}") from exc
                time.sleep(0.2)
        results = {}
        for name, path in urls.items():
            url = base + urllib.parse.quote(path, safe="/?=&")
            _get(url)  # warm-up: caches, first query plans
            times, status, size = [], 0, 0
            for _ in range(requests):
                seconds, status, size = _get(url)
                times.append(seconds)
            results[name] = {
                "path": path,
                "status": status,
                "median_s": round(statistics.median(times), 4),
                "max_s": round(max(times), 4),
                "kib": round(size / 1024, 1),
            }
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


# ---------------------------------------------------------------- the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 30000])
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--formats", nargs="+", default=list(FORMATS))
    parser.add_argument("--repeats", type=int, default=3, help="runs per export (median)")
    parser.add_argument(
        "--repeat-up-to", type=int, default=10000, help="larger stores are exported once"
    )
    parser.add_argument("--requests", type=int, default=5, help="timed requests per URL")
    parser.add_argument("--work", type=Path, default=Path("/tmp/jixiao-scale"))
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument("--skip-review", action="store_true")
    parser.add_argument(
        "--url", action="append", default=[], help="NAME=PATH to time instead of the defaults"
    )
    parser.add_argument("--output", default="scale", help="results/<name>.json")
    args = parser.parse_args()
    urls = dict(u.split("=", 1) for u in args.url) if args.url else URLS
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "load_average_start": os.getloadavg(), "rows": []}
    bases: list = []  # the fixtures' records, processed only when a store needs filling
    for kind in args.stores:
        cluster = Cluster(args.work / "pg") if kind == "postgresql" else None
        url = cluster.start() if cluster else str(args.work / "scale.db")
        try:
            for size in sorted(args.sizes):
                print(f"== {kind}: {size} documents", flush=True)
                db = store_for(url, size, cluster)
                if not bases and documents_in(db) < size:
                    bases = fixture_records()
                built = build(db, size, bases=bases)
                row = {"store": kind, "documents": size, "build": built}
                row["store_mib"] = mib(store_bytes(db))
                repeats = args.repeats if size <= args.repeat_up_to else 1
                if not args.skip_exports:
                    row["exports"] = [
                        time_export(db, fmt, args.work / "out", repeats) for fmt in args.formats
                    ]
                    print(json.dumps(row["exports"], ensure_ascii=False), flush=True)
                if not args.skip_review:
                    row["review"] = time_review(db, urls, args.requests)
                    print(json.dumps(row["review"], ensure_ascii=False), flush=True)
                results["rows"].append(row)
        finally:
            if cluster:
                cluster.stop()
    results["load_average_end"] = os.getloadavg()
    write_json(args.output, results)
    report(results)


def report(results: dict) -> None:
    """The tables RESULTS.md quotes."""
    export_rows, review_rows = [], []
    for row in results["rows"]:
        by_format = {e["format"]: e for e in row.get("exports", [])}
        csv_cpu = by_format.get("csv", {}).get("cpu_seconds")
        for fmt, e in by_format.items():
            ratio = round(e["cpu_seconds"] / csv_cpu, 2) if csv_cpu else "—"
            export_rows.append(
                [row["store"], row["documents"], fmt, e["seconds"], e["cpu_seconds"], ratio,
                 e["peak_rss_mib"], e["output_mib"]]
            )  # fmt: skip
        for name, r in row.get("review", {}).items():
            review_rows.append(
                [row["store"], row["documents"], name, r["status"], r["median_s"], r["max_s"],
                 r["kib"]]
            )  # fmt: skip
    if export_rows:
        print_table(
            ["store", "documents", "format", "wall s", "CPU s", "CPU × csv", "peak RSS MiB",
             "output MiB"],
            export_rows,
        )  # fmt: skip
    if review_rows:
        print_table(
            ["store", "documents", "URL", "status", "median s", "max s", "KiB"], review_rows
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--report":
        report(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
    else:
        main()
