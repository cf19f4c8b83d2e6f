"""``juesuan audit`` (check a published disclosure) and ``juesuan extract`` (recover its dataset)."""

from __future__ import annotations

import sys
from enum import Enum
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
    same_file,
    write_atomic,
)

DOC_SUFFIXES = (".txt", ".md", ".docx", ".pdf")


class AuditFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"
    jsonl = "jsonl"


class ExtractFormat(str, Enum):
    json = "json"
    yaml = "yaml"
    jsonl = "jsonl"


def _documents(paths: list[Path]) -> list[Path]:
    """Files as given; a folder means every .txt/.md/.docx/.pdf in it (sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in DOC_SUFFIXES)
        else:
            out.append(p)
    return out


def _refuse_input_as_output(output: Path | None, inputs: list[Path]) -> None:
    """An output path equal to an input (or inside an input folder) is refused before any work."""
    if output is None:
        return
    for p in inputs:
        if same_file(output, p):
            err_console.print(f"[bold red]输出文件就是输入[/]：{esc(output)}（不会覆盖输入文档，请换一个输出文件）",
                              markup=True)
            raise typer.Exit(EXIT_INPUT)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(output, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    except OSError as exc:
        err_console.print(f"[bold red]无法写入输出文件[/]：{esc(output)}：{esc(exc.strerror or exc)}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None


@app.command("audit")
def audit_cmd(
    documents: Annotated[list[Path], typer.Argument(help="已公开的决算或预算文档（.txt/.md/.docx/.pdf），或包含这些文档的文件夹")],
    fmt: Annotated[AuditFormat, typer.Option(
        "--format", "-f", help="报告格式：text、json、html，或 jsonl（批量：每个文档一行，边完成边写出）")] = AuditFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="报告写入此文件（默认输出到屏幕）")] = None,
    profile: Annotated[str | None, typer.Option(
        "--profile", help="指定公开样式：样式名（juesuan rules 不列；见 src/juesuan/profiles）或样式 YAML 文件；"
        "默认自动识别，未能确认省级样式时按全国基准样式（national）审核")] = None,
    select: Annotated[list[str] | None, typer.Option("--select", help="只报告编号以此开头的规则（可重复）")] = None,
    skip: Annotated[list[str] | None, typer.Option("--skip", help="不报告编号以此开头的规则（可重复）")] = None,
    jobs: batch.JobsOpt = None,
    resume: batch.ResumeOpt = False,
    timeout: batch.TimeoutOpt = None,
    executor: batch.ExecutorOpt = None,
    time_limit: Annotated[float | None, typer.Option(
        "--time-limit", help="每份文档的审核时间上限（秒，0 为不限；默认 120，或环境变量 JUESUAN_AUDIT_TIME_LIMIT）")] = None,
    together: Annotated[bool, typer.Option(
        "--together", help="给出的几个文件是同一份预算公开文档（如情况说明和公开表分两个文件公开），合并审核")] = False,
    db: Annotated[str | None, typer.Option(
        "--db", help="批量审核：每完成一个文档即存入此数据库，--resume 跳过库中已有的")] = None,
) -> None:
    """审核已公开的部门决算或部门预算文档：说明与公开表、说明前后的数字是否一致，各部分是否齐全。

    先判断文档类型：部门决算、单位决算按决算审核，部门预算、单位预算按预算审核（预算公开样式见
    src/juesuan/profiles/budget，--profile 可指定其名称）；政府本级决算（预算）报告和其他文档不审核（说明原因）。
    一份预算的情况说明和公开表分两个文件公开时，加 --together 合并审核。

    批量审核（--format jsonl，或 --jobs/--resume/--timeout/--executor）：文件夹逐层查找文档，
    多进程同时审核，每完成一个文档写出一行（含 sha256、路径、状态、问题数和审核结果），最后在屏幕上汇总；
    按 Ctrl-C 中断后，加 --resume 重新运行同一命令即可接着做。加 --db 则每个结果完成即存入数据库
    （由主进程写入，与 juesuan db import 所存相同），--resume 时库中已有的文档不再审核。

    退出码：0 无错误级问题；1 有错误级问题；2 有文档无法读取或不是部门（单位）决算、预算公开文档；130 批量审核被中断。
    """
    if fmt is AuditFormat.jsonl or batch.wanted(jobs, resume, timeout, executor) or db:
        if fmt not in (AuditFormat.jsonl, AuditFormat.text):
            raise typer.BadParameter("批量审核的结果逐行写出，请用 --format jsonl", param_hint="--format")
        batch.run_documents("audit", list(documents), output,
                            {"profile": profile, "select": list(select or ()), "skip": list(skip or ()),
                             "time_limit": time_limit},
                            jobs=jobs, resume=resume, timeout=timeout, executor=executor, db=db)

    from juesuan.audit.checks_run import audit_document
    from juesuan.audit.report import render_html, render_json, render_text

    _refuse_input_as_output(output, list(documents))
    files = _documents(documents)
    _refuse_input_as_output(output, files)
    if not files:
        err_console.print("[bold red]无法读取输入[/]：文件夹中没有 .txt/.md/.docx/.pdf 文档", markup=True)
        raise typer.Exit(EXIT_INPUT)
    if together:
        from juesuan.audit.budget import read_and_audit
        from juesuan.audit.deadline import TimeLimitExceeded
        from juesuan.audit.deadline import time_limit as limit

        try:
            with limit(time_limit):
                audits = [read_and_audit(files, profile, tuple(select or ()), tuple(skip or ()))]
        except TimeLimitExceeded as exc:
            err_console.print(f"[bold red]无法审核[/]：{esc(exc.message)}", markup=True)
            raise typer.Exit(EXIT_INPUT) from None
    else:
        audits = [audit_document(f, profile, tuple(select or ()), tuple(skip or ()), time_limit) for f in files]
    for a in audits:
        if a.error and (output is not None or fmt is not AuditFormat.text):  # else the report on screen says it
            err_console.print(f"[bold red]无法审核[/] {esc(a.path)}：{esc(a.error)}", markup=True)
    if fmt is AuditFormat.json:
        _write(render_json(audits), output)
    elif fmt is AuditFormat.html:
        _write(render_html(audits), output)
    elif output is not None:
        from io import StringIO

        from rich.console import Console

        buf = StringIO()
        render_text(audits, Console(file=buf, width=120, highlight=False, soft_wrap=True))
        _write(buf.getvalue(), output)
    else:
        render_text(audits, console)
    if any(a.error for a in audits):
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_FINDINGS if any(a.has_errors for a in audits) else EXIT_OK)


@app.command("extract")
def extract_cmd(
    documents: Annotated[list[Path], typer.Argument(
        help="已公开的决算或预算文档（.txt/.md/.docx/.pdf）；批量提取时可给多个文档或文件夹")],
    fmt: Annotated[ExtractFormat, typer.Option(
        "--format", "-f", help="输出格式：yaml、json，或 jsonl（批量：每个文档一行）")] = ExtractFormat.yaml,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入此文件（默认输出到屏幕）")] = None,
    jobs: batch.JobsOpt = None,
    resume: batch.ResumeOpt = False,
    timeout: batch.TimeoutOpt = None,
    executor: batch.ExecutorOpt = None,
    time_limit: Annotated[float | None, typer.Option(
        "--time-limit", help="时间上限（秒，0 为不限；默认 120，或环境变量 JUESUAN_AUDIT_TIME_LIMIT）")] = None,
) -> None:
    """从已公开的文档中恢复决算数据集（预算文档则恢复预算数据集：收入、支出总表各项、基本支出经济分类、
    机关运行经费），可交给 juesuan check / juesuan build 使用。

    批量提取（多个文档或文件夹，或 --format jsonl）：每个文档一行，含恢复的数据集（dataset）。

    退出码：0 成功；2 文档无法读取或不是部门（单位）决算、预算公开文档；130 批量提取被中断。
    """
    if (fmt is ExtractFormat.jsonl or len(documents) > 1 or documents[0].is_dir()
            or batch.wanted(jobs, resume, timeout, executor)):
        if fmt is not ExtractFormat.jsonl and fmt is not ExtractFormat.yaml:
            raise typer.BadParameter("批量提取的结果逐行写出，请用 --format jsonl", param_hint="--format")
        batch.run_documents("extract", list(documents), output, {"time_limit": time_limit},
                            jobs=jobs, resume=resume, timeout=timeout, executor=executor)
    document = documents[0]
    from juesuan.audit.extract import extract, to_dataset
    from juesuan.audit.kind import NotAuditable
    from juesuan.readers.errors import InputError

    _refuse_input_as_output(output, [document])
    from juesuan.audit.deadline import TimeLimitExceeded
    from juesuan.audit.deadline import time_limit as limit

    try:
        with limit(time_limit):
            try:
                dataset, _ = to_dataset(extract(document))
            except NotAuditable as exc:
                if exc.kind.audit != "budget":
                    raise
                from juesuan.audit.budget_extract import extract_budget_file

                dataset, _ = extract_budget_file(document)  # type: ignore[assignment]
    except InputError as exc:
        err_console.print(f"[bold red]无法读取输入[/]：{esc(exc.describe())}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    except TimeLimitExceeded as exc:
        err_console.print(f"[bold red]无法读取输入[/]：{esc(document)}：{esc(exc.message)}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    if fmt is ExtractFormat.yaml:
        from juesuan.readers.yaml_io import dump_yaml

        text = dump_yaml(dataset)
    else:
        import json

        data = dataset.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        data.setdefault("year", dataset.year)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    _write(text, output)
    if output is not None:
        console.print(f"已写入 {output}", markup=False)
