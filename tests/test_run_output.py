"""What a batch prints: one plain line per failed file, library chatter in the log.

File names and reasons are printed as text, never as rich markup (a file named
``d[/b].pdf`` once crashed the summary after the whole batch had run), and warnings
that libraries log while reading damaged files go to the log file beside the store.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app

GOOD = "二、收入决算情况说明\n2022年度本年收入合计100.50万元，本年支出合计119.80万元。\n"
NOISY = "库告警"


def extract(*args: str):
    return CliRunner(env={"COLUMNS": "100"}).invoke(app, ["extract", *args, "--quiet"])


def test_file_names_and_reasons_with_markup_characters_are_printed_as_they_are(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "d["
    folder.mkdir()
    bad = folder / "b].pdf"  # the path reads d[/b].pdf: a closing markup tag
    bad.write_bytes(b"x")
    (folder / "[red]ok.txt").write_text(GOOD, encoding="utf-8")
    result = extract(str(folder), "--db", str(tmp_path / "j.db"))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "MarkupError" not in result.output
    (line,) = [line for line in result.output.splitlines() if "b].pdf" in line]
    assert str(bad) in line and "corrupt: " in line


def test_each_failed_file_is_one_line_however_long_its_reason(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"broken{i}.pdf").write_bytes(b"%PDF-1.4 " + b"x" * 50)
    result = extract(str(tmp_path / "broken*.pdf"), "--db", str(tmp_path / "j.db"))
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if ".pdf" in line]
    assert len(failed) == 3
    assert all(len(line) > 100 for line in failed)  # not wrapped at the 100 columns


@pytest.mark.slow  # a process of its own
def test_library_warnings_go_to_the_log_beside_the_store(tmp_path: Path) -> None:
    """In a process of its own, as a user runs it: pytest's log capture would otherwise
    stand between the libraries and the terminal."""
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    code = (
        "import logging, sys, warnings\n"
        "import jixiao.verify\n"
        "real = jixiao.verify.verify_record\n"
        "def noisy(record, text, *args, **kwargs):\n"
        "    logging.getLogger('pdfminer.pdftypes').warning('Data-loss while decompressing')\n"
        f"    warnings.warn('{NOISY}', UserWarning, stacklevel=1)\n"
        "    return real(record, text, *args, **kwargs)\n"
        "jixiao.verify.verify_record = noisy\n"
        "from jixiao.cli import app\n"
        "app(sys.argv[1:])\n"
    )
    db = tmp_path / "store.db"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "extract",
            str(tmp_path / "a.txt"),
            "--db",
            str(db),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    screen = done.stdout + done.stderr
    assert "Data-loss" not in screen and NOISY not in screen
    log = (tmp_path / "store.log").read_text(encoding="utf-8")
    assert "pdfminer.pdftypes WARNING Data-loss while decompressing" in log
    assert NOISY in log
    assert "store.log" in screen  # the user is told where they went
