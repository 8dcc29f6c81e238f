"""A document that trips a bug of ours fails alone, with a one-line reason; the batch goes on.

Bulk users run tens of thousands of documents unattended: one document hitting an
unforeseen exception must not stop the batch (nor stop it again at the same place on
every resume). The bug is simulated by making the verifier, or the LLM call layer, raise
for documents holding a marker; worker processes are forked from this process, so they
see the same patch.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.store import Store

MARKER = "触发缺陷"
GOOD = "二、收入决算情况说明\n2022年度本年收入合计{v}万元，本年支出合计119.80万元。\n"


def corpus(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for i, text in enumerate([GOOD.format(v="100.50"), GOOD.format(v="101.50") + MARKER, GOOD.format(v="102.50")]):  # fmt: skip
        path = folder / f"d{i}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def run(folder: Path, db: Path, backend: str, env: dict[str, str] | None = None):
    return CliRunner(env={"COLUMNS": "1000", **(env or {})}).invoke(
        app, ["extract", str(folder), "--db", str(db), "--backend", backend, "--quiet"]
    )


def assert_one_failure(result, db: Path) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "internal_error: RuntimeError: simulated bug" in result.output
    assert "d1.txt" in result.output
    store = Store(str(db))
    ok = sorted(Path(d.path).name for d in store.iter_documents(status="ok"))
    assert ok == ["d0.txt", "d2.txt"]


def explode_in_the_verifier(monkeypatch: pytest.MonkeyPatch) -> None:
    import jixiao.verify

    real = jixiao.verify.verify_record

    def verify_record(record, text, **options):
        if MARKER in text:
            raise RuntimeError("simulated bug\nsecond line not shown")
        return real(record, text, **options)

    monkeypatch.setattr(jixiao.verify, "verify_record", verify_record)


def test_rules_batch_goes_on_past_a_document_that_trips_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    explode_in_the_verifier(monkeypatch)
    corpus(tmp_path / "in")
    result = run(tmp_path / "in", tmp_path / "rules.db", "rules")
    assert_one_failure(result, tmp_path / "rules.db")
    assert "second line" not in result.output


@pytest.mark.parametrize("where", ["verifier", "call layer"])
def test_llm_pipeline_goes_on_past_a_document_that_trips_a_bug(
    where: str, standin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if where == "verifier":
        explode_in_the_verifier(monkeypatch)
    else:
        from jixiao.extract.llm.client import CallRunner

        real = CallRunner._ask

        async def _ask(self, client, request):
            if MARKER in request.chunk.text:
                raise RuntimeError("simulated bug")
            return await real(self, client, request)

        monkeypatch.setattr(CallRunner, "_ask", _ask)
    corpus(tmp_path / "in")
    env = {
        "JIXIAO_LLM_BASE_URL": standin.url,
        "JIXIAO_LLM_MODEL": "standin-model",
        "JIXIAO_LLM_API_KEY": "sk-test",
        "JIXIAO_CACHE_DIR": str(tmp_path / "cache"),
    }
    result = run(tmp_path / "in", tmp_path / "llm.db", "llm", env)
    assert_one_failure(result, tmp_path / "llm.db")
