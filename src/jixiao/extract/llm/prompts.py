"""Versioned prompt files: `prompts/<version>/system.md` and one file per section kind.

Prompts are data, reviewed like code: changing one means a new version directory, and
the version goes on every record (`run.prompt_version`) and into the cache key, so
results from different prompts are never mixed up. The directory is found from
`JIXIAO_PROMPTS_DIR`, else the repository's `prompts/`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jixiao.errors import LLMConfigError

DEFAULT_VERSION = "v1"
_TABLE_KINDS = {"target_table": "target", "self_eval_table": "self_eval", "rubric": "rubric"}


def prompts_root() -> Path:
    env = os.environ.get("JIXIAO_PROMPTS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[4] / "prompts"


@dataclass(frozen=True)
class PromptSet:
    version: str
    system: str
    by_kind: dict[str, str]

    def for_kind(self, kind: str) -> str:
        """The system message for a section kind: the shared rules, then the kind's task."""
        if kind in _TABLE_KINDS:
            task = self.by_kind["indicator_table"].replace("{table_kind}", _TABLE_KINDS[kind])
        else:
            task = self.by_kind.get(kind) or self.by_kind["other"]
        return f"{self.system.strip()}\n\n{task.strip()}\n"


@cache
def load_prompts(version: str = DEFAULT_VERSION, root: Path | None = None) -> PromptSet:
    folder = (root or prompts_root()) / version
    if not (folder / "system.md").is_file():
        raise LLMConfigError(
            f"prompt files not found in {folder}: set JIXIAO_PROMPTS_DIR to the "
            "folder holding the prompt versions (e.g. the repository's prompts/)"
        )
    by_kind = {p.stem: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    if "other" not in by_kind or "indicator_table" not in by_kind:
        raise LLMConfigError(f"{folder} needs other.md and indicator_table.md")
    return PromptSet(version, by_kind.pop("system"), by_kind)
