"""Reading the record tables (one row per line, project, indicator …) and the 文字说明 sheet."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from juesuan.readers import workbook_layout as L
from juesuan.readers.workbook_cells import cell_text, code_text, is_blank, norm, norm_label
from juesuan.readers.workbook_sheets import Header, find_header, is_empty, rows_of

if TYPE_CHECKING:
    from juesuan.readers.workbook_read import WorkbookReader

_SKIP_KEYS = {"栏次", "行次"}
_KEY_NAMES = {"code": "科目编码", "name": "名称", "project": "项目名称", "table": "表号"}


def _split_code(row: list[Any], block: dict[str, int], last: dict[str, str]) -> str:
    """类/款/项 columns to one code ("201" "06" "01" → 2010601), inheriting blank 类/款."""
    parts = {p: code_text(row[block[p]].value) if block.get(p, len(row)) < len(row) else "" for p in L.SPLIT_CODE}
    lei, kuan, xiang = parts["类"], parts["款"], parts["项"]
    if not (lei or kuan or xiang):
        return ""
    if not all(p.isdigit() for p in (lei, kuan, xiang) if p):
        return lei or kuan or xiang
    lei = lei or last.get("lei", "")
    if kuan:
        kuan = kuan if len(kuan) == 5 else lei + kuan.zfill(2)
    elif xiang:
        kuan = last.get("kuan", "")
    if xiang:
        code = xiang if len(xiang) == 7 else kuan + xiang.zfill(2)
    else:
        code = kuan or lei
    last.update(lei=code[:3], kuan=code[:5] if len(code) >= 5 else "")
    return code


def _key(row: list[Any], block: dict[str, int], table: L.Table, header: Header,
         last: dict[str, str]) -> tuple[str, Any]:
    if header.split:
        return _split_code(row, block, last), row[block["类"]] if block["类"] < len(row) else None
    j = block[table.key]
    cell = row[j] if j < len(row) else None
    if cell is None:
        return "", None
    text = code_text(cell.value) if table.key == "code" else cell_text(cell.value).strip()
    return text, cell


def _total_row(row: list[Any], block: dict[str, int], table: L.Table) -> str | None:
    """The stated-figure row key of a 合计 row ("total", "personnel" …), else None."""
    if table.table_id is None:
        return None
    for key in ("code", "name", "类"):
        j = block.get(key)
        if j is not None and j < len(row) and isinstance(row[j].value, str):
            found = L.TOTAL_ROWS.get(norm_label(row[j].value))
            if found:
                return found
    return None


def read_tables(r: WorkbookReader) -> None:
    index: dict[str, int] = {}
    for table in L.TABLES:
        title = r.sheets.get(table.name)
        if title is None:
            continue
        rows = rows_of(r.wb[title])
        if is_empty(rows):
            continue
        header = find_header(rows, table.columns, table.key)
        if header is None:
            labels = "、".join(c.label for c in table.columns if c.field)[:60]
            r.problem(f"无法识别表头：前 15 行中没有找到“{_KEY_NAMES.get(table.key, table.key)}”列"
                      f"（应有的列：{labels}）", title)
            continue
        factor = r.sheet_unit(rows, title) if table.amounts else None
        _read_rows(r, table, title, rows, header, factor, index)
    for rec, loc in r.extra_stated:
        i = len(r.data.setdefault("stated", []))
        r.data["stated"].append(rec)
        r.prov.set(f"stated[{i}].value", loc)


def _read_rows(r: WorkbookReader, table: L.Table, title: str, rows: list[list[Any]], header: Header,
               factor: Any, index: dict[str, int]) -> None:
    unique = table.key == "code" or table.records == "performance.self_evaluations"
    seen: dict[str, str] = {}
    last: dict[str, str] = {}
    cols = {c.key: c for c in table.columns}
    for block in header.blocks:
        for row in rows[header.last_row + 1:]:
            key, key_cell = _key(row, block, table, header, last)
            fields = [(cols[k], row[j]) for k, j in block.items()
                      if k in cols and j < len(row) and cols[k].field and k != table.key]
            if not key or (table.key == "code" and not key.isdigit()):
                _no_key_row(r, table, title, row, block, key, key_cell, fields, factor, header.blocks[0])
                continue
            if unique and key in seen:
                r.problem(f"“{key}”重复（已在 {seen[key]} 出现）", title, key_cell)
                continue
            seen[key] = key_cell.coordinate if key_cell is not None else ""
            if table.key == "code" and _not_given(fields):
                continue  # a 类/款 subtotal row left blank: not given (the checks use its items)
            base = _record_base(r, table, title, key, key_cell, index)
            if base is None:
                continue
            parsed = [(c.field, r.parse(cell, c.field.kind, title, factor), cell) for c, cell in fields]
            _store(r, base, parsed, title)
            _check_total(r, table, title, row, block, key, parsed, factor)
    if table.records == "expenditure":
        index.update({line["code"]: i for i, line in enumerate(r.data.get("expenditure", []))
                      if isinstance(line.get("code"), str)})
    elif table.records == "performance.self_evaluations":
        index.update({f"@{ev['name']}": i for i, ev in enumerate(
            r.data.get("performance", {}).get("self_evaluations", []))})


def _not_given(fields: list[Any]) -> bool:
    """Whether a coded row states nothing but its name: every amount (and text) cell blank."""
    cells = [cell for col, cell in fields if col.key != "name"]
    return bool(cells) and all(cell.value is None or cell.value == "" for cell in cells)


def _no_key_row(r: WorkbookReader, table: L.Table, title: str, row: list[Any], block: dict[str, int],
                key: str, key_cell: Any, fields: list[Any], factor: Any, first: dict[str, int]) -> None:
    """A row without a usable key: a 合计 row (kept as stated figures), a note, or an error.

    A 合计 label in the first block makes the row a total in every side-by-side block."""
    total = _total_row(row, block, table) or (not key and _total_row(row, first, table))
    if total:
        for col, cell in fields:
            if col.field.kind is L.Kind.AMOUNT:
                value = r.parse(cell, L.Kind.AMOUNT, title, factor)
                if value is not None:
                    r.extra_stated.append(({"table": table.table_id, "row": total, "column": col.key,
                                            "value": value}, r.loc(title, cell)))
        _total_column(r, table, title, row, block, total, factor)
        return
    if norm(key) in _SKIP_KEYS:
        return
    text_kinds = (L.Kind.TEXT, L.Kind.OPT_TEXT)
    data = [cell for col, cell in fields if not is_blank(cell.value)
            and (table.key != "code" or col.field.kind not in text_kinds)]
    if not data:
        return
    if key:
        r.problem(f"科目编码“{key}”应为数字", title, key_cell)
    else:
        r.problem(f"该行有数据但缺少{_KEY_NAMES.get(table.key, table.key)}", title, key_cell or data[0])


def _total_column(r: WorkbookReader, table: L.Table, title: str, row: list[Any], block: dict[str, int],
                  total: str, factor: Any) -> None:
    j = block.get("total")
    if j is None or j >= len(row):
        return
    value = r.parse(row[j], L.Kind.AMOUNT, title, factor)
    if value is not None:
        r.extra_stated.append(({"table": table.table_id, "row": total, "column": "total", "value": value},
                               r.loc(title, row[j])))


def _check_total(r: WorkbookReader, table: L.Table, title: str, row: list[Any], block: dict[str, int],
                 key: str, parsed: list[Any], factor: Any) -> None:
    """A row's stated 合计 cell that differs from the sum of its columns becomes a stated figure."""
    j = block.get("total")
    if j is None or j >= len(row) or table.table_id is None or is_blank(row[j].value):
        return
    value = r.parse(row[j], L.Kind.AMOUNT, title, factor)
    parts = [v for f, v, _ in parsed if f.kind is L.Kind.AMOUNT and v is not None]
    if value is not None and value != sum(parts, Decimal(0)):
        # the stated 合计 disagrees: when a part was left blank, that blank is the likely fault,
        # so the finding points at it rather than at the (probably right) total beside it
        blank = next((cell for f, v, cell in parsed if f.kind is L.Kind.AMOUNT and v is None), None)
        r.extra_stated.append(({"table": table.table_id, "row": key, "column": "total", "value": value},
                               r.loc(title, blank if blank is not None else row[j])))


def _record_base(r: WorkbookReader, table: L.Table, title: str, key: str, key_cell: Any,
                 index: dict[str, int]) -> tuple[dict[str, Any], str] | None:
    """The record dict a row fills and its model path (a new record or a joined one)."""
    if table.records == "@expenditure":
        i = index.get(key)
        if i is None:
            r.problem(f"科目编码“{key}”不在“支出决算表”中", title, key_cell)
            return None
        return r.data["expenditure"][i], f"expenditure[{i}]"
    if table.records == "@self_evaluations":
        i = index.get(f"@{key}")
        if i is None:
            r.problem(f"项目“{key}”不在“绩效自评”表中", title, key_cell)
            return None
        ev = r.data["performance"]["self_evaluations"][i]
        inds = ev.setdefault("indicators", [])
        inds.append({})
        return inds[-1], f"performance.self_evaluations[{i}].indicators[{len(inds) - 1}]"
    parts = table.records.split(".")
    node = r.data
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    records = node.setdefault(parts[-1], [])
    records.append({})
    path = f"{table.records}[{len(records) - 1}]"
    key_field = next(c.field for c in table.columns if c.key == table.key)
    if key_field is not None:
        records[-1][key_field.path] = key_field.key_of(key) if key_field.names else key
        r.prov.set(f"{path}.{key_field.path}", r.loc(title, key_cell))
    r.prov.set(path, r.loc(title, key_cell))
    return records[-1], path


def _store(r: WorkbookReader, base: tuple[dict[str, Any], str], parsed: list[Any], title: str) -> None:
    record, path = base
    where = {id(f): cell for f, _, cell in parsed}
    from juesuan.readers.workbook_read import set_path

    for f, v in r.fill([(f, v) for f, v, _ in parsed]):
        set_path(record, f.path, f.key_of(v) if f.names and isinstance(v, str) else v)
        r.prov.set(f"{path}.{f.path}", r.loc(title, where[id(f)]))


# --- 文字说明 -----------------------------------------------------------------------------

def _text_paths() -> dict[str, str]:
    out = {norm_label(label): path for path, (label, _) in L.TEXT_FIELDS.items()}
    for key, label in L.REASON_LABELS.items():
        out[norm_label(label)] = f"reasons.{key}"
        out[norm_label(label.removeprefix("变动原因："))] = f"reasons.{key}"
    return out


def read_texts(r: WorkbookReader) -> None:
    title = r.sheets.get(L.TEXTS_SHEET)
    if title is None:
        return
    rows = rows_of(r.wb[title])
    if is_empty(rows):
        return
    header = find_header(rows, L.TEXT_COLUMNS, "label")
    if header is None or "text" not in header.blocks[0]:
        r.problem("无法识别表头：应有“项目”“内容”两列", title)
        return
    block = header.blocks[0]
    by_label = _text_paths()
    scalars: dict[str, str] = {}
    for row in rows[header.last_row + 1:]:
        cells = {k: row[j] if j < len(row) else None for k, j in block.items()}
        label_cell, key_cell, text_cell = cells.get("label"), cells.get("key"), cells["text"]
        key = cell_text(key_cell.value).strip() if key_cell is not None else ""
        label = cell_text(label_cell.value).strip() if label_cell is not None else ""
        if text_cell is None or is_blank(text_cell.value) and not cell_text(text_cell.value):
            continue
        path = key or by_label.get(norm_label(label), "") or _prefixed_path(label)
        if not _valid_text_path(path):
            r.problem(f"不认识的说明项“{key or label}”", title, key_cell if key else label_cell)
            continue
        text = cell_text(text_cell.value)
        where = r.loc(title, text_cell)
        is_list = L.TEXT_FIELDS.get(path, ("", False))[1]
        if is_list:
            from juesuan.readers.workbook_read import set_path

            items = _get(r.data, path)
            if items is None:
                items = []
                set_path(r.data, path, items)
            r.prov.set(f"{path}[{len(items)}]", where)
            items.append(text)
            continue
        if path in scalars:
            r.problem(f"说明项“{label or key}”重复（已在 {scalars[path]} 填写）", title, text_cell)
            continue
        scalars[path] = text_cell.coordinate
        dict_path = _dict_path(path)
        if dict_path:
            value: Any = text
            if L.DICT_FIELDS[dict_path][1] is L.Kind.COUNT:
                value = r.parse(text_cell, L.Kind.COUNT, title, None)
                if value is None:
                    continue
            node = r.data
            for p in dict_path.split("."):
                node = node.setdefault(p, {})
            node[path[len(dict_path) + 1:]] = value
        else:
            from juesuan.readers.workbook_read import set_path

            set_path(r.data, path, text)
        r.prov.set(path, where)


def _prefixed_path(label: str) -> str:
    """“变动原因：custom_key” → reasons.custom_key (a keyed entry named by its prefix)."""
    head, sep, rest = label.replace(":", "：").partition("：")
    if not sep or not rest.strip():
        return ""
    return next((f"{path}.{rest.strip()}" for path, (prefix, _) in L.DICT_FIELDS.items()
                 if norm(prefix) == norm(head)), "")


def _dict_path(path: str) -> str | None:
    """The dict field a "reasons.key"-style path belongs to, or None."""
    for d in L.DICT_FIELDS:
        if path.startswith(d + ".") and len(path) > len(d) + 1:
            return d
    return None


def _valid_text_path(path: str) -> bool:
    return path in L.TEXT_FIELDS or _dict_path(path) is not None


def _get(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for p in path.split("."):
        if not isinstance(node, dict) or p not in node:
            return None
        node = node[p]
    return node
