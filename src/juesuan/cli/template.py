"""``juesuan template``: write the Excel workbook to fill, blank or from a dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from juesuan.cli import root_app as app
from juesuan.cli.common import (
    EXIT_INPUT,
    console,
    err_console,
    esc,
    read_dataset,
    same_file,
    write_atomic,
)


@app.command("template")
def template_cmd(
    out: Annotated[Path, typer.Argument(help="要生成的 Excel 工作簿（.xlsx）")],
    source: Annotated[Path | None, typer.Option(
        "--from", help="用已有的数据集（YAML 文件、含 dataset.yaml 的文件夹或工作簿）填好数据")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
    kind: Annotated[str, typer.Option(
        "--kind", help="工作簿类型：final（决算，默认）或 budget（部门预算）；--from 给出预算数据集时自动为 budget")] = "final",
) -> None:
    """生成决算（或部门预算，--kind budget）数据工作簿：空白模板（含填写说明），或用已有数据集填好的工作簿。

    财务人员可将决算软件导出的表格粘贴到对应工作表，填好后用 juesuan check 检查。
    退出码：0 成功；2 输入无法读取或输出文件无法写入。
    """
    from juesuan.readers.workbook import write_template

    if kind not in ("final", "budget"):
        raise typer.BadParameter("只能是 final 或 budget", param_hint="--kind")

    if out.suffix.lower() != ".xlsx":
        err_console.print(f"[bold red]输出文件应以 .xlsx 结尾[/]：{esc(out)}")
        raise typer.Exit(EXIT_INPUT)
    if out.exists() and not force:
        err_console.print(f"[bold red]文件已存在[/]：{esc(out)}（如需覆盖请加 --force）")
        raise typer.Exit(EXIT_INPUT)
    if source is not None and same_file(out, source):
        err_console.print(f"[bold red]输出文件就是输入文件[/]：{esc(out)}（不会覆盖输入，请换一个文件名）")
        raise typer.Exit(EXIT_INPUT)
    dataset = read_dataset(source)[0] if source is not None else None
    if getattr(dataset, "kind", None) == "预算" or (dataset is None and kind == "budget"):
        from juesuan.readers.budget_workbook import write_budget_template as write_template  # noqa: F811
    elif kind == "budget":
        err_console.print(f"[bold red]--from 给出的是决算数据集[/]：{esc(source)}（--kind budget 需要预算数据集）")
        raise typer.Exit(EXIT_INPUT)
    try:
        write_atomic(out, lambda tmp: write_template(tmp, dataset))
    except OSError as exc:
        err_console.print(f"[bold red]无法写入文件[/]：{esc(out)}（{esc(exc.strerror or exc)}）")
        raise typer.Exit(EXIT_INPUT) from None
    what = f"已用 {source} 的数据生成工作簿" if source is not None else "已生成空白工作簿"
    console.print(f"{what}：{out}", markup=False)


