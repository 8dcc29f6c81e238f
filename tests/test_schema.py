"""The published JSON Schema must match the pydantic models exactly."""

from __future__ import annotations

from jixiao.models import Record
from jixiao.schema import SCHEMA_PATH, record_schema_json


def test_published_schema_matches_models() -> None:
    committed = SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == record_schema_json(), (
        "schemas/record.schema.json is stale: run `jixiao schema --write` and commit it"
    )


def test_schema_names_the_contract_fields() -> None:
    schema = Record.model_json_schema()
    assert {"schema_version", "source", "facts", "indicators", "flags", "run"} <= set(
        schema["properties"]
    )
    fact = schema["$defs"]["Fact"]["properties"]
    assert {"concept", "scope", "year", "value", "unit", "evidence"} <= set(fact)
