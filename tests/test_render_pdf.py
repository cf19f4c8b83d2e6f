"""PDF renderer: golden text, fonts embedded, page numbers, TOC page numbers, landscape."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("weasyprint")
pdfium = pytest.importorskip("pypdfium2")

from juesuan.render.pdf import write_pdf  # noqa: E402
from tests.test_render_common import check_golden, pdf_text, sample_document  # noqa: E402


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pdf(sample_document(), tmp_path_factory.mktemp("pdf") / "sample.pdf")


def _pages(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def test_text_matches_golden(pdf_path: Path) -> None:
    check_golden("sample.pdf.txt", pdf_text(pdf_path), loose=True)


def test_page_numbers_and_toc_pages(pdf_path: Path) -> None:
    pages = _pages(pdf_path)
    assert "— 1 —" not in pages[0]  # no number on the cover
    assert "— 2 —" in pages[1]
    toc = pages[1]
    assert "目录" in toc and "第一部分 部门概况" in toc
    part1 = next(i for i, p in enumerate(pages) if "部门概况" in p and i != 1)
    assert f"....{part1 + 1}" in toc.replace(" ", "")


def test_landscape_page(pdf_path: Path) -> None:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        sizes = [pdf[i].get_size() for i in range(len(pdf))]
    finally:
        pdf.close()
    assert any(w > h for w, h in sizes) and any(w < h for w, h in sizes)
    portrait = next((w, h) for w, h in sizes if w < h)
    assert round(portrait[0]) == 595 and round(portrait[1]) == 842  # A4


def test_fonts_embedded(pdf_path: Path) -> None:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    out = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        # name type... emb sub uni: the three yes/no flags before the object id
        assert cols[-5] == "yes", row
    assert any("CJK" in row or "Song" in row or "Hei" in row or "Fang" in row for row in rows)


def test_watermark_on_every_page(tmp_path: Path) -> None:
    path = write_pdf(sample_document(), tmp_path / "draft.pdf", watermark="草稿：数据未通过检查")
    for text in _pages(path):
        assert "草稿" in text
