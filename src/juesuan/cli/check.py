"""``juesuan check`` and ``juesuan rules``."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from juesuan.cli import root_app as app
from juesuan.cli.common import EXIT_FINDINGS, EXIT_OK, console, esc, read_dataset
from juesuan.model.findings import Finding, Severity, has_errors


class Format(str, Enum):
    text = "text"
    json = "json"


@app.command("check")
def check_cmd(
    dataset: Annotated[Path, typer.Argument(help="数据集：YAML 文件、含 dataset.yaml 的文件夹，或 Excel 工作簿")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="输出格式：text（表格）或 json")] = Format.text,
    select: Annotated[list[str] | None, typer.Option("--select", help="只运行编号以此开头的规则（可重复）")] = None,
    skip: Annotated[list[str] | None, typer.Option("--skip", help="跳过编号以此开头的规则（可重复）")] = None,
    negative_overrun: Annotated[str, typer.Option(
        "--reverse-overrun", help="反向指标超标的计分方法：ratio（指标值÷实际值×分值）或 linear（超出一倍得零分）")] = "ratio",
    code_list: Annotated[list[Path] | None, typer.Option(
        "--code-list", help="补充的科目代码表 CSV（code,name 两列，可重复）")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", help="数据库地址（或环境变量 JUESUAN_DB）：数据集未给出的上年数字和职能等文字从数据库取")] = None,
) -> None:
    """检查决算数据的勾稽关系、科目代码、绩效自评计分和必填内容；预算数据集（kind: 预算）按预算的勾稽关系检查。

    多单位工作簿（部门汇总导出，每个单位一套表）逐个单位检查，最后检查部门汇总（各单位之和）。

    退出码：0 无错误级问题；1 有错误级问题；2 输入无法读取。
    """
    from juesuan.rules.engine import Context, Options, run_rules

    if negative_overrun not in ("ratio", "linear"):
        raise typer.BadParameter("只能是 ratio 或 linear", param_hint="--reverse-overrun")
    opts = Options(negative_overrun=negative_overrun, select=tuple(select or ()), skip=tuple(skip or ()),
                   code_lists=tuple(str(p) for p in code_list or ()))
    if dataset.suffix.lower() in (".xlsx", ".xlsm") and not db:
        from juesuan.batch.workbook_units import is_multi_unit

        if is_multi_unit(dataset):  # a department's 部门汇总 export: every unit, then the 汇总
            from juesuan.cli.check_units import check_units

            errors = check_units(dataset, opts, fmt is Format.json)
            if errors is not None:
                raise typer.Exit(EXIT_FINDINGS if errors else EXIT_OK)
    ds, prov = read_dataset(dataset, db)
    _validate_code_lists(code_list or [], ds.year)
    ctx = Context(ds, prov, opts)
    findings = run_rules(ctx)
    if fmt is Format.json:
        out = check_report(str(dataset), ds, findings, ctx.skipped)
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_text(ds.department.name, ds.year, findings, ctx.skipped, getattr(ds, "kind", "决算"))
    raise typer.Exit(EXIT_FINDINGS if has_errors(findings) else EXIT_OK)


def check_report(source: str, ds, findings: list[Finding], skipped: list[tuple[str, str]]) -> dict:  # noqa: ANN001
    """What ``juesuan check -f json`` prints (also the web API's answer)."""
    return {
        "dataset": source,
        "department": ds.department.name,
        "year": ds.year,
        "unit": ds.unit.value,
        "summary": _summary(findings),
        "findings": [f.to_dict() for f in findings],
        "skipped": [{"rule": rid, "reason": why} for rid, why in skipped],
    }


def _validate_code_lists(files: list[Path], year: int) -> None:
    """A user code list that cannot be read is unusable input (exit 2), not a finding."""
    if not files:
        return
    from juesuan.cli.common import fail_input
    from juesuan.readers.errors import InputError
    from juesuan.refdata import load_code_list

    try:
        for kind in ("func", "econ"):
            load_code_list(kind, year, [str(f) for f in files])
    except InputError as exc:
        fail_input(exc)


def _summary(findings: list[Finding]) -> dict[str, int]:
    return {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _print_text(name: str, year: int, findings: list[Finding], skipped: list[tuple[str, str]],
                kind: str = "决算") -> None:
    """One finding per block: severity and rule, where, what (readable in any terminal width)."""
    s = _summary(findings)
    console.print(f"[bold]{esc(name)} {esc(year)} 年度{kind}数据检查[/]")
    for rule_id, why in skipped:
        console.print(f"[dim]未检查[/] [dim]{esc(rule_id)}[/]  {esc(why)}", markup=True)
    if not findings:
        console.print("[green]未发现问题。[/]" if not skipped else "[green]已运行的检查未发现问题。[/]")
        return
    for f in findings:
        console.print(f"[{_STYLE[f.severity]}]{f.severity.label}[/] [dim]{esc(f.rule)}[/]  {esc(f.location.describe())}")
        console.print(f"    {f.message}", markup=False)
    console.print(f"共 {len(findings)} 条：错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}。")


@app.command("rules")
def rules_cmd(
    fmt: Annotated[Format, typer.Option("--format", "-f", help="输出格式：text 或 json")] = Format.text,
) -> None:
    """列出全部检查规则：编号、级别、标题和说明。"""
    from rich.table import Table

    from juesuan.rules.registry import all_rules

    try:
        import juesuan.audit.checks_rules  # noqa: F401 - registers the audit rules
    except ModuleNotFoundError as exc:  # an install without the audit part lists the data rules
        if exc.name is None or not exc.name.startswith("juesuan.audit"):
            raise

    rules = all_rules()
    if fmt is Format.json:
        data = [{"id": r.id, "severity": r.severity.value, "title": r.title, "message": r.message,
                 "description": r.description, "tags": list(r.tags)} for r in rules]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    # the id and level never wrap; the title and description share the rest of the width and wrap
    table = Table(expand=True, show_lines=True)
    table.add_column("编号", no_wrap=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("标题与说明", overflow="fold", ratio=1)
    for r in rules:
        table.add_row(esc(r.id), f"[{_STYLE[r.severity]}]{r.severity.label}[/]",
                      f"[bold]{esc(r.title)}[/]\n{esc(r.description)}")
    console.print(table)
    console.print(f"共 {len(rules)} 条规则。")
