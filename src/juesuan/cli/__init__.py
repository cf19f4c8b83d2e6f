"""The ``juesuan`` command.  Each sub-command lives in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="juesuan",
    help="部门决算公开工具：检查决算数据、生成公开文档、审核已公开的文档。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _chinese_help_option() -> None:
    """Click words the --help option in English; finance staff read Chinese.

    Typer carries its own copy of Click (``typer._click``) in recent versions; patch
    whichever Command class builds the option, once.
    """
    try:
        from typer._click.core import Command  # type: ignore[import-not-found]
    except ImportError:  # older Typer uses the click package itself
        from click import Command

    original = Command.get_help_option
    if getattr(original, "_juesuan", False):
        return

    def get_help_option(self, ctx):  # noqa: ANN001, ANN202 - Click's own signature
        option = original(self, ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option

    get_help_option._juesuan = True  # type: ignore[attr-defined]
    Command.get_help_option = get_help_option  # type: ignore[method-assign]


def _register() -> None:
    from juesuan.cli import check  # noqa: F401

    for name in ("template", "build", "audit", "db", "serve", "user"):
        try:
            __import__(f"juesuan.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"juesuan.cli.{name}":
                raise


_chinese_help_option()
_register()


def main() -> None:
    app()
