"""The wording family on small documents: each check fires on a slip and not on clean text."""

from jixiao.models import Section
from jixiao.verify import verify_record
from verify_support import fact, record

BUDGET = "上海市普陀区2025年区级部门预算\n预算主管部门：上海市普陀区财政局\n"
FINAL = "上海市普陀区财政局\n2024年度部门决算\n"


def checks(text: str, *, year: int = 2025, department: str | None = None, facts=()):
    rec = record(list(facts), fiscal_year=year, department=department)
    return [f for f in verify_record(rec, text) if f.check != "grounding"]


def names(text: str, **kw) -> list[str]:
    return [f.check for f in checks(text, **kw)]


# ---------------------------------------------------------------------------- years


def test_a_budget_states_assets_at_last_years_end_and_cites_last_years_execution() -> None:
    text = BUDGET + (
        "截至2024年12月31日，共有车辆8辆。截至2024年8月31日，单价100万元以上设备0台。\n"
        "2023年当年预算执行数为60.13万元，2024年预算安排25.77万元。\n"
    )
    assert names(text) == []


def test_a_budget_dating_its_assets_two_years_back_fires() -> None:
    (flag,) = checks(BUDGET + "截至2023年12月31日，共有车辆8辆。\n")
    assert flag.check == "year" and flag.actual == 2023 and flag.expected == 2024
    assert flag.location[0].quote and "截至2023年12月31日" in flag.location[0].quote


def test_a_final_account_dates_its_assets_at_its_own_year_end() -> None:
    assert names(FINAL + "截至2024年12月31日，共有车辆3辆。\n", year=2024) == []
    assert names(FINAL + "截至2023年12月31日，共有车辆3辆。\n", year=2024) == ["year"]


def test_a_document_of_no_known_kind_may_date_assets_at_either_year_end() -> None:
    cover = "北京市東城區審計局2025年度部門預算\n"  # a cover no title rule knows
    assert names(cover + "截至2024年12月31日，本部門共有車輛2輛。\n", year=2025) == []
    assert names(cover + "截至2025年12月31日，共有车辆2辆。\n", year=2025) == []
    assert names(cover + "截至2023年12月31日，共有车辆2辆。\n", year=2025) == ["year"]


def test_tables_titled_with_another_year_are_one_flag_per_year() -> None:
    good = BUDGET + "2025年部门财务收支预算总表\n编制部门：上海市普陀区财政局单位：元\n"
    assert names(good) == []
    bad = good + "2024年部门收入预算总表\n2024年部门支出预算总表\n"
    (flag,) = checks(bad)
    assert flag.check == "year" and "共 2 处" in flag.message and flag.actual == 2024


def test_a_table_of_contents_line_is_not_a_title() -> None:
    toc = BUDGET + "1. 2024年部门财务收支预算总表……………………………\n"
    assert names(toc) == []


# ---------------------------------------------------------------------------- reasons


def reason_checks(text: str, quote: str, value: float = -876.75, kind: str = "final_accounts"):
    f = fact("fa.revenue_total.yoy_change", value, quote=quote, start=text.index(quote))
    f.section = "s1"
    rec = record([f], fiscal_year=2024)
    rec.sections = [Section(id="s1", kind=kind, title="说明", start=0, end=len(text))]
    return [x.check for x in verify_record(rec, text) if x.check == "missing_reason"]


def test_a_reason_after_a_wrapped_line_counts() -> None:
    text = (
        "其他社会保障和就业支出781.24万元，2023年当年预算执行数为1410.22万元，比2023年预算执行数减少"
        "\n44.60%，减少629万元。主要原因是：\n其他社会保障和就业支出经费减少。\n"
    )
    assert reason_checks(text, "减少629万元", -629) == []


def test_a_later_sentence_giving_the_reason_of_the_change_counts() -> None:
    text = (
        "支出预算15621.11万元，比2023年预算减少876.75万元。政府性基金拨款支出预算0万元。\n"
        "财政拨款收入支出减少的主要原因是项目调整。\n"
    )
    assert reason_checks(text, "减少876.75万元") == []


def test_a_change_with_no_reason_anywhere_in_its_passage_fires() -> None:
    text = "支出预算15621.11万元，比2023年预算减少876.75万元。政府性基金拨款支出预算0万元。\n"
    assert reason_checks(text, "减少876.75万元") == ["missing_reason"]


# ---------------------------------------------------------------------------- tables

EMPTY = (
    "2025年部门国有资本经营预算支出功能分类预算表\n编制部门：上海市普陀区财政局单位：元\n"
    "项目\t国有资本经营预算支出\n功能分类科目编码\t功能分类科目名称\t合计\t基本支出\t项目支出\n"
    "类\t款\t项\t\t\t\t\n合计\t\t\t\n"
)


FILLED = "2025年部门财务收支预算总表\n项目\t预算数\n收入总计\t31,214,205.80\n"


def test_an_unfilled_form_is_not_a_set_of_empty_tables() -> None:
    assert names(BUDGET + EMPTY) == []


def test_an_empty_table_with_its_own_note_is_fine() -> None:
    note = "注:本部门2025年无国有资本经营预算财政拨款安排的预算，故本表为空表。\n"
    assert names(BUDGET + EMPTY + note) == []


def test_an_empty_tables_note_about_another_table_fires() -> None:
    note = "注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。\n"
    (flag,) = checks(BUDGET + FILLED + EMPTY + note)
    assert flag.check == "empty_table" and "政府性基金" in flag.message
    assert "国有资本经营" in flag.message


def test_an_empty_table_without_any_note_fires() -> None:
    assert names(BUDGET + FILLED + EMPTY + "其他相关情况说明\n") == ["empty_table"]


def test_a_note_saying_empty_under_a_filled_table_fires() -> None:
    table = (
        "部门“三公”经费和机关运行经费预算表\n编制部门：万里街道单位:万元\n"
        "合计\t因公出国(境)费\t公务接待费\t公务用车购置及运行费\n47.91\t0\t1.35\t46.56\n"
        "注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。\n"
    )
    (flag,) = checks(BUDGET + table)
    assert flag.check == "empty_table" and "列有数字" in flag.message


def test_a_list_of_units_is_not_an_empty_table() -> None:
    units = "部门决算单位构成\n序号\t单位名称\n1\t财政局本部\n\t\n"
    assert names(FINAL + units, year=2024) == []


def titles(names_: list[str]) -> str:
    return "".join(f"{n}\n单位：万元\n项目\t合计\n合计\t1.00\n" for n in names_)


NINE = [
    "收入支出决算总表",
    "收入决算表",
    "支出决算表",
    "财政拨款收入支出决算总表",
    "一般公共预算财政拨款支出决算表",
    "一般公共预算财政拨款基本支出决算表",
    "财政拨款“三公”经费支出决算表",
    "政府性基金预算财政拨款收入支出决算表",
    "国有资本经营预算财政拨款收入支出决算表",
]


def test_the_nine_final_account_tables_present_raise_nothing() -> None:
    assert names(FINAL + titles(NINE), year=2024) == []


def test_a_missing_final_account_table_fires_once() -> None:
    text = FINAL + "目录\n七、财政拨款“三公”经费支出决算表……………\n" + titles(NINE[:6] + NINE[7:])
    (flag,) = checks(text, year=2024)
    assert flag.check == "required_tables" and "“三公”经费支出决算表" in flag.message


BUDGET_TABLES = [
    "收支预算总表",
    "收入预算总表",
    "支出预算总表",
    "财政拨款收支预算总表",
    "一般公共预算支出预算表",
    "一般公共预算基本支出预算表",
    "一般公共预算“三公”经费支出预算表",
]


def contents(entries: list[str], part: str = "十一、2025年部门预算表") -> str:
    numerals = "一二三四五六七八九"
    listed = "".join(f"{numerals[n]}、{e}\n" for n, e in enumerate(entries))
    return f"江汉区生态环境局2025年度部门预算公开目录\n{part}\n{listed}{part}\n"


def test_a_table_the_contents_lists_and_the_document_does_not_print_fires() -> None:
    printed = BUDGET_TABLES[:5] + BUDGET_TABLES[6:]
    assert names(contents(BUDGET_TABLES) + titles(BUDGET_TABLES), year=2025) == []
    (flag,) = checks(contents(BUDGET_TABLES) + titles(printed), year=2025)
    assert flag.check == "required_tables"
    assert "目录列出的“一般公共预算基本支出预算表”在正文中找不到" in flag.message
    assert flag.location[0].quote == "六、一般公共预算基本支出预算表"


def test_a_part_heading_of_the_contents_is_no_table() -> None:
    toc = "目录\n一、部门主要职能……3\n二、部门预算表……5\n"
    toc += "".join(f"{n}.2025年{t}……{n + 5}\n" for n, t in enumerate(BUDGET_TABLES, 1))
    body = "一、部门主要职能\n本局主要职能是……。\n" + titles([f"2025年{t}" for t in BUDGET_TABLES])
    assert names(BUDGET + toc + body, year=2025) == []


def test_a_provinces_own_table_titles_are_no_missing_forms() -> None:
    # no 目录: the national forms are the list, but a table titled otherwise may be one
    own = [*NINE[:6], "一般公共预算财政拨款“三公”经费及会议费、培训费支出决算表", *NINE[7:]]
    assert names(FINAL + titles(own), year=2024) == []
    assert names(FINAL + titles(NINE[:6] + NINE[7:]), year=2024) == ["required_tables"]


def test_a_write_up_without_its_tables_is_not_held_to_them() -> None:
    assert names(FINAL + "第三部分 情况说明\n一、收入支出决算总体情况说明\n", year=2024) == []


# ---------------------------------------------------------------------------- template


def test_instructions_of_the_form_left_in_fire() -> None:
    text = FINAL + "无政府性基金预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明：\n"
    (flag,) = checks(text, year=2024)
    assert flag.check == "unfilled_template" and "填报说明文字" in flag.message


def test_unresolved_alternatives_fire_and_a_resolved_one_does_not() -> None:
    slip = FINAL + "与2023年度相比，收入支出总计增加（减少）3.20万元，增长（下降）1.2%。\n"
    (flag,) = checks(slip, year=2024)
    assert "未取舍的备选措辞" in flag.message and "共 2 处" in flag.message
    assert (
        names(FINAL + "与2023年度相比，收入支出总计增加3.20万元（增长1.2%）。\n", year=2024) == []
    )


def test_an_empty_or_keyboard_reason_fires() -> None:
    for slip in ("公务接待费减少0.5万元，主要原因是。\n", "公务接待费持平，主要原因是qq。\n"):
        (flag,) = checks(FINAL + slip, year=2024)
        assert "空着的原因或用途" in flag.message
    assert names(FINAL + "公务接待费减少0.5万元，主要原因是厉行节约。\n", year=2024) == []


def test_a_bracketed_instruction_of_the_budget_form_fires() -> None:
    text = BUDGET + "一、项目概述\n（说明项目的总体情况、立项目的等）\n"
    assert names(text) == ["unfilled_template"]


# ---------------------------------------------------------------------------- names


def test_a_table_field_naming_the_department_under_a_higher_level_fires() -> None:
    dept = "上海市普陀区规划和自然资源局"
    ok = BUDGET + f"编制部门：{dept}单位：元\n编制部门：普陀区规划和自然资源局\n"
    assert names(ok, department=dept) == []
    slip = BUDGET + "编制部门：上海市规划和自然资源局单位：元\n"
    (flag,) = checks(slip, department=dept)
    assert flag.check == "department_name" and "上海市规划和自然资源局" in flag.message


WATER = "汉中市南郑区水利局"
TABLES = ("收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表")


def compiled_by(*units: str) -> str:
    """A 部门决算 whose tables name the units given as their 编制单位, one table each."""
    tables = "".join(
        f"表{n}{title}\n编制单位：{unit}单位：万元\n项目\t金额\n合计\t1.00\n"
        for n, (title, unit) in enumerate(zip(TABLES, units, strict=True), 1)
    )
    return f"{WATER}\n2024年度部门决算\n" + tables


def test_a_table_compiled_by_another_body_of_the_place_fires_once_with_both_names() -> None:
    text = compiled_by(WATER, WATER, "汉中市南郑区财政局", WATER)
    found = [f for f in checks(text, year=2024, department=WATER) if f.check == "department_name"]
    (flag,) = found
    assert "汉中市南郑区财政局" in flag.message and WATER in flag.message
    assert "表3支出决算表" in flag.message and flag.severity == "warning"
    assert flag.location[0].quote == "编制单位：汉中市南郑区财政局"
    assert flag.location[1].quote == f"编制单位：{WATER}"


def test_short_forms_sub_units_and_listed_units_of_the_department_raise_nothing() -> None:
    def dept_flags(text: str) -> list[str]:
        return [
            f.check
            for f in checks(text, year=2024, department=WATER)
            if f.check == "department_name"
        ]

    assert dept_flags(compiled_by(WATER, "南郑区水利局", f"{WATER}机关", f"{WATER}本级")) == []
    station = "汉中市南郑区水土保持工作站"
    listed = compiled_by(WATER, WATER, station, WATER) + f"序号\t单位名称\n1\t{station}\n"
    assert dept_flags(listed) == []
    assert dept_flags(compiled_by(WATER, WATER, station, WATER)) == ["department_name"]
    # two bodies as often as each other: no name the document agrees on
    assert dept_flags(compiled_by(WATER, WATER, station, station)) == []


def test_a_total_change_broken_down_into_its_parts_needs_no_reason_of_its_own() -> None:
    text = "2025年“三公”经费预算数为7.28万元，比2024年预算减少16.32万元。其中：\n（一）因公出国（境）费0万元。\n"
    assert reason_checks(text, "减少16.32万元", -16.32) == []


def test_a_title_glued_to_the_row_before_it_counts_as_present() -> None:
    glued = "".join(f"合计\t1.00\n收入总计1.00支出总计1.00{n}\n" for n in NINE)
    assert names(FINAL + glued, year=2024) == []
