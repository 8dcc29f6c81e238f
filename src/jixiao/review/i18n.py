"""The review interface's languages: Chinese by default, English on request.

Texts live in `messages.yaml` (data, not code), loaded once. A request's language is,
in order: `?lang=` (remembered in a cookie), that cookie, the server's `--lang`, the
browser's Accept-Language, else Chinese — reviewers are Chinese finance and audit staff.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
LANG_COOKIE = "jixiao_lang"
MESSAGES = Path(__file__).with_name("messages.yaml")

Translate = Callable[..., str]


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """key → {language → text}; every key has every language (checked by a test)."""
    with MESSAGES.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def translator(lang: str) -> Translate:
    """`t(key, **params)` in `lang`; a key the catalogue lacks shows as ⟦key⟧, so a test
    can find it on any page."""
    texts = catalogue()

    def t(key: str, **params: Any) -> str:
        entry = texts.get(key)
        if entry is None:
            return f"⟦{key}⟧"
        text = entry.get(lang) or entry[DEFAULT]
        return text.format(**params) if params else text

    return t


def label(t: Translate, prefix: str, value: str | None) -> str:
    """A vocabulary word (check, status, kind …) in the language, or the value itself."""
    if value is None:
        return ""
    key = f"{prefix}_{value}"
    return t(key) if key in catalogue() else value


def choose(query: str | None, cookie: str | None, server: str | None, accept: str) -> str:
    """The language of one request (see the module docstring)."""
    for explicit in (query, cookie, server):
        if explicit in LANGUAGES:
            return explicit
    return _from_accept_language(accept)


def _from_accept_language(header: str) -> str:
    """The best of our languages by the header's q-values (zh wins ties and absence)."""
    best, best_q = DEFAULT, 0.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang = tag.strip().lower().split("-")[0]
        if lang in LANGUAGES and (q > best_q or (q == best_q and lang == DEFAULT)):
            best, best_q = lang, q
    return best
