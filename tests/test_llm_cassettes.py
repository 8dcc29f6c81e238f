"""Replayed wire-format fixtures, one per section kind (record mode none, no network).

The cassettes in tests/cassettes/test_llm_cassettes/ are HAND-WRITTEN fixtures: the
requests were recorded from this code path against the local stand-in server, the
answers were written by hand (tests/cassettes/cases.py, generate.py). No real endpoint
produced them, so they prove the wire format and the grounding, never accuracy.

Matching is on method, path and body, so a change to a prompt, a schema or the request
shape fails here until the cassettes are regenerated (``python tests/cassettes/generate.py``)
or re-recorded against a real endpoint:

    JIXIAO_LLM_BASE_URL=… JIXIAO_LLM_MODEL=… JIXIAO_LLM_API_KEY=… \\
        pytest tests/test_llm_cassettes.py --record-mode=rewrite

(the authorization header is filtered out of every cassette).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

from jixiao.config import Settings, load_settings
from jixiao.document import Document, RawCell, RawParagraph, RawTable, RawText
from jixiao.extract import Extraction
from jixiao.extract.llm.backend import LLMBackend
from jixiao.ingest import load_bytes
from jixiao.ingest.build import build_document
from jixiao.models import Section
from jixiao.segment import segment

sys.path.insert(0, str(Path(__file__).parent / "cassettes"))
from cases import CASES, MODE, MODEL

SECRET_HEADERS = ["authorization", "api-key", "x-api-key", "openai-organization", "cookie"]
#: never contacted on replay (vcr answers); the host is not part of the match
REPLAY_URL = "http://127.0.0.1:9/v1"


def cassette_settings(base_url: str, cache_dir: Path) -> Settings:
    """The cassette's settings, or the environment's when re-recording against an endpoint."""
    fixed = {"http_retries": 0, "validation_retries": 0, "cache_dir": cache_dir}
    if os.environ.get("JIXIAO_LLM_BASE_URL") and os.environ.get("JIXIAO_LLM_MODEL"):
        return load_settings(fixed)
    return Settings(base_url=base_url, model=MODEL, mode=MODE, api_key="test", **fixed)


def blocks_document(blocks: list) -> Document:
    """Paragraphs (strings) and tables (lists of rows), built as ingestion builds them."""
    raw = [
        RawTable([[RawCell(RawText(c)) for c in row] for row in block])
        if isinstance(block, list)
        else RawParagraph(RawText(block))
        for block in blocks
    ]
    return build_document(raw, path="case.docx", sha256="0" * 64, format="docx")


def run_case(case: dict, settings: Settings) -> tuple[Extraction, str]:
    if "blocks" in case:
        doc = blocks_document(case["blocks"])
        return LLMBackend(settings).extract(doc, segment(doc)), doc.text
    doc = load_bytes(case["text"].encode("utf-8"), name=f"{case['kind']}.txt")
    section = Section(
        id="s1",
        kind=case["kind"],
        title=case["text"].split("\n", 1)[0][:20],
        start=0,
        end=len(doc.text),
        project=case.get("project"),
    )
    return LLMBackend(settings).extract(doc, [section]), doc.text


@pytest.mark.vcr
@pytest.mark.parametrize("name", list(CASES))
def test_replayed_answer_is_grounded(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    extraction, text = run_case(case, cassette_settings(REPLAY_URL, tmp_path))
    assert not [g.message for g in extraction.flags]
    assert extraction.run.calls == 1
    for fact in extraction.facts:
        assert text[fact.evidence.start : fact.evidence.end] == fact.evidence.quote
    got = {f.concept: f.value for f in extraction.facts}
    for concept, value in case.get("expect", {}).items():
        assert got.get(concept) == pytest.approx(value), concept
    if "expect" in case:
        assert len(got) == len(case["expect"])

    if "expect_facts" in case:
        got_facts = [
            (f.concept, f.scope, f.year, f.stage, f.value, f.unit_decision.basis)
            for f in extraction.facts
            if f.unit_decision is not None
        ]
        assert len(got_facts) == len(extraction.facts) == len(case["expect_facts"])
        for expected in case["expect_facts"]:
            assert any(
                g[:4] == expected[:4] and g[4] == pytest.approx(expected[4]) and g[5] == expected[5]
                for g in got_facts
            ), expected
    for part, value in case.get("expect_department", {}).items():
        assert getattr(extraction.department, part) == value, part
    rows = [(r.level3, r.operator, r.target_value) for r in extraction.indicators]
    assert rows == case.get("expect_rows", [])
    for row in extraction.indicators:
        assert text[row.evidence.start : row.evidence.end] == row.level3
        assert row.scope == case.get("project", "department")


def test_the_budget_request_names_its_kind_stages_and_asks_no_kind() -> None:
    """The kind its title decided and the stages its wordings name go to the model."""
    folder = Path(__file__).parent / "cassettes" / "test_llm_cassettes"
    text = (folder / "test_replayed_answer_is_grounded[budget_stages].yaml").read_text("utf-8")
    body = yaml.safe_load(text)["interactions"][0]["request"]["body"]
    user = json.loads(body)["messages"][1]["content"]
    assert user.startswith(f"<kind>{CASES['budget_stages']['expect_kind']}</kind>\n<stages>")
    assert "budget_initial 年初预算" in user and "final 决算" in user
    assert "<kinds>" not in user


def test_cassettes_hold_no_credentials() -> None:
    folder = Path(__file__).parent / "cassettes" / "test_llm_cassettes"
    texts = [p.read_text(encoding="utf-8") for p in folder.glob("*.yaml")]
    assert len(texts) == len(CASES)
    assert not any(re.search(r"authorization|api[_-]key|sk-", t, re.I) for t in texts)
