"""Missing reasons: a change from last year in 决算情况说明 must say why (verify/reasons.py)."""

from jixiao.models import Section
from jixiao.verify.wording.reasons import check_missing_reasons as check_view
from verify_support import fact, record, view_of


def check_missing_reasons(rec, text: str):
    return check_view(view_of(text, rec))


def change_record(text: str, quote: str, kind: str = "final_accounts", value: float = -0.52):
    start = text.index(quote)
    f = fact("fa.three_public.total.yoy_change", value, quote=quote, start=start)
    f.text = quote
    f.section = "s1"
    rec = record([f])
    rec.sections = [Section(id="s1", kind=kind, title="三公", start=0, end=len(text))]
    return rec


def flags(text: str, quote: str = "较上年度减少0.52万元", **kw):
    return check_missing_reasons(change_record(text, quote, **kw), text)


def test_a_change_with_no_reason_in_its_sentence_or_the_next_is_flagged() -> None:
    text = "“三公”经费支出0.37万元，较上年度减少0.52万元，下降58.43%。决算数与预算数持平。\n"
    (flag,) = flags(text)
    assert (flag.check, flag.severity) == ("missing_reason", "warning")
    assert "-0.52万元" in flag.message and "未说明变动原因" in flag.message
    assert "without a reason" in (flag.message_en or "")


def test_a_reason_in_the_same_sentence_counts() -> None:
    assert flags("支出较上年度减少0.52万元，主要原因是厉行节约。\n") == []


def test_a_reason_in_the_next_sentence_counts() -> None:
    assert flags("支出较上年度减少0.52万元，下降58%。主要变动原因是疫情影响接待减少。\n") == []
    assert flags("支出较上年度减少0.52万元。由于严格执行预算，接待减少。\n") == []


def test_a_reason_two_sentences_later_does_not_count() -> None:
    text = "支出较上年度减少0.52万元。决算数与预算数持平。主要原因是厉行节约。\n"
    assert len(flags(text)) == 1


def test_only_final_accounts_sections_ask_for_a_reason() -> None:
    text = "支出较上年度减少0.52万元。其他说明。\n"
    assert flags(text, kind="overall_evaluation") == []


def test_a_budget_is_asked_the_reason_of_its_three_public_items_only() -> None:
    def budget_flags(text: str, quote: str, value: float):
        rec = change_record(text, quote, kind="budget_notes", value=value)
        rec.document_kind = "budget"
        return check_missing_reasons(rec, text)

    operating = (
        "2025年机关运行经费预算80.71万元，比2024年预算增加14.32万元，增长21.57%。其他说明。\n"
    )
    assert budget_flags(operating, "增加14.32万元", 14.32) == []
    three = "2025年“三公”经费预算10.00万元，比2024年预算增加2.00万元。其他说明。\n"
    assert [f.check for f in budget_flags(three, "增加2.00万元", 2.0)] == ["missing_reason"]


def test_no_change_needs_no_reason() -> None:
    assert flags("支出较上年度减少0万元。其他说明。\n", quote="较上年度减少0万元", value=0) == []


def test_the_word_for_official_travel_is_not_a_reason() -> None:
    text = "因公出国（境）费较上年度减少0.52万元。其他说明。\n"
    assert len(flags(text)) == 1


def test_a_summary_restating_a_change_explained_later_is_not_flagged() -> None:
    text = (
        "“三公”经费支出0.37万元，较上年度减少0.52万元，下降58.43%。决算数与预算数持平。\n"
        "公务接待费支出决算比上年度减少0.52万元，下降58.43%。主要原因是厉行节约。\n"
    )
    assert flags(text) == []


def test_a_later_sentence_with_other_figures_does_not_explain_the_change() -> None:
    text = (
        "“三公”经费支出0.37万元，较上年度减少0.52万元。决算数与预算数持平。\n"
        "公务接待费支出决算比上年度减少10.52万元。主要原因是厉行节约。\n"
    )
    assert len(flags(text)) == 1


def test_the_same_figures_repeated_without_a_reason_do_not_explain_it() -> None:
    text = (
        "“三公”经费支出较上年度减少0.52万元。决算数与预算数持平。\n"
        "公务接待费支出较上年度减少0.52万元。其中国内接待3批次。\n"
    )
    assert len(flags(text)) == 1


def test_an_explanation_outside_the_final_accounts_sections_does_not_count() -> None:
    body = "“三公”经费支出较上年度减少0.52万元。决算数与预算数持平。\n"
    text = body + "整体评价：支出较上年度减少0.52万元，主要原因是厉行节约。\n"
    rec = change_record(text, "较上年度减少0.52万元")
    rec.sections[0].end = len(body)
    assert len(check_missing_reasons(rec, text)) == 1


def _item_changes(text: str) -> object:
    """The section's “三公” item changes (公务接待费's, 公务用车运行维护费's) of `text`."""
    quotes = [
        ("比上年决算数减少0.50万元", "fa.three_public.vehicle_running.yoy_change", -0.5),
        ("比上年决算数增加0.20万元", "fa.three_public.reception.yoy_change", 0.2),
    ]
    facts = []
    for quote, concept, value in quotes:
        f = fact(concept, value, quote=quote, start=text.index(quote))
        f.text, f.section = quote, "s1"
        facts.append(f)
    rec = record(facts)
    rec.sections = [Section(id="s1", kind="final_accounts", title="三公", start=0, end=len(text))]
    return check_missing_reasons(rec, text)


ITEMS = (
    "公务用车运行维护费支出决算为4.10万元，比上年决算数减少0.50万元，下降10.9%；"
    "公务接待费支出决算为2.63万元，比上年决算数增加0.20万元，增长8.2%。\n"
    "本年度未发生因公出国（境）费支出。\n"
)


def test_a_reason_the_section_gives_for_the_whole_covers_its_items() -> None:
    lead = "“三公”经费支出决算为6.73万元。决算数小于预算数的主要原因是从严控制“三公”经费支出。\n"
    assert _item_changes(lead + ITEMS) == []
    # the item's own name counts too, wherever in the section the reason stands
    after = ITEMS + "公务接待费增加主要是接待批次增加，公务用车运行维护费减少系车辆老化报废所致。\n"
    assert _item_changes(after) == []


def test_a_section_reason_about_another_line_or_none_does_not_cover_the_items() -> None:
    other = "机关运行经费支出决算为40.00万元，主要原因是办公楼维修。\n"
    assert len(_item_changes(other + ITEMS)) == 1
    vague = "本部门严格执行预算。主要原因是厉行节约。\n"
    assert len(_item_changes(vague + ITEMS)) == 1
