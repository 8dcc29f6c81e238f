"""The `rules` backend: deterministic extraction with no network.

It is the default when no endpoint is configured, the baseline in evals and the
cross-check in `hybrid`. Its parts each read one kind of evidence:

* `context.py`   — fiscal year and department (name, province/city/county, level);
* `prose.py`     — facts stated in sentences, matched by the taxonomy's labels
  (with `mentions`, `sentence`, `prose_fact`, `changes_and_shares`, `stages`, `items`);
* `tables.py`    — budget tables, indicator tables (目标表, 自评表, 评价指标体系), 决算表
  (with `budget_tables`, `indicators`, `indicator_columns`, `row_placement`,
  `indicator_values`, `achievement`, `summary_tables`, `statements`, `units`, `projects`);
* `project_lists.py` — projects a sentence names with their money after counting them;
* `narrative.py` — conclusion, problems and suggestions.
"""

from __future__ import annotations

import time

from jixiao.document import Document
from jixiao.extract import Extraction
from jixiao.extract.untrusted import drop_planted
from jixiao.models import Project, RunInfo, Section
from jixiao.segment.index import Sections


class RulesBackend:
    name = "rules"

    def extract(self, doc: Document, sections: list[Section]) -> Extraction:
        from jixiao.extract.rules.context import read_context
        from jixiao.extract.rules.narrative import read_narrative
        from jixiao.extract.rules.project_lists import read_project_lists
        from jixiao.extract.rules.prose import extract_prose_facts
        from jixiao.extract.rules.statements import item_names
        from jixiao.extract.rules.tables import extract_tables

        started = time.perf_counter()
        sections = Sections.of(sections)  # one offset index for every reader
        ctx = read_context(doc, sections)
        tables = extract_tables(doc, sections, ctx)
        ctx.item_names = item_names(tables.facts)
        listed, listed_names = read_project_lists(doc, sections, ctx)
        facts, planted = drop_planted(
            extract_prose_facts(doc, sections, ctx) + listed + tables.facts, doc.text
        )
        known = {p.name for p in tables.projects}
        projects = tables.projects + [Project(name=n) for n in listed_names if n not in known]
        return Extraction(
            department=ctx.department,
            fiscal_year=ctx.fiscal_year,
            facts=facts,
            projects=projects,
            indicators=tables.indicators,
            narrative=read_narrative(doc, sections),
            flags=tables.flags + planted,
            run=RunInfo(backend="rules", seconds=time.perf_counter() - started),
            statement_tables=tables.statement_tables,
        )
