"""One part of a PDF laid out in parts (``juesuan.render.typst_parts``), in a process of its own.

    python -m juesuan.render.typst_worker PART.typ OUT.pdf [--font-dir DIR ...] [--system-fonts]

Compiles ``PART.typ`` (its folder is Typst's root) into ``OUT.pdf`` and prints, as
JSON, where things landed: the page (counted from 1 in this part) of every heading,
and the table key, row index and page of every row marked ``<jrow>``.  Exits with 2
and Typst's message on standard error when Typst rejects the source.

A process of its own because Typst keeps every layout it made until its process
ends: a part's memory is returned when its process exits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

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


if __name__ == "__main__":
    sys.exit(main())
