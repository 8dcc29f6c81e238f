"""The extraction backends by name: one mapping, one protocol, one place that picks.

A backend only extracts (`Backend.extract`): it neither stores nor orchestrates, so
every way of running documents in `jixiao.run` works with every backend. Adding one is
an entry in `BACKENDS` (a factory taking the options below); the CLI, the batch, the
eval and the worker processes all build backends through `get_backend`, so a worker
rebuilds exactly the backend its parent resolved from a picklable `BackendSpec`.

Options a factory may take: ``settings`` (a resolved `jixiao.config.Settings`), any
`Settings` field as an override, ``prompt_version``, ``no_cache`` and, for `hybrid`,
``rules`` (the backend whose reading the LLM completes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jixiao.config import Settings
from jixiao.errors import JixiaoError
from jixiao.extract import Backend


def _rules(**options: Any) -> Backend:
    from jixiao.extract.rules import RulesBackend

    return RulesBackend()


def _llm(**options: Any) -> Backend:
    from jixiao.extract.llm import make_backend

    return make_backend("llm", **options)


def _hybrid(**options: Any) -> Backend:
    from jixiao.extract.hybrid import HybridBackend
    from jixiao.extract.llm import make_backend

    rules = options.pop("rules", None)
    return HybridBackend(make_backend("llm", **options), rules)


#: backend name → factory; `auto` is not a backend but a choice (`resolve_backend`)
BACKENDS: dict[str, Callable[..., Backend]] = {"rules": _rules, "llm": _llm, "hybrid": _hybrid}


def get_backend(name: str, **options: Any) -> Backend:
    """The backend called `name`, built with `options` (see the module docstring)."""
    factory = BACKENDS.get(name)
    if factory is None:
        raise JixiaoError(f"unknown backend {name!r}: choose {', '.join(BACKENDS)} or auto")
    return factory(**options)


@dataclass(frozen=True)
class BackendSpec:
    """How to build a backend: its name and options, picklable for worker processes.

    A worker process (or a remote worker) rebuilds its own backend from this rather
    than receiving a live one: HTTP clients, caches and locks do not travel.
    """

    name: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def build(self) -> Backend:
        return get_backend(self.name, **self.options)


def resolve_backend(requested: str, settings: Settings) -> tuple[str, str]:
    """The backend to run for `--backend requested`, and the reason to print.

    `auto` picks `hybrid` when an endpoint and a model are configured, else `rules`.
    """
    if requested != "auto":
        return requested, f"backend {requested} requested"
    if settings.llm_configured:
        return "hybrid", (
            f"LLM endpoint configured ({settings.model} at {settings.base_url}): "
            "hybrid = rules first, the LLM for what they leave empty"
        )
    return "rules", (
        "no LLM endpoint configured (set JIXIAO_LLM_BASE_URL and JIXIAO_LLM_MODEL "
        "or [llm] in jixiao.toml): using the offline rules backend"
    )


def spec_for(name: str, settings: Settings, *, no_cache: bool = False) -> BackendSpec:
    """The spec of a resolved backend: the offline rules need no settings."""
    if name == "rules":
        return BackendSpec(name)
    return BackendSpec(name, {"settings": settings, "no_cache": no_cache})
