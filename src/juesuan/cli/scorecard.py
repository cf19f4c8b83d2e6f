"""``juesuan scorecard``: completeness and consistency scores from a batch of audits."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from juesuan.cli import root_app as app
from juesuan.cli.common import EXIT_INPUT, EXIT_OK, console, err_console, esc


@app.command("scorecard")
def scorecard_cmd(
    results: Annotated[list[Path] | None, typer.Argument(
        help="批量审核的结果文件（juesuan audit --format jsonl -o 结果.jsonl）")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件夹：CSV、Excel 工作簿和网页")] = Path("评分"),
    db: Annotated[str | None, typer.Option(
        "--db", help="数据库地址（或环境变量 JUESUAN_DB）：也对数据库中已审核的文档评分")] = None,
) -> None:
    """按文档、部门和地区给决算公开评分：完整性（应有的部分、章节和公开表是否齐全）和一致性
    （每百个核对数字的错误级问题数），给出总分和排名，写成 CSV、Excel 工作簿和带图表的网页。

    只对审核过的决算公开文档评分；同一内容（SHA-256）只计一次。

    退出码：0 已写出；2 结果文件或数据库无法读取、输出无法写入，或没有可评分的文档。
    """
    import os

    from juesuan.batch.scorecard import read_jsonl, read_store, score
    from juesuan.batch.scorecard_render import write_scorecard

    records: list[dict] = []
    for r in results or []:
        try:
            records += list(read_jsonl(r))
        except (OSError, UnicodeDecodeError) as exc:
            err_console.print(f"[bold red]无法读取结果文件[/]：{esc(r)}：{esc(getattr(exc, 'strerror', None) or exc)}",
                              markup=True)
            raise typer.Exit(EXIT_INPUT) from None
    url = db or (os.environ.get("JUESUAN_DB") if not results else None)
    if url:
        from juesuan.store import StoreError, open_store

        try:
            records += list(read_store(open_store(url)))
        except StoreError as exc:
            err_console.print(f"[bold red]{esc(exc)}[/]", markup=True)
            raise typer.Exit(EXIT_INPUT) from None
    if not results and not url:
        raise typer.BadParameter("请给出批量审核的结果文件，或用 --db 指定数据库", param_hint="RESULTS")
    card = score(records)
    if not card.documents:
        err_console.print(f"[bold red]没有可评分的文档[/]：共 {len(records)} 条记录，其中没有审核过的决算公开文档",
                          markup=True)
        raise typer.Exit(EXIT_INPUT)
    try:
        files = write_scorecard(card, output)
    except OSError as exc:
        err_console.print(f"[bold red]无法写入输出[/]：{esc(output)}：{esc(exc.strerror or exc)}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    console.print(f"评分文档 {len(card.documents)} 个，部门 {len(card.organisations)} 个，地区 {len(card.regions)} 个"
                  f"（未评分 {card.not_scored} 个）。", markup=False)
    for d in card.documents[:10]:
        console.print(f"  {d.rank:>3}. {d.department} {d.year or ''}：总分 {d.total}（完整性 {d.completeness}，"
                      f"一致性 {d.consistency if d.consistency is not None else '—'}）", markup=False)
    console.print(f"已写入 {output}：" + "、".join(f.name for f in files), markup=False)
    raise typer.Exit(EXIT_OK)
