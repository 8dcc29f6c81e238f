"""Settings: resolved once, from flags > environment > `jixiao.toml` > defaults.

One frozen `Settings` object travels from the CLI into the backends, so every part of a
run sees the same endpoint, model, mode and limits. The API key is a `SecretStr`: it is
never printed, logged, stored or written into a cassette; `Settings.redacted()` is what
may be shown to a user.

Environment: ``JIXIAO_LLM_BASE_URL``, ``JIXIAO_LLM_MODEL``, ``JIXIAO_LLM_API_KEY``
(falling back to ``OPENAI_API_KEY``), ``JIXIAO_LLM_MODE`` (tools | json | md_json |
json_schema), ``JIXIAO_CONCURRENCY``, ``JIXIAO_CACHE_DIR``, ``JIXIAO_DB``.
A ``jixiao.toml`` in the working directory may hold the same under ``[llm]``
(base_url, model, api_key, mode, timeout, http_retries, validation_retries,
chunk_chars, max_tokens) and top-level ``concurrency``, ``cache_dir``, ``db``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from jixiao.errors import ConfigError

LLMMode = Literal["tools", "json", "md_json", "json_schema"]
LLM_MODES: tuple[str, ...] = LLMMode.__args__  # type: ignore[attr-defined]

CONFIG_FILE = "jixiao.toml"
DEFAULT_CACHE_DIR = ".jixiao-cache"

#: environment variable → settings field
ENV_VARS: dict[str, str] = {
    "JIXIAO_LLM_BASE_URL": "base_url",
    "JIXIAO_LLM_MODEL": "model",
    "JIXIAO_LLM_API_KEY": "api_key",
    "JIXIAO_LLM_MODE": "mode",
    "JIXIAO_CONCURRENCY": "concurrency",
    "JIXIAO_CACHE_DIR": "cache_dir",
    "JIXIAO_DB": "db",
}
#: keys of `[llm]` in jixiao.toml, and the top-level keys
TOML_LLM_KEYS = (
    "base_url",
    "model",
    "api_key",
    "mode",
    "timeout",
    "http_retries",
    "validation_retries",
    "chunk_chars",
    "max_tokens",
)
TOML_TOP_KEYS = ("concurrency", "cache_dir", "db")


class Settings(BaseModel):
    """Everything a run needs to know about the endpoint and its limits (immutable)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str | None = None
    model: str | None = None
    api_key: SecretStr | None = Field(default=None, repr=False)
    mode: LLMMode = "tools"
    concurrency: int = Field(4, ge=1, le=1024)
    cache_dir: Path = Path(DEFAULT_CACHE_DIR)
    db: str | None = None
    #: seconds before one HTTP request is abandoned (then retried by the client)
    timeout: float = Field(120.0, gt=0)
    #: the openai client's own retries on 429 (honouring Retry-After), 5xx and timeouts
    http_retries: int = Field(3, ge=0, le=20)
    #: instructor re-asks after a validation error (N retries = N+1 calls at most)
    validation_retries: int = Field(2, ge=0, le=10)
    #: size of one chunk sent to the model, in characters of document text
    chunk_chars: int = Field(6000, ge=200)
    max_tokens: int = Field(4096, ge=64)

    @property
    def llm_configured(self) -> bool:
        """True when an endpoint and a model are set (the key may be optional, e.g. Ollama)."""
        return bool(self.base_url and self.model)

    def key(self) -> str:
        """The key for the HTTP client; a placeholder where the endpoint needs none."""
        return self.api_key.get_secret_value() if self.api_key else "not-needed"

    def redacted(self) -> dict[str, Any]:
        """Settings as may be printed or stored: the key only as set / not set."""
        data = self.model_dump(exclude={"api_key"}, mode="json")
        data["api_key"] = "set" if self.api_key else "not set"
        return data


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for var, name in ENV_VARS.items():
        if env.get(var):
            values[name] = env[var]
    if "api_key" not in values and env.get("OPENAI_API_KEY"):
        values["api_key"] = env["OPENAI_API_KEY"]
    return values


def _from_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path.name} is not valid TOML ({exc}); fix or remove it") from exc
    llm = data.get("llm") or {}
    unknown = set(llm) - set(TOML_LLM_KEYS)
    if unknown:
        raise ConfigError(
            f"{path.name}: unknown key(s) in [llm]: {', '.join(sorted(unknown))}; "
            f"known: {', '.join(TOML_LLM_KEYS)}"
        )
    values = {k: v for k, v in llm.items()}
    values.update({k: data[k] for k in TOML_TOP_KEYS if k in data})
    return values


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Resolve settings: `overrides` (CLI flags; None values ignored) > env > toml > defaults."""
    cwd = cwd or Path.cwd()
    merged = _from_toml(cwd / CONFIG_FILE)
    merged.update(_from_env(os.environ if env is None else env))
    merged.update({k: v for k, v in (overrides or {}).items() if v is not None})
    if isinstance(merged.get("mode"), str):
        merged["mode"] = merged["mode"].strip().lower()
    if "cache_dir" in merged:
        cache = Path(merged["cache_dir"]).expanduser()
        merged["cache_dir"] = cache if cache.is_absolute() else cwd / cache
    else:
        merged["cache_dir"] = cwd / DEFAULT_CACHE_DIR
    try:
        return Settings(**merged)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(
            f"invalid settings ({problems}); modes are {', '.join(LLM_MODES)}"
        ) from None
