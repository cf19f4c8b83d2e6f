"""The workbook reads the official export layouts and juesuan's own 部门决算表.xlsx.

Fixtures are generated from the two bundled examples: the software's layout
(``official_layout``) and the xlsx ``juesuan build`` writes.  Both must check
without an error and read back the figures the tables carry, equal to the
example's (after 舍位平衡, which the printed tables show).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from juesuan.cli import app
from juesuan.compute.balance import balance_dataset
from juesuan.model.accounts import Dataset
from juesuan.model.findings import Severity
from juesuan.readers.loader import load_dataset
from juesuan.readers.workbook import read_workbook
from juesuan.rules.engine import Context, run_rules

from .official_layout import write_official

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NAMES = ("wuhai-gxj-2023", "putuo-czj-2024")


def _d(v: Any) -> Decimal:
    return Decimal(0) if v is None else Decimal(str(v))


def carried(ds: Dataset) -> dict[str, Any]:
    """The figures the official tables carry, whatever way a reader spells a default."""
    out: dict[str, Any] = {"year": ds.year, "name": ds.department.name}
    for part in ("income", "balances"):
        model = getattr(ds, part)
        out.update({f"{part}.{f}": _d(getattr(model, f)) for f in type(model).model_fields})
    for k, v in ds.appropriation_balances.items():
        out.update({f"appropriation.{k.value}.{s}": _d(getattr(v, s)) for s in ("opening", "closing")
                    if _d(getattr(v, s))})
    for line in ds.expenditure:
        if line.level != 3:
            continue  # 类/款 rows are optional stated subtotals, checked against their items
        key = f"expenditure[{line.code}]"
        out[f"{key}.name"] = line.name
        out.update({f"{key}.{f}": _d(getattr(line, f)) for f in ("basic", "project", "to_superior", "operating",
                                                                  "affiliated") if _d(getattr(line, f))})
        g = line.general()
        out.update({f"{key}.general.{s}": _d(getattr(g, s)) for s in ("basic", "project") if _d(getattr(g, s))})
    for e in ds.basic_econ:
        if len(e.code) == 5 and e.amount:
            out[f"basic_econ[{e.code}]"] = (e.name, _d(e.amount))
    for side in ("budget", "actual"):
        amounts = getattr(ds.three_public, side)
        out.update({f"three_public.{side}.{f}": _d(getattr(amounts, f)) for f in type(amounts).model_fields})
    return out


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


def balanced(name: str) -> Dataset:
    ds, _ = load_dataset(EXAMPLES / name)
    return balance_dataset(ds).dataset


def findings_of(path: Path) -> list[Any]:
    ds, prov = read_workbook(path)
    return run_rules(Context(ds, prov))


@pytest.mark.parametrize("name", NAMES)
def test_official_export_layout_checks_clean_and_reads_the_dataset(tmp_path: Path, name: str) -> None:
    ds = balanced(name)
    path = write_official(ds, tmp_path / "export.xlsx", order=(3, 5, 0, 4, 1, 2))  # any position, Sheet1…
    errors = [f for f in findings_of(path) if f.severity is Severity.ERROR]
    assert errors == []
    got, prov = read_workbook(path)
    assert differences(carried(ds), carried(got)) == []
    # every figure keeps its sheet and cell
    wb = openpyxl.load_workbook(path)
    loc = prov.get("three_public.budget.reception")
    assert loc.sheet and wb[loc.sheet][loc.cell].value == float(ds.three_public.budget.reception or 0) or \
        not ds.three_public.budget.reception


def test_three_public_export_row_is_mapped_cell_by_cell(tmp_path: Path) -> None:
    ds = balanced("wuhai-gxj-2023")
    path = write_official(ds, tmp_path / "export.xlsx")
    got, prov = read_workbook(path)
    # Sheet5 is the 三公 table: 预算数/决算数 pairs of 合计, 出国, 小计, 购置, 运行, 接待 (A…L), data on row 7
    assert got.three_public.budget.abroad == ds.three_public.budget.abroad
    assert prov.get("three_public.actual.reception").cell == "L7"
    assert prov.get("three_public.budget.vehicle_operation").cell == "I7"
    assert "three_public_counts" in got.not_given  # the table has no counts: said, not guessed


def test_blank_subtotal_rows_are_not_given(tmp_path: Path) -> None:
    """The 类/款 rows of the export are blank: no record, so no false hierarchy error."""
    ds = balanced("putuo-czj-2024")
    got, _ = read_workbook(write_official(ds, tmp_path / "export.xlsx"))
    assert {x.code for x in got.expenditure} == {x.code for x in ds.expenditure if x.level == 3}
    assert {e.code for e in got.basic_econ} == {e.code for e in ds.basic_econ if len(e.code) == 5}


def test_a_blank_cell_is_blamed_not_the_total_beside_it(tmp_path: Path) -> None:
    ds = balanced("putuo-czj-2024")
    path = write_official(ds, tmp_path / "export.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Sheet3"]  # 一般公共预算财政拨款支出决算表: 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "2010601")
    assert ws.cell(row, 4).value == 1503.52 and ws.cell(row, 3).value == 1511.89
    ws.cell(row, 4).value = None  # the 基本支出 left blank; the 合计 beside it is right
    wb.save(path)
    errors = [f for f in findings_of(path) if f.severity is Severity.ERROR and f.location.sheet == "Sheet3"]
    assert errors
    assert {f.location.cell for f in errors if f.rule == "stated.total"} == {f"D{row}"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for name in NAMES:
        folder = tmp_path_factory.mktemp(name) / "out"
        result = CliRunner().invoke(app, ["build", str(EXAMPLES / name), "-o", str(folder), "--format", "xlsx",
                                          "--draft"])
        assert result.exit_code in (0, 1), result.output  # 1: a draft (the source's own findings)
        out[name] = next(folder.glob("*.xlsx"))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_own_output_reads_back(built: dict[str, Path], name: str) -> None:
    """`juesuan check 部门决算表.xlsx`: no error; what only the YAML carries is said, not an error."""
    path = built[name]
    findings = findings_of(path)
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    rules = {f.rule for f in findings}
    assert {"input.not_read", "data.not_given"} <= rules
    got, _ = read_workbook(path)
    assert "texts" in got.not_given
    ds = balanced(name)
    assert differences(carried(ds), carried(got)) == []
    # the tables' own subtotal rows are read as stated subtotals, equal to the sums of their items
    for line in got.expenditure:
        if line.level < 3:
            items = [x for x in got.expenditure if x.level == 3 and x.code.startswith(line.code)]
            assert line.total == sum((x.total for x in items), Decimal(0)), line.code


def test_check_command_on_own_output(built: dict[str, Path]) -> None:
    result = CliRunner().invoke(app, ["check", str(built["putuo-czj-2024"]), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    notes = [f for f in report["findings"] if f["rule"] == "input.not_read"]
    assert notes and "基本信息" in notes[0]["message"]


def test_tables_only_export_takes_year_and_department_from_the_tables(tmp_path: Path) -> None:
    ds = balanced("putuo-czj-2024")
    path = write_official(ds, tmp_path / "上海市普陀区财政局_2024_部门决算表.xlsx")
    wb = openpyxl.load_workbook(path)
    for sheet in ("基本信息", "文字说明", "决算单位构成"):
        del wb[sheet]
    wb.save(path)
    got, prov = read_workbook(path)
    assert (got.year, got.department.name) == (2024, "上海市普陀区财政局")
    assert any("基本信息" in message for message, _ in prov.notes)


# --- the template speaks Chinese ---------------------------------------------------------

def test_template_has_chinese_labels_dropdowns_and_an_instruction_per_sheet(tmp_path: Path) -> None:
    ds, _ = load_dataset(EXAMPLES / "putuo-czj-2024")
    path = tmp_path / "t.xlsx"
    from juesuan.readers.workbook import write_template

    write_template(path, ds)
    wb = openpyxl.load_workbook(path)
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "键" not in texts and not any(t.startswith("t0") or t == "income_total" for t in texts)
    assert "支出决算表" in [c.value for c in wb["合计数"]["A"]]
    for ws in wb.worksheets:
        if ws.title != "说明":
            assert ws["A2"].value or ws["B2"].value, ws.title  # 单位 line or 填表说明 under the title
    lists = {dv.formula1 for dv in wb["决算单位构成"].data_validations.dataValidation}
    assert any("行政单位" in f for f in lists)
    assert any("万元" in dv.formula1 for dv in wb["基本信息"].data_validations.dataValidation)
    back, _ = read_workbook(path)
    assert back.stated == ds.stated and back.reasons == ds.reasons


def test_old_workbooks_with_the_key_column_still_read(tmp_path: Path) -> None:
    ds, _ = load_dataset(EXAMPLES / "putuo-czj-2024")
    path = tmp_path / "old.xlsx"
    from juesuan.readers.workbook import write_template

    write_template(path, ds)
    wb = openpyxl.load_workbook(path)
    ws = wb["文字说明"]
    ws.insert_cols(2)
    ws.cell(3, 2, "键")
    ws.cell(4, 2, "department.functions")
    ws.cell(4, 1, "（旧表的项目名）")
    stated = wb["合计数"]
    for r in range(4, stated.max_row + 1):  # the old machine keys
        if stated.cell(r, 1).value == "支出决算表":
            stated.cell(r, 1).value = "t03"
    wb.save(path)
    back, _ = read_workbook(path)
    assert back.department.functions == ds.department.functions
    assert back.stated == ds.stated
