"""类款项 lines printed by name only: ``卫生健康（类）行政事业单位医疗（款）行政单位医疗（项）``.

Many 决算 templates mark the levels with （类）（款）（项） instead of printing the codes
(``卫生健康支出（210）行政事业单位医疗（11）行政单位医疗（01）``). The codes are read from
the taxonomy's `function_classes` (类) and from ``function_items.yaml`` (款, 项), data
of the national classification; a level whose name is not known yields no item.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

ITEMS_FILE = Path(__file__).with_name("function_items.yaml")
#: the national list of 款/项 names the verifier reads too (package data)
NATIONAL_NAMES = "function_names.yaml"
_NAME = r"(?:[\u4e00-\u9fff、“”]|[（(]室[)）])"
#: 一般公共服务（类）政府办公厅（室）及相关机构事务（款）信访事务（项）
NAMED_ITEM_LINE = re.compile(
    rf"(?P<cls>[\u4e00-\u9fff]{{2,14}}?)\s*[（(]类[)）]\s*"
    rf"(?P<kuan>{_NAME}{{2,30}}?)\s*[（(]款[)）]\s*"
    rf"(?:(?P<xiang>{_NAME}{{2,30}}?)\s*[（(]项[)）])?"
)


@dataclass(frozen=True)
class _Kuan:
    code: str
    items: dict[str, str]


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Names compared without spaces, （室）, a trailing 支出, width differences and the
    variant 其它 for 其他 (其它行政事业单位养老支出 is the list's 其他…)."""
    key = re.sub(r"\s|[（(]室[)）]", "", unicodedata.normalize("NFKC", name))
    key = key.replace("其它", "其他")
    return key.removesuffix("支出") or key


@cache
def _load() -> tuple[dict[str, str], dict[str, dict[str, _Kuan]]]:
    data: dict[str, Any] = yaml.safe_load(ITEMS_FILE.read_text(encoding="utf-8")) or {}
    common = {name_key(k): str(v) for k, v in (data.get("common_items") or {}).items()}
    classes: dict[str, dict[str, _Kuan]] = {}
    for cls, kuans in (data.get("classes") or {}).items():
        classes[str(cls)] = {
            name_key(name): _Kuan(
                str(spec["code"]),
                {name_key(k): str(v) for k, v in (spec.get("items") or {}).items()},
            )
            for name, spec in kuans.items()
        }
    _merge_national_names(classes)
    return common, classes


def _merge_national_names(classes: dict[str, dict[str, _Kuan]]) -> None:
    """Add the 款/项 of the national list the verifier checks names against
    (`function_names.yaml`, code → name), so both read one classification."""
    text = resources.files("jixiao").joinpath(NATIONAL_NAMES).read_text(encoding="utf-8")
    names: dict[str, str] = {
        str(k): v for k, v in (yaml.safe_load(text) or {}).get("names", {}).items()
    }
    for code, name in sorted(names.items(), key=lambda pair: len(pair[0])):
        if len(code) == 5:
            kuans = classes.setdefault(code[:3], {})
            kuans.setdefault(name_key(name), _Kuan(code[3:], {}))
        elif len(code) == 7:
            kuan_name = names.get(code[:5])
            kuan = classes.get(code[:3], {}).get(name_key(kuan_name)) if kuan_name else None
            if kuan is not None:
                kuan.items.setdefault(name_key(name), code[5:])


def class_code(name: str, function_classes: dict[str, str]) -> str | None:
    """The 类 code of a class name with or without its 支出 (一般公共服务 → 201).

    The name may carry words before it (主要用于一般公共服务), so it is matched by its end.
    """
    key = name_key(name)
    ends = [
        (len(name_key(cls)), code)
        for code, cls in function_classes.items()
        if key.endswith(name_key(cls))
    ]
    return max(ends)[1] if ends else None


def item_codes(
    cls_name: str, kuan: str, xiang: str | None, function_classes: dict[str, str]
) -> list[str] | None:
    """[类, 款] or [类, 款, 项] codes of a named line, or None when a level is unknown."""
    cls = class_code(cls_name, function_classes)
    if cls is None:
        return None
    common, classes = _load()
    found = classes.get(cls, {}).get(name_key(kuan))
    if found is None:
        return None
    if xiang is None:
        return [cls, found.code]
    key = name_key(xiang)
    code = found.items.get(key) or common.get(key)
    return [cls, found.code, code] if code else None
