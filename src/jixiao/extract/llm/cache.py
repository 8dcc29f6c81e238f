"""A disk cache of validated answers, so re-running unchanged input makes no calls.

The key covers everything that shapes an answer: model, mode, prompt version, schema
hash and the exact messages (which hold the chunk text). Answers are stored with
whether they passed validation; a call that got no answer at all is not stored. One JSON file per
key, written atomically, so concurrent runs and crashes cannot leave half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_key(
    *, model: str, mode: str, prompt_version: str, schema_hash: str, messages: list[dict[str, Any]]
) -> str:
    payload = json.dumps(
        [model, mode, prompt_version, schema_hash, messages], ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AnswerCache:
    def __init__(self, root: Path) -> None:
        self.root = Path(root) / "llm"
        #: folders known to exist (one mkdir per folder, not per answer)
        self._folders: set[Path] = set()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        path = self._path(key)
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        except FileNotFoundError:  # the folder was removed during the run
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(entry, fh, ensure_ascii=False)
        os.replace(tmp, path)
