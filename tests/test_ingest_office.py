"""Word 97 (.doc), WPS (.wps) and WPS spreadsheets (.et): read like their modern forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.errors import ConverterMissing, CorruptDocument
from jixiao.ingest import load, load_bytes
from office_files import ole_with_stream

FIXTURES = Path(__file__).resolve().parents[1] / "eval" / "fixtures"


def _same_content(doc, original) -> None:
    assert [t.row_texts() for t in doc.tables] == [t.row_texts() for t in original.tables]
    assert [doc.para_text(p) for p in doc.paragraphs if doc.para_text(p)] == [
        original.para_text(p) for p in original.paragraphs
    ]


@pytest.mark.slow  # a LibreOffice conversion each
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_word_97_and_wps_files_read_as_the_txt_they_were_made_from(suffix: str, tmp_path: Path):
    path = tmp_path / f"report{suffix}"
    path.write_bytes((FIXTURES / "000-doc" / "source.doc").read_bytes())
    doc = load(path)
    assert doc.format == suffix[1:]
    assert "converted from" in doc.notes[0]
    _same_content(doc, load(FIXTURES / "000" / "source.txt"))


def test_et_workbook_reads_as_the_xls_it_is(tmp_path: Path):
    path = tmp_path / "自评表.et"
    path.write_bytes((FIXTURES / "002-xls" / "source.xls").read_bytes())
    doc = load(path)
    assert doc.format == "et"
    assert doc.text == load(FIXTURES / "002" / "source.txt").text


def test_doc_without_libreoffice_names_the_package_in_one_line(monkeypatch, tmp_path: Path):
    monkeypatch.setattr("jixiao.ingest.office.shutil.which", lambda _name: None)
    path = tmp_path / "report.doc"
    path.write_bytes((FIXTURES / "000-doc" / "source.doc").read_bytes())
    with pytest.raises(ConverterMissing, match="apt-get install libreoffice-writer-nogui") as info:
        load(path)
    assert "\n" not in str(info.value)


@pytest.mark.slow  # a LibreOffice conversion
def test_a_word_container_libreoffice_cannot_convert_is_corrupt():
    with pytest.raises(CorruptDocument, match=r"LibreOffice could not convert this \.doc"):
        load_bytes(ole_with_stream("WordDocument"), name="broken.doc")


def _odt_of(doc_path: Path, out: Path) -> Path:
    """An OpenDocument text made from a .doc fixture by LibreOffice itself."""
    import subprocess

    from jixiao.ingest.office import soffice_path

    soffice = soffice_path()
    assert soffice is not None, "LibreOffice is needed to make the .odt"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(out / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "odt",
            "--outdir",
            str(out),
            str(doc_path),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    return out / f"{doc_path.stem}.odt"


@pytest.mark.slow  # two LibreOffice conversions
def test_an_opendocument_text_reads_as_the_txt_it_was_made_from(tmp_path: Path):
    odt = _odt_of(FIXTURES / "000-doc" / "source.doc", tmp_path)
    doc = load(odt)
    assert doc.format == "odt"
    assert "converted from .odt" in doc.notes[0]
    _same_content(doc, load(FIXTURES / "000" / "source.txt"))


def test_an_opendocument_text_is_told_from_a_spreadsheet_by_its_mimetype():
    import io
    import zipfile

    from jixiao.ingest import sniff_format

    def archive(mimetype: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            zf.writestr("mimetype", mimetype)
            zf.writestr("content.xml", "<office:document-content/>")
        return buffer.getvalue()

    assert sniff_format(archive("application/vnd.oasis.opendocument.text"), "a.odt") == "odt"
    assert sniff_format(archive("application/vnd.oasis.opendocument.spreadsheet"), "a") == "ods"
