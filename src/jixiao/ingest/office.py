"""Word 97 (.doc), WPS Office (.wps) and OpenDocument text (.odt), through LibreOffice.

No maintained Python library reads the binary Word format, so a .doc or .wps is
converted to DOCX by LibreOffice (``soffice --headless --convert-to docx``) and read by
the DOCX reader: same tables, same merged cells. WPS Office saves .wps in the same OLE2
container with a ``WordDocument`` stream, so it goes the same way (named .doc for
LibreOffice, whose type detection would otherwise try the old MS Works filter). An .odt
goes the same way under its own suffix: LibreOffice's native format, converted exactly.

Each process keeps one LibreOffice profile in a temporary folder (a first start builds
it, ~5 s; later conversions take ~1-2 s), so parallel workers never share one.
Without LibreOffice the document fails with a one-line reason naming the package.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from jixiao.errors import ConverterMissing, CorruptDocument

#: a conversion that takes longer is a document LibreOffice is stuck on
CONVERT_TIMEOUT = 120.0
_PACKAGE = "libreoffice-writer-nogui"
_profile: Path | None = None


def soffice_path() -> str | None:
    """The LibreOffice command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile_dir() -> Path:
    global _profile
    if _profile is None or not _profile.exists():
        _profile = Path(tempfile.mkdtemp(prefix=f"jixiao-soffice-{os.getpid()}-"))
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def convert_to_docx(data: bytes, fmt: str) -> bytes:
    """A .doc/.wps/.odt file's bytes as DOCX bytes; raises an InputError when it cannot be."""
    soffice = soffice_path()
    if soffice is None:
        raise ConverterMissing(
            f".{fmt} files are read through LibreOffice, which is not installed: "
            f"apt-get install {_PACKAGE} (or save the file as DOCX)"
        )
    with tempfile.TemporaryDirectory(prefix="jixiao-convert-") as tmp:
        source = Path(tmp) / ("source.odt" if fmt == "odt" else "source.doc")
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={_profile_dir().as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            subprocess.run(
                command,
                capture_output=True,
                timeout=CONVERT_TIMEOUT,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise CorruptDocument(
                f"LibreOffice took over {CONVERT_TIMEOUT:.0f} s converting this .{fmt}; "
                "open it and save it as DOCX"
            ) from exc
        converted = Path(tmp) / "source.docx"
        if not converted.is_file() or converted.stat().st_size == 0:
            raise CorruptDocument(
                f"LibreOffice could not convert this .{fmt} (damaged, or not a Word document); "
                "open it and save it as DOCX"
            )
        return converted.read_bytes()
