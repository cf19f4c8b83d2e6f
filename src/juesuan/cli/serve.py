"""``juesuan serve``: the local web application (fill, review, browse) over the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from juesuan.cli import root_app as app
from juesuan.cli.common import EXIT_INPUT, console, err_console, esc


@app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="监听地址（默认只允许本机访问；内网共用时写本机的内网地址）")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
    db: Annotated[str | None, typer.Option("--db", help="数据库地址（或环境变量 JUESUAN_DB；默认用户数据文件夹中的 SQLite 文件）")]
    = None,
    uploads: Annotated[Path | None, typer.Option(
        "--uploads", help="上传文件的保存文件夹（默认用户数据文件夹中的 uploads）")] = None,
    workers: Annotated[int, typer.Option("--workers", help="同时审核上传文档的后台进程数")] = 2,
) -> None:
    """启动本机网页应用：填报人上传、检查、填写说明、生成并提交；审核人查看报送情况、批量审核公开文档；
    查阅人浏览、比较和下载数据。所有脚本、样式和图表都随程序提供，断网也能使用。

    先用 juesuan user add 创建用户。退出码：2 数据库无法打开或端口被占用。
    """
    try:
        import uvicorn

        from juesuan.web.app import create_app
    except ImportError:
        err_console.print("[bold red]网页应用需要 FastAPI 和 uvicorn[/]：pip install 'juesuan[web]'", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    from juesuan.cli.db import _open

    store = _open(db)
    web = create_app(store, uploads, workers)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]注意[/]：服务监听 {esc(host)}，同一网络中的其他计算机也能访问。", markup=True)
    console.print(f"网页应用：http://{host}:{port}/ （数据库 {store.describe()}；按 Ctrl+C 停止）", markup=False)
    import logging

    logging.basicConfig(format="%(asctime)s %(name)s %(message)s")  # internal errors, for the administrator
    try:
        # uvicorn's own messages are English: it stays quiet, and a failure to start is said below
        uvicorn.run(web, host=host, port=port, log_level="critical")
    except (OSError, SystemExit) as exc:
        err_console.print(f"[bold red]无法启动服务[/]：{esc(host)}:{port}（{esc(getattr(exc, 'strerror', '') or '端口可能已被占用')}）",
                          markup=True)
        raise typer.Exit(EXIT_INPUT) from None
