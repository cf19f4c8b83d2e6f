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


def _register() -> None:
    from juesuan.cli import check  # noqa: F401

    for name in ("template", "build", "audit"):
        try:
            __import__(f"juesuan.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"juesuan.cli.{name}":
                raise


_register()


def main() -> None:
    app()
