"""What the store answers: a figure compared across departments and years, and the exports.

A *figure* names line items of the current dataset versions: ``part[.column][@code]``
— ``three_public.actual`` (every “三公” actual: abroad, vehicles, receptions),
``expenditure.basic@201`` (basic spending of function class 201 and everything under
it), ``income.general_budget``; ``expenditure.basic@类`` breaks a figure down by
function class (``@款`` by 款), a row each, as the tables print it.  Matching items are added per organisation and year,
in the dataset's unit (万元 and 元 are not mixed: a figure is converted to 万元).
Named figures (``三公经费`` …) are aliases kept in ``FIGURES``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from juesuan.store import Store, StoreError

__all__ = ["FIGURES", "Comparison", "compare", "export_datapackage", "export_xlsx", "parse_figure"]

FIGURES: dict[str, str] = {
    "三公经费": "three_public.actual",
    "三公经费预算": "three_public.budget",
    "因公出国（境）费": "three_public.actual.abroad",
    "公务接待费": "three_public.actual.reception",
    "基本支出": "expenditure.basic",
    "项目支出": "expenditure.project",
    "财政拨款收入": "income.general_budget",
}
_FIGURE = re.compile(r"^(?P<part>[a-z_]+)(?:\.(?P<column>[a-z_.]+))?(?:@(?P<code>\d{3,7}|类|款))?$")
_LEVEL = {"类": 3, "款": 5}  # @类 / @款: one row per function class (or 款), a whole table's breakdown
_WAN = Decimal(10000)


@dataclass(frozen=True)
class Figure:
    text: str
    part: str
    column: str | None
    code: str | None


def parse_figure(text: str) -> Figure:
    spec = FIGURES.get(text, text)
    m = _FIGURE.match(spec)
    if m is None:
        raise StoreError(f"无法识别的数字“{text}”：应写作 部分[.列][@科目编码]，例如 three_public.actual、"
                         f"expenditure.basic@201，或以下名称之一：{'、'.join(FIGURES)}")
    return Figure(text, m.group("part"), m.group("column"), m.group("code"))


@dataclass
class Comparison:
    figures: list[str]
    years: list[int]
    rows: list[tuple[str, str, dict[int, Decimal]]]  # (organisation, figure, year → amount in 万元)

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["单位", "数字", *[f"{y}年（万元）" for y in self.years]])
        for org, fig, values in self.rows:
            w.writerow([org, fig, *[("" if y not in values else f"{values[y]:.2f}") for y in self.years]])
        return buf.getvalue()

    def to_xlsx(self) -> bytes:
        """The same table as one sheet of a workbook (amounts as numbers, two decimals shown)."""
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "比较"
        ws.append(["单位", "数字", *[f"{y}年（万元）" for y in self.years]])
        for name, fig, values in self.rows:
            ws.append([name, fig, *[float(values[y]) if y in values else None for y in self.years]])
        for row in ws.iter_rows(min_row=2, min_col=3):
            for cell in row:
                cell.number_format = "#,##0.00"
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


def compare(store: Store, figures: list[str], organisations: list[str] | None = None) -> Comparison:
    """Each figure for each organisation and year (current versions), in 万元."""
    from sqlalchemy import select

    from juesuan.store.schema import DatasetVersion, LineItem, Organisation

    parsed = [parse_figure(f) for f in figures]
    rows: list[tuple[str, str, dict[int, Decimal]]] = []
    years: set[int] = set()
    with store.session() as s:  # type: ignore[attr-defined]
        q = (select(Organisation.name, DatasetVersion.year, LineItem.part, LineItem.column, LineItem.code,
                    LineItem.amount, LineItem.unit)
             .join(DatasetVersion, DatasetVersion.organisation_id == Organisation.id)
             .join(LineItem, LineItem.version_id == DatasetVersion.id)
             .where(DatasetVersion.current.is_(True), LineItem.part.in_({f.part for f in parsed})))
        if organisations:
            q = q.where(Organisation.name.in_(organisations))
        found: dict[tuple[str, str], dict[int, Decimal]] = {}
        for name, year, part, column, code, amount, unit in s.execute(q):
            for f in parsed:
                if _matches(f, part, column, code):
                    value = Decimal(amount) / _WAN if unit == "元" else Decimal(amount)
                    label = f"{f.text}[{code[:_LEVEL[f.code]]}]" if f.code in _LEVEL and code else f.text
                    cell = found.setdefault((name, label), {})
                    cell[year] = cell.get(year, Decimal(0)) + value
                    years.add(year)
    for (name, fig), values in sorted(found.items()):
        rows.append((name, fig, values))
    return Comparison([f.text for f in parsed], sorted(years), rows)


def _matches(f: Figure, part: str, column: str, code: str | None) -> bool:
    if part != f.part:
        return False
    if f.column and not (column == f.column or column.startswith(f.column + ".")):
        return False
    if f.code in _LEVEL:
        if not code:
            return False
    elif f.code and not (code or "").startswith(f.code):
        return False
    if f.part == "expenditure" and code is not None and len(code) != 7:
        return False  # the 项 carry the data; stated 类/款 subtotals would count twice
    return True


# --- export --------------------------------------------------------------------------------

_RESOURCES = {
    "organisations": ("SELECT id, name, code, region, nature, parent_id FROM organisation ORDER BY id",
                      [("id", "integer"), ("name", "string"), ("code", "string"), ("region", "string"),
                       ("nature", "string"), ("parent_id", "integer")]),
    "dataset_versions": ("SELECT id, organisation_id, year, kind, source, content_hash, imported_at, imported_by, "
                         "current, unit FROM dataset_version ORDER BY id",
                         [("id", "integer"), ("organisation_id", "integer"), ("year", "integer"),
                          ("kind", "string"), ("source", "string"), ("content_hash", "string"),
                          ("imported_at", "datetime"), ("imported_by", "string"), ("current", "boolean"),
                          ("unit", "string")]),
    "line_items": ('SELECT id, version_id, part, code, name, "column", amount, unit, path, source FROM line_item '
                   "ORDER BY id",
                   [("id", "integer"), ("version_id", "integer"), ("part", "string"), ("code", "string"),
                    ("name", "string"), ("column", "string"), ("amount", "number"), ("unit", "string"),
                    ("path", "string"), ("source", "string")]),
    "audits": ("SELECT id, doc_hash, path, kind, profile, profile_score, department, year, audited_at, audited_by, "
               "error FROM audit ORDER BY id",
               [("id", "integer"), ("doc_hash", "string"), ("path", "string"), ("kind", "string"),
                ("profile", "string"), ("profile_score", "number"), ("department", "string"),
                ("year", "integer"), ("audited_at", "datetime"), ("audited_by", "string"), ("error", "string")]),
    "findings": ("SELECT id, audit_id, rule, severity, message, page, line, expected, found FROM finding ORDER BY id",
                 [("id", "integer"), ("audit_id", "integer"), ("rule", "string"), ("severity", "string"),
                  ("message", "string"), ("page", "integer"), ("line", "integer"), ("expected", "string"),
                  ("found", "string")]),
    "dismissals": ("SELECT id, doc_hash, rule, page, line, found, who, why, at FROM dismissal ORDER BY id",
                   [("id", "integer"), ("doc_hash", "string"), ("rule", "string"), ("page", "integer"),
                    ("line", "integer"), ("found", "string"), ("who", "string"), ("why", "string"),
                    ("at", "datetime")]),
}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    return str(value)


def export_datapackage(store: Store, out: Path) -> Path:
    """Every table as CSV beside a Frictionless Data Package descriptor (``datapackage.json``).

    Written into a temporary folder beside ``out`` and renamed into place, so a failed
    export leaves nothing half-written."""
    import shutil
    import tempfile

    from sqlalchemy import text

    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise StoreError(f"输出文件夹已存在且不为空：{out}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".juesuan-export-", dir=out.parent))
    try:
        resources = []
        with store.engine.connect() as conn:  # type: ignore[attr-defined]
            for name, (sql, fields) in _RESOURCES.items():
                with (tmp / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
                    w = csv.writer(fh)
                    w.writerow([f for f, _ in fields])
                    for row in conn.execute(text(sql)):
                        w.writerow([_cell(v) for v in row])
                resources.append({"name": name.replace("_", "-"), "path": f"{name}.csv", "format": "csv",
                                  "mediatype": "text/csv", "encoding": "utf-8",
                                  "schema": {"fields": [{"name": f, "type": t} for f, t in fields],
                                             "primaryKey": ["id"]}})
        descriptor = {"name": "juesuan-store", "title": "部门决算公开数据（juesuan 数据库导出）",
                      "profile": "tabular-data-package", "resources": resources}
        (tmp / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
                                              encoding="utf-8")
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out / "datapackage.json"


def export_xlsx(store: Store, out: Path) -> Path:
    """Every table as a sheet of one workbook (written to a temporary file, then renamed)."""
    import os
    import tempfile

    from openpyxl import Workbook
    from sqlalchemy import text

    out = Path(out)
    wb = Workbook(write_only=True)
    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        for name, (sql, fields) in _RESOURCES.items():
            ws = wb.create_sheet(name)
            ws.append([f for f, _ in fields])
            for row in conn.execute(text(sql)):
                ws.append([float(v) if isinstance(v, Decimal) else (_cell(v) if v is not None else None) for v in row])
    fd, tmp = tempfile.mkstemp(prefix=".juesuan-", suffix=".xlsx", dir=out.parent if str(out.parent) else ".")
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
