"""Save a reviewed document as an eval fixture, so review work grows the test set."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from jixiao.evaluate.gold import GoldIndicator
from jixiao.models import Flag, Record
from jixiao.review.values import InputRefused

#: the indicator fields a gold row holds (the eval's own definition of the format)
GOLD_INDICATOR_FIELDS = set(GoldIndicator.model_fields)
#: letters, digits, '-', '_' and '.', not dots alone ('.' and '..' name folders already)
_NAME = re.compile(r"^(?!\.+$)[A-Za-z0-9_.-]{1,64}$")


def record_to_gold(record: Record) -> dict:
    """The gold.json shape (eval/GUIDE.md) of a reviewed record."""
    facts = {}
    for fact in record.facts:
        key = (fact.concept, fact.scope, fact.year, fact.stage)
        if fact.origin == "review" or key not in facts:
            facts[key] = {
                "concept": fact.concept,
                "scope": fact.scope,
                "year": fact.year,
                "stage": fact.stage,
                "value": fact.value,
                "unit": fact.unit,
                "quote": fact.evidence.quote,
            }
    concepts = {f.id: f.concept for f in record.facts}
    return {
        "department": record.department.model_dump(),
        "fiscal_year": record.fiscal_year,
        "facts": list(facts.values()),
        "projects": [{"name": p.name, "code": p.code} for p in record.projects],
        "indicators": [row.model_dump(include=GOLD_INDICATOR_FIELDS) for row in record.indicators],
        "flags": [_gold_flag(f, concepts) for f in record.flags if f.status == "source_wrong"],
        "reviewed": True,
    }


def _gold_flag(flag: Flag, concepts: dict[str, str]) -> dict:
    """A confirmed finding as a gold flag: its operands' concepts and its first quoted place."""
    place = next((loc for loc in flag.location if loc.quote), None)
    return {
        "check": flag.check,
        "concepts": sorted({concepts.get(i, i) for i in flag.facts}),
        "quote": place.quote if place else None,
        "page": place.page if place else None,
        "note": flag.message,
    }


def save_as_fixture(record: Record, fixtures_dir: Path, name: str) -> Path:
    """Write `<fixtures_dir>/<name>/gold.json` and a copy of the source when readable."""
    root = Path(fixtures_dir).resolve()
    folder = (root / name).resolve() if _NAME.match(name) else None
    if folder is None or folder.parent != root:
        raise InputRefused(
            "fixture names use letters, digits, '-', '_' or '.' only, and not dots alone",
            "error_fixture_name",
        )
    if (folder / "gold.json").exists():
        raise InputRefused(
            f"fixture {name} exists already: choose another name", "error_fixture_exists", name=name
        )
    folder.mkdir(parents=True, exist_ok=True)
    source = Path(record.source.path)
    if source.is_file():
        shutil.copyfile(source, folder / f"source{source.suffix.lower()}")
    gold = json.dumps(record_to_gold(record), ensure_ascii=False, indent=2)
    (folder / "gold.json").write_text(gold + "\n", encoding="utf-8")
    return folder
