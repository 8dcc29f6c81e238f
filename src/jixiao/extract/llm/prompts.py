"""Versioned prompt files: `prompts/<version>/system.md`.

Prompts are data, reviewed like code: changing one means a new version directory, and
the version goes on every record (`run.prompt_version`) and into the cache key, so
results from different prompts are never mixed up. The directory is found from
`JIXIAO_PROMPTS_DIR`, else the repository's `prompts/`.

Since v2 one system message serves every request (a request packs sections of several
kinds, and an identical prefix lets a provider's prompt cache apply); v1 had a task file
per section kind, which the current request format no longer uses. v3 adds the
document's kind, stages, 功能分类/经济分类 line scopes and the printed unit. Old versions
stay for reproducibility; each was written for the response model of its time (git
history), and the version is part of every cache key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jixiao.errors import LLMConfigError

DEFAULT_VERSION = "v3"


def prompts_root() -> Path:
    env = os.environ.get("JIXIAO_PROMPTS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[4] / "prompts"


@dataclass(frozen=True)
class PromptSet:
    version: str
    #: the system message of every request, byte for byte
    system: str


@cache
def load_prompts(version: str = DEFAULT_VERSION, root: Path | None = None) -> PromptSet:
    folder = (root or prompts_root()) / version
    if not (folder / "system.md").is_file():
        raise LLMConfigError(
            f"prompt files not found in {folder}: set JIXIAO_PROMPTS_DIR to the "
            "folder holding the prompt versions (e.g. the repository's prompts/)"
        )
    return PromptSet(version, (folder / "system.md").read_text(encoding="utf-8").strip() + "\n")
