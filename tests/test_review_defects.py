"""The defects found when a team tried the review UI (issue 15), one test each; every
test here failed on the code before the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.store import Store
from review_support import TEXT, client, decide, filled, form_fields, slip_record


@pytest.fixture
def url(db_url: str) -> str:
    return filled(db_url)


# 1 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["..", ".", "...", "a/../.."])
def test_1_fixture_name_of_dots_cannot_write_outside_the_fixtures_folder(
    url: str, tmp_path: Path, name: str
) -> None:
    fixtures = tmp_path / "eval" / "fixtures"
    c = client(url, fixtures_dir=fixtures)
    page = c.get("/doc/1")
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    response = c.post("/doc/1/fixture", data={"csrf": csrf, "name": name})
    assert response.status_code == 400
    assert not (tmp_path / "eval" / "gold.json").exists()
    assert not (tmp_path / "gold.json").exists()
    assert not list(tmp_path.rglob("gold.json"))


# 2 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["nan", "inf", "-inf", "1e309", "1,2,3", "١٢٣", "12%", "", "1e3"])
def test_2_a_correction_that_is_not_a_plain_finite_number_is_refused_and_leaves_no_trace(
    url: str, typed: str
) -> None:
    c = client(url)
    response = decide(c, action="correct", correct_target="fact:f3", new_value=typed)
    assert response.status_code == 400
    assert "error-message" in response.text
    assert Store(url).decisions(1) == []
    assert c.get("/api/doc/1").json()["facts"][2]["value"] == 200.24


def test_2_full_width_digits_from_a_chinese_ime_are_accepted(url: str) -> None:
    c = client(url)
    response = decide(c, action="correct", correct_target="fact:f3", new_value="１９８．２４")
    assert response.status_code == 303
    assert c.get("/api/doc/1").json()["facts"][2]["value"] == 198.24
    assert Store(url).decisions(1)[-1]["new_value"] == 198.24


def test_2_grouped_thousands_and_the_values_own_unit_are_accepted(url: str) -> None:
    c = client(url)
    assert (
        decide(c, action="correct", correct_target="fact:f1", new_value="1,418.18万元").status_code
        == 303
    )
    assert c.get("/api/doc/1").json()["facts"][0]["value"] == 1418.18


# 3 -------------------------------------------------------------------------------------


def test_3_a_request_for_another_host_name_is_refused_before_it_stores_anything(
    url: str,
) -> None:
    c = client(url)
    page = c.get("/doc/1/queue")
    data = form_fields(page.text)
    data.update(
        {"reviewer": "attacker", "action": "correct", "correct_target": "fact:f3", "new_value": "1"}
    )
    evil = "rebind.evil.example:8765"
    response = c.post(
        "/doc/1/decide",
        data=data,
        headers={"host": evil, "origin": f"http://{evil}"},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert Store(url).decisions(1) == []
    assert c.get("/", headers={"host": evil}).status_code == 400
    assert c.get("/", headers={"host": "localhost:8765"}).status_code == 200


# 4 -------------------------------------------------------------------------------------


def test_4_extracting_a_reviewed_document_again_keeps_its_review(url: str) -> None:
    c = client(url)
    assert (
        decide(c, action="correct", correct_target="fact:f3", new_value="198.24").status_code == 303
    )
    store = Store(url)
    reviewed = store.get_document(1).record
    assert not [f for f in reviewed.flags if f.check == "sum"]
    # `jixiao extract --force`: the same file read again, as extracted, stored again
    store.save_record(slip_record("a"), TEXT)
    again = store.get_document(1).record
    assert [f.value for f in again.facts] == [416.18, 217.94, 198.24]
    assert again.facts[2].origin == "review"
    assert not [f for f in again.flags if f.check == "sum"]
    assert store.review_not_carried[1] == []


def test_4_a_verdict_survives_extracting_again(url: str) -> None:
    c = client(url)
    assert decide(c, action="source_wrong").status_code == 303
    store = Store(url)
    store.save_record(slip_record("a"), TEXT)
    (flag,) = [f for f in store.get_document(1).record.flags if f.check == "sum"]
    assert flag.status == "source_wrong"


# 5 -------------------------------------------------------------------------------------


def test_5_the_flag_card_labels_the_stated_and_the_computed_value_rightly(url: str) -> None:
    """416.18 is what the document states; 418.18 is what its parts add up to."""
    page = client(url).get("/doc/1/queue?lang=en").text
    values = page.split('id="flag-values">', 1)[1].split("</p>", 1)[0]
    assert "stated 416.18" in values and "computed 418.18" in values
    zh = client(url).get("/doc/1/queue?lang=zh").text
    assert "文件所列 416.18" in zh and "计算所得 418.18" in zh


# 6 -------------------------------------------------------------------------------------


def _two_flag_url(db_url: str) -> str:
    """A document with two independent slips (two sum flags on different facts)."""
    from jixiao.models import Record, Source
    from jixiao.verify.reverify import reverify
    from review_support import fact

    text = (
        "本年支出合计416.18万元，其中：基本支出217.94万元，项目支出200.24万元。"
        "本年收入合计500.00万元，其中：财政拨款收入450.00万元，其他收入40.00万元。"
    )
    record = Record(
        source=Source(path="two.txt", sha256="d" * 64, format="txt"),
        fiscal_year=2023,
        facts=[
            fact("f1", "fa.expenditure_total", "416.18万元", text),
            fact("f2", "fa.expenditure.basic", "217.94万元", text),
            fact("f3", "fa.expenditure.project", "200.24万元", text),
            fact("f4", "fa.revenue_total", "500.00万元", text),
            fact("f5", "fa.revenue.general_budget", "450.00万元", text),
            fact("f6", "fa.revenue.other", "40.00万元", text),
        ],
    )
    record = reverify(record, text)
    assert len([f for f in record.flags if f.check == "sum"]) == 2, record.flags
    Store(db_url).save_record(record, text)
    return db_url


def test_6_decisions_on_different_flags_of_one_document_do_not_conflict(db_url: str) -> None:
    url = _two_flag_url(db_url)
    a, b = client(url), client(url)
    page_a, page_b = a.get("/doc/1/queue"), b.get("/doc/1/queue?skip=")
    first_key = form_fields(page_a.text)["target_id"]
    # B skips to the second flag, then A accepts the first
    b_second = b.post(
        "/doc/1/decide",
        data={**form_fields(page_b.text), "action": "skip", "reviewer": "李"},
    )
    fields_b = form_fields(b_second.text)
    assert fields_b["target_id"] != first_key
    assert (
        a.post(
            "/doc/1/decide",
            data={**form_fields(page_a.text), "reviewer": "王", "action": "accept"},
            follow_redirects=False,
        ).status_code
        == 303
    )
    response = b.post(
        "/doc/1/decide",
        data={**fields_b, "reviewer": "李", "action": "source_wrong", "comment": "表3所列有误"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    statuses = {f["status"] for f in b.get("/api/doc/1").json()["flags"] if f["check"] == "sum"}
    assert statuses == {"accepted", "source_wrong"}


def test_6_a_conflict_on_the_same_flag_says_who_changed_what_and_keeps_the_typed_text(
    url: str,
) -> None:
    a, b = client(url), client(url)
    page_a, page_b = a.get("/doc/1/queue"), b.get("/doc/1/queue")
    a.post(
        "/doc/1/decide", data={**form_fields(page_a.text), "reviewer": "王审核", "action": "accept"}
    )
    response = b.post(
        "/doc/1/decide",
        data={
            **form_fields(page_b.text),
            "reviewer": "李审核",
            "action": "correct",
            "correct_target": "fact:f3",
            "new_value": "198.24",
            "comment": "按表3更正",
        },
    )
    assert response.status_code == 409
    assert "王审核" in response.text  # who
    assert "接受" in response.text  # what
    assert 'value="198.24"' in response.text and "按表3更正" in response.text
    assert Store(url).get_document(1).record.facts[2].value == 200.24
    # reloading the page (GET) does not post again
    assert b.get("/doc/1/queue").status_code == 200
    assert len(Store(url).decisions(1)) == 1


# 9 -------------------------------------------------------------------------------------


def test_9_the_server_says_where_it_listens(monkeypatch, db_url: str) -> None:
    from jixiao import review

    said: list[str] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: None)
    review.serve(db=filled(db_url), port=8765, echo=said.append)
    assert "http://127.0.0.1:8765/" in said[0]


def test_9_a_huge_id_is_a_not_found_page_not_a_plain_500(url: str) -> None:
    c = client(url)
    for path in ("/doc/99999999999999999999", "/doc/99999999999999999999/queue"):
        response = c.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "99999999999999999999" in response.text
    assert c.get("/api/doc/99999999999999999999").json()["error"]


def test_9_an_overlong_comment_is_refused_on_the_page_with_the_text_kept(url: str) -> None:
    c = client(url)
    response = decide(c, action="accept", comment="很长的说明" * 200_000)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="comment"' in response.text and "很长的说明很长的说明" in response.text
    assert Store(url).decisions(1) == []


@pytest.mark.parametrize(
    ("field", "raw"), [("reviewer", b"\xff\xfe"), ("comment", b"a\x00b"), ("reviewer", b"\x00")]
)
def test_9_undecodable_bytes_and_nul_are_not_stored(url: str, field: str, raw: bytes) -> None:
    from urllib.parse import quote_from_bytes, urlencode

    c = client(url)
    data = form_fields(c.get("/doc/1/queue").text)
    data.update({"action": "accept", "reviewer": "王审核", "comment": "ok"})
    body = urlencode({k: v for k, v in data.items() if k != field})
    body += f"&{field}={quote_from_bytes(raw)}"
    response = c.post(
        "/doc/1/decide",
        content=body.encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert Store(url).decisions(1) == []
