"""Showing a run: rich tables for the terminal, an HTML or Markdown report for a file.

The report is one self-contained file (the bar chart is inline SVG drawn here, no JS),
so it can be attached to a pull request or mailed. Every text that came from a
document or a gold file is escaped: concept and project names are data, not markup.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from rich.table import Table

from jixiao.errors import ConfigError
from jixiao.evaluate.metrics import Counts


def _row(name: str, c: Counts) -> list[str]:
    return [
        name,
        str(c.tp),
        str(c.fp),
        str(c.fn),
        f"{c.precision:.3f}",
        f"{c.recall:.3f}",
        f"{c.f1:.3f}",
    ]


def _counts_table(title: str, first: str, items: dict[str, Counts], total: Counts | None) -> Table:
    table = Table(title=title)
    table.add_column(first)
    for name in ("TP", "FP", "FN", "P", "R", "F1"):
        table.add_column(name, justify="right")
    for name, c in items.items():
        table.add_row(*_row(name, c))
    if total is not None:
        table.add_row(*_row("overall", total), style="bold")
    return table


def render_table(result: Any) -> Table:
    """The headline: P/R/F1 per field kind and overall, with time and tokens in the caption."""
    table = _counts_table(f"eval · {result.backend}", "kind", result.by_kind, result.total)
    table.caption = (
        f"{len(result.documents)} documents · {result.seconds:.2f} s · "
        f"tokens {result.tokens_in} in / {result.tokens_out} out"
    )
    return table


def render_flags_table(result: Any) -> Table:
    table = Table(title="flags (real slips detected)")
    for name in ("document", "gold", "detected", "false alarms", "recall"):
        table.add_column(name, justify="right" if name != "document" else "left")
    for doc in result.documents:
        f = doc.flags.to_dict()
        table.add_row(
            doc.id, str(f["gold"]), str(f["detected"]), str(f["false_alarms"]), f"{f['recall']:.3f}"
        )
    f = result.flags.to_dict()
    table.add_row(
        "overall",
        str(f["gold"]),
        str(f["detected"]),
        str(f["false_alarms"]),
        f"{f['recall']:.3f}",
        style="bold",
    )
    return table


def render_comparison(comparison: Any) -> Table:
    table = Table(title=f"compared with {comparison.a}")
    for name in ("name", "before", "after", "Δ", "status"):
        table.add_column(name, justify="left" if name in ("name", "status") else "right")
    rows = {
        **{f"overall {k}": d for k, d in comparison.overall.items()},
        **{f"kind {k}": d for k, d in comparison.by_kind.items()},
        **{k: d for k, d in comparison.by_concept.items() if d.status != "same"},
    }
    for name, d in rows.items():
        style = {"improved": "green", "regressed": "red"}.get(d.status)
        table.add_row(
            name, _fmt(d.before), _fmt(d.after), f"{d.change:+.4f}", d.status, style=style
        )
    return table


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def render_tables(result: Any) -> list[Table]:
    """All terminal tables of a run, in the order a reader wants them."""
    tables = [
        render_table(result),
        _counts_table("by document", "document", {d.id: d.total for d in result.documents}, None),
        _counts_table("by concept (facts)", "concept", result.by_concept, None),
        _counts_table("by field (indicator cells, department)", "field", result.by_field, None),
        render_flags_table(result),
    ]
    if result.comparison is not None:
        tables.append(render_comparison(result.comparison))
    return tables


# ---------------------------------------------------------------- files


def bar_chart_svg(values: dict[str, float], title: str, width: int = 640) -> str:
    """Horizontal bars (0…1), one per name, as a standalone SVG element."""
    bar_h, gap, label_w, top = 16, 6, 260, 28
    height = top + len(values) * (bar_h + gap) + 10
    scale = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" font-family="sans-serif" font-size="12">',
        f'<text x="4" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (name, value) in enumerate(values.items()):
        y = top + i * (bar_h + gap)
        w = max(0.0, min(1.0, value)) * scale
        colour = "#2e7d32" if value >= 0.8 else "#f9a825" if value >= 0.5 else "#c62828"
        parts += [
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{escape(name)}</text>',
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>',
            f'<text x="{label_w + w + 4:.1f}" y="{y + 12}">{value:.2f}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)


def _html_table(first: str, items: dict[str, Counts]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in (first, "TP", "FP", "FN", "P", "R", "F1"))
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in _row(name, c)) + "</tr>"
        for name, c in items.items()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _md_table(first: str, items: dict[str, Counts]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [f"| {first} | TP | FP | FN | P | R | F1 |", "|---|--:|--:|--:|--:|--:|--:|"]
    lines += ["| " + " | ".join(cell(x) for x in _row(n, c)) + " |" for n, c in items.items()]
    return "\n".join(lines)


def _sections(result: Any) -> list[tuple[str, str, dict[str, Counts]]]:
    return [
        ("By field kind", "kind", {**result.by_kind, "overall": result.total}),
        ("By concept (facts)", "concept", result.by_concept),
        ("By document", "document", {d.id: d.total for d in result.documents}),
        ("By field (indicator cells, department)", "field", result.by_field),
    ]


def _headline(result: Any) -> str:
    t = result.total
    f = result.flags.to_dict()
    return (
        f"backend {result.backend} · {len(result.documents)} documents · "
        f"P {t.precision:.3f} R {t.recall:.3f} F1 {t.f1:.3f} · "
        f"flags {f['detected']}/{f['gold']} detected, {f['false_alarms']} false alarms · "
        f"{result.seconds:.2f} s · tokens {result.tokens_in} in / {result.tokens_out} out"
    )


def render_html(result: Any) -> str:
    chart = bar_chart_svg({k: c.f1 for k, c in result.by_concept.items()}, "F1 per concept")
    body = [
        f"<h1>jixiao eval — {escape(result.backend)} ({escape(result.started)})</h1>",
        f"<p>{escape(_headline(result))}</p>",
        chart,
    ]
    for title, first, items in _sections(result):
        body += [f"<h2>{escape(title)}</h2>", _html_table(first, items)]
    if result.comparison is not None:
        rows = "".join(
            f"<tr><td>{escape(k)}</td><td>{escape(_fmt(d.before))}</td>"
            f"<td>{escape(_fmt(d.after))}</td><td>{d.change:+.4f}</td><td>{escape(d.status)}</td></tr>"
            for k, d in {**result.comparison.overall, **result.comparison.by_concept}.items()
        )
        body += [
            f"<h2>Compared with {escape(result.comparison.a)}</h2>",
            "<table><thead><tr><th>name</th><th>before</th><th>after</th><th>Δ</th>"
            f"<th>status</th></tr></thead><tbody>{rows}</tbody></table>",
        ]
    style = (
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:2px 8px}td:not(:first-child){text-align:right}"
    )
    return (
        '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8">'
        f"<title>jixiao eval</title><style>{style}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def render_markdown(result: Any, chart_name: str) -> str:
    lines = [
        f"# jixiao eval — {result.backend} ({result.started})",
        "",
        _headline(result),
        "",
        f"![F1 per concept]({chart_name})",
        "",
    ]
    for title, first, items in _sections(result):
        lines += [f"## {title}", "", _md_table(first, items), ""]
    return "\n".join(lines)


def write_report(result: Any, path: Path) -> Path:
    """Write `path` as HTML (.html/.htm) or Markdown (.md, chart in a sibling .svg)."""
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".html", ".htm"):
        path.write_text(render_html(result), encoding="utf-8")
    elif suffix == ".md":
        chart = path.with_suffix(".svg")
        chart.write_text(
            bar_chart_svg({k: c.f1 for k, c in result.by_concept.items()}, "F1 per concept"),
            encoding="utf-8",
        )
        path.write_text(render_markdown(result, chart.name), encoding="utf-8")
    else:
        raise ConfigError(f"{path}: report must end in .html or .md")
    return path
