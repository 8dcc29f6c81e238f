"""Settings resolution: flags > environment > jixiao.toml > defaults; the key stays secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.config import Settings, load_settings
from jixiao.errors import ConfigError
from jixiao.extract.registry import resolve_backend

TOML = """
concurrency = 3
[llm]
base_url = "http://toml.example/v1"
model = "toml-model"
mode = "json"
"""


def write_toml(tmp_path: Path, text: str = TOML) -> Path:
    (tmp_path / "jixiao.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_defaults_without_env_or_toml_leave_llm_unconfigured(tmp_path: Path) -> None:
    settings = load_settings(env={}, cwd=tmp_path)
    assert not settings.llm_configured
    assert settings.mode == "tools"
    assert settings.cache_dir == tmp_path / ".jixiao-cache"


def test_toml_is_read_from_the_working_directory(tmp_path: Path) -> None:
    settings = load_settings(env={}, cwd=write_toml(tmp_path))
    assert settings.base_url == "http://toml.example/v1"
    assert settings.mode == "json"
    assert settings.concurrency == 3
    assert settings.llm_configured


def test_env_overrides_toml_and_flags_override_env(tmp_path: Path) -> None:
    env = {"JIXIAO_LLM_MODEL": "env-model", "JIXIAO_CONCURRENCY": "8", "JIXIAO_LLM_MODE": "MD_JSON"}
    settings = load_settings(env=env, cwd=write_toml(tmp_path))
    assert (settings.model, settings.concurrency, settings.mode) == ("env-model", 8, "md_json")
    flagged = load_settings({"model": "flag-model", "concurrency": None}, env=env, cwd=tmp_path)
    assert flagged.model == "flag-model"
    assert flagged.concurrency == 8  # a flag left unset does not override


def test_api_key_falls_back_to_openai_api_key(tmp_path: Path) -> None:
    settings = load_settings(env={"OPENAI_API_KEY": "sk-fallback"}, cwd=tmp_path)
    assert settings.key() == "sk-fallback"
    own = load_settings(
        env={"OPENAI_API_KEY": "sk-fallback", "JIXIAO_LLM_API_KEY": "sk-own"}, cwd=tmp_path
    )
    assert own.key() == "sk-own"


def test_key_never_appears_in_repr_dump_or_redacted_view(tmp_path: Path) -> None:
    settings = load_settings(env={"JIXIAO_LLM_API_KEY": "sk-very-secret"}, cwd=tmp_path)
    shown = [repr(settings), str(settings), settings.model_dump_json(), str(settings.redacted())]
    assert all("sk-very-secret" not in text for text in shown)
    assert settings.redacted()["api_key"] == "set"


def test_unknown_mode_is_a_config_error_naming_the_modes(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="json_schema"):
        load_settings(env={"JIXIAO_LLM_MODE": "telepathy"}, cwd=tmp_path)


def test_unknown_toml_key_is_reported(tmp_path: Path) -> None:
    write_toml(tmp_path, '[llm]\nbase_ulr = "x"\n')
    with pytest.raises(ConfigError, match="base_ulr"):
        load_settings(env={}, cwd=tmp_path)


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(ValueError):
        settings.model = "other"  # type: ignore[misc]


def test_auto_backend_is_hybrid_when_configured_else_rules() -> None:
    name, reason = resolve_backend("auto", Settings(base_url="http://h/v1", model="m"))
    assert name == "hybrid" and "m" in reason
    name, reason = resolve_backend("auto", Settings())
    assert name == "rules" and "JIXIAO_LLM_BASE_URL" in reason
    assert resolve_backend("llm", Settings())[0] == "llm"
