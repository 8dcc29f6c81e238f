"""Run a backend over the labelled fixtures and add the scores up.

`run_eval` is what `jixiao eval` calls. Each fixture goes through
`jixiao.pipeline.process_path`, exactly as a user's file would, so the eval measures the
product and not a test double. Fixtures without a `gold.json` are listed, not scored.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jixiao.errors import ConfigError
from jixiao.evaluate.gold import load_gold
from jixiao.evaluate.metrics import Counts, DocumentScore, FlagScore, score_document
from jixiao.ingest import SUPPORTED_SUFFIXES
from jixiao.models import Record, RunInfo, Source

#: a fixture's source is any file the ingest reads: source.txt, source.xlsx …
SOURCE_SUFFIXES = SUPPORTED_SUFFIXES
KIND_ORDER = ("department", "facts", "projects", "indicators", "flags")


@dataclass
class Fixture:
    id: str
    source: Path
    gold: Path | None


def _source_of(folder: Path) -> Path | None:
    found = [folder / f"source{suffix}" for suffix in SOURCE_SUFFIXES]
    found = [p for p in found if p.is_file()]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise ConfigError(f"{folder}: holds {names}; keep one source file per fixture folder")
    return found[0] if found else None


def find_fixtures(fixtures_dir: Path) -> list[Fixture]:
    """Fixture folders (`<id>/source.{txt,docx,pdf}` + optional `gold.json`) in id order."""
    if not fixtures_dir.is_dir():
        raise ConfigError(f"{fixtures_dir}: no such fixtures folder; pass the eval/fixtures path")
    fixtures = []
    for folder in sorted(p for p in fixtures_dir.iterdir() if p.is_dir()):
        source = _source_of(folder)
        if source is None:
            continue
        gold = folder / "gold.json"
        fixtures.append(Fixture(folder.name, source, gold if gold.is_file() else None))
    return fixtures


def _sum(counts: list[Counts]) -> Counts:
    return sum(counts, Counts())


def _merge(dicts: list[dict[str, Counts]]) -> dict[str, Counts]:
    merged: dict[str, Counts] = {}
    for d in dicts:
        for key, c in d.items():
            merged[key] = merged.get(key, Counts()) + c
    return dict(sorted(merged.items()))


@dataclass
class EvalResult:
    """The scores of one run: per document, and added up over the documents."""

    backend: str
    documents: list[DocumentScore] = field(default_factory=list)
    unlabelled: list[str] = field(default_factory=list)
    started: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
    wall_seconds: float = 0.0
    comparison: Any = None
    run_path: Path | None = None
    report_path: Path | None = None

    @property
    def total(self) -> Counts:
        return _sum([d.total for d in self.documents])

    @property
    def by_kind(self) -> dict[str, Counts]:
        merged = _merge([d.by_kind for d in self.documents])
        return {k: merged[k] for k in KIND_ORDER if k in merged}

    @property
    def by_concept(self) -> dict[str, Counts]:
        return _merge([d.by_concept for d in self.documents])

    @property
    def by_field(self) -> dict[str, Counts]:
        return _merge([d.by_field for d in self.documents])

    @property
    def flags(self) -> FlagScore:
        return sum((d.flags for d in self.documents), FlagScore())

    @property
    def seconds(self) -> float:
        return round(sum(d.seconds for d in self.documents), 4)

    @property
    def tokens_in(self) -> int:
        return sum(d.tokens_in for d in self.documents)

    @property
    def tokens_out(self) -> int:
        return sum(d.tokens_out for d in self.documents)

    def to_summary(self) -> dict[str, Any]:
        """The `--json` summary (and the body of a stored run)."""
        total = self.total
        return {
            "backend": self.backend,
            "started": self.started,
            "precision": round(total.precision, 4),
            "recall": round(total.recall, 4),
            "f1": round(total.f1, 4),
            "counts": total.to_dict(),
            "by_kind": {k: c.to_dict() for k, c in self.by_kind.items()},
            "by_concept": {k: c.to_dict() for k, c in self.by_concept.items()},
            "by_field": {k: c.to_dict() for k, c in self.by_field.items()},
            "by_document": {
                d.id: {
                    **d.total.to_dict(),
                    "error": d.error,
                    "seconds": d.seconds,
                    "by_kind": {k: c.to_dict() for k, c in d.by_kind.items()},
                }
                for d in self.documents
            },
            "flags": self.flags.to_dict(),
            "seconds": self.seconds,
            "wall_seconds": round(self.wall_seconds, 4),
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "unlabelled": self.unlabelled,
            "unscored_concepts": sorted({c for d in self.documents for c in d.unscored_concepts}),
        }

    def to_run(self) -> dict[str, Any]:
        """What is stored under eval/runs/: the summary plus every miss, per document."""
        return {
            **self.to_summary(),
            "misses": {d.id: [m.to_dict() for m in d.misses] for d in self.documents},
        }


def score_fixture(fixture: Fixture, backend: Any) -> DocumentScore:
    """Process one fixture through the pipeline and score it against its gold."""
    from jixiao.pipeline import process_path

    assert fixture.gold is not None
    gold = load_gold(fixture.gold)
    started = time.perf_counter()
    try:
        outcome = process_path(fixture.source, backend)
    except Exception as exc:  # a crash is scored as an empty record, not the end of the eval
        record = failed_record(fixture.source, f"crash: {type(exc).__name__}: {exc}", backend.name)
        seconds = time.perf_counter() - started
    else:
        record, seconds = outcome.record, outcome.seconds
    score = score_document(fixture.id, gold, record)
    score.seconds = round(seconds, 4)
    return score


def failed_record(path: Path, reason: str, backend: str) -> Record:
    """An empty record carrying the crash, so every gold field of the fixture counts as missed."""
    backend_name = backend if backend in ("rules", "llm", "hybrid") else "rules"
    return Record(
        source=Source(path=str(path), sha256="", format="unknown"),
        error=reason,
        run=RunInfo(backend=backend_name),
    )


def evaluate(fixtures_dir: Path, backend_name: str, *, only: list[str] | None = None) -> EvalResult:
    """Score `backend_name` on every labelled fixture (or the ids in `only`)."""
    from jixiao.pipeline import get_backend

    backend = get_backend(backend_name)
    result = EvalResult(backend=backend_name)
    started = time.perf_counter()
    for fixture in find_fixtures(fixtures_dir):
        if only is not None and fixture.id not in only:
            continue
        if fixture.gold is None:
            result.unlabelled.append(fixture.id)
            continue
        result.documents.append(score_fixture(fixture, backend))
    result.wall_seconds = time.perf_counter() - started
    return result


def run_eval(
    fixtures_dir: Path,
    backend_name: str,
    *,
    compare: str | None = None,
    report: Path | None = None,
    runs_dir: Path | None = None,
    save: bool = True,
    only: list[str] | None = None,
) -> EvalResult:
    """Score a backend, store the run, compare it with an earlier one and write a report.

    `compare` is a stored run's path, or `last` for the newest stored run of the same
    backend. Runs go to `runs_dir` (default: `runs/` next to the fixtures folder, i.e.
    `eval/runs/`) unless `save` is false.
    """
    from jixiao.evaluate.report import write_report
    from jixiao.evaluate.runs import compare_runs, find_run, load_run, save_run

    runs_dir = runs_dir or fixtures_dir.parent / "runs"
    baseline = find_run(runs_dir, compare, backend_name) if compare else None
    result = evaluate(fixtures_dir, backend_name, only=only)
    if baseline is not None:
        result.comparison = compare_runs(load_run(baseline), result)
    if save:
        result.run_path = save_run(result, runs_dir)
    if report is not None:
        result.report_path = write_report(result, report)
    return result
