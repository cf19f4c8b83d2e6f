"""A Typst compile in a process of its own: a part of a PDF laid out in parts
(``juesuan.render.typst_parts``), or a whole PDF built by a process that has built others.

    python -m juesuan.render.typst_worker PART.typ OUT.pdf [--font-dir DIR ...] [--system-fonts]

Compiles ``PART.typ`` (its folder is Typst's root) into ``OUT.pdf`` and prints, as
JSON, where things landed: the page (counted from 1 in this part) of every heading,
and the table key, row index and page of every row marked ``<jrow>``.  Exits with 2
and Typst's message on standard error when Typst rejects the source.
``compile_in_child`` runs it from the parent.

A process of its own because Typst keeps every layout it made until its process
ends (its memo cache is never emptied; a 40-row department's PDF adds some 45 MB to
the process that compiled it): the memory is returned when the child exits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from juesuan.render.typst import FontSetup

# evaluated in the laid-out part: nothing is laid out twice
WHERE = ("(headings: query(heading).map(h => h.location().page()),"
         " rows: query(<jrow>).map(x => (..x.value, x.location().page())))")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        sys.stderr.write(__doc__ or "")
        return 2
    source, out = Path(args[0]), Path(args[1])
    dirs = [args[k + 1] for k, a in enumerate(args[:-1]) if a == "--font-dir"]
    import typst

    try:
        compiler = typst.Compiler(str(source), root=str(source.parent), font_paths=dirs,
                                  ignore_system_fonts="--system-fonts" not in args)
        pdf = compiler.compile(format="pdf")
        where = json.loads(compiler.eval(WHERE, format="json"))
    except RuntimeError as exc:  # typst.TypstError
        detail = getattr(exc, "diagnostic", "") or ""
        sys.stderr.write(f"{exc}\n{detail}".rstrip() + "\n")
        return 2
    out.write_bytes(pdf)
    sys.stdout.write(json.dumps(where))
    return 0


def compile_in_child(source: Path, out: Path, setup: FontSetup) -> dict:
    """Compile ``source`` into ``out`` in a child process with the fonts of ``setup``; where its
    headings and marked rows landed.  Raises ``TypstError`` when Typst rejects it."""
    import os
    import subprocess

    from juesuan.render.typst import TypstError

    args = [a for d in setup.dirs for a in ("--font-dir", d)]
    if setup.system:
        args.append("--system-fonts")
    package_root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH", "")
    env = {**os.environ, "PYTHONPATH": package_root + (os.pathsep + path if path else "")}
    proc = subprocess.run([sys.executable, "-m", "juesuan.render.typst_worker", str(source), str(out), *args],
                          capture_output=True, text=True, encoding="utf-8", errors="replace", env=env,
                          check=False)
    if proc.returncode != 0 or not out.is_file():
        detail = proc.stderr.strip() or f"排版进程退出码 {proc.returncode}"
        raise TypstError(f"Typst 排版失败：{detail}")
    return json.loads(proc.stdout)


if __name__ == "__main__":
    sys.exit(main())
