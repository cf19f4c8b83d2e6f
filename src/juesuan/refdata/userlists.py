"""Reading a user's own code list (CSV) that adds to or overrides the built-in one.

A province may use 项 the national list lacks, and the built-in lists are not
complete (see data/SOURCES.md), so users must be able to extend them.  The
file is what a finance officer can make in Excel: a header row with ``code``
and ``name`` (or 科目编码 and 科目名称), saved as UTF-8 or GBK.  An optional
``kind`` column (func/econ, 功能/经济) says which list a row belongs to;
without it the first digit decides (2 = 功能分类, 3 = 经济分类).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from juesuan.model.findings import Location
from juesuan.readers.errors import InputError
from juesuan.refdata.codelists import LEVEL_BY_LENGTH, CodeEntry, Kind, parent_code

_CODE_COLUMNS = ("code", "科目编码", "编码", "科目代码")
_NAME_COLUMNS = ("name", "科目名称", "名称")
_KIND_COLUMNS = ("kind", "分类", "类别")
_KIND_WORDS = {"func": "func", "功能": "func", "功能分类": "func", "支出功能分类": "func",
               "econ": "econ", "经济": "econ", "经济分类": "econ", "经济分类科目": "econ"}
_LENGTHS = {"func": (3, 5, 7), "econ": (3, 5)}  # 类 款 项 / 类 款


def file_key(path: Path) -> tuple[str, int, int]:
    """Cache key of a user file: path, modification time and size (0, 0 if absent).

    Including the time means an edited file is read again in a long session.
    """
    try:
        st = path.stat()
    except OSError:
        return (str(path), 0, 0)
    return (str(path), st.st_mtime_ns, st.st_size)


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError:
        raise InputError(f"找不到或无法打开自定义科目表“{path}”") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"自定义科目表“{path}”无法读取：请另存为 UTF-8 或 GBK 编码的 CSV 文件")


def _pick(header: list[str], names: tuple[str, ...]) -> str | None:
    for col in header:
        if col.strip().lower() in names:
            return col
    return None


def _row_kind(code: str, raw_kind: str) -> str | None:
    if raw_kind.strip():
        return _KIND_WORDS.get(raw_kind.strip().lower())
    return {"2": "func", "3": "econ"}.get(code[:1])


def _check_row(code: str, name: str, kind: str | None) -> str | None:
    """The problem with one row, in Chinese, or None."""
    if not code:
        return "科目编码为空"
    if not code.isdigit():
        return f"科目编码“{code}”应全部为数字"
    if kind is None:
        return f"无法判断科目编码“{code}”属于功能分类还是经济分类（请填写 kind 列：func 或 econ）"
    if len(code) not in _LENGTHS[kind]:
        allowed = "3、5 或 7" if kind == "func" else "3 或 5"
        return f"{'功能' if kind == 'func' else '经济'}分类科目编码“{code}”应为 {allowed} 位数字"
    if not name:
        return f"科目编码“{code}”的名称为空"
    return None


def read_user_list(path: Path, kind: Kind) -> dict[str, CodeEntry]:
    """The entries of ``kind`` in a user's CSV; every problem found raises together."""
    reader = csv.DictReader(io.StringIO(_decode(path)))
    header = reader.fieldnames or []
    code_col, name_col = _pick(header, _CODE_COLUMNS), _pick(header, _NAME_COLUMNS)
    if code_col is None or name_col is None:
        missing = "code（科目编码）" if code_col is None else "name（科目名称）"
        raise InputError(f"自定义科目表“{path}”第 1 行（表头）缺少 {missing} 列",
                         problems=[(f"缺少 {missing} 列", Location(file=str(path), line=1))])
    kind_col = _pick(header, _KIND_COLUMNS)
    entries: dict[str, CodeEntry] = {}
    problems: list[tuple[str, Location]] = []
    for line, row in enumerate(reader, start=2):
        code = (row.get(code_col) or "").strip().replace(" ", "")
        name = (row.get(name_col) or "").strip()
        if not code and not name:
            continue  # blank line left by a spreadsheet
        row_kind = _row_kind(code, (row.get(kind_col) or "") if kind_col else "")
        problem = _check_row(code, name, row_kind)
        if problem:
            problems.append((problem, Location(file=str(path), line=line)))
        elif row_kind == kind:
            entries[code] = CodeEntry(code, name, LEVEL_BY_LENGTH[len(code)], parent_code(code),
                                      f"U:{path.name}")
    if problems:
        first, loc = problems[0]
        more = f"（另有 {len(problems) - 1} 处错误）" if len(problems) > 1 else ""
        raise InputError(f"自定义科目表“{path}”第 {loc.line} 行：{first}{more}", problems=problems)
    return entries
