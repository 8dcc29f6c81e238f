"""Latency of the review overview, filtered queue and API over a generated store.

    .venv/bin/python benchmarks/review_latency.py --docs 10000 --db /tmp/review-10k.db
    .venv/bin/python benchmarks/review_latency.py --docs 10000 --db postgresql+psycopg://…

Builds the store once (seed 000's rules record copied under other hashes, departments,
years and kinds, with a third of the flags decided) unless it already holds the
documents, then times each URL in-process (FastAPI's TestClient: no network), seven
times, and prints the median wall and CPU milliseconds and the response size.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from fastapi.testclient import TestClient

from jixiao.extract.registry import get_backend
from jixiao.models import DOCUMENT_KINDS
from jixiao.review import create_app
from jixiao.run.document import process_path
from jixiao.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEPARTMENTS = [f"某县第{n}局" for n in range(1, 41)] + [f"某市{n}区财政局" for n in range(1, 11)]

#: what the benchmark asks, as a reviewer of a batch would
URLS = [
    ("overview", "/"),
    ("overview, page 50", "/?page=50"),
    ("overview, check filter", "/?check=sum"),
    ("overview, severity+year", "/?severity=warning&year=2023"),
    ("overview, department sorted", "/?department=第7局&sort=open&desc=1"),
    ("overview, low confidence", "/?max_confidence=0.9"),
    ("api documents, filtered", "/api/documents?check=sum&kind=final_accounts&per_page=100"),
    ("api queue, filtered", "/api/queue?check=sum&severity=error&per_page=100"),
    ("queue start, filtered", "/queue?check=sum&year=2022"),
    ("document queue, filtered", "/doc/{doc}/queue?check=sum"),
]


def build(store: Store, n: int) -> None:
    outcome = process_path(ROOT / "eval" / "fixtures" / "000" / "source.txt", get_backend("rules"))
    base, text = outcome.record, outcome.document.text
    rng = random.Random(7)
    started = time.perf_counter()
    for i in range(n):
        record = base.model_copy(deep=True)
        record.source.sha256 = f"{i:064x}"
        record.source.path = f"generated/{i:05d}.txt"
        record.department.name = DEPARTMENTS[i % len(DEPARTMENTS)]
        record.fiscal_year = 2019 + i % 6
        record.document_kind = DOCUMENT_KINDS[i % len(DOCUMENT_KINDS)]  # type: ignore[assignment]
        for fact in record.facts:
            fact.confidence = 1.0 if rng.random() > 0.05 else 0.8
        for flag in record.flags:
            flag.status = "accepted" if rng.random() < 0.33 else "open"  # type: ignore[assignment]
        store.save_record(record, text)
        if (i + 1) % 1000 == 0:
            print(f"  stored {i + 1} documents ({time.perf_counter() - started:.0f} s)", flush=True)


def clone_postgresql(store: Store, have: int, want: int) -> None:
    """Copy the `have` stored documents and their rows in SQL until there are `want`
    (PostgreSQL only; minutes instead of an hour on a shared machine). Copies get new
    ids, hashes, paths, departments and years; their records stay the originals'."""
    from jixiao.store import tables

    children = ("facts", "indicators", "flags", "projects", "flag_counts")
    with store.engine.begin() as conn:
        for k in range(1, want // have):
            off = have * k
            columns = [c.name for c in tables.documents.columns]
            chosen = {
                "id": f"id + {off}",
                "sha256": f"lpad((id + {off})::text, 64, '0')",
                "path": f"path || '-{k}'",
                "department": f"'某县第' || (mod(id + {off}, 40) + 1) || '局'",
                "fiscal_year": f"2019 + mod(id + {off}, 6)",
            }
            select = ", ".join(chosen.get(c, c) for c in columns)
            conn.exec_driver_sql(
                f"INSERT INTO documents ({', '.join(columns)}) "
                f"SELECT {select} FROM documents WHERE id <= {have}"
            )
            for name in children:
                cols = [c.name for c in tables.metadata.tables[name].columns if c.name != "id"]
                picked = ", ".join(
                    f"document_id + {off}" if c == "document_id" else c for c in cols
                )
                conn.exec_driver_sql(
                    f"INSERT INTO {name} ({', '.join(cols)}) "
                    f"SELECT {picked} FROM {name} WHERE document_id <= {have}"
                )
            print(f"  copied to {off + have} documents", flush=True)
        conn.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('documents', 'id'), "
            "(SELECT max(id) FROM documents))"
        )
        conn.exec_driver_sql("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--copy-from",
        type=int,
        help="PostgreSQL: store this many documents, then copy them in SQL up to --docs",
    )
    args = parser.parse_args()
    store = Store(args.db)
    have = sum(1 for _ in store.iter_documents())
    if args.copy_from and have == args.copy_from:
        clone_postgresql(store, have, args.docs)
    elif have == 0:
        print(f"building {args.copy_from or args.docs} documents in {store.url}")
        build(store, args.copy_from or args.docs)
        if args.copy_from:
            clone_postgresql(store, args.copy_from, args.docs)
    elif have != args.docs:
        raise SystemExit(f"{store.url} holds {have} documents, not {args.docs}: use a new --db")
    client = TestClient(create_app(args.db), base_url="http://127.0.0.1:8765")
    doc = args.docs // 2
    print(f"{'what':32} {'url':60} {'wall ms':>8} {'cpu ms':>7} {'KB':>6}")
    for name, url in URLS:
        url = url.format(doc=doc)
        walls, cpus = [], []
        size = 0
        for _ in range(args.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url, follow_redirects=False)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            assert response.status_code in (200, 303), (url, response.status_code)
            size = len(response.content)
        print(
            f"{name:32} {url:60} {statistics.median(walls):8.1f} "
            f"{statistics.median(cpus):7.1f} {size / 1024:6.1f}"
        )


if __name__ == "__main__":
    main()
