"""Write the generated fixtures: filled 部门决算 / 部门预算 forms with their gold.

    .venv/bin/python tools/make_juesuan.py            # every variant
    .venv/bin/python tools/make_juesuan.py gen-plain-1

For each variant below, writes ``eval/fixtures/<id>/source.pdf|docx`` and its
``gold.json`` (group "generated"). The numbers are seeded: the same command writes the
same documents. An invented department's accounts are built so that every identity of
the form holds (juesuan.accounts); the text restates the tables; a variant's planted slips
are the gold's flags, and a variant without slips has ``"flags": []`` (any flag raised on
it is a false alarm). Quotes are checked against the text jixiao reads from the written
file; a quote it cannot find is dropped and reported (it is optional), and each flag's
page is where its quote is printed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "src"))

import pdfplumber  # noqa: E402
from juesuan.accounts import Accounts, Profile, build  # noqa: E402
from juesuan.blocks import pct  # noqa: E402
from juesuan.compose_budget import BudgetComposer  # noqa: E402
from juesuan.compose_final import FinalComposer  # noqa: E402
from juesuan.render import render_docx, render_pdf  # noqa: E402
from juesuan.variant import SLIPS, TargetLayout, Variant  # noqa: E402

FIXTURES = ROOT / "eval" / "fixtures"

PROFILES = {
    "fucheng": Profile(
        "绵阳市涪城区农业农村局",
        "四川省",
        "绵阳市",
        "涪城区",
        "county",
        "2130101",
        (("2130108", 20, 60), ("2130122", 80, 300)),
        staff=28,
        retirees=9,
        institution_line="2130104",
        vehicles=3,
    ),
    "yichang": Profile(
        "宜昌市生态环境局",
        "湖北省",
        "宜昌市",
        None,
        "city",
        "2110101",
        (("2110102", 40, 120), ("2110301", 60, 200), ("2110302", 50, 150)),
        staff=46,
        retirees=15,
        vehicles=4,
        overseas=True,
    ),
    "jiangxi": Profile(
        "江西省交通运输厅",
        "江西省",
        None,
        None,
        "province",
        "2140101",
        (("2140104", 800, 2000), ("2140106", 500, 1500)),
        staff=120,
        retirees=40,
        vehicles=6,
        overseas=True,
    ),
    "xigong": Profile(
        "洛阳市西工区民政局",
        "河南省",
        "洛阳市",
        "西工区",
        "county",
        "2080201",
        (("2080208", 30, 90), ("2081002", 60, 180)),
        staff=22,
        retirees=6,
        fund_line="2296002",
        vehicles=1,
    ),
    "huzhou": Profile(
        "湖州市文化广电旅游局",
        "浙江省",
        "湖州市",
        None,
        "city",
        "2070101",
        (("2070109", 60, 160), ("2070111", 30, 90)),
        staff=38,
        retirees=12,
        institution_line=None,
        vehicles=2,
    ),
    "wujiang": Profile(
        "韶关市武江区财政局",
        "广东省",
        "韶关市",
        "武江区",
        "county",
        "2010601",
        (("2010602", 10, 40), ("2010607", 30, 90), ("2010608", 40, 120)),
        staff=35,
        retirees=11,
        vehicles=1,
    ),
    "baoji": Profile(
        "宝鸡市信访局",
        "陕西省",
        "宝鸡市",
        None,
        "city",
        "2010301",
        (("2010308", 40, 120), ("2010302", 10, 30)),
        staff=24,
        retirees=8,
        vehicles=2,
    ),
    "huichuan": Profile(
        "遵义市汇川区市场监督管理局",
        "贵州省",
        "遵义市",
        "汇川区",
        "county",
        "2013801",
        (("2013804", 20, 70), ("2013812", 15, 45)),
        staff=52,
        retirees=14,
        vehicles=5,
    ),
    "laishan": Profile(
        "烟台市莱山区城市管理局",
        "山东省",
        "烟台市",
        "莱山区",
        "county",
        "2120101",
        (("2120104", 100, 300),),
        staff=64,
        retirees=10,
        vehicles=6,
    ),
    "putuo_sport": Profile(
        "上海市普陀区体育局",
        "上海市",
        "上海市",
        "普陀区",
        "county",
        "2070101",
        (("2070109", 80, 200),),
        staff=30,
        retirees=9,
        institution_line=None,
        vehicles=2,
    ),
    "lusong": Profile(
        "株洲市芦淞区民政局",
        "湖南省",
        "株洲市",
        "芦淞区",
        "county",
        "2080201",
        (("2080208", 30, 90), ("2081002", 60, 180)),
        staff=26,
        retirees=7,
        fund_line="2296002",
        vehicles=1,
    ),
    "minhang_env": Profile(
        "上海市闵行区生态环境局",
        "上海市",
        "上海市",
        "闵行区",
        "county",
        "2110101",
        (("2110102", 60, 150), ("2110302", 100, 300)),
        staff=48,
        retirees=12,
        vehicles=3,
    ),
}

#: the 绩效目标表 layouts of the budget variants: what changes between real editions
MERGED_WAN = TargetLayout("{year}年项目支出绩效目标表", "merged", "inside", "万元")
REPEATED_YUAN = TargetLayout(
    "{year}年度财政项目支出绩效目标填报表",
    "repeated",
    "column",
    "元",
    cost_first_level=True,
    department_title="{year}年部门整体支出绩效目标表",
)
MERGED_COLUMNS_YUAN = TargetLayout(
    "{year}年度财政支出项目绩效目标申报表",
    "merged",
    "column",
    "元",
    department_title="{year}年度部门整体支出绩效目标申报表",
)

VARIANTS = [
    Variant(
        "gen-ruled-1",
        "final",
        "ruled",
        PROFILES["fucheng"],
        2024,
        11,
        "万元",
        "combined",
        "national",
    ),
    Variant(
        "gen-ruled-2",
        "final",
        "ruled",
        PROFILES["yichang"],
        2023,
        12,
        "元",
        "split",
        "compiler",
        slips=("text_total", "rate_trunc", "empty_no_note"),
    ),
    Variant(
        "gen-ruled-3",
        "final",
        "ruled",
        PROFILES["baoji"],
        2024,
        13,
        "万元",
        "names",
        "unit",
        item_codes=True,
        item_rates=True,
        slips=("zero_rate", "function_name", "operating_over"),
    ),
    Variant(
        "gen-docx-1",
        "final",
        "docx",
        PROFILES["jiangxi"],
        2024,
        21,
        "万元",
        "split",
        "unit",
        separators=True,
        slips=("word_item", "unresolved"),
    ),
    Variant("gen-docx-2", "final", "docx", PROFILES["xigong"], 2022, 22, "元", "names", "national"),
    Variant(
        "gen-docx-3",
        "final",
        "docx",
        PROFILES["huichuan"],
        2024,
        23,
        "万元",
        "combined",
        "compiler",
        item_rates=True,
        slips=("sum_three", "yoy_wrong"),
    ),
    Variant(
        "gen-plain-1",
        "final",
        "plain",
        PROFILES["huzhou"],
        2024,
        31,
        "万元",
        "combined",
        "compiler",
        slips=("year_heading", "text_item", "word_three"),
    ),
    Variant("gen-plain-2", "final", "plain", PROFILES["wujiang"], 2023, 32, "元", "split", "unit"),
    Variant(
        "gen-plain-3",
        "final",
        "plain",
        PROFILES["laishan"],
        2024,
        33,
        "万元",
        "split",
        "national",
        separators=True,
        slips=("wrong_share",),
    ),
    Variant(
        "gen-ruled-4",
        "budget",
        "ruled",
        PROFILES["putuo_sport"],
        2025,
        41,
        "元",
        "split",
        "compiler",
        targets=MERGED_WAN,
    ),
    Variant(
        "gen-docx-4",
        "budget",
        "docx",
        PROFILES["minhang_env"],
        2025,
        42,
        "元",
        "split",
        "compiler",
        slips=("budget_item", "budget_note"),
        targets=REPEATED_YUAN,
    ),
    Variant(
        "gen-plain-4",
        "budget",
        "plain",
        PROFILES["lusong"],
        2025,
        43,
        "万元",
        "combined",
        "compiler",
        separators=True,
        targets=MERGED_COLUMNS_YUAN,
    ),
]


def prepare(variant: Variant, accounts: Accounts) -> None:
    """Adjust the budget figures a planted slip needs (the accounts stay consistent)."""
    lines = accounts.lines
    if "zero_rate" in variant.slips:
        lines[variant.profile.projects[-1][0]].budget = 0
    if "word_item" in variant.slips or "text_item" in variant.slips:
        changed = [ln for ln in lines.values() if ln.gb and ln.budget and ln.gb != ln.budget]
        if len(changed) < 2:
            for ln in lines.values():
                if ln.gb_project and ln.budget == ln.gb:
                    ln.budget = round(ln.gb * 1.08)
    if "word_three" in variant.slips and accounts.three_budget.total == accounts.three_final.total:
        accounts.three_budget.reception += 100
    if "rate_trunc" in variant.slips:
        admin = lines[variant.profile.admin_line]
        for _ in range(200):
            budget = sum(ln.budget for ln in lines.values() if ln.gb or ln.budget)
            gb = accounts.total_of("gb")
            if pct(gb, budget) != pct(gb, budget, truncate=True):
                break
            admin.budget += 1


def department(profile: Profile) -> dict:
    return {
        "name": profile.name,
        "province": profile.province,
        "city": profile.city,
        "county": profile.county,
        "level": profile.level,
    }


def jixiao_text(path: Path) -> str:
    from jixiao.ingest import load

    return load(path).text


def flag_pages(path: Path, flags: list[dict]) -> None:
    """The page each flag's quote is printed on (PDF only; DOCX has no pages)."""
    if path.suffix != ".pdf":
        for flag in flags:
            flag.pop("page", None)
        return
    with pdfplumber.open(path) as pdf:
        pages = [
            (page.extract_text() or "").replace("\n", "").replace(" ", "") for page in pdf.pages
        ]
    for flag in flags:
        quote = flag["quote"].replace(" ", "")
        found = [i for i, text in enumerate(pages, 1) if quote in text]
        flag["page"] = found[0] if found else None
        if not found:
            flag.pop("page")


def targets_comment(variant: Variant) -> str:
    t = variant.targets
    if t is None:
        return ""
    return (
        f" 绩效目标表 titled {t.title.format(year=variant.year)}: 一级/二级指标 cells {t.level1}, operator "
        f"{'in the 指标值 cell' if t.operator == 'inside' else 'in a 指标性质 column with 度量单位'}, "
        f"项目资金 in {t.unit}, 成本指标 {'a 一级指标' if t.cost_first_level else 'under 产出指标'}"
        f"{'; and ' + t.department_title.format(year=variant.year) if t.department_title else ''}."
    )


def write(variant: Variant) -> dict:
    accounts = build(variant.profile, variant.year, variant.seed)
    prepare(variant, accounts)
    composer = FinalComposer if variant.kind == "final" else BudgetComposer
    blocks, gold = composer(variant, accounts).compose()
    folder = FIXTURES / variant.id
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("source.*"):
        old.unlink()
    kind = "部门决算" if variant.kind == "final" else "部门预算"
    title = f"{variant.profile.name}{variant.year}年度{kind}"
    if variant.layout == "docx":
        source = folder / "source.docx"
        render_docx(blocks, source, title=title)
    else:
        source = folder / "source.pdf"
        render_pdf(blocks, source, ruled=variant.layout == "ruled", title=title)
    text = jixiao_text(source)
    facts = gold.fact_list()
    dropped = 0
    for fact in facts:
        if "quote" in fact and fact["quote"] not in text:
            del fact["quote"]
            dropped += 1
    flags = gold.flags
    flag_pages(source, flags)
    unquoted = [f["check"] for f in flags if f["quote"] not in text]
    slips = (
        ", ".join(SLIPS[s] for s in variant.slips)
        or "none: every flag raised on it is a false alarm"
    )
    data = {
        "group": "generated",
        "provenance": f"generated by tools/make_juesuan.py (variant {variant.id}, seed {variant.seed}); "
        "an invented department, numbers consistent by construction",
        "document_kind": "final_accounts" if variant.kind == "final" else "budget",
        "department": department(variant.profile),
        "fiscal_year": variant.year,
        "facts": facts,
        "projects": gold.projects,
        "indicators": gold.indicators,
        "flags": flags,
        "comment": (
            f"{kind}, {variant.layout} layout, tables in {variant.unit}"
            f"{' with thousands separators' if variant.separators or variant.unit == '元' else ''}, "
            f"codes {variant.codes}, title form {variant.title_form}.{targets_comment(variant)} "
            f"Planted slips: {slips}."
        ),
    }
    (folder / "gold.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return {
        "id": variant.id,
        "facts": len(facts),
        "flags": len(flags),
        "projects": len(gold.projects),
        "indicators": len(gold.indicators),
        "dropped_quotes": dropped,
        "flag_quotes_not_in_text": unquoted,
    }


def main(ids: list[str]) -> None:
    chosen = [v for v in VARIANTS if not ids or v.id in ids]
    for variant in chosen:
        print(json.dumps(write(variant), ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
