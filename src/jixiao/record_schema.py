"""The published JSON Schema of the output record (`schemas/record.schema.json`).

Generated from `models.Record`; `tests/test_schema.py` fails when the committed file
drifts from the models, so a change to the contract is always a visible diff.
"""

from __future__ import annotations

import json
from pathlib import Path

from jixiao.models import SCHEMA_VERSION, Record

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "record.schema.json"


def record_schema() -> dict:
    schema = Record.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://jixiao.example/schemas/record.v{SCHEMA_VERSION}.schema.json"
    return schema


def record_schema_json() -> str:
    return json.dumps(record_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(record_schema_json(), encoding="utf-8")
    return path
