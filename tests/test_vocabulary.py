"""The readers' vocabulary is data: numbering patterns get the numerals filled in, every
entry is filled and compiles, and editing a word in the YAML changes what is matched."""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import cast

import pytest

import jixiao.vocabulary as vocabulary_module
from jixiao.document import Table
from jixiao.extract.rules import (
    achievement,
    budget_tables,
    changes_and_shares,
    projects,
    prose,
    prose_fact,
    row_placement,
    stages,
)
from jixiao.segment import classify, headings
from jixiao.vocabulary import VOCABULARY_FILE, load_vocabulary, numbering_pattern


def test_no_numbering_pattern_keeps_a_placeholder() -> None:
    for name, pattern in load_vocabulary().numbering.items():
        assert "{list_numerals}" not in pattern, name


@pytest.mark.parametrize(
    ("name", "text", "matched"),
    [
        ("entry_start", "（三）项目支出", "（三）"),
        ("entry_start", "十、其他", "十、"),
        ("entry_start", "28.89%。主要原因", None),
        ("part_prefix", "第二部分上海市某局2024年度部门决算表", "第二部分"),
        ("title_lead", "附件3：2024年度部门决算", "附件3："),
        ("table_title_prefix", "表三、收入决算表", "表三、"),
        ("row_label_prefix", "其中：一、财政拨款收入", "其中：一、"),
    ],
)
def test_numbering_patterns_read_chinese_numerals(
    name: str, text: str, matched: str | None
) -> None:
    m = numbering_pattern(name).match(text)
    assert (m.group(0).strip() if m else None) == matched


# ---------------------------------------------------------------------------- well-formed
def _leaves(value: object, path: str = "") -> Iterator[tuple[str, object]]:
    """Every field of the loaded vocabulary, down to its words."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _leaves(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}")
    else:
        yield path, value


def test_every_entry_of_the_vocabulary_is_filled_and_every_pattern_compiles() -> None:
    vocabulary = load_vocabulary()
    for path, value in _leaves(vocabulary):
        if isinstance(value, tuple) and path != ".table_signatures":
            # only a signature's all_of may be empty (final_accounts needs no common word)
            assert value or path.endswith("all_of"), f"{path} is empty"
            for word in value:
                assert word, f"{path} holds an empty word"
                for pattern in word if isinstance(word, tuple) else (word,):
                    re.compile(pattern)
        elif isinstance(value, str):
            assert value.strip(), f"{path} is empty"
            re.compile(value)
    kinds = {kind for kind, *_ in classify.TABLE_SIGNATURES}
    assert kinds <= set(vocabulary.section_kinds) | {"final_accounts"}
    headings.heading_patterns(vocabulary)  # the words combine into valid patterns
    labels = vocabulary.budget_table_labels
    assert {stage for _, stage in labels.stages} == set(budget_tables._BASE)
    sources = set(budget_tables._SOURCE_CONCEPT) | {"total"}
    assert {source for _, source in labels.sources} == sources
    levels = vocabulary.indicator_levels
    assert set(levels.level1_named) <= set(levels.level1)


# ---------------------------------------------------------------------------- data drives it
def _edited_vocabulary(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """A copy of the packaged vocabulary with words replaced: (old, new) each."""
    text = VOCABULARY_FILE.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "vocabulary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_heading_word_added_to_the_data_makes_a_heading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert headings.numbered_rank("第二卷 附录") is None
    edited = _edited_vocabulary(tmp_path, ("part_words: [部分,", "part_words: [卷, 部分,"))
    patterns = headings.heading_patterns(load_vocabulary(edited))
    monkeypatch.setattr(headings, "_MARKERS", patterns.markers)
    assert headings.numbered_rank("第二卷 附录") == (headings.RANK_PART, 3)


@contextmanager
def _reloaded(module: ModuleType, path: Path) -> Iterator[ModuleType]:
    """`module` rebuilt from the vocabulary at `path`, restored afterwards."""
    original = vocabulary_module.load_vocabulary
    vocabulary_module.load_vocabulary = lambda p=path: original(p)  # type: ignore[misc]
    try:
        yield importlib.reload(module)
    finally:
        vocabulary_module.load_vocabulary = original
        importlib.reload(module)


def test_project_name_and_table_signature_words_come_from_the_data(tmp_path: Path) -> None:
    title = "2023年度公共卫生项目支出绩效自评报告"
    header = SimpleNamespace(rows=[[SimpleNamespace(text=t) for t in ("指标", "考核办法")]])
    table = cast(Table, header)
    assert classify.project_from_title(title) == "公共卫生"
    assert classify.classify_table(table) is None
    edited = _edited_vocabulary(
        tmp_path,
        ("generic_words: [部门,", "generic_words: [公共卫生, 部门,"),
        ("any_of: [评分方法,", "any_of: [考核办法, 评分方法,"),
    )
    with _reloaded(classify, edited) as reading:
        assert reading.project_from_title(title) is None  # now a generic word
        assert reading.classify_table(table) == "rubric"
    assert classify.project_from_title(title) == "公共卫生"


def test_prose_cue_words_come_from_the_data(tmp_path: Path) -> None:
    text = "比上年回落5.00万元，收入合拢为12.00万元"
    assert not changes_and_shares.YOY_CUE.search(text)
    assert prose._gap_confidence("合拢为", "fa.revenue_total") == 0.7
    assert [w.stage for w in stages.stage_words("编列数为3万元")] == []
    edited = _edited_vocabulary(
        tmp_path,
        ("change: [增加,", "change: [回落, 增加,"),
        ("decrease: [减少,", "decrease: [回落, 减少,"),
        ("connectives: [支出决算数,", "connectives: [合拢, 支出决算数,"),
        ("initial: [年初预算,", "initial: [编列数, 年初预算,"),
    )
    with _reloaded(changes_and_shares, edited) as reading:
        cue = reading.YOY_CUE.search(text)
        assert cue is not None and cue.group(1) == "回落" and cue.group(1) in reading.DECREASE
    with _reloaded(prose, edited) as reading:
        assert reading._gap_confidence("合拢为", "fa.revenue_total") == 0.9
    with _reloaded(stages, edited) as reading:
        assert [w.stage for w in reading.stage_words("编列数为3万元")] == ["initial"]
    assert not changes_and_shares.YOY_CUE.search(text)


def test_dating_words_come_from_the_data(tmp_path: Path) -> None:
    text = "截止2024年12月31日，共有车辆2辆"
    assert not prose_fact.AS_OF.search(text)
    assert not prose_fact.CURRENT_YEAR_WORD.search("本财年收入500万元")
    edited = _edited_vocabulary(
        tmp_path,
        ("as_of: [截至]", "as_of: [截至, 截止]"),
        ("current_year: [本年,", "current_year: [本财年, 本年,"),
    )
    with _reloaded(prose_fact, edited) as reading:
        dated = reading.AS_OF.search(text)
        assert dated is not None and dated.group(1) == "2024"
        assert reading.CURRENT_YEAR_WORD.search("本财年收入500万元")


def test_budget_table_labels_come_from_the_data(tmp_path: Path) -> None:
    assert budget_tables.stage_of("下达数") is None
    edited = _edited_vocabulary(
        tmp_path, ("    - [执行率, rate]", "    - [下达数, adjusted]\n    - [执行率, rate]")
    )
    with _reloaded(budget_tables, edited) as reading:
        assert reading.stage_of("下达数") == "adjusted"
    assert budget_tables.stage_of("下达数") is None


def test_table_header_labels_come_from_the_data(tmp_path: Path) -> None:
    assert projects._field_of("承办单位") is None
    assert row_placement._fit("绩效指标", "level1") == 0
    edited = _edited_vocabulary(
        tmp_path,
        ("implementing_unit: [实施单位,", "implementing_unit: [承办单位, 实施单位,"),
        ("level1: [产出指标,", "level1: [绩效指标, 产出指标,"),
    )
    with _reloaded(projects, edited) as reading:
        assert reading._field_of("承办单位") == "implementing_unit"
    with _reloaded(row_placement, edited) as reading:
        assert reading._fit("绩效指标", "level1") == 2
    assert projects._field_of("承办单位") is None


def test_indicator_outcome_words_come_from_the_data(tmp_path: Path) -> None:
    assert achievement._worded("已落实", "全面落实") is None
    edited = _edited_vocabulary(tmp_path, ("achieved: [已完成,", "achieved: [已落实, 已完成,"))
    with _reloaded(achievement, edited) as reading:
        assert reading._worded("已落实", "全面落实") is True
    assert achievement._worded("已落实", "全面落实") is None
