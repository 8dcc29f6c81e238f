"""The llm backend on the extended contract: document kind, stages, line scopes, units,
and hybrid's like-with-like comparison.

The documents are small ones written for these tests; the answers are written by hand
(or given naively by the stand-in): they test the contract, never a model's accuracy.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from jixiao.config import Settings
from jixiao.document import Document, RawCell, RawParagraph, RawTable, RawText
from jixiao.extract import Extraction
from jixiao.extract.hybrid import HybridBackend, merge, wanted_from
from jixiao.extract.llm import make_backend
from jixiao.extract.llm.answer_models import Answer, stage_menu
from jixiao.extract.llm.backend import LLMBackend
from jixiao.extract.llm.convert import Converter
from jixiao.extract.rules import RulesBackend
from jixiao.ingest import load_bytes
from jixiao.ingest.build import build_document
from jixiao.models import Evidence, Fact
from jixiao.run.document import process_document
from jixiao.segment import segment


def built(blocks: list) -> Document:
    raw = [
        RawTable([[RawCell(RawText(c)) for c in row] for row in b])
        if isinstance(b, list)
        else RawParagraph(RawText(b))
        for b in blocks
    ]
    return build_document(raw, path="t.docx", sha256="0" * 64, format="docx")


BUDGET = [
    "示例区示例局2025年部门预算",
    "一、收支预算总体情况",
    "2025年收入总计1,234.50万元；2024年执行数为1,180.20万元。",
    "二、一般公共预算基本支出经济分类预算表",
    "单位：元",
    [
        ["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
        ["301", "工资福利支出", "6,543,210.00", "6,543,210.00", ""],
        ["30201", "办公费", "123,456.00", "", "123,456.00"],
    ],
]


class Given:
    """A rules backend that answers with a given extraction (what the rules read)."""

    name = "rules"

    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction

    def extract(self, doc: Document, sections: list) -> Extraction:
        return self.extraction


def offline(tmp_path: Path) -> LLMBackend:
    """A backend for planning and converting only (its endpoint is never called)."""
    return LLMBackend(
        Settings(base_url="http://127.0.0.1:9/v1", model="m", api_key="k", cache_dir=tmp_path)
    )


def converted(doc: Document, figures: list[dict], kind: str = "budget", **answer) -> list[Fact]:
    """The facts of one hand-written answer to the document's single request."""
    request = offline(Path("/nonexistent")).plan(doc, segment(doc))[0]
    data = {"figures": figures, **answer}
    parsed = Answer.model_validate(data, context={"chunk": request.chunk.text})
    converter = Converter(doc, kind=kind)
    converter.context(request.chunk, parsed)
    converter.fiscal_year = converter.extraction.fiscal_year
    converter.absorb(request.chunk, parsed, valid=True)
    assert not converter.extraction.flags, [g.message for g in converter.extraction.flags]
    return converter.extraction.facts


# ----------------------------------------------------------------------- the request
def test_a_budget_request_names_its_kind_and_the_stages_its_wordings_name(tmp_path) -> None:
    doc = built(BUDGET)
    sections = segment(doc)
    assert sections.document_kind == "budget"
    user = offline(tmp_path).plan(doc, sections)[0].messages[1]["content"]
    assert user.startswith("<kind>budget</kind>\n<stages>\n")
    assert "<kinds>" not in user  # the title decided: the model is not asked
    stages = user.split("<stages>\n", 1)[1].split("\n</stages>", 1)[0].split("\n")
    assert [line.split(" ", 1)[0] for line in stages] == ["budget_initial", "final"]


def test_the_stage_menu_offers_only_stages_the_text_names_with_labels_from_data() -> None:
    assert (
        stage_menu("上年执行数\t本年预算数")
        == "budget_initial 年初预算（预算数）\nprior_final 上年决算（上年执行数）"
    )
    assert stage_menu("核定编制25人，实有人数23人。") == ""


def test_an_unknown_kind_is_asked_once_in_the_first_request_only(tmp_path) -> None:
    text = "本材料说明示例局的收支安排，供参考。\n一、收入\n本年收入合计120.50万元。\n二、支出\n本年支出合计119.80万元。\n"
    doc = load_bytes(text.encode(), name="u.txt")
    sections = segment(doc)
    assert sections.document_kind == "unknown"
    llm = offline(tmp_path)
    llm.settings = llm.settings.model_copy(update={"chunk_chars": 30})
    users = [r.messages[1]["content"] for r in llm.plan(doc, sections)]
    assert len(users) > 1
    assert "<kinds>\ndocument_kind:" in users[0] and "budget 部门预算" in users[0]
    assert not any("<kinds>" in u or "<kind>" in u for u in users[1:])


def test_the_model_names_the_kind_the_titles_did_not_and_it_decides_stages(
    llm_settings, standin
) -> None:
    # a first line that is a sentence, not a title: the rules decide no kind, the (naive)
    # stand-in names it from that line, and the record keeps the line as evidence
    text = "本文件为示例局的部门预算，供内部参考。\n一、收入\n本年收入合计120.50万元。\n"
    doc = load_bytes(text.encode(), name="u.txt")
    record = process_document(doc, make_backend("llm", settings=llm_settings))
    assert record.document_kind == "budget"
    assert record.document_kind_evidence is not None
    assert record.document_kind_evidence.quote == "本文件为示例局的部门预算，供内部参考。"
    revenue = [f for f in record.facts if f.concept == "fa.revenue_total"]
    assert [(f.value, f.stage) for f in revenue] == [(120.5, "budget_initial")]


def test_a_kind_the_titles_decided_is_never_replaced_by_the_model(llm_settings) -> None:
    doc = built(BUDGET)
    record = process_document(doc, make_backend("llm", settings=llm_settings))
    assert record.document_kind == "budget"
    assert record.document_kind_evidence.quote == "示例区示例局2025年部门预算"


# ----------------------------------------------------------------------- validators
CHUNK = "2025年收入总计1,234.50万元；2024年执行数为1,180.20万元。\n301\t工资福利支出\t6,543,210.00"


def validate(data: dict) -> Answer:
    return Answer.model_validate(data, context={"chunk": CHUNK})


def figure(**more) -> dict:
    base = {"concept": "fa.revenue_total", "value": 1234.5, "unit": "万元"}
    return {"figures": [{**base, "quote": "收入总计1,234.50万元", **more}]}


@pytest.mark.parametrize(
    "answer, problem",
    [
        (figure(stage="budget"), "stage「budget」不存在"),
        (figure(scope="item:20a 行政运行"), "item:<code>"),
        (figure(scope="econ:3010101"), "econ:<code>"),
        ({"document_kind": "budget_report 2025年部门预算"}, "document_kind「budget_report」不存在"),
        ({"document_kind": "budget 示例局2025年部门预算"}, "不在原文中"),
    ],
)
def test_validators_reask_an_unknown_stage_scope_code_or_kind(answer: dict, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        validate(answer)


def test_valid_stages_scopes_and_kinds_pass_and_arithmetic_is_never_checked() -> None:
    validate(figure(stage="budget_initial", scope="item:2010301 行政运行"))
    validate(figure(stage="prior_final", year=2024, scope="econ:30101"))
    validate({"document_kind": "budget 2025年收入总计1,234.50万元"})
    # 1,180.20 is not 1,234.50: not the validator's business
    validate(
        {
            "figures": [
                {"concept": "fa.revenue_total", "value": 1234.5, "unit": "万元",
                 "quote": "收入总计1,234.50万元"},
                {"concept": "fa.revenue_total", "value": 1180.2, "unit": "万元",
                 "quote": "执行数为1,180.20万元", "stage": "final", "year": 2024},
            ]
        }
    )  # fmt: skip


# ----------------------------------------------------------------------- conversion
def test_economic_lines_are_econ_scoped_and_units_converted_once_in_code() -> None:
    doc = built(BUDGET)
    facts = converted(
        doc,
        [
            {
                "concept": "fa.general_budget_basic",
                "value": 6543210,
                "unit": "元",
                "quote": "6,543,210.00",
                "scope": "econ:301 工资福利支出",
            },
            {
                "concept": "fa.public",
                "value": 123456,
                "unit": "元",
                "quote": "123,456.00",
                "scope": "econ:30201 办公费",
                "stage": "budget_initial",
            },
            {
                "concept": "fa.revenue_total",
                "value": 1234.5,
                "unit": "万元",
                "quote": "收入总计1,234.50万元",
            },
        ],
        fiscal_year=2025,
    )
    got = {(f.concept, f.scope): f for f in facts}
    wages = got[("fa.general_budget_basic", "econ:301")]
    assert (wages.value, wages.scope_label, wages.stage) == (
        654.321,
        "工资福利支出",
        "budget_initial",
    )
    assert wages.unit == "万元" and wages.text == "6,543,210.00"
    decision = wages.unit_decision
    assert (decision.basis, decision.unit, decision.factor) == ("table_header", "元", 0.0001)
    office = got[("fa.public", "econ:30201")]
    assert office.value == pytest.approx(12.3456) and office.decimals == 6
    total = got[("fa.revenue_total", "department")]
    assert (total.value, total.unit_decision.basis, total.unit_decision.factor) == (
        1234.5,
        "sentence",
        1.0,
    )


def test_the_table_unit_wins_over_the_unit_the_model_read() -> None:
    # the model says 万元 for a bare cell under 单位：元: the document's own unit line decides
    facts = converted(
        built(BUDGET),
        [
            {
                "concept": "fa.general_budget_basic",
                "value": 6543210,
                "unit": "万元",
                "quote": "6,543,210.00",
                "scope": "econ:301 工资福利支出",
            }
        ],
    )
    assert [(f.value, f.unit_decision.unit) for f in facts] == [(654.321, "元")]


def test_a_bare_amount_with_no_unit_anywhere_is_placed_by_its_magnitude() -> None:
    doc = built(
        [
            "示例局2025年部门预算",
            "本年收入合计1,234.50万元。",
            [["项目", "预算数"], ["工资福利支出", "6543210.00"]],
        ]
    )
    facts = converted(
        doc,
        [{"concept": "fa.personnel", "value": 6543210, "unit": "万元", "quote": "6543210.00"}],
    )
    assert [(f.value, f.unit_decision.basis, f.unit_decision.unit) for f in facts] == [
        (654.321, "magnitude", "元")
    ]


def test_stages_follow_the_rules_conventions() -> None:
    doc = built(BUDGET)
    facts = converted(
        doc,
        [
            # no stage stated: the budget's default
            {
                "concept": "fa.revenue_total",
                "value": 1234.5,
                "unit": "万元",
                "quote": "收入总计1,234.50万元",
            },
            # prior_final without a year is the year before the fiscal year's
            {
                "concept": "fa.revenue_total",
                "value": 1180.2,
                "unit": "万元",
                "quote": "执行数为1,180.20万元",
                "stage": "prior_final",
            },
            # a budget.* concept names its own stage, whatever the model said
            {
                "concept": "budget.executed",
                "value": 1180.2,
                "unit": "万元",
                "quote": "2024年执行数为1,180.20万元",
                "stage": "budget_initial",
                "year": 2024,
            },
        ],
        fiscal_year=2025,
    )
    assert [(f.concept, f.year, f.stage) for f in facts] == [
        ("fa.revenue_total", 2025, "budget_initial"),
        ("fa.revenue_total", 2024, "prior_final"),
        ("budget.executed", 2024, "prior_final"),
    ]
    counts = converted(
        built(["示例局2025年部门预算", "核定编制25人。"]),
        [
            {
                "concept": "staff.authorized",
                "value": 25,
                "unit": "人",
                "quote": "核定编制25人",
                "stage": "final",
            }
        ],
    )
    assert [(f.value, f.stage, f.unit_decision) for f in counts] == [(25, None, None)]


def test_a_decrease_is_negative_though_the_number_prints_no_sign() -> None:
    doc = built(["示例局2025年部门预算", "收入总计1,234.50万元，比2024年预算减少34.50万元。"])
    facts = converted(
        doc,
        [
            {"concept": "fa.revenue_total", "value": -34.5, "unit": "万元",
             "quote": "比2024年预算减少34.50万元", "measure": "yoy_change"},
        ],
    )  # fmt: skip
    assert [(f.concept, f.value, f.stage) for f in facts] == [
        ("fa.revenue_total.yoy_change", -34.5, "budget_initial")
    ]
    with pytest.raises(ValidationError, match="不含数值"):  # an amount is never signed so
        Answer.model_validate(
            {"figures": [{"concept": "fa.revenue_total", "value": -34.5, "unit": "万元",
                          "quote": "减少34.50万元"}]},
            context={"chunk": "减少34.50万元"},
        )  # fmt: skip


# ----------------------------------------------------------------------- hybrid
def fact(fid, concept, value, start, *, year=2025, stage="budget_initial", scope="department"):
    return Fact(
        id=fid,
        concept=concept,
        scope=scope,
        year=year,
        stage=stage,
        value=value,
        unit="万元",
        text=f"{value}万元",
        evidence=Evidence(quote="q", start=start, end=start + 5),
        origin="rules" if fid.startswith("r") else "llm",
        decimals=2,
    )


def disagreements(rules: list[Fact], llm: list[Fact]) -> list[list[str]]:
    merged = merge(Extraction(facts=rules), Extraction(facts=llm))
    return [g.facts for g in merged.flags if g.check == "backend_disagreement"]


def test_hybrid_never_sets_a_budget_against_the_execution_it_cites() -> None:
    rules = [fact("r1", "fa.revenue_total", 1234.5, 10)]
    cited = fact("l1", "fa.revenue_total", 1180.2, 40, year=2024, stage="prior_final")
    assert disagreements(rules, [cited]) == []
    # the same figure read at another stage of the same year is not compared either
    adjusted = fact("l2", "fa.revenue_total", 1300.0, 80, stage="budget_adjusted")
    assert disagreements(rules, [adjusted]) == []
    # but the same (concept, scope, year, stage, unit) read differently is a disagreement
    misread = fact("l3", "fa.revenue_total", 1243.5, 60)
    assert disagreements(rules, [misread]) == [["r1", "l3"]]


def test_hybrid_compares_item_lines_only_with_the_same_line() -> None:
    rules = [fact("r1", "fa.function.201", 500.0, 10, scope="item:2010301")]
    other_line = fact("l1", "fa.function.201", 376.54, 50, scope="item:2010302")
    same_line = fact("l2", "fa.function.201", 480.0, 90, scope="item:2010301")
    assert disagreements(rules, [other_line, same_line]) == [["r1", "l2"]]


def test_hybrid_drops_a_reading_of_the_same_printed_number_whatever_its_stage() -> None:
    rules = [fact("r1", "fa.revenue_total", 1234.5, 10)]
    again = fact("l1", "fa.revenue_total", 1234.5, 10, stage="final")
    merged = merge(Extraction(facts=rules), Extraction(facts=[again]))
    assert [f.id for f in merged.facts] == ["r1"]
    assert not merged.flags


def test_hybrid_asks_about_the_beginning_when_the_kind_is_unknown() -> None:
    text = "本材料说明示例局的收支安排，供参考。\n一、收入\n本年收入合计120.50万元。\n"
    doc = load_bytes(text.encode(), name="u.txt")
    sections = segment(doc)
    rules = Extraction(facts=[fact("r1", "fa.revenue_total", 120.5, text.index("本年"))])
    wanted = wanted_from(doc, rules, sections)
    first = min(sections, key=lambda s: s.start)
    assert wanted.get(first.id) == ()
    known = segment(built(BUDGET))
    assert wanted_from(built(BUDGET), Extraction(fiscal_year=2025), known).get("s0") is None


STATEMENT_AND_PROSE = [
    "示例区示例局2025年部门预算",
    "一、收支预算总体情况",
    "2025年收入总计1,234.50万元，比2024年预算增加34.50万元。",
    "二、一般公共预算基本支出经济分类预算表",
    "单位：元",
    [
        ["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
        ["301", "工资福利支出", "6,543,210.00", "6,543,210.00", ""],
        ["30201", "办公费", "123,456.00", "", "123,456.00"],
    ],
    "三、部门单位构成",
    [["序号", "单位名称", "人员编制"], ["1", "示例局（本级）", "25人"]],
]


def test_hybrid_sends_no_statement_table_the_rules_read_only_prose_and_other_tables(
    tmp_path,
) -> None:
    doc = built(STATEMENT_AND_PROSE)
    sections = segment(doc)
    llm = offline(tmp_path)

    def sent(rules: Extraction) -> str:
        hybrid = HybridBackend(llm, rules=Given(rules))
        return "\n".join(r.chunk.text for r in hybrid.prepare(doc, sections).requests)

    # the rules read the 经济分类 table cell by cell: every amount cell a fact of its line
    ruled = RulesBackend().extract(doc, sections)
    statement = next(t for t in doc.tables if "工资福利支出" in doc.text[t.start : t.end])
    assert ruled.statement_tables == {statement.index}
    assert {f.scope for f in ruled.facts if f.evidence.cell} >= {"econ:301", "econ:30201"}
    text = sent(ruled)
    assert "6,543,210.00" not in text and "123,456.00" not in text
    assert "示例局（本级）\t25人" in text  # a table the rules did not read is still sent
    # the prose is asked about what the rules left (nothing here, they read it all)
    assert "收入总计1,234.50万元" not in text
    bare = Extraction(fiscal_year=2025, statement_tables={statement.index})
    bare.department.name = "示例区示例局"
    text = sent(bare)
    assert "收入总计1,234.50万元" in text and "6,543,210.00" not in text
    # without the reader's mark the table is the model's to read, as in the llm backend
    text = sent(Extraction(fiscal_year=2025, department=bare.department))
    assert "6,543,210.00" in text


def test_hybrid_does_not_ask_about_a_title_that_only_names_concepts() -> None:
    doc = built(["示例区示例局2025年部门预算", "2. 2025年部门支出预算总表", "单位：元"])
    sections = segment(doc)
    ruled = Extraction(fiscal_year=2025)
    ruled.department.name = "示例区示例局"
    assert wanted_from(doc, ruled, sections) == {}
    said = built(["示例区示例局2025年部门预算", "2025年支出预算1,234.50万元。"])
    assert list(wanted_from(said, ruled, segment(said)).values()) == [
        ("budget.initial_expenditure",)
    ]


def test_hybrid_sends_no_indicator_table_whose_rows_the_rules_read(tmp_path) -> None:
    doc = built(
        [
            "示例区示例局2025年部门预算",
            "2025年度财政项目支出绩效目标填报表",
            [
                ["项目名称", "示例专项", "", ""],
                ["一级指标", "二级指标", "三级指标", "指标值"],
                ["产出指标", "数量指标", "巡查次数", "≥12次"],
            ],
            [
                ["项目名称", "另一专项", "", ""],
                ["一级指标", "二级指标", "三级指标", "指标值"],
                ["效益指标", "满意度指标", "群众满意度", "≥90%"],
            ],
        ]
    )
    sections = segment(doc)
    ruled = RulesBackend().extract(doc, sections)
    read = [r for r in ruled.indicators if r.level3 == "巡查次数"]
    assert read, [r.level3 for r in ruled.indicators]
    # the rules read only the first table's rows (as if the second were beyond them)
    ruled.indicators = read
    ruled.department.name = ruled.department.name or "示例区示例局"
    ruled.fiscal_year = 2025
    hybrid = HybridBackend(offline(tmp_path), rules=Given(ruled))
    text = "\n".join(r.chunk.text for r in hybrid.prepare(doc, sections).requests)
    assert "巡查次数" not in text and "群众满意度" in text


# ----------------------------------------------------------------------- 绩效目标表
TARGET_TABLES = [
    "示例区示例局2025年部门预算",
    "2025年度财政项目支出绩效目标填报表",
    "单位：元",
    [
        ["项目名称", "示例巡查专项", "", "", "", ""],
        ["项目资金（元）", "年度资金总额", "48,400.00", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
        ["产出指标", "数量指标", "巡查次数", "≥", "12", "次"],
        ["成本指标", "经济成本指标", "项目预算控制数", "≤", "4.84", "万元"],
    ],
    "2025年度财政项目支出绩效目标填报表",
    "单位：元",
    [
        ["项目名称", "示例治理专项", "", "", "", ""],
        ["项目资金（元）", "年度资金总额", "610,600.00", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
        ["成本指标", "经济成本指标", "项目预算控制数", "≤", "61.06", "万元"],
        ["满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "%"],
    ],
]


def test_target_table_rows_take_their_own_line_operator_unit_and_project(tmp_path) -> None:
    doc = built(TARGET_TABLES)
    sections = segment(doc)
    [request] = offline(tmp_path).plan(doc, sections)
    rows = [
        {"level3": "巡查次数", "target": "12"},
        {"level3": "项目预算控制数", "target": "4.84"},
        {"level3": "项目预算控制数", "target": "61.06"},  # the next project's, same name
        {"level3": "群众满意度", "target": "90"},
    ]
    figures = [
        {"concept": "budget.initial", "value": 610600, "unit": "元",
         "quote": "年度资金总额\t610,600.00"},
    ]  # fmt: skip
    answer = Answer.model_validate(
        {"figures": figures, "rows": rows}, context={"chunk": request.chunk.text}
    )
    converter = Converter(doc, kind="budget")
    converter.fiscal_year = 2025
    converter.absorb(request.chunk, answer, valid=True)
    got = [
        (r.scope, r.level3, r.operator, r.target_value, r.unit)
        for r in converter.extraction.indicators
    ]
    assert got == [
        ("示例巡查专项", "巡查次数", "≥", 12.0, "次"),
        ("示例巡查专项", "项目预算控制数", "≤", 4.84, "万元"),
        ("示例治理专项", "项目预算控制数", "≤", 61.06, "万元"),
        ("示例治理专项", "群众满意度", "≥", 90.0, "%"),
    ]
    [fact] = converter.extraction.facts
    assert (fact.scope, fact.value, fact.unit_decision.basis) == (
        "示例治理专项",
        61.06,
        "table_header",
    )
