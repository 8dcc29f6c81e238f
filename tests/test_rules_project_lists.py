"""Projects named by a list after a count of projects (绩效目标设置情况)."""

from __future__ import annotations

from jixiao.document import RawParagraph, RawText
from jixiao.extract.rules import RulesBackend
from jixiao.ingest.build import build_document
from jixiao.segment import segment

TITLE = "某市某区档案局2026年部门预算"


def extract(*lines: str):
    blocks = [RawParagraph(RawText(line)) for line in (TITLE, *lines)]
    doc = build_document(blocks, path="t.txt", sha256="0", format="txt")
    return RulesBackend().extract(doc, segment(doc))


def listed(extraction) -> dict[str, float]:
    return {f.scope: f.value for f in extraction.facts if f.concept == "budget.initial"}


def test_projects_listed_after_their_count_become_projects_with_their_budget():
    got = extract(
        "四、绩效目标设置情况",
        "2026年度，本单位编报绩效目标的项目共3个，涉及项目预算资金120.50万元。"
        "其中：档案数字化加工费80.00万元，库房安全运维费30.5万元，史志编纂经费10.00万元。",
    )
    assert listed(got) == {"档案数字化加工费": 80.0, "库房安全运维费": 30.5, "史志编纂经费": 10.0}
    assert [p.name for p in got.projects] == ["档案数字化加工费", "库房安全运维费", "史志编纂经费"]
    fact = next(f for f in got.facts if f.scope == "库房安全运维费")
    assert (fact.stage, fact.year, fact.evidence.quote) == (
        "budget_initial",
        2026,
        "库房安全运维费30.5万元",
    )


def test_a_partial_list_is_taken_when_it_adds_up_to_the_stated_amount():
    got = extract(
        "编报绩效目标的项目5个，涉及预算金额90万元。其中：档案数字化加工费60万元，库房安全运维费30万元。"
    )
    assert listed(got) == {"档案数字化加工费": 60.0, "库房安全运维费": 30.0}


def test_a_list_that_neither_counts_nor_adds_up_names_no_project():
    got = extract(
        "编报绩效目标的项目5个，涉及预算金额100万元。其中：档案数字化加工费60万元，库房安全运维费30万元。"
    )
    assert listed(got) == {}
    assert got.projects == []


def test_a_list_of_funds_after_the_count_is_no_list_of_projects():
    got = extract(
        "编报绩效目标的项目共2个，涉及预算金额100万元。其中：一般公共预算拨款60万元，政府性基金40万元。"
    )
    assert listed(got) == {}


def test_a_numbered_list_counted_after_it_becomes_projects_with_their_budget():
    got = extract(
        "八、重点项目预算绩效情况说明",
        "1.档案数字化加工：2026年预算80.00万元，主要用于馆藏档案的数字化。",
        "2.库房安全运维：2026年预算30.50万元，主要用于库房的消防和安防。",
        "上述2个重点项目均已编报绩效目标，涉及项目预算资金110.50万元。",
    )
    assert listed(got) == {"档案数字化加工": 80.0, "库房安全运维": 30.5}
    assert [p.name for p in got.projects] == ["档案数字化加工", "库房安全运维"]
    fact = next(f for f in got.facts if f.scope == "库房安全运维")
    assert fact.evidence.quote == "库房安全运维：2026年预算30.50万元"


def test_numbered_lines_a_count_does_not_look_back_at_name_no_project():
    heading_only = extract(
        "1.档案数字化加工：2026年预算80.00万元，主要用于馆藏档案的数字化。",
        "2.库房安全运维：2026年预算30.50万元，主要用于库房的消防和安防。",
        "本部门编报绩效目标的项目共5个。",
    )
    assert listed(heading_only) == {}
    two_amounts = extract(
        "1.档案数字化加工：2025年执行数60.00万元、2026年预算80.00万元。",
        "2.库房安全运维：2026年预算30.50万元。",
        "上述2个重点项目均已编报绩效目标，涉及项目预算资金110.50万元。",
    )
    assert listed(two_amounts) == {}


def test_a_count_printed_before_its_wording_is_read_with_the_amount_after_it():
    got = extract("上述2个重点项目均已编报绩效目标，涉及项目预算资金110.50万元。")
    read = {f.concept: (f.value, f.evidence.quote) for f in got.facts}
    assert read["perf.target_projects"] == (2.0, "上述2个重点项目均已编报绩效目标")
    assert read["perf.target_funds"][0] == 110.5
    other = extract("上述2个项目均为延续性项目，涉及项目预算资金110.50万元。")
    assert not {f.concept for f in other.facts} & {"perf.target_projects", "perf.target_funds"}
