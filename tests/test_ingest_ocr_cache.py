"""The OCR cache: a page image read once is read from disk the next time, the same to
the last box; another image, a damaged entry or no cache folder recognises afresh. And
how many pages are recognised at once: a second thread only for a free core."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from jixiao.document import TextBox
from jixiao.ingest.ocr import cache
from jixiao.ingest.ocr.page import OcrCell, OcrLine, OcrPage, OcrTable


def a_result(page: int) -> OcrPage:
    """What the recogniser might make of a page: a line and a table without lines."""
    box = TextBox(0, 4, page, (72.0, 80.5, 140.25, 92.0), 0.93)
    cells = [
        [OcrCell("项目", 1, False, [TextBox(0, 2, page, (72.0, 100.0, 96.0, 110.0), 0.99)])],
        [OcrCell("", 2, True, [])],
    ]
    return OcrPage(
        lines=[OcrLine("收入合计", 80.5, 92.0, 72.0, 140.25, [box])],
        tables=[OcrTable(cells, 100.0, 72.0, 300.0, columns=[(72.0, 96.0), (200.0, 300.0)])],
        height=842.0,
        rotated=90,
        skew=0.4,
    )


@pytest.fixture
def recogniser(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Stands in for the OCR engine: records the pages it is asked to recognise."""
    calls: list[int] = []

    def recognise(grey, dpi: float, page: int) -> OcrPage:
        calls.append(page)
        return a_result(page)

    monkeypatch.setattr(cache, "ocr_page", recognise)
    return calls


def image(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (60, 40), dtype=np.uint8)


def test_a_page_read_again_comes_from_the_cache_unchanged(
    recogniser: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    first = cache.cached_ocr_page(image(1), 200.0, 3)
    again = cache.cached_ocr_page(image(1), 200.0, 3)
    assert recogniser == [3]
    assert again == first == a_result(3)
    # the same image as another page of another file: its boxes on that page
    assert cache.cached_ocr_page(image(1), 200.0, 7) == a_result(7)
    assert recogniser == [3]


def test_another_image_or_resolution_is_recognised_afresh(
    recogniser: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    cache.cached_ocr_page(image(1), 200.0, 1)
    changed = image(1)
    changed[30, 20] ^= 1  # one pixel
    cache.cached_ocr_page(changed, 200.0, 1)
    cache.cached_ocr_page(image(1), 150.0, 1)
    assert recogniser == [1, 1, 1]


def test_a_damaged_entry_is_a_miss_and_is_replaced(
    recogniser: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    cache.cached_ocr_page(image(2), 200.0, 1)
    (entry,) = (tmp_path / "ocr").rglob("*.json")
    entry.write_text('{"lines": [["cut', encoding="utf-8")
    assert cache.cached_ocr_page(image(2), 200.0, 1) == a_result(1)
    assert cache.cached_ocr_page(image(2), 200.0, 1) == a_result(1)
    assert recogniser == [1, 1]


def test_without_a_cache_folder_nothing_is_stored(
    recogniser: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    cache.cached_ocr_page(image(3), 200.0, 1)
    cache.cached_ocr_page(image(3), 200.0, 1)
    assert recogniser == [1, 1]
    assert not list(tmp_path.iterdir())


def test_the_key_follows_the_reading_code(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.page_key(image(4), 200.0)
    monkeypatch.setattr(cache, "_code_version", lambda: "other code")
    assert cache.page_key(image(4), 200.0) != before


@pytest.mark.parametrize(
    ("cores", "load", "threads"),
    [(2, 0.0, 2), (2, 1.0, 2), (2, 1.4, 2), (2, 2.0, 1), (2, 12.0, 1), (1, 0.0, 1), (8, 0.5, 2)],
)
def test_pages_go_to_a_second_thread_only_when_a_core_is_free(
    cores: int, load: float, threads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jixiao.ingest.ocr import engine

    monkeypatch.delenv("JIXIAO_OCR_THREADS", raising=False)
    monkeypatch.setattr(engine.os, "cpu_count", lambda: cores)
    monkeypatch.setattr(engine.os, "getloadavg", lambda: (load, load, load))
    assert engine.page_threads() == threads
    monkeypatch.setenv("JIXIAO_OCR_THREADS", "3")
    assert engine.page_threads() == 3
