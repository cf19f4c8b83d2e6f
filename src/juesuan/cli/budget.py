"""``juesuan compare-budget``: a department's budget beside its final accounts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from juesuan.cli import root_app as app
from juesuan.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    console,
    err_console,
    esc,
    read_dataset,
    write_atomic,
)
from juesuan.model.money import fmt_amount


def _final(path: Path):  # noqa: ANN202 - a Dataset
    """A 决算 dataset, or a published 决算 document read back (juesuan extract's dataset)."""
    if path.suffix.lower() in (".pdf", ".docx", ".txt", ".md", ".html"):
        from juesuan.audit.extract import extract, to_dataset
        from juesuan.readers.errors import InputError

        try:
            return to_dataset(extract(path))[0]
        except InputError as exc:
            err_console.print(f"[bold red]无法读取输入[/]：{esc(exc.describe())}", markup=True)
            raise typer.Exit(EXIT_INPUT) from None
    return read_dataset(path)[0]


def _cell(v) -> str:  # noqa: ANN001
    return "—" if v is None else fmt_amount(v)


@app.command("compare-budget")
def compare_budget_cmd(
    budget: Annotated[Path, typer.Argument(help="部门预算数据集（kind: 预算 的 YAML 文件、文件夹或工作簿）")],
    final: Annotated[Path, typer.Argument(help="同一部门的决算：数据集，或已公开的决算文档（.pdf/.docx/.txt）")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text 或 json")] = "text",
    chart: Annotated[Path | None, typer.Option("--chart", help="把比较图写入此 PNG 文件")] = None,
) -> None:
    """把部门预算与决算放在一起比较（同一部门）。

    决算与预算同一年度：逐项列出决算中的年初预算与公开的预算不一致之处（一般公共预算财政拨款，各功能分类项和
    “三公”经费各项）。决算为预算的上一年度：按功能分类类、“三公”经费、机关运行经费列出上年决算数与本年预算数，
    可用 --chart 画图。金额单位：万元。

    退出码：0 比较完成（同一年度时无不一致）；1 同一年度且有不一致；2 输入无法读取或不是一个部门的预算和决算。
    """
    from juesuan.audit.budget_compare import initial_vs_budget, last_final_vs_budget

    b, _ = read_dataset(budget)
    if getattr(b, "kind", "决算") != "预算":
        err_console.print(f"[bold red]第一个输入不是预算数据集[/]：{esc(budget)}（数据集应写明 kind: 预算）", markup=True)
        raise typer.Exit(EXIT_INPUT)
    f = _final(final)
    if getattr(f, "kind", "决算") != "决算":
        err_console.print(f"[bold red]第二个输入不是决算[/]：{esc(final)}", markup=True)
        raise typer.Exit(EXIT_INPUT)
    if f.year == b.year:
        rows, mode = initial_vs_budget(b, f), "same"
        head = (f"{b.department.name} {b.year} 年度：决算中的年初预算与公开的部门预算", "决算·年初预算", "部门预算")
    elif f.year == b.year - 1:
        rows, mode = last_final_vs_budget(f, b), "last"
        head = (f"{b.department.name}：{f.year} 年度决算与 {b.year} 年度预算", f"{f.year}年决算", f"{b.year}年预算")
    else:
        err_console.print(f"[bold red]年度不相配[/]：预算为 {b.year} 年度，决算为 {f.year} 年度"
                          "（应为同一年度，或决算为上一年度）", markup=True)
        raise typer.Exit(EXIT_INPUT)
    differing = [r for r in rows if r.differs] if mode == "same" else rows
    if fmt == "json":
        data = {"department": b.department.name, "budget_year": b.year, "final_year": f.year, "mode": mode,
                "unit": "万元", "rows": [{"code": r.code, "name": r.name, head[1]: None if r.left is None else str(r.left),
                                         head[2]: None if r.right is None else str(r.right), "differs": r.differs}
                                        for r in rows]}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        from rich.table import Table

        table = Table(title=head[0] + "（万元）")
        for col in ("编码", "项目", head[1], head[2], "差额"):
            table.add_column(col)
        for r in (differing if mode == "same" else rows):
            table.add_row(r.code, r.name, _cell(r.left), _cell(r.right), fmt_amount(r.diff))
        console.print(table)
        if mode == "same":
            console.print(f"共 {len(rows)} 项，不一致 {len(differing)} 项。" if differing else f"共 {len(rows)} 项，全部一致。")
    if chart is not None:
        from juesuan.render.budget_chart import compare_chart

        fig = compare_chart([r for r in rows if not r.code.startswith("三公.")], head[0], head[1], head[2])
        try:
            write_atomic(chart, lambda tmp: Path(tmp).write_bytes(fig.png))
        except OSError as exc:
            err_console.print(f"[bold red]无法写入文件[/]：{esc(chart)}（{esc(exc.strerror or exc)}）")
            raise typer.Exit(EXIT_INPUT) from None
        console.print(f"已写入 {chart}", markup=False)
    raise typer.Exit(1 if mode == "same" and differing else EXIT_OK)
