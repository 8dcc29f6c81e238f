"""Offline units of the llm backend: generated schemas, validators, chunking, hybrid merge."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from jixiao.document import RawCell, RawParagraph, RawTable, RawText, build_document
from jixiao.extract import Extraction
from jixiao.extract.hybrid import merge, wanted_from
from jixiao.extract.llm.chunking import chunk_section
from jixiao.extract.llm.schemas import answer_spec, field_name
from jixiao.ingest import load_bytes
from jixiao.models import Evidence, Fact, Section
from jixiao.taxonomy import load_taxonomy

CHUNK = "本年收入合计1,250.60万元，其中其他收入505,000.00元。收入合计与各项之和不等。"


def test_fields_are_generated_from_the_taxonomy_with_chinese_descriptions() -> None:
    spec = answer_spec("final_accounts")
    fields = spec.model.model_fields
    taxonomy = load_taxonomy()
    fa = [c for c in taxonomy.concepts if c.startswith("fa.")]
    assert set(spec.concepts.values()) == set(fa)
    for concept in fa:
        name = field_name(concept)
        assert name.isascii() and name in fields
        assert taxonomy.concepts[concept].label in fields[name].description


def test_restricting_concepts_changes_the_schema_hash() -> None:
    full = answer_spec("final_accounts")
    part = answer_spec("final_accounts", ("fa.revenue_total",))
    assert list(part.concepts.values()) == ["fa.revenue_total"]
    assert part.schema_hash != full.schema_hash


def validate(data: dict, chunk: str = CHUNK):
    return answer_spec("final_accounts").model.model_validate(data, context={"chunk": chunk})


def test_value_printed_in_yuan_matches_its_wan_yuan_reading() -> None:
    validate(
        {"fa_revenue_other": [{"value": 50.5, "unit": "万元", "quote": "其他收入505,000.00元"}]}
    )
    validate(
        {"fa_revenue_other": [{"value": 505000, "unit": "元", "quote": "其他收入505,000.00元"}]}
    )


@pytest.mark.parametrize(
    "mention, problem",
    [
        ({"value": 1250.6, "unit": "万元", "quote": "本年收入合计1250.60万元"}, "不在原文中"),
        ({"value": 1250.7, "unit": "万元", "quote": "本年收入合计1,250.60万元"}, "不含数值"),
        ({"value": 1250.6, "unit": "银两", "quote": "本年收入合计1,250.60万元"}, "无法识别"),
        ({"value": 1250.6, "unit": "%", "quote": "本年收入合计1,250.60万元"}, "不符"),
    ],
)
def test_validators_reject_what_a_reask_can_fix(mention: dict, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        validate({"fa_revenue_total": [mention]})


def test_the_documents_own_arithmetic_is_never_a_validation_error() -> None:
    chunk = "收入合计100万元，其中财政拨款60万元，其他收入30万元。"
    validate(
        {
            "fa_revenue_total": [{"value": 100, "unit": "万元", "quote": "收入合计100万元"}],
            "fa_revenue_other": [{"value": 30, "unit": "万元", "quote": "其他收入30万元"}],
        },
        chunk,
    )


def table_document(n_rows: int):
    """A 绩效目标表 of `n_rows` data rows, built as ingestion builds any table."""

    def cell(text: str) -> RawCell:
        return RawCell(RawText(text))

    header = [cell(t) for t in ("一级指标", "二级指标", "三级指标", "指标值")]
    rows = [
        [cell("产出指标"), cell("数量指标"), cell(f"指标{n:03d}"), cell(f"≥{n}次")]
        for n in range(n_rows)
    ]
    blocks = [RawParagraph(RawText("绩效目标表")), RawTable([header, *rows])]
    return build_document(blocks, path="t.docx", sha256="0", format="docx")


def test_long_tables_are_split_with_the_header_repeated_and_offsets_kept() -> None:
    doc = table_document(60)
    section = Section(id="s1", kind="target_table", title="绩效目标表", start=0, end=len(doc.text))
    chunks = chunk_section(doc, section, 400)
    assert len(chunks) > 2
    for chunk in chunks[1:]:
        assert chunk.text.startswith("一级指标\t二级指标\t三级指标")
    seen = [line for c in chunks for line in c.text.split("\n") if "指标0" in line]
    assert len(seen) == 60 and len(set(seen)) == 60
    for chunk in chunks:
        quote = "指标059" if "指标059" in chunk.text else None
        if quote:
            start, end = chunk.locate(quote, doc.text)
            assert doc.text[start:end] == quote


def fact(fid: str, value: float, start: int, origin: str, decimals: int = 2) -> Fact:
    return Fact(
        id=fid,
        concept="fa.revenue_total",
        year=2023,
        value=value,
        unit="万元",
        text=f"{value}万元",
        evidence=Evidence(quote="q", start=start, end=start + 5),
        origin=origin,
        decimals=decimals,
    )


def test_hybrid_flags_a_disagreement_beyond_printed_precision_naming_both_facts() -> None:
    rules = Extraction(facts=[fact("r1", 416.54, 10, "rules")])
    llm = Extraction(facts=[fact("l1", 418.34, 50, "llm"), fact("l2", 416.54, 10, "llm")])
    merged = merge(rules, llm)
    flags = [g for g in merged.flags if g.check == "backend_disagreement"]
    assert len(flags) == 1 and flags[0].facts == ["r1", "l1"]
    assert [f.id for f in merged.facts] == ["r1", "l1"]  # the repeated mention is dropped


def test_hybrid_does_not_flag_values_equal_within_rounding() -> None:
    rules = Extraction(facts=[fact("r1", 416.54, 10, "rules")])
    llm = Extraction(facts=[fact("l1", 416.5, 50, "llm", decimals=1)])
    assert not [g for g in merge(rules, llm).flags if g.check == "backend_disagreement"]


def test_hybrid_asks_only_about_concepts_named_in_the_text_and_missed_by_rules() -> None:
    doc = load_bytes("本年收入合计100万元，本年支出合计90万元。\n".encode(), name="v.txt")
    section = Section(id="s1", kind="final_accounts", title="x", start=0, end=len(doc.text))
    rules = Extraction(facts=[fact("r1", 100, 0, "rules", 0)], fiscal_year=2023)
    assert wanted_from(doc, rules, [section]) == {"s1": ("fa.expenditure_total",)}
