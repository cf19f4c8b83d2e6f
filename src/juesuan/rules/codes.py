"""Checks of the classification codes against the code lists of the year.

A disclosure names every row twice, by code and by name, and both are copied
by hand from last year's document or from the software.  A code that does not
exist, or a name that belongs to another code, makes the row unreadable for
anyone who compares departments or years.  The lists are in
``juesuan.refdata`` (built-in, partly from knowledge: see its SOURCES.md) plus
the user's own lists (``Options.code_lists``); because the built-in lists are
not complete, an unknown code is a warning, not an error.
"""

from __future__ import annotations

from collections.abc import Iterator

from juesuan.model.accounts import EconLine, ExpenditureLine
from juesuan.model.findings import Severity
from juesuan.readers.errors import InputError
from juesuan.refdata import CodeChange, CodeList, Kind, changes, load_code_list, same_name
from juesuan.rules.engine import Context, Reporter
from juesuan.rules.registry import rule

ECON_FIELDS = {"basic_econ": "基本支出经济分类明细", "project_econ": "项目支出经济分类明细"}
LEVEL_NAMES = {3: "类", 5: "款", 7: "项"}

Line = ExpenditureLine | EconLine


# --------------------------------------------------------------------------- helpers


def _load(ctx: Context) -> tuple[CodeList, CodeList, InputError | None]:
    """The two lists of the dataset's year, loaded once per run.

    An unusable user list must not stop the other checks: they fall back to
    the built-in lists and ``codes.user_list`` reports the problem.
    """
    cached = ctx.cache.get("refdata.lists")
    if cached is None:
        year, extra = ctx.dataset.year, ctx.options.code_lists
        try:
            cached = (load_code_list("func", year, extra), load_code_list("econ", year, extra), None)
        except InputError as exc:
            cached = (load_code_list("func", year), load_code_list("econ", year), exc)
        ctx.cache["refdata.lists"] = cached
    return cached


def _func(ctx: Context) -> CodeList:
    return _load(ctx)[0]


def _econ(ctx: Context) -> CodeList:
    return _load(ctx)[1]


def _list_label(codes: CodeList) -> str:
    """“2024年科目表”, saying so when another year's list stands in."""
    if codes.year == codes.requested_year:
        return f"{codes.year}年科目表"
    return f"{codes.year}年科目表（内置科目表无{codes.requested_year}年版本，以最接近的年度代替）"


def _func_lines(ctx: Context) -> Iterator[tuple[str, ExpenditureLine]]:
    for idx, line in enumerate(ctx.dataset.expenditure):
        yield f"expenditure[{idx}]", line


def _econ_lines(ctx: Context) -> Iterator[tuple[str, str, EconLine]]:
    for field, table in ECON_FIELDS.items():
        for idx, line in enumerate(getattr(ctx.dataset, field)):
            yield f"{field}[{idx}]", table, line


def _missing_ancestor(codes: CodeList, code: str) -> str | None:
    """The 类 or 款 code above ``code`` that the list lacks (the 类 first)."""
    for cut in (3, 5):
        if len(code) > cut and code[:cut] not in codes:
            return code[:cut]
    return None


def _old_name_change(kind: Kind, year: int, code: str, name: str) -> CodeChange | None:
    """The rename whose old name ``name`` is, if the code was renamed by ``year``."""
    for c in changes(kind, year):
        if (c.code == code and c.change == "renamed" and c.old_name
                and same_name(name, c.old_name) and not same_name(name, c.new_name)):
            return c
    return None


def _retirement(kind: Kind, year: int, code: str) -> CodeChange | None:
    return next((c for c in changes(kind, year) if c.code == code and c.change == "retired"), None)


def _added_later(kind: Kind, year: int, code: str) -> CodeChange | None:
    """A recorded addition of ``code`` after ``year`` (a code used too early)."""
    for c in changes(kind, 9999, since=year):
        if c.code == code and c.change == "added":
            return c
    return None


def _unknown_hint(kind: Kind, year: int, code: str) -> str:
    """Advice for a code missing from the list: too early, or to be checked or added."""
    for cut in dict.fromkeys(n for n in (len(code), 5, 3) if n <= len(code)):
        added = _added_later(kind, year, code[:cut])
        if added is not None:
            return f"科目 {added.code} 自{added.year_to}年起才设立，请核对决算年度或科目编码。"
    return "请核对编码；如确为本地区使用的科目，可用自定义科目表补充。"


def _name_hint(codes: CodeList, code: str, name: str) -> tuple[str, Severity | None]:
    """A hint when the written name is the name of a sibling code (then an error)."""
    entry = codes.get(code)
    siblings = [e for e in codes.find_by_name(name, entry.parent if entry else None)
                if e.code != code]
    if not siblings:
        return "", None
    other = siblings[0]
    return (f"；该名称对应的是 {other.code}，编码可能填错", Severity.ERROR)


# --------------------------------------------------------------------------- rules


@rule(
    "codes.user_list",
    Severity.ERROR,
    "自定义科目表无法使用",
    "自定义科目表无法使用，本次按内置科目表检查：{error}",
    "用户提供的科目表（--code-list）读取失败时报告；其余科目检查改用内置科目表。",
    ("codes", "input"),
)
def user_list(ctx: Context, report: Reporter) -> None:
    error = _load(ctx)[2]
    if error is not None:
        report("", error=error.describe())


@rule(
    "codes.unknown",
    Severity.WARNING,
    "功能分类科目编码不在科目表中",
    "支出功能分类科目 {code}“{name}”不在{listed}中。{hint}",
    "支出功能分类的每个编码（类、款、项）都应在决算年度的《政府收支分类科目》中。内置科目表并不完整，"
    "故只作警告；地方增设的科目请用自定义科目表补充。",
    ("codes", "function", "t03", "t05"),
)
def unknown(ctx: Context, report: Reporter) -> None:
    codes, year = _func(ctx), ctx.dataset.year
    for path, line in _func_lines(ctx):
        if line.code in codes or _missing_ancestor(codes, line.code):
            continue  # known, or reported by codes.parent_missing
        if _retirement("func", year, line.code):
            continue  # reported by codes.retired
        report(f"{path}.code", found=line.code, code=line.code, name=line.name,
               listed=_list_label(codes), hint=_unknown_hint("func", year, line.code))


@rule(
    "codes.parent_missing",
    Severity.ERROR,
    "功能分类科目的上级科目不存在",
    "支出功能分类科目 {code}“{name}”的上级{level} {parent} 不在{listed}中，编码很可能有误。{hint}",
    "七位的项编码前五位是其款、前三位是其类，五位的款编码前三位是其类；这些上级编码必须在科目表中"
    "（数据中通常只列项，因此这里查的是科目表，而不是数据中是否列出了类、款）。",
    ("codes", "function", "hierarchy"),
)
def parent_missing(ctx: Context, report: Reporter) -> None:
    codes = _func(ctx)
    for path, line in _func_lines(ctx):
        parent = _missing_ancestor(codes, line.code)
        if parent is not None:
            report(f"{path}.code", found=line.code, code=line.code, name=line.name,
                   level=LEVEL_NAMES[len(parent)], parent=parent, listed=_list_label(codes),
                   hint=_unknown_hint("func", ctx.dataset.year, line.code))


@rule(
    "codes.name_mismatch",
    Severity.WARNING,
    "功能分类科目名称与科目表不符",
    "支出功能分类科目 {code} 写作“{found}”，{listed}中的名称为“{expected}”{hint}",
    "名称按科目表比较，忽略全角半角括号、空格和“（类）”“（款）”“（项）”后缀。名称与同一上级下另一"
    "科目的名称相同时按错误报告（编码很可能填错），否则为警告。",
    ("codes", "function", "t03", "t05"),
)
def name_mismatch(ctx: Context, report: Reporter) -> None:
    codes, year = _func(ctx), ctx.dataset.year
    for path, line in _func_lines(ctx):
        _check_name(codes, "func", year, path, line, report)


def _check_name(codes: CodeList, kind: Kind, year: int, path: str, line: Line,
                report: Reporter) -> None:
    entry = codes.get(line.code)
    if entry is None or not (line.name or "").strip() or same_name(line.name, entry.name):
        return  # no name printed is not a different name
    if _old_name_change(kind, year, line.code, line.name):
        return  # an old name: reported by codes.retired
    hint, severity = _name_hint(codes, line.code, line.name)
    report(f"{path}.name", expected=entry.name, found=line.name, severity=severity,
           code=line.code, listed=_list_label(codes), hint=hint)


@rule(
    "codes.retired",
    Severity.WARNING,
    "使用了已停用或已更名的科目",
    "{kind_label}科目 {code}“{name}”：{what}",
    "科目表每年修订：按 refdata 的 changes.csv，决算年度已停用的编码、或已更名科目的旧名称，提示改用新的编码或名称。",
    ("codes", "function", "econ"),
)
def retired(ctx: Context, report: Reporter) -> None:
    year = ctx.dataset.year
    lines = [("func", p, ln) for p, ln in _func_lines(ctx)]
    lines += [("econ", p, ln) for p, _t, ln in _econ_lines(ctx)]
    for kind, path, line in lines:
        what = _retired_text(ctx, kind, year, line)
        if what:
            report(f"{path}.code", found=line.code, code=line.code, name=line.name, what=what,
                   kind_label="支出功能分类" if kind == "func" else "经济分类")


def _retired_text(ctx: Context, kind: Kind, year: int, line: Line) -> str:
    codes = _func(ctx) if kind == "func" else _econ(ctx)
    gone = _retirement(kind, year, line.code)
    if gone is not None and line.code not in codes:
        return f"该编码自{gone.year_to}年起已停用，请改用现行科目"
    renamed = _old_name_change(kind, year, line.code, line.name)
    if renamed is not None:
        return f"“{renamed.old_name}”是旧名称，现行名称为“{renamed.new_name}”"
    return ""


@rule(
    "codes.duplicate",
    Severity.ERROR,
    "同一科目重复列出",
    "{table}中科目 {code} 出现了 {count} 次（首次出现在第 {first} 行），同一科目只应列一行",
    "支出功能分类表和经济分类明细表中，每个编码只能出现一次；重复的行会使合计重复计算。",
    ("codes", "function", "econ"),
)
def duplicate(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    tables: list[tuple[str, str, list[Line]]] = [("expenditure", "支出功能分类表", list(ds.expenditure))]
    tables += [(f, t, list(getattr(ds, f))) for f, t in ECON_FIELDS.items()]
    for field, table, lines in tables:
        seen: dict[str, list[int]] = {}
        for idx, line in enumerate(lines):
            seen.setdefault(line.code, []).append(idx)
        for code, idxs in seen.items():
            for idx in idxs[1:]:
                report(f"{field}[{idx}].code", found=code, related=(f"{field}[{idxs[0]}].code",),
                       table=table, code=code, count=len(idxs), first=idxs[0] + 1)


@rule(
    "econ.unknown",
    Severity.WARNING,
    "经济分类科目编码不在科目表中",
    "{table}：经济分类科目 {code}“{name}”不在{listed}中。{hint}",
    "基本支出、项目支出经济分类明细的每个编码都应在《部门预算支出经济分类科目》中（只作警告，理由同 codes.unknown）。",
    ("econ", "t06", "t07"),
)
def econ_unknown(ctx: Context, report: Reporter) -> None:
    codes, year = _econ(ctx), ctx.dataset.year
    for path, table, line in _econ_lines(ctx):
        if line.code in codes or _retirement("econ", year, line.code):
            continue
        report(f"{path}.code", found=line.code, table=table, code=line.code, name=line.name,
               listed=_list_label(codes), hint=_unknown_hint("econ", year, line.code))


@rule(
    "econ.name_mismatch",
    Severity.WARNING,
    "经济分类科目名称与科目表不符",
    "经济分类科目 {code} 写作“{found}”，{listed}中的名称为“{expected}”{hint}",
    "与 codes.name_mismatch 相同的比较方法（另外允许名称末尾多写或少写“支出”二字）。",
    ("econ", "t06", "t07"),
)
def econ_name_mismatch(ctx: Context, report: Reporter) -> None:
    codes, year = _econ(ctx), ctx.dataset.year
    for path, _table, line in _econ_lines(ctx):
        _check_name(codes, "econ", year, path, line, report)


@rule(
    "econ.kind",
    Severity.ERROR,
    "人员经费与公用经费划分错误",
    "{table}：经济分类科目 {code}“{name}”标为{found}，按科目应属{expected}",
    "基本支出中，工资福利支出（301）和对个人和家庭的补助（303）属于人员经费，商品和服务支出（302）和"
    "资本性支出（310）属于公用经费。划错会使人员经费、公用经费和机构运行经费都算错。",
    ("econ", "t06"),
)
def econ_kind(ctx: Context, report: Reporter) -> None:
    codes = _econ(ctx)
    for path, table, line in _econ_lines(ctx):
        entry = codes.get(line.code) or codes.get(line.code[:3])
        if line.kind is None or entry is None or not entry.kind:
            continue
        if line.kind.value != entry.kind:
            report(f"{path}.kind", expected=entry.kind, found=line.kind.value,
                   table=table, code=line.code, name=line.name)
