"""The exceptions jixiao raises, rooted in one `JixiaoError`.

Every message says what happened and what the user can do about it; the CLI prints
it as the one-line reason for that document and carries on with the batch.

* JixiaoError
  + InputError                  (a document that cannot be read)
    - UnsupportedFormat         unknown extension or binary junk
    - EmptyDocument             no text at all
    - EncryptedDocument         needs a password (an Office file, a workbook)
      - EncryptedPDF            a PDF that needs a password
    - NoTextLayer               scanned PDF, needs OCR
    - CorruptDocument           truncated DOCX, broken PDF
    - DocumentTooLarge          over the configured size limit, or a ZIP bomb
    - ConverterMissing          a format that needs a program that is not installed
    - WorkerLost                the process running it died, every time it was tried
  + ConfigError                 (settings that cannot work)
    - LLMConfigError            no endpoint, model or key
    - ClusterError              no Ray extra, or no cluster at the address given
  + ExtractionFailed            a backend gave up on a section
  + StoreError                  the database cannot be opened or written
  + ReviewConflict              another reviewer changed the value first
"""

from __future__ import annotations


class JixiaoError(Exception):
    """Base of every error jixiao raises on purpose; its message is meant for the user."""

    #: short machine-readable reason, used in run summaries and the store
    reason: str = "error"

    def __str__(self) -> str:
        return self.args[0] if self.args else self.reason


class InputError(JixiaoError):
    """A document that cannot be read; the batch goes on without it."""

    reason = "unreadable"


class UnsupportedFormat(InputError):
    reason = "unsupported_format"


class EmptyDocument(InputError):
    reason = "empty"


class EncryptedDocument(InputError):
    reason = "encrypted"


class EncryptedPDF(EncryptedDocument):
    reason = "encrypted_pdf"


class NoTextLayer(InputError):
    reason = "no_text_layer"


class CorruptDocument(InputError):
    reason = "corrupt"


class DocumentTooLarge(InputError):
    reason = "too_large"


class ConverterMissing(InputError):
    """A format read through an external program (LibreOffice) that is not installed."""

    reason = "converter_missing"


class DocumentTimeout(InputError):
    """Processing one document took longer than the per-document time limit."""

    reason = "timeout"


class DocumentMemoryExceeded(InputError):
    """Processing one document needed more memory than the per-document ceiling."""

    reason = "memory"


class WorkerLost(InputError):
    """The worker process (or node) processing a document died on every attempt: killed,
    out of memory, or a crash in a native library. Reported for that document only."""

    reason = "worker_lost"


class ConfigError(JixiaoError):
    reason = "config"


class LLMConfigError(ConfigError):
    reason = "llm_config"


class ClusterError(ConfigError):
    """The Ray engine cannot run: its extra is not installed, or no cluster answers."""

    reason = "cluster"


class ExtractionFailed(JixiaoError):
    """A backend gave up on a section; carries what it had so nothing is lost."""

    reason = "extraction_failed"

    def __init__(
        self,
        message: str,
        *,
        section_id: str | None = None,
        attempts: int = 0,
        last_response: object | None = None,
    ) -> None:
        super().__init__(message)
        self.section_id = section_id
        self.attempts = attempts
        self.last_response = last_response


class StoreError(JixiaoError):
    reason = "store"


class ReviewConflict(JixiaoError):
    reason = "review_conflict"
