"""The run summary printed at the end of `jixiao extract`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from jixiao.batch import BatchSummary


def summary_table(summary: BatchSummary) -> Table:
    table = Table(title=f"jixiao extract — backend {summary.backend}", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(summary.documents))
    table.add_row("  processed", str(summary.processed))
    table.add_row("  skipped (already stored)", str(summary.skipped))
    table.add_row("  failed", str(len(summary.failed)))
    table.add_row("facts", str(summary.facts))
    table.add_row("indicator rows", str(summary.indicators))
    for check, count in sorted(summary.flags.items()):
        table.add_row(f"flags: {check}", str(count))
    if summary.calls or summary.tokens_in:
        table.add_row("LLM calls", str(summary.calls))
        table.add_row("tokens in / out", f"{summary.tokens_in} / {summary.tokens_out}")
    table.add_row("seconds (processing)", f"{summary.seconds:.2f}")
    return table


def failures_table(summary: BatchSummary) -> Table:
    table = Table(title="failed documents (the rest of the batch was stored)")
    table.add_column("file")
    table.add_column("reason")
    for path, reason in summary.failed:
        table.add_row(path, reason)
    return table


def print_summary(summary: BatchSummary, console: Console) -> None:
    console.print(summary_table(summary))
    if summary.failed:
        console.print(failures_table(summary))
