"""The eval harness (`jixiao eval`): field-level P/R/F1 against hand-labelled fixtures.

Fixtures live in `eval/fixtures/<id>/` (a `source.{txt,docx,pdf}` and a `gold.json`
labelled by the rules in `eval/GUIDE.md`), each in a group (seeds, corpus, generated,
renderings) that every figure is reported by; runs are stored in `eval/runs/` so a
change to a prompt, model or rule can be compared with the last run, concept by concept.
`eval/threshold.json` holds the per-group gates CI checks (`gates.py`).
"""

from __future__ import annotations

from jixiao.evaluate.command import run_eval
from jixiao.evaluate.gold import Gold, GoldError, load_gold
from jixiao.evaluate.harness import (
    EvalResult,
    evaluate,
    find_fixtures,
    locate_fixtures,
)
from jixiao.evaluate.metrics import Counts, DocumentScore, score_document
from jixiao.evaluate.report import render_table, render_tables, write_report
from jixiao.evaluate.runs import RunComparison, compare_runs, load_run, save_run

__all__ = [
    "Counts",
    "DocumentScore",
    "EvalResult",
    "Gold",
    "GoldError",
    "RunComparison",
    "compare_runs",
    "evaluate",
    "find_fixtures",
    "load_gold",
    "load_run",
    "locate_fixtures",
    "render_table",
    "render_tables",
    "run_eval",
    "save_run",
    "score_document",
    "write_report",
]
