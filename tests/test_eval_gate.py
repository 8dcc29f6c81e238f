"""CI gate: every gated fixture group keeps the figures `eval/threshold.json` sets for it.

`eval/threshold.json` holds one gate per group (seeds, renderings, corpus, generated),
set a little under a measured run; a group whose gate is null is recorded, not checked.
Raise a gate when the rules get better, never lower it to make a regression pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.evaluate import evaluate
from jixiao.evaluate.gates import gate_failures, gated_groups, load_thresholds

EVAL = Path(__file__).resolve().parent.parent / "eval"


@pytest.mark.slow  # every fixture through the pipeline; .ci/run runs it
def test_rules_backend_keeps_every_group_gate():
    groups = load_thresholds(EVAL / "threshold.json")
    gated = gated_groups(groups)
    # every group is gated: a gate set back to null would let its regressions pass
    assert set(gated) == {"seeds", "renderings", "corpus", "generated"}
    result = evaluate(EVAL / "fixtures", "rules", groups=gated)
    crashed = {d.id: d.error for d in result.documents if d.error and d.error.startswith("crash")}
    assert crashed == {}
    failures = gate_failures(result, groups)
    assert failures == [], (
        f"{failures} (F1 by group: { {g: round(s.total.f1, 4) for g, s in result.by_group.items()} })"
    )
