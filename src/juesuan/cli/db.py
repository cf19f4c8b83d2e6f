"""``juesuan db``: the store of every department and year (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from juesuan.cli import root_app as app
from juesuan.cli.common import EXIT_INPUT, console, err_console
from juesuan.cli.common import esc as escape

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
        top = s.scalar(select(func.count()).select_from(Organisation).where(Organisation.parent_id.is_(None)))
    console.print(f"数据库：{store.describe()}", markup=False)
    console.print(f"部门 {top} 个（连同所属单位共 {counts[0]} 个），数据集版本 {counts[1]} 个，审核记录 {counts[2]} 份",
                  markup=False)


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


class CompareFormat(str, Enum):
    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    chart = "chart"


@db_app.command("compare")
def compare_cmd(
    figures: Annotated[list[str], typer.Argument(help="要比较的数字：部分[.列][@科目编码]，如 three_public.actual、"
                                                "expenditure.basic@201，或 三公经费、基本支出、项目支出 等名称")],
    org: Annotated[list[str] | None, typer.Option("--org", help="只比较这些单位（可重复）")] = None,
    fmt: Annotated[CompareFormat, typer.Option("--format", "-f", help="table、csv、xlsx 或 chart（PNG 图）")] = CompareFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入此文件（csv/xlsx/chart 时必填或默认屏幕）")] = None,
    db: DbOption = None,
) -> None:
    """比较各单位各年度的同一数字（当前版本，单位：万元）。"""
    from juesuan.store import StoreError
    from juesuan.store.queries import compare

    store = _open(db)
    try:
        result = compare(store, figures, org)
    except StoreError as exc:
        err_console.print(f"[bold red]{escape(str(exc))}[/]", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    if not result.rows:
        console.print("数据库中没有这些数字。", markup=False)
        return
    if fmt is CompareFormat.table:
        from rich.table import Table

        table = Table("单位", "数字", *[f"{y}年" for y in result.years], title="单位：万元")
        for name, fig, values in result.rows:
            table.add_row(escape(name), escape(fig), *[f"{values[y]:,.2f}" if y in values else "—" for y in result.years])
        console.print(table)
        return
    if output is None and fmt is not CompareFormat.csv:
        err_console.print("[bold red]请用 -o 指定输出文件[/]", markup=True)
        raise typer.Exit(EXIT_INPUT)
    if fmt is CompareFormat.csv:
        _write_out(result.to_csv().encode("utf-8-sig"), output)
    elif fmt is CompareFormat.xlsx:
        _write_out(_xlsx(result), output)
    else:
        _write_out(_chart(result), output)
    if output is not None:
        console.print(f"已写入 {escape(str(output))}", markup=True)


def _write_out(data: bytes, output: Path | None) -> None:
    """To standard output, or to ``output`` through a temporary file renamed into place."""
    import os
    import sys
    import tempfile

    if output is None:
        sys.stdout.write(data.decode("utf-8-sig"))
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=".juesuan-", dir=output.parent if str(output.parent) else ".")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, output)
    except OSError as exc:
        err_console.print(f"[bold red]无法写入输出文件[/]：{escape(str(output))}：{escape(exc.strerror or '')}",
                          markup=True)
        raise typer.Exit(EXIT_INPUT) from None


def _xlsx(result) -> bytes:  # noqa: ANN001 - Comparison
    return result.to_xlsx()


def _chart(result) -> bytes:  # noqa: ANN001 - Comparison
    import io

    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import font_manager
        from matplotlib import pyplot as plt

        from juesuan.render.charts import ChartFontError, chart_font
    except ImportError:
        err_console.print("[bold red]画图需要 matplotlib[/]：请 pip install matplotlib（随 juesuan 安装）", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    try:
        font = font_manager.FontProperties(fname=str(chart_font("sans")[1]))
    except ChartFontError as exc:
        err_console.print(f"[bold red]{escape(str(exc))}[/]", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=150)
    for name, figure, values in result.rows:
        ys = [y for y in result.years if y in values]
        ax.plot(ys, [float(values[y]) for y in ys], marker="o", label=f"{name} {figure}")
    ax.set_xticks(result.years)
    ax.set_ylabel("万元", fontproperties=font)
    ax.legend(prop=font, fontsize=8)
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


class ExportFormat(str, Enum):
    datapackage = "datapackage"
    xlsx = "xlsx"


@db_app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件夹（datapackage：不存在或为空）或 .xlsx 文件")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="datapackage（每张表一个 CSV 加 datapackage.json）或 xlsx")] = ExportFormat.datapackage,
    db: DbOption = None,
) -> None:
    """导出全部内容：Frictionless 数据包（CSV + datapackage.json），或一个 Excel 工作簿（每张表一页）。"""
    from juesuan.store import StoreError
    from juesuan.store.queries import export_datapackage, export_xlsx

    store = _open(db)
    try:
        path = export_datapackage(store, output) if fmt is ExportFormat.datapackage else export_xlsx(store, output)
    except (StoreError, OSError) as exc:
        err_console.print(f"[bold red]无法导出[/]：{escape(str(exc))}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    console.print(f"已导出：{escape(str(path))}", markup=True)


def _audit_of(s, doc: str):  # noqa: ANN001, ANN202 - Session, AuditRecord
    """The audit of ``doc``: a file (by its content hash) or the start of a hash."""
    import hashlib

    from sqlalchemy import select

    from juesuan.store.schema import AuditRecord

    path = Path(doc)
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else doc.lower()
    hits = s.scalars(select(AuditRecord).where(AuditRecord.doc_hash.startswith(digest))).all()
    if len(hits) != 1:
        why = "没有该文档的审核记录（先用 juesuan db import 导入）" if not hits else "有多份审核记录符合，请写出更长的哈希"
        err_console.print(f"[bold red]{why}[/]：{escape(doc)}", markup=True)
        raise typer.Exit(EXIT_INPUT)
    return hits[0]


@db_app.command("show")
def show_cmd(
    doc: Annotated[str, typer.Argument(help="已导入的文档（文件路径）或其内容哈希的开头")],
    db: DbOption = None,
) -> None:
    """一份已审核文档的发现；标为误报的注明由谁、为何。"""
    from sqlalchemy import select

    from juesuan.store.schema import Dismissal

    store = _open(db)
    with store.session() as s:
        a = _audit_of(s, doc)
        dismissed = {(d.rule, d.page, d.line, d.found): d for d in
                     s.scalars(select(Dismissal).where(Dismissal.doc_hash == a.doc_hash))}
        console.print(f"{escape(a.path)}  {a.kind or ''} {escape(a.department or '')} {a.year or ''}  "
                      f"样式 {a.profile or '—'}  哈希 {a.doc_hash[:12]}", markup=True)
        if a.error:
            console.print(f"  无法审核：{escape(a.error)}", markup=True)
        for f in a.findings:
            d = dismissed.get((f.rule, f.page, f.line, f.found))
            mark = f"[dim]（已标为误报：{escape(d.who)}，{escape(d.why)}）[/]" if d else ""
            where = "，".join(x for x in (f"第 {f.page} 页" if f.page else "", f"第 {f.line} 行" if f.line else "") if x)
            console.print(f"  {f.severity} {f.rule} {where}：{escape(f.message)}{mark}", markup=True)


@db_app.command("dismiss")
def dismiss_cmd(
    doc: Annotated[str, typer.Argument(help="已导入的文档（文件路径）或其内容哈希的开头")],
    rule: Annotated[str, typer.Option("--rule", help="发现的规则编号")],
    why: Annotated[str, typer.Option("--why", help="为什么是误报")],
    page: Annotated[int | None, typer.Option("--page", help="发现所在的页")] = None,
    line: Annotated[int | None, typer.Option("--line", help="发现所在的行")] = None,
    who: Annotated[str | None, typer.Option("--who", help="标记人（默认：当前登录名）")] = None,
    db: DbOption = None,
) -> None:
    """把一条发现标为误报（按文档内容保存，重新审核同一文档时仍然有效）。"""
    from datetime import datetime

    from juesuan.store.importing import _who
    from juesuan.store.schema import Dismissal

    store = _open(db)
    with store.session.begin() as s:
        a = _audit_of(s, doc)
        hits = [f for f in a.findings if f.rule == rule and (page is None or f.page == page)
                and (line is None or f.line == line)]
        if len(hits) != 1:
            err_console.print(f"[bold red]{'没有' if not hits else '有多条'}符合的发现[/]：{escape(rule)}"
                              f"{'' if not hits else '（请用 --page/--line 指明）'}", markup=True)
            raise typer.Exit(EXIT_INPUT)
        f = hits[0]
        from sqlalchemy import select

        if s.scalar(select(Dismissal.id).where(Dismissal.doc_hash == a.doc_hash, Dismissal.rule == f.rule,
                                               Dismissal.page == f.page, Dismissal.line == f.line)) is not None:
            console.print(f"已经标为误报：{escape(rule)}", markup=True)
            return
        s.add(Dismissal(doc_hash=a.doc_hash, rule=f.rule, page=f.page, line=f.line, found=f.found,
                        who=_who(who), why=why, at=datetime.now()))
    console.print(f"已标为误报：{escape(rule)}", markup=True)


@db_app.command("orgs")
def orgs_cmd(db: DbOption = None) -> None:
    """各部门及其所属预算单位（树形），附单位性质。"""
    from sqlalchemy import select

    from juesuan.store.schema import Organisation

    store = _open(db)
    with store.session() as s:
        orgs = s.scalars(select(Organisation).order_by(Organisation.name)).all()
    children: dict[int | None, list] = {}
    for o in orgs:
        children.setdefault(o.parent_id, []).append(o)

    def show(o, depth: int) -> None:  # noqa: ANN001
        nature = f"（{o.nature}）" if o.nature else ""
        console.print(f"{'  ' * depth}{o.name}{nature}", markup=False)
        for c in children.get(o.id, []):
            show(c, depth + 1)

    for o in children.get(None, []):
        show(o, 0)
