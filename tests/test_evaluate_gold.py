"""Gold files: sharing a seed's gold, subsets, and the slips a labeller can make."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from evaluate_helpers import fact, record_from_gold
from jixiao.evaluate import find_fixtures, load_gold, score_document
from jixiao.evaluate.gold import GoldError

FIXTURES = Path(__file__).resolve().parent.parent / "eval" / "fixtures"
LABELLED = sorted(p.parent.name for p in FIXTURES.glob("*/gold.json"))


def _source(fixture_id: str) -> Path:
    return next(FIXTURES.joinpath(fixture_id).glob("source.*"))


def _scanned(fixture_id: str) -> bool:
    """A source read by OCR: an image, or a PDF whose first page has no text layer."""
    source = _source(fixture_id)
    if source.suffix in (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"):
        return True
    if source.suffix != ".pdf":
        return False
    import pdfplumber

    with pdfplumber.open(source) as pdf:
        return not pdf.pages[0].chars


#: the labelled fixtures, those read from PDF, Word or spreadsheets marked slow: parsing
#: the corpus PDFs takes seconds each, too long for the fast loop (.ci/run runs them).
#: Quotes are verbatim in the text a source reads to; an OCR'd rendering shares its
#: seed's gold but not character for character (a misread mark costs its fact in the
#: eval), so scans are left out.
LABELLED_SOURCES = [
    i if _source(i).suffix == ".txt" else pytest.param(i, marks=pytest.mark.slow)
    for i in LABELLED
    if not _scanned(i)
]


@cache
def _source_text(fixture_id: str) -> str:
    """A fixture's normalised text, read once for both quote tests."""
    from jixiao.ingest import load

    return load(_source(fixture_id)).text


def write(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


SEED = {
    "department": {"name": "某区信访局", "level": "county"},
    "fiscal_year": 2022,
    "facts": [{"concept": "fa.revenue_total", "scope": "department", "year": 2022, "value": 50.5}],
    "indicators": [
        {
            "scope": "接访经费",
            "table": "self_eval",
            "level3": "群众满意度",
            "target_text": "≥90%",
            "target_value": 90,
            "operator": "≥",
        }
    ],
}


def test_a_rendering_shares_the_seed_gold_and_scores_only_what_it_declares(tmp_path):
    write(tmp_path / "100" / "gold.json", SEED)
    path = write(tmp_path / "100-pdf" / "gold.json", {"same_as": "100", "only": ["indicators"]})
    gold = load_gold(path)
    assert gold.fiscal_year == 2022 and len(gold.indicators) == 1
    assert gold.scores("indicators") and not gold.scores("facts")


def test_only_may_restrict_facts_to_concept_patterns(tmp_path):
    path = write(tmp_path / "100" / "gold.json", {**SEED, "only": ["facts:budget.*"]})
    gold = load_gold(path)
    assert gold.fact_scored("budget.initial") and not gold.fact_scored("fa.revenue_total")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**SEED, "facts": SEED["facts"] * 2}, "listed twice"),
        ({**SEED, "only": ["tables"]}, "not one of"),
        ({"same_as": "999"}, "does not exist"),
        ({**SEED, "facts": [{"concept": "fa.total", "value": 1}]}, "GUIDE"),
        ({**SEED, "document_kind": "annual_report"}, "document_kind"),
    ],
)
def test_a_gold_with_a_labelling_slip_is_refused_with_the_reason(tmp_path, data, message):
    path = write(tmp_path / "100" / "gold.json", data)
    with pytest.raises(GoldError, match=message):
        load_gold(path)


def test_a_gold_may_name_the_document_kind(tmp_path):
    path = write(tmp_path / "100" / "gold.json", {**SEED, "document_kind": "final_accounts"})
    assert load_gold(path).document_kind == "final_accounts"


def test_a_same_as_loop_is_refused(tmp_path):
    write(tmp_path / "a" / "gold.json", {"same_as": "b"})
    path = write(tmp_path / "b" / "gold.json", {"same_as": "a"})
    with pytest.raises(GoldError, match="loops"):
        load_gold(path)


def test_fixtures_without_gold_are_found_but_unlabelled(tmp_path):
    (tmp_path / "200").mkdir()
    (tmp_path / "200" / "source.txt").write_text("x", encoding="utf-8")
    write(tmp_path / "100" / "gold.json", SEED)
    (tmp_path / "100" / "source.docx").write_bytes(b"PK")
    fixtures = find_fixtures(tmp_path)
    assert [(f.id, f.source.name, f.gold is not None) for f in fixtures] == [
        ("100", "source.docx", True),
        ("200", "source.txt", False),
    ]


def test_the_seed_golds_are_labelled():
    assert {"000", "002"} <= set(LABELLED)


@pytest.mark.parametrize("fixture_id", LABELLED)
def test_a_record_equal_to_the_gold_scores_perfectly(fixture_id):
    gold = load_gold(FIXTURES / fixture_id / "gold.json")
    score = score_document(fixture_id, gold, record_from_gold(gold))
    assert (score.total.fp, score.total.fn) == (0, 0)
    assert score.flags.detected == score.flags.gold


@pytest.mark.parametrize("fixture_id", LABELLED_SOURCES)
def test_the_gold_quotes_occur_in_the_source(fixture_id):
    """A quote that is not in the source was typed, not read: the labelling rule is verbatim
    (quotes are copied from the normalised text, whatever the source format)."""
    gold = load_gold(FIXTURES / fixture_id / "gold.json")
    text = _source_text(fixture_id)
    missing = [f.quote for f in gold.facts if f.quote and f.quote not in text]
    assert missing == []


def test_one_wrong_fact_in_a_seed_costs_exactly_one_fp_and_one_fn():
    gold = load_gold(FIXTURES / "000" / "gold.json")
    perfect = record_from_gold(gold)
    broken = perfect.model_copy(deep=True)
    broken.facts = [f for f in broken.facts if f.concept != "fa.expenditure_total"]
    broken.facts.append(fact("fa.expenditure_total", 210.24))
    score = score_document("000", gold, broken)
    assert (score.total.tp, score.total.fp, score.total.fn) == (
        score_document("000", gold, perfect).total.tp - 1,
        1,
        1,
    )


def test_a_fixture_saved_from_the_review_ui_loads(tmp_path):
    from jixiao.review.fixtures import record_to_gold

    gold = load_gold(FIXTURES / "002" / "gold.json")
    path = write(tmp_path / "r1" / "gold.json", record_to_gold(record_from_gold(gold)))
    reviewed = load_gold(path)
    assert reviewed.reviewed is True
    assert len(reviewed.indicators) == len(gold.indicators)


# ---------------------------------------------------------------- groups, stages, findings


def test_a_fixture_is_a_seed_by_default_and_a_rendering_when_it_shares_a_gold(tmp_path):
    seed = write(tmp_path / "100" / "gold.json", SEED)
    rendering = write(tmp_path / "100-pdf" / "gold.json", {"same_as": "100"})
    assert load_gold(seed).group == "seeds"
    assert load_gold(rendering).group == "renderings"


def test_a_fixture_group_is_its_own_and_never_inherited(tmp_path):
    write(tmp_path / "gen-ruled-1" / "gold.json", {**SEED, "group": "generated"})
    docx = write(tmp_path / "gen-docx-1" / "gold.json", {"same_as": "gen-ruled-1"})
    named = write(
        tmp_path / "gen-docx-2" / "gold.json", {"same_as": "gen-ruled-1", "group": "generated"}
    )
    assert load_gold(docx).group == "renderings"
    assert load_gold(named).group == "generated"


def test_a_corpus_gold_carries_its_provenance_and_an_unknown_group_is_refused(tmp_path):
    corpus = {**SEED, "group": "corpus", "provenance": "上海市某区财政局网站公开的2024年部门预算"}
    assert load_gold(write(tmp_path / "corpus-a" / "gold.json", corpus)).group == "corpus"
    with pytest.raises(GoldError, match="GUIDE"):
        load_gold(write(tmp_path / "x" / "gold.json", {**SEED, "group": "scans"}))


def test_one_figure_at_two_stages_is_two_gold_facts_but_twice_at_one_stage_is_a_slip(tmp_path):
    budget = {"concept": "fa.total", "year": 2025, "value": 10.0, "stage": "budget_initial"}
    final = {**budget, "stage": "final", "value": 9.0}
    gold = load_gold(write(tmp_path / "a" / "gold.json", {**SEED, "facts": [budget, final]}))
    assert [f.stage for f in gold.facts] == ["budget_initial", "final"]
    with pytest.raises(GoldError, match="listed twice"):
        load_gold(write(tmp_path / "b" / "gold.json", {**SEED, "facts": [budget, budget]}))
    with pytest.raises(GoldError, match="GUIDE"):
        load_gold(
            write(tmp_path / "c" / "gold.json", {**SEED, "facts": [{**budget, "stage": "x"}]})
        )


def test_a_gold_flag_may_say_where_the_problem_is(tmp_path):
    finding = {"check": "unfilled_template", "quote": "主要原因是。", "page": 7, "note": "空原因"}
    gold = load_gold(write(tmp_path / "a" / "gold.json", {**SEED, "flags": [finding]}))
    assert (gold.flags[0].quote, gold.flags[0].page) == ("主要原因是。", 7)


@pytest.mark.parametrize("fixture_id", LABELLED_SOURCES)
def test_the_gold_flag_quotes_occur_in_the_source(fixture_id):
    gold = load_gold(FIXTURES / fixture_id / "gold.json")
    quotes = [f.quote for f in gold.flags if f.quote]
    if quotes:
        text = _source_text(fixture_id)
        assert [q for q in quotes if q not in text] == []
