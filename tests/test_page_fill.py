"""Pages of the built disclosures (both examples), rendered to images with pdftoppm and measured:
no page holds less than a quarter of its height except the cover, the last page of a part, and a
page holding one empty standard table; covers centred; titles never broken inside a word; small
tables never split; continued self-evaluation tables repeat their heads.  The Word file is checked
the same way through LibreOffice when it is installed (CI does not install it: ~300 MB)."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import EXAMPLES
from tests.page_fill import build_outputs, libreoffice, page_report

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")


@pytest.fixture(scope="module", params=["wuhai-gxj-2023", "putuo-czj-2024"])
def pages(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param)
    files = build_outputs(EXAMPLES / request.param, out)
    return request.param, {kind: page_report(pdf, out / f"img-{kind}") for kind, pdf in files.items()}


def test_no_page_under_a_quarter_full(pages):
    name, reports = pages
    for kind, r in reports.items():
        bad = [(p, r.fill[p - 1]) for p in r.short if p not in r.allowed]
        assert not bad, f"{name} {kind}: pages under a quarter of their height: {bad}"


def test_word_pages_through_libreoffice(pages):
    if not libreoffice():
        pytest.skip("LibreOffice not installed (CI does not install it: ~300 MB); "
                    "apt-get install libreoffice-writer-nogui to check the Word pages too")
    name, reports = pages
    assert "word-via-libreoffice" in reports


def test_cover_is_centred_and_title_unbroken(pages):
    name, reports = pages
    r = reports["typst-pdf"]
    top, bottom = r.bands[0]
    assert 0.3 < (top + bottom) / 2 < 0.6, (name, r.bands[0])  # the middle of the page, a little above
    lines = [t.strip() for t in r.texts[0].splitlines() if t.strip()]
    for unit in ("公开文档", "部门决算", "（部门）"):
        if unit in r.texts[0].replace("\n", "").replace("\r", ""):
            assert any(unit in line for line in lines), (unit, lines)


def test_continued_self_evaluation_tables_repeat_their_heads(pages):
    """Every page holding indicator rows (their 指标性质 cell says 定量/定性) prints the heads."""
    name, reports = pages
    r = reports["typst-pdf"]
    with_rows = [k for k, text in enumerate(r.texts, 1) if "定量" in text or "定性" in text]
    if name == "wuhai-gxj-2023":
        assert len(with_rows) >= 5  # five self-evaluation tables, some over two pages
    missing = [k for k in with_rows if "三级指标" not in r.texts[k - 1]]
    assert not missing, f"{name}: indicator rows without their heads on pages {missing}"


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
