"""Reviewer accounts: named reviewers, each with a token of their own.

The users file (JSON) holds each reviewer's name and the SHA-256 of their token, never
the token: `jixiao users add NAME` makes a random 256-bit token, prints it once and
stores its hash. A fast hash is enough because the tokens are random, not passwords a
person chose: there is nothing to guess. With accounts, the name on a decision is the
authenticated one, not what someone typed.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jixiao.errors import ConfigError
from jixiao.review.values import NAME_MAX, InputRefused, clean_text


@dataclass(frozen=True)
class Reviewer:
    name: str
    token_sha256: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Users:
    """The reviewers of a users file, looked up by the hash of a presented token."""

    def __init__(self, reviewers: list[Reviewer]) -> None:
        self.by_hash = {r.token_sha256: r for r in reviewers}

    def __len__(self) -> int:
        return len(self.by_hash)

    def who(self, token: str | None) -> str | None:
        """The reviewer this token belongs to, or None."""
        if not token:
            return None
        found = self.by_hash.get(token_hash(token))
        return found.name if found else None

    @classmethod
    def load(cls, path: Path) -> Users:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(
                f"no users file {path}: create it with `jixiao users add NAME --file {path}`"
            ) from exc
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read the users file {path}: {exc}") from exc
        try:
            reviewers = [Reviewer(r["name"], r["token_sha256"]) for r in data["reviewers"]]
        except (KeyError, TypeError) as exc:
            raise ConfigError(
                f"{path} is not a jixiao users file (a 'reviewers' list of name and "
                "token_sha256): recreate it with `jixiao users add`"
            ) from exc
        if not reviewers:
            raise ConfigError(f"{path} lists no reviewers: add one with `jixiao users add`")
        return cls(reviewers)


def add_user(path: Path, name: str) -> str:
    """Add (or give a new token to) reviewer `name`; returns the token, shown only once."""
    try:
        name = clean_text(name, field="reviewer name", limit=NAME_MAX)
    except InputRefused as exc:
        raise ConfigError(str(exc)) from exc
    if not name:
        raise ConfigError("a reviewer needs a name")
    path = Path(path)
    data: dict = {"reviewers": []}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ConfigError(f"cannot read the users file {path}: {exc}") from exc
    token = secrets.token_urlsafe(32)
    entries = [r for r in data.get("reviewers", []) if r.get("name") != name]
    entries.append(
        {
            "name": name,
            "token_sha256": token_hash(token),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    # readable by its owner only: the hashes are not secrets, but the list of names may be
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"reviewers": entries}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    os.replace(temporary, path)
    return token
