"""Audit reports a reviewer can act on: Word places by heading and paragraph, PDF pages with the
figure boxed, several findings on one line kept readable (the seed's own build, as a draft)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from juesuan.audit.checks_run import DocAudit, audit_document
from juesuan.audit.report import render_html, report_data
from juesuan.audit.report_pages import figure_box, page_boxes
from juesuan.audit.report_places import where, word_places
from juesuan.model.findings import Finding, Location, Severity
from juesuan.readers.loader import load_dataset
from juesuan.render.build import build
from juesuan.rules.engine import Context, run_rules
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory) -> Path:
    ds, prov = load_dataset(EXAMPLES / "wuhai-gxj-2023")
    out = tmp_path_factory.mktemp("seed") / "out"
    build(ds, run_rules(Context(ds, prov)), out, formats=["docx", "pdf"], draft=True, pdf_engine="typst")
    return out


def _finding(a: DocAudit, rule: str) -> dict:
    return next(f for f in report_data([a])["documents"][0]["findings"] if f["rule"] == rule)


def test_word_findings_are_placed_by_heading_and_paragraph(seed_build):
    a = audit_document(next(seed_build.glob("*.docx")))
    f = _finding(a, "narrative.budget_diff")  # 215 与年初预算相比增加 3,108.77 (the seed's own error)
    assert f["location"]["place"].startswith("“（五）资源勘探工业信息等支出（类）”下第 1 段")
    page = render_html([a])
    assert "（五）资源勘探工业信息等支出（类）”下第 1 段" in page
    assert 'class="page"' not in page  # Word has no pages of its own: none are shown


def test_word_places_of_a_small_document():
    lines = [(None, 1, "第一部分 部门概况"), (None, 2, "一、主要职能"), (None, 3, "本部门负责……。"),
             (None, 4, ""), (None, 5, "第二段。")]
    places = word_places(lines)
    assert places[(None, 3)] == "“一、主要职能”下第 1 段（全文第 3 段）"
    assert places[(None, 5)] == "“一、主要职能”下第 2 段（全文第 4 段）"
    assert where(3, 7, None) == "第 3 页，第 7 行"


def test_pdf_report_shows_the_page_with_the_figure_boxed(seed_build):
    a = audit_document(next(seed_build.glob("*.pdf")))
    boxes = page_boxes(a)
    i = next(k for k, f in enumerate(a.findings) if f.rule == "narrative.budget_diff")
    f = a.findings[i]
    box = next(b for b in boxes[f.location.page] if b.label == str(i + 1))
    words, baseline = a.boxes[(f.location.page, f.location.line)]
    line_x0, line_x1 = min(w.x0 for w in words), max(w.x1 for w in words)
    # the box holds "3,108.77", not the whole line: narrower, inside it
    assert line_x0 - 3 <= box.x0 < box.x1 <= line_x1 + 3
    assert box.x1 - box.x0 < (line_x1 - line_x0) / 2
    page = render_html([a])
    images = re.findall(r'<img alt="第 (\d+) 页" src="data:image/jpeg;base64,', page)
    assert str(f.location.page) in images


def test_figure_box_inside_a_run_of_chinese_text():
    from juesuan.audit.document import Word

    words = (Word("预算相比增加3,108.77万元。", 100.0, 300.0, 500.0, 511.0),)
    x0, y0, x1, y1 = figure_box(words, 501.0, "3,108.77万元")
    assert 100.0 < x0 < x1 < 300.0 and y0 < 500.0 < 511.0 < y1
    assert figure_box(words, 501.0, "9.99") == (97.0, 498.0, 303.0, 513.0)  # not there: the line


def test_several_findings_on_one_line_stay_readable():
    a = DocAudit("x.txt", profile="national", lines=[(None, 1, "本年收入合计 100.00 万元，支出合计 99.00 万元。")])
    loc = Location(line=1)
    a.findings = [Finding("identity.balance", Severity.ERROR, "收入与支出不等", loc, found="100.00万元"),
                  Finding("narrative.share", Severity.WARNING, "占比不符", loc, found="99.00万元"),
                  Finding("narrative.amount", Severity.ERROR, "金额不符", loc, found="100.00万元")]
    page = render_html([a])
    assert 'class="line flagged several"' in page
    assert page.count("<aside>") == 1 and all(f'<b>{k}</b>' in page for k in (1, 2, 3))
    assert "<sup>1,3</sup></mark>" in page and "<sup>2</sup></mark>" in page
