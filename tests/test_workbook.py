"""The Excel workbook: written and read back, tolerant reading, and bad input."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from juesuan.cli import app
from juesuan.model.accounts import (
    BasicProject,
    Dataset,
    Department,
    EconLine,
    ExpenditureLine,
    FundKind,
    FundRow,
    Income,
    Indicator,
    Performance,
    SelfEvaluation,
    StatedFigure,
    ThreePublic,
    ThreePublicAmounts,
)
from juesuan.model.money import Unit
from juesuan.readers import workbook_layout as L
from juesuan.readers import workbook_read
from juesuan.readers.errors import InputError
from juesuan.readers.workbook import read_workbook, write_template

from .strategies import datasets

D = Decimal
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def rich_dataset() -> Dataset:
    return Dataset(
        year=2023, unit=Unit.WAN, profile="neimenggu-2023",
        department=Department(name="乌海市工业和信息化局", display_name="市工信局（部门）", head="张三",
                              duties=["负责工业经济运行", "负责信息化建设"], functions="主管工业",
                              main_work=["完成目标"], scope="本部门决算包括：本级"),
        income=Income(general_budget=D("4499.46"), other=D("1.20")),
        expenditure=[
            ExpenditureLine(code="201", name="一般公共服务支出", basic=D("100.00")),
            ExpenditureLine(code="2010101", name="行政运行", basic=D("100.00"), project=D("0.50"),
                            budget=D("90.00"), reason="人员增加",
                            appropriation={FundKind.GENERAL: BasicProject(basic=D("99.00"), project=D("0.50"))},
                            income=Income(general_budget=D("99.50"), other=D("1.00"))),
            ExpenditureLine(code="2080505", name="机关事业单位基本养老保险缴费支出", basic=D("12.3"),
                            fund_opening=D("1.00"),
                            appropriation={FundKind.GOV_FUND: BasicProject(project=D("2.00"))}),
        ],
        basic_econ=[EconLine(code="30101", name="基本工资", amount=D("50.00")),
                    EconLine(code="30201", name="办公费", amount=D("3"), kind="公用经费")],
        three_public=ThreePublic(actual=ThreePublicAmounts(reception=D("1.23")),
                                 last_year=ThreePublicAmounts(abroad=D("0.50"))),
        performance=Performance(self_evaluations=[SelfEvaluation(
            name="工业发展专项", funds=FundRow(annual_budget=D("10.00"), executed=D("8.00")),
            indicators=[Indicator(level1="产出指标", level2="数量指标", name="企业数", nature="正向",
                                  direction="大于等于", target="10", actual="8", unit="家", weight=D("3"))],
        )], grade_counts={"优": 2}),
        reasons={"total_vs_budget": "追加预算", "custom_key": "其他原因"},
        texts={"note": "=不是公式"},
        stated=[StatedFigure(table="t03", row="total", column="basic", value=D("112.30"))],
    )


def written(tmp_path: Path, ds: Dataset | None = None, name: str = "w.xlsx") -> Path:
    path = tmp_path / name
    write_template(path, ds if ds is not None else rich_dataset())
    return path


def edit(path: Path, sheet: str, **cells: object) -> Path:
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)
    return path


def problems(path: Path) -> list[tuple[str, str | None, str | None]]:
    with pytest.raises(InputError) as info:
        read_workbook(path)
    exc = info.value
    if not exc.problems:
        return [(exc.message, exc.location.sheet, exc.location.cell)]
    return [(m, loc.sheet, loc.cell) for m, loc in exc.problems]


# --- round trips ---------------------------------------------------------------------

def test_rich_dataset_round_trip(tmp_path: Path) -> None:
    ds = rich_dataset()
    back, prov = read_workbook(written(tmp_path, ds))
    assert back == ds
    assert prov.get("expenditure[1].basic").sheet == "支出决算表"
    assert prov.get("expenditure[1].basic").cell == "D5"
    assert prov.get("expenditure[1].appropriation.general.basic").sheet == "一般公共预算财政拨款支出决算表"
    assert prov.get("income.general_budget").sheet == "收入支出决算总表"
    assert prov.get("department.duties[1]").sheet == "文字说明"


def test_amount_precision_survives(tmp_path: Path) -> None:
    back, _ = read_workbook(written(tmp_path))
    amounts = {e.code: e.basic for e in back.expenditure}
    assert str(amounts["2080505"]) == "12.3"  # one place written, one place read
    assert str(back.basic_econ[1].amount) == "3"


def test_blank_template_reads_as_minimal_dataset(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    write_template(path, None)
    wb = openpyxl.load_workbook(path)
    assert L.INSTRUCTIONS_SHEET in wb.sheetnames and "支出决算表" in wb.sheetnames
    edit(path, "基本信息", B4=2024, B8="某局")
    ds, _ = read_workbook(path)
    assert ds.year == 2024 and ds.department.name == "某局" and ds.unit is Unit.WAN


def _model_paths(model: type, prefix: str = "") -> set[str]:
    """Every scalar field path of the model (lists and dicts as themselves)."""
    from pydantic import BaseModel

    out = set()
    for name, info in model.model_fields.items():
        key = info.alias or name
        path = f"{prefix}.{key}" if prefix else key
        ann = info.annotation
        args = [a for a in getattr(ann, "__args__", ()) if isinstance(a, type) and issubclass(a, BaseModel)]
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out |= _model_paths(ann, path)
        elif args and "list" not in str(ann) and "dict" not in str(ann):
            out |= _model_paths(args[0], path)
        else:
            out.add(path)
    return out


def test_layout_covers_every_model_field() -> None:
    """Fails when the model grows a field the workbook does not carry."""
    covered: set[str] = set(L.TEXT_FIELDS) | set(L.DICT_FIELDS)
    for grid in L.GRIDS:
        covered |= {f.path for row in grid.rows for f in row.cells.values()}
    for group in ("last_year.income", "last_year.balances", "three_public.last_year"):
        covered.add(group)
    covered |= {"appropriation_balances", "expenditure", "basic_econ", "project_econ", "stated",
                "department.units", "performance.self_evaluations",
                "kind"}  # always 决算 in this workbook (a budget has its own: readers/budget_workbook.py)
    missing = {p for p in _model_paths(Dataset) if not any(p == c or p.startswith(c + ".") for c in covered)}
    assert not missing, f"model fields missing from the workbook layout: {sorted(missing)}"
    for table, model in ((L.EXPENDITURE, ExpenditureLine), (L.SELF_EVAL, SelfEvaluation),
                         (L.INDICATORS, Indicator)):
        joined = [t for t in L.TABLES if t.records == f"@{table.records.split('.')[-1]}" or t is table]
        fields = {c.field.path.split(".")[0] for t in joined for c in t.columns if c.field}
        assert set(model.model_fields) - fields - {"indicators"} == set(), table.name


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(ds=datasets())
def test_random_datasets_round_trip(tmp_path_factory: pytest.TempPathFactory, ds: Dataset) -> None:
    path = tmp_path_factory.mktemp("rt") / "d.xlsx"
    write_template(path, ds)
    back, _ = read_workbook(path)
    assert back == ds


# --- tolerant reading of pasted official tables ---------------------------------------

def official_workbook(path: Path, amount: object = "1,234.50") -> Path:
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "基本信息"
    info.append(["项目", "内容"])
    info.append(["决算年度", "2023"])
    info.append(["部门名称", "某局"])
    totals = wb.create_sheet("公开01表 收入支出决算总表")
    totals.append(["收入支出决算总表"])
    totals.append(["单位：万元"])
    totals.append(["项目", "决算数", "项目", "决算数"])
    totals.append(["一、一般公共预算财政拨款收入", "1,254.50", "一般公共服务支出", "1,254.50"])
    totals.append(["使用非财政拨款结余（含专用结余）", None, "本年支出合计", "1,254.50"])
    ws = wb.create_sheet("支出决算表（公开03表）")
    ws.append(["支出决算表"])
    ws.append(["编制单位：某局", None, None, None, None, "单位：万元"])
    ws.append(["项目", None, None, None, "本年支出合计", "基本支出", "项目支出"])
    ws.append(["功能分类科目编码", None, None, "科目名称"])
    ws.append(["类", "款", "项"])
    ws.append(["栏次", None, None, None, 1, 2, 3])
    ws.append(["合计", None, None, None, "1,254.50", "1,254.50", None])
    ws.append(["201", None, None, "一般公共服务支出", "1,254.50", "1,254.50", "—"])
    ws.append([None, "01", None, "人大事务", "1,254.50", "1,254.50", None])
    ws.append([201, 1, 1, "  行政运行", amount, amount, None])
    ws.append([None, None, "02", "一般行政管理事务", "２０．００", "２０．００", None])
    ws.append(["注：本表反映部门本年度各项支出情况。"])
    wb.save(path)
    return path


def test_official_layout_split_codes_and_separators(tmp_path: Path) -> None:
    ds, prov = read_workbook(official_workbook(tmp_path / "o.xlsx"))
    assert [e.code for e in ds.expenditure] == ["201", "20101", "2010101", "2010102"]
    assert ds.expenditure[2].name == "行政运行"
    assert ds.expenditure[2].basic == D("1234.50")
    assert ds.expenditure[3].basic == D("20.00")
    assert ds.income.general_budget == D("1254.50")
    assert ds.unit is Unit.WAN
    assert StatedFigure(table="t03", row="total", column="basic", value=D("1254.50")) in ds.stated
    assert prov.get("expenditure[2].basic").cell == "F10"


def test_sheet_unit_yuan_converted(tmp_path: Path) -> None:
    path = official_workbook(tmp_path / "o.xlsx", amount=12345)
    edit(path, "支出决算表（公开03表）", F2="单位：元")
    ds, _ = read_workbook(path)
    assert ds.expenditure[2].basic == D("1.2345")


def test_float_cells_quantized(tmp_path: Path) -> None:
    path = official_workbook(tmp_path / "o.xlsx", amount=1234.5)
    ds, _ = read_workbook(path)
    assert str(ds.expenditure[2].basic) == "1234.50"


# --- bad input -------------------------------------------------------------------------

def test_text_in_number_cell(tmp_path: Path) -> None:
    ds = rich_dataset()
    ds.expenditure.append(ExpenditureLine(code="2130101", name="行政运行", basic=D("1")))
    path = edit(written(tmp_path, ds), "支出决算表", D7="十二")
    assert ("“十二”不是数字", "支出决算表", "D7") in problems(path)


def test_problems_collected_negative_duplicate(tmp_path: Path) -> None:
    path = edit(written(tmp_path), "支出决算表", E5=-3, A6="2010101")
    found = problems(path)
    assert ("金额不能为负数（填写的是“-3”）", "支出决算表", "E5") in found
    assert any(m.startswith("“2010101”重复") and c == "A6" for m, _, c in found)


def test_unknown_unit(tmp_path: Path) -> None:
    path = edit(written(tmp_path), "基本信息", B5="千元")
    assert problems(path) == [("未知的金额单位“千元”：只能是“元”或“万元”", "基本信息", "B5")]


def test_missing_required_sheet(tmp_path: Path) -> None:
    path = written(tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb["支出决算表"]
    wb.save(path)
    assert ("缺少工作表“支出决算表”", None, None) in problems(path)


def test_unrecognisable_header(tmp_path: Path) -> None:
    path = edit(written(tmp_path), "基本支出明细", A3="代号")
    [(msg, sheet, _)] = problems(path)
    assert sheet == "基本支出明细" and msg.startswith("无法识别表头")


def test_validation_error_mapped_to_cell(tmp_path: Path) -> None:
    path = edit(written(tmp_path), "绩效指标", E4="很好")
    [(msg, sheet, cell)] = problems(path)
    assert (sheet, cell) == ("绩效指标", "E4") and "nature" in msg


def test_join_to_unknown_code(tmp_path: Path) -> None:
    path = edit(written(tmp_path), "一般公共预算财政拨款支出决算表", A4="2999999")
    assert ("科目编码“2999999”不在“支出决算表”中", "一般公共预算财政拨款支出决算表", "A4") in problems(path)


@pytest.mark.parametrize(("content", "expect"), [
    (b"year: 2023\n", "不是 Excel 工作簿"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100, "旧版 Excel"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + "EncryptionInfo".encode("utf-16-le"), "密码"),
])
def test_not_a_workbook(tmp_path: Path, content: bytes, expect: str) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    [(msg, _, _)] = problems(path)
    assert expect in msg


def test_corrupt_zip(tmp_path: Path) -> None:
    path = written(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    [(msg, _, _)] = problems(path)
    assert "损坏" in msg or "不是 Excel" in msg


def test_zip_that_is_not_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    [(msg, _, _)] = problems(path)
    assert "无法读取" in msg


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook_read, "MAX_BYTES", 100)
    [(msg, _, _)] = problems(written(tmp_path))
    assert "文件过大" in msg


# --- CLI -------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_bad_input_exits_2_without_traceback(tmp_path: Path) -> None:
    path = edit(written(tmp_path), "支出决算表", D5="十二")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_template_blank_refuses_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    assert runner.invoke(app, ["template", str(out)]).exit_code == 0
    assert out.exists()
    assert runner.invoke(app, ["template", str(out)]).exit_code == 2
    assert runner.invoke(app, ["template", "--force", str(out)]).exit_code == 0
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_template_from_bad_dataset(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    result = runner.invoke(app, ["template", "--from", str(bad), str(tmp_path / "o.xlsx")])
    assert result.exit_code == 2 and not (tmp_path / "o.xlsx").exists()


@pytest.mark.parametrize("example", ["wuhai-gxj-2023", "putuo-czj-2024"])
def test_examples_round_trip_with_same_findings(tmp_path: Path, example: str) -> None:
    from juesuan.readers.loader import load_dataset
    from juesuan.rules.engine import Context, run_rules

    folder = EXAMPLES / example
    if not (folder / "dataset.yaml").exists():
        pytest.skip(f"example {example} not there yet")
    out = tmp_path / f"{example}.xlsx"
    assert runner.invoke(app, ["template", "--from", str(folder), str(out)]).exit_code == 0
    ds, prov = load_dataset(folder)
    back, bprov = read_workbook(out)
    assert back == ds

    def key(d: Dataset, p: object) -> list[tuple[str, object, str]]:
        return [(f.rule, f.severity, f.message) for f in run_rules(Context(d, p))]

    assert key(back, bprov) == key(ds, prov)
