"""The printed names of a statement line and of the lines it adds up to or from.

A wording check sometimes needs to know whether a sentence is about a line: a reason
given once for the “三公”经费 covers its items' changes, a reason that cuts 公务用车运行
费用 speaks of a part of the “三公”经费. The taxonomy's sum relations say which line is
part of which, its labels and synonyms how each is printed; quote marks are dropped on
both sides, since documents print “三公”, "三公" and 三公 alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from jixiao.taxonomy import Taxonomy

CHANGE_SUFFIXES = (".yoy_change_pct", ".yoy_change")
_QUOTES = re.compile(r"[“”\"'‘’〝〞「」]")
#: names shorter than this say nothing on their own (支出, 收入)
_MIN_NAME = 3


def unquoted(text: str) -> str:
    return _QUOTES.sub("", text)


def line_of(concept: str) -> str:
    """The statement line a change is of (fa.three_public.total.yoy_change → fa.three_public.total)."""
    for suffix in CHANGE_SUFFIXES:
        concept = concept.removesuffix(suffix)
    return concept


def related(taxonomy: Taxonomy, concepts: Iterable[str], *, wholes: bool) -> set[str]:
    """The concepts with every whole they are part of (`wholes`) or every part they have,
    over the sum relations that list their parts."""
    found = set(concepts)
    while True:
        more = set()
        for relation in taxonomy.relations:
            if relation.check != "sum" or isinstance(relation.parts, str):
                continue
            totals, parts = set(relation.total), set(relation.parts)
            if wholes and parts & found:
                more |= totals
            elif not wholes and totals & found:
                more |= parts
        if more <= found:
            return found
        found |= more


def names_of(taxonomy: Taxonomy, concepts: Iterable[str]) -> set[str]:
    """Every printed name (label, synonyms) of the concepts, quote marks dropped."""
    names = set()
    for name in concepts:
        concept = taxonomy.get(name)
        if concept is not None:
            names |= {unquoted(w) for w in concept.wordings if len(unquoted(w)) >= _MIN_NAME}
    return names
