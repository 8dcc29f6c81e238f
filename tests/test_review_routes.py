"""Route tests of the review UI with FastAPI's TestClient (no browser), on SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest

from jixiao.store import Store
from review_support import client, decide, filled, form_fields


@pytest.fixture
def db(db_url: str) -> str:
    """A store holding one document whose parts do not add up (217.94 + 200.24 ≠ 416.18)."""
    return filled(db_url)


def _sum_flags(c) -> list[dict]:
    record = c.get("/api/doc/1").json()
    return [f for f in record["flags"] if f["check"] == "sum"]


def test_overview_lists_document_with_open_flags_in_chinese(db: str) -> None:
    page = client(db).get("/")
    assert page.status_code == 200
    assert "demo-a.txt" in page.text
    assert "加总不符 1" in page.text and "文件列表" in page.text


def test_english_on_request_or_by_accept_language(db: str) -> None:
    c = client(db)
    assert "Documents" in c.get("/", headers={"accept-language": "en-US,en;q=0.9"}).text
    assert "文件列表" in c.get("/", headers={"accept-language": "zh-CN,en;q=0.5"}).text
    assert "sum 1" in c.get("/?lang=en").text
    assert "Documents" in c.get("/").text  # remembered in a cookie
    assert "Documents" in client(db, lang="en").get("/").text


def test_document_text_is_escaped(db: str) -> None:
    page = client(db).get("/doc/1")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_post_without_csrf_token_is_refused(db: str) -> None:
    c = client(db)
    data = form_fields(c.get("/doc/1/queue").text)
    data.pop("csrf")
    response = c.post("/doc/1/decide", data={**data, "action": "accept", "reviewer": "li"})
    assert response.status_code == 403
    assert _sum_flags(c)[0]["status"] == "open"


def test_cross_site_origin_is_refused_even_with_token(db: str) -> None:
    c = client(db)
    data = form_fields(c.get("/doc/1/queue").text)
    response = c.post(
        "/doc/1/decide",
        data={**data, "action": "accept", "reviewer": "li"},
        headers={"origin": "http://evil.example"},
    )
    assert response.status_code == 403


def test_correction_resolves_sum_flag_and_is_audited(db: str) -> None:
    c = client(db)
    assert len(_sum_flags(c)) == 1
    response = decide(
        c,
        action="correct",
        correct_target="fact:f3",
        new_value="198.24",
        comment="表3 项目支出 198.24",
    )
    assert response.status_code == 303
    assert _sum_flags(c) == []
    decisions = Store(db).decisions(1)
    assert decisions[-1]["reviewer"] == "王审核"
    assert decisions[-1]["old_value"] == 200.24
    assert decisions[-1]["new_value"] == 198.24


def test_stale_version_of_the_flag_is_a_conflict_not_an_overwrite(db: str) -> None:
    c = client(db)
    data = form_fields(c.get("/doc/1/queue").text)
    data["versions"] = data["versions"].replace("=0", "=5", 1)
    response = c.post(
        "/doc/1/decide",
        data={
            **data,
            "action": "correct",
            "correct_target": "fact:f3",
            "new_value": "1",
            "reviewer": "li",
        },
    )
    assert response.status_code == 409
    assert c.get("/api/doc/1").json()["facts"][2]["value"] == 200.24


def test_source_wrong_keeps_flag_as_finding_and_empties_queue(db: str) -> None:
    c = client(db)
    assert decide(c, action="source_wrong").status_code == 303
    assert [f["status"] for f in _sum_flags(c)] == ["source_wrong"]
    assert 'id="queue-done"' in c.get("/doc/1/queue").text


def test_undo_reopens_the_flag_and_is_audited(db: str) -> None:
    c = client(db)
    decide(c, action="accept")
    assert _sum_flags(c)[0]["status"] == "accepted"
    done = c.get("/doc/1/queue?last=flag:" + _sum_flags(c)[0]["facts"][0])
    assert done.status_code == 200
    key = Store(db).decisions(1)[0]["target_id"]
    undo = form_fields(c.get(f"/doc/1/queue?last=flag:{key}").text, "undo-last")
    response = c.post("/doc/1/decide", data={**undo, "reviewer": "王审核"}, follow_redirects=False)
    assert response.status_code == 303
    assert _sum_flags(c)[0]["status"] == "open"
    assert [d["action"] for d in Store(db).decisions(1)] == ["accept", "undo"]


def test_undo_of_a_correction_restores_the_value_and_the_flag(db: str) -> None:
    c = client(db)
    decide(c, action="correct", correct_target="fact:f3", new_value="198.24")
    assert _sum_flags(c) == []
    undo = form_fields(c.get("/doc/1/queue?last=fact:f3").text, "undo-last")
    c.post("/doc/1/decide", data={**undo, "reviewer": "王审核"})
    assert c.get("/api/doc/1").json()["facts"][2]["value"] == 200.24
    assert [f["status"] for f in _sum_flags(c)] == ["open"]


def test_nobody_undoes_someone_elses_decision(db: str) -> None:
    c = client(db)
    decide(c, action="accept")
    key = Store(db).decisions(1)[0]["target_id"]
    undo = form_fields(c.get(f"/doc/1/queue?last=flag:{key}").text, "undo-last")
    response = c.post("/doc/1/decide", data={**undo, "reviewer": "李审核"})
    assert response.status_code == 400
    assert "王审核" in response.text
    assert _sum_flags(c)[0]["status"] == "accepted"


def test_token_protects_every_route(db: str) -> None:
    c = client(db, token="s3cret")
    assert c.get("/").status_code == 401
    assert c.get("/api/doc/1").status_code == 401
    assert c.get("/?token=s3cret").status_code == 200  # sets the cookie, then redirects
    assert c.get("/api/doc/1").status_code == 200


def test_static_route_serves_no_files_outside_the_package(db: str) -> None:
    c = client(db)
    assert c.get("/static/review.js").status_code == 200
    assert c.get("/static/../../store/store.py").status_code == 404
    assert c.get("/static/%2e%2e/app.py").status_code == 404


def test_save_reviewed_document_as_fixture(db: str, tmp_path) -> None:
    c = client(db, fixtures_dir=tmp_path / "fixtures")
    csrf = c.get("/doc/1").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    response = c.post("/doc/1/fixture", data={"csrf": csrf, "name": "demo-2023"})
    assert response.status_code == 200
    gold = (tmp_path / "fixtures" / "demo-2023" / "gold.json").read_text(encoding="utf-8")
    assert '"fa.expenditure_total"' in gold
    assert c.post("/doc/1/fixture", data={"csrf": csrf, "name": "../x"}).status_code == 400


def test_no_page_shows_a_missing_message_key(db: str) -> None:
    c = client(db)
    decide(c, action="accept")
    for lang in ("zh", "en"):
        for path in ("/", "/doc/1", "/doc/1/queue", "/queue", "/reviewers", "/doc/9/queue"):
            page = c.get(f"{path}?lang={lang}")
            assert "⟦" not in page.text, (path, lang)
