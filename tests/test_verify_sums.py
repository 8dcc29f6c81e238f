"""Sum and total checks, driven by the taxonomy's relations (verify/sums.py)."""

import yaml

from jixiao.models import CellRef
from jixiao.taxonomy import load_taxonomy, parse_taxonomy
from jixiao.verify import verify_record
from verify_support import fact, record


def checks(rec, text: str = "", taxonomy=None) -> list[str]:
    return [f.check for f in verify_record(rec, text, taxonomy) if f.check != "grounding"]


def flags_of(rec, check: str):
    return [f for f in verify_record(rec, "") if f.check == check]


def test_function_classes_that_miss_the_expenditure_total_fire_as_in_seed_000() -> None:
    # 部门财政资金支出213.61万元，其中一般公共服务支出155.63万元 … 住房保障支出12.01万元
    rec = record(
        [
            fact("fa.expenditure_total", 213.61),
            fact("fa.function.201", 155.63),
            fact("fa.function.208", 18.24),
            fact("fa.function.210", 8.36),
            fact("fa.function.212", 16, "16万元"),
            fact("fa.function.221", 12.01),
        ],
    )
    (flag,) = flags_of(rec, "sum")
    assert flag.expected == 213.61
    assert abs(flag.actual - 210.24) < 1e-9
    assert flag.message.startswith(
        "本年支出合计（正文）213.61 ≠ 155.63 + 18.24 + 8.36 + 16 + 12.01"
    )
    assert "（= 210.24）" in flag.message
    assert len(flag.facts) == 6


def test_revenue_parts_that_add_up_do_not_fire() -> None:
    rec = record(
        [
            fact("fa.revenue_total", 416.54),
            fact("fa.revenue.general_budget", 411.94),
            fact("fa.revenue.other", 4.6),
        ]
    )
    assert flags_of(rec, "sum") == []


def test_revenue_slip_reads_like_the_contract_example() -> None:
    rec = record(
        [
            fact("fa.revenue_total", 416.54),
            fact("fa.revenue.general_budget", 411.94),
            fact("fa.revenue.other", 6.4),
        ]
    )
    (flag,) = flags_of(rec, "sum")
    assert flag.message == "本年收入合计（正文）416.54 ≠ 411.94 + 6.4（= 418.34）"
    assert flag.message_en and "418.34" in flag.message_en
    assert flag.tolerance is not None and flag.tolerance < 0.1


def test_three_public_total_with_exact_zero_parts_does_not_fire() -> None:
    rec = record(
        [
            fact("fa.three_public.total", 0.37),
            fact("fa.three_public.overseas", 0, "0万元"),
            fact("fa.three_public.vehicle", 0, "0万元"),
            fact("fa.three_public.reception", 0.37),
        ]
    )
    assert flags_of(rec, "sum") == []


def table(lines: list[tuple[str, float]], concept: str = "fa.function.208", col: int = 3):
    """A 功能分类 table read line by line: (code, figure) per row, the 类 of the department
    (fa.function.<类>), its 款/项 at item:<code> scopes; a 合计 row ("") of no code."""
    facts = []
    for row, (code, value) in enumerate(lines, start=1):
        name = concept if code else "fa.general_budget_expenditure"
        scope = f"item:{code}" if len(code) > 3 else "department"
        f = fact(name, value, f"{value:.2f}", scope=scope)
        f.evidence.cell = CellRef(table=0, row=row, col=col)
        facts.append(f)
    return facts


#: 208 = 20805 + 20811 + 20899; 20805 = 2080501 + 2080505 + 2080506
CLEAN = [
    ("", 100.00),
    ("208", 20.39),
    ("20805", 18.12),
    ("2080501", 0.62),
    ("2080505", 17.46),
    ("2080506", 0.04),
    ("20811", 1.06),
    ("2081101", 1.06),
    ("20899", 1.21),
    ("2089999", 1.21),
    ("210", 79.61),
]


def item_sums(facts) -> set[tuple[str, float, float]]:
    scope = {f.id: f.scope for f in facts}
    return {
        (scope[f.facts[0]], f.expected, round(f.actual, 2))
        for f in flags_of(record(facts), "sum")
        if f.message_en and "功能分类 line" in f.message_en
    }


def test_item_lines_that_add_up_in_their_table_do_not_fire() -> None:
    assert item_sums(table(CLEAN)) == set()


def test_a_kuan_whose_xiang_lines_do_not_add_up_fires_and_so_does_its_class() -> None:
    lines = [(c, 17.56 if c == "2080505" else v) for c, v in CLEAN]
    facts = table(lines)
    found = item_sums(facts)
    assert found == {("item:20805", 18.12, 18.22)}  # the 类 still adds its 款 up
    (flag,) = [f for f in flags_of(record(facts), "sum") if f.facts[0] == facts[2].id]
    assert "“20805" in flag.message and "3 个项之和为 18.22 万元" in flag.message
    assert len(flag.location) == 2 and flag.location[0].fact == facts[2].id
    lines = [(c, 18.22 if c == "20805" else v) for c, v in lines]
    assert item_sums(table(lines)) == {("department", 20.39, 20.49)}  # now the 类


def test_a_line_missing_from_the_reading_makes_the_sum_partial_not_a_finding() -> None:
    wrong = [(c, 17.56 if c == "2080505" else v) for c, v in CLEAN]
    facts = table(wrong)
    del facts[4]  # 2080505 not read: neither 20805 nor 208 can be added up
    assert item_sums(facts) == set()
    facts = table(wrong)[:-1]  # the table read up to the 20899 lines only: may go on
    assert item_sums(facts) == {("item:20805", 18.12, 18.22)}
    assert item_sums(table(wrong)[:8]) == {("item:20805", 18.12, 18.22)}
    facts = table(CLEAN)
    facts[3].evidence.cell = CellRef(table=0, row=4, col=4)  # another column: a line unread
    assert item_sums(facts) == set()


def test_lines_of_two_stages_or_two_tables_are_not_added_together() -> None:
    facts = table(CLEAN)
    facts[4].stage = "budget_initial"  # one 项 of another stage: its column is partial
    assert item_sums(facts) == set()
    wrong = table([(c, 17.56 if c == "2080505" else v) for c, v in CLEAN])
    for f in wrong:
        f.stage = "final"
    assert item_sums(wrong) == {("item:20805", 18.12, 18.22)}


def test_the_first_stated_alternative_total_is_the_one_checked() -> None:
    def parts_against_two_totals(public: float):
        return record(
            [
                fact("fa.general_budget_basic", 216.38),
                fact("fa.expenditure.basic", 217.94),
                fact("fa.personnel", 183.57),
                fact("fa.public", public),
            ]
        )

    assert flags_of(parts_against_two_totals(32.81), "sum") == []  # 183.57 + 32.81 = 216.38
    (flag,) = flags_of(parts_against_two_totals(34.37), "sum")  # = 217.94, the second one
    assert (flag.expected, round(flag.actual, 2)) == (216.38, 217.94)


def test_a_single_part_below_its_total_is_not_a_slip_but_above_it_is() -> None:
    below = record([fact("fa.revenue_total", 416.54), fact("fa.revenue.general_budget", 411.94)])
    above = record([fact("fa.revenue_total", 416.54), fact("fa.revenue.general_budget", 431.94)])
    assert flags_of(below, "sum") == []
    assert len(flags_of(above, "sum")) == 1


def test_agreeing_duplicates_are_reconciled_to_the_narrowest_before_summing() -> None:
    rec = record(
        [
            fact("fa.revenue_total", 416.5, "416.5万元"),
            fact("fa.revenue_total", 416.54, "416.54万元", cell=True),
            fact("fa.revenue.general_budget", 411.94),
            fact("fa.revenue.other", 4.55),
        ]
    )
    # 411.94 + 4.55 = 416.49 meets 416.5 (±0.05) but not 416.54 (±0.005)
    (flag,) = flags_of(rec, "sum")
    assert flag.expected == 416.54
    assert checks(rec).count("cross_mention") == 0


def test_disagreeing_duplicates_are_flagged_and_summed_only_against_the_version_missed() -> None:
    rec = record(
        [
            fact("fa.revenue_total", 416.54),
            fact("fa.revenue_total", 461.54),
            fact("fa.revenue.general_budget", 411.94),
            fact("fa.revenue.other", 4.6),
        ]
    )
    # a department total told two ways is the cross-mention; the parts settle it for a
    # project's table only (test_verify_conflicted_sums)
    assert checks(rec) == ["cross_mention"]


def test_grand_total_needs_every_operand_and_fires_when_they_disagree() -> None:
    ok = [
        fact("fa.total", 421.67),
        fact("fa.revenue_total", 416.54),
        fact("fa.carryover_begin", 5.13),
    ]
    assert checks(record(ok)) == []
    bad = [
        fact("fa.total", 421.67),
        fact("fa.expenditure_total", 416.18),
        fact("fa.carryover_end", 5.13),
    ]
    assert checks(record(bad)) == ["total"]
    assert checks(record([fact("fa.total", 421.67), fact("fa.revenue_total", 416.54)])) == []


def test_yuan_written_for_wan_yuan_is_a_magnitude_flag() -> None:
    rec = record(
        [
            fact("fa.revenue_total", 213.34),
            fact("fa.revenue.general_budget", 197.34),
            fact("fa.revenue.gov_fund", 160000, "160000万元"),
        ]
    )
    assert checks(rec) == ["magnitude"]


def test_project_relations_apply_to_projects_only() -> None:
    parts = [fact("budget.fiscal_funds", 20), fact("budget.other_funds", 3)]
    assert checks(record([fact("budget.initial", 25), *parts])) == []
    project = [
        fact(c.concept, c.value, c.text, scope="处非专项经费")
        for c in [fact("budget.initial", 25), *parts]
    ]
    assert checks(record(project)) == ["sum"]


def test_a_new_relation_is_one_taxonomy_edit() -> None:
    base = load_taxonomy()
    data = {
        "concepts": {n: {"label": c.label} for n, c in base.concepts.items()},
        "relations": [
            {"id": "staff", "check": "sum", "total": "staff.authorized", "parts": ["x.a", "x.b"]}
        ],
    }
    taxonomy = parse_taxonomy(yaml.safe_load(yaml.safe_dump(data, allow_unicode=True)))
    rec = record(
        [
            fact("staff.authorized", 8, "8人", unit="人"),
            fact("x.a", 3, "3人", unit="人"),
            fact("x.b", 4, "4人", unit="人"),
        ]
    )
    assert checks(rec, "", taxonomy) == ["sum"]


def test_a_share_of_an_unnamed_total_passes_against_any_total_its_part_belongs_to() -> None:
    # 人员经费支出183.56万元，占支出的84.84%: of 一般公共预算财政拨款基本支出, not 基本支出
    facts = [
        fact("fa.expenditure.basic", 217.94),
        fact("fa.general_budget_basic", 216.38),
        fact("fa.personnel", 183.56),
        fact("fa.personnel.share_pct", 84.84, "84.84%", unit="%"),
    ]
    assert flags_of(record(facts), "share") == []
    facts[3] = fact("fa.personnel.share_pct", 86.84, "86.84%", unit="%")
    (flag,) = flags_of(record(facts), "share")
    assert "86.84%" in flag.message and "183.56 ÷" in flag.message


def _document_sums(rows: list[list[str]]) -> list[str]:
    """The item-line sum findings of a 部门决算 written for the test, read by the rules
    backend and verified as the pipeline does."""
    from document_builder import doc_from_blocks
    from jixiao.extract.rules import RulesBackend
    from jixiao.run.document import process_document

    doc = doc_from_blocks(
        "东城区民政局2024年度部门决算",
        "一般公共预算财政拨款支出决算表",
        "单位：万元",
        [["科目编码", "科目名称", "合计", "基本支出", "项目支出"], *rows],
        "注：本表反映部门本年度一般公共预算财政拨款的实际支出情况。",
    )
    flags = process_document(doc, RulesBackend()).flags
    return [f.message for f in flags if f.check == "sum" and "个项之和" in f.message]


ITEM_ROWS = [
    ["", "合计", "38.90", "38.90", ""],
    ["208", "社会保障和就业支出", "38.90", "38.90", ""],
    ["20805", "行政事业单位养老支出", "38.90", "38.90", ""],
    ["2080505", "机关事业单位基本养老保险缴费支出", "25.60", "25.60", ""],
    ["2080506", "机关事业单位职业年金缴费支出", "13.30", "13.30", ""],
    ["210", "卫生健康支出", "8.52", "8.52", ""],
]


def test_a_written_final_accounts_whose_xiang_lines_do_not_add_up_fires() -> None:
    assert _document_sums(ITEM_ROWS) == []
    wrong = [r if r[0] != "2080506" else [*r[:2], "12.30", "12.30", ""] for r in ITEM_ROWS]
    found = _document_sums(wrong)
    # the 合计 and 基本支出 columns each: 20805 reads 38.90, its 项 add up to 37.90
    assert len(found) == 2 and all("“20805 行政事业单位养老支出”为 38.90" in m for m in found)
    assert all("37.90" in m for m in found)
    # a 项 line printed but not read (a figure the reading cannot take): partial, silent
    unread = [r if r[0] != "2080505" else [*r[:2], "25.6O", "25.6O", ""] for r in wrong]
    assert _document_sums(unread) == []
    # a 款 printed with one 项 only: the document's own slip
    assert len(_document_sums([r for r in wrong if r[0] != "2080505"])) == 2
