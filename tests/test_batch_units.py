"""A workbook holding many units (a department's 部门汇总 export) built as a district, and batch
results stored with ``--db`` as they finish — on generated datasets (benchmarks/generate.py)."""

from __future__ import annotations

import csv
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from juesuan.cli import app
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

runner = CliRunner()


def _many_unit_workbook(target: Path, with_sum: bool = True) -> list[str]:
    """Three generated units' workbooks copied into one as Excel copies sheets (“收入决算表 (2)”),
    and the department's own 汇总 sheets (“收入决算表（汇总）”) naming it."""
    from juesuan.readers.workbook import write_template

    sets = [(generate.dataset(4 + 2 * n, n), "" if n == 1 else f" ({n})") for n in (1, 2, 3)]
    if with_sum:
        own = generate.dataset(4, 9)
        own.department.name = "上海市示例区财政局"
        sets.append((own, "（汇总）"))
    out = Workbook()
    out.remove(out.active)
    for ds, suffix in sets:
        one = target.parent / "one.xlsx"
        write_template(one, ds)
        for ws in load_workbook(one):
            new = out.create_sheet(f"{ws.title}{suffix}")
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        new.cell(c.row, c.column, c.value).number_format = c.number_format
    out.save(target)
    return [ds.department.name for ds, _ in sets]


def test_a_many_unit_workbook_builds_every_unit_and_the_sum(tmp_path: Path) -> None:
    from juesuan.readers.loader import load_dataset

    book = tmp_path / "区财政.xlsx"
    names = _many_unit_workbook(book)
    out = tmp_path / "out"
    r = runner.invoke(app, ["build", str(book), "-o", str(out), "-f", "html,xlsx", "--jobs", "2"])
    assert r.exit_code == 0, r.output
    assert "已生成 4" in r.output
    units = ["上海市示例区测试局6", "上海市示例区测试局8", "上海市示例区测试局10"]
    assert names[:3] == units
    assert {p.name for p in out.iterdir() if p.is_dir()} == {*units, "上海市示例区财政局（汇总）", "单位工作簿"}
    assert (out / "上海市示例区财政局（汇总）" / "上海市示例区财政局_2024_部门决算.html").is_file()
    rows = list(csv.DictReader((out / "findings-summary.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert sorted(r["单位"] for r in rows) == sorted([*units, "上海市示例区财政局"])
    assert all(r["结果"] == "已生成" and r["错误"] == "0" for r in rows)
    # the 汇总 is the sum of the units as each unit's workbook reads back
    split = out / "单位工作簿" / "区财政"
    total, _ = load_dataset(split / "dataset.yaml")
    parts = [load_dataset(f)[0] for f in sorted(split.glob("0*.xlsx"))]
    assert [p.department.name for p in parts] == units
    assert total.department.name == "上海市示例区财政局" and total.department.functions  # from its own sheets
    want = sum((generate.dataset(4 + 2 * n, n).income.general_budget for n in (1, 2, 3)), Decimal(0))
    assert total.income.general_budget == want == sum((p.income.general_budget for p in parts), Decimal(0))
    # the unit's workbook keeps the export's sheet names: findings name the sheet as the user sees it
    assert "收入决算表 (2)" in load_workbook(split / "002-上海市示例区测试局8.xlsx", read_only=True).sheetnames
    # resumed: the units are known by the export's content, not by the rewritten copies
    again = runner.invoke(app, ["build", str(book), "-o", str(out), "-f", "html,xlsx", "--resume"])
    assert again.exit_code == 0 and "输出中已有 4 个" in again.output, again.output


def test_a_workbook_of_one_unit_is_not_split(tmp_path: Path) -> None:
    from juesuan.batch.workbook_units import is_multi_unit, unit_sheets
    from juesuan.readers.workbook import write_template

    one = tmp_path / "one.xlsx"
    write_template(one, generate.dataset(6, 1))
    assert not is_multi_unit(one) and unit_sheets(one) == []
    numbered = Workbook()
    numbered.remove(numbered.active)
    for n, title in enumerate(load_workbook(one).sheetnames):  # “1-收入决算表”, “2-支出决算表” …: one unit
        numbered.create_sheet(f"{n + 1}-{title}")
    numbered.save(tmp_path / "numbered.xlsx")
    assert not is_multi_unit(tmp_path / "numbered.xlsx")
    book = tmp_path / "many.xlsx"
    _many_unit_workbook(book, with_sum=False)
    groups = unit_sheets(book)
    assert [g.key for g in groups] == ["", "2", "3"] and not any(g.is_sum for g in groups)


def test_units_printing_their_name_in_the_title_block(tmp_path: Path) -> None:
    """Official tables print “编制单位：…” in their title block: that names the unit."""
    from juesuan.batch.workbook_units import unit_sheets

    book = tmp_path / "many.xlsx"
    _many_unit_workbook(book, with_sum=False)
    wb = load_workbook(book)
    wb["收入决算表 (3)"]["A2"] = "编制单位：上海市示例区测试中心 单位：万元"
    wb.save(book)
    names = {g.key: g.name for g in unit_sheets(book)}
    assert names == {"": None, "2": None, "3": "上海市示例区测试中心"}


def _urls(tmp_path: Path) -> list[str]:
    import os

    urls = [f"sqlite:///{tmp_path / 'store.db'}"]
    if os.environ.get("JUESUAN_TEST_PG"):
        urls.append(os.environ["JUESUAN_TEST_PG"])
    return urls


@pytest.fixture
def store_urls(tmp_path: Path) -> list[str]:
    pytest.importorskip("sqlalchemy", reason="the store needs SQLAlchemy (pip install .[store])")
    return _urls(tmp_path)


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
