"""No 政府采购, said of a document whose own figures buy what only procurement buys.

"2025年未安排政府采购预算" while the same budget arranges 公务用车购置费 15.00万元: a 公务用车
bought with 财政拨款 is a 政府采购 item, so the procurement budget cannot be nil. The
statement and the purchase concepts are data (`verification.yaml`, procurement); the
procurement parts (货物 + 工程 + 服务) and the 中小企业/小微企业 reserves are taxonomy
relations (`sums.py`, `bounds.py`).
"""

from __future__ import annotations

from jixiao.models import Flag
from jixiao.verify.flags import make_flag, short
from jixiao.verify.text import sentence_bounds
from jixiao.verify.view import View


def check_procurement_statements(view: View) -> list[Flag]:
    index, vocab = view.index, view.vocab
    purchases = [
        entry
        for (concept, _, year, _), entry in index.entries.items()
        if concept in vocab.purchases and entry.value > 0 and year in (None, index.fiscal_year)
    ]
    if not purchases:
        return []
    flags = []
    for match in vocab.no_procurement.finditer(view.text):
        left, right = sentence_bounds(view.text, match.start(), match.end())
        bought = purchases[0]
        flags.append(
            make_flag(
                "procurement",
                f"{view.page_of(left)}“{short(view.text[left:right], 40)}”，但本文件列有"
                f"{index.label(bought.concept)} {bought.shown} 万元（{view.place(bought.best)}），"
                f"购置公务用车属于政府采购",
                f"the document says there is no government procurement, yet it budgets "
                f"{index.label_en(bought.concept)} {bought.shown}",
                facts=bought.ids,
                actual=bought.value,
                severity="warning",
                location=[view.at_text(left, right), view.at_fact(bought.best)],
            )
        )
    return flags
