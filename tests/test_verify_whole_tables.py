"""Whole-table checks: a table copied from another project, a table left empty."""

from jixiao.models import CellRef
from jixiao.verify import verify_record
from jixiao.verify.text import text_tables
from jixiao.verify.wording.tables import check_empty_tables as check_view
from verify_support import fact, record, row, view_of


def check_empty_tables(text: str):
    return check_view(view_of(text))


ROWS = [
    ("产出指标", "数量指标", "使用套数", "8套", "100%"),
    ("产出指标", "质量指标", "技术保障", "100%", "100%"),
    ("产出指标", "成本指标", "所需经费", "10.58万元", "100%"),
    ("满意度指标", "满意度", "群众满意度", "95%", "到达92%满意"),
]


def table(scope: str, index: int, rows=ROWS, kind: str = "self_eval"):
    return [
        row(
            scope,
            kind,
            table_index=index,
            level1=a,
            level2=b,
            level3=c,
            target_text=t,
            actual_text=x,
        )
        for a, b, c, t, x in rows
    ]


def budget(scope: str, value: float):
    f = fact("budget.initial", value, f"{value:.2f}万元", scope=scope)
    f.evidence.cell = CellRef(table=0, row=1, col=1)
    return f


def checks(rec) -> list[str]:
    return [f.check for f in verify_record(rec, "") if f.check != "grounding"]


def test_a_projects_table_repeating_another_projects_rows_is_a_duplicate() -> None:
    rows = table("信访远程视频服务", 2) + table("信访维稳信息费", 3)
    facts = [budget("信访远程视频服务", 10.58), budget("信访维稳信息费", 10.58)]
    (flag,) = [f for f in verify_record(record(facts, rows), "") if f.check == "duplicate_table"]
    assert "【信访维稳信息费】的自评表与【信访远程视频服务】的自评表逐行相同" in flag.message
    assert "4 行" in flag.message and "10.58万元" in flag.message
    assert "10.58" in (flag.message_en or "")
    assert len(flag.indicators) == 8 and len(flag.facts) == 2


def test_tables_sharing_only_boilerplate_rows_are_not_duplicates() -> None:
    other = [("产出指标", "数量指标", "信访化解", "20件", "25件"), *ROWS[1:]]
    assert checks(record([], table("资助救助资金", 4, other) + table("信访远程视频服务", 2))) == []


def test_one_project_with_two_identical_tables_is_not_a_copy_of_another_project() -> None:
    rows = table("维稳专项经费", 1, kind="target") + table("维稳专项经费", 5)
    assert "duplicate_table" not in checks(record([], rows))


def test_identical_target_tables_of_two_projects_are_flagged_too() -> None:
    rows = table("接访工作经费", 2, kind="target") + table("维稳专项经费", 7, kind="target")
    assert checks(record([], rows)) == ["duplicate_table"]


def test_qualitative_tables_with_no_figures_are_not_held_to_be_copies() -> None:
    words = [("效益指标", "社会效益", f"指标{i}", "有效", "达成") for i in range(4)]
    assert checks(record([], table("甲项目", 0, words) + table("乙项目", 1, words))) == []


EMPTY_FUND_TABLE = (
    "十、政府性基金预算财政拨款收入支出决算表\n"
    "项目\t年初结转和结余\t本年收入\t本年支出\t年末结转和结余\n"
    "栏次\t1\t2\t3\t4\n"
    "合计\t\t\t\t\n"
)


def test_an_empty_table_without_a_note_is_a_warning() -> None:
    (flag,) = check_empty_tables("附表\n" + EMPTY_FUND_TABLE + "十一、国有资本经营预算表\n")
    assert (flag.check, flag.severity) == ("empty_table", "warning")
    assert "政府性基金预算财政拨款收入支出决算表" in flag.message
    assert "no figures" in (flag.message_en or "")


def test_an_empty_table_with_its_note_below_is_fine() -> None:
    text = EMPTY_FUND_TABLE + "注：本部门2023年度无政府性基金预算财政拨款收入，故本表为空。\n"
    assert check_empty_tables(text) == []


def test_the_write_up_saying_so_does_not_replace_the_note_under_the_table() -> None:
    # the form asks for both: "仍保留该表格式，并在本表下方作下述说明" and a 情况说明 sentence
    prose = (
        "八、政府性基金预算支出决算情况说明\n本单位2023年度没有使用政府性基金预算拨款安排的支出。\n"
    )
    filler = "其他内容。" * 100 + "\n"
    assert len(check_empty_tables(prose + filler + EMPTY_FUND_TABLE)) == 1


def test_the_note_under_the_table_before_does_not_explain_this_one() -> None:
    above = EMPTY_FUND_TABLE + "注：本部门无政府性基金预算财政拨款收入，故本表为空。\n"
    state = EMPTY_FUND_TABLE.replace("政府性基金", "国有资本经营")
    assert len(check_empty_tables(above + state)) == 1


def test_filled_and_text_tables_are_not_empty() -> None:
    filled = EMPTY_FUND_TABLE.replace("合计\t\t\t\t", "合计\t0.25\t213.34\t213.61\t0.14")
    targets = "一级指标\t二级指标\t指标值\n产出指标\t质量指标\t信访事项按期办结，群众反映问题得到妥善处理\n"
    assert check_empty_tables(filled) == []
    assert check_empty_tables(targets) == []


def test_text_tables_are_runs_of_tab_joined_lines() -> None:
    tables = text_tables("标题\na\tb\nc\td\n正文\ne\tf\n")
    assert [t.rows for t in tables] == [[["a", "b"], ["c", "d"]], [["e", "f"]]]
    assert tables[0].start == 3
