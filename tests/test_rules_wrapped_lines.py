"""Prose a PDF wrapped mid-number or mid-wording is read as printed before the wrap."""

from __future__ import annotations

from jixiao.document import RawParagraph, RawText
from jixiao.extract.rules import RulesBackend
from jixiao.ingest.build import build_document
from jixiao.models import Fact
from jixiao.segment import segment

TITLE = "某市某区某某局2026年部门预算"


def facts_of(*lines: str, fmt: str = "pdf") -> list[Fact]:
    blocks = [RawParagraph(RawText(line)) for line in (TITLE, *lines)]
    doc = build_document(blocks, path=f"t.{fmt}", sha256="0", format=fmt)
    facts = RulesBackend().extract(doc, segment(doc)).facts
    for fact in facts:
        assert doc.text[fact.evidence.start : fact.evidence.end] == fact.evidence.quote
    return facts


def values(facts: list[Fact], concept: str, scope: str = "department") -> dict:
    return {(f.year, f.stage): f.value for f in facts if (f.concept, f.scope) == (concept, scope)}


def test_a_number_cut_by_a_line_break_is_one_number():
    facts = facts_of(
        "3.“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”241.3",
        "6万元，上年:230.28万元，主要用于职业年金缴费。",
    )
    got = values(facts, "fa.function.208", "item:2080506")
    assert got == {(2026, "budget_initial"): 241.36, (2025, "prior_budget"): 230.28}


def test_a_wording_cut_by_a_line_break_is_one_wording():
    facts = facts_of(
        "财政拨款支出预算中，一般公共预算拨款支出预算120.00万元，比2025年预算减少3.00万元；政府性基金",
        "拨款支出预算0.00万元，与2025年预算持平。",
    )
    assert values(facts, "fa.gov_fund_expenditure") == {(2026, "budget_initial"): 0.0}
    # the cut wording's tail (拨款支出预算) is no total of its own
    assert 0.0 not in values(facts, "fa.expenditure_total").values()


def test_separate_lines_of_a_table_like_paragraph_are_not_joined():
    # two short lines are two statements, not one wrapped line
    facts = facts_of("本年支出合计12", "3万元")
    assert 123.0 not in values(facts, "fa.expenditure_total").values()
