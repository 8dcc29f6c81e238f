"""The domain vocabulary in `vocabulary.yaml`: section-kind titles, provinces, numerals,
how lists and titles are numbered.

Words a reader matches are data, like the taxonomy's labels: a template with a new
section title or a province spelled another way is an edit to the YAML, not to a
reader. Loaded once per process; the readers build their patterns from it at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")


@dataclass(frozen=True)
class Vocabulary:
    #: section kind -> title patterns, in tie-breaking order
    section_kinds: dict[str, tuple[str, ...]]
    #: province-level names without their suffix
    provinces: tuple[str, ...]
    #: the province-level cities (直辖市)
    municipalities: tuple[str, ...]
    #: the characters of list and heading numbers: 一 … 十
    list_numerals: str
    #: … and with 百, 〇, 零 for heading numbers
    heading_numerals: str
    #: the wording of a count of projects and the list of them after it
    project_lists: dict[str, str]
    #: how lists, parts and tables are numbered: name -> pattern, numerals filled in
    numbering: dict[str, str]
    #: list-item titles that are a report's headings, not projects: by ending, anywhere
    generic_list_titles: dict[str, tuple[str, ...]]
    #: department names: agency suffixes, cover labels, 区 words that are no district …
    department_names: dict[str, tuple[str, ...]]


@cache
def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Vocabulary(
        section_kinds={kind: tuple(p) for kind, p in data["section_kinds"].items()},
        provinces=tuple(data["provinces"]),
        municipalities=tuple(data["municipalities"]),
        list_numerals=data["numerals"]["list"],
        heading_numerals=data["numerals"]["heading"],
        project_lists=dict(data["project_lists"]),
        numbering={
            name: pattern.replace("{list_numerals}", data["numerals"]["list"])
            for name, pattern in data["numbering"].items()
        },
        generic_list_titles={k: tuple(v) for k, v in data["generic_list_titles"].items()},
        department_names={k: tuple(v) for k, v in data["department_names"].items()},
    )


@cache
def numbering_pattern(name: str) -> re.Pattern[str]:
    """A numbering pattern of `vocabulary.yaml` (entry_start, title_lead …), compiled once."""
    return re.compile(load_vocabulary().numbering[name])
