"""What a batch did: the counts it keeps while running, and the tables printed at the end.

Every string that comes from a user or a document (file names, failure reasons,
check names) is printed as plain `Text`, never parsed as rich markup: a file named
``d[/b].pdf`` once crashed the summary with a `MarkupError` after a whole batch.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from jixiao.run.outcome import Done


@dataclass
class BatchSummary:
    backend: str = "rules"
    backend_reason: str = ""
    documents: int = 0
    processed: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    facts: int = 0
    indicators: int = 0
    flags: Counter[str] = field(default_factory=Counter)
    tokens_in: int = 0
    tokens_out: int = 0
    calls: int = 0
    seconds: float = 0.0
    #: (path, what was not carried) per re-extracted document that lost review work
    not_carried: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    #: LLM usage of attempts whose document was lost and run again (no record holds it)
    lost_calls: int = 0
    lost_tokens_in: int = 0
    lost_tokens_out: int = 0

    def add(self, done: Done) -> None:
        """Count one document, processed (by any engine) or skipped as already stored."""
        self.documents += 1
        if done.error:
            self.failed.append((done.path, done.error))
            return
        if done.skipped:
            self.skipped += 1
        else:
            self.processed += 1
            self.tokens_in += done.tokens_in
            self.tokens_out += done.tokens_out
            self.calls += done.calls
            self.seconds += done.seconds
        self.facts += done.facts
        self.indicators += done.indicators
        self.flags.update(done.checks)
        if done.review_not_carried:
            self.not_carried.append((done.path, done.review_not_carried))

    def add_spent(self, calls: int, tokens_in: int, tokens_out: int) -> None:
        """What the endpoint answered in all (`run.engine.CountsSpending`): the part no
        processed document's record counts was spent on lost attempts."""
        self.lost_calls = max(0, calls - self.calls)
        self.lost_tokens_in = max(0, tokens_in - self.tokens_in)
        self.lost_tokens_out = max(0, tokens_out - self.tokens_out)

    def as_dict(self) -> dict[str, Any]:
        lost_usage = {
            "lost_calls": self.lost_calls,
            "lost_tokens_in": self.lost_tokens_in,
            "lost_tokens_out": self.lost_tokens_out,
        }
        return {
            "backend": self.backend,
            "documents": self.documents,
            "processed": self.processed,
            "skipped": self.skipped,
            "failed": len(self.failed),
            "facts": self.facts,
            "indicators": self.indicators,
            "flags": dict(self.flags),
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "calls": self.calls,
            "review_not_carried": sum(len(lost) for _, lost in self.not_carried),
            **(lost_usage if self.lost_calls or self.lost_tokens_in else {}),
        }


def summary_table(summary: BatchSummary) -> Table:
    table = Table(title=Text(f"jixiao extract — backend {summary.backend}"), show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(summary.documents))
    table.add_row("  processed", str(summary.processed))
    table.add_row("  skipped (already stored)", str(summary.skipped))
    table.add_row("  failed", str(len(summary.failed)))
    table.add_row("facts", str(summary.facts))
    table.add_row("indicator rows", str(summary.indicators))
    for check, count in sorted(summary.flags.items()):
        table.add_row(Text(f"flags: {check}"), str(count))
    if summary.calls or summary.tokens_in:
        table.add_row("LLM calls", str(summary.calls))
        table.add_row("tokens in / out", f"{summary.tokens_in} / {summary.tokens_out}")
    if summary.not_carried:
        lost = sum(len(items) for _, items in summary.not_carried)
        table.add_row("review decisions not carried over", str(lost))
    if summary.lost_calls or summary.lost_tokens_in:
        table.add_row("LLM calls of retried or failed attempts", str(summary.lost_calls))
        table.add_row("  tokens in / out", f"{summary.lost_tokens_in} / {summary.lost_tokens_out}")
    table.add_row("seconds (processing)", f"{summary.seconds:.2f}")
    return table


def failure_lines(summary: BatchSummary) -> list[Text]:
    """One line per failed file: its path and its one-line reason."""
    return [Text.assemble((path, "bold"), "  ", (reason, "red")) for path, reason in summary.failed]


def not_carried_lines(summary: BatchSummary) -> list[Text]:
    """One line per re-extracted document that lost review work: its path and what."""
    return [
        Text.assemble((path, "bold"), "  ", ("; ".join(items), "yellow"))
        for path, items in summary.not_carried
    ]


def print_summary(summary: BatchSummary, console: Console) -> None:
    console.print(summary_table(summary))
    if summary.failed:
        console.print(
            f"failed documents ({len(summary.failed)}; the rest of the batch was stored):"
        )
        for line in failure_lines(summary):
            console.print(line, soft_wrap=True)
    if summary.not_carried:
        console.print(
            "review work the new extraction could not keep (a value read differently, or a "
            f"finding gone), in {len(summary.not_carried)} documents; the audit table "
            "still holds it:"
        )
        for line in not_carried_lines(summary):
            console.print(line, soft_wrap=True)
