"""The ``juesuan`` command.  Each sub-command lives in its own module."""

from __future__ import annotations

import sys

import typer

from juesuan.cli.usage_zh import install as install_chinese_usage
from juesuan.cli.usage_zh import safe_streams

app = typer.Typer(
    name="juesuan",
    help="部门决算（预算）公开工具：检查决算或预算数据、生成公开文档、审核已公开的文档。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # Click's plain help: Typer's Rich help costs 10× a bare Python start
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
            # an unset flag is None, which Typer coerces through pydantic (its import alone
            # costs 5× a bare Python start); False needs no coercion
            if option.default is None:
                option.default = False
        return option

    get_help_option._juesuan = True  # type: ignore[attr-defined]
    Command.get_help_option = get_help_option  # type: ignore[method-assign]


def _register() -> None:
    from juesuan.cli import check  # noqa: F401

    for name in ("template", "build", "audit", "budget", "db", "scorecard", "serve", "user"):
        try:
            __import__(f"juesuan.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"juesuan.cli.{name}":
                raise


def _version(value: bool) -> None:
    if value:
        from juesuan import __version__

        typer.echo(f"juesuan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="显示版本号并退出。"),
) -> None:
    """部门决算公开工具：检查决算数据、生成公开文档、审核已公开的文档。"""


_chinese_help_option()
install_chinese_usage()
_register()


def main() -> None:
    safe_streams()
    try:
        app()
    except ModuleNotFoundError as exc:  # a dependency missing from this installation
        from juesuan.cli.common import EXIT_INPUT, missing_module_message

        sys.stderr.write(missing_module_message(exc) + "\n")
        raise SystemExit(EXIT_INPUT) from None
