"""The verifier's own cost per document: CPU seconds of `verify_record` alone.

Every fixture of the seeds, corpus and generated groups is read and extracted once
(rules backend), then verified five times; the median CPU time (process time, so other
jobs on a shared machine do not inflate it) is reported with the document's size and
facts, beside the document's whole processing time for scale. Writes
benchmarks/results/verify_cost.json.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from jixiao.extract.registry import get_backend
from jixiao.ingest import load
from jixiao.run.document import process_path
from jixiao.verify import verify_record

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "eval" / "fixtures"
RUNS = 5


def fixtures() -> list[Path]:
    """The seeds (000 … 004), corpus and generated fixtures; renderings repeat a seed."""
    return [
        next(p for p in d.iterdir() if p.name.startswith("source"))
        for d in sorted(FIXTURES.iterdir())
        if "-" not in d.name or d.name.startswith(("corpus-", "gen-"))
    ]


def main() -> None:
    backend = get_backend("rules")
    rows = []
    for source in fixtures():
        out = process_path(source, backend)
        doc = load(source)
        cpu = []
        for _ in range(RUNS):
            started = time.process_time()
            verify_record(out.record, doc.text, page_starts=doc.page_starts)
            cpu.append(time.process_time() - started)
        rows.append(
            {
                "fixture": source.parent.name,
                "chars": len(doc.text),
                "facts": len(out.record.facts),
                "verify_cpu_ms_median": round(statistics.median(cpu) * 1000, 1),
                "document_seconds": out.record.run.seconds,
            }
        )
        print(
            f"{rows[-1]['fixture']:26} {rows[-1]['chars']:7} chars {rows[-1]['facts']:5} facts "
            f"verify {rows[-1]['verify_cpu_ms_median']:7.1f} ms CPU "
            f"(document {rows[-1]['document_seconds']:.2f} s)"
        )
    summary = {
        "median_verify_cpu_ms": round(
            statistics.median(r["verify_cpu_ms_median"] for r in rows), 1
        ),
        "max_verify_cpu_ms": max(r["verify_cpu_ms_median"] for r in rows),
        "rows": rows,
    }
    print(f"median {summary['median_verify_cpu_ms']} ms, max {summary['max_verify_cpu_ms']} ms")
    out_path = REPO / "benchmarks" / "results" / "verify_cost.json"
    out_path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
