"""Precision of the arithmetic family: one quantity, one disagreement, doubt as a warning."""

from jixiao.models import CellRef, UnitDecision
from jixiao.verify import verify_record
from jixiao.verify.text import next_sentence, sentence_bounds
from verify_support import fact, grounded_text, record


def flags(facts, text: str | None = None, check: str | None = None):
    found = verify_record(record(facts), grounded_text(facts) if text is None else text)
    return [f for f in found if f.check != "grounding" and (check is None or f.check == check)]


def cell(f, table: int, row: int, col: int = 3):
    f.evidence.cell = CellRef(table=table, row=row, col=col)
    return f


def test_one_flag_per_outlier_names_it_and_the_value_it_disagrees_with() -> None:
    facts = [
        cell(fact("fa.expenditure_total", 416.18, "416.18"), 0, 5),
        fact("fa.expenditure_total", 416.18, quote="本年支出合计416.18万元"),
        fact("fa.expenditure_total", 461.18, quote="支出合计461.18万元"),
    ]
    (flag,) = flags(facts)
    assert flag.check == "table_text" and flag.severity == "error"
    assert (
        "为 416.18（2 处），在正文“支出合计461.18万元”为 461.18，与 416.18 不一致" in flag.message
    )
    assert [loc.fact for loc in flag.location] == [facts[0].id, facts[2].id]


def test_a_quantity_read_with_many_values_is_a_reading_problem_not_a_finding() -> None:
    values = [1, 4, 99, 12788.68]
    facts = [fact("fa.function.201", v, quote=f"一般公共服务支出{v}万元") for v in values]
    assert flags(facts) == []


def test_two_rows_of_one_table_are_two_quantities() -> None:
    # a 类 line and its 款 line read with one concept: the table states each quantity once
    facts = [
        cell(fact("fa.function.208", 1756.03, "1756.03"), 1, 9),
        cell(fact("fa.function.208", 1636.03, "1636.03"), 1, 10),
    ]
    assert flags(facts) == []
    facts[1].evidence.cell = CellRef(table=2, row=9, col=3)  # another table: a real disagreement
    assert [f.check for f in flags(facts)] == ["cross_mention"]


def test_code_cells_read_as_amounts_are_not_compared() -> None:
    text = "201\t06\t01\t行政运行\t1,623.18\n行政运行1623.18万元\n"
    code = fact("fa.function.201", 1, "01", quote="01", start=text.index("01\t行政"))
    code.evidence.cell = CellRef(table=0, row=0, col=2)
    amount = fact("fa.function.201", 1623.18, quote="行政运行1623.18万元")
    amount.evidence.start = text.index("行政运行1623")
    amount.evidence.end = amount.evidence.start + len(amount.evidence.quote)
    assert flags([code, amount], text) == []


def test_a_text_figure_cut_short_from_the_table_is_the_same_figure() -> None:
    exact = cell(fact("fa.function.210", 78.2164, "782,164.00", decimals=4), 0, 3)
    printed = fact("fa.function.210", 78.21, quote="卫生健康支出78.21万元")
    assert flags([exact, printed]) == []
    other = fact("fa.function.210", 78.11, "78.11万元", quote="卫生健康支出78.11万元")
    assert [f.check for f in flags([exact, other])] == ["table_text"]


def test_a_total_restated_as_zero_says_so() -> None:
    facts = [
        cell(fact("fa.total", 2961.68, "2961.68"), 0, 20),
        fact("fa.total", 0, "0万元", quote="收支总计0万元"),
    ]
    (flag,) = flags(facts)
    assert "写作 0，与 2961.68 不符" in flag.message


def test_a_doubtful_reading_turns_an_error_into_a_warning_that_says_why() -> None:
    facts = [
        cell(fact("fa.expenditure_total", 416.18, "416.18"), 0, 5),
        fact("fa.expenditure_total", 461.18, quote="支出合计461.18万元"),
    ]
    assert flags(facts)[0].severity == "error"
    facts[0].unit_decision = UnitDecision(basis="magnitude", unit="万元", factor=1.0)
    (flag,) = flags(facts)
    assert flag.severity == "warning" and "按数量级推断" in flag.message
    facts[0].unit_decision = None
    facts[1].evidence.ocr_confidence = 0.6
    assert "OCR" in flags(facts)[0].message


def test_budget_and_execution_of_one_item_are_two_quantities() -> None:
    budget = fact("fa.function.212", 1660.32, quote="2024年预算安排1660.32万元", year=2024)
    executed = fact("fa.function.212", 1899.77, quote="执行数为1899.77万元", year=2024)
    budget.stage, executed.stage = "budget_initial", "prior_final"
    assert flags([budget, executed]) == []


def test_item_lines_told_one_per_paragraph_are_not_summed() -> None:
    # prose tells the items it explains, not all of them: only a table's lines add up
    text = (
        "1.“一般公共服务支出（类）财政事务（款）行政运行（项）”1,623.18万元，主要用于基本支出。\n"
        "2.“一般公共服务支出（类）财政事务（款）一般行政管理事务（项）”10.00万元，主要用于宣传。\n"
    )
    total = cell(fact("fa.function.201", 1633.18, "16,331,800.00"), 0, 4)
    a = fact("fa.function.201", 1623.18, quote="1,623.18万元", start=text.index("1,623"))
    b = fact("fa.function.201", 10.0, "10.00万元", quote="10.00万元", start=text.index("10.00"))
    a.scope, b.scope = "item:2010601", "item:2010602"
    assert flags([total, a, b], text, "sum") == []
    total.value = 2218.64
    assert flags([total, a, b], text, "sum") == []


def test_wrapped_lines_are_one_sentence_and_items_start_new_ones() -> None:
    wrapped = "2023年当年预算执行数为357.56万元，2024年预算安排460.85万元，比2023年预算执行数增加\n28.89%。主要原因是：经费增加。\n"
    left, right = sentence_bounds(wrapped, wrapped.index("28.89"))
    assert wrapped[left:right].startswith("2023年") and wrapped[right] == "。"
    assert next_sentence(wrapped, right) is not None
    items = "一、机关运行经费预算\n2025年机关运行经费预算为464.64万元。\n"
    left, _ = sentence_bounds(items, items.index("464"))
    assert items[left:].startswith("2025年")


def test_bounds_of_two_tables_are_two_targets() -> None:
    project = fact("eval.satisfaction_rate", 90, "90%", unit="%", quote="满意度≥ 90 %")
    department = fact("eval.satisfaction_rate", 95, "95%", unit="%", quote="满意度≥ 95 %")
    project.evidence.page, department.evidence.page = 15, 16
    assert flags([project, department]) == []
    department.evidence.page = 15
    assert [f.check for f in flags([project, department])] == ["cross_mention"]


def test_parts_of_the_sentence_after_their_total_belong_to_another_total() -> None:
    text = (
        "支出预算814.86万元，其中：财政拨款支出预算812.38万元。"
        "财政拨款支出预算中，一般公共预算拨款支出预算727.83万元；政府性基金拨款支出预算84.55万元。\n"
    )
    total = fact("budget.initial", 814.86, quote="支出预算814.86万元", start=0)
    a = fact("budget.general_budget", 727.83, quote="727.83万元", start=text.index("727.83"))
    b = fact("budget.gov_fund", 84.55, quote="84.55万元", start=text.index("84.55"))
    assert flags([total, a, b], text, "sum") == []
    total.evidence.start = text.index("财政拨款支出预算中")
    assert [f.check for f in flags([total, a, b], text, "sum")] == ["sum"]


def prose_at(text: str, concept: str, value: float, printed: str, scope: str = "department"):
    f = fact(concept, value, printed, quote=printed, start=text.index(printed), scope=scope)
    return f


def test_a_figure_last_year_is_not_this_years_whatever_the_reading_says() -> None:
    text = "1.“一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”43.83万元，上年:25.77万元。\n"
    table = cell(fact("fa.function.201", 43.83, "438,300", scope="item:2010507"), 0, 5)
    prior = prose_at(text, "fa.function.201", 25.77, "25.77万元", scope="item:2010507")
    assert flags([table, prior], text) == []
    prior.stage = None
    text2 = text.replace("上年:25.77", "今年25.77")
    assert [
        f.check
        for f in flags(
            [table, prose_at(text2, "fa.function.201", 25.77, "25.77万元", "item:2010507")], text2
        )
    ] == ["table_text"]


def test_a_number_a_line_break_cut_is_not_a_figure() -> None:
    text = "15.“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”241.3\n6万元，主要用于缴费。\n"
    table = cell(fact("fa.function.208", 241.3577, "2,413,577", scope="item:2080506"), 0, 5)
    tail = prose_at(text, "fa.function.208", 6, "6万元", scope="item:2080506")
    assert flags([table, tail], text) == []


def test_an_items_figure_read_as_its_class_total_is_not_compared() -> None:
    text = "8.“社会保障和就业支出（类）行政事业单位养老支出（款）其他行政事业单位养老支出（项）”0.96万元，主要用于缴纳养老支出。\n"
    total = cell(fact("fa.function.208", 350.86, "350.86"), 0, 5)
    item = prose_at(text, "fa.function.208", 0.96, "0.96万元")
    assert flags([total, item], text) == []


def test_a_text_figure_in_yuan_for_the_tables_wan_yuan_is_a_magnitude_slip() -> None:
    table = cell(fact("fa.function.221", 3.58, "3.58"), 0, 4)
    prose = fact("fa.function.221", 0.000358, "3.58元", quote="住房公积金3.58元", decimals=6)
    (flag,) = flags([table, prose])
    assert flag.check == "magnitude" and "3.58元" in flag.message
    read = fact("fa.function.221", 0.000358, "3.58万元", quote="住房公积金3.58万元", decimals=6)
    assert flags([table, read]) == []  # the reading's unit, not the document's slip


def test_a_figure_read_as_a_concept_its_form_never_holds_is_not_compared() -> None:
    text = "收入决算表\n单位：万元\n合计819.29 819.29\n支出决算表\n单位：万元\n合计832.91 659.08 173.83\n"
    rows = [
        prose_at(text, "fa.function.234", 819.29, "合计819.29"),
        prose_at(text, "fa.function.234", 832.91, "合计832.91"),
    ]
    assert flags(rows, text) == []
    totals = [
        prose_at(text, "fa.revenue_total", 819.29, "合计819.29"),
        fact("fa.revenue_total", 891.29, quote="本年收入合计891.29万元", start=len(text) + 1),
    ]
    text2 = text + "\n本年收入合计891.29万元。\n"
    assert [f.check for f in flags(totals, text2)] == ["cross_mention"]


def test_a_finding_on_an_indicator_row_read_by_ocr_with_low_confidence_is_a_warning() -> None:
    from jixiao.models import Evidence
    from verify_support import row

    text = "产出指标\t数量指标\t培训人次\t10\t12\n"
    over = row(level1="产出指标", level2="数量指标", level3="培训人次", weight=10, score=12)
    over.evidence = Evidence(quote=text.strip(), start=0, end=len(text) - 1)
    found = [f for f in verify_record(record(indicators=[over]), text) if f.check == "score_sum"]
    assert [(f.severity, f.location[0].ocr_confidence) for f in found] == [("error", None)]
    over.cells["score"] = Evidence(quote="12", start=text.index("12"), end=len(text) - 1)
    over.cells["score"].ocr_confidence = 0.55
    (flag,) = [f for f in verify_record(record(indicators=[over]), text) if f.check == "score_sum"]
    assert flag.severity == "warning" and "OCR 识别（置信度 0.55）" in flag.message
    assert flag.location[0].indicator == over.id and flag.location[0].ocr_confidence == 0.55
    over.cells["score"].ocr_confidence = 0.97  # read with confidence: still a finding
    (flag,) = [f for f in verify_record(record(indicators=[over]), text) if f.check == "score_sum"]
    assert flag.severity == "error" and flag.location[0].ocr_confidence == 0.97


def test_a_total_of_a_table_no_form_names_is_not_held_to_the_statements() -> None:
    def mentions(second_title: str) -> list[str]:
        text = (
            "收入支出决算总表\n部门：楚雄州审计局公开01表金额单位：万元\n项目\t金额\n本年支出合计\t478.37\n"
            f"{second_title}\n部门：楚雄州审计局公开07表金额单位：万元\n项目\t金额\n合计\t110.08\n"
        )
        facts = []
        for n, value in enumerate((478.37, 110.08)):
            f = fact("fa.expenditure_total", value, f"{value:.2f}", year=2024)
            f.evidence.start = text.index(f"{value:.2f}")
            f.evidence.end = f.evidence.start + len(f"{value:.2f}")
            f.evidence.quote, f.stage = f"{value:.2f}", "final"
            facts.append(cell(f, n, 1, 1))
        rec = record(facts, fiscal_year=2024)
        rec.document_kind = "final_accounts"
        return [f.check for f in verify_record(rec, text) if f.check != "grounding"]

    # a province's 项目支出 table: its 合计 is not the department's 本年支出合计
    assert mentions("一般公共预算财政拨款项目支出决算表") == []
    assert mentions("支出决算表") == ["cross_mention"]  # the form's own table: a finding


def test_a_prose_figure_that_is_another_totals_cell_was_read_for_the_wrong_total() -> None:
    # 收入总计 is the 收支总计 with the carry-over: read as 本年收入合计, it is no slip
    revenue = cell(fact("fa.revenue_total", 663.93, "663.93"), 0, 27, 2)
    grand = cell(fact("fa.total", 682.39, "682.39"), 0, 30, 2)
    told = fact("fa.revenue_total", 682.39, quote="收入总计682.39万元")
    assert flags([revenue, grand, told]) == []
    told.value, told.text, told.evidence.quote = 690.0, "690.00万元", "收入总计690.00万元"
    assert [f.check for f in flags([revenue, grand, told])] == ["table_text"]


def test_three_values_each_told_once_in_prose_have_no_outlier_to_name() -> None:
    told = [fact("budget.executed", v, quote=f"实际支出{v:.2f}万元") for v in (1.76, 3.31, 8.09)]
    assert flags(told) == []
    told[2].value, told[2].text, told[2].evidence.quote = 1.76, "1.76万元", "实际支出1.76万元"
    assert [f.check for f in flags(told)] == ["cross_mention"]  # told twice: 3.31 is the outlier
