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


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201
    """A new store on SQLite, and on PostgreSQL when ``JUESUAN_TEST_PG`` names a server."""
    pytest.importorskip("sqlalchemy", reason="the store needs SQLAlchemy (pip install .[store])")
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    from tests.test_store import _postgres_database

    gen = _postgres_database()
    yield next(gen)
    next(gen, None)


def _count(url: str, model: str) -> int:
    from sqlalchemy import func, select

    from juesuan.store import open_store
    from juesuan.store import schema as S

    st = open_store(url)
    try:
        with st.session() as s:  # type: ignore[attr-defined]
            return int(s.scalar(select(func.count()).select_from(getattr(S, model))))
    finally:
        st.engine.dispose()  # type: ignore[attr-defined]


def test_batch_audit_stores_every_result_and_resumes_from_the_store(store_url: str, tmp_path: Path) -> None:
    from tests.conftest import shared_file

    docs = tmp_path / "docs"
    docs.mkdir()
    seed = shared_file("seed/000_1d4d631d9d557d27.txt")
    (docs / "seed.txt").write_bytes(seed.read_bytes())
    (docs / "note.txt").write_text("会议通知\n请各单位按时参会。\n", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    r = runner.invoke(app, ["audit", str(docs), "-f", "jsonl", "-o", str(out), "--jobs", "2", "--db", store_url])
    assert r.exit_code == 2, r.output  # the notice is refused: not a disclosure
    assert "已存入数据库" in r.output and "新增 2 个" in r.output, r.output
    recs = {Path(x["path"]).name: x for x in _records(out)}
    assert "dataset_json" not in recs["seed.txt"] and recs["seed.txt"]["status"] == "ok"
    assert _count(store_url, "AuditRecord") == 2
    errors = recs["seed.txt"]["counts"]["error"]
    assert errors > 0 and _count(store_url, "FindingRow") == len(recs["seed.txt"]["findings"])
    assert _count(store_url, "DatasetVersion") == 1  # the seed's recovered figures, as db import keeps them
    # the same as `juesuan db show`: the report is the stored one
    shown = runner.invoke(app, ["db", "show", str(docs / "seed.txt"), "--db", store_url])
    assert shown.exit_code in (0, 1) and "乌海市工业和信息化局" in shown.output, shown.output
    # resumed from the store alone: nothing is audited again
    again = runner.invoke(app, ["audit", str(docs), "--resume", "--db", store_url, "--jobs", "1"])
    assert "审核完成：0 个" in again.output and "都已有 2 个" in again.output, again.output
    assert _count(store_url, "AuditRecord") == 2


def test_batch_build_stores_each_dataset(store_url: str, tmp_path: Path) -> None:
    book = tmp_path / "区财政.xlsx"
    _many_unit_workbook(book)
    out = tmp_path / "out"
    args = ["build", str(book), "-o", str(out), "-f", "html", "--jobs", "2", "--db", store_url]
    r = runner.invoke(app, args)
    assert r.exit_code == 0 and "新增 4 个" in r.output, r.output
    assert _count(store_url, "DatasetVersion") == 4  # three units and the 汇总
    r = runner.invoke(app, [*args[:-2], "--force", "--db", store_url])  # built again: the same content
    assert r.exit_code == 0 and "库中已有 4 个" in r.output, r.output
    assert _count(store_url, "DatasetVersion") == 4


def test_sigterm_stops_a_batch_as_ctrl_c_does(tmp_path: Path) -> None:
    import signal

    from tests.test_batch import _cli, wait_lines

    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(2):
        (docs / f"a{n}.txt").write_text(f"会议通知\n第 {n} 号：请各单位按时参会。\n", encoding="utf-8")
    (docs / "z-hang.txt").write_text("会议通知\n还在审核。\n", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    env = {"JUESUAN_BATCH_TEST_HANG": "hang"}
    p = _cli("audit", str(docs), "-f", "jsonl", "-o", str(out), "--jobs", "1", env=env)
    wait_lines(p, out, 2)
    p.send_signal(signal.SIGTERM)
    _, stderr = p.communicate(timeout=120)
    assert p.returncode == 130 and "已中断" in stderr and "Traceback" not in stderr, stderr
    assert len(_records(out)) == 2
    p = _cli("audit", str(docs), "-f", "jsonl", "-o", str(out), "--resume", "--timeout", "3", env=env)
    p.communicate(timeout=300)
    recs = _records(out)
    assert sorted(Path(x["path"]).name for x in recs) == ["a0.txt", "a1.txt", "z-hang.txt"]
    assert recs[-1]["reason"].startswith("超时")


def test_check_of_a_many_unit_workbook_checks_every_unit_and_the_sum(tmp_path: Path) -> None:
    book = tmp_path / "区财政.xlsx"
    names = _many_unit_workbook(book)
    r = runner.invoke(app, ["check", str(book), "--format", "json"])
    assert r.exit_code in (0, 1), r.output
    out = json.loads(r.stdout)
    assert [u["department"] for u in out["units"]] == [u["unit_name"] for u in out["units"]] == names[:3]
    assert out["sum"]["unit_name"] == "汇总" and out["sum"]["department"] == "上海市示例区财政局"
    places = [f["location"] for u in [*out["units"], out["sum"]] for f in u["findings"]]
    assert all(p.get("file") in (None, str(book)) for p in places)  # the workbook, never a split copy
    text = runner.invoke(app, ["check", str(book)])
    assert text.exit_code == r.exit_code
    for name in names[:3]:
        assert f"单位：{name}" in text.output
    assert "部门汇总（各单位之和）" in text.output and "共检查 3 个单位及部门汇总" in text.output


def test_check_of_a_many_unit_workbook_names_the_workbook_sheet_and_cell(tmp_path: Path) -> None:
    book = tmp_path / "区财政.xlsx"
    _many_unit_workbook(book, with_sum=False)
    wb = load_workbook(book)
    ws = wb["收入支出决算总表 (2)"] if "收入支出决算总表 (2)" in wb.sheetnames else None
    if ws is None:
        pytest.skip(f"no second unit's 收入支出决算总表 among {wb.sheetnames[:8]}")
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, int | float) and c.value > 0:
                c.value = c.value + 1  # the second unit's table no longer adds up
                break
        else:
            continue
        break
    wb.save(book)
    r = runner.invoke(app, ["check", str(book), "--format", "json"])
    assert r.exit_code == 1, r.output
    out = json.loads(r.stdout)
    second = out["units"][1]
    assert second["summary"]["error"] >= 1
    assert any(f["location"].get("sheet") == "收入支出决算总表 (2)" and f["location"].get("file") == str(book)
               for f in second["findings"])
