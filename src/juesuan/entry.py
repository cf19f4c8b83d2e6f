"""The ``juesuan`` entry point: ``juesuan --help`` and ``juesuan CMD --help`` without the command line.

Typer alone costs several times a bare Python start, and a help text is the
same every time, so each is kept in ``juesuan.stored_help`` (``HELP``: the
top-level help under ``""``, each command's under its name; ``{prog}`` stands
for the program's name in the usage line).  ``tests/test_startup.py`` asserts
that every stored text is exactly what Typer prints, so none can drift;
``write_stored_help()`` writes them again after a change to the command line.
Anything else goes to ``juesuan.cli.main``.
"""

from __future__ import annotations

import os
import sys


def program_name() -> str:
    """The name the usage line shows, as Click derives it (``python -m juesuan`` when run so)."""
    package = getattr(sys.modules.get("__main__"), "__package__", None)
    if not package:
        return os.path.basename(sys.argv[0])
    stem = os.path.splitext(os.path.basename(sys.argv[0]))[0]
    return "python -m " + (package if stem == "__main__" else f"{package}.{stem}").lstrip(".")


def _asked(args: list[str]) -> str | None:
    """The key of the stored help that ``args`` ask for (None: not a plain help request)."""
    if len(args) == 1 and args[0] in ("--help", "-h"):
        return ""
    if len(args) == 2 and args[1] in ("--help", "-h") and not args[0].startswith("-"):
        return args[0]
    return None


def stored_help() -> bool:
    """Print the stored help when that is all that is asked for; True when it was printed."""
    key = _asked(sys.argv[1:])
    if key is None:
        return False
    from juesuan.stored_help import HELP

    if key not in HELP:
        return False
    import shutil

    if shutil.get_terminal_size().columns < 80:  # Click lays it out narrower
        return False
    out = sys.stdout
    text = HELP[key].replace("{prog}", program_name())
    out.buffer.write(text.encode(out.encoding or "utf-8", errors="replace")) if hasattr(out, "buffer") \
        else out.write(text)
    out.flush()
    return True


def typer_help(*args: str) -> str:
    """What ``juesuan ARGS --help`` prints through Typer in a fresh process (100 columns), with
    ``{prog}`` for the program's name: the text ``HELP`` must hold."""
    import subprocess
    from pathlib import Path

    src = str(Path(__file__).resolve().parents[1])
    env = dict(os.environ, COLUMNS="100", PYTHONIOENCODING="utf-8",
               PYTHONPATH=os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p))
    code = "import sys\nfrom juesuan.cli import main\nsys.argv[0] = 'juesuan'\nmain()\n"
    run = subprocess.run([sys.executable, "-c", code, *args, "--help"], capture_output=True,
                         encoding="utf-8", env=env, timeout=120, check=False)
    head = "Usage: juesuan"
    if run.returncode != 0 or not run.stdout.startswith(head):
        raise RuntimeError(f"juesuan {' '.join(args)} --help: exit {run.returncode}: {run.stderr[-500:]}")
    return "Usage: {prog}" + run.stdout[len(head):]


def _literal(text: str) -> str:
    """``text`` as a Python literal, one help line a source line where it can be."""
    if '"""' in text or "\\" in text or not text.endswith("\n"):
        return repr(text)
    return '"""\\\n' + text + '"""'


def write_stored_help() -> None:
    """Write ``juesuan/stored_help.py`` from what Typer prints for every command (a developer's step)."""
    from pathlib import Path

    from juesuan.cli import COMMANDS

    texts = {"": typer_help(), **{c: typer_help(c) for c in COMMANDS}}
    body = "".join(f"    {k!r}: {_literal(v)},\n" for k, v in texts.items())
    path = Path(__file__).with_name("stored_help.py")
    path.write_text(
        '"""The help texts ``juesuan.entry`` prints without Typer: generated, do not edit.\n\n'
        "Written by ``juesuan.entry.write_stored_help()`` from what Typer prints;\n"
        "``tests/test_startup.py`` asserts that they are still the same.\n"
        '"""\n\nHELP: dict[str, str] = {\n' + body + "}\n", encoding="utf-8")


def main() -> None:
    # A command keeps most of what it allocates (modules, models, the document read); Python's
    # cyclic collector, run every 700 allocations by default, would walk all of it again and
    # again: a tenth of an audit's CPU.  Collected every 50,000 allocations instead.
    import gc

    gc.set_threshold(50_000, 20, 20)
    # Pydantic looks for plugins (installed packages' entry points) the first time it builds a
    # validator: importlib.metadata reads every installed package's metadata, 20-30 ms a command.
    # juesuan uses none; a user who wants one sets PYDANTIC_DISABLE_PLUGINS themselves.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if not stored_help():
        from juesuan.cli import main as cli_main

        cli_main()
