"""A long document's PDF laid out in parts (``juesuan.render.typst_parts``): the same pages as
one layout.

A 150-row department (77 pages) laid out in parts of 1,500 cells (seven parts, three of
them ending inside a long table) against one layout of it: the same page count, the same
text on every page (page numbers and continued labels included), the same pixels, and the
same bookmarks.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402


def _outline(reader) -> list[tuple[int, str, int]]:
    def walk(items, depth=0):
        out = []
        for x in items:
            if isinstance(x, list):
                out += walk(x, depth + 1)
            else:
                out.append((depth, x.title, reader.get_destination_page_number(x)))
        return out
    return walk(reader.outline)


def test_a_pdf_in_parts_has_the_pages_of_one_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("typst")
    pdfium = pytest.importorskip("pypdfium2")
    pypdf = pytest.importorskip("pypdf")
    import juesuan.render.typst_parts as parts
    from juesuan.render.build import assemble
    from juesuan.render.typst import write_pdf_typst

    doc = assemble(generate.dataset(150, seed=0))
    assert parts.document_cells(doc) > 1500
    monkeypatch.setenv("JUESUAN_TYPST_PART_CELLS", str(10**9))
    write_pdf_typst(doc, tmp_path / "whole.pdf")
    monkeypatch.setenv("JUESUAN_TYPST_PART_CELLS", "1500")
    done: list[bool] = []
    real = parts.write_in_parts
    monkeypatch.setattr(parts, "write_in_parts", lambda *a, **k: done.append(real(*a, **k)) or done[-1])
    write_pdf_typst(doc, tmp_path / "parts.pdf")
    assert done == [True]  # laid out in parts, not in the one layout it falls back to

    whole, split = pdfium.PdfDocument(tmp_path / "whole.pdf"), pdfium.PdfDocument(tmp_path / "parts.pdf")
    assert len(whole) == len(split) > 70
    for k in range(len(whole)):
        assert whole[k].get_textpage().get_text_range() == split[k].get_textpage().get_text_range(), k
    for k in range(0, len(whole), 5):
        a = whole[k].render(scale=0.5).to_pil().convert("L").tobytes()
        b = split[k].render(scale=0.5).to_pil().convert("L").tobytes()
        assert a == b, k
    labelled = sum("（续）" in split[k].get_textpage().get_text_range() for k in range(len(split)))
    assert labelled >= 10  # continued labels on the pages a part starts with, too
    w, s = pypdf.PdfReader(tmp_path / "whole.pdf"), pypdf.PdfReader(tmp_path / "parts.pdf")
    assert _outline(s) == _outline(w) and len(_outline(s)) > 20
    assert s.metadata.title == w.metadata.title and s.metadata.author == w.metadata.author
    assert s.trailer["/Root"]["/Lang"] == "zh-CN"


def test_a_part_typst_rejects_names_the_reason(tmp_path: Path) -> None:
    pytest.importorskip("typst")
    from juesuan.render.typst_worker import main

    (tmp_path / "bad.typ").write_text("#let x = (\n", encoding="utf-8")
    assert main([str(tmp_path / "bad.typ"), str(tmp_path / "out.pdf")]) == 2
    assert not (tmp_path / "out.pdf").exists()


def test_a_process_past_its_first_pdfs_compiles_the_next_in_a_child(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Typst keeps every layout for as long as its process lives: past ``JUESUAN_TYPST_IN_PROCESS``
    PDFs a process (a batch worker, the web application) compiles in a child process, which
    gives the same pages."""
    typst = pytest.importorskip("typst")
    pdfium = pytest.importorskip("pypdfium2")
    from juesuan.render.build import assemble
    from juesuan.render.typst import write_pdf_typst

    doc = assemble(generate.dataset(20, seed=3))
    monkeypatch.setenv("JUESUAN_TYPST_IN_PROCESS", str(10**9))
    write_pdf_typst(doc, tmp_path / "here.pdf")

    class NotHere:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("compiled in this process")

    monkeypatch.setattr(typst, "Compiler", NotHere)
    monkeypatch.setenv("JUESUAN_TYPST_IN_PROCESS", "0")
    write_pdf_typst(doc, tmp_path / "child.pdf")
    here, child = pdfium.PdfDocument(tmp_path / "here.pdf"), pdfium.PdfDocument(tmp_path / "child.pdf")
    assert len(here) == len(child) > 10
    for k in range(len(here)):
        assert here[k].get_textpage().get_text_range() == child[k].get_textpage().get_text_range(), k
