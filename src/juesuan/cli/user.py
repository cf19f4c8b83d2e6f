"""``juesuan user add|disable|enable|token``: the web application's users."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from juesuan.cli import root_app as app
from juesuan.cli.common import EXIT_INPUT, console, err_console, esc
from juesuan.cli.db import DbOption
from juesuan.cli.db import _open as _store

user_app = typer.Typer(help="网页应用的用户：新增用户（已有则改密码）、停用和启用、生成接口令牌。", no_args_is_help=True)
app.add_typer(user_app, name="user")

@user_app.command("add")
def add_cmd(
    name: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[str, typer.Option("--role", help="角色：admin（管理员）、filler（填报人）、reviewer（审核人）、reader（查阅人）")],
    department: Annotated[str | None, typer.Option("--department", help="填报人所在部门（与数据集中的部门名称一致）")]
    = None,
    db: DbOption = None,
) -> None:
    """新增用户（已有则修改其角色、部门和密码）。密码从标准输入读取（第一行），至少 8 个字符。"""
    import getpass

    from juesuan.store import StoreError
    from juesuan.web.users import add_user

    store = _store(db)
    password = getpass.getpass("密码：") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
    try:
        user = add_user(store, name, role, password, department, by=f"juesuan user（{_login()}）")
    except StoreError as exc:
        err_console.print(f"[bold red]无法新增用户[/]：{esc(exc)}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    console.print(f"已保存用户 {user.name}（{user.role_label}{'，' + user.department if user.department else ''}）",
                  markup=False)


@user_app.command("token")
def token_cmd(
    name: Annotated[str, typer.Argument(help="用户名")],
    db: DbOption = None,
) -> None:
    """为用户生成一个接口令牌（只显示这一次），用于 Authorization: Bearer 请求头。"""
    from juesuan.store import StoreError
    from juesuan.web.users import new_token

    store = _store(db)
    try:
        token = new_token(store, name, by=f"juesuan user（{_login()}）")
    except StoreError as exc:
        err_console.print(f"[bold red]无法生成令牌[/]：{esc(exc)}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    sys.stdout.write(token + "\n")


@user_app.command("disable")
def disable_cmd(
    name: Annotated[str, typer.Argument(help="用户名")],
    db: DbOption = None,
) -> None:
    """停用用户：不能再登录，已登录的会话和接口令牌立即失效（记录保留，可用 enable 恢复）。"""
    _set_disabled(name, True, db)


@user_app.command("enable")
def enable_cmd(
    name: Annotated[str, typer.Argument(help="用户名")],
    db: DbOption = None,
) -> None:
    """恢复已停用的用户（须重新登录）。"""
    _set_disabled(name, False, db)


def _set_disabled(name: str, disabled: bool, db: str | None) -> None:
    from juesuan.store import StoreError
    from juesuan.web.users import set_disabled

    store = _store(db)
    try:
        user = set_disabled(store, name, disabled, by=f"juesuan user（{_login()}）")
    except StoreError as exc:
        err_console.print(f"[bold red]无法{'停用' if disabled else '启用'}用户[/]：{esc(exc)}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    console.print(f"已{'停用' if disabled else '启用'}用户 {user.name}" + ("（其会话和令牌已失效）" if disabled else ""),
                  markup=False)


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on this machine
        return "unknown"
