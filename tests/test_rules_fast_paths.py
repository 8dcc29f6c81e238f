"""The shortcuts taken for speed give what the plain way of computing gives."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from jixiao.extract.rules.indicator_columns import FIELD_WORDS, LEVEL_LABELS, ColumnMap, field_of
from jixiao.extract.rules.mentions import _lexicon
from jixiao.extract.rules.numbers import QUANTITY, _quantity_matches
from jixiao.extract.rules.row_placement import LEVEL1_WORDS, LEVEL2_WORDS, _fit, place_row
from jixiao.extract.rules.table_cells import label
from jixiao.ingest.normalize import (
    _FULLWIDTH_TABLE,
    ARTEFACT,
    CELL_BREAK,
    EDGE_SPACE,
    FULLWIDTH_POINT,
    LAYOUT_SPACE,
    THOUSANDS,
    _join_cell_lines,
    _sub,
    normalize_piece,
    normalize_piece_index,
)
from jixiao.taxonomy import load_taxonomy

FIXTURES = Path(__file__).resolve().parents[1] / "eval" / "fixtures"


def _every_rewrite(text: str, in_cell: bool) -> tuple[str, list[int]]:
    """Normalisation with every rewrite applied, whether or not its character is there."""
    index = list(range(len(text)))
    text = text.translate(_FULLWIDTH_TABLE)
    text, index = _sub(ARTEFACT, "", text, index)
    text, index = _sub(FULLWIDTH_POINT, ".", text, index)
    text, index = _sub(THOUSANDS, ",", text, index)
    text, index = _sub(CELL_BREAK, _join_cell_lines if in_cell else " ", text, index)
    text, index = _sub(LAYOUT_SPACE, "", text, index)
    return _sub(EDGE_SPACE, "", text, index)


@pytest.mark.slow  # normalises every fixture both ways
def test_normalisation_skipping_absent_rewrites_changes_nothing() -> None:
    rng = random.Random(11)
    pieces = [
        *"２０．，,19 \t\r\n\u3000\xa0收入万元[]:：（）%ａＢ。／≦",
        "[bookmark: _GoBack]",
        "[image: 图片1]",
        "250，000.00",
        "98．90",
        "2021 年",
    ]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12)))
        for in_cell in (False, True):
            expected = _every_rewrite(text, in_cell)
            assert normalize_piece(text, in_cell=in_cell) == expected
            out, index = normalize_piece_index(text, in_cell=in_cell)
            assert out == expected[0]
            assert (index if index is not None else list(range(len(out)))) == expected[1]


def test_quantities_found_between_start_characters_are_those_of_a_full_scan() -> None:
    rng = random.Random(12)
    pieces = ["不低于", "大于", "≥", "<", "-", "+", "12", "3.5", "1,200", "万元", "%", "以上"]
    pieces += list("年度收入为，。 个人次")
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 15)))
        expected = [(m.span(), m.groupdict()) for m in QUANTITY.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in _quantity_matches(text)] == expected


def _field_by_scan(text: str) -> str | None:
    key = label(text)
    if not key:
        return None
    if key in LEVEL_LABELS:
        return f"level:{LEVEL_LABELS[key]}"
    for name, words in FIELD_WORDS:
        if key in words:
            return name
    for name, words in FIELD_WORDS:
        if any(len(w) >= 3 and w in key for w in words):
            return name
    return None


def test_header_fields_match_a_scan_of_every_word() -> None:
    rng = random.Random(13)
    words = [w for _, ws in FIELD_WORDS for w in ws] + list(LEVEL_LABELS) + ["（万元）", "：", "x"]
    for _ in range(20000):
        text = "".join(rng.choice(words) for _ in range(rng.randrange(1, 4)))
        assert field_of(text) == _field_by_scan(text)


def _placement_by_scan(texts: list[str], cmap: ColumnMap) -> list[int]:
    m, gap = len(texts), cmap.width - len(texts)
    if gap <= 0:
        return list(range(m))
    by_col = {col: f for f, col in cmap.columns.items()}
    for n, col in enumerate(cmap.levels, 1):
        by_col[col] = f"level{n}"
    candidates = [[offset + i for i in range(m)] for offset in range(gap, -1, -1)]
    candidates += [[i if i < k else i + gap for i in range(m)] for k in range(1, m)]
    best, best_score = candidates[0], None
    for columns in candidates:
        score = sum(_fit(t, by_col.get(c)) for t, c in zip(texts, columns, strict=True))
        if best_score is None or score > best_score:
            best, best_score = columns, score
    return best


def test_row_placement_scores_every_shift_and_split_like_a_scan() -> None:
    rng = random.Random(14)
    values = [*LEVEL1_WORDS, *LEVEL2_WORDS, "≥", "=", "", "12", "3.5", "人次", "≥95%", "说明文字"]
    fields = ["operator", "weight", "score", "unit", "target", "actual", "note"]
    for _ in range(5000):
        width = rng.randrange(1, 12)
        columns = {f: rng.randrange(width) for f in rng.sample(fields, rng.randrange(0, 5))}
        levels = sorted(rng.sample(range(width), rng.randrange(0, min(3, width) + 1)))
        cmap = ColumnMap(width=width, columns=columns, levels=levels)
        texts = [rng.choice(values) for _ in range(rng.randrange(0, width + 2))]
        assert place_row(texts, cmap) == _placement_by_scan(texts, cmap)


def test_wording_tree_finds_what_the_longest_first_alternation_finds() -> None:
    lexicon = _lexicon(load_taxonomy())
    words = sorted(lexicon.by_wording, key=len, reverse=True)
    alternation = re.compile("|".join(re.escape(w) for w in words))
    rng = random.Random(15)
    text = FIXTURES.joinpath("001", "source.txt").read_text(encoding="utf-8")
    samples = [text[i : i + 200] for i in range(0, len(text), 200)]
    samples += ["".join(rng.choice(words[:60]) for _ in range(6)) for _ in range(500)]
    for sample in samples:
        expected = [m.span() for m in alternation.finditer(sample)]
        assert [m.span() for m in lexicon.pattern.finditer(sample)] == expected
