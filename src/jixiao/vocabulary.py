"""The domain vocabulary in `vocabulary.yaml`: section-kind titles, provinces, numerals,
how lists and titles are numbered, heading and project-name words, table signatures.

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
class HeadingWords:
    """What tells a heading or title line from body text (`segment.headings`)."""

    ordinal_prefix: str
    annex_prefix: str
    part_words: tuple[str, ...]
    section_words: tuple[str, ...]
    annex_words: tuple[str, ...]
    figure_words: tuple[str, ...]
    organisation_endings: tuple[str, ...]
    #: regular expressions, matched against a parenthetical's whole content
    not_project_parentheticals: tuple[str, ...]
    figure_line_units: str


@dataclass(frozen=True)
class ProjectNameWords:
    """Where a title or table names its project, and which names are none (`segment.classify`)."""

    labels: tuple[str, ...]
    column_header_starts: tuple[str, ...]
    #: regular expressions
    generic_words: tuple[str, ...]
    #: regular expressions
    not_a_project: tuple[str, ...]
    project_word: str
    project_tail: tuple[str, ...]
    #: groups of alternatives, each group optional, in order
    report_ending: tuple[tuple[str, ...], ...]
    #: groups of alternatives, one of each, in order
    document_title: tuple[tuple[str, ...], ...]
    total_rows: tuple[str, ...]


@dataclass(frozen=True)
class FigureCues:
    """What makes a prose figure a share, a change or a completion rate
    (`extract.rules.changes_and_shares`). Tuples are words; strings regular expressions."""

    share: tuple[str, ...]
    change: tuple[str, ...]
    decrease: tuple[str, ...]
    completion: str
    completion_base: str
    whole_before: str
    comparison_opening: tuple[str, ...]
    compared_frame: str


@dataclass(frozen=True)
class StageWordings:
    """Budget-stage wordings in prose (`extract.rules.stages`): regular expressions."""

    adjusted: tuple[str, ...]
    initial: tuple[str, ...]
    final: tuple[str, ...]
    bare_total: str


@dataclass(frozen=True)
class ProseLinks:
    """How a number is tied to the wording before it (`extract.rules.prose`): words."""

    connectives: tuple[str, ...]
    breaking: tuple[str, ...]
    #: one word of each group, in order
    all_of: tuple[tuple[str, ...], ...]
    truncated_endings: tuple[str, ...]
    item_class_word: str
    item_words: tuple[str, ...]
    projects_word: str
    budget_measure_words: tuple[str, ...]


@dataclass(frozen=True)
class FigureDating:
    """How prose dates a figure and whose it is (`extract.rules.prose_fact`). Tuples are
    words, strings regular expressions (comparison_chars a character class's content)."""

    comparison: tuple[str, ...]
    comparison_chars: str
    #: regular expressions
    prior_year: tuple[str, ...]
    current_year: tuple[str, ...]
    frame_openers: tuple[str, ...]
    as_of: tuple[str, ...]
    date_year: str
    date_month: str
    institution_subject: str
    jurisdiction_wide: str
    #: the unit a concept expects → the units a count of it is printed in
    count_units: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class BudgetTableLabels:
    """The labels of a project's budget block (`extract.rules.budget_tables`): words."""

    #: (word, stage), the first word a label contains decides
    stages: tuple[tuple[str, str], ...]
    #: (word, source of funds), likewise
    sources: tuple[tuple[str, str], ...]
    other_sources: tuple[str, ...]
    amount_units: tuple[str, ...]


def _pairs(items: list[list[str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(word), str(value)) for word, value in items)


@dataclass(frozen=True)
class ProjectTableLabels:
    """Header labels of project and summary tables (`extract.rules.projects`,
    `summary_tables`): words a cell's label equals."""

    name: tuple[str, ...]
    code: tuple[str, ...]
    managing_department: tuple[str, ...]
    implementing_unit: tuple[str, ...]
    summary_name: tuple[str, ...]
    summary_amount: tuple[str, ...]
    summary_total: tuple[str, ...]
    indicator_levels: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorLevels:
    """Indicator level names (`extract.rules.row_placement`): words a cell starts with."""

    level1: tuple[str, ...]
    #: the level-1 names in full (产出指标 …), never a level-2 cell
    level1_named: tuple[str, ...]
    level2: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorOutcomes:
    """Printed outcomes of an indicator row (`extract.rules.achievement`): words."""

    achieved: tuple[str, ...]
    missed: tuple[str, ...]
    cost: tuple[str, ...]


@dataclass(frozen=True)
class TableSignature:
    """Header words that mark a table of `kind`: all of `all_of` and one of `any_of`."""

    kind: str
    all_of: tuple[str, ...]
    any_of: tuple[str, ...]


def _words(items: list[str]) -> tuple[str, ...]:
    return tuple(str(item) for item in items)


def _groups(items: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(_words(group) for group in items)


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
    headings: HeadingWords
    project_names: ProjectNameWords
    #: in the order tried
    table_signatures: tuple[TableSignature, ...]
    #: the digits of a year written in characters (二〇二一)
    year_numerals: str
    #: what follows a year's digits (年, 年度): a regular expression
    year_word: str
    figure_cues: FigureCues
    stage_wordings: StageWordings
    prose_links: ProseLinks
    figure_dating: FigureDating
    budget_table_labels: BudgetTableLabels
    project_table_labels: ProjectTableLabels
    indicator_levels: IndicatorLevels
    indicator_outcomes: IndicatorOutcomes


@cache
def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    """The vocabulary in `path` (cached: the packaged file is read once per process)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    heads = data["headings"]
    names = data["project_names"]
    cues = data["figure_cues"]
    stages = data["stage_wordings"]
    links = data["prose_links"]
    dating = data["figure_dating"]
    budget = data["budget_table_labels"]
    project_labels = {k: _words(v) for k, v in data["project_table_labels"].items()}
    levels = {k: _words(v) for k, v in data["indicator_levels"].items()}
    outcomes = {k: _words(v) for k, v in data["indicator_outcomes"].items()}
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
        headings=HeadingWords(
            ordinal_prefix=str(heads["ordinal_prefix"]),
            annex_prefix=str(heads["annex_prefix"]),
            part_words=_words(heads["part_words"]),
            section_words=_words(heads["section_words"]),
            annex_words=_words(heads["annex_words"]),
            figure_words=_words(heads["figure_words"]),
            organisation_endings=_words(heads["organisation_endings"]),
            not_project_parentheticals=_words(heads["not_project_parentheticals"]),
            figure_line_units=str(heads["figure_line_units"]),
        ),
        project_names=ProjectNameWords(
            labels=_words(names["labels"]),
            column_header_starts=_words(names["column_header_starts"]),
            generic_words=_words(names["generic_words"]),
            not_a_project=_words(names["not_a_project"]),
            project_word=str(names["project_word"]),
            project_tail=_words(names["project_tail"]),
            report_ending=_groups(names["report_ending"]),
            document_title=_groups(names["document_title"]),
            total_rows=_words(names["total_rows"]),
        ),
        table_signatures=tuple(
            TableSignature(str(s["kind"]), _words(s["all_of"]), _words(s["any_of"]))
            for s in data["table_signatures"]
        ),
        year_numerals=str(data["numerals"]["year"]),
        year_word=str(data["year_word"]),
        figure_cues=FigureCues(
            share=_words(cues["share"]),
            change=_words(cues["change"]),
            decrease=_words(cues["decrease"]),
            completion=str(cues["completion"]),
            completion_base=str(cues["completion_base"]),
            whole_before=str(cues["whole_before"]),
            comparison_opening=_words(cues["comparison_opening"]),
            compared_frame=str(cues["compared_frame"]),
        ),
        stage_wordings=StageWordings(
            adjusted=_words(stages["adjusted"]),
            initial=_words(stages["initial"]),
            final=_words(stages["final"]),
            bare_total=str(stages["bare_total"]),
        ),
        prose_links=ProseLinks(
            connectives=_words(links["connectives"]),
            breaking=_words(links["breaking"]),
            all_of=_groups(links["all_of"]),
            truncated_endings=_words(links["truncated_endings"]),
            item_class_word=str(links["item_class_word"]),
            item_words=_words(links["item_words"]),
            projects_word=str(links["projects_word"]),
            budget_measure_words=_words(links["budget_measure_words"]),
        ),
        figure_dating=FigureDating(
            comparison=_words(dating["comparison"]),
            comparison_chars=str(dating["comparison_chars"]),
            prior_year=_words(dating["prior_year"]),
            current_year=_words(dating["current_year"]),
            frame_openers=_words(dating["frame_openers"]),
            as_of=_words(dating["as_of"]),
            date_year=str(dating["date_year"]),
            date_month=str(dating["date_month"]),
            institution_subject=str(dating["institution_subject"]),
            jurisdiction_wide=str(dating["jurisdiction_wide"]),
            count_units={str(k): _words(v) for k, v in dating["count_units"].items()},
        ),
        budget_table_labels=BudgetTableLabels(
            stages=_pairs(budget["stages"]),
            sources=_pairs(budget["sources"]),
            other_sources=_words(budget["other_sources"]),
            amount_units=_words(budget["amount_units"]),
        ),
        project_table_labels=ProjectTableLabels(**project_labels),
        indicator_levels=IndicatorLevels(**levels),
        indicator_outcomes=IndicatorOutcomes(**outcomes),
    )


def alternation(words: tuple[str, ...], *, escape: bool = True) -> str:
    """Words as one regular-expression alternation, in their order: `(?:a|b|c)`.

    Plain words are escaped; pass escape=False for entries the YAML gives as patterns."""
    return "(?:" + "|".join(re.escape(w) if escape else w for w in words) + ")"


@cache
def numbering_pattern(name: str) -> re.Pattern[str]:
    """A numbering pattern of `vocabulary.yaml` (entry_start, title_lead …), compiled once."""
    return re.compile(load_vocabulary().numbering[name])
