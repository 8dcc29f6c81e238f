"""The `jixiao` command line: parse arguments, call the library, print with rich.

Heavy modules (pdfplumber, SQLAlchemy, openai, FastAPI) are imported inside the
commands that need them, so `jixiao --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from jixiao.errors import JixiaoError
from jixiao.run.limits import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, DEFAULT_SECONDS_PER_OCR_PAGE

app = typer.Typer(
    name="jixiao",
    help="Turn Chinese budget-performance disclosures into verified, structured data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)
out = Console()

DbOption = Annotated[
    str,
    typer.Option("--db", help="SQLite file or SQLAlchemy URL of the store.", envvar="JIXIAO_DB"),
]


def _fail(message: str, code: int = 2) -> None:
    console.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or globs to structure.")],
    backend: Annotated[str, typer.Option(help="auto | rules | llm | hybrid")] = "auto",
    db: DbOption = "jixiao.db",
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Write every record as JSONL.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Redo documents already stored.")] = False,
    concurrency: Annotated[int | None, typer.Option(help="Concurrent LLM calls.")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Processes for ingestion, extraction and verification (default: 1 with "
            "rules; with llm/hybrid one per core but one, at most 4).",
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Bypass the LLM response cache.")
    ] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
    timeout: Annotated[
        float,
        typer.Option(
            min=0,
            help="Seconds one document may take; past it the document fails with a "
            "`timeout` reason and the batch goes on (0: no limit).",
        ),
    ] = DEFAULT_SECONDS,
    timeout_per_ocr_page: Annotated[
        float,
        typer.Option(
            "--timeout-per-ocr-page",
            min=0,
            help="Seconds added to --timeout for each page of a document that needs OCR "
            "(a scanned page takes seconds to read, a text page milliseconds).",
        ),
    ] = DEFAULT_SECONDS_PER_OCR_PAGE,
    max_memory: Annotated[
        int,
        typer.Option(
            "--max-memory",
            min=0,
            help="MiB of memory one document may add; past it the document fails with a "
            "`memory` reason (0: no limit).",
        ),
    ] = DEFAULT_MEMORY_MB,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log",
            help="File that library warnings go to, instead of the terminal (default: "
            "beside the store, jixiao.db → jixiao.log).",
            envvar="JIXIAO_LOG",
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            help="Where documents run: local (this machine) or ray (a Ray cluster; "
            "needs pip install 'jixiao[ray]').",
        ),
    ] = "local",
    ray_address: Annotated[
        str,
        typer.Option(
            "--ray-address",
            help="With --engine ray: auto (the running cluster), HOST:PORT, "
            "ray://HOST:10001, or local (a cluster of --workers CPUs on this machine).",
            envvar="JIXIAO_RAY_ADDRESS",
        ),
    ] = "auto",
) -> None:
    """Structure files or folders; resumes by content hash; reports failures and goes on."""
    from jixiao.run.batch import BatchOptions, run_batch
    from jixiao.run.summary import print_summary

    options = BatchOptions(
        backend=backend,
        db=db,
        out=out_path,
        force=force,
        concurrency=concurrency,
        workers=workers,
        no_cache=no_cache,
        progress=not quiet,
        timeout=timeout or None,
        timeout_per_ocr_page=timeout_per_ocr_page,
        max_memory_mb=max_memory or None,
        log_file=log,
        engine=engine,
        ray_address=ray_address,
    )
    from jixiao.run.logs import log_path_for, log_size

    log = log or log_path_for(db)
    logged = log_size(log)
    try:
        summary = run_batch(paths, options, console=console)
    except JixiaoError as exc:
        _fail(str(exc))
    print_summary(summary, out)
    if log_size(log) > logged:
        console.print(f"library warnings were written to {escape(str(log))}")
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def inspect(
    file: Annotated[Path, typer.Argument(help="One document.")],
    tables: Annotated[bool, typer.Option(help="Show the parsed tables.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Sections and tables as JSON.")] = False,
    facts: Annotated[
        bool, typer.Option(help="Show what the rules read: stage and unit decision of each figure.")
    ] = True,
) -> None:
    """Show the document's kind, its sections, the parsed tables and the figures read
    from them with their stage and unit decision (for debugging a template)."""
    from jixiao.inspection import inspect_document

    try:
        inspect_document(file, out, show_tables=tables, as_json=as_json, show_facts=facts)
    except JixiaoError as exc:
        _fail(f"{file}: {exc}")


@app.command()
def verify(db: DbOption = "jixiao.db") -> None:
    """Re-run the checks on stored records (e.g. after corrections)."""
    from jixiao.run.verify_stored import verify_stored
    from jixiao.store import Store

    try:
        counts = verify_stored(Store(db))
    except JixiaoError as exc:
        _fail(str(exc))
    from rich.table import Table
    from rich.text import Text

    table = Table(title="flags after re-verification")
    table.add_column("check")
    table.add_column("flags", justify="right")
    for check, n in sorted(counts.items()):
        table.add_row(Text(str(check)), str(n))
    out.print(table)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="jsonl | csv | parquet | xlsx")] = "csv",
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the tables to.")] = Path(
        "export"
    ),
    db: DbOption = "jixiao.db",
    audit: Annotated[bool, typer.Option(help="Include the review audit trail.")] = False,
    raw: Annotated[bool, typer.Option(help="Ignore review decisions.")] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
) -> None:
    """Write corrected data out, one table per record kind (streamed: any batch size)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from jixiao.export import export_store
    from jixiao.store import Store

    if fmt not in ("jsonl", "csv", "parquet", "xlsx"):
        _fail(f"unknown format {fmt!r}: choose jsonl, csv, parquet or xlsx")
    bar = Progress(
        f"exporting {fmt}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=True,
    )
    task = bar.add_task("documents", total=None)

    def advance(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    try:
        with bar:
            written = export_store(
                Store(db),
                fmt,
                out_dir,
                apply_decisions=not raw,
                include_audit=audit,
                progress=advance,
            )
    except JixiaoError as exc:
        _fail(str(exc))
    for path in written:
        out.print(str(path), markup=False, highlight=False)


@app.command()
def review(
    db: DbOption = "jixiao.db",
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    token: Annotated[
        str | None,
        typer.Option(help="Require this token (one shared login).", envvar="JIXIAO_REVIEW_TOKEN"),
    ] = None,
    users: Annotated[
        Path | None,
        typer.Option(
            help="Reviewer accounts (from `jixiao users add`): each signs in with "
            "their own token and decisions carry their name.",
            envvar="JIXIAO_REVIEW_USERS",
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option(help="Interface language: zh (default) or en.")
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(help="Another host name reviewers reach this server by (repeatable)."),
    ] = None,
    sources: Annotated[
        Path | None,
        typer.Option(
            help="Folder holding the source files, if they moved since extraction "
            "(for page images)."
        ),
    ] = None,
) -> None:
    """Start the review web UI (loopback by default)."""
    try:
        from jixiao.review import serve
    except ImportError as exc:  # the review UI is optional at import time
        _fail(f"the review UI is not available: {exc}")
    if lang not in (None, "zh", "en"):
        _fail(f"unknown language {lang!r}: choose zh or en")
    try:
        serve(
            db=db,
            host=host,
            port=port,
            token=token,
            users_file=users,
            lang=lang,
            allowed_hosts=tuple(allowed_host or ()),
            sources=sources,
            echo=lambda message: out.print(message, markup=False, highlight=False),
        )
    except JixiaoError as exc:
        _fail(str(exc))


users_app = typer.Typer(help="Reviewer accounts for `jixiao review --users FILE`.")
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The reviewer's name, as decisions will show it.")],
    file: Annotated[Path, typer.Option("--file", help="The users file.")] = Path("reviewers.json"),
) -> None:
    """Add a reviewer (or give them a new token); prints the token once."""
    from jixiao.review.users import add_user

    try:
        token = add_user(file, name)
    except JixiaoError as exc:
        _fail(str(exc))
    out.print(f"{name}: {token}")
    console.print(
        f"stored only its hash in {file}; give the token to {name} (it is not shown again)"
    )


@app.command(name="eval")
def eval_command(
    backend: Annotated[
        str | None,
        typer.Option(
            help="rules | llm | hybrid (default rules; with --db: the backend the records "
            "were stored under, needed only when a document is stored under several)."
        ),
    ] = None,
    gold: Annotated[
        Path | None,
        typer.Option(
            "--gold",
            "--fixtures",
            help="Folder of fixtures (<id>/source.* + gold.json); default: eval/fixtures of "
            "this folder, a folder above it, or the jixiao project.",
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Score the records of this store (SQLite file or SQLAlchemy URL)."
        ),
    ] = None,
    group: Annotated[
        list[str] | None,
        typer.Option(help="Only these fixture groups: seeds, corpus, generated, renderings."),
    ] = None,
    compare: Annotated[str | None, typer.Option(help="An earlier run (id or JSON path).")] = None,
    report: Annotated[Path | None, typer.Option(help="Write an HTML or Markdown report.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a machine summary.")] = False,
) -> None:
    """Score a backend (or a store's records) against hand-labelled fixtures, per group."""
    from jixiao.evaluate import locate_fixtures, render_tables, run_eval

    try:
        fixtures = locate_fixtures(gold)
        result = run_eval(
            fixtures, backend, compare=compare, report=report, db=db, groups=group or None
        )
    except JixiaoError as exc:
        _fail(str(exc))
    if as_json:
        out.print_json(json.dumps(result.to_summary(), ensure_ascii=False))
        return
    for table in render_tables(result):
        out.print(table)


@app.command()
def schema(
    write: Annotated[bool, typer.Option(help="Rewrite schemas/record.schema.json.")] = False,
) -> None:
    """Print the JSON Schema of the output record."""
    from jixiao.record_schema import record_schema_json, write_schema

    if write:
        path = write_schema()
        console.print(f"wrote {escape(str(path))}")
        return
    sys.stdout.write(record_schema_json())


def main() -> None:  # pragma: no cover - console entry point
    app()
