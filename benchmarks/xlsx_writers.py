"""The XLSX writers against the CSV export on one store: CPU time and peak memory.

The store read and the rows are the same for every format, so the difference is the
writer. Each run is a child process that exports the store in-process (`export_store`
with the writer class swapped in), so start-up is not counted and each run's CPU time
(`process_time`, all threads) and peak RSS (`ru_maxrss`) are its own.

    .venv/bin/python benchmarks/xlsx_writers.py --db /tmp/jixiao-scale/scale-1000.db

Writers: `csv` (the yardstick), `streaming` (`StreamingXlsxWriter`, export/sheetxml.py,
the default), `xlsxwriter` (`XlsxWriter`, XlsxWriter in constant-memory mode, the
reference the tests compare with).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, print_table, write_json

#: what a child runs: export `db` with `writer` to `out`, print CPU s, peak RSS MiB, MiB out
CHILD = """
import json, resource, sys, time
from pathlib import Path
from jixiao.export import export_store, writers
from jixiao.store import Store
writer, db, out = sys.argv[1:4]
if writer != "csv":
    cls = {"streaming": writers.StreamingXlsxWriter, "xlsxwriter": writers.XlsxWriter}[writer]
    writers.WRITERS["xlsx"] = cls
with Store(db) as store:
    started = time.process_time()
    export_store(store, "csv" if writer == "csv" else "xlsx", Path(out))
    cpu = time.process_time() - started
written = sum(p.stat().st_size for p in Path(out).iterdir())
print(json.dumps({"cpu_seconds": round(cpu, 2),
                  "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "output_mib": round(written / 2**20, 1)}))
"""


def run(writer: str, db: str, out: Path) -> dict:
    import shutil

    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, writer, db, str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    shutil.rmtree(out, ignore_errors=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a store (e.g. one scale.py built)")
    parser.add_argument("--writers", nargs="+", default=["csv", "streaming", "xlsxwriter"])
    parser.add_argument("--repeats", type=int, default=3, help="runs per writer (median)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/jixiao-xlsx-writers"))
    parser.add_argument("--output", default="xlsx_writers", help="results/<name>.json")
    args = parser.parse_args()
    results: dict = {"machine": machine(), "load_average_start": os.getloadavg(), "db": args.db}
    # in turns (csv, streaming, xlsxwriter, csv, …) so a change in the machine's load hits all
    runs: dict[str, list[dict]] = {w: [] for w in args.writers}
    for _ in range(args.repeats):
        for writer in args.writers:
            runs[writer].append(run(writer, args.db, args.work / writer))
            print(writer, runs[writer][-1], flush=True)
    rows = []
    csv_cpu = (
        statistics.median(r["cpu_seconds"] for r in runs.get("csv", [])) if "csv" in runs else None
    )
    for writer, measured in runs.items():
        cpu = statistics.median(r["cpu_seconds"] for r in measured)
        ratio = round(cpu / csv_cpu, 2) if csv_cpu else "—"
        rss = max(r["peak_rss_mib"] for r in measured)
        rows.append([writer, cpu, [r["cpu_seconds"] for r in measured], ratio, rss,
                     measured[0]["output_mib"]])  # fmt: skip
    results["runs"] = runs
    results["load_average_end"] = os.getloadavg()
    write_json(args.output, results)
    print_table(
        ["writer", "median CPU s", "CPU s of each run", "CPU × csv", "peak RSS MiB", "output MiB"],
        rows,
    )


if __name__ == "__main__":
    main()
