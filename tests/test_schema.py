"""The published JSON Schema must match the pydantic models exactly."""

from __future__ import annotations

from jixiao.models import Record, upgrade_record_data
from jixiao.record_schema import SCHEMA_PATH, record_schema_json


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


def test_schema_version_2_carries_kinds_stages_units_and_locations() -> None:
    schema = Record.model_json_schema()
    assert {"document_kind", "document_kind_evidence"} <= set(schema["properties"])
    fact = schema["$defs"]["Fact"]["properties"]
    assert {"stage", "scope_label", "unit_decision"} <= set(fact)
    assert {"bbox", "ocr_confidence"} <= set(schema["$defs"]["Evidence"]["properties"])
    assert {"family", "location"} <= set(schema["$defs"]["Flag"]["properties"])


def test_a_stored_version_1_record_is_upgraded_not_discarded() -> None:
    v1 = {
        "schema_version": "1",
        "source": {"path": "a.txt", "sha256": "0" * 64, "format": "txt"},
        "flags": [
            {"id": "g1", "check": "sum", "severity": "error", "message": "1 ≠ 2"},
            {"id": "g2", "check": "year", "severity": "warning", "message": "2022年"},
        ],
    }
    record = Record.model_validate(upgrade_record_data(v1))
    assert record.schema_version == "2"
    assert record.document_kind == "unknown"
    assert [f.family for f in record.flags] == ["arithmetic", "wording"]
    assert v1["schema_version"] == "1"  # the stored data is not changed in place
