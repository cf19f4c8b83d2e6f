"""``juesuan check`` of a many-unit workbook (a department's 部门汇总 export): every unit, then the 汇总.

The workbook is split as ``build`` splits it (``batch.workbook_units``) into a
temporary folder; each unit is read and checked on its own, and the 汇总 (the
sum of the units) last.  A finding names the workbook as given, with the sheet
and cell as they are in it (the split copies each unit's sheets under the same
names, at the same cells).
"""

from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from juesuan.model.findings import Finding, Location


class _Book:
    """Places in the split copies, said as places in the workbook itself."""

    def __init__(self, copies: Path, book: Path) -> None:
        self.copies, self.book = copies, book

    def place(self, loc: Location) -> Location:
        if not loc.file or Path(loc.file).parent != self.copies:
            return loc
        return dataclasses.replace(loc, file=str(self.book), line=None)

    def findings(self, findings: list[Finding]) -> list[Finding]:
        place = self.place
        return [dataclasses.replace(f, location=place(f.location), related=tuple(place(r) for r in f.related))
                for f in findings]

    def error(self, exc: Any) -> Any:  # noqa: ANN401 - readers.errors.InputError
        exc.location = self.place(exc.location)
        exc.problems = [(msg, self.place(loc)) for msg, loc in exc.problems]
        return exc


def check_units(book: Path, opts: Any, as_json: bool) -> bool | None:  # noqa: ANN401 - rules.engine.Options
    """Check every unit of a many-unit workbook and its 汇总, printing each; whether any has an
    error-level finding (None: the workbook holds one unit after all)."""
    import yaml

    from juesuan.batch.workbook_units import split_units
    from juesuan.cli.check import _print_text, _validate_code_lists, check_report
    from juesuan.cli.common import console, fail_input
    from juesuan.model.findings import has_errors
    from juesuan.readers.errors import InputError
    from juesuan.readers.loader import load_dataset
    from juesuan.rules.engine import Context, run_rules

    reports: list[dict[str, Any]] = []
    errors = False
    with tempfile.TemporaryDirectory(prefix="juesuan-check-") as tmp:
        folder = Path(tmp)
        where = _Book(folder, book)
        try:
            dept = split_units(book, folder)
            if dept is None:
                return None
            listed = yaml.safe_load(dept.read_text(encoding="utf-8"))["department"]["units"]
            parts = [(u["name"], folder / u["accounts"]) for u in listed] + [("汇总", dept)]
            for name, file in parts:
                ds, prov = load_dataset(file)
                if file == parts[0][1]:
                    _validate_code_lists([Path(c) for c in opts.code_lists], ds.year)
                ctx = Context(ds, prov, opts)
                findings = where.findings(run_rules(ctx))
                errors = errors or has_errors(findings)
                if as_json:
                    reports.append({**check_report(str(book), ds, findings, ctx.skipped), "unit_name": name})
                else:
                    console.print(f"[bold]—— {'部门汇总（各单位之和）' if file == dept else '单位：' + name} ——[/]")
                    _print_text(ds.department.name, ds.year, findings, ctx.skipped)
        except InputError as exc:
            fail_input(where.error(exc))
    if as_json:
        out = {"dataset": str(book), "units": reports[:-1], "sum": reports[-1]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        console.print(f"共检查 {len(parts) - 1} 个单位及部门汇总。")
    return errors
