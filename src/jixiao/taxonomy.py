"""Loads `taxonomy.yaml`: the one place that knows the taxonomy file's shape.

Everything that needs a concept's label, synonyms, kind or relations asks here:
rules patterns, LLM response models, the verifier, the review UI and the eval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

DERIVED_SUFFIXES = {
    "share_pct": ("占比", "share of the whole, %"),
    "yoy_change": ("比上年增减", "change from last year"),
    "yoy_change_pct": ("比上年增减幅度", "change from last year, %"),
    "completion_pct": ("完成预算的比例", "completion of the budget, %"),
}


@dataclass(frozen=True)
class Concept:
    name: str
    label: str
    synonyms: tuple[str, ...] = ()
    kind: str = "money"
    unit: str | None = None
    scope: str = "department"
    en: str = ""
    #: a key fact: one of the figures a reader looks for first (the eval's key-fact recall)
    key: bool = False
    #: the one cycle every figure of this concept is of, whatever the passage's wording
    #: (绩效目标/自评 cover 预算 money: "涉及资金128.53万元" in a 决算 is still a budget)
    stage: str | None = None

    @property
    def wordings(self) -> tuple[str, ...]:
        """Label and synonyms, longest first, as the rules backend matches them."""
        return tuple(sorted({self.label, *self.synonyms}, key=len, reverse=True))

    @property
    def default_unit(self) -> str:
        return {"money": "万元", "percent": "%", "score": "分"}.get(self.kind, self.unit or "")


@dataclass(frozen=True)
class Relation:
    id: str
    check: str
    label: str
    total: tuple[str, ...] = ()
    parts: tuple[str, ...] | str = ()
    result: str | None = None
    numerator: str | None = None
    denominator: tuple[str, ...] = ()
    percent: bool = False
    scope: str = "any"
    #: the flag a slip of this relation raises, when not its check (货物 + 工程 + 服务 ≠
    #: 政府采购 is a `procurement` finding)
    raises: str | None = None


@dataclass(frozen=True)
class Taxonomy:
    version: int
    concepts: dict[str, Concept]
    function_classes: dict[str, str]
    relations: tuple[Relation, ...]
    _extra: dict[str, Any] = field(default_factory=dict, compare=False)
    #: whether a 功能分类 class total (fa.function.<code>) is a key fact
    function_class_key: bool = False

    def get(self, name: str) -> Concept | None:
        """The concept of a name, including derived and function/item concepts."""
        if name in self.concepts:
            return self.concepts[name]
        base, _, suffix = name.rpartition(".")
        if suffix in DERIVED_SUFFIXES and base:
            parent = self.get(base)
            if parent is None:
                return None
            zh, en = DERIVED_SUFFIXES[suffix]
            kind = "money" if suffix == "yoy_change" else "percent"
            return Concept(
                name, f"{parent.label}{zh}", (), kind, None, parent.scope, f"{parent.en}: {en}"
            )
        match = re.fullmatch(r"fa\.(function|item)\.(\d{3})(?:\.(\d{2}))?(?:\.(\d{2}))?", name)
        if match:
            code = match.group(2)
            label = self.function_classes.get(code, f"功能分类{code}")
            if match.group(1) == "item":
                label = f"{label} {'.'.join(g for g in match.groups()[1:] if g)}"
            is_class = match.group(1) == "function" and match.group(3) is None
            return Concept(
                name,
                label,
                (),
                "money",
                None,
                "department",
                f"function {code}",
                key=is_class and self.function_class_key,
            )
        return None

    def is_key(self, name: str) -> bool:
        """Whether facts of `name` are key facts (derived concepts never are)."""
        concept = self.get(name)
        return concept is not None and concept.key

    def label(self, name: str) -> str:
        concept = self.get(name)
        return concept.label if concept else name

    def is_known(self, name: str) -> bool:
        return self.get(name) is not None

    def function_code_for(self, text: str) -> str | None:
        """The 类 code whose name a wording names (一般公共服务 → 201)."""
        for code, name in self.function_classes.items():
            stem = name.removesuffix("支出")
            if stem and stem in text:
                return code
        return None


def _relation(raw: dict[str, Any]) -> Relation:
    def as_tuple(value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        return (value,) if isinstance(value, str) else tuple(value)

    parts = raw.get("parts", ())
    return Relation(
        id=raw["id"],
        check=raw["check"],
        label=raw.get("label", raw["id"]),
        total=as_tuple(raw.get("total")),
        parts=parts if isinstance(parts, str) else tuple(parts),
        result=raw.get("result"),
        numerator=raw.get("numerator"),
        denominator=as_tuple(raw.get("denominator")),
        percent=bool(raw.get("percent", False)),
        scope=raw.get("scope", "any"),
        raises=raw.get("raises"),
    )


def parse_taxonomy(data: dict[str, Any]) -> Taxonomy:
    concepts = {
        name: Concept(
            name=name,
            label=spec["label"],
            synonyms=tuple(spec.get("synonyms") or ()),
            kind=spec.get("kind", "money"),
            unit=spec.get("unit"),
            scope=spec.get("scope", "department"),
            en=spec.get("en", ""),
            key=bool(spec.get("key", False)),
            stage=spec.get("stage"),
        )
        for name, spec in (data.get("concepts") or {}).items()
    }
    return Taxonomy(
        version=int(data.get("version", 1)),
        concepts=concepts,
        function_classes={str(k): v for k, v in (data.get("function_classes") or {}).items()},
        relations=tuple(_relation(r) for r in data.get("relations") or ()),
        function_class_key=bool(data.get("function_class_key", False)),
    )


@cache
def load_taxonomy() -> Taxonomy:
    """The taxonomy shipped with the package (cached: it is read on every document)."""
    text = resources.files("jixiao").joinpath("taxonomy.yaml").read_text(encoding="utf-8")
    return parse_taxonomy(yaml.safe_load(text))
