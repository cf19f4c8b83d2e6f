"""``juesuan db``: the store of every department and year (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from juesuan.cli import app
from juesuan.cli.common import EXIT_INPUT, console, err_console

db_app = typer.Typer(help="数据库：保存各部门各年度的数据集和审核结果（默认 SQLite，也可用 PostgreSQL）。",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")

DbOption = Annotated[str | None, typer.Option(
    "--db", help="数据库地址（默认：环境变量 JUESUAN_DB，否则用户数据文件夹中的 SQLite 文件），"
    "例如 sqlite:///d:/决算/juesuan.db 或 postgresql://用户@localhost/juesuan")]


def _open(url: str | None):  # noqa: ANN202 - Store
    from juesuan.store import StoreError, open_store

    try:
        return open_store(url)
    except StoreError as exc:
        err_console.print(f"[bold red]{escape(str(exc))}[/]", markup=True)
        raise typer.Exit(EXIT_INPUT) from None


@db_app.command("info")
def info_cmd(db: DbOption = None) -> None:
    """显示数据库的位置和其中的数量。"""
    from sqlalchemy import func, select

    from juesuan.store.schema import AuditRecord, DatasetVersion, Organisation

    store = _open(db)
    with store.session() as s:
        counts = [s.scalar(select(func.count()).select_from(t)) for t in (Organisation, DatasetVersion, AuditRecord)]
    console.print(f"数据库：{store.describe()}", markup=False)
    console.print(f"单位 {counts[0]} 个，数据集版本 {counts[1]} 个，审核记录 {counts[2]} 份", markup=False)


@db_app.command("import")
def import_cmd(
    paths: Annotated[list[Path], typer.Argument(help="数据集（.yaml/.json/.xlsx）、已公开的文档（.pdf/.docx/.txt …）或它们所在的文件夹")],
    db: DbOption = None,
    who: Annotated[str | None, typer.Option("--who", help="导入人（默认：当前登录名）")] = None,
) -> None:
    """导入数据集和已公开的文档（文档在导入时审核）。同一内容导入两次不会改变数据库。

    退出码：0 全部导入；2 有文件无法导入（其余照常导入，失败的文件不留下任何内容）。
    """
    from juesuan.store.importing import import_paths

    store = _open(db)
    results = import_paths(store, paths, who)
    for r in results:
        style = {"失败": "bold red", "未变化": "dim"}.get(r.status, "green")
        console.print(f"[{style}]{r.status}[/] {r.what} {escape(r.path)}：{escape(r.detail)}", markup=True)
    if not results:
        err_console.print("[bold red]没有可导入的文件[/]", markup=True)
        raise typer.Exit(EXIT_INPUT)
    if any(r.status == "失败" for r in results):
        raise typer.Exit(EXIT_INPUT)


@db_app.command("list")
def list_cmd(db: DbOption = None) -> None:
    """列出数据库中的单位、年度和审核记录。"""
    from rich.table import Table
    from sqlalchemy import select

    from juesuan.store.schema import AuditRecord, DatasetVersion, Organisation

    store = _open(db)
    table = Table("单位", "年度", "类型", "版本", "导入时间", "来源")
    with store.session() as s:
        rows = s.execute(select(Organisation.name, DatasetVersion).join(DatasetVersion)
                         .where(DatasetVersion.current.is_(True))
                         .order_by(Organisation.name, DatasetVersion.year)).all()
        for name, v in rows:
            n = len(s.scalars(select(DatasetVersion.id).where(
                DatasetVersion.organisation_id == v.organisation_id, DatasetVersion.year == v.year,
                DatasetVersion.kind == v.kind)).all())
            table.add_row(escape(name), str(v.year), v.kind, str(n), f"{v.imported_at:%Y-%m-%d %H:%M}", escape(v.source))
        at = Table("审核的文档", "类型", "部门", "年度", "错误", "警告")
        audits = s.scalars(select(AuditRecord).order_by(AuditRecord.department, AuditRecord.year)).all()
        for a in audits:
            errors = sum(1 for f in a.findings if f.severity == "error")
            warnings = sum(1 for f in a.findings if f.severity == "warning")
            at.add_row(escape(Path(a.path).name), a.kind or "—", escape(a.department or "—"), str(a.year or "—"),
                       str(errors), str(warnings))
    console.print(table)
    if audits:
        console.print(at)


@db_app.command("history")
def history_cmd(
    name: Annotated[str, typer.Argument(help="单位名称")],
    db: DbOption = None,
) -> None:
    """一个单位的全部数据集版本（当前版本标 *）。"""
    from sqlalchemy import select

    from juesuan.store.schema import Organisation

    store = _open(db)
    with store.session() as s:
        org = s.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            err_console.print(f"[bold red]数据库中没有单位[/]“{escape(name)}”", markup=True)
            raise typer.Exit(EXIT_INPUT)
        for v in sorted(org.versions, key=lambda v: (v.year, v.kind, v.imported_at)):
            mark = "*" if v.current else " "
            console.print(f"{mark} {v.year} {v.kind} {v.imported_at:%Y-%m-%d %H:%M} {v.imported_by} "
                          f"{v.content_hash[:12]} {v.source}", markup=False)
