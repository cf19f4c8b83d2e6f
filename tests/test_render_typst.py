"""Typst PDF renderer: golden text, fonts embedded, page numbers, TOC, merged cells,
landscape pages, draft marks, escaping of user text, both examples, the build option."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("typst")
pdfium = pytest.importorskip("pypdfium2")

from typer.testing import CliRunner  # noqa: E402

from juesuan.cli import app  # noqa: E402
from juesuan.readers.loader import load_dataset  # noqa: E402
from juesuan.render.blocks import (  # noqa: E402
    Cell,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Row,
    TableBlock,
    TableView,
    Toc,
)
from juesuan.render.build import DRAFT_MARK, assemble, build, default_pdf_engine  # noqa: E402
from juesuan.render.typst import lit, typst_source, write_pdf_typst  # noqa: E402
from juesuan.rules.engine import Context, run_rules  # noqa: E402
from tests.test_render_common import (  # noqa: E402
    check_golden,
    merged_table,
    normalise,
    pdf_text,
    sample_document,
    tiny_png,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("wuhai-gxj-2023", "putuo-czj-2024")
MINI = Path(__file__).parent / "data" / "mini.yaml"
A4 = (595, 842)


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pdf_typst(sample_document(), tmp_path_factory.mktemp("typst") / "sample.pdf")


def _pages(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range().replace("\u200b", "") for i in range(len(pdf))]
    finally:
        pdf.close()


def _sizes(path: Path) -> list[tuple[int, int]]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [tuple(round(v) for v in pdf[i].get_size()) for i in range(len(pdf))]
    finally:
        pdf.close()


def _flat(text: str) -> str:
    return "".join(normalise(text.replace("\u200b", "")).split())


# ----------------------------------------------------------------- the sample document


def test_text_matches_golden(pdf_path: Path) -> None:
    check_golden("sample.typst.pdf.txt", pdf_text(pdf_path).replace("\u200b", ""), loose=True)


def test_every_block_text_is_in_the_pdf(pdf_path: Path) -> None:
    from juesuan.render.html import cell_text

    text = _flat("\n".join(_pages(pdf_path)))
    doc = sample_document()
    wanted: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Heading | Paragraph):
            wanted.append(b.text)
        elif isinstance(b, Figure):
            wanted.append(b.title)
        elif isinstance(b, TableBlock):
            t = b.table
            wanted += [t.title, t.org, t.number, t.unit_label, t.note, t.empty_statement]
            wanted += [cell_text(c) for r in t.header + t.body for c in r.cells]
    for w in wanted:
        assert _flat(w) in text, w


def test_page_numbers_and_toc_pages(pdf_path: Path) -> None:
    pages = _pages(pdf_path)
    assert "— 1 —" not in pages[0]  # no number on the cover
    assert "— 2 —" in pages[1]
    toc = pages[1]
    assert "目录" in toc and "第一部分 部门概况" in toc
    part1 = next(i for i, p in enumerate(pages) if "部门概况" in p and i != 1)
    line = next(ln for ln in toc.splitlines() if "第一部分" in ln)
    assert line.replace(" ", "").rstrip().endswith(f"..{part1 + 1}")
    assert "(一)部门职能" in unicodedata.normalize("NFKC", toc).replace(" ", "")  # level 3 in the TOC


def test_landscape_page_and_a4(pdf_path: Path) -> None:
    sizes = _sizes(pdf_path)
    assert A4 in sizes and (A4[1], A4[0]) in sizes
    pages = _pages(pdf_path)
    wide = [i for i, s in enumerate(sizes) if s[0] > s[1]]
    assert any("支出决算表" in pages[i] and "12,345.68" in pages[i] for i in wide)


def test_fonts_embedded(pdf_path: Path) -> None:
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows
        for row in rows:
            assert row.split()[-5] == "yes", row  # emb
        assert any(k in out for k in ("CJK", "Song", "Hei", "Fang", "Kai"))
    else:
        data = pdf_path.read_bytes()
        assert data.count(b"/FontFile") >= 1


def _words(path: Path, page: int):
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(str(path)) as pdf:
        return pdf.pages[page].extract_words()


def test_merged_cells_and_right_aligned_numbers(pdf_path: Path) -> None:
    pages = _pages(pdf_path)
    page = next(i for i, p in enumerate(pages) if "科目编码" in p)
    words: dict = {}
    for w in _words(pdf_path, page):
        words.setdefault(w["text"], w)  # the first: header 合计, not the total row's
    span, subs = words["本年支出"], [words["合计"], words["基本支出"], words["项目支出"]]
    # the colspan header is centred over its three sub-columns, one row above them
    centre = (span["x0"] + span["x1"]) / 2
    assert subs[0]["x0"] < centre < subs[2]["x1"]
    assert abs(centre - (words["基本支出"]["x0"] + words["基本支出"]["x1"]) / 2) < 3
    assert span["bottom"] < subs[1]["top"]
    # the rowspan header sits between the two header rows
    code = words["科目编码"]
    assert span["top"] - 2 < (code["top"] + code["bottom"]) / 2 < subs[1]["bottom"] + 2
    # amounts are right-aligned: same right edge in one column
    assert abs(words["4,499.46"]["x1"] - words["12,345.68"]["x1"]) < 1.0


def test_watermark_on_every_page(tmp_path: Path) -> None:
    path = write_pdf_typst(sample_document(), tmp_path / "draft.pdf", watermark=DRAFT_MARK)
    pages = _pages(path)
    for text in pages:
        assert text.count("草稿") >= 2  # the header mark and the diagonal mark
    assert "草稿" not in "".join(_pages(write_pdf_typst(sample_document(), tmp_path / "clean.pdf")))


# ----------------------------------------------------------------- escaping

NASTY = [
    '#set page(paper: "a5") #panic("x") $x^2$ *粗* _斜_ `raw` <lab> @ref [a] \\ \\n ~ // 注释',
    '/* 块注释 */ "引号" \'单\' = 标题 - 列表 + 编号 1. 2) #{1/0} #let x = 1 @preview/x:0.1.0',
    "反斜杠结尾\\",
    '引号结尾"',
    "制表\t与 %s %d %(x)s {} {{}} 百分号 100% 和 <tag> & &amp;",
]


def _nasty_document() -> Document:
    n = NASTY
    table = TableView(
        id="t99", number=n[2], title=n[0], org=n[1], unit_label=n[3],
        header=(Row((Cell(n[0], colspan=2), Cell(n[4])), kind="header"),),
        body=(Row((Cell(n[1]), Cell(n[2]), Cell(Decimal("-1234.5")))),
              Row((Cell(n[3], rowspan=1), Cell(None), Cell(n[4])), kind="total")),
        note=n[4], empty_statement="",
    )
    doc = Document(title=n[0], department=n[1], year=2023, profile="test")
    doc.add(
        Paragraph(n[0], style="title"), Toc(title=n[3]), PageBreak(),
        Heading(1, n[1]), Heading(2, n[2]), Heading(3, n[4]),
        Paragraph(n[0]), Paragraph(n[1], bold_prefix=n[3]), Paragraph(n[4], style="note"),
        Paragraph(n[2], style="meta"), Paragraph(n[3], style="signature"),
        Figure("x", n[0], png=tiny_png(), width_cm=40), TableBlock(table),
    )
    return doc


@pytest.mark.parametrize("text", NASTY)
def test_lit_is_a_string_literal(text: str) -> None:
    import typst

    out = typst.compile(f"#let s = {lit(text)}\n#metadata(s) <m>".encode(), format="pdf")
    assert out
    value = typst.query(f"#let s = {lit(text)}\n#metadata(s) <m>".encode(), "<m>", field="value", one=True)
    import json

    assert json.loads(value) == text.replace("\t", " ")


def test_user_text_is_never_markup(tmp_path: Path) -> None:
    doc = _nasty_document()
    source, files = typst_source(doc, watermark=NASTY[1])
    assert list(files) == ["fig1.png"]
    path = write_pdf_typst(doc, tmp_path / "nasty.pdf", watermark=NASTY[1])
    assert _sizes(path)[0] == A4  # the user's "#set page(paper: a5)" did nothing
    text = _flat("\n".join(_pages(path)))
    for s in NASTY:
        assert _flat(s.replace("\t", " ")) in text, s


# ----------------------------------------------------------------- the examples and the build


@pytest.fixture(scope="module", params=EXAMPLES)
def example_pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    path = ROOT / "examples" / request.param
    if not (path / "dataset.yaml").exists():
        pytest.skip(f"{request.param} is absent")
    ds, prov = load_dataset(path)
    findings = run_rules(Context(ds, prov))
    out = tmp_path_factory.mktemp("ex") / "out"
    result = build(ds, findings, out, formats=["pdf"], draft=True, pdf_engine="typst")
    pdf = next(f for f in result.files if f.suffix == ".pdf")
    return assemble(ds), pdf, result.draft


def test_example_builds_with_typst(example_pdf) -> None:
    doc, pdf, draft = example_pdf
    pages = _pages(pdf)
    sizes = _sizes(pdf)
    assert len(pages) > 20
    assert any(w > h for w, h in sizes) and A4 in sizes
    text = _flat("\n".join(pages))
    for t in doc.tables():
        assert _flat(t.title) in text, t.title
    for b in doc.blocks:
        if isinstance(b, Heading):
            assert _flat(b.text) in text, b.text
    if draft:
        assert all("草稿" in p for p in pages)
    for i, p in enumerate(pages[1:], 2):
        assert f"— {i} —" in p  # every page but the cover is numbered


def test_example_no_heading_alone_at_the_foot_of_a_page(example_pdf) -> None:
    doc, pdf, _ = example_pdf
    headings = {_flat(b.text) for b in doc.blocks if isinstance(b, Heading)}
    for i, page in enumerate(_pages(pdf)):
        lines = [ln for ln in page.splitlines() if ln.strip() and not ln.strip().startswith("— ")]
        if lines and not any(m in lines[-1] for m in ("草稿",)):
            assert _flat(lines[-1]) not in headings, f"page {i + 1} ends with heading {lines[-1]!r}"


def test_default_engine_is_typst() -> None:
    assert default_pdf_engine() == "typst"


def test_cli_pdf_engine_option(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    r = runner.invoke(app, ["build", str(MINI), "-o", str(out), "--format", "pdf", "--pdf-engine", "typst"])
    assert r.exit_code == 0, r.output
    pdf = next(out.glob("*.pdf"))
    assert pdf.read_bytes().startswith(b"%PDF")
    r = runner.invoke(app, ["build", str(MINI), "-o", str(tmp_path / "x"), "--pdf-engine", "latex"])
    assert r.exit_code == 2 and not (tmp_path / "x").exists()


def test_merged_table_source_uses_spans_and_header() -> None:
    doc = Document("t", "d", 2023, "p", [TableBlock(merged_table())])
    source, _ = typst_source(doc)
    assert "table.header(" in source
    assert 'HC("本年支出", cs: 3)' in source and 'HC("科目编码", rs: 2)' in source
    assert 'C("合计", cs: 2, a: center, b: true)' in source
