"""Library warnings go to a log file, not the terminal.

A damaged PDF makes pdfminer log "Data-loss while decompressing corrupted data" and the
like, once per stream: a batch of a few hundred such files printed over a hundred lines
that buried its progress and its summary. What the user acts on is one line per failed
file (the summary); what a library says along the way is kept in the log, with the
process that said it, for whoever investigates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_FORMAT = "%(asctime)s pid=%(process)d %(name)s %(levelname)s %(message)s"


def route_library_logs(path: Path | str) -> logging.Handler | None:
    """Send every log record of WARNING and above, and every Python warning, to `path`;
    return the handler added (None when one for `path` was there already, as in a
    forked worker). The file is created only when something is written."""
    target = str(Path(path).resolve())
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.FileHandler) and handler.baseFilename == target:
            return None
    handler = logging.FileHandler(target, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.setLevel(logging.WARNING)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    logging.captureWarnings(True)
    return handler


@contextmanager
def library_logs_to(path: Path | str) -> Iterator[None]:
    """`route_library_logs` for the length of a batch, undone afterwards (a library
    caller or a test running several batches keeps its own logging as it was)."""
    handler = route_library_logs(path)
    try:
        yield
    finally:
        if handler is not None:
            logging.getLogger().removeHandler(handler)
            handler.close()
            logging.captureWarnings(False)


def log_path_for(db: str) -> Path:
    """The default log of a batch: beside its SQLite file (``jixiao.db`` → ``jixiao.log``),
    else ``jixiao.log`` in the working directory."""
    database: str | None = db
    if "://" in db:
        from sqlalchemy.engine import make_url

        url = make_url(db)
        database = url.database if url.get_backend_name() == "sqlite" else None
    if not database or database == ":memory:":
        return Path("jixiao.log")
    return Path(database).with_suffix(".log")


def log_size(path: Path | str) -> int:
    """The log's size in bytes now (0 when it does not exist), to tell whether a batch
    wrote to it."""
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0
