"""A document that fails becomes a record with a one-line reason, never an exception.

Bad input (`JixiaoError`: the reason a user can act on), the OS refusing a file, a
document over its time or memory limit, and a bug of ours that one document trips
(`internal_error`) all end the same way: a `Record` with `error` set, stored like any
other, so a batch of tens of thousands goes on and does not stop there again on resume.
"""

from __future__ import annotations

import contextlib
import hashlib
import traceback
from pathlib import Path

from jixiao import __version__
from jixiao.document import Document
from jixiao.errors import JixiaoError
from jixiao.models import Record, Source


def failed_record(path: Path, reason: str, backend: str, data: bytes | None) -> Record:
    from jixiao.ingest import format_of_name

    sha = hashlib.sha256(data).hexdigest() if data is not None else ""
    return Record(
        source=Source(path=str(path), sha256=sha, format=format_of_name(path.name)),
        error=reason,
        run={"backend": backend, "jixiao_version": __version__},
    )


def internal_error(exc: BaseException) -> str:
    """The one-line reason for an exception jixiao did not foresee: a bug to report."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    message = (str(exc).strip().splitlines() or [""])[0][:200]
    return (
        f"internal_error: {type(exc).__name__}: {message}{where} "
        "(a bug in jixiao: please report it with this file)"
    )


def reason_for(exc: BaseException) -> str:
    """A document's one-line failure reason: ours (`JixiaoError`), the OS's, or a bug's."""
    if isinstance(exc, JixiaoError):
        return f"{exc.reason}: {exc}"
    if isinstance(exc, OSError):
        return f"unreadable: {exc.strerror or exc}"
    return internal_error(exc)


def failed_load(path: Path, exc: BaseException, backend: str) -> Record:
    """The record of a file that could not be loaded (hashed when it can be read)."""
    data = None
    if not isinstance(exc, OSError):
        with contextlib.suppress(OSError):
            data = path.read_bytes()
    return failed_record(path, reason_for(exc), backend, data)


def failed_processing(doc: Document, reason: str, backend: str) -> Record:
    """The record of a loaded document whose processing failed, with its one-line reason."""
    record = failed_record(Path(doc.path), reason, backend, None)
    record.source.sha256 = doc.sha256
    return record
