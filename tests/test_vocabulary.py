"""The readers' vocabulary is data: numbering patterns get the numerals filled in."""

from __future__ import annotations

import pytest

from jixiao.vocabulary import load_vocabulary, numbering_pattern


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
