"""Stored runs (`eval/runs/<timestamp>-<backend>.json`) and what changed between two.

A researcher changes a prompt or a rule and wants to know which concepts got better and
which got worse; `compare_runs` answers that from two stored summaries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.errors import ConfigError

#: F1 changes smaller than this are noise, not an improvement or a regression
EPSILON = 1e-4


def save_run(result: Any, runs_dir: Path) -> Path:
    """Write `result.to_run()` as `<timestamp>-<backend>.json`; never overwrite a run."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{result.started}-{result.backend}"
    path = runs_dir / f"{stem}.json"
    n = 1
    while path.exists():
        n += 1
        path = runs_dir / f"{stem}-{n}.json"
    path.write_text(json.dumps(result.to_run(), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load_run(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(
            f"{path}: not a stored eval run ({exc}); pick one under eval/runs/"
        ) from exc
    if not isinstance(data, dict) or "f1" not in data:
        raise ConfigError(f"{path}: not a stored eval run (no f1); pick one under eval/runs/")
    return data


def find_run(runs_dir: Path, compare: str, backend: str) -> Path:
    """The run `compare` names: a path, or `last` (newest stored run of `backend`)."""
    if compare not in ("last", "latest"):
        path = Path(compare)
        for candidate in (runs_dir / compare, runs_dir / f"{compare}.json"):
            if not path.is_file() and candidate.is_file():
                path = candidate
        if not path.is_file():
            raise ConfigError(f"{compare}: no such run; pass a file under {runs_dir} or 'last'")
        return path
    runs = sorted(runs_dir.glob(f"*-{backend}.json")) + sorted(runs_dir.glob(f"*-{backend}-*.json"))
    if not runs:
        raise ConfigError(
            f"no stored {backend} run under {runs_dir} to compare with; run once first"
        )
    return max(runs, key=lambda p: p.name)


@dataclass
class Delta:
    name: str
    before: float | None
    after: float | None
    #: False for cost (seconds, tokens): a rise there is a regression
    higher_is_better: bool = True

    @property
    def change(self) -> float:
        return (self.after or 0.0) - (self.before or 0.0)

    @property
    def status(self) -> str:
        if self.before is None:
            return "new"
        if self.after is None:
            return "gone"
        gain = self.change if self.higher_is_better else -self.change
        if gain > EPSILON:
            return "improved"
        if gain < -EPSILON:
            return "regressed"
        return "same"

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "after": self.after,
            "delta": round(self.change, 4),
            "status": self.status,
        }


@dataclass
class RunComparison:
    """Overall and per-concept F1 (and P/R) deltas from run `a` to run `b`."""

    a: str
    b: str
    overall: dict[str, Delta] = field(default_factory=dict)
    by_kind: dict[str, Delta] = field(default_factory=dict)
    #: "<group> f1", "<group> key recall", "<group> flag recall", "<group> false alarms/doc"
    by_group: dict[str, Delta] = field(default_factory=dict)
    by_concept: dict[str, Delta] = field(default_factory=dict)

    @property
    def improved(self) -> list[str]:
        return [k for k, d in self.by_concept.items() if d.status == "improved"]

    @property
    def regressed(self) -> list[str]:
        return [k for k, d in self.by_concept.items() if d.status == "regressed"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "overall": {k: d.to_dict() for k, d in self.overall.items()},
            "by_kind": {k: d.to_dict() for k, d in self.by_kind.items()},
            "by_group": {k: d.to_dict() for k, d in self.by_group.items()},
            "by_concept": {k: d.to_dict() for k, d in self.by_concept.items()},
            "improved": self.improved,
            "regressed": self.regressed,
        }


def _summary(run: Any) -> dict[str, Any]:
    return run if isinstance(run, dict) else run.to_summary()


def _f1_deltas(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Delta]:
    names = sorted(set(a) | set(b))
    return {
        n: Delta(n, a[n]["f1"] if n in a else None, b[n]["f1"] if n in b else None) for n in names
    }


#: per-group figures compared between runs: (label, path in the group summary, higher is better)
GROUP_FIGURES: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("f1", ("f1",), True),
    ("key recall", ("key_facts", "recall"), True),
    ("flag recall", ("flags", "recall"), True),
    ("false alarms/doc", ("flags", "false_alarms_per_document"), False),
)


def _dig(data: dict[str, Any] | None, path: tuple[str, ...]) -> float | None:
    for name in path:
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data if isinstance(data, int | float) else None


def _group_deltas(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Delta]:
    """Each group's figures before and after (a run stored before groups existed has none:
    its groups come out as `new`)."""
    deltas = {}
    for group in sorted(set(a) | set(b)):
        for label, path, higher in GROUP_FIGURES:
            name = f"{group} {label}"
            deltas[name] = Delta(name, _dig(a.get(group), path), _dig(b.get(group), path), higher)
    return deltas


def compare_runs(a: Any, b: Any) -> RunComparison:
    """What changed from run `a` (before) to run `b` (after): summaries or `EvalResult`s."""
    sa, sb = _summary(a), _summary(b)
    label = lambda s: f"{s.get('started', '?')} {s.get('backend', '?')}"  # noqa: E731
    overall = {m: Delta(m, sa.get(m), sb.get(m)) for m in ("precision", "recall", "f1")}
    for m in ("seconds", "tokens_in", "tokens_out"):
        overall[m] = Delta(m, sa.get(m), sb.get(m), higher_is_better=False)
    return RunComparison(
        a=label(sa),
        b=label(sb),
        overall=overall,
        by_kind=_f1_deltas(sa.get("by_kind", {}), sb.get("by_kind", {})),
        by_group=_group_deltas(sa.get("groups", {}), sb.get("groups", {})),
        by_concept=_f1_deltas(sa.get("by_concept", {}), sb.get("by_concept", {})),
    )
