"""`llm` and `hybrid` over whole documents, replayed from hand-written cassettes.

A 部门预算 (eval/fixtures/gen-docx-4) and a 部门决算 (gen-docx-1), both filled forms the
team wrote, go through `process_document` (segment, extract, verify, record). The
requests are the ones the code sends (recorded against the local stand-in); the answers
were WRITTEN BY HAND (tests/cassettes/documents.py): no model produced them, so these
tests check the plan, the grounding and the contract, never accuracy. Regenerate after a
prompt, schema or request change: ``python tests/cassettes/generate.py``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from jixiao.config import Settings
from jixiao.extract.hybrid import HybridBackend
from jixiao.extract.llm.backend import LLMBackend
from jixiao.extract.rules import RulesBackend
from jixiao.ingest import load
from jixiao.run.document import process_document
from jixiao.segment import segment

sys.path.insert(0, str(Path(__file__).parent / "cassettes"))
from cases import MODE, MODEL
from documents import DOCUMENTS

FIXTURES = Path(__file__).parent.parent / "eval" / "fixtures"
CASSETTES = Path(__file__).parent / "cassettes" / "test_llm_documents"
#: never contacted on replay (vcr answers); the host is not part of the match
REPLAY_URL = "http://127.0.0.1:9/v1"


def document_settings(base_url: str, cache_dir: Path) -> Settings:
    """One request at a time (so a recording pairs each answer with its request)."""
    return Settings(
        base_url=base_url, model=MODEL, mode=MODE, api_key="test", cache_dir=cache_dir,
        http_retries=0, validation_retries=0, concurrency=1,
    )  # fmt: skip


def backend_for(case: dict, settings: Settings) -> LLMBackend | HybridBackend:
    llm = LLMBackend(settings)
    return HybridBackend(llm) if case["backend"] == "hybrid" else llm


def source(case: dict) -> Path:
    return next((FIXTURES / case["fixture"]).glob("source.*"))


@pytest.mark.slow
@pytest.mark.vcr
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_a_whole_document_through_the_backend(name: str, tmp_path: Path) -> None:
    case = DOCUMENTS[name]
    doc = load(source(case))
    record = process_document(doc, backend_for(case, document_settings(REPLAY_URL, tmp_path)))

    assert record.document_kind == case["kind"]
    assert record.run.backend == case["backend"]
    assert record.run.calls == len(case["answers"])
    problems = [g.message for g in record.flags if g.check in ("grounding", "extraction_error")]
    assert not problems
    for fact in record.facts:
        assert doc.text[fact.evidence.start : fact.evidence.end] == fact.evidence.quote

    llm_facts = sorted(
        (f.concept, f.scope, f.year, f.stage, round(f.value, 6), f.unit_decision.basis)
        for f in record.facts
        if f.origin == "llm" and f.unit_decision is not None
    )
    assert llm_facts == sorted(
        (c, s, y, st, round(v, 6), b) for c, s, y, st, v, b in case["expect_facts"]
    )
    if case["backend"] == "llm":
        rows = [(r.scope, r.level3, r.operator, r.target_value, r.unit) for r in record.indicators]
        assert rows == [tuple(r) for r in case["expect_rows"]]
        for row in record.indicators:
            # each row's evidence is its own line: the line prints its target
            at = row.evidence.start
            line = doc.text[doc.text.rfind("\n", 0, at) + 1 :].split("\n", 1)[0]
            assert row.target_text in line.split("\t"), (row.level3, line)

    disagreeing = [
        next(f.concept for f in record.facts if f.id == g.facts[1])
        for g in record.flags
        if g.check == "backend_disagreement"
    ]
    assert disagreeing == case.get("expect_disagreements", [])

    if case["backend"] == "hybrid":
        # every figure the rules read is in the record, as the rules read it
        ruled = RulesBackend().extract(doc, segment(doc))
        rules_facts = [f for f in record.facts if f.origin == "rules"]
        assert len(rules_facts) == len(ruled.facts)
        assert len(record.indicators) == len(ruled.indicators)  # the model read no table
        tabled = [f for f in rules_facts if f.evidence.cell is not None]
        assert tabled and all(f.unit_decision is not None for f in tabled if f.unit != "%")


@pytest.mark.parametrize("name", [n for n in DOCUMENTS if DOCUMENTS[n]["backend"] == "hybrid"])
def test_hybrid_requests_carry_no_statement_table(name: str) -> None:
    """The recorded requests hold the prose the rules left, not the tables they read."""
    case = DOCUMENTS[name]
    doc = load(source(case))
    ruled = RulesBackend().extract(doc, segment(doc))
    read = [t for t in doc.tables if t.index in ruled.statement_tables]
    assert read
    bodies = [
        json.loads(i["request"]["body"])["messages"][1]["content"]
        for i in yaml.safe_load(cassette(name).read_text("utf-8"))["interactions"]
    ]
    assert len(bodies) == len(case["answers"])
    for table in read:
        for row in table.rows:
            line = "\t".join(c.text for c in row)
            if re.search(r"\d", line):
                assert not any(line in body for body in bodies), line


def cassette(name: str) -> Path:
    return CASSETTES / f"test_a_whole_document_through_the_backend[{name}].yaml"


def test_document_cassettes_hold_no_credentials() -> None:
    texts = [cassette(name).read_text(encoding="utf-8") for name in DOCUMENTS]
    assert not any(re.search(r"authorization|api[_-]key|sk-", t, re.I) for t in texts)
