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
import re
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
from juesuan.compose_wild import WildBudgetComposer, WildFinalComposer, edition  # noqa: E402
from juesuan.render import render_docx, render_html, render_pdf  # noqa: E402
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
    # the departments of the gen-wild-* editions
    "shunqing": Profile(
        "南充市顺庆区统计局",
        "四川省",
        "南充市",
        "顺庆区",
        "county",
        "2010501",
        (("2010505", 20, 60), ("2010507", 30, 90)),
        staff=18,
        retirees=5,
        vehicles=1,
    ),
    "chuxiong": Profile(
        "楚雄彝族自治州审计局",
        "云南省",
        "楚雄彝族自治州",
        None,
        "city",
        "2010801",
        (("2010804", 40, 120), ("2010802", 10, 30)),
        staff=44,
        retirees=13,
        vehicles=2,
        overseas=True,
    ),
    "shantou": Profile(
        "汕头市体育局",
        "广东省",
        "汕头市",
        None,
        "city",
        "2070301",
        (("2070308", 60, 180),),
        staff=36,
        retirees=10,
        vehicles=2,
    ),
    "nanzheng": Profile(
        "汉中市南郑区水利局",
        "陕西省",
        "汉中市",
        "南郑区",
        "county",
        "2130301",
        (("2130306", 60, 200), ("2130314", 20, 60)),
        staff=32,
        retirees=11,
        vehicles=3,
    ),
    "bishan": Profile(
        "重庆市璧山区城市管理局",
        "重庆市",
        "重庆市",
        "璧山区",
        "county",
        "2120101",
        (("2120501", 100, 300), ("2120104", 50, 150)),
        staff=58,
        retirees=12,
        vehicles=5,
    ),
    "qinzhou": Profile(
        "天水市秦州区民政局",
        "甘肃省",
        "天水市",
        "秦州区",
        "county",
        "2080201",
        (("2080208", 30, 90), ("2081002", 60, 180)),
        staff=24,
        retirees=8,
        fund_line="2296002",
        vehicles=1,
    ),
    "wuxing": Profile(
        "湖州市吴兴区文化和广电旅游体育局",
        "浙江省",
        "湖州市",
        "吴兴区",
        "county",
        "2070101",
        (("2070109", 30, 90), ("2070111", 20, 60)),
        staff=30,
        retirees=9,
        vehicles=2,
    ),
    "weifang": Profile(
        "潍坊市交通运输局",
        "山东省",
        "潍坊市",
        None,
        "city",
        "2140101",
        (("2140104", 80, 240), ("2140106", 60, 180)),
        staff=64,
        retirees=21,
        vehicles=4,
        overseas=True,
    ),
    "jianxi": Profile(
        "洛阳市涧西区市场监督管理局",
        "河南省",
        "洛阳市",
        "涧西区",
        "county",
        "2013801",
        (("2013804", 20, 60), ("2013812", 40, 120)),
        staff=52,
        retirees=14,
        vehicles=4,
    ),
    "dalate": Profile(
        "鄂尔多斯市达拉特旗财政局",
        "内蒙古自治区",
        "鄂尔多斯市",
        "达拉特旗",
        "county",
        "2010601",
        (("2010607", 30, 90), ("2010608", 20, 70)),
        staff=40,
        retirees=12,
        vehicles=2,
    ),
    "jianghan": Profile(
        "武汉市江汉区生态环境局",
        "湖北省",
        "武汉市",
        "江汉区",
        "county",
        "2110101",
        (("2110102", 40, 120), ("2110302", 60, 180)),
        staff=34,
        retirees=9,
        vehicles=2,
    ),
    "liuzhou": Profile(
        "柳州市文化广电旅游局",
        "广西壮族自治区",
        "柳州市",
        None,
        "city",
        "2070101",
        (("2070109", 60, 160), ("2070111", 30, 90)),
        staff=40,
        retirees=14,
        vehicles=2,
        overseas=True,
    ),
    "zhanggong": Profile(
        "赣州市章贡区农业农村局",
        "江西省",
        "赣州市",
        "章贡区",
        "county",
        "2130101",
        (("2130108", 20, 60), ("2130122", 80, 300)),
        staff=30,
        retirees=9,
        institution_line="2130104",
        vehicles=2,
    ),
    "dongcheng": Profile(
        "北京市东城区审计局",
        "北京市",
        "北京市",
        "东城区",
        "county",
        "2010801",
        (("2010804", 40, 120),),
        staff=42,
        retirees=10,
        vehicles=2,
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


def wild(
    n: int,
    name: str,
    layout: str,
    profile: str,
    year: int,
    codes: str,
    slips: tuple[str, ...] = (),
) -> Variant:
    """A gen-wild-<n> variant: an edition of editions.yaml printing an invented department."""
    e = edition(name)
    return Variant(
        f"gen-wild-{n}",
        e["kind"],
        layout,  # type: ignore[arg-type]
        PROFILES[profile],
        year,
        50 + n,
        e["unit"],
        codes,  # type: ignore[arg-type]
        "compiler",
        separators=e["table_separators"],
        slips=slips,
        edition=name,
    )


#: one fixture per edition: the wording, table set, order and units of a province's
#: disclosures (eval/GUIDE.md's editions table); slips an edition's documents are prone to
WILD = [
    wild(1, "sichuan_unit", "plain", "shunqing", 2024, "split"),
    wild(2, "yunnan_dept", "ruled", "chuxiong", 2023, "combined", ("no_reason",)),
    wild(3, "guangdong_web", "html", "shantou", 2024, "combined", ("procurement_sum",)),
    wild(
        4, "shaanxi_county", "docx", "nanzheng", 2024, "split", ("blank_reason", "other_department")
    ),
    wild(5, "chongqing_disclosure", "plain", "bishan", 2023, "names", ("rate_no_sign",)),
    wild(6, "gansu_yuan_tables", "ruled", "qinzhou", 2024, "combined", ("total_scaled",)),
    wild(
        7, "hubei_budget", "ruled", "jianghan", 2025, "combined", ("project_sum", "missing_table")
    ),
    wild(8, "guangxi_yuan_text", "docx", "liuzhou", 2025, "split", ("word_three_budget",)),
    wild(9, "jiangxi_budget", "plain", "zhanggong", 2025, "combined"),
    wild(10, "beijing_traditional", "html", "dongcheng", 2025, "combined"),
    # written after the reader was tuned on the ten above: their first read is held out
    wild(11, "zhejiang_county_budget", "plain", "wuxing", 2025, "combined", ("procurement_sum",)),
    wild(12, "shandong_city_budget", "docx", "weifang", 2024, "split", ("blank_reason",)),
    wild(
        13,
        "henan_county_final",
        "ruled",
        "jianxi",
        2024,
        "split",
        ("no_reason", "other_department"),
    ),
    wild(
        14,
        "neimenggu_banner_final",
        "plain",
        "dalate",
        2023,
        "names",
        ("rate_no_sign", "blank_reason"),
    ),
]
VARIANTS += WILD


def composer_of(variant: Variant) -> type:
    """The composer that prints a variant: the national form's, or its edition's."""
    if variant.edition:
        return WildFinalComposer if variant.kind == "final" else WildBudgetComposer
    return FinalComposer if variant.kind == "final" else BudgetComposer


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
    if "word_three_budget" in variant.slips:
        # the planted 增加 needs a “三公” budget below last year's
        three, prior = accounts.three_budget, accounts.three_prior
        if three.total >= prior.total:
            prior.reception += three.total - prior.total + 150
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


def render(variant: Variant, blocks: list, folder: Path, title: str) -> Path:
    e = edition(variant.edition) if variant.edition else {}
    if variant.layout == "docx":
        source = folder / "source.docx"
        render_docx(blocks, source, title=title)
    elif variant.layout == "html":
        source = folder / "source.html"
        meta = [
            (
                k,
                v.format(
                    name=variant.profile.name,
                    year=variant.year,
                    year1=variant.year + 1,
                    seed=variant.seed % 10,
                ),
            )
            for k, v in e.get("meta", [])
        ]
        render_html(
            blocks,
            source,
            title=title,
            site=f"{variant.profile.city or variant.profile.province}人民政府",
            meta=meta,
            traditional=e.get("traditional", False),
            charset="utf-8" if e.get("traditional") else "gb2312",
        )
    else:
        source = folder / "source.pdf"
        render_pdf(
            blocks,
            source,
            ruled=variant.layout == "ruled",
            title=title,
            portrait=e.get("portrait", False),
            repeat_header=e.get("repeat_header", True),
        )
    return source


def as_printed(quote: str, text: str, variant: Variant) -> str:
    """The text's own spelling of a quote, with the spacing the reader kept (it may join
    "15000 元"); the quote unchanged if not found. A 繁體 page needs nothing here: jixiao
    reads it as simplified, and quotes are the normalised text's."""
    if quote in text:
        return quote
    pattern = r"\s*".join(re.escape(c) for c in quote if not c.isspace())
    found = re.search(pattern, text)
    return found.group(0) if found else quote


def write(variant: Variant) -> dict:
    accounts = build(variant.profile, variant.year, variant.seed)
    prepare(variant, accounts)
    blocks, gold = composer_of(variant)(variant, accounts).compose()
    folder = FIXTURES / variant.id
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("source.*"):
        old.unlink()
    kind = "部门决算" if variant.kind == "final" else "部门预算"
    title = f"{variant.profile.name}{variant.year}年度{kind}"
    source = render(variant, blocks, folder, title)
    text = jixiao_text(source)
    facts = gold.fact_list()
    flags = gold.flags
    if variant.edition:
        # an edition's spacing (15000 元) and 繁體 pages: the quote as the document prints it
        for item in [*facts, *flags]:
            if "quote" in item:
                item["quote"] = as_printed(item["quote"], text, variant)
    dropped = 0
    for fact in facts:
        if "quote" in fact and fact["quote"] not in text:
            del fact["quote"]
            dropped += 1
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
