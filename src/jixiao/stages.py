"""Loads `stages.yaml`: what each budget stage (`Fact.stage`) is called, and the words
that name it in a passage.

The stage codes are the contract's (`models.Stage`); their Chinese names and wordings
are data, so a new wording is an edit of the YAML. The statement tables' column
wordings (`statement_tables.yaml`) name stages too and are merged in here, so there is
one list of what names a stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from jixiao.models import STAGES
from jixiao.statement_tables import load_statement_forms


@dataclass(frozen=True)
class StageNames:
    #: stage code → its label, in the contract's order
    labels: dict[str, str]
    #: (wording, stage), longest wording first
    words: tuple[tuple[str, str], ...]

    def named_in(self, text: str, default: str | None = None) -> dict[str, str]:
        """Stage code → label for every stage a wording of which `text` prints (a longer
        wording hides the shorter ones inside it: 上年执行数 is not 执行数), and `default`
        (the document's own stage) first."""
        named = set()
        for word, stage in self.words:
            if word in text:
                named.add(stage)
                text = text.replace(word, "\0")
        first = {default: self.labels[default]} if default in self.labels else {}
        return first | {stage: label for stage, label in self.labels.items() if stage in named}


@cache
def load_stage_names() -> StageNames:
    """The stages' names (cached: read once per process)."""
    text = resources.files("jixiao").joinpath("stages.yaml").read_text("utf-8")
    data = yaml.safe_load(text)["stages"]
    unknown = set(data) - set(STAGES)
    if unknown or set(STAGES) - set(data):
        raise ValueError(f"stages.yaml must name exactly the stages {STAGES}, not {sorted(data)}")
    words = {(w, stage) for stage, spec in data.items() for w in spec.get("words") or ()}
    words |= set(load_statement_forms().stages)
    return StageNames(
        labels={stage: str(data[stage]["label"]) for stage in STAGES},
        words=tuple(sorted(words, key=lambda ws: (-len(ws[0]), ws))),
    )
