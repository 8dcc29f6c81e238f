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


def _change_in(text: str, quote: str, value: float):
    """The text with the change its sentence states, read as the rules read it."""
    f = fact("fa.three_public.total.yoy_change", value, quote=quote, start=text.index(quote))
    f.year = 2025
    return flags(text, year=2025, facts=[f])


def test_a_reason_cutting_the_funds_of_a_change_said_to_rise_fires() -> None:
    text = BUDGET + (
        "2025年“三公”经费预算356600元，同比增加15000元。其中：公务接待费17300元。"
        "主要原因是严格控制一般性支出，压减公务接待和公务用车运行费用。\n"
    )
    (flag,) = _change_in(text, "同比增加15000元", 1.5)
    assert (flag.check, flag.severity) == ("wording_number", "warning")
    assert "说增加" in flag.message and "经费减少" in flag.message
    assert flag.location[1].quote.startswith("主要原因是")


def test_a_reason_going_the_changes_way_or_both_ways_raises_nothing() -> None:
    down = BUDGET + (
        "2025年“三公”经费预算356600元，同比减少15000元。主要原因是压减公务接待费用。\n"
    )
    assert checks(down, year=2025) == [] and _change_in(down, "同比减少15000元", -1.5) == []
    both = BUDGET + (
        "2025年“三公”经费预算356600元，同比增加15000元。主要原因是公务用车购置费用增加，"
        "同时压减公务接待费用。\n"
    )
    assert _change_in(both, "同比增加15000元", 1.5) == []
    # a reason that also names a rise of its own: the cut is a side remark
    aside = BUDGET + (
        "2025年“三公”经费预算356600元，同比增加15000元。主要原因是接待任务增加，"
        "同时压减公务用车运行费用。\n"
    )
    assert _change_in(aside, "同比增加15000元", 1.5) == []
    # a reason cutting what is no part of the line says nothing of its way
    elsewhere = BUDGET + (
        "2025年“三公”经费预算356600元，同比增加15000元。主要原因是其他商品和服务支出减少。\n"
    )
    assert _change_in(elsewhere, "同比增加15000元", 1.5) == []
    # a reason of another change after it is not this change's
    other = BUDGET + (
        "2025年“三公”经费预算356600元，同比增加15000元。"
        "机关运行经费同比减少8900元，主要原因是压减办公费用。\n"
    )
    rec_facts = [
        fact(
            "fa.three_public.total.yoy_change",
            1.5,
            quote="同比增加15000元",
            start=other.index("同比增加15000元"),
        ),
        fact(
            "fa.operating_expenditure.yoy_change",
            -0.89,
            quote="同比减少8900元",
            start=other.index("同比减少8900元"),
        ),
    ]
    assert flags(other, year=2025, facts=rec_facts) == []


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


EDUCATION = (
    "2025年部门支出预算总表\n编制部门：上海市普陀区教育局单位：元\n"
    "功能分类科目编码\t功能分类科目名称\t合计\t基本支出\t项目支出\n"
    "类\t款\t项\t\t\t\t\n"
    "205\t\t\t教育支出\t1,000,000.00\t1,000,000.00\t\n"
    "205\t02\t\t普通教育\t1,000,000.00\t1,000,000.00\t\n"
    "205\t02\t05\t高等教育\t1,000,000.00\t1,000,000.00\t\n"
)


def test_an_item_the_tables_lack_under_a_kuan_the_national_list_does_not_cover_is_a_warning() -> (
    None
):
    # 初中教育 is a real 项 of 普通教育, which the partial national list does not hold:
    # the name cannot be called wrong, only missing from the tables
    text = BUDGET + "1、教育支出（类）普通教育（款）初中教育（项）。主要用于：教学。\n" + EDUCATION
    (flag,) = flags(text, year=2025)
    assert (flag.check, flag.severity) == ("function_code", "warning")
    assert "初中教育" in flag.message and "不在本文件表中" in flag.message
    assert checks(text.replace("初中教育（项）", "高等教育（项）"), year=2025) == []


def test_a_kuan_name_under_a_class_the_national_list_covers_is_an_error() -> None:
    slip = "21.“卫生健康支出（类）卫生健康支出（款）行政单位医疗（项）”78.22万元，主要用于医保。\n"
    (flag,) = flags(BUDGET + slip + TABLE, year=2025)
    assert flag.severity == "error" and "科目名称不符" in flag.message


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


# ---------------------------------------------------------------------------- bounds, lists


def test_procurement_reserves_above_their_whole_fire() -> None:
    total = fact("fa.procurement_total", 1662.44, quote="政府采购预算1662.44万元")
    sme = fact("fa.procurement.sme_reserved", 664.98, quote="面向中小企业预留664.98万元")
    small = fact(
        "fa.procurement.small_micro_reserved", 465.49, quote="预留给小型和微型企业465.49万元"
    )
    assert checks("", facts=[total, sme, small]) == []
    small.value, small.text = 765.49, "765.49万元"
    (flag,) = flags("", facts=[total, sme, small])
    assert flag.check == "procurement" and "765.49" in flag.message


def test_procurement_parts_that_miss_their_total_are_a_procurement_finding() -> None:
    text = "政府采购预算1662.44万元，其中：货物93.98万元、工程815.87万元、服务752.59万元。\n"
    parts = [
        fact("fa.procurement_total", 1662.44, quote="政府采购预算1662.44万元"),
        fact("fa.procurement.goods", 93.98, quote="货物93.98万元"),
        fact("fa.procurement.works", 815.87, quote="工程815.87万元"),
        fact("fa.procurement.services", 762.59, quote="服务752.59万元"),
    ]
    for f in parts:
        f.evidence.start = text.index(f.evidence.quote)
        f.evidence.end = f.evidence.start + len(f.evidence.quote)
    parts[3].evidence.quote = parts[3].text = "762.59万元"
    assert "procurement" in checks(text, facts=parts)


def test_no_procurement_said_of_a_budget_that_buys_a_car_fires() -> None:
    car = fact(
        "fa.three_public.vehicle_purchase", 15.0, "15.00万元", quote="购置费15.00万元", year=2025
    )
    text = BUDGET + "三、政府采购预算情况\n本部门2025年未安排政府采购预算。\n"
    (flag,) = flags(text, year=2025, facts=[car])
    assert flag.check == "procurement" and "15.00" in flag.message
    car.value = 0
    assert checks(text, year=2025, facts=[car]) == []


def test_target_funds_above_the_project_expenditure_fire() -> None:
    projects = fact("fa.expenditure.project", 609.31, quote="项目支出609.31万元")
    targets = fact("perf.target_funds", 598.46, quote="涉及项目预算资金598.46万元")
    assert checks("", facts=[projects, targets]) == []
    targets.value = 698.46
    assert checks("", facts=[projects, targets]) == ["project_list"]


def test_target_funds_are_held_to_the_project_expenditure_of_their_own_stage_only() -> None:
    # a budget's 绩效目标 funds against the 决算 of the same year the document also cites
    final = fact("fa.expenditure.project", 609.31, quote="项目支出决算609.31万元")
    targets = fact("perf.target_funds", 698.46, quote="涉及项目预算资金698.46万元")
    final.stage, targets.stage = "final", "budget_initial"
    assert checks("", facts=[final, targets]) == []
    budget = fact("fa.expenditure.project", 650.00, quote="项目支出预算650.00万元")
    budget.stage = "budget_initial"
    assert checks("", facts=[final, targets, budget]) == ["project_list"]


def project_text(last: str) -> str:
    return (
        "四、绩效目标设置情况\n2025年度，本单位编报绩效目标的项目共4个，涉及项目预算资金598.46万元。"
        "其中：中介机构服务费418.80万元，财政业务费10.00万元，信息化系统日常维护费166.66万元，"
        f"援滇干部工作经费{last}万元。\n"
    )


def test_a_full_project_list_must_add_up_to_its_total() -> None:
    assert checks(BUDGET + project_text("3.00"), year=2025) == []
    (flag,) = flags(BUDGET + project_text("13.00"), year=2025)
    assert flag.check == "project_list" and "608.46" in flag.message


def test_one_project_with_two_amounts_in_two_lists_fires() -> None:
    arrangement = "六、年度预算安排\n信息化系统日常维护费166.66万元，财政业务费12.00万元。\n"
    (flag,) = flags(BUDGET + project_text("3.00") + arrangement, year=2025)
    assert flag.check == "project_list" and "财政业务费" in flag.message


def test_project_lists_of_another_year_or_of_what_was_spent_are_not_compared() -> None:
    prior = "六、2024年度预算安排\n信息化系统日常维护费166.66万元，财政业务费12.00万元。\n"
    assert checks(BUDGET + project_text("3.00") + prior, year=2025) == []
    spent = "六、年度预算安排及执行情况\n信息化系统日常维护费166.66万元，财政业务费12.00万元。\n"
    assert checks(BUDGET + project_text("3.00") + spent, year=2025) == []


# ---------------------------------------------------------------------------- template, years


def test_another_levels_form_wording_fires() -> None:
    gloss = "名词解释\n（一）财政拨款收入：是区级预算主管部门及所属预算单位本年度从本级财政部门取得的财政拨款。\n"
    assert checks(BUDGET + gloss, year=2025) == []
    (flag,) = flags(BUDGET + gloss.replace("区级预算", "市级预算"), year=2025)
    assert flag.check == "unfilled_template" and "另一级次" in flag.message


def test_a_figure_left_out_fires() -> None:
    slip = BUDGET + "24.“城乡社区支出（类）”1788.77万元，主要行政运行。2023年当年预算执行数为。\n"
    (flag,) = flags(slip, year=2025)
    assert flag.check == "unfilled_template" and "空着的数值" in flag.message


def test_titles_of_the_covers_year_are_not_misdated_when_the_reading_misread_it() -> None:
    titles = BUDGET + "2025年部门财务收支预算总表\n2025年部门收入预算总表\n2025年部门支出预算总表\n"
    assert checks(titles, year=2024) == []


def test_a_rate_without_its_percent_sign_fires() -> None:
    fine = FINAL + "一般公共预算财政拨款支出411.94万元，占本年支出合计的98.98%，比上年增长5万元。\n"
    assert checks(fine) == []
    (flag,) = flags(
        FINAL + "一般公共预算财政拨款支出411.94万元，占本年支出合计的98.98，下降1.2。\n"
    )
    assert flag.check == "rate_precision" and "共 2 处" in flag.message
