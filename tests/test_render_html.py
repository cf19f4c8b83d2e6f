"""HTML renderer: golden text, self-contained page, merged cells, TOC anchors."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("jinja2")

from lxml import html as lh  # noqa: E402

from juesuan.render.blocks import Document, Paragraph  # noqa: E402
from juesuan.render.html import render_html  # noqa: E402
from tests.test_render_common import check_golden, html_text, sample_document  # noqa: E402


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(sample_document())


def test_text_matches_golden(page: str) -> None:
    check_golden("sample.html.txt", html_text(page))


def test_self_contained(page: str) -> None:
    root = lh.fromstring(page)
    assert not root.xpath("//link[@rel='stylesheet'] | //script[@src]")
    for src in root.xpath("//img/@src"):
        assert src.startswith("data:image/png;base64,")
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)
    assert "@import" not in page and "url(http" not in page
    assert len(root.xpath("//*[local-name()='svg']")) == 1  # the figure with an SVG is inlined
    assert "<?xml" not in page


def test_font_stacks_and_print_css(page: str) -> None:
    assert '"FangSong"' in page and '"Noto Serif CJK SC"' in page and '"SimHei"' in page
    assert "@page" in page and "counter(page)" in page and "target-counter" in page
    assert 'lang="zh-CN"' in page


def test_merged_cells_and_thead(page: str) -> None:
    root = lh.fromstring(page)
    table = root.xpath("//section[@id='table-t03']//table")[0]
    head = table.xpath("./thead/tr")
    assert len(head) == 2
    first = head[0].xpath("./th")
    assert [(c.text, c.get("rowspan"), c.get("colspan")) for c in first] == [
        ("科目编码", "2", None), ("科目名称", "2", None), ("本年支出", None, "3"), ("年末结转", "2", None)]
    total = table.xpath("./tbody/tr")[0].xpath("./td")
    assert total[0].get("colspan") == "2" and total[1].text == "4,499.46"
    assert "a-right" in total[1].get("class")


def test_toc_links_resolve(page: str) -> None:
    root = lh.fromstring(page)
    hrefs = root.xpath("//nav[@class='toc']//a/@href")
    ids = set(root.xpath("//@id"))
    assert hrefs and all(h[1:] in ids for h in hrefs)
    assert "#part1" in hrefs


def test_text_is_escaped() -> None:
    doc = Document("t", "d", 2023, "p", [Paragraph("<script>alert(1)</script> & 1 < 2")])
    out = render_html(doc)
    assert "<script>alert" not in out and "&lt;script&gt;" in out


def test_watermark_banner() -> None:
    out = render_html(sample_document(), watermark="草稿：数据未通过检查")
    root = lh.fromstring(out)
    assert root.xpath("//div[@class='draft-banner']")[0].text == "草稿：数据未通过检查"
    assert root.xpath("//div[@class='draft-mark']")


def test_self_evaluation_tables_are_as_wide_as_needed() -> None:
    """The seed's self-evaluation tables (ten columns of text) leave the 17 cm text column on screen."""
    from juesuan.readers.loader import load_dataset
    from juesuan.render.build import assemble
    from tests.conftest import EXAMPLES

    page = render_html(assemble(load_dataset(EXAMPLES / "wuhai-gxj-2023")[0]))
    tree = lh.fromstring(page)
    perf = [s for s in tree.iter("section") if s.get("id", "").startswith("table-perf-")]
    assert len(perf) == 5 and all("wide" in s.get("class", "").split() for s in perf)
    assert "section.table-block.wide" in page
