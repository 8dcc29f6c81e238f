"""Reviewer accounts (a users file of token hashes) and the message catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app as cli
from jixiao.errors import ConfigError
from jixiao.review.i18n import LANGUAGES, catalogue
from jixiao.review.users import Users, add_user
from jixiao.store import Store
from review_support import client, decide, filled


def test_users_add_prints_a_token_once_and_stores_only_its_hash(tmp_path: Path) -> None:
    users_file = tmp_path / "reviewers.json"
    result = CliRunner().invoke(cli, ["users", "add", "王审核", "--file", str(users_file)])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().split(": ", 1)[1]
    stored = users_file.read_text(encoding="utf-8")
    assert token not in stored and "王审核" in stored
    assert Users.load(users_file).who(token) == "王审核"
    assert Users.load(users_file).who(token + "x") is None


def test_a_decision_carries_the_signed_in_reviewers_name_not_a_typed_one(
    db_url: str, tmp_path: Path
) -> None:
    users_file = tmp_path / "reviewers.json"
    token = add_user(users_file, "王审核")
    add_user(users_file, "李审核")
    c = client(filled(db_url), users=Users.load(users_file))
    assert c.get("/").status_code == 401
    assert c.get(f"/?token={token}").status_code == 200
    assert "审核人：王审核" in c.get("/doc/1/queue").text
    assert 'name="reviewer"' not in c.get("/doc/1/queue").text
    assert decide(c, action="accept", reviewer="冒名者").status_code == 303
    assert [d["reviewer"] for d in Store(db_url).decisions(1)] == ["王审核"]


def test_a_shared_token_does_not_open_a_server_with_accounts(db_url: str, tmp_path: Path) -> None:
    users_file = tmp_path / "reviewers.json"
    add_user(users_file, "王审核")
    c = client(filled(db_url), users=Users.load(users_file), token="shared")
    assert c.get("/?token=shared").status_code == 401


def test_an_unreadable_users_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="jixiao users add"):
        Users.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text(json.dumps({"people": []}), encoding="utf-8")
    with pytest.raises(ConfigError, match="not a jixiao users file"):
        Users.load(tmp_path / "bad.json")


def test_listening_beyond_loopback_needs_a_token_or_accounts(db_url: str) -> None:
    from jixiao.review import serve

    with pytest.raises(ConfigError, match="--users"):
        serve(db=db_url, host="0.0.0.0", echo=lambda _: None)


def test_every_message_has_every_language_and_the_same_placeholders() -> None:
    import string

    for key, entry in catalogue().items():
        assert set(entry) == set(LANGUAGES), key
        fields = [
            {name for _, name, _, _ in string.Formatter().parse(entry[lang]) if name}
            for lang in LANGUAGES
        ]
        assert fields[0] == fields[1], key
