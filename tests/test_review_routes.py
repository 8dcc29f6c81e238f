"""Route tests of the review UI with FastAPI's TestClient (no browser)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from jixiao.models import Evidence, Fact, Record, Source
from jixiao.review import create_app
from jixiao.store import Store
from jixiao.verify.reverify import reverify

TEXT = "本年支出合计416.18万元，其中：基本支出217.94万元，项目支出200.24万元。<script>alert(1)</script>"


def _fact(fid: str, concept: str, printed: str) -> Fact:
    start = TEXT.index(printed)
    value = float(printed.removesuffix("万元"))
    return Fact(
        id=fid,
        concept=concept,
        value=value,
        unit="万元",
        text=printed,
        year=2023,
        decimals=2,
        evidence=Evidence(quote=printed, start=start, end=start + len(printed)),
    )


@pytest.fixture
def db(tmp_path) -> str:
    """A store holding one document whose parts do not add up (217.94 + 200.24 ≠ 416.18)."""
    record = Record(
        source=Source(path="demo.txt", sha256="a" * 64, format="txt"),
        fiscal_year=2023,
        facts=[
            _fact("f1", "fa.expenditure_total", "416.18万元"),
            _fact("f2", "fa.expenditure.basic", "217.94万元"),
            _fact("f3", "fa.expenditure.project", "200.24万元"),
        ],
    )
    record = reverify(record, TEXT)
    url = f"sqlite:///{tmp_path / 'review.db'}"
    Store(url).save_record(record, TEXT)
    return url


def _csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def _sum_flags(client: TestClient) -> list[dict]:
    record = client.get("/api/doc/1").json()
    return [f for f in record["flags"] if f["check"] == "sum"]


def test_overview_lists_document_with_open_flags(db: str) -> None:
    client = TestClient(create_app(db))
    page = client.get("/")
    assert page.status_code == 200
    assert "demo.txt" in page.text
    assert "sum 1" in page.text


def test_document_text_is_escaped(db: str) -> None:
    client = TestClient(create_app(db))
    page = client.get("/doc/1")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_post_without_csrf_token_is_refused(db: str) -> None:
    client = TestClient(create_app(db))
    client.get("/doc/1/queue")
    response = client.post(
        "/doc/1/decide",
        data={
            "version": 1,
            "target_kind": "flag",
            "target_id": "x",
            "action": "accept",
            "reviewer": "li",
        },
    )
    assert response.status_code == 403
    assert len(_sum_flags(client)) == 1


def test_cross_site_origin_is_refused_even_with_token(db: str) -> None:
    client = TestClient(create_app(db))
    csrf = _csrf(client, "/doc/1/queue")
    response = client.post(
        "/doc/1/decide",
        data={
            "csrf": csrf,
            "version": 1,
            "target_kind": "flag",
            "target_id": "x",
            "action": "accept",
            "reviewer": "li",
        },
        headers={"origin": "http://evil.example"},
    )
    assert response.status_code == 403


def test_correction_resolves_sum_flag_and_is_audited(db: str) -> None:
    client = TestClient(create_app(db))
    assert len(_sum_flags(client)) == 1
    csrf = _csrf(client, "/doc/1/queue")
    version = client.get("/api/documents").json()[0]["version"]
    response = client.post(
        "/doc/1/decide",
        data={
            "csrf": csrf,
            "version": version,
            "target_kind": "flag",
            "target_id": "k",
            "action": "correct",
            "correct_target": "fact:f3",
            "new_value": "198.24",
            "reviewer": "王审核",
            "comment": "表3 项目支出 198.24",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert _sum_flags(client) == []
    decisions = Store(db).decisions(1)
    assert decisions[-1]["reviewer"] == "王审核"
    assert decisions[-1]["old_value"] == 200.24
    assert decisions[-1]["new_value"] == 198.24


def test_stale_version_is_a_conflict_not_an_overwrite(db: str) -> None:
    client = TestClient(create_app(db))
    csrf = _csrf(client, "/doc/1/queue")
    response = client.post(
        "/doc/1/decide",
        data={
            "csrf": csrf,
            "version": 999,
            "target_kind": "flag",
            "target_id": "k",
            "action": "correct",
            "correct_target": "fact:f3",
            "new_value": "1",
            "reviewer": "li",
        },
    )
    assert response.status_code == 409
    assert "reload" in response.text
    assert client.get("/api/doc/1").json()["facts"][2]["value"] == 200.24


def test_source_wrong_keeps_flag_as_finding_and_empties_queue(db: str) -> None:
    client = TestClient(create_app(db))
    queue = client.get("/doc/1/queue")
    csrf = re.search(r'name="csrf" value="([^"]+)"', queue.text).group(1)
    key = re.search(r'name="target_id" value="([^"]+)"', queue.text).group(1)
    version = client.get("/api/documents").json()[0]["version"]
    client.post(
        "/doc/1/decide",
        data={
            "csrf": csrf,
            "version": version,
            "target_kind": "flag",
            "target_id": key,
            "action": "source_wrong",
            "reviewer": "li",
        },
    )
    flags = _sum_flags(client)
    assert [f["status"] for f in flags] == ["source_wrong"]
    assert "No open flags left" in client.get("/doc/1/queue").text


def test_token_protects_every_route(db: str) -> None:
    client = TestClient(create_app(db, token="s3cret"))
    assert client.get("/").status_code == 401
    assert client.get("/api/doc/1").status_code == 401
    assert client.get("/?token=s3cret").status_code == 200  # sets the cookie, then redirects
    assert client.get("/api/doc/1").status_code == 200


def test_static_route_serves_no_files_outside_the_package(db: str) -> None:
    client = TestClient(create_app(db))
    assert client.get("/static/review.js").status_code == 200
    assert client.get("/static/../../store/store.py").status_code == 404
    assert client.get("/static/%2e%2e/app.py").status_code == 404


def test_save_reviewed_document_as_fixture(db: str, tmp_path) -> None:
    client = TestClient(create_app(db, fixtures_dir=tmp_path / "fixtures"))
    csrf = _csrf(client, "/doc/1")
    response = client.post("/doc/1/fixture", data={"csrf": csrf, "name": "demo-2023"})
    assert response.status_code == 200
    gold = (tmp_path / "fixtures" / "demo-2023" / "gold.json").read_text(encoding="utf-8")
    assert '"fa.expenditure_total"' in gold
    assert client.post("/doc/1/fixture", data={"csrf": csrf, "name": "../x"}).status_code == 400
