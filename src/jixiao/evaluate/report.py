"""Showing a run: rich tables for the terminal, an HTML or Markdown report for a file.

Every table is built once as plain rows (`Grid`) and drawn three ways, so the terminal,
the HTML and the Markdown report always show the same figures — overall, and per
fixture group (seeds, corpus, generated, renderings), because the seed score is not
the general one. The report is one self-contained file (the bar chart is inline SVG
drawn here, no JS), so it can be attached to a pull request or mailed. Every text that
came from a document or a gold file is escaped: concept and project names are data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from jixiao.errors import ConfigError
from jixiao.evaluate.counts import Counts
from jixiao.evaluate.flags import FlagScore

COUNT_HEADERS = ("TP", "FP", "FN", "P", "R", "F1")


@dataclass
class Grid:
    """A titled table of text cells; the first column is a name, the rest are figures."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    #: rows drawn in bold (totals)
    bold: set[int] = field(default_factory=set)
    caption: str | None = None

    def add(self, cells: list[str], *, bold: bool = False) -> None:
        if bold:
            self.bold.add(len(self.rows))
        self.rows.append(cells)


def _counts(c: Counts) -> list[str]:
    return [str(c.tp), str(c.fp), str(c.fn), f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}"]


def _key(c: Counts) -> list[str]:
    """Key facts found/total and their recall (— where the gold has none)."""
    total = c.tp + c.fn
    return [f"{c.tp}/{total}", f"{c.recall:.3f}"] if total else ["—", "—"]


def _groups(result: Any) -> dict[str, Any]:
    """The groups worth a column: all of them when there are two or more."""
    groups = result.by_group
    return groups if len(groups) > 1 else {}


def counts_grid(
    title: str,
    first: str,
    items: dict[str, Counts],
    per_group: dict[str, dict[str, Counts]],
    total: Counts | None = None,
) -> Grid:
    """Counts per name overall, then the F1 of each group (— where a group has none)."""
    grid = Grid(title, [first, *COUNT_HEADERS, *(f"F1 {g}" for g in per_group)])

    def group_cells(name: str | None) -> list[str]:
        cells = []
        for items_of_group in per_group.values():
            c = (
                items_of_group.get(name)
                if name is not None
                else sum(items_of_group.values(), Counts())
            )
            cells.append("—" if c is None else f"{c.f1:.3f}")
        return cells

    for name, c in items.items():
        grid.add([name, *_counts(c), *group_cells(name)])
    if total is not None:
        grid.add(["overall", *_counts(total), *group_cells(None)], bold=True)
    return grid


def headline_grid(result: Any) -> Grid:
    """P/R/F1 per field kind and overall, with the F1 of each group beside."""
    groups = _groups(result)
    grid = counts_grid(
        f"eval · {result.backend}",
        "kind",
        result.by_kind,
        {g: s.by_kind for g, s in groups.items()},
        result.total,
    )
    grid.caption = (
        f"{len(result.documents)} documents · key facts {' R '.join(_key(result.key_facts))} · "
        f"{result.seconds:.2f} s · tokens {result.tokens_in} in / {result.tokens_out} out"
    )
    if result.scored_from == "store":
        grid.caption += " · scored from a store"
    if result.not_stored:
        grid.caption += f" · not in the store: {', '.join(result.not_stored)}"
    return grid


def _flag_cells(f: FlagScore) -> list[str]:
    return [
        str(f.gold),
        str(f.detected),
        str(f.missed),
        str(f.false_alarms),
        f"{f.false_alarms_per_document:.2f}",
        f"{f.recall:.3f}",
    ]


def groups_grid(result: Any) -> Grid:
    """One row per fixture group and overall: fields, key facts and flags as detection."""
    grid = Grid(
        "by group",
        [
            "group",
            "docs",
            "P",
            "R",
            "F1",
            "key facts",
            "problems",
            "found",
            "false alarms",
            "per doc",
        ],
    )
    rows = {**result.by_group, "overall": result}
    for name, scores in rows.items():
        total, flags = scores.total, scores.flags
        grid.add(
            [
                name,
                str(len(scores.documents)),
                f"{total.precision:.3f}",
                f"{total.recall:.3f}",
                f"{total.f1:.3f}",
                *_key(scores.key_facts),
                str(flags.gold),
                str(flags.detected),
                str(flags.false_alarms),
                f"{flags.false_alarms_per_document:.2f}",
            ],
            bold=name == "overall",
        )
    return grid


def documents_grid(result: Any) -> Grid:
    grid = Grid("by document", ["document", "group", *COUNT_HEADERS, "key facts", "key R"])
    for d in result.documents:
        grid.add([d.id, d.group, *_counts(d.total), *_key(d.key_facts)])
    return grid


def flags_grid(result: Any) -> Grid:
    """Flags as detection: per document, then per group and overall."""
    grid = Grid(
        "flags (real problems found, missed, false alarms)",
        ["document", "group", "problems", "found", "missed", "false alarms", "per doc", "recall"],
    )
    for d in result.documents:
        grid.add([d.id, d.group, *_flag_cells(d.flags)])
    for name, scores in _groups(result).items():
        grid.add([f"group {name}", name, *_flag_cells(scores.flags)], bold=True)
    grid.add(["overall", "", *_flag_cells(result.flags)], bold=True)
    return grid


def comparison_grid(comparison: Any) -> Grid:
    grid = Grid(f"compared with {comparison.a}", ["name", "before", "after", "Δ", "status"])
    rows = {
        **{f"overall {k}": d for k, d in comparison.overall.items()},
        **{f"kind {k}": d for k, d in comparison.by_kind.items()},
        **{f"group {k}": d for k, d in comparison.by_group.items()},
        **{k: d for k, d in comparison.by_concept.items() if d.status != "same"},
    }
    for name, d in rows.items():
        grid.add([name, _fmt(d.before), _fmt(d.after), f"{d.change:+.4f}", d.status])
    return grid


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def grids(result: Any) -> list[Grid]:
    """All tables of a run, in the order a reader wants them."""
    groups = _groups(result)
    out = [
        headline_grid(result),
        groups_grid(result),
        documents_grid(result),
        counts_grid(
            "by concept (facts)",
            "concept",
            result.by_concept,
            {g: s.by_concept for g, s in groups.items()},
        ),
        counts_grid(
            "by field (indicator cells, department)",
            "field",
            result.by_field,
            {g: s.by_field for g, s in groups.items()},
        ),
        flags_grid(result),
    ]
    if result.comparison is not None:
        out.append(comparison_grid(result.comparison))
    return out


# ---------------------------------------------------------------- terminal

_STATUS_STYLE = {"improved": "green", "regressed": "red"}


def to_rich(grid: Grid) -> Table:
    # plain Text, never markup: fixture ids and run names come from file names
    caption = Text(grid.caption) if grid.caption is not None else None
    table = Table(title=Text(grid.title), caption=caption)
    for i, header in enumerate(grid.headers):
        left = i == 0 or header in ("group", "status")
        table.add_column(Text(header), justify="left" if left else "right")
    for i, row in enumerate(grid.rows):
        style = "bold" if i in grid.bold else _STATUS_STYLE.get(row[-1])
        table.add_row(*(Text(cell) for cell in row), style=style)
    return table


def render_table(result: Any) -> Table:
    """The headline: P/R/F1 per field kind and overall (and per group)."""
    return to_rich(headline_grid(result))


def render_tables(result: Any) -> list[Table]:
    """All terminal tables of a run."""
    return [to_rich(grid) for grid in grids(result)]


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


def to_html(grid: Grid) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in grid.headers)
    body = "".join(
        f"<tr{' class=total' if i in grid.bold else ''}>"
        + "".join(f"<td>{escape(cell)}</td>" for cell in row)
        + "</tr>"
        for i, row in enumerate(grid.rows)
    )
    caption = f"<p>{escape(grid.caption)}</p>" if grid.caption else ""
    return (
        f"<h2>{escape(grid.title)}</h2>{caption}"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def to_markdown(grid: Grid) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [f"## {grid.title}", ""]
    if grid.caption:
        lines += [grid.caption, ""]
    lines += [
        "| " + " | ".join(cell(h) for h in grid.headers) + " |",
        "|---|" + "--:|" * (len(grid.headers) - 1),
    ]
    lines += ["| " + " | ".join(cell(x) for x in row) + " |" for row in grid.rows]
    return "\n".join([*lines, ""])


def _headline(result: Any) -> str:
    t = result.total
    f = result.flags
    return (
        f"backend {result.backend} · {len(result.documents)} documents · "
        f"P {t.precision:.3f} R {t.recall:.3f} F1 {t.f1:.3f} · "
        f"key facts {' R '.join(_key(result.key_facts))} · "
        f"flags {f.detected}/{f.gold} found, {f.false_alarms} false alarms · "
        f"{result.seconds:.2f} s · tokens {result.tokens_in} in / {result.tokens_out} out"
    )


def _chart(result: Any) -> str:
    return bar_chart_svg({k: c.f1 for k, c in result.by_concept.items()}, "F1 per concept")


def render_html(result: Any) -> str:
    body = [
        f"<h1>jixiao eval — {escape(result.backend)} ({escape(result.started)})</h1>",
        f"<p>{escape(_headline(result))}</p>",
        _chart(result),
        *(to_html(grid) for grid in grids(result)),
    ]
    style = (
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:2px 8px}td:not(:first-child){text-align:right}"
        "tr.total{font-weight:bold}"
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
    lines += [to_markdown(grid) for grid in grids(result)]
    return "\n".join(lines)


def write_report(result: Any, path: Path) -> Path:
    """Write `path` as HTML (.html/.htm) or Markdown (.md, chart in a sibling .svg)."""
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".html", ".htm"):
        path.write_text(render_html(result), encoding="utf-8")
    elif suffix == ".md":
        chart = path.with_suffix(".svg")
        chart.write_text(_chart(result), encoding="utf-8")
        path.write_text(render_markdown(result, chart.name), encoding="utf-8")
    else:
        raise ConfigError(f"{path}: report must end in .html or .md")
    return path
