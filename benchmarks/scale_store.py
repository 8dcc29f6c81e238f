"""Build a store of N documents cheaply: copies of the fixtures' records, with small changes.

Extraction is not what the scale benchmark measures, so the fixtures are processed once
and their records copied into the store through the store API (`Store.save_record`),
each copy a distinct document: its own content hash and path, one of a few hundred
departments, a fiscal year among five, values nudged by a per-copy factor, some flags
already reviewed, a review decision on some documents and a failure every hundred.

    .venv/bin/python benchmarks/scale_store.py --docs 1000 --db /tmp/scale-1k.db
    .venv/bin/python benchmarks/scale_store.py --docs 10000 --db postgresql+psycopg://…
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import FIXTURES

from jixiao.models import Record

#: department names the copies are spread over (district × bureau)
DISTRICTS = ("东城区", "西湖区", "南山区", "北塘区", "中原区", "江岸区", "河西区", "青山区")
BUREAUS = (
    "信访局",
    "财政局",
    "教育局",
    "卫生健康委员会",
    "民政局",
    "司法局",
    "农业农村局",
    "水务局",
    "文化旅游局",
    "市场监督管理局",
    "住房和城乡建设局",
    "生态环境局",
    "交通运输局",
    "应急管理局",
    "退役军人事务局",
    "审计局",
    "统计局",
    "医疗保障局",
    "人力资源和社会保障局",
    "规划和自然资源局",
    "体育局",
    "档案馆",
    "机关事务管理局",
    "科学技术局",
    "商务委员会",
)
#: one document in this many is stored as a failure
FAILURE_EVERY = 100
#: one document in this many gets a review decision (a correction of its first fact)
DECISION_EVERY = 20


def fixture_records() -> list[tuple[Record, str]]:
    """Every fixture processed once by the rules backend: (record, normalised text)."""
    from jixiao.extract.registry import get_backend
    from jixiao.run.document import process_path

    backend = get_backend("rules")
    out = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        source = next(iter(sorted(folder.glob("source.*"))), None)
        if source is None:
            continue
        outcome = process_path(source, backend)
        if outcome.ok and outcome.document is not None:
            out.append((outcome.record, outcome.document.text))
    return out


def variants(
    bases: list[tuple[Record, str]], n: int, start: int = 0
) -> Iterator[tuple[int, Record, str]]:
    """`n` distinct documents made from `bases` in turn."""
    for i in range(start, start + n):
        base, text = bases[i % len(bases)]
        record = base.model_copy(deep=True)
        sha = hashlib.sha256(f"{base.source.sha256}:{i}".encode()).hexdigest()
        department = DISTRICTS[i % len(DISTRICTS)] + BUREAUS[(i // 7) % len(BUREAUS)]
        record.source.sha256 = sha
        record.source.path = f"batch/{i // 1000:02d}/{i:06d}-{Path(base.source.path).name}"
        record.department.name = department
        record.fiscal_year = (base.fiscal_year or 2023) - (i % 5)
        factor = 1 + (i % 13) / 1000
        for fact in record.facts:
            if fact.unit == "万元":
                fact.value = round(fact.value * factor, 4)
            if fact.year is not None:
                fact.year -= i % 5
        for k, flag in enumerate(record.flags):
            if (i + k) % 4 == 0:
                flag.status = "accepted"
        yield i, record, text


def build(
    db: str, n: int, *, bases: list[tuple[Record, str]] | None = None, quiet: bool = False
) -> dict:
    """Fill `db` up to `n` documents (copies of `bases`, default: the fixtures' records);
    returns what was written and how long it took."""
    from jixiao.store import Store
    from jixiao.store.stream import count_documents

    started = time.perf_counter()
    store = Store(db)
    existing = count_documents(store)
    if existing < n:  # a full store is reused without processing the fixtures
        bases = bases or fixture_records()
    prepared = time.perf_counter() - started
    written = failures = decisions = 0
    started = time.perf_counter()
    for i, record, text in variants(bases or [], max(0, n - existing), start=existing):
        if i % FAILURE_EVERY == FAILURE_EVERY - 1:
            store.save_failure(
                path=record.source.path,
                sha256=record.source.sha256,
                backend="rules",
                reason="encrypted_pdf: the PDF is encrypted; save an unprotected copy",
            )
            failures += 1
            continue
        doc_id = store.save_record(record, text)
        written += 1
        if i % DECISION_EVERY == 0 and record.facts:
            first = record.facts[0]
            store.add_decision(
                doc_id,
                target_kind="fact",
                target_id=first.id,
                action="correct",
                old_value=first.value,
                new_value=round(first.value + 1, 2),
                reviewer="审核员甲",
                comment="核对原表",
            )
            decisions += 1
        if not quiet and (written + failures) % 1000 == 0:
            rate = (written + failures) / (time.perf_counter() - started)
            print(f"  {existing + written + failures} documents ({rate:.0f}/s)", flush=True)
    store.close()
    return {
        "documents": existing + written + failures,
        "added": written + failures,
        "failures": failures,
        "decisions": decisions,
        "fixtures_processed_seconds": round(prepared, 2),
        "insert_seconds": round(time.perf_counter() - started, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, required=True, help="documents the store should hold")
    parser.add_argument("--db", required=True, help="SQLite file or SQLAlchemy URL")
    args = parser.parse_args()
    print(build(args.db, args.docs))


if __name__ == "__main__":
    main()
