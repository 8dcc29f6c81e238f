"""The `llm` and `hybrid` backends: instructor over any OpenAI-compatible endpoint.

`make_backend("llm", **options)` builds the `llm` backend; `jixiao.extract.registry`
calls it for `llm` and wraps it for `hybrid` (`jixiao.extract.hybrid`). Options: ``settings`` (a resolved `jixiao.config.Settings`;
otherwise resolved here from env and jixiao.toml), any `Settings` field as an override
(``base_url``, ``model``, ``mode``, ``concurrency`` …), ``prompt_version`` and
``no_cache``. Modules: `answer_models` (response models from the taxonomy),
`chunking`, `prompts`, `client` (calls, retries, cache, log), `convert` (grounding),
`backend`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jixiao.errors import JixiaoError

if TYPE_CHECKING:
    from jixiao.extract.llm.backend import LLMBackend

_OWN_OPTIONS = ("settings", "prompt_version", "no_cache", "rules")


def make_backend(name: str, **options: Any) -> LLMBackend:
    """The `LLMBackend` built from settings and option overrides (`name`: "llm")."""
    from jixiao.config import load_settings
    from jixiao.extract.llm.backend import LLMBackend
    from jixiao.extract.llm.prompts import DEFAULT_VERSION

    settings = options.get("settings")
    overrides = {k: v for k, v in options.items() if k not in _OWN_OPTIONS}
    if settings is None:
        settings = load_settings(overrides)
    elif overrides:
        settings = settings.model_copy(update={k: v for k, v in overrides.items() if v is not None})
    llm = LLMBackend(
        settings,
        prompt_version=options.get("prompt_version") or DEFAULT_VERSION,
        no_cache=bool(options.get("no_cache", False)),
    )
    if name != "llm":
        raise JixiaoError(f"unknown LLM backend {name!r}: the llm package builds only llm")
    return llm
