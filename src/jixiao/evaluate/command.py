"""`jixiao eval`: score a backend or a store, save the run, compare, report.

Kept apart from `harness` (fixtures through the pipeline) and `stored` (records read
from a store), which both build on `harness`, so neither imports the other's caller.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.evaluate.harness import EvalResult, evaluate


def run_eval(
    fixtures_dir: Path,
    backend_name: str | None,
    *,
    compare: str | None = None,
    report: Path | None = None,
    runs_dir: Path | None = None,
    save: bool = True,
    only: list[str] | None = None,
    groups: list[str] | None = None,
    db: str | None = None,
) -> EvalResult:
    """Score a backend (or the records of store `db`), store the run, compare it with an
    earlier one and write a report.

    `compare` is a stored run's path, or `last` for the newest stored run of the same
    backend. Runs go to `runs_dir` (default: `runs/` next to the fixtures folder, i.e.
    `eval/runs/`) unless `save` is false. With `db`, `backend_name` picks among the
    backends a document is stored under (None: the only one there is).
    """
    from jixiao.evaluate.report import write_report
    from jixiao.evaluate.runs import compare_runs, find_run, load_run, save_run
    from jixiao.evaluate.stored import evaluate_store

    runs_dir = runs_dir or fixtures_dir.parent / "runs"
    if db is not None:
        result = evaluate_store(fixtures_dir, db, backend_name, only=only, groups=groups)
        baseline = find_run(runs_dir, compare, result.backend) if compare else None
    else:
        backend_name = backend_name or "rules"
        baseline = find_run(runs_dir, compare, backend_name) if compare else None  # fail early
        result = evaluate(fixtures_dir, backend_name, only=only, groups=groups)
    if baseline is not None:
        result.comparison = compare_runs(load_run(baseline), result)
    if save:
        result.run_path = save_run(result, runs_dir)
    if report is not None:
        result.report_path = write_report(result, report)
    return result
