"""Run a backend over the labelled fixtures (or read a store) and add the scores up.

`run_eval` is what `jixiao eval` calls. Each fixture goes through
`jixiao.run.document.process_path`, exactly as a user's file would, so the eval measures the
product and not a test double; with a store (`--db`), the records stored for the
fixtures' sources are scored instead, as a batch left them. Fixtures without a
`gold.json` are listed, not scored. Every figure is reported per fixture group as well
as overall: the seeds the rules were written against are not the general score.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jixiao.errors import ConfigError
from jixiao.evaluate.counts import Counts
from jixiao.evaluate.flags import FlagScore
from jixiao.evaluate.gold import GROUPS, Gold, load_gold
from jixiao.evaluate.metrics import DocumentScore, score_document
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


#: where the fixtures live in a checkout of the project
FIXTURES_PATH = Path("eval") / "fixtures"


def locate_fixtures(explicit: Path | None = None, start: Path | None = None) -> Path:
    """The fixtures folder: `explicit` when given, else `eval/fixtures` in `start` (the
    working directory) or a folder above it, else in the project jixiao runs from.

    So `jixiao eval` works from any folder of a checkout, and from anywhere at all with an
    editable install.
    """
    if explicit is not None:
        if not explicit.is_dir():
            raise ConfigError(f"{explicit}: no such fixtures folder; pass --gold DIR")
        return explicit
    here = (start or Path.cwd()).resolve()
    project = Path(__file__).resolve().parents[3]
    for folder in (here, *here.parents, project):
        candidate = folder / FIXTURES_PATH
        if candidate.is_dir():
            return candidate
    raise ConfigError(
        f"no {FIXTURES_PATH} found in {here}, above it or in the jixiao project; "
        "pass --gold DIR (a folder of <id>/source.* and gold.json)"
    )


def find_fixtures(fixtures_dir: Path) -> list[Fixture]:
    """Fixture folders (`<id>/source.{txt,docx,pdf}` + optional `gold.json`) in id order."""
    if not fixtures_dir.is_dir():
        raise ConfigError(f"{fixtures_dir}: no such fixtures folder; pass --gold DIR")
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
class Scores:
    """Scores of some documents (a run, or one group of it), added up."""

    documents: list[DocumentScore] = field(default_factory=list)

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
    def key_facts(self) -> Counts:
        """Key facts found (tp) and missed (fn): their recall is the key-fact recall."""
        return _sum([d.key_facts for d in self.documents])

    def headline(self) -> dict[str, Any]:
        """The figures of these documents: P/R/F1, counts, key facts and flags."""
        total = self.total
        return {
            "documents": len(self.documents),
            "precision": round(total.precision, 4),
            "recall": round(total.recall, 4),
            "f1": round(total.f1, 4),
            "counts": total.to_dict(),
            "key_facts": key_facts_dict(self.key_facts),
            "flags": self.flags.to_dict(),
        }


def key_facts_dict(counts: Counts) -> dict[str, Any]:
    return {
        "found": counts.tp,
        "total": counts.tp + counts.fn,
        "recall": round(counts.recall, 4),
    }


@dataclass
class EvalResult(Scores):
    """The scores of one run: per document, per group, and added up over the documents."""

    backend: str = "rules"
    unlabelled: list[str] = field(default_factory=list)
    #: labelled fixtures with no record in the store (store evals only)
    not_stored: list[str] = field(default_factory=list)
    #: "pipeline" (fixtures processed now) or "store" (records read from a store)
    scored_from: str = "pipeline"
    started: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
    wall_seconds: float = 0.0
    comparison: Any = None
    run_path: Path | None = None
    report_path: Path | None = None

    @property
    def by_group(self) -> dict[str, Scores]:
        """The documents of each fixture group present, in `GROUPS` order."""
        groups: dict[str, Scores] = {}
        for name in (*GROUPS, *sorted({d.group for d in self.documents} - set(GROUPS))):
            docs = [d for d in self.documents if d.group == name]
            if docs:
                groups[name] = Scores(docs)
        return groups

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
        """The `--json` summary (and the body of a stored run): overall, per group, per
        document."""
        return {
            "backend": self.backend,
            "scored_from": self.scored_from,
            "started": self.started,
            **self.headline(),
            "by_kind": {k: c.to_dict() for k, c in self.by_kind.items()},
            "by_concept": {k: c.to_dict() for k, c in self.by_concept.items()},
            "by_field": {k: c.to_dict() for k, c in self.by_field.items()},
            "groups": {
                name: {
                    **scores.headline(),
                    "by_kind": {k: c.to_dict() for k, c in scores.by_kind.items()},
                    "by_concept": {k: c.to_dict() for k, c in scores.by_concept.items()},
                    "by_field": {k: c.to_dict() for k, c in scores.by_field.items()},
                }
                for name, scores in self.by_group.items()
            },
            "by_document": {
                d.id: {
                    **d.total.to_dict(),
                    "group": d.group,
                    "error": d.error,
                    "seconds": d.seconds,
                    "by_kind": {k: c.to_dict() for k, c in d.by_kind.items()},
                    "key_facts": key_facts_dict(d.key_facts),
                    "flags": d.flags.to_dict(),
                }
                for d in self.documents
            },
            "seconds": self.seconds,
            "wall_seconds": round(self.wall_seconds, 4),
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "unlabelled": self.unlabelled,
            "not_stored": self.not_stored,
            "unscored_concepts": sorted({c for d in self.documents for c in d.unscored_concepts}),
        }

    def to_run(self) -> dict[str, Any]:
        """What is stored under eval/runs/: the summary plus every miss, per document."""
        return {
            **self.to_summary(),
            "misses": {d.id: [m.to_dict() for m in d.misses] for d in self.documents},
        }


def score_fixture(fixture: Fixture, backend: Any, gold: Gold | None = None) -> DocumentScore:
    """Process one fixture through the pipeline and score it against its gold."""
    from jixiao.run.document import process_path

    assert fixture.gold is not None
    gold = gold or load_gold(fixture.gold)
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


def labelled_fixtures(
    fixtures_dir: Path,
    result: EvalResult,
    *,
    only: list[str] | None = None,
    groups: list[str] | None = None,
) -> list[tuple[Fixture, Gold]]:
    """The labelled fixtures selected by id (`only`) and group, with their gold; the
    unlabelled ones are listed on `result`."""
    unknown = sorted(set(groups or ()) - set(GROUPS))
    if unknown:
        raise ConfigError(f"unknown fixture group {', '.join(unknown)}: use {', '.join(GROUPS)}")
    selected = []
    for fixture in find_fixtures(fixtures_dir):
        if only is not None and fixture.id not in only:
            continue
        if fixture.gold is None:
            result.unlabelled.append(fixture.id)
            continue
        gold = load_gold(fixture.gold)
        if groups is None or gold.group in groups:
            selected.append((fixture, gold))
    return selected


def evaluate(
    fixtures_dir: Path,
    backend_name: str,
    *,
    only: list[str] | None = None,
    groups: list[str] | None = None,
) -> EvalResult:
    """Score `backend_name` on every labelled fixture (or the ids in `only`, the groups
    in `groups`)."""
    from jixiao.extract.registry import get_backend

    backend = get_backend(backend_name)
    result = EvalResult(backend=backend_name)
    started = time.perf_counter()
    for fixture, gold in labelled_fixtures(fixtures_dir, result, only=only, groups=groups):
        result.documents.append(score_fixture(fixture, backend, gold))
    result.wall_seconds = time.perf_counter() - started
    return result
