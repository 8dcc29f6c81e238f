"""OCR speed: seconds per scanned page, the CPU split by stage, a 25-page scan end to end.

1. Per fixture (the committed scans: 000-scan150, 002-scan200, 002-scan90, 002-image),
   in-process through `jixiao.ingest.load`: wall seconds, CPU seconds (all threads),
   and the CPU of each stage as `jixiao.ingest.ocr.engine.STATS` adds it up: render
   (PDFium), layout (orientation, skew, warping), detect (PP-OCR detection and the
   direction vote), recognise, tables (ruling lines, grid, cell placement).
2. Threads and the cache, on 002-scan200 in-process: pages OCR'd in one thread and in
   two (``JIXIAO_OCR_THREADS``), then read with ``JIXIAO_OCR_CACHE`` set, first into an
   empty cache and again from it.
3. A 25-page scanned report (000's five pages five times over, scanned at 150 dpi with
   skew and noise by tools/make_format_renderings.py), through the real CLI
   (`python -m jixiao extract FILE --backend rules`) in a child process: wall and CPU.

    .venv/bin/python benchmarks/ocr.py               # ~5-15 min on the shared 2-core machine
    .venv/bin/python benchmarks/ocr.py --skip-long   # the fixtures only
    .venv/bin/python benchmarks/ocr.py --threads-cache-only   # part 2 (ocr_threads_cache.json)
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from _common import FIXTURES, machine, print_table, run_cli, write_json

SCANS = ("000-scan150", "002-scan200", "002-scan90", "002-image")
STAGES = ("render", "layout", "detect", "recognise", "tables")


def per_fixture() -> list[dict]:
    from jixiao.ingest import load
    from jixiao.ingest.ocr.engine import STATS, engine

    engine()  # model loading is start-up, not per-page work
    rows = []
    for fixture in SCANS:
        source = next((FIXTURES / fixture).glob("source.*"))
        STATS.clear()
        started, cpu = time.perf_counter(), time.process_time()
        doc = load(source)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        pages = max(doc.pages or 1, 1)
        rows.append(
            {
                "fixture": fixture,
                "pages": pages,
                "wall_s": round(wall, 2),
                "cpu_s": round(cpu, 2),
                "wall_s_per_page": round(wall / pages, 2),
                "cpu_s_per_page": round(cpu / pages, 2),
                **{f"cpu_{name}_s": round(STATS[name], 2) for name in STAGES},
            }
        )
    return rows


def threads_and_cache(fixture: str = "002-scan200") -> list[dict]:
    import os

    from jixiao.ingest import load
    from jixiao.ingest.ocr.cache import CACHE_ENV
    from jixiao.ingest.ocr.engine import engine

    engine()
    source = next((FIXTURES / fixture).glob("source.*"))
    rows = []

    def measure(label: str, threads: str, cache: str | None) -> None:
        os.environ["JIXIAO_OCR_THREADS"] = threads
        if cache is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = cache
        started, cpu = time.perf_counter(), time.process_time()
        doc = load(source)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        rows.append(
            {
                "run": label,
                "pages": doc.pages,
                "wall_s": round(wall, 2),
                "cpu_s": round(cpu, 2),
                "load_average": round(os.getloadavg()[0], 1),
            }
        )

    try:
        measure("1 thread, no cache", "1", None)
        measure("2 threads, no cache", "2", None)
        with tempfile.TemporaryDirectory() as folder:
            measure("2 threads, empty cache (OCR + write)", "2", folder)
            measure("2 threads, from the cache", "2", folder)
    finally:
        os.environ.pop("JIXIAO_OCR_THREADS", None)
        os.environ.pop(CACHE_ENV, None)
    return rows


def long_scan(pages_of_seed: int = 5, copies: int = 5) -> dict:
    import pypdfium2
    from make_format_renderings import image_pdf, scanned_pages

    source = (FIXTURES / "000-pdf" / "source.pdf").read_bytes()
    images = []
    for n in range(copies):
        images += scanned_pages(source, 150, skew=0.6, seed=100 + n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scan25.pdf"
        path.write_bytes(image_pdf(images, 150))
        assert len(pypdfium2.PdfDocument(path)) == pages_of_seed * copies
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = run_cli(
            [
                "extract",
                str(path),
                "--db",
                str(Path(tmp) / "b.db"),
                "--backend",
                "rules",
                "--quiet",
                "--timeout",
                "0",  # measure the whole run, not the per-document limit
            ]
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "pages": len(images),
        "returncode": run.returncode,
        "wall_s": round(run.seconds, 1),
        "cpu_s": round(cpu, 1),
        "wall_s_per_page": round(run.seconds / len(images), 2),
        "peak_rss_mib": round(run.peak_rss_tree / 2**20, 1),
        "stderr_tail": run.stderr.strip().splitlines()[-3:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-long", action="store_true")
    parser.add_argument("--long-only", action="store_true")
    parser.add_argument("--threads-cache-only", action="store_true")
    args = parser.parse_args()
    import os

    load = os.getloadavg()
    print(f"load average at start: {load[0]:.1f} (2 cores, shared)\n")
    only = args.long_only or args.threads_cache_only
    rows = [] if only else per_fixture()
    if rows:
        print("## Scanned fixtures (in-process `load`; CPU of all threads)\n")
        print_table(
            [
                "fixture",
                "pages",
                "wall s",
                "CPU s",
                "wall s/page",
                "CPU s/page",
                *[f"CPU {s}" for s in STAGES],
            ],
            [
                [
                    r["fixture"],
                    r["pages"],
                    r["wall_s"],
                    r["cpu_s"],
                    r["wall_s_per_page"],
                    r["cpu_s_per_page"],
                ]
                + [r[f"cpu_{s}_s"] for s in STAGES]
                for r in rows
            ],
        )
    reuse = [] if args.long_only else threads_and_cache()
    print("\n## Threads and the OCR cache (002-scan200, in-process; CPU of all threads)\n")
    print_table(
        ["run", "pages", "wall s", "CPU s", "load average after"],
        [[r["run"], r["pages"], r["wall_s"], r["cpu_s"], r["load_average"]] for r in reuse],
    )
    long = None
    if not (args.skip_long or args.threads_cache_only):
        long = long_scan()
        print("\n## A 25-page scanned report through the CLI (rules backend)\n")
        print_table(
            ["pages", "wall s", "CPU s", "wall s/page", "peak RSS MiB", "exit"],
            [
                [
                    long["pages"],
                    long["wall_s"],
                    long["cpu_s"],
                    long["wall_s_per_page"],
                    long["peak_rss_mib"],
                    long["returncode"],
                ]
            ],
        )
    write_json(
        "ocr_threads_cache" if args.threads_cache_only else "ocr",
        {
            "machine": machine(),
            "load_average_at_start": load[0],
            "fixtures": rows,
            "threads_and_cache": reuse,
            "long_scan": long,
        },
    )


if __name__ == "__main__":
    main()
