"""Loads `document_kinds.yaml`: which title wordings name which kind of document.

A document's kind (部门决算, 部门预算, 整体支出绩效自评报告 …) is decided by its title
lines; the wordings are data so that a new title form is an edit of the YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from jixiao.models import DOCUMENT_KINDS
from jixiao.vocabulary import numbering_pattern

#: what stands before a title's kind words and says nothing about the kind: a part or
#: annex label, a year, an ordinal ("第二部分", "附件3：", "2025年", "一、")
TITLE_LEAD = numbering_pattern("title_lead")
_SENTENCE_PUNCT = re.compile(r"[。；;！!？?，,]")


@dataclass(frozen=True)
class KindRule:
    kind: str
    label: str
    #: a title of this kind heads a whole report (it counts towards `mixed`)
    report: bool
    pattern: re.Pattern[str]
    #: the titles of this kind that head a whole report, not one of its tables
    report_pattern: re.Pattern[str]


@dataclass(frozen=True)
class DocumentKinds:
    rules: tuple[KindRule, ...]
    title_line: int
    cover_blocks: int
    hint: re.Pattern[str]

    def kind_of_title(self, line: str) -> KindRule | None:
        """The kind a title line names, or None (a sentence, a long line, no kind words)."""
        text = line.strip()
        if not text or len(text) > self.title_line or not self.hint.search(text):
            return None
        if _SENTENCE_PUNCT.search(text):
            return None
        text = TITLE_LEAD.sub("", re.sub(r"\s+", "", text))
        return next((rule for rule in self.rules if rule.pattern.search(text)), None)


def parse_document_kinds(data: dict[str, Any]) -> DocumentKinds:
    rules = []
    for kind, spec in data["kinds"].items():
        if kind not in DOCUMENT_KINDS:
            raise ValueError(f"document_kinds.yaml: {kind!r} is not a document kind")
        pattern = re.compile("|".join(f"(?:{p})" for p in spec["titles"]))
        reports = spec.get("report_titles") or []
        report_pattern = re.compile("|".join(f"(?:{p})" for p in reports) or r"(?!)")
        rules.append(
            KindRule(kind, spec.get("label", kind), bool(reports), pattern, report_pattern)
        )
    return DocumentKinds(
        rules=tuple(rules),
        title_line=int(data.get("title_line", 60)),
        cover_blocks=int(data.get("cover_blocks", 12)),
        hint=re.compile(data.get("hint") or "."),
    )


@cache
def load_document_kinds() -> DocumentKinds:
    """The kinds shipped with the package (cached: read once per process)."""
    text = resources.files("jixiao").joinpath("document_kinds.yaml").read_text("utf-8")
    return parse_document_kinds(yaml.safe_load(text))
