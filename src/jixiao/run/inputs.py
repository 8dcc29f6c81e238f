"""A batch's inputs: files, folders and globs expanded; content hashes for resuming."""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Iterator
from pathlib import Path

from jixiao.ingest import SUPPORTED_SUFFIXES


def expand_inputs(paths: list[str]) -> Iterator[Path]:
    """Files as given, folders walked for supported files, globs expanded; sorted, unique."""
    seen: set[Path] = set()
    for raw in paths:
        candidates: list[Path]
        path = Path(raw)
        if path.is_dir():
            candidates = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        elif not path.exists() and glob.has_magic(raw):
            candidates = sorted(
                Path(p) for p in glob.glob(raw, recursive=True) if Path(p).is_file()
            )
        else:
            candidates = [path]  # a missing file is reported as a failure, not dropped
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                yield candidate


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
