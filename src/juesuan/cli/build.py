"""``juesuan build``: check the data, then write the whole disclosure into a folder."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Annotated

import typer

from juesuan.cli import batch as batch
from juesuan.cli import root_app as app
from juesuan.cli.common import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    console,
    err_console,
    esc,
    missing_module_message,
    read_dataset,
)


def _formats(text: str) -> list[str]:
    from juesuan.render.build import FORMATS

    items = [x.strip().lower() for x in text.replace("，", ",").split(",") if x.strip()]
    bad = [x for x in items if x not in FORMATS]
    if bad or not items:
        raise typer.BadParameter(f"可用的格式：{','.join(FORMATS)}（用逗号分隔）", param_hint="--format")
    return items


@app.command("build", short_help="先检查数据，再生成部门决算公开文档：Word、PDF、网页、Excel 决算表。")
def build_cmd(
    datasets: Annotated[list[Path], typer.Argument(
        help="数据集：YAML 文件、含 dataset.yaml 的文件夹，或 Excel 工作簿；批量生成时可给多个，或含多个数据集的文件夹")],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件夹（不能已存在，除非加 --force）")],
    profile: Annotated[str | None, typer.Option(
        "--profile", "-p", help="公开样式名称（默认用数据集中写明的样式，如 neimenggu-2023）")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="要生成的格式，逗号分隔：docx,pdf,html,xlsx")] = "docx,pdf,html,xlsx",
    force: Annotated[bool, typer.Option("--force", help="输出文件夹已存在时整体替换它（生成成功后才替换）")] = False,
    draft: Annotated[bool, typer.Option(
        "--draft", help="数据有错误级问题时仍生成草稿：每页标注“草稿：数据未通过检查”，并附问题清单")] = False,
    pdf_engine: Annotated[str | None, typer.Option(
        "--pdf-engine", help="PDF 排版引擎：typst（快，默认，已安装时）或 weasyprint")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", help="数据库地址（或环境变量 JUESUAN_DB）：数据集未给出的上年数字和职能等文字从数据库取；"
        "批量生成时每个单位的数据集生成后存入数据库")] = None,
    jobs: batch.JobsOpt = None,
    resume: batch.ResumeOpt = False,
    timeout: batch.TimeoutOpt = None,
    executor: batch.ExecutorOpt = None,
) -> None:
    """先检查数据，再生成完整的部门决算（或部门预算）公开文档：Word、PDF、网页（HTML）、公开表（Excel）、图表和检查结果（findings.json）。

    文件名为“部门_年度_部门决算.docx/.pdf/.html”和“部门_年度_部门决算表.xlsx”（预算数据集 kind: 预算 为“部门预算”），
    图表在 charts 子文件夹。所有文件先写入输出文件夹旁的临时文件夹，全部成功后才改名为输出文件夹；
    生成失败时不留下任何文件。

    数据检查发现错误级问题时，不生成文档（退出码 1）；加 --draft 则生成草稿：每个文件每页都标注
    “草稿：数据未通过检查”，文档末尾附问题清单，退出码仍为 1，表示不可公开。警告和提示不影响生成。

    批量生成（多个数据集、含多个数据集的文件夹，或 --jobs/--resume/--timeout/--executor）：
    每个数据集生成到“输出文件夹/名称/”；列出单位数据集（department.units[].accounts）的部门，
    每个单位各生成一份，另生成部门汇总（“部门（汇总）”）；每完成一个写一行到 build-results.jsonl，
    全部问题汇总在 findings-summary.csv。多单位工作簿（每个单位一组表，工作表名或表头“编制单位：”区分单位）
    拆分到“输出文件夹/单位工作簿/”后同样生成各单位和汇总。加 --db 时每个数据集生成后即存入数据库。

    退出码：0 已生成可公开的文档；1 数据有错误级问题（未生成，或按 --draft 生成了草稿）；
    2 输入无法读取或输出无法写入（文件夹已存在、没有权限、磁盘已满等）；130 批量生成被中断。
    """
    if (len(datasets) > 1 or batch.wanted(jobs, resume, timeout, executor)
            or (datasets[0].is_dir() and not _has_dataset(datasets[0])) or _many_units(datasets[0])):
        batch.run_builds(list(datasets), output, {"profile": profile, "formats": _formats(fmt), "draft": draft,
                                                  "force": force, "pdf_engine": pdf_engine},
                         jobs=jobs, resume=resume, timeout=timeout, executor=executor, db=db)
    dataset = datasets[0]
    from juesuan.model.findings import Severity
    from juesuan.readers.errors import plain_reason
    from juesuan.render.build import (
        PDF_ENGINES,
        BuildError,
        BuildRefused,
        OutputError,
        build,
        default_pdf_engine,
    )
    from juesuan.render.pdf import fast_subsetting
    from juesuan.rules.engine import Context, run_rules

    formats = _formats(fmt)
    engine = (pdf_engine or default_pdf_engine()).strip().lower()
    if engine not in PDF_ENGINES:
        raise typer.BadParameter(f"可用的 PDF 引擎：{'、'.join(PDF_ENGINES)}", param_hint="--pdf-engine")
    ds, prov = read_dataset(dataset, db)
    findings = run_rules(Context(ds, prov))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if "pdf" in formats and engine == "weasyprint" and not fast_subsetting():
        err_console.print("[yellow]提示[/]：未找到 HarfBuzz 字体子集库（libharfbuzz-subset0），生成 PDF 会较慢。",
                          markup=True)
    document = None
    if getattr(ds, "kind", "决算") == "预算":  # a budget: its own document (render.budget_doc), same writers
        from juesuan.render.budget_doc import assemble_budget

        try:
            document = assemble_budget(ds, profile)  # type: ignore[arg-type]
        except KeyError as exc:
            err_console.print(f"[bold red]生成失败[/]：{esc(str(exc.args[0]))}", markup=True)
            raise typer.Exit(EXIT_INPUT) from None
    try:
        result = build(ds, findings, output, profile=profile, formats=formats, draft=draft, force=force,
                       pdf_engine=engine, inputs=[dataset], document=document, provenance=prov)
    except BuildRefused as exc:
        _print_errors(errors)
        err_console.print(f"[bold red]未生成[/]：{esc(exc.message)}", markup=True)
        raise typer.Exit(EXIT_FINDINGS) from None
    except (OutputError, BuildError) as exc:
        err_console.print(f"[bold red]生成失败[/]：{esc(exc.message)}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    except ModuleNotFoundError as exc:  # an installation without one of the packages
        err_console.print(f"[bold red]生成失败[/]：{esc(missing_module_message(exc))}\n未写入任何文件。", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    except OSError as exc:  # the disk, the permissions or the name: the user's to fix
        if os.environ.get("JUESUAN_DEBUG"):
            raise
        name = Path(exc.filename).name if exc.filename else ""
        why = "文件名过长（部门名称过长？）" if exc.errno == errno.ENAMETOOLONG else (exc.strerror or "无法写入")
        err_console.print(f"[bold red]生成失败[/]：{esc(why)}" + (f"：{esc(name[:60])}" if name else "")
                          + "。未写入任何文件。", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    except Exception as exc:  # a renderer bug: say so in Chinese, keep the traceback for developers
        if os.environ.get("JUESUAN_DEBUG"):
            raise
        err_console.print(f"[bold red]生成失败（程序内部错误）[/]：{esc(plain_reason(exc))}\n"
                          "未写入任何文件。设置环境变量 JUESUAN_DEBUG=1 可查看详细信息。", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    if result.draft:
        _print_errors(errors)
        console.print(f"[bold red]已生成草稿（不可公开）[/]：{esc(str(result.out_dir))}", markup=True)
    else:
        console.print(f"[green]已生成[/]：{esc(str(result.out_dir))}", markup=True)
    for f in result.files:
        console.print(f"  {f.relative_to(result.out_dir)}", markup=False)
    for note in result.notes:
        console.print(note, markup=False)
    if warnings:
        console.print(f"检查发现警告 {warnings} 条，详见 findings.json。")
    raise typer.Exit(EXIT_FINDINGS if result.draft else EXIT_OK)


def _many_units(path: Path) -> bool:
    """A workbook holding many units' tables: built as a district (every unit and the 汇总)."""
    from juesuan.batch.workbook_units import is_multi_unit

    return is_multi_unit(path)


def _has_dataset(folder: Path) -> bool:
    from juesuan.readers.errors import InputError
    from juesuan.readers.loader import resolve

    try:
        resolve(folder)
    except InputError:
        return False
    return True


def _print_errors(errors: list) -> None:
    for f in errors[:20]:
        where = f.location.describe()
        err_console.print(f"  [red]错误[/] {f.rule}：{esc(f.message)}" + (f"（{esc(where)}）" if where else ""),
                          markup=True)
    if len(errors) > 20:
        err_console.print(f"  …… 另有 {len(errors) - 20} 个错误，用 juesuan check 查看全部")
