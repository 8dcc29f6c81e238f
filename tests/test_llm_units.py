"""Offline units of the llm backend: schema and menu, validators, chunking, packing, hybrid."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from jixiao.config import Settings
from jixiao.document import RawCell, RawParagraph, RawTable, RawText
from jixiao.extract import Extraction
from jixiao.extract.hybrid import merge, wanted_from
from jixiao.extract.llm.answer_models import Answer, concepts_in
from jixiao.extract.llm.backend import LLMBackend
from jixiao.extract.llm.chunking import chunk_section, without
from jixiao.extract.llm.convert import Converter
from jixiao.ingest import load_bytes
from jixiao.ingest.build import build_document
from jixiao.models import Evidence, Fact, Section

CHUNK = "本年收入合计1,250.60万元，其中其他收入505,000.00元。收入合计与各项之和不等。"


def test_the_menu_offers_the_concepts_a_chunk_names_with_the_wording_it_prints() -> None:
    found = concepts_in("收入合计100万元，其中一般公共服务支出50万元。在职人员12人。")
    assert found["fa.revenue_total"] == "收入合计"
    assert found["fa.function.201"] == "一般公共服务支出"
    assert "fa.expenditure_total" not in found  # not named: not asked
    assert concepts_in("收入合计100万元", frozenset({"fa.total"})) == {}


def backend_for(tmp_path, chunk_chars: int = 6000) -> LLMBackend:
    settings = Settings(
        base_url="http://127.0.0.1:9/v1", model="m", api_key="k", cache_dir=tmp_path
    )
    # below the settings' floor of 200 characters, to split these short sections
    return LLMBackend(settings.model_copy(update={"chunk_chars": chunk_chars}))


PACKED = (
    "一、收入决算情况说明\n本年收入合计120.50万元。\n"
    "二、支出决算情况说明\n本年支出合计119.80万元。\n"
    "三、机构设置\n在职人员12人。\n"
)


def packed_sections(doc) -> list[Section]:
    starts = [doc.text.index(h) for h in ("一、", "二、", "三、")] + [len(doc.text)]
    kinds = ["final_accounts", "final_accounts", "profile"]
    return [
        Section(id=f"s{n}", kind=kinds[n], title=doc.text[starts[n] : starts[n] + 4],
                start=starts[n], end=starts[n + 1])
        for n in range(3)
    ]  # fmt: skip


def test_small_sections_are_packed_into_one_request_that_names_them(tmp_path) -> None:
    doc = load_bytes(PACKED.encode(), name="p.txt")
    sections = packed_sections(doc)
    requests = backend_for(tmp_path).requests(doc, sections)
    assert len(requests) == 1
    user = requests[0].messages[1]["content"]
    for section in sections:
        assert f"§{section.id} {section.kind}" in user
    assert "fa.revenue_total 本年收入合计" in user and "staff.actual 在职人员" in user
    assert "fa.total " not in user  # 收支总计 is not named: not offered
    split = backend_for(tmp_path, chunk_chars=200).requests(doc, sections)
    assert len(split) == 1  # still fits
    assert len(backend_for(tmp_path, chunk_chars=30).requests(doc, sections)) == 3


def test_every_request_shares_one_system_message_and_schema(tmp_path) -> None:
    doc = load_bytes(PACKED.encode(), name="p.txt")
    requests = backend_for(tmp_path, chunk_chars=30).requests(doc, packed_sections(doc))
    assert len({r.messages[0]["content"] for r in requests}) == 1
    assert len({r.spec.schema_hash for r in requests}) == 1
    assert len({r.messages[1]["content"] for r in requests}) == 3


def test_packed_answers_map_back_to_the_section_of_their_quote(tmp_path) -> None:
    doc = load_bytes(PACKED.encode(), name="p.txt")
    sections = packed_sections(doc)
    request = backend_for(tmp_path).requests(doc, sections)[0]
    answer = Answer.model_validate(
        {
            "figures": [
                {"concept": "fa.revenue_total", "value": 120.5, "unit": "万元",
                 "quote": "本年收入合计120.50万元"},
                {"concept": "other 本年支出合计", "value": 119.8, "unit": "万元",
                 "quote": "本年支出合计119.80万元"},
            ]
        },
        context={"chunk": request.chunk.text},
    )  # fmt: skip
    converter = Converter(doc)
    converter.absorb(request.chunk, answer, valid=True)
    got = {(f.concept, f.section) for f in converter.extraction.facts}
    assert got == {("fa.revenue_total", "s0"), ("fa.expenditure_total", "s1")}


def validate(data: dict, chunk: str = CHUNK):
    return Answer.model_validate(data, context={"chunk": chunk})


def figure(concept: str, value: float, unit: str, quote: str, **more) -> dict:
    return {"figures": [{"concept": concept, "value": value, "unit": unit, "quote": quote, **more}]}


def test_a_value_is_the_number_as_printed_and_one_the_model_converted_is_reasked() -> None:
    validate(figure("fa.revenue.other", 505000, "元", "其他收入505,000.00元"))
    with pytest.raises(ValidationError, match="换算后的数"):
        validate(figure("fa.revenue.other", 50.5, "万元", "其他收入505,000.00元"))


@pytest.mark.parametrize(
    "mention, problem",
    [
        ({"value": 1250.6, "unit": "万元", "quote": "本年收入合计1250.60万元"}, "不在原文中"),
        ({"value": 1250.7, "unit": "万元", "quote": "本年收入合计1,250.60万元"}, "不含数值"),
        ({"value": 1250.6, "unit": "银两", "quote": "本年收入合计1,250.60万元"}, "无法识别"),
        ({"value": 1250.6, "unit": "%", "quote": "本年收入合计1,250.60万元"}, "不符"),
        (
            {"concept": "fa.no_such", "value": 1250.6, "unit": "万元", "quote": "本年收入合计"},
            "不存在",
        ),
    ],
)
def test_validators_reject_what_a_reask_can_fix(mention: dict, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        validate({"figures": [{"concept": "fa.revenue_total", **mention}]})


def test_the_documents_own_arithmetic_is_never_a_validation_error() -> None:
    chunk = "收入合计100万元，其中财政拨款60万元，其他收入30万元。"
    answer = {
        "figures": [
            {
                "concept": "fa.revenue_total",
                "value": 100,
                "unit": "万元",
                "quote": "收入合计100万元",
            },
            {"concept": "fa.revenue.other", "value": 30, "unit": "万元", "quote": "其他收入30万元"},
        ]
    }
    validate(answer, chunk)


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


def test_without_cuts_holes_out_of_spans() -> None:
    spans = [(0, 10), (20, 30)]
    assert without(spans, [(5, 25)]) == [(0, 5), (25, 30)]
    assert without(spans, [(0, 10)]) == [(20, 30)]
    assert without(spans, [(12, 18)]) == spans
    assert without(spans, [(22, 24), (2, 3)]) == [(0, 2), (3, 10), (20, 22), (24, 30)]
