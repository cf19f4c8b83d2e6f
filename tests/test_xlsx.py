"""The tables workbook (render/xlsx.py): content against golden files, print setup.

Golden files hold the normalised text of each sheet (cell texts row by row,
merged ranges, print settings), not bytes.  Regenerate them with
``JUESUAN_UPDATE_GOLDEN=1 python -m pytest tests/test_xlsx.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from juesuan.readers.loader import load_dataset
from juesuan.render.blocks import Cell
from juesuan.render.perf_tables import build_perf_tables
from juesuan.render.tables import DEFAULT_SPECS, build_tables
from juesuan.render.xlsx import write_tables_xlsx

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "tables"
ALL = [s.id for s in DEFAULT_SPECS]
CASES = {
    "mini": ROOT / "tests" / "data" / "tables_mini.yaml",
    "putuo-czj-2024": ROOT / "examples" / "putuo-czj-2024",
    "wuhai-gxj-2023": ROOT / "examples" / "wuhai-gxj-2023",
}
UPDATE = os.environ.get("JUESUAN_UPDATE_GOLDEN") == "1"


def _text(value, fmt: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:,.2f}" if "0.00" in fmt else str(value)
    return " ".join(str(value).split())


def extract(path: Path) -> str:
    """The workbook as normalised text: per sheet, its rows, merges and print setup."""
    wb = load_workbook(path)
    out = []
    for ws in wb.worksheets:
        ps = ws.page_setup
        out.append(f"## {ws.title}")
        out.append(f"print: paper={ps.paperSize} orientation={ps.orientation} "
                   f"fit={ps.fitToWidth}x{ps.fitToHeight} titles={ws.print_title_rows}")
        for row in ws.iter_rows():
            cells = [_text(c.value, c.number_format) for c in row]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                out.append(" | ".join(cells))
        out.append("merged: " + " ".join(sorted(str(r) for r in ws.merged_cells.ranges)))
    return "\n".join(out) + "\n"


def _tables(name: str):
    path = CASES[name]
    if not path.exists():
        pytest.skip(f"example {name} not transcribed yet")
    ds = load_dataset(path)[0]
    tables = build_tables(ds, ALL, ds.department.name)
    return ds, tables + build_perf_tables(ds.performance.self_evaluations, ds.year)


@pytest.mark.parametrize("name", list(CASES))
def test_workbook_matches_golden(name, tmp_path):
    _, tables = _tables(name)
    path = write_tables_xlsx(tables, tmp_path / f"{name}.xlsx")
    text = extract(path)
    golden = GOLDEN / f"{name}.txt"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    if not golden.exists():
        pytest.fail(f"no golden file {golden.name}: run with JUESUAN_UPDATE_GOLDEN=1")
    assert text == golden.read_text(encoding="utf-8")


def test_sheet_layout_and_print_setup(tmp_path):
    _, tables = _tables("mini")
    path = write_tables_xlsx(tables, tmp_path / "mini.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[:11] == [f"公开{i:02d}表" for i in range(1, 12)]
    ws = wb["公开03表"]
    assert ws["A2"].value == "支出决算表"
    assert ws["A3"].value == "编制单位：测试市测试局"
    assert ws["A4"].font.name == "宋体"
    assert "A4:D4" in {str(r) for r in ws.merged_cells.ranges}  # 项目 over four columns
    amounts = [c for row in ws.iter_rows() for c in row if isinstance(c.value, float)]
    assert amounts and all(c.number_format == "#,##0.00" for c in amounts)
    assert ws.print_title_rows == "$4:$6"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    last = [c.value for c in ws[ws.max_row] if c.value]
    assert last == ["注：本表反映部门本年度各项支出情况。"]


def test_empty_table_statement_is_written(tmp_path):
    _, tables = _tables("mini")
    path = write_tables_xlsx(tables, tmp_path / "mini.xlsx")
    texts = [c.value for row in load_workbook(path)["公开09表"].iter_rows() for c in row if c.value]
    assert "本部门本年度无国有资本经营预算财政拨款收支，故本表无数据。" in texts


def test_header_rows_have_the_height_their_wrapped_text_needs(tmp_path):
    """Excel never grows a row for merged, wrapped header text: the height is set (Putuo 2024)."""
    from juesuan.render.xlsx import header_heights, text_units

    _, tables = _tables("putuo-czj-2024")
    path = write_tables_xlsx(tables, tmp_path / "putuo.xlsx")
    wb = load_workbook(path)
    ws = wb["公开05表"]
    header_rows = range(4, 4 + len(tables[4].header))  # 1-based, below the three title lines
    heights = [ws.row_dimensions[r].height for r in header_rows]
    assert all(h and h >= 17 for h in heights) and max(heights) > 30, heights
    # a long header cell in a narrow column gets several lines
    placed = [(0, 0, Cell("一般公共预算财政拨款基本支出合计"))]
    assert header_heights(placed, [10.0])[0] == 4 * 13.5 + 4
    assert text_units("合计") == 3.8 and text_units("2024") == 4.0
