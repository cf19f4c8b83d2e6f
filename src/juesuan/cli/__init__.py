"""The ``juesuan`` command.  Each sub-command lives in its own module.

The modules are imported when needed: ``juesuan CMD …`` imports only the
module of CMD (``COMMANDS``), and ``juesuan --help`` prints ``juesuan.entry.ROOT_HELP``
without importing Typer at all (``tests/test_startup.py`` checks that it is
what Typer prints).  ``app`` (for tests and callers) has every command.
"""

from __future__ import annotations

import sys

import typer

from juesuan.cli.usage_zh import install as install_chinese_usage
from juesuan.cli.usage_zh import safe_streams

root_app = typer.Typer(
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


MODULES = ("check", "template", "build", "audit", "budget", "db", "scorecard", "serve", "user")
"""The command modules, in the order ``juesuan --help`` lists their commands."""

COMMANDS = {"check": "check", "rules": "check", "template": "template", "build": "build", "audit": "audit",
            "extract": "audit", "compare-budget": "budget", "db": "db", "scorecard": "scorecard",
            "serve": "serve", "user": "user"}
"""Each command and the module that defines it."""


def register(command: str | None = None) -> None:
    """Import the module of ``command`` (every command module when None or unknown)."""
    for name in (COMMANDS[command],) if command in COMMANDS else MODULES:
        try:
            __import__(f"juesuan.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"juesuan.cli.{name}":
                raise


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # the whole command line, every command registered
        register()
        return root_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _version(value: bool) -> None:
    if value:
        from juesuan import __version__

        typer.echo(f"juesuan {__version__}")
        raise typer.Exit()


@root_app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="显示版本号并退出。"),
) -> None:
    """部门决算公开工具：检查决算数据、生成公开文档、审核已公开的文档。"""


_chinese_help_option()
install_chinese_usage()


def main() -> None:
    safe_streams()
    args = sys.argv[1:]
    register(args[0] if args else None)
    try:
        root_app()
    except ModuleNotFoundError as exc:  # a dependency missing from this installation
        from juesuan.cli.common import EXIT_INPUT, missing_module_message

        sys.stderr.write(missing_module_message(exc) + "\n")
        raise SystemExit(EXIT_INPUT) from None
