"""Cross-mention checks: one quantity stated with values that cannot agree.

A quantity is a concept for one scope, year and stage (`FactIndex`), so a budget's 预算数
never meets the 执行数 it cites, nor an item line the department's total. Each flag
names one disagreement: the value stated most often (a table's first) and one value
that differs from it, each with its place. A quantity read with more than
`MAX_VERSIONS` values is not one quantity the document states inconsistently but
several the reading mixed up (a code column read as amounts, item lines filed as a
total): nobody can tell which is the outlier, so it raises nothing here; nor does a
quantity read from two rows of one table, which states each quantity once.

When one side is a table cell and the other prose, for the department or a 功能分类 /
经济分类 line, the flag is `table_text`: in 部门决算 and 部门预算 every figure of the
情况说明 restates a cell of the tables. A figure printed as the table's value cut short
(78.21 for 78.2164 where rounding gives 78.22) is the same figure. Nor are two figures
one quantity when they stand in passages about two different 功能分类 lines, or when
one is the tail of the other's digits (a number a PDF line broke). A project's
self-evaluation table against its own report is a plain `cross_mention`.
"""

from __future__ import annotations

import math
import re

from jixiao.models import Fact, Flag
from jixiao.statement_tables import TableForm
from jixiao.verify.facts import Key, is_derived
from jixiao.verify.flags import make_flag, scope_en, scope_prefix, short
from jixiao.verify.functions import references
from jixiao.verify.intervals import fact_decimals, fmt, of_fact
from jixiao.verify.view import View
from jixiao.verify.vocabulary import load_vocabulary

#: more distinct values than this for one quantity is a reading that mixed quantities
MAX_VERSIONS = 3


def check_mentions(view: View) -> list[Flag]:
    flags: list[Flag] = []
    for key, clusters in view.index.conflicts.items():
        if len(clusters) > MAX_VERSIONS or _rows_mixed(clusters) or _no_majority(clusters):
            continue
        reference = max(clusters, key=_weight)
        for other in clusters:
            if other is reference:
                continue
            a, b = _representative(reference), _representative(other)
            if _other_statements(view, a, b) or _side_by_side(view, key[0], a, b):
                continue
            if _targets_of_two_tables(a, b) or _other_items(view, a, b) or _cut_off(a, b):
                continue
            if _another_totals_figure(view, key[0], a, b):
                continue
            if any(_misread(view, key[0], f) for f in (a, b)):
                continue
            if _truncated(b, a) is not None or _truncated(a, b) is not None:
                continue  # one figure cut short from the other: the same figure
            scaled = _scaled(a, b)
            if scaled is None:
                flags.append(_flag(view, key, reference, other))
            elif scaled:
                flags.append(_magnitude(view, key, a, b))
    return flags


def _misread(view: View, concept: str, fact: Fact) -> bool:
    """A figure whose reading its own place contradicts (see each test)."""
    return (
        _prior_cued(view, fact)
        or _broken(view, fact)
        or _item_as_class(view, fact)
        or _not_of_its_form(view, concept, fact)
        or _unplaced(view, fact)
    )


def _unplaced(view: View, fact: Fact) -> bool:
    """A statement line's cell in a table whose title is none of the forms' (a province's
    项目支出决算表, a table of its own): what its 合计 row totals, we cannot tell."""
    statement = fact.scope == "department" or fact.scope.startswith(("item:", "econ:"))
    if fact.evidence.cell is None or not statement:
        return False
    return view.kind in ("final_accounts", "budget") and not view.placed(fact)


def _form_concepts(form: TableForm) -> set[str]:
    """The concepts a statement form's cells can hold (its columns, rows and totals);
    "fa.function.*" where a column holds the 功能分类 classes."""
    columns = [*form.columns, *(c for side in form.sides for c in side.columns)]
    found = {c for col in columns for c in (col.concept, col.total) if c}
    found |= set(form.total_rows.values())
    for side in form.sides:
        found |= set(side.rows.values())
        if side.classes:
            found.add(side.classes)
    if any(col.function for col in columns):
        found.add("fa.function.*")
    return found


def _not_of_its_form(view: View, concept: str, fact: Fact) -> bool:
    """A figure read from a statement form that holds no such concept (a 合计 row of the
    收入决算表 read as a 功能分类 class): a reading problem, not one of the document's."""
    form = view.form_of(fact)
    if form is None:
        return False
    known = _form_concepts(form)
    generic = "fa.function.*" if concept.startswith("fa.function.") else concept
    return concept not in known and generic not in known


def _other_statements(view: View, a: Fact, b: Fact) -> bool:
    """Two cells of two different statement forms read without stages (an earlier
    reading): each form's lines are its own measure (the 收入决算表's class line is
    revenue, the 支出决算表's all funds, the 一般公共预算 table's one source), and they
    differ by 结转/结余 and by the other funds. A staged reading names its measures."""
    if a.evidence.cell is None or b.evidence.cell is None or (a.stage and b.stage):
        return False
    fa, fb = view.form_at(a.evidence.start), view.form_at(b.evidence.start)
    return fa is not None and fb is not None and fa.id != fb.id


def _label_left(view: View, fact: Fact) -> str:
    """The last text cell left of a cell fact in its row (the label it is read under)."""
    left = view.text.rfind("\n", 0, fact.evidence.start) + 1
    cells = view.text[left : fact.evidence.start].split("\t")[:-1]
    return next((c.strip() for c in reversed(cells) if re.search(r"[\u4e00-\u9fff]", c)), "")


def _side_by_side(view: View, concept: str, a: Fact, b: Fact) -> bool:
    """Two cells of one row under two labels, one of which does not name the concept
    ("人员经费合计 | 331.21 | 公用经费合计 | 66.29" read as two 人员经费): two quantities."""
    ca, cb = a.evidence.cell, b.evidence.cell
    if ca is None or cb is None or (ca.table, ca.row) != (cb.table, cb.row) or ca.col == cb.col:
        return False
    found = view.taxonomy.get(concept)
    words = found.wordings if found is not None else ()
    labels = [_label_left(view, a), _label_left(view, b)]
    return any(label and not any(w in label for w in words) for label in labels)


def _targets_of_two_tables(a: Fact, b: Fact) -> bool:
    """Two bounds (满意度≥90%, ≥95%) from two tables or parts: two tables' targets for
    indicators of one name (a project's and the department's), not one figure told twice."""
    if a.stage not in (None, "target") or b.stage not in (None, "target"):
        return False
    bound = load_vocabulary().target_bound
    if not (bound.search(a.evidence.quote) and bound.search(b.evidence.quote)):
        return False
    ca, cb = a.evidence.cell, b.evidence.cell
    same_table = ca is not None and cb is not None and ca.table == cb.table
    return not same_table and (a.section != b.section or a.evidence.page != b.evidence.page)


def _other_items(view: View, a: Fact, b: Fact) -> bool:
    """Two prose figures in passages about two different 功能分类 lines ("…（项）。…支出决算
    为39.89万元" and another item's): a reading that gave both the class's scope."""
    if a.evidence.cell is not None or b.evidence.cell is not None:
        return False
    ra, rb = _item_named(view, a), _item_named(view, b)
    return ra is not None and rb is not None and ra != rb


def _item_named(view: View, fact: Fact) -> tuple[str, ...] | None:
    """The 类/款/项 names of the passage a prose figure stands in, if it names a line."""
    at = _number_at(view, fact)
    for start, end in view.passages:
        if start <= at <= end:
            found = references(view.text, start, min(end, at))
            return tuple(found[-1].names) if found else None
    return None


def _number_at(view: View, fact: Fact) -> int:
    """Where a prose fact's number is printed: in its quote, or just after it."""
    digits = re.search(r"\d[\d,，]*(?:\.\d+)?", fact.text or "")
    if digits is None:
        return fact.evidence.start
    found = view.text.find(digits.group(), fact.evidence.start, fact.evidence.end + 30)
    return found if found >= 0 else fact.evidence.start


def _prior_cued(view: View, fact: Fact) -> bool:
    """A prose figure its own clause calls last year's ("上年:25.77万元", "2023年当年预算执行数为
    348.52万元" in a 2024 budget) read as this year's: the reading's stage is not the
    document's."""
    if fact.evidence.cell is not None or fact.stage in ("prior_final", "prior_budget"):
        return False
    at = _number_at(view, fact)
    left = at
    while left > 0 and view.text[left - 1] not in "，,。；;":
        left -= 1
    if view.vocab.prior_cue.search(view.text, left, at):
        return True
    year = fact.year if fact.year is not None else view.index.fiscal_year
    labels = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})年", view.text[left:at])]
    return year is not None and bool(labels) and labels[-1] < year


def _broken(view: View, fact: Fact) -> bool:
    """A prose figure whose number a line break cut (241.3 / 6万元): the reading has a tail."""
    at = _number_at(view, fact)
    return (
        fact.evidence.cell is None
        and at >= 2
        and view.text[at - 1] == "\n"
        and (view.text[at - 2].isdigit() or view.text[at - 2] == ".")
    )


def _item_as_class(view: View, fact: Fact) -> bool:
    """A prose figure of a 项's passage read for the class or the department: an item's
    figure is never its class's total."""
    if fact.evidence.cell is not None or fact.scope != "department":
        return False
    names = _item_named(view, fact)
    return names is not None and len(names) >= 2


def _another_totals_figure(view: View, concept: str, a: Fact, b: Fact) -> bool:
    """A department's prose figure that is, to its printed precision, a table's figure of
    another department total (收入总计 682.39 is the 收支总计 with the carry-over, not the
    本年收入合计): the wording named another total than the one read, not a slip."""
    for prose, table in ((a, b), (b, a)):
        if prose.evidence.cell is not None or table.evidence.cell is None:
            continue
        if prose.scope != "department":
            continue
        printed = of_fact(prose)
        for other in view.record.facts:
            if (
                other.concept != concept
                and other.scope == "department"
                and other.evidence.cell is not None
                and other.stage == prose.stage
                and not is_derived(other.concept)
                and printed.meets(of_fact(other))
            ):
                return True
    return False


def _cut_off(a: Fact, b: Fact) -> bool:
    """A prose figure that is the tail of the other's digits (82.72 of 482.72, a number a
    PDF line broke): the reading took part of a number."""
    for tail, full in ((a, b), (b, a)):
        if tail.evidence.cell is not None:
            continue
        d = fact_decimals(tail) or 0
        whole, part = fmt(full.value, d), fmt(tail.value, d)
        if len(part) < len(whole) and whole.endswith(part):
            return True
    return False


def _scaled(a: Fact, b: Fact) -> bool | None:
    """None when the two values are not 10⁴ apart; True when the text prints 元 where the
    table's 万元 is meant (the document's slip); False when a table cell was read in the
    wrong unit (the reading's, not a finding)."""
    hi, lo = max(abs(a.value), abs(b.value)), min(abs(a.value), abs(b.value))
    if lo == 0 or abs(hi / lo / 10_000 - 1) > 0.001:
        return None
    prose = a if a.evidence.cell is None else b if b.evidence.cell is None else None
    if prose is None:
        return False
    printed = (prose.text or "").strip()
    return printed.endswith("元") and not printed.endswith("万元")


def _no_majority(clusters: list[list[Fact]]) -> bool:
    """Three values or more, each told once in prose: no table and no repetition says
    which is the quantity, so which is the outlier nobody can tell (three items' 实际支出
    read as the department's)."""
    return len(clusters) >= 3 and all(len(c) == 1 and c[0].evidence.cell is None for c in clusters)


def _rows_mixed(clusters: list[list[Fact]]) -> bool:
    """Two values from two rows of one table: a table states a quantity once, so the
    reading took two quantities (a 类 line and its 款 line) for one."""
    rows: dict[int, int] = {}
    for fact in (f for c in clusters for f in c):
        cell = fact.evidence.cell
        if cell is not None and rows.setdefault(cell.table, cell.row) != cell.row:
            return True
    return False


def _weight(cluster: list[Fact]) -> tuple[int, int, int]:
    """Which value a disagreement is told against: the one stated most often, a table's
    before prose's, the more precise one."""
    cells = sum(f.evidence.cell is not None for f in cluster)
    return (len(cluster), cells, max(fact_decimals(f) or 0 for f in cluster))


def _representative(cluster: list[Fact]) -> Fact:
    """The mention to show: a table cell if there is one, else the first in the text."""
    return min(cluster, key=lambda f: (f.evidence.cell is None, f.evidence.start))


def _is_table_text(scope: str, a: Fact, b: Fact) -> bool:
    statement_line = scope == "department" or scope.startswith(("item:", "econ:"))
    return statement_line and (a.evidence.cell is None) != (b.evidence.cell is None)


def _shown(fact: Fact) -> str:
    return fmt(fact.value, fact_decimals(fact))


def _truncated(shown: Fact, exact: Fact) -> str | None:
    """The rounded value when `shown` is `exact` cut short instead of rounded."""
    d = fact_decimals(shown)
    de = fact_decimals(exact)
    if d is None or de is None or de <= d or exact.value < 0:
        return None
    scale = 10**d
    cut = math.floor(exact.value * scale + 1e-9) / scale
    rounded = math.floor(exact.value * scale + 0.5 + 1e-9) / scale
    if abs(cut - shown.value) < 1e-9 and abs(rounded - shown.value) > 1e-9:
        return fmt(rounded, d)
    return None


def _side(view: View, fact: Fact) -> str:
    where = view.place(fact)
    if fact.evidence.cell is not None:
        return where
    return f"{where}“{short(fact.evidence.quote, 40)}”"


def _magnitude(view: View, key: Key, a: Fact, b: Fact) -> Flag:
    prose, cell = (a, b) if a.evidence.cell is None else (b, a)
    label = view.index.label(key[0])
    return make_flag(
        "magnitude",
        f"{scope_prefix(key[1])}{label}在{_side(view, prose)}写作 {prose.text}，表中为 "
        f"{_shown(cell)} 万元，差 10⁴ 倍，疑把“万元”写成了“元”",
        f"{view.index.label_en(key[0])} is printed {prose.text} where the table has "
        f"{_shown(cell)} 万元: 10^4 apart (元 written for 万元)",
        facts=[prose.id, cell.id],
        expected=cell.value,
        actual=prose.value,
        location=[view.at_fact(prose), view.at_fact(cell)],
    )


def _flag(view: View, key: Key, reference: list[Fact], other: list[Fact]) -> Flag:
    concept, scope, year, _ = key
    a, b = _representative(reference), _representative(other)
    label = view.index.label(concept)
    when = "" if year in (None, view.year) else f"（{year}年）"
    check = "table_text" if _is_table_text(scope, a, b) else "cross_mention"
    if b.value == 0 and a.value != 0:
        detail = f"写作 0，与 {_shown(a)} 不符"
    else:
        detail = f"与 {_shown(a)} 不一致"
    times = f"（{len(reference)} 处）" if len(reference) > 1 else ""
    message = (
        f"{scope_prefix(scope)}{label}{when}在{_side(view, a)}为 {_shown(a)}{times}，"
        f"在{_side(view, b)}为 {_shown(b)}，{detail}"
    )
    when_en = "" if year in (None, view.year) else f" ({year})"
    return make_flag(
        check,
        message,
        f"{scope_en(scope)}{view.index.label_en(concept)}{when_en} is {_shown(a)} in one place "
        f"and {_shown(b)} in another",
        facts=[a.id, b.id, *(f.id for f in (*reference, *other) if f not in (a, b))],
        expected=a.value,
        actual=b.value,
        tolerance=0.0,
        location=[view.at_fact(a), view.at_fact(b)],
    )
