"""Prose facts, context and narrative of the rules backend, on seed and variant wordings."""

from __future__ import annotations

from pathlib import Path

import pytest

import jixiao.ingest
from jixiao.document import Document, RawParagraph, RawText
from jixiao.extract.rules.context import read_context, split_department
from jixiao.extract.rules.narrative import read_narrative
from jixiao.extract.rules.prose import extract_prose_facts
from jixiao.ingest.build import build_document
from jixiao.models import Fact

FIXTURES = Path(__file__).resolve().parent.parent / "eval" / "fixtures"
TITLE = "2023年度遂宁市某区某某局部门决算"


def doc_of(*lines: str) -> Document:
    blocks = [RawParagraph(RawText(line)) for line in lines]
    return build_document(blocks, path="t.txt", sha256="0", format="txt")


def facts_of(*lines: str, title: str = TITLE) -> dict[str, list[Fact]]:
    doc = doc_of(title, *lines)
    ctx = read_context(doc, [])
    found: dict[str, list[Fact]] = {}
    for fact in extract_prose_facts(doc, [], ctx):
        assert doc.text[fact.evidence.start : fact.evidence.end] == fact.evidence.quote
        found.setdefault(fact.concept, []).append(fact)
    return found


def one(found: dict[str, list[Fact]], concept: str) -> Fact:
    assert concept in found, f"{concept} not in {sorted(found)}"
    assert len(found[concept]) == 1
    return found[concept][0]


# ---------------------------------------------------------------------------- seed sentences
def test_revenue_sentence_gives_total_parts_and_shares_of_the_total():
    found = facts_of(
        "2023年度本年收入合计416.54万元，其中：一般公共预算财政拨款收入411.94万元，"
        "占98.90%；其他收入4.6万元，占1.10%。"
    )
    assert one(found, "fa.revenue_total").value == 416.54
    assert one(found, "fa.revenue.general_budget").value == 411.94
    share = one(found, "fa.revenue.general_budget.share_pct")
    assert (share.value, share.unit, share.of) == (98.9, "%", "fa.revenue_total")
    assert share.decimals == 2
    assert one(found, "fa.revenue.other").value == 4.6
    assert one(found, "fa.revenue.other.share_pct").value == 1.1


def test_decrease_and_its_percentage_are_negative_changes_of_the_total():
    found = facts_of(
        "2023年度收、支总计均为421.67万元。与2022年度相比，收、支总计各减少74.49万元，下降15.01%。"
    )
    assert one(found, "fa.total").value == 421.67
    change = one(found, "fa.total.yoy_change")
    assert (change.value, change.year, change.text) == (-74.49, 2023, "74.49万元")
    assert one(found, "fa.total.yoy_change_pct").value == -15.01


def test_a_prior_year_amount_takes_the_prior_year_and_the_printed_slip_is_kept():
    found = facts_of(
        "2023年支出决算总额为416.18万元。支出决算总额比2022年支出决算总额491.03万元减少79.09万元，"
        "下降15.24%。"
    )
    by_year = {f.year: f.value for f in found["fa.expenditure_total"]}
    assert by_year == {2023: 416.18, 2022: 491.03}
    assert one(found, "fa.expenditure_total.yoy_change").value == -79.09  # not 74.85
    assert one(found, "fa.expenditure_total.yoy_change_pct").value == -15.24


def test_function_classes_are_coded_from_the_taxonomy():
    found = facts_of(
        "2023年度一般公共预算财政拨款支出411.94万元，主要用于以下方面:一般公共服务支出368.76万元，"
        "占89.52%；住房保障支出14.27万元，占3.46%。"
    )
    assert one(found, "fa.function.201").value == 368.76
    share = one(found, "fa.function.201.share_pct")
    assert (share.value, share.of) == (89.52, "fa.general_budget_expenditure")
    assert one(found, "fa.function.221").value == 14.27


def test_item_lines_are_coded_by_class_kuan_and_xiang():
    found = facts_of(
        "3.一般公共服务（201）政府办公厅（室）及相关机构事务（03）信访事务（08）: "
        "支出决算为20.84万元，完成预算100%。"
    )
    line = one(found, "fa.function.201")
    assert (line.scope, line.stage, line.value) == ("item:2010308", "final", 20.84)
    assert "fa.budget.execution_rate" not in found


def test_list_item_title_scopes_budget_facts_to_the_project():
    found = facts_of(
        "（1）保安费用：绩效目标为8万元，完成情况为8万元，确保全年不发生重大信访事项。"
    )
    initial = one(found, "budget.initial")
    executed = one(found, "budget.executed")
    assert (initial.scope, initial.value) == ("保安费用", 8.0)
    assert (executed.scope, executed.value) == ("保安费用", 8.0)


def test_a_generic_list_title_is_not_a_project():
    found = facts_of("（2）资金使用：全年预算85万元，执行数为81.65万元。")
    assert one(found, "budget.adjusted").scope == "department"


def test_authorised_and_actual_staff_are_read_separately_never_summed():
    found = facts_of("核定行政编制3人，事业编制5人。年末实有行政编制人员3人、事业编制人员5人。")
    assert one(found, "staff.authorized_admin").value == 3
    assert one(found, "staff.authorized_institution").value == 5
    assert one(found, "staff.actual_admin").value == 3
    assert one(found, "staff.actual_institution").value == 5
    assert "staff.authorized" not in found


def test_self_score():
    found = facts_of("自评得分情况：根据年初的绩效考核工作计划和目标，自评为84.6分。")
    score = one(found, "eval.self_score")
    assert (score.value, score.unit) == (84.6, "分")


def test_a_share_names_its_whole_after_zhan():
    found = facts_of("2023年度一般公共预算财政拨款支出411.94万元，占本年支出合计的98.79%。")
    share = one(found, "fa.general_budget_expenditure.share_pct")
    assert (share.value, share.of) == (98.79, "fa.expenditure_total")


def test_a_new_label_between_wording_and_number_breaks_the_link():
    found = facts_of("项目支出分别为：处非专项经费117.65万元、租用办公场所经费1.95万元。")
    assert "fa.expenditure.project" not in found


def test_several_numbers_for_one_wording_are_not_guessed():
    found = facts_of("信访局2023年6月、9月、11月执行进度分别达到43.58%、66.03%、78.03%。")
    assert "budget.execution_rate" not in found


# ---------------------------------------------------------------------------- variants
def test_variant_increase_in_percent_is_positive():
    found = facts_of("本年度机关运行经费支出45.2万元，较上年增长12.5%。", title="2022年部门决算")
    assert one(found, "fa.operating_expenditure").year == 2022
    change = one(found, "fa.operating_expenditure.yoy_change_pct")
    assert (change.value, change.year) == (12.5, 2022)


def test_variant_amount_in_yuan_with_thousands_separators_becomes_wan_yuan():
    found = facts_of("收入决算总额为1,234,500.00元，比上年减少100,000元。")
    total = one(found, "fa.revenue_total")
    assert (total.value, total.unit, total.decimals, total.text) == (
        123.45,
        "万元",
        6,
        "1,234,500.00元",
    )
    assert one(found, "fa.revenue_total.yoy_change").value == -10.0


def test_variant_full_width_digits_are_read():
    found = facts_of("本年支出合计３２０．５万元，其中：基本支出２００万元，占６２．４０％。")
    assert one(found, "fa.expenditure_total").value == 320.5
    share = one(found, "fa.expenditure.basic.share_pct")
    assert (share.value, share.of) == (62.4, "fa.expenditure_total")


def test_variant_prior_year_wording_shangnian():
    found = facts_of("公务接待费支出1.2万元，上年公务接待费支出1.5万元。", title="2024年部门决算")
    assert {f.year: f.value for f in found["fa.three_public.reception"]} == {2024: 1.2, 2023: 1.5}


def test_foreign_guests_within_domestic_reception_are_their_own_line():
    # the form's wording: the guests are part of the domestic line, not the 外事接待 beside it
    found = facts_of(
        "3、公务接待费支出2.6万元。其中：国内公务接待支出2.6万元（含外宾接待支出0.4万元）。"
        "外事接待支出0万元。"
    )
    assert one(found, "fa.three_public.reception_domestic").value == 2.6
    assert one(found, "fa.three_public.reception_foreign_guests").value == 0.4
    assert one(found, "fa.three_public.reception_foreign").value == 0


def test_variant_percent_is_not_taken_for_a_money_concept():
    found = facts_of("人员经费95%用于工资发放。")
    assert "fa.personnel" not in found


# ---------------------------------------------------------------------------- context
@pytest.mark.parametrize(
    ("name", "province", "city", "county", "level"),
    [
        ("遂宁市船山区信访局", "四川省", "遂宁市", "船山区", "county"),
        ("中共广元市委群众工作局", "四川省", "广元市", None, "city"),
        ("石峰区信访局", None, None, "石峰区", "county"),
        ("凉山彝族自治州昭觉县财政局", "四川省", "凉山彝族自治州", "昭觉县", "county"),
        ("四川省信访局", "四川省", None, None, "province"),
        ("湖南省株洲市石峰区信访局", "湖南省", "株洲市", "石峰区", "county"),
        ("上海市浦东新区财政局", "上海市", "上海市", "浦东新区", "county"),  # a 直辖市 is its city
        ("内蒙古自治区呼和浩特市教育局", "内蒙古自治区", "呼和浩特市", None, "city"),
    ],
)
def test_department_place_is_split_by_administrative_suffixes(name, province, city, county, level):
    dept = split_department(name)
    assert (dept.province, dept.city, dept.county, dept.level) == (province, city, county, level)


def test_unnamed_department_takes_its_level_from_whose_government_it_serves():
    doc = doc_of(
        "部门整体支出绩效自评报告",
        "部门名称：（公章）",
        "负责处理群众给市委、市政府的信件，指导全市信访工作。",
        "向镇（街）和市直有关部门交办信访事项。",
    )
    ctx = read_context(doc, [])
    assert ctx.department.name is None
    assert ctx.department.level == "city"


def test_unnamed_department_level_stays_unknown_when_words_disagree():
    doc = doc_of("部门名称：", "认真落实县委的各项工作要求，积极配合市政府做好信访接待工作。")
    assert read_context(doc, []).department.level is None


def test_fiscal_year_comes_from_the_title_not_from_body_years():
    doc = doc_of(
        "2021年部门整体支出绩效自评报告", "填报单位：某某县农业农村局", "比2020年减少5万元。"
    )
    ctx = read_context(doc, [])
    assert ctx.fiscal_year == 2021
    assert ctx.department.name == "某某县农业农村局"
    assert ctx.department.level == "county"


@pytest.mark.parametrize(
    ("seed", "name", "year"),
    [
        ("000", "攀枝花市西区信访局", 2021),
        ("001", "遂宁市船山区信访局", 2023),
        ("002", "石峰区信访局", 2021),
        ("003", "中共广元市委群众工作局", 2021),
        ("004", None, 2024),
    ],
)
def test_seed_context(seed, name, year):
    doc = jixiao.ingest.load(FIXTURES / seed / "source.txt")
    ctx = read_context(doc, [])
    assert (ctx.department.name, ctx.fiscal_year) == (name, year)


# ---------------------------------------------------------------------------- narrative
def test_narrative_reads_conclusion_and_wu_means_no_items():
    doc = doc_of(
        "四、评价结论及建议",
        "（一）评价结论。本年度工作完成良好。",
        "（二）存在问题。无",
        "（三）改进建议。无",
    )
    narrative = read_narrative(doc, [])
    assert narrative.conclusion == "本年度工作完成良好。"
    assert narrative.problems == []
    assert narrative.suggestions == []


def test_narrative_splits_numbered_and_yishi_items():
    doc = doc_of(
        "（二）存在的问题",
        "1．基础管理建设不到位。",
        "2．内控检查开展不够全面。",
        "（三）改进建议。一是按期执行预算；二是完善支出标准。",
        "附件2",
    )
    narrative = read_narrative(doc, [])
    assert narrative.problems == ["1．基础管理建设不到位。", "2．内控检查开展不够全面。"]
    assert narrative.suggestions == ["一是按期执行预算；", "二是完善支出标准。"]


# ---------------------------------------------------------------------------- seeds
def test_seed_001_prose_facts_match_the_text():
    doc = jixiao.ingest.load(FIXTURES / "001" / "source.txt")
    ctx = read_context(doc, [])
    facts = extract_prose_facts(doc, [], ctx)
    got = {(f.concept, f.year, f.value) for f in facts}
    assert ("fa.revenue_total", 2023, 416.54) in got
    assert ("fa.expenditure_total", 2022, 491.03) in got
    assert ("fa.expenditure_total.yoy_change", 2023, -79.09) in got
    assert ("fa.function.201", 2023, 20.84) in got
    assert any(f.scope == "item:2010308" and f.value == 20.84 for f in facts)
    assert ("eval.self_score", 2023, 84.6) in got
    for fact in facts:
        assert doc.text[fact.evidence.start : fact.evidence.end] == fact.evidence.quote
        assert fact.origin == "rules"


def test_seed_000_parts_are_extracted_as_printed_even_when_they_do_not_add_up():
    doc = jixiao.ingest.load(FIXTURES / "000" / "source.txt")
    facts = extract_prose_facts(doc, [], read_context(doc, []))
    values = {f.concept: f.value for f in facts if f.concept.startswith("fa.function.")}
    assert values["fa.function.201"] == 155.63
    assert {f.concept: f.value for f in facts}["fa.expenditure_total"] == 213.61
