"""Start-up: the command line imports only what the command run needs (issue 9).

Not timed (a timing assertion fails on a busy machine): the modules a start
imports are the cost, so the test asserts which modules are absent.
``benchmarks/speed.py`` measures the time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

HEAVY = ("matplotlib", "docx", "typst", "pypdfium2", "pdfplumber", "openpyxl", "sqlalchemy", "lxml",
         "jinja2", "weasyprint", "yaml")
"""Third-party packages no start-up may import."""

OURS = ("juesuan.audit", "juesuan.render", "juesuan.store", "juesuan.rules", "juesuan.readers",
        "juesuan.model.accounts")
"""Our own heavy parts (the audit rules, the renderers, the pydantic model)."""


def _imported(*args: str) -> set[str]:
    """The top-level and juesuan modules a fresh ``python -m juesuan ARGS`` (or -c code) has imported."""
    code = ("import sys, runpy\n"
            f"sys.argv = ['juesuan', *{list(args)!r}]\n"
            "try:\n    runpy.run_module('juesuan', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print('\\n'.join(sys.modules), file=sys.stderr)\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
               COLUMNS="100")  # a terminal wide enough for the stored top-level help
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    return set(run.stderr.split())


def _offending(modules: set[str]) -> list[str]:
    return sorted(m for m in modules
                  if m.split(".")[0] in HEAVY or any(m == o or m.startswith(o + ".") for o in OURS))


def test_importing_the_cli_imports_no_heavy_module() -> None:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    run = subprocess.run([sys.executable, "-c", "import sys, juesuan.cli; print('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert _offending(set(run.stdout.split())) == []


@pytest.mark.parametrize("args", [
    ("--help",), ("check", "--help"), ("rules", "--help"), ("template", "--help"), ("build", "--help"),
    ("audit", "--help"), ("extract", "--help"), ("db", "--help"), ("db", "import", "--help"),
])
def test_help_imports_no_heavy_module(args: tuple[str, ...]) -> None:
    modules = _imported(*args)
    assert "juesuan.entry" in modules
    assert _offending(modules) == []


def test_every_command_has_its_help_stored() -> None:
    from juesuan.cli import COMMANDS
    from juesuan.stored_help import HELP

    assert set(HELP) == {"", *COMMANDS}


@pytest.mark.parametrize("command", ["", "check", "rules", "template", "build", "audit", "extract",
                                     "compare-budget", "scorecard", "serve", "db", "user"])
def test_stored_help_is_the_text_typer_prints(command: str) -> None:
    """``juesuan [CMD] --help`` is printed from ``juesuan.stored_help.HELP``; it must be Typer's own text
    (after a change to the command line: ``python -c "from juesuan.entry import write_stored_help;
    write_stored_help()"``)."""
    from juesuan.entry import typer_help
    from juesuan.stored_help import HELP

    assert HELP[command] == typer_help(*([command] if command else []))


def test_stored_help_names_the_program_as_run() -> None:
    env = dict(os.environ, PYTHONPATH=str(SRC), COLUMNS="100")
    run = subprocess.run([sys.executable, "-m", "juesuan", "db", "--help"], capture_output=True,
                         encoding="utf-8", env=env, timeout=120)
    assert run.returncode == 0
    assert run.stdout.startswith("Usage: python -m juesuan db [OPTIONS] COMMAND [ARGS]...\n")
    assert "导入数据集和已公开的文档" in run.stdout


@pytest.mark.parametrize("args", [("--help",), ("check", "--help"), ("db", "-h"), ("extract", "--help")])
def test_help_imports_not_even_typer(args: tuple[str, ...]) -> None:
    modules = _imported(*args)
    assert "juesuan.entry" in modules
    assert not [m for m in modules if m.split(".")[0] in ("typer", "click", "pydantic")]


def test_a_command_imports_only_its_own_module() -> None:
    from juesuan.cli import COMMANDS, MODULES

    assert set(COMMANDS.values()) == set(MODULES)
    modules = _imported("check", "--no-such-option")
    assert "juesuan.cli.check" in modules
    assert [m for m in MODULES if f"juesuan.cli.{m}" in modules] == ["check"]
