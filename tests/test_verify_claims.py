"""Checks that hold a 说明 passage to its own figures and to the document's own tables."""

from jixiao.verify import verify_record
from verify_support import fact, record

FINAL = "湖州市文化广电旅游局\n2024年度部门决算\n"
BUDGET = "上海市普陀区2025年区级部门预算\n预算主管部门：上海市普陀区财政局\n"


def flags(text: str, *, year: int = 2024, facts=()):
    rec = record(list(facts), fiscal_year=year)
    return [f for f in verify_record(rec, text) if f.check != "grounding"]


def checks(text: str, **kw) -> list[str]:
    return [f.check for f in flags(text, **kw)]


def completion(base: str, value: str, rate: str) -> str:
    return (
        f"一般公共预算财政拨款支出年初预算为{base}万元，支出决算为{value}万元，"
        f"完成年初预算的{rate}%。\n"
    )


# ---------------------------------------------------------------------------- rates


def test_a_completion_rate_that_follows_from_its_figures_raises_nothing() -> None:
    assert checks(FINAL + completion("1288.75", "1296.09", "100.57")) == []


def test_a_completion_rate_cut_short_is_a_precision_finding() -> None:
    (flag,) = flags(FINAL + completion("1288.75", "1296.09", "100.56"))
    assert flag.check == "rate_precision" and "应写作 100.57%" in flag.message
    assert flag.location[0].quote == "完成年初预算的100.56%"


def test_a_wrong_completion_rate_is_a_ratio_finding() -> None:
    (flag,) = flags(FINAL + completion("1288.75", "1296.09", "101.57"))
    assert flag.check == "ratio" and "100.57%" in flag.message


def test_a_rate_against_a_zero_budget_is_a_zero_budget_finding() -> None:
    (flag,) = flags(FINAL + completion("0.00", "26.92", "100.00"))
    assert flag.check == "zero_budget_rate" and flag.severity == "warning"
    text = BUDGET + (
        "9.“教育支出（类）其他教育支出（款）其他教育支出（项）”25.00万元，主要用于其他教育支出。"
        "2023年当年预算执行数为0.00万元，2024年预算安排25.00万元，比2023年预算执行数增加100.00%。"
        "主要原因是：项目调整。\n"
    )
    assert checks(text, year=2025) == ["zero_budget_rate"]


def item(head: str, prior: str, current: str, word: str, rate: str, reason: str) -> str:
    return (
        f"4.“一般公共服务支出（类）宣传事务（款）一般行政管理事务（项）”{head}万元，主要用于宣传。"
        f"2023年当年预算执行数为{prior}万元，2024年预算安排{current}万元，比2023年预算执行数"
        f"{word}{rate}%。主要原因是：{reason}。\n"
    )


def test_a_change_rate_that_does_not_follow_is_a_yoy_finding() -> None:
    good = item("110.60", "114.00", "110.60", "减少", "2.98", "宣传经费减少")
    assert checks(BUDGET + good, year=2024) == []
    bad = item("110.60", "114.00", "110.60", "减少", "3.98", "宣传经费减少")
    assert checks(BUDGET + bad, year=2024) == ["yoy"]


def test_an_items_figure_restated_otherwise_in_its_comparison_fires() -> None:
    slip = item("350.35", "348.52", "352.67", "增加", "0.53", "住房公积金经费增加")
    (flag,) = flags(BUDGET + slip, year=2024)
    assert flag.check == "cross_mention" and "352.67" in flag.message


# ---------------------------------------------------------------------------- wording


def test_a_direction_word_against_the_figures_fires() -> None:
    slip = item("110.60", "114.00", "110.60", "增加", "2.98", "宣传经费增加")
    (flag,) = flags(BUDGET + slip, year=2024)
    assert flag.check == "wording_number" and "实为减少" in flag.message


def test_a_reason_going_the_other_way_fires() -> None:
    slip = item("110.60", "114.00", "110.60", "减少", "2.98", "宣传事务一般行政管理事务经费增加")
    (flag,) = flags(BUDGET + slip, year=2024)
    assert flag.check == "wording_number" and "经费增加" in (flag.location[0].quote or "")


def test_a_comparison_with_the_budget_against_the_figures_fires() -> None:
    passage = "年初预算为158.69万元，支出决算为164.24万元。决算数{}预算数的主要原因：人员增加。\n"
    assert checks(FINAL + passage.format("大于")) == []
    assert checks(FINAL + passage.format("小于")) == ["wording_number"]
    level = "年初预算为72.67万元，支出决算为72.67万元，决算数与预算数持平。\n"
    assert checks(FINAL + level) == []


# ---------------------------------------------------------------------------- items

TABLE = (
    "2025年部门支出预算总表\n编制部门：上海市普陀区财政局单位：元\n"
    "功能分类科目编码\t功能分类科目名称\t合计\t基本支出\t项目支出\n"
    "类\t款\t项\t\t\t\t\n"
    "208\t\t\t社会保障和就业支出\t3,508,644.00\t3,508,644.00\t\n"
    "208\t05\t\t行政事业单位养老支出\t3,508,644.00\t3,508,644.00\t\n"
    "208\t05\t06\t机关事业单位职业年金缴费支出\t873,617.00\t873,617.00\t\n"
    "210\t\t\t卫生健康支出\t782,164.00\t782,164.00\t\n"
    "210\t11\t\t行政事业单位医疗\t782,164.00\t782,164.00\t\n"
    "210\t11\t01\t行政单位医疗\t782,164.00\t782,164.00\t\n"
)


def prose(name: str, figure: str) -> str:
    return f"7.“社会保障和就业支出（类）行政事业单位养老支出（款）{name}（项）”{figure}万元，主要用于缴费。\n"


def test_an_items_figure_its_table_line_does_not_print_fires() -> None:
    (flag,) = flags(BUDGET + prose("机关事业单位职业年金缴费支出", "887.36") + TABLE, year=2025)
    assert flag.check == "table_text" and "87.36" in flag.message
    assert "887.36" in (flag.location[0].quote or "")


def test_an_items_figure_its_table_prints_raises_nothing_cut_short_or_not() -> None:
    assert checks(BUDGET + prose("机关事业单位职业年金缴费支出", "87.36") + TABLE, year=2025) == []
    health = (
        "9.“卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）”78.21万元，主要用于医保。\n"
    )
    assert checks(BUDGET + health + TABLE, year=2025) == []


# ---------------------------------------------------------------------------- codes


def test_a_kuan_name_the_tables_do_not_have_under_the_class_fires() -> None:
    slip = "21.“卫生健康支出（类）卫生健康支出（款）行政单位医疗（项）”78.22万元，主要用于医保。\n"
    (flag,) = flags(BUDGET + slip + TABLE, year=2025)
    assert flag.check == "function_code" and "行政事业单位医疗" in flag.message


def test_the_same_names_with_other_spellings_raise_nothing() -> None:
    other = prose("机关事业单位职业年金缴费", "87.36").replace("养老支出（款）", "养老支出（款）")
    assert checks(BUDGET + other + TABLE, year=2025) == []


def test_a_printed_code_with_another_lines_national_name_fires() -> None:
    text = (
        FINAL
        + "2、一般公共服务支出（201）政府办公厅（室）及相关机构事务（03）事业运行（08）。主要用于：信访。\n"
    )
    (flag,) = flags(text)
    assert flag.check == "function_code" and "信访事务" in flag.message
    fine = text.replace("事业运行（08）", "信访事务（08）")
    assert checks(fine) == []


# ---------------------------------------------------------------------------- others


def test_operating_expenses_above_the_public_expenses_fire() -> None:
    public = fact("fa.public", 66.29, quote="公用经费66.29万元")
    for value, expected in ((78.63, ["operating_expenditure"]), (60.10, [])):
        operating = fact("fa.operating_expenditure", value, quote=f"机关运行经费支出{value}万元")
        assert checks("", facts=[public, operating]) == expected


def test_one_passage_printed_twice_is_one_finding_with_both_places() -> None:
    passage = prose("机关事业单位职业年金缴费支出", "887.36")
    (flag,) = flags(BUDGET + passage + passage + TABLE, year=2025)
    assert len([loc for loc in flag.location if "887.36" in (loc.quote or "")]) == 2
