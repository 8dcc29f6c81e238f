"""CI gate: the rules backend must not fall below the measured F1 on the labelled fixtures.

`eval/threshold.json` holds the floor, set a little under a measured run; raise it when
the rules get better, never lower it to make a regression pass.
"""

from __future__ import annotations

import json
from pathlib import Path

from jixiao.evaluate import evaluate

EVAL = Path(__file__).resolve().parent.parent / "eval"


def test_rules_backend_f1_stays_above_the_threshold():
    threshold = json.loads((EVAL / "threshold.json").read_text(encoding="utf-8"))
    result = evaluate(EVAL / "fixtures", "rules")
    crashed = {d.id: d.error for d in result.documents if d.error and d.error.startswith("crash")}
    assert crashed == {}
    f1 = result.total.f1
    assert f1 >= threshold["rules"]["f1"], (
        f"rules F1 {f1:.4f} fell below the gate {threshold['rules']['f1']} "
        f"(by kind: { {k: round(c.f1, 3) for k, c in result.by_kind.items()} })"
    )
