"""Year checks: figures, dates and attached tables labelled with another year (ranges.py)."""

from jixiao.verify import verify_record
from verify_support import fact, record


def years(facts, text: str, fiscal_year: int = 2021):
    rec = record(facts, fiscal_year=fiscal_year)
    return [f for f in verify_record(rec, text) if f.check == "year"]


def at(concept: str, value: float, text: str, quote: str, year: int = 2021):
    f = fact(concept, value, f"{value:g}万元", quote=quote, start=text.index(quote), year=year)
    return f


def test_a_current_figure_whose_sentence_names_last_year_fires() -> None:
    text = "（二）支出情况。2020年总支出为468.34万元，其中基本支出376.22万元。\n"
    basic = at("fa.expenditure.basic", 376.22, text, "基本支出376.22万元")
    twin = fact("fa.expenditure.basic", 376.22, "376.22万元", year=2021, quote="x")
    (flag,) = years([basic, twin], text)
    assert flag.facts == [basic.id, twin.id] and (flag.expected, flag.actual) == (2021, 2020)
    assert "标为 2020 年，而该数值是本报告 2021 年的基本支出" in flag.message
    assert flag.location[0].quote and flag.location[0].quote.startswith("2020年总支出")


def test_a_comparison_with_last_year_is_not_a_year_slip() -> None:
    text = "与2020年相比，基本支出376.22万元，减少2万元。\n"
    assert years([at("fa.expenditure.basic", 376.22, text, "基本支出376.22万元")], text) == []
    text = "2021年基本支出376.22万元，2020年为378.22万元。\n"
    assert years([at("fa.expenditure.basic", 376.22, text, "基本支出376.22万元")], text) == []


def test_a_document_number_or_title_year_is_not_a_label() -> None:
    text = "根据川委厅﹝2020﹞48号文件，下达资金4.5万元。\n"
    assert years([at("budget.initial", 4.5, text, "下达资金4.5万元")], text) == []
    text = "按照《2020年项目管理办法》，下达资金4.5万元。\n"
    assert years([at("budget.initial", 4.5, text, "下达资金4.5万元")], text) == []


def test_a_rubric_headed_with_the_next_year_is_one_warning_per_year() -> None:
    text = (
        "2024年项目支出绩效评价指标体系（接访经费）\n一级\t二级\n"
        "2024年项目支出绩效评价指标体系（维稳经费）\n"
        "部门预算项目支出绩效自评表（2023年度）\n"
    )
    (flag,) = years([], text, fiscal_year=2023)
    assert (flag.severity, flag.actual) == ("warning", 2024)
    assert "2 处" in flag.message


def test_tables_headed_with_the_report_year_do_not_fire() -> None:
    text = "2023年部门整体支出绩效评价指标体系\n附表：部门预算项目支出绩效自评表（2023年度）\n"
    assert years([], text, fiscal_year=2023) == []
