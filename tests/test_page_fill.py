"""Pages of the built disclosures (the three examples), the PDF (Typst) and the Word file (through
LibreOffice), rendered to images with pdftoppm and measured: no page holds less than a quarter of
its height except the first, a page before a new part and the last; covers centred; titles never
broken inside a word; small tables never split; continued self-evaluation tables repeat their
heads; the Word file opens as a Chinese document (Simplified Chinese glyph forms).

The Word checks need LibreOffice (``libreoffice-writer-nogui``, installed by scripts/setup.sh):
without it they are skipped, except under CI (``CI=true``), where they must run."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import EXAMPLES
from tests.page_fill import build_outputs, cjk_forms, libreoffice, page_report, pdffonts

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")

WORD = "word-via-libreoffice"
NAMES = ["wuhai-gxj-2023", "putuo-czj-2024", "wuxi-tjj-2026-budget"]
WITH_COVER = {"wuhai-gxj-2023", "putuo-czj-2024"}  # the budget opens with its title and contents


def _need_word() -> None:
    if not libreoffice():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("LibreOffice (soffice) is missing under CI: scripts/setup.sh installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice not installed: apt-get install libreoffice-writer-nogui to check the Word pages")


@pytest.fixture(scope="module", params=NAMES)
def pages(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param)
    files = build_outputs(EXAMPLES / request.param, out)
    return request.param, files, {kind: page_report(pdf, out / f"img-{kind}") for kind, pdf in files.items()}


def test_no_page_under_a_quarter_full(pages):
    name, _, reports = pages
    for kind, r in reports.items():
        bad = [(p, r.fill[p - 1]) for p in r.short if p not in r.allowed]
        assert not bad, f"{name} {kind}: pages under a quarter of their height: {bad}"


def test_word_pages_through_libreoffice(pages):
    _need_word()
    name, files, reports = pages
    r = reports[WORD]
    assert r.pages >= 10 and not [p for p in r.short if p not in r.allowed], (name, r.fill)
    # the same document: every table title of the PDF is in the Word pages too
    typst_text = "".join(reports["typst-pdf"].texts)
    word_text = "".join(r.texts)
    for title in ("收入支出决算总表", "财政拨款收入支出决算总表", "收支总表"):
        if title in typst_text:
            assert title in word_text, (name, title)


def test_word_opens_as_a_chinese_document(pages):
    """LibreOffice sets the text in Noto CJK (the fonts of the machine) with Simplified Chinese
    forms: with ja-JP declared it would pick the Japanese ones (直, 骨, 关 differ)."""
    _need_word()
    name, files, _ = pages
    fonts = pdffonts(files[WORD])
    assert any("CJK" in f for f in fonts), (name, fonts)
    forms = cjk_forms(files[WORD])
    assert forms, (name, fonts)
    for font, (sc, jp) in forms.items():
        assert jp == 0 and sc > 0, f"{name}: {font} has {jp} Japanese and {sc} Chinese glyph forms"


def test_cover_is_centred_and_title_unbroken(pages):
    name, _, reports = pages
    if name not in WITH_COVER:
        pytest.skip(f"{name} has no cover page")
    for kind, r in reports.items():
        top, bottom = r.bands[0]
        assert 0.3 < (top + bottom) / 2 < 0.6, (name, kind, r.bands[0])  # the middle, a little above
        lines = [t.strip() for t in r.texts[0].splitlines() if t.strip()]
        for unit in ("公开文档", "部门决算", "（部门）"):
            if unit in r.texts[0].replace("\n", "").replace("\r", ""):
                assert any(unit in line for line in lines), (kind, unit, lines)


def test_continued_self_evaluation_tables_repeat_their_heads(pages):
    """Every page holding indicator rows (their 指标性质 cell says 定量/定性) prints the heads."""
    name, _, reports = pages
    for kind, r in reports.items():
        texts = ["".join(text.split()) for text in r.texts]  # a narrow head wraps: 三级指 / 标
        with_rows = [k for k, text in enumerate(texts, 1) if "定量" in text or "定性" in text]
        if name == "wuhai-gxj-2023":
            assert len(with_rows) >= 5  # five self-evaluation tables, some over two pages
        missing = [k for k in with_rows if "三级指标" not in texts[k - 1]]
        assert not missing, f"{name} {kind}: indicator rows without their heads on pages {missing}"


def test_typst_source_keeps_small_tables_whole_and_titles_in_units():
    from juesuan.readers.loader import load_dataset
    from juesuan.render.build import assemble
    from juesuan.render.typst import SMALL_TABLE_ROWS, title_markup, typst_source

    doc = assemble(load_dataset(EXAMPLES / "wuhai-gxj-2023")[0])
    src, _ = typst_source(doc, stacks={})
    tables = [t for t in doc.tables()]
    small = [t for t in tables if len(t.header) + len(t.body) < SMALL_TABLE_ROWS]
    assert small and src.count("small: true") == len(small)
    assert title_markup("2023 年度乌海市工业和信息化局（部门）公开文档") == (
        'box("2023 年度") + text("乌海市工业和信息化局") + box("（部门）") + box("公开文档")')


def test_empty_tables_share_a_page_with_the_table_beside_them():
    """The seed's 政府性基金 (landscape) and 国有资本经营 (portrait) tables are empty: both print on
    the landscape page of the 三公 table after them, without page breaks between them."""
    from juesuan.readers.loader import load_dataset
    from juesuan.render.blocks import PageBreak, TableBlock
    from juesuan.render.build import assemble
    from juesuan.render.pages import page_blocks, runs

    doc = assemble(load_dataset(EXAMPLES / "wuhai-gxj-2023")[0])
    ids = {b.table.id: b.table for b in page_blocks(doc.blocks) if isinstance(b, TableBlock)}
    assert ids["t08"].empty_statement and ids["t09"].empty_statement
    assert ids["t08"].landscape and ids["t09"].landscape and ids["t10"].landscape
    run = next(blocks for wide, blocks in runs(doc.blocks)
               if any(isinstance(b, TableBlock) and b.table.id == "t09" for b in blocks))
    order = [b.table.id if isinstance(b, TableBlock) else "break" for b in run
             if isinstance(b, TableBlock | PageBreak)]
    k = order.index("t08")
    assert order[k:k + 3] == ["t08", "t09", "t10"], order


def test_continued_groups_repeat_their_label(pages):
    """A table by function class continued on a new page prints, above its repeated header rows,
    the 类 and 款 it continues ("211 节能环保支出（续）"), and nowhere else (PDF)."""
    name, _, reports = pages
    texts = ["".join(t.split()) for t in reports["typst-pdf"].texts]
    pages_with = [k for k, t in enumerate(texts, 1) if "（续）" in t]
    if name == "wuhai-gxj-2023":  # 收入决算表 continues inside 211 节能环保支出 / 21110 能源节约利用
        assert any("211节能环保支出（续）21110能源节约利用（续）" in texts[k - 1] for k in pages_with), pages_with
    for k in pages_with:  # right above the header rows, on a page the group did not start on
        t = texts[k - 1]
        assert t.index("（续）") < t.index("科目名称"), (name, k, t[:200])
        label = t[:t.index("（续）")]
        assert label and label[:3] in texts[k - 2], (name, k, label)
