"""Rules-backend throughput and memory of `jixiao extract` on growing batches.

The five seeds are replicated (a unique line appended, so every content hash differs)
to each batch size and run through the real CLI in a child process, serially and with
``--workers 2``; wall time covers start-up, ingestion, extraction, verification and the
store. Peak RSS is sampled from outside every 20 ms: it must not grow with the batch.
Target: >= 20 text documents per second per core. When it is missed, the script profiles
an in-process batch and prints the hot spots (module:function, share of the time).

    .venv/bin/python benchmarks/rules_throughput.py                 # 100, 300, 1000 docs
    .venv/bin/python benchmarks/rules_throughput.py --sizes 50 --workers 1
    .venv/bin/python benchmarks/rules_throughput.py --sizes 100 --large-mb 1 5 50

A single large text (seed 001 repeated to 1 and 5 MB by default) is also timed through
the CLI: seconds per MB must stay flat as the size grows.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    REPO,
    SEEDS,
    machine,
    mib,
    print_table,
    replicate_seeds,
    run_cli,
    write_json,
)

TARGET_PER_CORE = 20.0
LARGE_COLUMNS = ("megabytes", "copies_of_seed_001", "seconds", "seconds_per_mb", "peak_rss_mib")
#: the functions whose cumulative time says which stage of the pipeline costs what
STAGES = {
    "ingest (load)": ("jixiao/ingest/__init__.py", "load"),
    "segment": ("jixiao/segment/__init__.py", "segment"),
    "rules extract": ("jixiao/extract/rules/__init__.py", "extract"),
    "merge (reconcile_scopes)": ("jixiao/extract/project_scopes.py", "reconcile_scopes"),
    "verify (verify_record)": ("jixiao/verify/__init__.py", "verify_record"),
    "store save_record": ("jixiao/store/store.py", "save_record"),
    "resume (file_sha256 + find_done)": ("jixiao/run/batch.py", "_resume"),
}


def batch_run(folder: Path, db: Path, workers: int) -> dict:
    args = ["extract", str(folder), "--db", str(db), "--backend", "rules", "--quiet"]
    cpu_before = _children_cpu()
    run = run_cli([*args, "--workers", str(workers)])
    cpu = _children_cpu() - cpu_before
    if run.returncode != 0:
        raise SystemExit(f"jixiao extract failed ({run.returncode}):\n{run.stderr[-2000:]}")
    n = len(list(folder.glob("*.txt")))
    return {
        "documents": n,
        "workers": workers,
        "seconds": round(run.seconds, 2),
        "docs_per_s": round(n / run.seconds, 2),
        "docs_per_s_per_core": round(n / run.seconds / workers, 2),
        "cpu_seconds": round(cpu, 2),
        "docs_per_cpu_s": round(n / cpu, 2),
        "peak_rss_main_mib": mib(run.peak_rss_main),
        "peak_rss_tree_mib": mib(run.peak_rss_tree),
    }


def _children_cpu() -> float:
    """User + system CPU of finished child processes (the CLI and the workers it joined):
    what a run cost the cores, whatever else the shared machine was doing."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def large_text_run(folder: Path, megabytes: float) -> dict:
    """One text of about `megabytes` MB (seed 001 repeated) through the CLI: time grows
    linearly with the size when no step rescans the document per item."""
    seed = (REPO / "eval" / "fixtures" / "001" / "source.txt").read_text(encoding="utf-8")
    copies = max(1, round(megabytes * 2**20 / len(seed.encode("utf-8"))))
    path = folder / f"large-{megabytes:g}mb.txt"
    path.write_text("\n".join([seed] * copies), encoding="utf-8")
    size = path.stat().st_size
    args = ["extract", str(path), "--db", str(folder / f"large-{megabytes:g}.db")]
    run = run_cli([*args, "--backend", "rules", "--quiet"])
    path.unlink()
    if run.returncode != 0:
        raise SystemExit(f"jixiao extract failed ({run.returncode}):\n{run.stderr[-2000:]}")
    return {
        "megabytes": round(size / 2**20, 2),
        "copies_of_seed_001": copies,
        "seconds": round(run.seconds, 2),
        "seconds_per_mb": round(run.seconds / (size / 2**20), 2),
        "peak_rss_mib": mib(run.peak_rss_main),
    }


def per_seed_times(rounds: int = 3) -> dict[str, float]:
    """Milliseconds per seed through `process_path` in-process (no start-up, no store)."""
    from jixiao.extract.registry import get_backend
    from jixiao.run.document import process_path

    backend = get_backend("rules")
    paths = [REPO / "eval" / "fixtures" / s / "source.txt" for s in SEEDS]
    process_path(paths[0], backend)  # warm the imports and caches
    out: dict[str, float] = {}
    for seed, path in zip(SEEDS, paths, strict=True):
        started = time.perf_counter()
        for _ in range(rounds):
            process_path(path, backend)
        out[seed] = round((time.perf_counter() - started) / rounds * 1000, 1)
    return out


def profile_batch(folder: Path, top: int) -> dict:
    """cProfile an in-process serial batch; hot spots by own time, stages by cumulative time."""
    from rich.console import Console

    from jixiao.run.batch import BatchOptions, run_batch

    options = BatchOptions(backend="rules", db=str(folder.parent / "profile.db"), progress=False)
    profiler = cProfile.Profile()
    profiler.enable()
    run_batch([str(folder)], options, console=Console(file=io.StringIO()))
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    rows = []
    for (file, line, func), (_, _, tottime, cumtime, _) in stats.stats.items():
        rows.append((tottime, cumtime, _short(file), line, func))
    rows.sort(reverse=True)
    hot = [
        {
            "function": f"{file}:{func}",
            "line": line,
            "own_s": round(tt, 3),
            "own_share": round(tt / total, 3),
            "cum_s": round(ct, 3),
        }
        for tt, ct, file, line, func in rows[:top]
    ]
    ours = sorted(
        (r for r in rows if r[2].startswith("jixiao/") and r[1] < 0.5 * total),
        key=lambda r: r[1],
        reverse=True,
    )
    cumulative = [
        {
            "function": f"{file}:{func}",
            "line": line,
            "cum_s": round(ct, 3),
            "cum_share": round(ct / total, 3),
        }
        for _, ct, file, line, func in ours[:top]
    ]
    stages = {}
    for stage, (suffix, func) in STAGES.items():
        cum = sum(ct for tt, ct, file, _, f in rows if f == func and file.endswith(suffix))
        stages[stage] = {"cum_s": round(cum, 3), "share": round(cum / total, 3)}
    return {
        "total_s": round(total, 3),
        "hot_spots": hot,
        "cumulative": cumulative,
        "stages": stages,
    }


def _short(file: str) -> str:
    marker = "/src/"
    if marker in file:
        return file.split(marker, 1)[1]
    if "site-packages/" in file:
        return file.split("site-packages/", 1)[1]
    return file.rsplit("/", 2)[-1] if "/" in file else file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--profile-docs", type=int, default=50)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument(
        "--large-mb", type=float, nargs="*", default=[1, 5], help="sizes of one large text"
    )
    parser.add_argument("--json", type=Path, default=None, help="where to write the JSON")
    args = parser.parse_args()

    runs = []
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        root = Path(tmp)
        for n in args.sizes:
            folder = root / f"n{n}"
            replicate_seeds(folder, n)
            for workers in args.workers:
                run = batch_run(folder, root / f"n{n}-w{workers}.db", workers)
                runs.append(run)
                print(f"  {n} docs, {workers} worker(s): {run['seconds']} s", file=sys.stderr)
        print("\n## Batch throughput (CLI, child process, fresh store)\n")
        table = print_table(
            [
                "documents",
                "workers",
                "seconds",
                "docs/s",
                "docs/s/core",
                "CPU s",
                "docs per CPU s",
                "peak RSS main MiB",
                "peak RSS all MiB",
            ],
            [
                [
                    r["documents"],
                    r["workers"],
                    r["seconds"],
                    r["docs_per_s"],
                    r["docs_per_s_per_core"],
                    r["cpu_seconds"],
                    r["docs_per_cpu_s"],
                    r["peak_rss_main_mib"],
                    r["peak_rss_tree_mib"],
                ]
                for r in runs
            ],
        )
        large = []
        for megabytes in args.large_mb:
            large.append(large_text_run(root, megabytes))
            print(f"  one {megabytes:g} MB text: {large[-1]['seconds']} s", file=sys.stderr)
        if large:
            print("\n## One large text (seed 001 repeated; CLI, child process)\n")
            print_table(
                ["MB", "copies of 001", "seconds", "s/MB", "peak RSS MiB"],
                [[r[k] for k in LARGE_COLUMNS] for r in large],
            )
        seeds = per_seed_times()
        print("\n## One document through process_path (in-process, ms)\n")
        print_table(["seed", "ms"], [[s, ms] for s, ms in seeds.items()])
        mean_ms = sum(seeds.values()) / len(seeds)
        print(f"\nmean {mean_ms:.1f} ms/doc -> {1000 / mean_ms:.1f} docs/s/core without the CLI")

        best = max(r["docs_per_s_per_core"] for r in runs)
        profile = None
        if best < TARGET_PER_CORE:
            print(f"\ntarget {TARGET_PER_CORE} docs/s/core missed (best {best}): profiling\n")
            folder = root / "profile"
            replicate_seeds(folder, args.profile_docs)
            profile = profile_batch(folder, args.top)
            print(f"### Stages ({args.profile_docs} docs, {profile['total_s']} s profiled)\n")
            print_table(
                ["stage", "cumulative s", "share"],
                [[k, v["cum_s"], f"{v['share']:.0%}"] for k, v in profile["stages"].items()],
            )
            print("\n### Hot spots by own time\n")
            print_table(
                ["module:function (line)", "own s", "share", "cumulative s"],
                [
                    [
                        f"{h['function']} ({h['line']})",
                        h["own_s"],
                        f"{h['own_share']:.1%}",
                        h["cum_s"],
                    ]
                    for h in profile["hot_spots"]
                ],
            )
            print("\n### jixiao functions by cumulative time (under half of the total)\n")
            print_table(
                ["module:function (line)", "cumulative s", "share"],
                [
                    [f"{h['function']} ({h['line']})", h["cum_s"], f"{h['cum_share']:.1%}"]
                    for h in profile["cumulative"]
                ],
            )
    write_json(
        "rules_throughput",
        {
            "machine": machine(),
            "target_docs_per_s_per_core": TARGET_PER_CORE,
            "runs": runs,
            "per_seed_ms": seeds,
            "large_texts": large,
            "profile": profile,
            "table": table,
        },
        args.json,
    )


if __name__ == "__main__":
    main()
