"""The PDF reader's shortcuts (issue 9) read what the long way reads.

The reader walks a page's objects once through raw PDFium calls (slanted text
removed, path bounds kept for the table rules), asks no character's angle on a
page it knows to be straight, and does not inflate a stream too short to burst.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from juesuan.audit import document
from juesuan.audit.pdf_grid import rules_from_boxes, rules_of_page

PUTUO = Path(__file__).resolve().parents[2] / "shared" / "samples" / "shanghai-putuo-finance-bureau-2024-juesuan.pdf"


@pytest.fixture(scope="module")
def putuo():  # noqa: ANN201 - PdfDocument
    if not PUTUO.exists():
        pytest.skip(f"{PUTUO} absent (the shared samples are not in the repository)")
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(PUTUO))
    yield pdf
    pdf.close()


def test_a_straight_page_reads_the_same_without_asking_angles(putuo) -> None:  # noqa: ANN001
    words = 0
    for i in range(len(putuo)):
        page = putuo[i]
        straight, boxes = document._scan_objects(page)
        assert straight, f"page {i + 1}"
        assert boxes is not None and rules_from_boxes(boxes) == rules_of_page(page)
        textpage = page.get_textpage()
        asked = document._pdf_page_lines(textpage, i + 1, str(PUTUO), straight=False)
        assert document._pdf_page_lines(textpage, i + 1, str(PUTUO), straight=True) == asked
        words += sum(len(line.words) for line in asked)
        textpage.close()
        page.close()
    assert words > 1000
    first = document.read_document(PUTUO).lines[0]
    assert first.page == 1 and first.words and first.words[0].x0 > 0


def _stream(body: bytes, length: str) -> bytes:
    return (b"%PDF-1.4\n1 0 obj\n<< /Length " + length.encode() + b" /Filter /FlateDecode >>\nstream\n"
            + body + b"\nendstream\nendobj\n")


def test_only_a_stream_that_cannot_burst_is_left_uninflated() -> None:
    body = zlib.compress(b"BT /F1 12 Tf (x) Tj ET" * 10)
    for raw, short in ((_stream(body, str(len(body))), True),  # a direct, true length
                       (_stream(body, "7 0 R"), False),  # an indirect length: inflated
                       (_stream(body, str(len(body) - 3)), False)):  # endstream not where it says
        m = document._STREAM.search(raw)
        head = raw[raw.rfind(b"obj", 0, m.start()):m.start()]
        assert document._too_short_to_burst(raw, head, m.end()) is short
    big = str(document.MAX_PDF_STREAM // document._DEFLATE_RATIO)  # could inflate past the limit
    raw = _stream(b"x" * int(big), big)
    m = document._STREAM.search(raw)
    assert not document._too_short_to_burst(raw, raw[:m.start()], m.end())
