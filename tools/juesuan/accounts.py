"""The numbers of one invented department's year, built so that every identity holds.

Money is an integer count of 0.01 万元 (100 元): 万元 figures print exactly with two
decimals and 元 figures exactly as whole yuan, so a table in either unit adds up to the
cent and a clean variant has nothing a verifier could call a slip.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

#: social-security lines every department carries, and the 经济分类 line each restates
SOCIAL_LINES: dict[str, str] = {
    "2080501": "30302",
    "2080505": "30108",
    "2080506": "30109",
    "2101101": "30110",
    "2210201": "30113",
}


@dataclass(frozen=True)
class Profile:
    """An invented department: who it is and what lines its accounts use."""

    name: str
    province: str
    city: str | None
    county: str | None
    level: str
    #: the 行政运行 line that carries the basic expenditure left after the social lines
    admin_line: str
    #: project lines and the range of their size in 万元
    projects: tuple[tuple[str, int, int], ...]
    staff: int
    retirees: int
    #: a 事业运行 line funded partly by 事业收入 (a public institution inside the department)
    institution_line: str | None = None
    #: a 政府性基金 project line (彩票公益金)
    fund_line: str | None = None
    vehicles: int = 2
    overseas: bool = False


@dataclass
class Line:
    """One 项 line: what the department spent on it, by fund and by kind, and its budget."""

    code: str
    gb_basic: int = 0
    gb_project: int = 0
    gf_project: int = 0
    other_basic: int = 0
    other_project: int = 0
    #: 年初预算 of the general-budget part
    budget: int = 0
    #: revenue booked on the line (收入决算表)
    fiscal_revenue: int = 0
    business_revenue: int = 0
    other_revenue: int = 0

    @property
    def gb(self) -> int:
        return self.gb_basic + self.gb_project

    @property
    def basic(self) -> int:
        return self.gb_basic + self.other_basic

    @property
    def project(self) -> int:
        return self.gb_project + self.gf_project + self.other_project

    @property
    def total(self) -> int:
        return self.basic + self.project

    @property
    def revenue(self) -> int:
        return self.fiscal_revenue + self.business_revenue + self.other_revenue


@dataclass
class ThreePublic:
    """The “三公” figures of one stage (预算数 or 决算数)."""

    overseas: int
    purchase: int
    running: int
    reception: int

    @property
    def vehicle(self) -> int:
        return self.purchase + self.running

    @property
    def total(self) -> int:
        return self.overseas + self.vehicle + self.reception


@dataclass
class Accounts:
    """A department's year: lines, 经济分类, carry-overs, “三公”, prior-year figures."""

    year: int
    lines: dict[str, Line]
    econ: dict[str, int]
    carry_begin_gb: int
    carry_end_gb: int
    carry_begin_gf: int
    carry_end_gf: int
    carry_begin_other: int
    carry_end_other: int
    three_budget: ThreePublic
    three_final: ThreePublic
    three_prior: ThreePublic
    operating: int
    operating_prior: int
    prior_total: int
    prior_fiscal_total: int
    prior_gb: int
    procurement: tuple[int, int, int]
    sme_reserved: int
    small_micro_reserved: int
    vehicles: dict[str, int]
    equipment: int
    self_eval_score: str
    overseas_groups: tuple[int, int]
    reception_batches: tuple[int, int]
    notes: dict[str, str] = field(default_factory=dict)

    # ---------------------------------------------------------------- department totals
    def total_of(self, attr: str, codes: list[str] | None = None) -> int:
        lines = self.lines.values() if codes is None else (self.lines[c] for c in codes)
        return sum(getattr(line, attr) for line in lines)

    def prefix_total(self, attr: str, prefix: str) -> int:
        return sum(
            getattr(line, attr) for code, line in self.lines.items() if code.startswith(prefix)
        )

    @property
    def revenue_gb(self) -> int:
        return self.total_of("gb") - self.carry_begin_gb + self.carry_end_gb

    @property
    def revenue_gf(self) -> int:
        return self.total_of("gf_project") - self.carry_begin_gf + self.carry_end_gf

    @property
    def revenue_business(self) -> int:
        return self.total_of("business_revenue")

    @property
    def revenue_other(self) -> int:
        return self.total_of("other_revenue")

    @property
    def revenue_total(self) -> int:
        return self.revenue_gb + self.revenue_gf + self.revenue_business + self.revenue_other

    @property
    def fiscal_revenue(self) -> int:
        return self.revenue_gb + self.revenue_gf

    @property
    def expenditure(self) -> int:
        return self.total_of("total")

    @property
    def carry_begin(self) -> int:
        return self.carry_begin_gb + self.carry_begin_gf + self.carry_begin_other

    @property
    def carry_end(self) -> int:
        return self.carry_end_gb + self.carry_end_gf + self.carry_end_other

    @property
    def grand_total(self) -> int:
        return self.revenue_total + self.carry_begin

    @property
    def fiscal_expenditure(self) -> int:
        return self.total_of("gb") + self.total_of("gf_project")

    @property
    def fiscal_total(self) -> int:
        return self.fiscal_revenue + self.carry_begin_gb + self.carry_begin_gf

    @property
    def personnel(self) -> int:
        return sum(v for k, v in self.econ.items() if k[:3] in ("301", "303"))

    @property
    def public(self) -> int:
        return sum(v for k, v in self.econ.items() if k[:3] in ("302", "310"))

    def check(self) -> None:
        """Every identity the form states; a generator bug stops here, not in the eval."""
        assert self.grand_total == self.expenditure + self.carry_end
        assert self.fiscal_total == self.fiscal_expenditure + self.carry_end_gb + self.carry_end_gf
        assert self.revenue_total == self.total_of("revenue")
        assert self.personnel + self.public == self.total_of("gb_basic")
        assert self.operating <= self.public
        assert self.carry_end_gb >= 0 and self.carry_end_other >= 0
        for line in self.lines.values():
            assert (
                min(line.gb_basic, line.gb_project, line.fiscal_revenue, line.business_revenue) >= 0
            )
        assert self.econ["30217"] == self.three_final.reception
        assert self.econ["30231"] == self.three_final.running
        assert self.econ.get("30212", 0) == self.three_final.overseas
        goods, works, services = self.procurement
        assert self.small_micro_reserved <= self.sme_reserved <= goods + works + services


def _amount(rng: random.Random, low: float, high: float) -> int:
    """A money amount in 0.01 万元 between low and high 万元."""
    return rng.randint(round(low * 100), round(high * 100))


def _scaled(rng: random.Random, value: int, low: float, high: float) -> int:
    return round(value * rng.uniform(low, high))


def _three(rng: random.Random, profile: Profile) -> tuple[ThreePublic, ThreePublic, ThreePublic]:
    overseas = _amount(rng, 3, 12) if profile.overseas else 0
    purchase = _amount(rng, 15, 28) if rng.random() < 0.4 else 0
    running = _amount(rng, 1.5, 3.5) * max(profile.vehicles, 1)
    reception = _amount(rng, 0.3, 3.5)
    final = ThreePublic(overseas, purchase, running, reception)
    budget = ThreePublic(
        overseas + (_amount(rng, 0.5, 3) if overseas else 0),
        purchase,
        running + _amount(rng, 0, 2),
        reception + _amount(rng, 0, 1),
    )
    prior = ThreePublic(
        _scaled(rng, overseas, 0.6, 1.4) if overseas else 0,
        0 if purchase else (_amount(rng, 15, 25) if rng.random() < 0.3 else 0),
        _scaled(rng, running, 0.8, 1.25),
        _scaled(rng, reception, 0.6, 1.5),
    )
    return budget, final, prior


def _econ(rng: random.Random, profile: Profile, three: ThreePublic) -> dict[str, int]:
    n = profile.staff
    econ: dict[str, int] = {
        "30101": _amount(rng, 3.2 * n, 4.2 * n),
        "30102": _amount(rng, 4.0 * n, 6.5 * n),
        "30103": _amount(rng, 0.2 * n, 0.5 * n),
    }
    if profile.institution_line:
        econ["30107"] = _amount(rng, 1.0 * n, 2.0 * n)
    wages = sum(econ.values())
    econ["30108"] = round(wages * 0.16)
    econ["30109"] = round(wages * 0.08)
    econ["30110"] = round(wages * 0.085)
    econ["30112"] = round(wages * 0.01)
    econ["30113"] = round(wages * 0.12)
    econ["30199"] = _amount(rng, 0.3 * n, 0.8 * n)
    econ.update(
        {
            "30201": _amount(rng, 0.3 * n, 0.7 * n),
            "30202": _amount(rng, 0.5, 3),
            "30205": _amount(rng, 0.5, 3),
            "30206": _amount(rng, 2, 8),
            "30207": _amount(rng, 1, 5),
            "30211": _amount(rng, 0.1 * n, 0.3 * n),
            "30213": _amount(rng, 2, 12),
            "30215": _amount(rng, 0.5, 3),
            "30216": _amount(rng, 0.5, 4),
            "30217": three.reception,
            "30228": round(wages * 0.02),
            "30229": _amount(rng, 0.1 * n, 0.2 * n),
            "30231": three.running,
            "30239": _amount(rng, 0.2 * n, 0.5 * n),
            "30299": _amount(rng, 1, 10),
        }
    )
    if three.overseas:
        econ["30212"] = three.overseas
    econ["30302"] = _amount(rng, 3.0 * profile.retirees, 4.5 * profile.retirees)
    econ["31002"] = _amount(rng, 1, 8)
    return dict(sorted(econ.items()))


def build(profile: Profile, year: int, seed: int) -> Accounts:
    """The accounts of `profile` for `year`, deterministic for a seed."""
    rng = random.Random(seed)
    budget3, final3, prior3 = _three(rng, profile)
    econ = _econ(rng, profile, final3)
    lines: dict[str, Line] = {}
    basic_left = sum(econ.values())
    for code, econ_code in SOCIAL_LINES.items():
        if econ.get(econ_code):
            lines[code] = Line(code, gb_basic=econ[econ_code])
            basic_left -= econ[econ_code]
    subsidy = min(_amount(rng, 0.2 * profile.staff, 0.4 * profile.staff), econ["30199"])
    lines["2210203"] = Line("2210203", gb_basic=subsidy)
    basic_left -= subsidy
    admin = Line(profile.admin_line)
    if profile.institution_line:
        inst = Line(profile.institution_line)
        inst.gb_basic = round(basic_left * rng.uniform(0.2, 0.35))
        basic_left -= inst.gb_basic
        inst.other_basic = _amount(rng, 20, 60)
        lines[inst.code] = inst
    admin.gb_basic = basic_left
    admin.gb_project = _amount(rng, 2, 12) if rng.random() < 0.6 else 0
    admin.other_basic = _amount(rng, 0.5, 4) if rng.random() < 0.5 else 0
    lines[admin.code] = admin
    for code, low, high in profile.projects:
        lines[code] = Line(code, gb_project=_amount(rng, low, high))
    if profile.fund_line:
        lines[profile.fund_line] = Line(profile.fund_line, gf_project=_amount(rng, 40, 150))
    lines = dict(sorted(lines.items()))

    # 年初预算 of every general-budget line: basic close to the final, projects wider
    for line in lines.values():
        if not line.gb:
            continue
        if rng.random() < 0.35:
            line.budget = line.gb
        elif line.gb_project and not line.gb_basic:
            line.budget = _scaled(rng, line.gb, 0.85, 1.15)
        else:
            line.budget = _scaled(rng, line.gb, 0.96, 1.03)

    gb_total = sum(line.gb for line in lines.values())
    carry_begin_gb = _scaled(rng, gb_total, 0.0, 0.03)
    carry_end_gb = _scaled(rng, gb_total, 0.0, 0.02)
    fund_total = sum(line.gf_project for line in lines.values())
    carry_begin_gf = _scaled(rng, fund_total, 0.0, 0.1) if fund_total else 0
    carry_end_gf = _scaled(rng, fund_total, 0.0, 0.05) if fund_total else 0
    other_exp = sum(line.other_basic + line.other_project for line in lines.values())
    carry_begin_other = _amount(rng, 0, 5) if other_exp else 0
    carry_end_other = _amount(rng, 0, 5) if other_exp else 0

    # revenue by line: each line's own money, the year's carry-over change on the largest
    # project line of its fund
    for line in lines.values():
        line.fiscal_revenue = line.gb + line.gf_project
        line.other_revenue = line.other_basic if line.code == profile.admin_line else 0
        if line.code == profile.institution_line:
            line.business_revenue = line.other_basic + line.other_project
    by_project = sorted(lines.values(), key=lambda ln: ln.gb_project, reverse=True)
    by_project[0].fiscal_revenue += carry_end_gb - carry_begin_gb
    if profile.fund_line:
        lines[profile.fund_line].fiscal_revenue += carry_end_gf - carry_begin_gf
    # a carry-over spent this year is at most what the line's own revenue and the year-end
    # balance allow: no line books a negative 事业收入 / 其他收入
    if profile.institution_line:
        line = lines[profile.institution_line]
        carry_begin_other = min(carry_begin_other, line.business_revenue + carry_end_other)
        line.business_revenue += carry_end_other - carry_begin_other
    elif other_exp:
        line = lines[profile.admin_line]
        carry_begin_other = min(carry_begin_other, line.other_revenue + carry_end_other)
        line.other_revenue += carry_end_other - carry_begin_other

    public = sum(v for k, v in econ.items() if k[:3] in ("302", "310"))
    vehicles = {
        "其他用车": max(profile.vehicles - 1, 0),
        "执法执勤用车": 1 if profile.vehicles else 0,
    }
    goods, works, services = _amount(rng, 10, 60), _amount(rng, 0, 80), _amount(rng, 30, 200)
    sme = _scaled(rng, goods + works + services, 0.3, 0.6)
    accounts = Accounts(
        year=year,
        lines=lines,
        econ=econ,
        carry_begin_gb=carry_begin_gb,
        carry_end_gb=carry_end_gb,
        carry_begin_gf=carry_begin_gf,
        carry_end_gf=carry_end_gf,
        carry_begin_other=carry_begin_other,
        carry_end_other=carry_end_other,
        three_budget=budget3,
        three_final=final3,
        three_prior=prior3,
        operating=_scaled(rng, public, 0.75, 0.95),
        operating_prior=_scaled(rng, public, 0.7, 1.0),
        prior_total=0,
        prior_fiscal_total=0,
        prior_gb=0,
        procurement=(goods, works, services),
        sme_reserved=sme,
        small_micro_reserved=_scaled(rng, sme, 0.6, 0.8),
        vehicles=vehicles,
        equipment=rng.choice([0, 0, 1, 2]),
        self_eval_score=f"{rng.uniform(88, 97):.1f}",
        overseas_groups=(rng.randint(1, 3), rng.randint(3, 9)) if final3.overseas else (0, 0),
        reception_batches=(rng.randint(5, 30), rng.randint(30, 200)),
    )
    # the previous year moves with this one: one factor, a little noise per figure
    factor = rng.uniform(0.88, 1.12)
    accounts.prior_total = _scaled(rng, accounts.grand_total, factor - 0.01, factor + 0.01)
    accounts.prior_fiscal_total = _scaled(rng, accounts.fiscal_total, factor - 0.01, factor + 0.01)
    accounts.prior_gb = _scaled(rng, gb_total, factor - 0.01, factor + 0.01)
    accounts.check()
    return accounts
