"""Loads `verification.yaml`: the wording, forms and policy the verifier's checks read.

One file, loaded once per process, compiled once: the checks ask this module for
patterns and lists, never spell a form's wording themselves, so a province's variant of
a title or instruction sentence is one YAML edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

_AMOUNT = r"\s*(?P<amount>-?\d[\d,，]*(?:\.(?P<dec>\d+))?)\s*(?P<unit>亿元|万元|万|元)"
_RATE = r"\s*(?P<rate>\d+(?:\.(?P<rdec>\d+))?)\s*[%％]"


@dataclass(frozen=True)
class ClaimWords:
    """The cues of a passage's comparisons (`claims.py`): each cue is followed by an
    amount, captured as <cue>_amount, <cue>_dec (decimals) and <cue>_unit."""

    cue: re.Pattern[str]
    completion: re.Pattern[str]
    change: re.Pattern[str]
    same: re.Pattern[str]
    comparison: re.Pattern[str]
    reason: re.Pattern[str]


def _claim_words(spec: dict[str, Any]) -> ClaimWords:
    groups = {
        "base": "|".join(f"(?:{c})" for c in spec["base"]),
        "value": "|".join(f"(?:{c})" for c in spec["value"]),
        "head": spec["head"],
    }
    cue = "|".join(
        f"(?P<{name}>{pattern}){_AMOUNT.replace('?P<', f'?P<{name}_')}"
        for name, pattern in groups.items()
    )
    return ClaimWords(
        cue=re.compile(cue),
        completion=re.compile(f"{spec['completion']}{_RATE}"),
        change=re.compile(f"(?P<word>{spec['change']}){_RATE}"),
        same=re.compile(spec["same"]),
        comparison=re.compile(spec["comparison"]),
        reason=re.compile(spec["reason_direction"]),
    )


@dataclass(frozen=True)
class PlaceholderFigures:
    """A template's placeholder figure typed in as if real (`wording/placeholders.py`)."""

    value: float
    min_count: int
    not_figure: re.Pattern[str]
    figure: re.Pattern[str]
    whole: re.Pattern[str]
    bare_answer: re.Pattern[str]


def _placeholder_figures(spec: dict[str, Any]) -> PlaceholderFigures:
    return PlaceholderFigures(
        value=float(spec["value"]),
        min_count=int(spec["min_count"]),
        not_figure=re.compile(spec["not_figure"], re.M),
        figure=re.compile(spec["figure"]),
        whole=re.compile(spec["whole"]),
        bare_answer=re.compile(spec["bare_answer"]),
    )


@dataclass(frozen=True)
class Vocabulary:
    fact_min: float
    ocr_min: float
    guessed_unit_bases: frozenset[str]
    #: per document family: how many of its statement tables make it a table package
    required_min: dict[str, int]
    empty_note: re.Pattern[str]
    says_empty: re.Pattern[str]
    empty_topics: tuple[str, ...]
    list_headers: re.Pattern[str]
    instructions: tuple[str, ...]
    bracketed: re.Pattern[str]
    alternatives: re.Pattern[str]
    placeholders: re.Pattern[str]
    empty_reason: re.Pattern[str]
    blank_fields: re.Pattern[str]
    empty_figure: re.Pattern[str]
    cover_level: re.Pattern[str]
    level_wording: re.Pattern[str]
    placeholder_figures: PlaceholderFigures
    reason: re.Pattern[str]
    back_reference: re.Pattern[str]
    reasons_asked_in: dict[str, frozenset[str]]
    budget_reason_topics: tuple[str, ...]
    #: the way a reason says the funds went (压减…费用, 经费相应增加)
    funds_direction: re.Pattern[str]
    up: tuple[str, ...]
    down: tuple[str, ...]
    same: tuple[str, ...]
    comparison: re.Pattern[str]
    unit_markers: str
    generic_heads: frozenset[str]
    claims: ClaimWords
    project_total: re.Pattern[str]
    project_item: re.Pattern[str]
    project_arrangement: str
    project_total_above: re.Pattern[str]
    project_line_item: re.Pattern[str]
    project_final_cue: re.Pattern[str]
    contents_heading: re.Pattern[str]
    contents_prefix: re.Pattern[str]
    contents_tail: re.Pattern[str]
    contents_lines: int
    no_procurement: re.Pattern[str]
    percent_missing: re.Pattern[str]
    purchases: tuple[str, ...]
    listed_parts: tuple[str, ...]
    listed_parts_opening: re.Pattern[str]
    placeholder_chars: re.Pattern[str]
    #: how the text is read (`text.py`, `view.py`)
    sentence_marks: str
    item_start: re.Pattern[str]
    toc_line: re.Pattern[str]
    table_meta: re.Pattern[str]
    unit_line: re.Pattern[str]
    #: a printed unit's factor to 万元
    units: dict[str, float]
    name_unit_tail: re.Pattern[str]
    #: a table's 编制单位/单位名称 field and an aside a name may carry (（汇总）)
    header_field: re.Pattern[str]
    name_aside: re.Pattern[str]
    #: 功能分类 lines in prose, and the level below a code of each length
    function_level: str
    item_figure: re.Pattern[str]
    level_below: dict[int, str]
    year_end: re.Pattern[str]
    year_label: re.Pattern[str]
    year_title: re.Pattern[str]
    total_row: re.Pattern[str]
    target_bound: re.Pattern[str]
    prior_cue: re.Pattern[str]
    column_numbers: re.Pattern[str]
    money_header: re.Pattern[str]

    def shown(self, direction: str) -> str:
        """The word a message uses for a direction ('up' → 增加): the first of its list."""
        return {"up": self.up, "down": self.down, "same": self.same}[direction][0]

    def direction_of(self, word: str) -> str | None:
        """'up', 'down' or 'same' for a direction word (增加 → up)."""
        for name, words in (("up", self.up), ("down", self.down), ("same", self.same)):
            if word in words:
                return name
        return None


def _alternatives(words: list[str]) -> re.Pattern[str]:
    either = "|".join(map(re.escape, words))
    return re.compile(rf"({either})[（(]({either})[）)]")


def parse_vocabulary(data: dict[str, Any]) -> Vocabulary:
    conf, empty, tpl, reasons = (
        data["confidence"],
        data["empty_tables"],
        data["template"],
        data["reasons"],
    )
    directions = data["directions"]
    text, lines, years = data["text"], data["function_lines"], data["years"]
    return Vocabulary(
        fact_min=float(conf["fact_min"]),
        ocr_min=float(conf["ocr_min"]),
        guessed_unit_bases=frozenset(conf["guessed_unit_bases"]),
        required_min={
            k: int(v["min_present"]) for k, v in (data.get("required_tables") or {}).items()
        },
        empty_note=re.compile(empty["note"]),
        says_empty=re.compile(empty["says_empty"]),
        empty_topics=tuple(empty["topics"]),
        list_headers=re.compile(empty["list_headers"]),
        instructions=tuple(tpl["instructions"]),
        bracketed=re.compile(tpl["bracketed"]),
        alternatives=_alternatives(tpl["directions"]),
        placeholders=re.compile(tpl["placeholders"]),
        empty_reason=re.compile(tpl["empty_reason"], re.M),
        blank_fields=re.compile(
            rf"^\s*({tpl['blank_fields']})\s*[:：]\s*(?:[（(]\s*(?:公章|盖章)\s*[）)])?\s*$", re.M
        ),
        empty_figure=re.compile(tpl["empty_figure"]),
        cover_level=re.compile(tpl["cover_level"]),
        level_wording=re.compile(tpl["level_wording"]),
        placeholder_figures=_placeholder_figures(tpl["placeholder_figures"]),
        reason=re.compile(reasons["cue"]),
        back_reference=re.compile(reasons["back_reference"]),
        reasons_asked_in={k: frozenset(v) for k, v in reasons["asked_in"].items()},
        budget_reason_topics=tuple(reasons["budget_topics"]),
        funds_direction=re.compile(reasons["funds_direction"]),
        up=tuple(directions["up"]),
        down=tuple(directions["down"]),
        same=tuple(directions["same"]),
        comparison=re.compile(data["comparison"]),
        unit_markers=data["names"]["unit_markers"],
        generic_heads=frozenset(data["names"]["generic_heads"]),
        claims=_claim_words(data["claims"]),
        project_total=re.compile(data["project_list"]["total"]),
        project_item=re.compile(data["project_list"]["item"]),
        project_arrangement=data["project_list"]["arrangement"],
        project_total_above=re.compile(data["project_list"]["total_above"]),
        project_line_item=re.compile(data["project_list"]["line_item"]),
        project_final_cue=re.compile(data["project_list"]["final_cue"]),
        contents_heading=re.compile(data["contents"]["heading"]),
        contents_prefix=re.compile(data["contents"]["entry_prefix"]),
        contents_tail=re.compile(data["contents"]["entry_tail"]),
        contents_lines=int(data["contents"]["max_lines"]),
        no_procurement=re.compile(data["procurement"]["none"]),
        percent_missing=re.compile(data["percent_missing"]),
        purchases=tuple(data["procurement"]["purchases"]),
        listed_parts=tuple(data["listed_parts"]["concepts"]),
        listed_parts_opening=re.compile(data["listed_parts"]["opening"]),
        placeholder_chars=re.compile(tpl["placeholder_chars"]),
        sentence_marks=text["sentence_marks"],
        item_start=re.compile(text["item_start"]),
        toc_line=re.compile(text["toc_line"]),
        table_meta=re.compile(text["table_meta"]),
        unit_line=re.compile(text["unit_line"]),
        units={k: float(v) for k, v in text["units"].items()},
        name_unit_tail=re.compile(data["names"]["unit_tail"]),
        header_field=re.compile(data["names"]["header_field"]),
        name_aside=re.compile(data["names"]["name_aside"]),
        function_level=lines["level"],
        item_figure=re.compile(lines["item_figure"]),
        level_below={int(k): v for k, v in lines["below"].items()},
        year_end=re.compile(years["year_end"]),
        year_label=re.compile(years["label"]),
        year_title=re.compile(years["title"]),
        total_row=re.compile(data["indicators"]["total_row"]),
        target_bound=re.compile(data["indicators"]["bound"]),
        prior_cue=re.compile(data["prior_cue"]),
        column_numbers=re.compile(data["tables"]["column_numbers"]),
        money_header=re.compile(data["tables"]["money_header"]),
    )


@cache
def load_vocabulary() -> Vocabulary:
    """The vocabulary shipped with the package (cached: every document reads it)."""
    raw = resources.files("jixiao").joinpath("verification.yaml").read_text(encoding="utf-8")
    return parse_vocabulary(yaml.safe_load(raw))
