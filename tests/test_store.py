"""The store (SQLite here): migrations, imports of datasets and documents, idempotence, versions."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan.cli import app
from tests.conftest import shared_file

pytest.importorskip("sqlalchemy", reason="the store needs the [store] extra (SQLAlchemy, Alembic)")

from sqlalchemy import func, select, text  # noqa: E402

from juesuan.store import StoreError, open_store  # noqa: E402
from juesuan.store.importing import import_paths  # noqa: E402
from juesuan.store.schema import AuditRecord, DatasetVersion, LineItem, Organisation  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WUHAI = ROOT / "examples" / "wuhai-gxj-2023"
PUTUO = ROOT / "examples" / "putuo-czj-2024"


def _postgres_database():  # noqa: ANN202 - generator of a URL
    """A new, empty database on the test server (``JUESUAN_TEST_PG``, started by .ci/run through
    scripts/postgres.sh), dropped afterwards; skipped, saying why, when no server is there."""
    base = os.environ.get("JUESUAN_TEST_PG")
    if not base:
        why = "PostgreSQL: no test server (JUESUAN_TEST_PG unset; .ci/run starts one with scripts/postgres.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(why)  # in CI the server must be there: a skip would hide that it is not
        pytest.skip(why)
    import psycopg

    name = f"juesuan_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = base.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201
    """The same tests on a SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        yield open_store(f"sqlite:///{tmp_path / 'j.db'}")
        return
    gen = _postgres_database()
    url = next(gen)
    st = open_store(url)
    yield st
    st.engine.dispose()
    next(gen, None)


def _count(store, model) -> int:  # noqa: ANN001
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_new_store_is_created_at_the_newest_schema(store) -> None:  # noqa: ANN001
    with store.engine.connect() as c:
        assert c.execute(text("select version_num from alembic_version")).scalar() == "0004"
    assert _count(store, Organisation) == 0
    open_store(store.url)  # opening again migrates nothing and loses nothing


def test_datasets_are_imported_as_versions_with_located_line_items(store) -> None:  # noqa: ANN001
    got = import_paths(store, [WUHAI, PUTUO], who="tester")
    assert [r.status for r in got] == ["新增", "新增"]
    with store.session() as s:
        names = set(s.scalars(select(Organisation.name).where(Organisation.parent_id.is_(None))))
        assert names == {"乌海市工业和信息化局", "上海市普陀区财政局"}
        v = s.scalar(select(DatasetVersion).join(Organisation).where(Organisation.name == "乌海市工业和信息化局"))
        assert (v.year, v.kind, v.current, v.unit, v.imported_by) == (2023, "决算", True, "万元", "tester")
        item = s.scalar(select(LineItem).where(LineItem.version_id == v.id, LineItem.part == "income",
                                               LineItem.column == "general_budget"))
        assert item.amount == Decimal("4499.46")  # 一般公共预算财政拨款收入, as the seed prints it
        assert "dataset.yaml" in item.source and "行" in item.source
        coded = s.scalars(select(LineItem).where(LineItem.version_id == v.id, LineItem.part == "expenditure",
                                                 LineItem.code.is_not(None))).all()
        assert coded and all(len(i.code) in (3, 5, 7) for i in coded)


def test_importing_the_same_content_twice_changes_nothing(store) -> None:  # noqa: ANN001
    import_paths(store, [WUHAI])
    before = (_count(store, DatasetVersion), _count(store, LineItem))
    again = import_paths(store, [WUHAI])
    assert [r.status for r in again] == ["未变化"]
    assert (_count(store, DatasetVersion), _count(store, LineItem)) == before


def test_a_changed_dataset_is_a_new_current_version(store, tmp_path: Path) -> None:  # noqa: ANN001
    import_paths(store, [WUHAI])
    copy = tmp_path / "wuhai"
    shutil.copytree(WUHAI, copy)
    ds = copy / "dataset.yaml"
    ds.write_text(ds.read_text(encoding="utf-8") + "\n# 修订：另一份内容\n", encoding="utf-8")  # other bytes
    assert [r.status for r in import_paths(store, [copy])] == ["新版本"]
    with store.session() as s:
        versions = s.scalars(select(DatasetVersion).order_by(DatasetVersion.id)).all()
        assert [v.current for v in versions] == [False, True]


def test_a_failed_import_leaves_the_store_as_it_was(store, tmp_path: Path) -> None:  # noqa: ANN001
    import_paths(store, [WUHAI])
    before = (_count(store, Organisation), _count(store, DatasetVersion), _count(store, LineItem))
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: 2023\nunit: 万元\ndepartment: [\n", encoding="utf-8")
    got = import_paths(store, [bad])
    assert got[0].status == "失败" and "bad.yaml" in got[0].detail
    assert (_count(store, Organisation), _count(store, DatasetVersion), _count(store, LineItem)) == before


def test_a_published_document_is_audited_and_kept_with_its_findings(store) -> None:  # noqa: ANN001
    pdf = shared_file("samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf")
    assert [r.status for r in import_paths(store, [pdf])] == ["新增"]
    with store.session() as s:
        a = s.scalar(select(AuditRecord))
        assert (a.kind, a.department, a.year, a.profile) == ("部门决算", "上海市普陀区财政局", 2024, "shanghai-2024")
        assert {(f.rule, f.page, f.line) for f in a.findings} >= {("narrative.amount", 21, 14),
                                                                   ("narrative.share", 21, 25)}
    assert [r.status for r in import_paths(store, [pdf])] == ["未变化"]
    assert _count(store, AuditRecord) == 1


def test_a_budget_is_kept_with_its_kind_and_reason(store) -> None:  # noqa: ANN001
    pdf = shared_file("corpus/central-petition-bureau-2026-budget.pdf")
    import_paths(store, [pdf])
    with store.session() as s:
        a = s.scalar(select(AuditRecord))
        assert (a.kind, a.department, a.year) == ("部门预算", "国家信访局", 2026)
        assert a.error is None  # audited as a budget (audit.budget), its findings kept


def test_a_bad_url_is_a_chinese_message() -> None:
    with pytest.raises(StoreError, match="数据库地址无法识别"):
        open_store("nonsense://")


def test_cli_import_list_history_info(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUESUAN_DB", f"sqlite:///{tmp_path / 'env.db'}")
    runner = CliRunner()
    r = runner.invoke(app, ["db", "import", str(WUHAI), str(PUTUO)])
    assert r.exit_code == 0, r.output
    assert "新增" in r.output
    r = runner.invoke(app, ["db", "info"])
    assert r.exit_code == 0 and "env.db" in r.output and "部门 2 个" in r.output
    r = runner.invoke(app, ["db", "orgs"])
    assert r.exit_code == 0 and "  乌海市工业节能监察保障中心（公益一类事业单位）" in r.output
    r = runner.invoke(app, ["db", "history", "乌海市工业和信息化局"])
    assert r.exit_code == 0 and "2023 决算" in r.output
    r = runner.invoke(app, ["db", "history", "没有这个单位"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    r = runner.invoke(app, ["db", "import", str(tmp_path / "missing.yaml")])
    assert r.exit_code == 2 and "失败" in r.output
    r = runner.invoke(app, ["db", "info", "--db", "nonsense://"])
    assert r.exit_code == 2 and "数据库地址无法识别" in r.output and "Traceback" not in r.output


def test_a_figure_is_compared_across_departments_and_years(store) -> None:  # noqa: ANN001
    from juesuan.store.queries import compare

    import_paths(store, [WUHAI, PUTUO])
    result = compare(store, ["三公经费", "expenditure.basic@201"])
    got = {(org, fig): values for org, fig, values in result.rows}
    assert result.years == [2023, 2024]
    assert got[("乌海市工业和信息化局", "三公经费")] == {2023: Decimal("2.34")}  # the seed's 三公 actual
    assert got[("上海市普陀区财政局", "三公经费")] == {2024: Decimal("0.00")}
    assert "乌海市工业和信息化局,三公经费,2.34," in result.to_csv()
    by_class = compare(store, ["expenditure.basic@类"], ["乌海市工业和信息化局"])
    classes = {fig: values[2023] for _, fig, values in by_class.rows}
    total = compare(store, ["基本支出"], ["乌海市工业和信息化局"]).rows[0][2][2023]
    assert set(classes) >= {"expenditure.basic@类[201]", "expenditure.basic@类[208]"}
    assert sum(classes.values()) == total  # the breakdown adds up to the figure
    with pytest.raises(StoreError, match="无法识别的数字"):
        compare(store, ["no such figure"])


def test_the_store_exports_a_frictionless_data_package(store, tmp_path: Path) -> None:  # noqa: ANN001
    import csv
    import json

    from juesuan.store.queries import export_datapackage

    import_paths(store, [WUHAI])
    descriptor = json.loads(export_datapackage(store, tmp_path / "out").read_text(encoding="utf-8"))
    names = {r["name"] for r in descriptor["resources"]}
    assert {"organisations", "dataset-versions", "line-items", "audits", "findings", "dismissals"} == names
    with (tmp_path / "out" / "line_items.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert any(r["part"] == "income" and r["column"] == "general_budget" and Decimal(r["amount"]) == Decimal("4499.46")
               for r in rows)
    with pytest.raises(StoreError, match="不为空"):
        export_datapackage(store, tmp_path / "out")


def test_cli_compare_export_show_dismiss(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    runner = CliRunner()
    pdf = shared_file("samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf")
    assert runner.invoke(app, ["db", "import", str(WUHAI), str(pdf), "--db", db]).exit_code == 0
    r = runner.invoke(app, ["db", "compare", "三公经费", "-f", "xlsx", "-o", str(tmp_path / "c.xlsx"), "--db", db])
    assert r.exit_code == 0 and (tmp_path / "c.xlsx").stat().st_size > 0
    r = runner.invoke(app, ["db", "compare", "三公经费", "-f", "chart", "-o", str(tmp_path / "c.png"), "--db", db])
    assert r.exit_code == 0 and (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    r = runner.invoke(app, ["db", "export", "-o", str(tmp_path / "pkg"), "--db", db])
    assert r.exit_code == 0 and (tmp_path / "pkg" / "datapackage.json").is_file()
    r = runner.invoke(app, ["db", "export", "-f", "xlsx", "-o", str(tmp_path / "all.xlsx"), "--db", db])
    assert r.exit_code == 0, r.output
    from openpyxl import load_workbook

    assert "line_items" in load_workbook(tmp_path / "all.xlsx", read_only=True).sheetnames
    r = runner.invoke(app, ["db", "dismiss", str(pdf), "--rule", "narrative.rate_zero_budget", "--line", "12",
                            "--why", "预算栏空白", "--who", "审核员", "--db", db])
    assert r.exit_code == 0, r.output
    again = runner.invoke(app, ["db", "dismiss", str(pdf), "--rule", "narrative.rate_zero_budget", "--line", "12",
                                "--why", "再次", "--db", db])
    assert again.exit_code == 0 and "已经标为误报" in again.output
    r = runner.invoke(app, ["db", "show", str(pdf), "--db", db])
    assert r.exit_code == 0 and "已标为误报：审核员，预算栏空白" in r.output
    r = runner.invoke(app, ["db", "dismiss", str(pdf), "--rule", "narrative.rate_zero_budget", "--why", "x", "--db", db])
    assert r.exit_code == 2 and "有多条" in r.output and "Traceback" not in r.output


def test_a_department_and_its_budget_units_are_a_tree(store) -> None:  # noqa: ANN001
    import_paths(store, [WUHAI])
    with store.session() as s:
        dept = s.scalar(select(Organisation).where(Organisation.name == "乌海市工业和信息化局"))
        unit = s.scalar(select(Organisation).where(Organisation.name == "乌海市工业节能监察保障中心"))
        assert (dept.parent_id, dept.nature) == (None, "财政拨款的行政单位")
        assert (unit.parent_id, unit.nature) == (dept.id, "公益一类事业单位")


def test_two_imports_at_once_leave_a_consistent_store(tmp_path: Path) -> None:
    """Two processes import the same datasets at the same time: each version once, nothing half-written."""
    import subprocess
    import sys

    db = f"sqlite:///{tmp_path / 'race.db'}"
    open_store(db)
    cmd = [sys.executable, "-m", "juesuan", "db", "import", str(WUHAI), str(PUTUO), "--db", db]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1].decode() for o in outs]
    st = open_store(db)
    single = open_store(f"sqlite:///{tmp_path / 'one.db'}")
    import_paths(single, [WUHAI, PUTUO])
    assert (_count(st, Organisation), _count(st, DatasetVersion), _count(st, LineItem)) == \
        (_count(single, Organisation), _count(single, DatasetVersion), _count(single, LineItem))


def test_last_year_and_texts_come_from_the_store(store, tmp_path: Path) -> None:  # noqa: ANN001
    """The 2023 seed imported, a 2024 dataset of the same department without last year's figures
    or its duties gets them from the store, and says so."""
    from juesuan.readers.loader import load_dataset
    from juesuan.store.reuse import fill_from_store

    import_paths(store, [WUHAI])
    text = (WUHAI / "dataset.yaml").read_text(encoding="utf-8")
    nxt = tmp_path / "2024.yaml"
    body = re.sub(r"^year: 2023", "year: 2024", text, count=1, flags=re.M)
    body = re.sub(r"^  functions: .*\n", "", body, count=1, flags=re.M)
    nxt.write_text(_drop_last_year(body), encoding="utf-8")
    ds, _ = load_dataset(nxt)
    assert not ds.department.functions and ds.last_year.income is None
    filled, notes = fill_from_store(store, ds)
    seed, _ = load_dataset(WUHAI / "dataset.yaml")
    assert filled.last_year.income.general_budget == seed.income.general_budget
    assert filled.department.functions == seed.department.functions
    assert any("上年数字取自数据库" in n for n in notes) and any("部门职能取自数据库中 2023 年" in n for n in notes)
    alone, none = fill_from_store(store, seed)  # nothing for 2022 in the store: unchanged
    assert none == [] and alone == seed


def _drop_last_year(text: str) -> str:
    """The YAML without any ``last_year`` key (top-level or nested) and what is under it."""
    out: list[str] = []
    depth: int | None = None  # indentation of the key being dropped
    for line in text.splitlines(keepends=True):
        indent = len(line) - len(line.lstrip(" "))
        if depth is not None and (not line.strip() or indent > depth):
            continue
        depth = None
        if re.match(r"^\s*last_year:", line):
            depth = indent
            continue
        out.append(line)
    return "".join(out)


def test_check_takes_last_year_from_the_store(tmp_path: Path) -> None:
    """`juesuan check DS --db URL`: the department's previous year in the store fills what DS lacks."""
    db = f"sqlite:///{tmp_path / 'ly.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["db", "import", str(WUHAI), "--db", db]).exit_code == 0
    text = (WUHAI / "dataset.yaml").read_text(encoding="utf-8")
    nxt = tmp_path / "2024.yaml"
    nxt.write_text(_drop_last_year(re.sub(r"^year: 2023", "year: 2024", text, count=1, flags=re.M)), encoding="utf-8")
    r = runner.invoke(app, ["check", str(nxt), "--db", db, "-f", "json"])
    assert "上年数字取自数据库中 乌海市工业和信息化局 2023 年的数据集" in r.output
    r = runner.invoke(app, ["check", str(nxt), "--db", "nonsense://"])
    assert r.exit_code == 2 and "数据库地址无法识别" in r.output


def test_a_store_of_the_previous_schema_is_migrated_keeping_its_rows(tmp_path: Path) -> None:
    """A store made by schema 0001 (no recovered datasets in audits) opens at the newest schema."""
    from sqlalchemy import create_engine

    from juesuan.store import _migrate

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    _migrate(engine, "0001")
    with engine.begin() as c:
        c.execute(text("insert into audit (doc_hash, path, audited_at, audited_by, report) "
                       "values ('abc', 'old.pdf', '2025-01-01 00:00:00', 'x', '{}')"))
    engine.dispose()
    st = open_store(url)
    with st.engine.connect() as c:
        assert c.execute(text("select version_num from alembic_version")).scalar() == "0004"
        assert c.execute(text("select path, extracted from audit")).one() == ("old.pdf", None)


def test_an_audit_keeps_the_dataset_recovered_from_the_document(store) -> None:  # noqa: ANN001
    import json

    pdf = shared_file("samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf")
    import_paths(store, [pdf])
    with store.session() as s:
        data = json.loads(s.scalar(select(AuditRecord.extracted)))
    assert data["year"] == 2024 and data["department"]["name"] == "上海市普陀区财政局"
    with store.session() as s:  # the recovered figures are the department-year's version, located in the PDF
        v = s.scalar(select(DatasetVersion).join(Organisation).where(Organisation.name == "上海市普陀区财政局"))
        assert v.year == 2024 and v.source.endswith(".pdf")
        item = s.scalar(select(LineItem).where(LineItem.version_id == v.id, LineItem.part == "expenditure",
                                               LineItem.code == "2010601", LineItem.column == "basic"))
        assert item is not None and "页" in (item.source or "")
