"""Recognition of the real documents: department, year, profile, parts, sections and tables."""

from __future__ import annotations

import pytest

from juesuan.audit.document import read_document
from juesuan.audit.recognize import normalise, recognize, strip_number
from tests.conftest import shared_file

SEED = "seed/000_1d4d631d9d557d27.txt"
PUTUO = "samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf"
TEMPLATE = "samples/shanghai-2024-juesuan-template.pdf"


@pytest.fixture(scope="module")
def seed():
    doc = read_document(shared_file(SEED))
    return doc, recognize(doc)


@pytest.fixture(scope="module")
def putuo():
    doc = read_document(shared_file(PUTUO))
    return doc, recognize(doc)


def test_normalise_tolerates_numbering_and_markdown():
    assert strip_number(normalise("## **六、一般公共预算财政拨款基本支出决算情况说明**")) == (
        "top", "六", "一般公共预算财政拨款基本支出决算情况说明")
    assert strip_number(normalise("### **(三) 卫生健康支出 (类)**"))[:2] == ("sub", "三")
    assert strip_number(normalise("（三）卫生健康支出"))[:2] == ("sub", "三")
    assert strip_number(normalise("三．支出决算情况说明"))[:2] == ("top", "三")


def test_seed_identity(seed):
    _doc, rec = seed
    assert (rec.department, rec.year, rec.profile) == ("乌海市工业和信息化局", 2023, "neimenggu-2023")


def test_seed_fourteen_sections_at_their_lines(seed):
    _doc, rec = seed
    expected = {"s1": 144, "s2": 166, "s3": 189, "s4": 210, "s5": 214, "s6": 286, "s7": 294, "s8": 306,
                "s9": 326, "s10": 330, "s11": 336, "s12": 340, "s13": 344, "s14": 348}
    assert {k: rec.sections[k].location.line for k in expected} == expected
    assert rec.sections["s14"].end <= rec.parts["glossary"].start
    # the table of contents (lines 15-56) is never taken as a start
    assert all(span.location.line > 56 for span in rec.parts.values())


def test_seed_parts(seed):
    _doc, rec = seed
    assert {k: s.location.line for k, s in rec.parts.items()} == {
        "overview": 58, "explanations": 142, "glossary": 588, "contact": 628, "tables": 634}


def test_putuo_identity(putuo):
    _doc, rec = putuo
    assert (rec.department, rec.year, rec.profile) == ("上海市普陀区财政局", 2024, "shanghai-2024")


def test_putuo_eleven_sections_with_page_and_line(putuo):
    _doc, rec = putuo
    expected = {"s1": (21, 3), "s2": (21, 7), "s3": (21, 10), "s4": (21, 13), "s5": (21, 18), "s6": (23, 1),
                "s8": (23, 8), "s9": (23, 20), "s10": (23, 22), "s14": (23, 24), "group.十一": (23, 33)}
    got = {k: (rec.sections[k].location.page, rec.sections[k].location.line) for k in expected}
    assert got == expected
    assert {k: (rec.sections[k].location.page, rec.sections[k].location.line) for k in ("s11", "s12", "s13")} == {
        "s11": (23, 34), "s12": (24, 3), "s13": (24, 11)}
    # the part title is split over two lines in the PDF
    assert rec.parts["explanations"].location.page == 21


def test_putuo_tables_skip_contents(putuo):
    _doc, rec = putuo
    pages = {k: s.location.page for k, s in rec.tables.items()}
    assert pages == {"t01": 6, "t02": 8, "t03": 10, "t04": 12, "t05": 15, "t06": 16, "t10": 18, "t08": 19, "t09": 20}
    assert not rec.notes


def test_template_identity_and_tables():
    doc = read_document(shared_file(TEMPLATE))
    rec = recognize(doc)
    assert (rec.department, rec.year, rec.profile) == ("上海市XX局", 2024, "shanghai-2024")
    assert len([k for k in rec.sections if not k.startswith("p1.")]) == 14
    assert set(rec.tables) == {"t01", "t02", "t03", "t04", "t05", "t06", "t10", "t08", "t09"}
    assert all(s.location.page >= 5 for s in rec.tables.values())


def test_text_variants_recognised(tmp_path):
    text = "\n".join([
        "2023 年度某某市某某局（部门） 公开文档", "# 目录", "## 第一部分 部门概况", "- 一、收入支出决算总体情况说明",
        "# 第一部分 部门概况", "正文", "## 第二部分 部门决算情况说明",
        "**一．收入支出决算总体情况说明**", "正文", "### 二、收入决算情况", "说明", "正文",
        "(三)支出决算情况说明", "正文",
    ])
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    rec = recognize(read_document(path), profile="neimenggu-2023")
    assert (rec.department, rec.year) == ("某某市某某局", 2023)
    assert rec.sections["s1"].location.line == 8
    assert rec.sections["s2"].location.line == 10  # title split over two lines
    assert "s3" not in rec.sections or rec.sections["s3"].location.line == 13
