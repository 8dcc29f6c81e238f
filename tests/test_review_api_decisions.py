"""The JSON API for decisions: the same checks, versions, reviewer identity and audit
trail as the page's form."""

from __future__ import annotations

import pytest

from jixiao.review.users import Users, add_user
from jixiao.store import Store
from review_support import client, filled

API = "/api/doc/1/decisions"


@pytest.fixture
def db(db_url: str) -> str:
    """One document whose parts do not add up (217.94 + 200.24 ≠ 416.18): one sum flag."""
    return filled(db_url)


def _sum_key(db: str) -> str:
    (flag,) = [f for f in Store(db).get_document(1).record.flags if f.check == "sum"]
    return flag.key


def test_a_correction_posted_as_json_is_applied_audited_and_versioned(db: str) -> None:
    c = client(db)
    body = {"target_kind": "fact", "target_id": "f3", "action": "correct",
            "new_value": "198.24", "reviewer": "王审核", "comment": "据原表更正", "version": 0}  # fmt: skip
    answer = c.post(API, json=body)
    assert answer.status_code == 201, answer.text
    result = answer.json()
    assert (result["target"], result["target_version"]) == ("fact:f3", 1)
    assert result["in_force"]["action"] == "correct" and result["in_force"]["reviewer"] == "王审核"
    record = c.get("/api/doc/1").json()
    assert record["facts"][2]["value"] == 198.24
    assert [f for f in record["flags"] if f["check"] == "sum"] == []  # re-verified
    (audit,) = Store(db).decisions(1)
    assert (audit["action"], audit["old_value"], audit["new_value"]) == ("correct", 200.24, 198.24)
    assert (audit["reviewer"], audit["comment"]) == ("王审核", "据原表更正")
    # the same version again: someone (this caller) decided since, so it is refused
    stale = c.post(API, json={**body, "new_value": "199.24"})
    assert stale.status_code == 409
    assert stale.json()["changes"][0]["reviewer"] == "王审核"
    assert len(Store(db).decisions(1)) == 1
    undo = {"target_kind": "fact", "target_id": "f3", "action": "undo", "reviewer": "王审核"}
    assert c.post(API, json=undo).status_code == 201
    assert c.get("/api/doc/1").json()["facts"][2]["value"] == 200.24


def test_a_verdict_on_a_flag_and_refusals_with_their_reason(db: str) -> None:
    c = client(db)
    key = _sum_key(db)
    verdict = {"target_kind": "flag", "target_id": key, "action": "accept", "reviewer": "李审核"}
    assert c.post(API, json=verdict).status_code == 201
    assert c.get("/api/doc/1").json()["flags"][0]["status"] == "accepted"
    refused = c.post(API, json={**verdict, "action": "undo", "reviewer": "王审核"})
    assert refused.status_code == 400 and refused.json()["reason"] == "error_undo_other"
    nan = {"target_kind": "fact", "target_id": "f3", "action": "correct", "new_value": "nan",
           "reviewer": "王审核"}  # fmt: skip
    assert c.post(API, json=nan).status_code == 400
    assert c.post(API, json={**nan, "reviewer": ""}).status_code == 400  # a name is needed
    assert c.post("/api/doc/99/decisions", json=verdict).status_code == 404
    assert [d["action"] for d in Store(db).decisions(1)] == ["accept"]


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        ('{"target_kind": "flag"}', {"content-type": "application/json"}),  # fields missing
        ("not json", {"content-type": "application/json"}),
        ("[1, 2]", {"content-type": "application/json"}),
        # a form or text/plain body is what another site's page can send without asking
        (
            '{"target_kind": "fact", "target_id": "f3", "action": "accept", "reviewer": "x"}',
            {"content-type": "text/plain"},
        ),
        (
            '{"target_kind": "fact", "target_id": "f3", "action": "accept", "reviewer": "x",'
            ' "is_admin": true}',
            {"content-type": "application/json"},
        ),
    ],
)
def test_a_body_that_is_not_a_decision_object_is_refused(db: str, content, headers) -> None:
    answer = client(db).post(API, content=content, headers=headers)
    assert answer.status_code == 400 and "JSON" in answer.json()["error"]
    assert Store(db).decisions(1) == []


def test_another_sites_origin_and_a_missing_token_are_refused(db: str) -> None:
    verdict = {"target_kind": "fact", "target_id": "f3", "action": "accept", "reviewer": "x"}
    evil = client(db).post(API, json=verdict, headers={"origin": "http://evil.example"})
    assert evil.status_code == 403
    locked = client(db, token="s3cret-token")
    assert locked.post(API, json=verdict).status_code == 401
    bearer = {"authorization": "Bearer s3cret-token"}
    assert locked.post(API, json=verdict, headers=bearer).status_code == 201
    assert [d["reviewer"] for d in Store(db).decisions(1)] == ["x"]


def test_with_reviewer_accounts_the_name_is_the_accounts_not_the_bodys(db: str, tmp_path) -> None:
    path = tmp_path / "reviewers.json"
    token = add_user(path, "张审核")
    c = client(db, users=Users.load(path))
    verdict = {"target_kind": "fact", "target_id": "f3", "action": "accept", "reviewer": "冒名"}
    answer = c.post(API, json=verdict, headers={"authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.text
    assert [d["reviewer"] for d in Store(db).decisions(1)] == ["张审核"]
