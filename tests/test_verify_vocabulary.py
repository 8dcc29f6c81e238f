"""The verifier's wording is data: a province's variant is one edit of verification.yaml."""

from importlib import resources

import yaml

from jixiao.verify import verify_record
from jixiao.verify.vocabulary import load_vocabulary, parse_vocabulary
from verify_support import record, row


def _vocabulary(**edits: dict[str, str]):
    raw = resources.files("jixiao").joinpath("verification.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    for section, values in edits.items():
        data[section].update(values)
    return parse_vocabulary(data)


def _score_flags(rows) -> list[str]:
    return [f.check for f in verify_record(record(indicators=rows), "") if f.check == "score_sum"]


def test_a_total_rows_wording_is_read_from_the_yaml(monkeypatch) -> None:
    rows = [
        row(level1="产出指标", level3="培训人次", weight=10, score=5),
        row(level1="效益指标", level3="满意度", weight=10, score=7),
        row(level1="总得分", score=13),
    ]
    # 总得分 is no total row of the shipped wording: a third scored row, nothing to add up to
    assert _score_flags(rows) == []
    edited = _vocabulary(indicators={"total_row": r"^\s*(合\s*计|总\s*分|总得分)\s*$"})
    monkeypatch.setattr("jixiao.verify.arithmetic.scores.load_vocabulary", lambda: edited)
    assert _score_flags(rows) == ["score_sum"]  # 5 + 7 ≠ 13
    rows[2].score = 12
    assert _score_flags(rows) == []


def test_the_shipped_vocabulary_reads_every_section() -> None:
    vocab = load_vocabulary()
    assert vocab.level_below == {3: "款", 5: "项"}
    assert vocab.units["元"] == 0.0001 and vocab.shown("down") == "减少"
    assert vocab.item_start.match("（二）基本支出") and vocab.toc_line.search("一、部门职责……3")
