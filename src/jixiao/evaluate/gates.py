"""The per-group CI gates of `eval/threshold.json`: what each fixture group must keep.

Each group has a `gate` (null: recorded, not gating yet — a new group's gold is measured
first, then the lead sets its gate just under the measurement) and the `measured`
figures it was set from. A gate holds minimums and maximums:

* `f1`, `key_recall`, `flag_recall`: at least this much (flag recall 1.0 = every real
  problem the gold lists is found);
* `false_alarms`, `false_alarms_per_document`: at most this many.

Raising a gate is how accuracy work is recorded; lowering one to make a regression
pass is not done.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jixiao.errors import ConfigError

#: gate name → (figure of a group's scores, "min" or "max")
GATE_FIGURES: dict[str, tuple[Callable[[Any], float], str]] = {
    "f1": (lambda s: s.total.f1, "min"),
    "key_recall": (lambda s: s.key_facts.recall, "min"),
    "flag_recall": (lambda s: s.flags.recall, "min"),
    "false_alarms": (lambda s: s.flags.false_alarms, "max"),
    "false_alarms_per_document": (lambda s: s.flags.false_alarms_per_document, "max"),
}


def load_thresholds(path: Path, backend: str = "rules") -> dict[str, Any]:
    """The `groups` table of `backend` in a threshold file (group → {gate, measured})."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        groups = data[backend]["groups"]
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"{path}: no per-group gates for {backend} ({exc}); see eval/GUIDE.md"
        ) from exc
    for name, entry in groups.items():
        for figure in entry.get("gate") or {}:
            if figure not in GATE_FIGURES:
                raise ConfigError(
                    f"{path}: gate {figure!r} of group {name} is not one of "
                    f"{', '.join(GATE_FIGURES)}"
                )
    return groups


def gated_groups(groups: dict[str, Any]) -> list[str]:
    """The groups whose gate is set (the others are recorded, not checked)."""
    return [name for name, entry in groups.items() if entry.get("gate")]


def gate_failures(result: Any, groups: dict[str, Any]) -> list[str]:
    """One line per gate a run does not meet; empty when every gated group passes.

    A gated group with no labelled fixture fails too: a gate on nothing guards nothing.
    """
    failures = []
    scores_by_group = result.by_group
    for name in gated_groups(groups):
        scores = scores_by_group.get(name)
        if scores is None:
            failures.append(f"{name}: gated, but no labelled fixture is in this group")
            continue
        for figure, bound in groups[name]["gate"].items():
            measure, kind = GATE_FIGURES[figure]
            value = measure(scores)
            if (kind == "min" and value < bound) or (kind == "max" and value > bound):
                word = "below" if kind == "min" else "above"
                failures.append(f"{name}: {figure} {value:.4f} is {word} the gate {bound}")
    return failures
