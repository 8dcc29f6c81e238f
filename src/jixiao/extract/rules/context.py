"""What the whole report is about: the department (with its place) and the fiscal year.

Both are read once per document because every fact needs them: the fiscal year is the
default `Fact.year`, and the department's level decides which checks apply. They come
from the cover and title lines (``2023年度部门决算``, ``填报单位：石峰区信访局``), never
from years or names that happen to appear in the body.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from jixiao.document import Document, Table
from jixiao.models import Department, Section
from jixiao.segment.index import Sections
from jixiao.taxonomy import Taxonomy, load_taxonomy
from jixiao.vocabulary import load_vocabulary, numbering_pattern

#: province-level names (省, 自治区, 直辖市, 特别行政区), without their suffix
PROVINCES = load_vocabulary().provinces
MUNICIPALITIES = load_vocabulary().municipalities
_PROVINCE = re.compile(
    "(?P<province>(?:" + "|".join(sorted(PROVINCES, key=len, reverse=True)) + r")"
    r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)?)"
)
_HAN = r"[\u4e00-\u9fff]"
_CITY = re.compile(rf"(?P<city>{_HAN}{{2,7}}?(?:市|自治州|州|盟|地区))")
_COUNTY = re.compile(rf"(?P<county>{_HAN}{{1,6}}?(?:区|县|旗|市))")
#: a 区 that is not a district: 社区, 园区, 辖区 …
_NAMES = load_vocabulary().department_names
_NOT_COUNTY = _NAMES["not_county"]
#: what a department's name ends with
_AGENCY = "(?:" + "|".join(_NAMES["agency_suffixes"]) + ")"
_NAME = re.compile(
    rf"(?:中共)?{_HAN}{{2,24}}?{_AGENCY}(?=[^\u4e00-\u9fff]|整体|部门|项目|\d|20|$|本级)"
)
_LABELLED = re.compile(
    "(?:" + "|".join(_NAMES["labels"]) + ")"
    r"[:：]?[ \t\u3000]*"
    rf"(?P<name>(?:中共)?{_HAN}[\u4e00-\u9fff（）()]{{1,30}})"
)
_TITLE_YEAR = re.compile(
    r"(?P<year>20\d{2})\s*年度?[^。，,；\n]{0,40}?(?:决算|绩效|自评|评价|预算|报告|目标表)"
)
_PLACE = re.compile(r"[省市州区县旗盟]")
_TITLE_WORDS = _NAMES["title_words"]
_HEAD_BLOCKS = 40
PLACES = Path(__file__).with_name("places.yaml")
#: whose 党委/政府 a report serves: 市委、市政府, 全县, 区直 …
_JURISDICTION = re.compile(r"全([省市区县])|(?<![社园辖城景小片])([省市区县])(?:委|政府|直|级财政)")
_LEVEL_OF = {"省": "province", "市": "city", "区": "county", "县": "county"}


@dataclass
class RulesContext:
    """Everything the rules readers share about one document."""

    department: Department
    fiscal_year: int | None
    taxonomy: Taxonomy
    doc: Document
    sections: list[Section]
    #: the record-level kind segmentation decided (budget, final_accounts, mixed …)
    document_kind: str = "unknown"
    #: 款/项 codes by (parent code, name) from the document's own function tables
    item_names: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def is_budget(self) -> bool:
        """A 部门预算/单位预算: its figures are the coming year's budget unless they say
        otherwise, and its 预算 wordings name stages, not budget.* concepts."""
        return self.document_kind == "budget"


#: a part label before a title: 第二部分上海市XX局2024年度部门决算表
_PART_PREFIX = numbering_pattern("part_prefix")
#: where a cover title's department name ends: its year, level or report words
_TITLE_TAIL = re.compile(
    r"20\d{2}\s*年度?|(?:区|市|县|省|州|旗)级|部门|单位|整体|绩效|项目|预算|决算|[（(]"
)
#: a short cover line that may be the first part of a title wrapped over several lines
_COVER_PART = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}$")


def read_context(doc: Document, sections: list[Section]) -> RulesContext:
    """Read the department and fiscal year from the cover and titles."""
    lines = _head_lines(doc)
    titles = [t for t in (doc.para_text(p).strip() for p in doc.paragraphs) if _is_title(t)]
    name = (
        _labelled_name(lines)
        or cover_name(doc, sections)
        or department_name(lines + titles)
        or _name_line(doc)
    )
    department = split_department(name) if name else Department(level=jurisdiction_level(doc.text))
    return RulesContext(
        department=department,
        fiscal_year=cover_year(sections) or fiscal_year(lines, sections) or _common_year(doc.text),
        taxonomy=load_taxonomy(),
        doc=doc,
        sections=sections,
        document_kind=sections.document_kind if isinstance(sections, Sections) else "unknown",
    )


def _head_lines(doc: Document) -> list[str]:
    """The first paragraphs and table cells: where covers and titles are."""
    lines: list[str] = []
    for block in doc.blocks[:_HEAD_BLOCKS]:
        if isinstance(block, Table):
            lines.extend(c.text for row in block.rows[:6] for c in row if c.text)
        else:
            lines.append(doc.text[block.start : block.end])
    return [line.strip() for line in lines if line.strip()]


def _is_title(line: str) -> bool:
    return len(line) <= 60 and any(w in line for w in _TITLE_WORDS)


def fiscal_year(lines: list[str], sections: list[Section] | None = None) -> int | None:
    """The report's year: the one its titles name (``2021年部门整体支出绩效自评报告``).

    Titles are the short lines naming a report kind; section titles count too. The most
    frequent year among them wins, the earliest title breaking ties, so a 2022 comparison
    in the body never becomes the fiscal year.
    """
    titles = [line for line in lines if _is_title(line)]
    titles += [s.title for s in sections or [] if _is_title(s.title)]
    years = [int(m.group("year")) for t in titles for m in _TITLE_YEAR.finditer(t)]
    if not years:
        years = [int(m.group("year")) for line in lines[:10] for m in _TITLE_YEAR.finditer(line)]
    if not years:
        return None
    counts = Counter(years)
    best = max(counts.values())
    return next(y for y in years if counts[y] == best)


def _labelled_name(lines: list[str]) -> str | None:
    """The name a labelled line gives: 预算主管部门：…, 编制部门：…单位：元, 填报单位：…"""
    for line in lines:
        m = _LABELLED.search(line)
        if m:
            name = _trim(m.group("name"))
            # 编制部门：某局单位：元 — the unit label follows the name without a break
            if name.endswith("单位") and line[m.end() : m.end() + 1] in ("：", ":"):
                name = name.removesuffix("单位").removesuffix("金额")
            name = _LOCAL_LEVEL.sub("", name)
            if name and _looks_like_name(name):
                return name
    return None


_LOCAL_LEVEL = re.compile(r"[（(]?本级[)）]?$")


def cover_name(doc: Document, sections: list[Section]) -> str | None:
    """The name the document's title line gives, with the short cover lines it may be
    wrapped from ("中共上海市普陀区委" / "社会工作部" / "2024年度部门决算"): the text
    before its year or report words, without a part label (第二部分…)."""
    evidence = sections.document_kind_evidence if isinstance(sections, Sections) else None
    if evidence is None:
        return None
    name = _name_before_tail(evidence.quote)
    if name is not None or _TITLE_TAIL.match(_strip_lead(evidence.quote)) is None:
        return name
    # the title starts with its year or report words: its name is on the lines above
    parts: list[str] = []
    for block in reversed(list(doc.blocks_in(max(0, evidence.start - 80), evidence.start))):
        line = doc.text[block.start : block.end].strip()
        if isinstance(block, Table) or not _COVER_PART.match(line) or len(parts) > 1:
            break
        if _PART_PREFIX.match(line) or line in ("目录", "目  录"):
            break
        parts.insert(0, line)
    return _name_before_tail("".join(parts) + evidence.quote) if parts else None


def cover_year(sections: list[Section]) -> int | None:
    """The year the title line that decided the document's kind names
    (上海市普陀区2025年区级部门预算, 2024年度部门决算): the year the document is about,
    whatever other years its comparisons cite."""
    evidence = sections.document_kind_evidence if isinstance(sections, Sections) else None
    if evidence is None:
        return None
    found = re.search(r"(20\d{2})\s*年", evidence.quote)
    return int(found.group(1)) if found else None


def _strip_lead(title: str) -> str:
    return re.sub(r"^\s*20\d{2}\s*年度?", "", _PART_PREFIX.sub("", title))


def _name_before_tail(title: str) -> str | None:
    """The department name a title starts with, before its year or report words."""
    joined = _strip_lead(title)
    tail = _TITLE_TAIL.search(joined)
    name = joined[: tail.start()] if tail else joined
    return name if _looks_like_name(name) and _PLACE.search(name) else None


def department_name(lines: list[str]) -> str | None:
    """The department's name from a labelled line (填报单位：…) or a title line."""
    labelled = _labelled_name(lines)
    if labelled:
        return labelled
    for line in lines:
        if not (_is_title(line) or len(line) <= 20):
            continue
        stripped = re.sub(r"^\s*20\d{2}\s*年度?", "", _PART_PREFIX.sub("", line))
        m = _NAME.match(stripped)
        if m and _looks_like_name(m.group(0)) and _PLACE.search(m.group(0)):
            return m.group(0)
    return None


def _name_line(doc: Document) -> str | None:
    """A paragraph that is only a name with a place (``2021年中共广元市委群众工作局``).

    Packages put such a line above each sub-report, often far from the cover.
    """
    for p in doc.paragraphs:
        line = _PART_PREFIX.sub("", doc.para_text(p).strip())
        line = re.sub(r"^\s*20\d{2}\s*年度?", "", line)
        if 4 <= len(line) <= 30 and _NAME.fullmatch(line) and _PLACE.search(line):
            return line
    return None


def _common_year(text: str) -> int | None:
    """The most frequent ``20xx年`` of the text: the fallback when no title names a year."""
    counts = Counter(int(y) for y in re.findall(r"(20\d{2})\s*年", text))
    return counts.most_common(1)[0][0] if counts else None


def _trim(name: str) -> str:
    """Cut what follows a name on a label line (（公章）, 填报人 …)."""
    name = re.split(r"[（(]公章|填报|联系|\s", name)[0]
    return name.strip("：: ")


def _looks_like_name(name: str) -> bool:
    return bool(re.search(rf"{_AGENCY}$", name)) and len(name) >= 3 and "本级" not in name


def split_department(name: str) -> Department:
    """Province / city / county from the administrative suffixes in a department's name."""
    rest = name.removeprefix("中共")
    province = city = county = None
    m = _PROVINCE.match(rest)
    if m:
        province = m.group("province")
        if province in MUNICIPALITIES:
            province += "市"
        rest = rest[m.end() :]
    if not (province and province.endswith("市")):
        m = _CITY.match(rest)
        if m and not _is_agency_word(m.group("city")):
            city = m.group("city")
            rest = rest[m.end() :]
    m = _COUNTY.match(rest)
    if m and not _generic_area(m.group("county")) and not _is_agency_word(m.group(0)):
        county = m.group("county")
    level = "county" if county else "city" if city else "province" if province else None
    province = province or province_of_city(city)
    if province is not None and province.removesuffix("市") in MUNICIPALITIES:
        city = province  # a 直辖市 is its own city: 上海市普陀区 is in 上海市, 上海市
    return Department(name=name, province=province, city=city, county=county, level=level)


@cache
def _city_provinces() -> dict[str, str]:
    """City (without 市) or prefecture (full name) → province, from ``places.yaml``."""
    data = yaml.safe_load(PLACES.read_text(encoding="utf-8")) or {}
    return {place: province for province, places in data.items() for place in places}


def province_of_city(city: str | None) -> str | None:
    """The province of a prefecture-level city or prefecture (攀枝花市 → 四川省), if known."""
    if not city:
        return None
    table = _city_provinces()
    return table.get(city) or table.get(city.removesuffix("市"))


def jurisdiction_level(text: str) -> str | None:
    """The level a report speaks for when it names no department: its own 市委/全县 words.

    A template left unfilled (部门名称：空) still says whose 党委 and 政府 it serves; the
    most frequent of 市/区县/省 in those words decides, and a tie decides nothing.
    """
    counts = Counter(_LEVEL_OF[m.group(1) or m.group(2)] for m in _JURISDICTION.finditer(text))
    if not counts:
        return None
    ranked = counts.most_common(2)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def _generic_area(place: str) -> bool:
    """社区, 园区, 全区 … are no district; 东城区 and 西城区 are (城区 only on its own)."""
    return place == "城区" or place.endswith(tuple(w for w in _NOT_COUNTY if w != "城区"))


def _is_agency_word(place: str) -> bool:
    """A 市/区 match that swallowed part of an agency (信访局 …) is not a place."""
    return bool(re.search(_AGENCY, place[:-1]))
