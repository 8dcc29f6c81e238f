"""Generated 部门决算 and 部门预算 documents with known numbers, for eval/fixtures/gen-*.

The national 部门决算 form (nine tables and the 情况说明 outline) and the 部门预算 form
are filled with the figures of an invented department whose accounts are built so that
every identity of the form holds (收支总计 on both sides, classes = Σ items, 基本 + 项目,
人员经费 + 公用经费, the “三公” parts, 机关运行经费 ≤ 公用经费 …) and the text restates the
tables. A variant may plant real slips (a table-versus-text mismatch, a wrong 增加/减少,
an unresolved 增加（减少）…); each is recorded as a gold flag. The gold is written from the
generator's own numbers: it knows the truth.

`tools/make_juesuan.py` is the command; this package holds the parts:
`catalogue` (classification codes and names), `accounts` (the numbers), `compose_final`
and `compose_budget` (the document's blocks and its gold), `compose_targets` (a budget's
绩效目标表, with `targets.yaml`: each project's indicators), `render` (ruled PDF, unruled
PDF, DOCX).
"""
