"""Resolving a taxonomy relation against the facts of one (scope, year).

Relations name concepts three ways, and a new relation is one YAML edit whichever it
uses: a list of concepts (`[fa.personnel, fa.public]`, where a list of totals means
"the first one stated"), a wildcard (`fa.function.*`: every function class stated)
and a template bound by the total (`total: x.{part}`, `parts: x.{part}.*`: each total
against its own parts). A 功能分类 line against the lines below it is no template but
scopes of one concept (`check: lines`, `arithmetic/item_sums.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.taxonomy import Relation
from jixiao.verify.facts import Context, Entry, FactIndex

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass
class Instance:
    """A relation with its concepts found: the total (or result) and the parts present."""

    relation: Relation
    scope: str
    year: int | None
    total: Entry
    parts: list[Entry]
    stage: str | None = None


def applies_to(relation: Relation, scope: str) -> bool:
    if relation.scope == "project":
        return scope != "department"
    if relation.scope == "department":
        return scope == "department"
    return True


def pattern(template: str, bindings: dict[str, str] | None = None) -> re.Pattern[str]:
    """A concept template as a regex: `{x}` binds one segment, `*` one or more."""
    out = ""
    pos = 0
    for match in re.finditer(r"\{(\w+)\}|\*", template):
        out += re.escape(template[pos : match.start()])
        name = match.group(1)
        if name is None:
            out += r"[^.]+(?:\.[^.]+)*"
        elif bindings and name in bindings:
            out += re.escape(bindings[name])
        else:
            out += rf"(?P<{name}>[^.]+)"
        pos = match.end()
    return re.compile(out + re.escape(template[pos:]))


def is_template(name: str) -> bool:
    return "*" in name or bool(_PLACEHOLDER.search(name))


def topmost(entries: list[Entry]) -> list[Entry]:
    """Drop entries whose ancestor is also present (a 款 line hides its 项 lines)."""
    names = {e.concept for e in entries}
    return [
        e
        for e in entries
        if not any(e.concept.startswith(other + ".") for other in names if other != e.concept)
    ]


def _conflicted(index: FactIndex, rx: re.Pattern[str], ctx: Context) -> bool:
    return any(rx.fullmatch(k[0]) and Context(*k[1:]) == ctx for k in index.conflicts)


def resolve_parts(
    index: FactIndex, relation: Relation, ctx: Context, bindings: dict[str, str]
) -> list[Entry] | None:
    """Parts present for a relation; None when one of them is stated inconsistently."""
    if isinstance(relation.parts, str):
        rx = pattern(relation.parts, bindings)
        if _conflicted(index, rx, ctx):
            return None
        return sorted(topmost(index.matching(rx, *ctx)), key=lambda e: e.concept)
    parts = []
    for concept in relation.parts:
        if index.has_conflict(concept, *ctx):
            return None
        entry = index.get(concept, *ctx)
        if entry is not None:
            parts.append(entry)
    return parts


def instances(index: FactIndex, relation: Relation) -> list[Instance]:
    """Every place a relation can be checked: one per (scope, year, stage, binding)."""
    found: list[Instance] = []
    for ctx in index.contexts():
        if not applies_to(relation, ctx.scope):
            continue
        for total, bindings in _totals(index, relation.total, ctx):
            parts = resolve_parts(index, relation, ctx, bindings)
            parts = [p for p in (parts or []) if p.concept != total.concept]
            if parts:
                found.append(Instance(relation, ctx.scope, ctx.year, total, parts, ctx.stage))
    return found


def _totals(
    index: FactIndex, totals: tuple[str, ...], ctx: Context
) -> list[tuple[Entry, dict[str, str]]]:
    """The total of a relation: the first alternative stated, or each template match."""
    for name in totals:
        if is_template(name):
            rx = pattern(name)
            matches = [
                (e, {k: v for k, v in m.groupdict().items() if v is not None})
                for e in index.matching(rx, *ctx)
                if (m := rx.fullmatch(e.concept))
            ]
            if matches:
                return matches
            continue
        if index.has_conflict(name, *ctx):
            return []
        entry = index.get(name, *ctx)
        if entry is not None:
            return [(entry, {})]
    return []


def _bind(template: str, bindings: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: bindings.get(m.group(1), m.group(0)), template)


def whole_of(index: FactIndex, part: str) -> tuple[str, ...]:
    """The concepts a part adds up to, from the sum relations it is a part of."""
    wholes: list[str] = []
    for relation in index.taxonomy.relations:
        if relation.check != "sum":
            continue
        if isinstance(relation.parts, str):
            rx = pattern(relation.parts)
            match = rx.fullmatch(part)
            if not match:
                continue
            bindings = {k: v for k, v in match.groupdict().items() if v is not None}
            wholes.extend(_bind(total, bindings) for total in relation.total)
        elif part in relation.parts:
            wholes.extend(relation.total)
    return tuple(dict.fromkeys(w for w in wholes if not is_template(w)))
