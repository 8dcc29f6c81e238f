"""What `llm` and `hybrid` would send for each eval fixture: requests, document text, table text.

No endpoint is contacted: each fixture is loaded and segmented, the rules run (for
`hybrid`) and both backends plan their requests, exactly as `jixiao extract` would. The
figures are counts of what goes out (requests, characters of the document, characters of
statement/indicator tables among them, approximate input tokens of the messages), per
fixture group; they say nothing about any model's answers.

    .venv/bin/python benchmarks/llm_requests.py                       # every fixture
    .venv/bin/python benchmarks/llm_requests.py --groups generated corpus
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import FIXTURES, count_tokens, machine, print_table, write_json

from jixiao.config import Settings
from jixiao.extract.hybrid import HybridBackend
from jixiao.extract.llm.backend import LLMBackend
from jixiao.extract.llm.client import CallRequest
from jixiao.ingest import load
from jixiao.segment import segment


def group_of(gold: dict) -> str:
    return gold.get("group") or ("renderings" if gold.get("same_as") else "seeds")


def sent(requests: list[CallRequest]) -> dict[str, int]:
    """Requests, document characters, table characters and message tokens of a plan."""
    return {
        "requests": len(requests),
        "chars": sum(len(r.chunk.text) for r in requests),
        "table_chars": sum(
            e - s
            for r in requests
            for (s, e), table in zip(r.chunk.pieces, r.chunk.tables, strict=True)
            if table is not None
        ),
        "tokens": sum(count_tokens(m["content"]) for r in requests for m in r.messages),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--groups", nargs="*", help="fixture groups (default: all)")
    args = parser.parse_args()
    settings = Settings(
        base_url="http://127.0.0.1:9/v1", model="m", api_key="unused",
        cache_dir=Path(tempfile.mkdtemp()),
    )  # fmt: skip
    llm = LLMBackend(settings)
    hybrid = HybridBackend(llm)
    per_fixture: dict[str, dict] = {}
    totals: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: {"llm": defaultdict(int), "hybrid": defaultdict(int)}
    )
    for folder in sorted(p for p in FIXTURES.iterdir() if (p / "gold.json").is_file()):
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        group = group_of(gold)
        if args.groups and group not in args.groups:
            continue
        source = next(folder.glob("source.*"))
        doc = load(source)
        sections = segment(doc)
        row = {
            "group": group,
            "kind": sections.document_kind,
            "document_chars": len(doc.text),
            "llm": sent(llm.prepare(doc, sections).requests),
            "hybrid": sent(hybrid.prepare(doc, sections).requests),
        }
        per_fixture[folder.name] = row
        for backend in ("llm", "hybrid"):
            for key, value in row[backend].items():
                totals[group][backend][key] += value
    headers = ["group", "backend", "requests", "document chars", "of it tables", "tokens in"]
    rows = [
        [group, backend, *(totals[group][backend][k] for k in ("requests", "chars", "table_chars", "tokens"))]
        for group in sorted(totals)
        for backend in ("llm", "hybrid")
    ]  # fmt: skip
    table = print_table(headers, rows)
    write_json(
        "llm_requests",
        {
            "machine": machine(),
            "totals": {g: {b: dict(v) for b, v in t.items()} for g, t in totals.items()},
            "fixtures": per_fixture,
            "table": table,
        },
    )


if __name__ == "__main__":
    main()
