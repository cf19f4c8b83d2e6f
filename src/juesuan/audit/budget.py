"""The audit of a published budget (部门预算公开), one file or two read together.

After the document kind says “部门预算” or “单位预算” (``audit.kind``), the budget profile
whose table titles the document prints is chosen (``profiles/budget``; the national
baseline otherwise), the standard tables are read (``audit.budget_tables``) and checked:

- each table by itself: a 类 is the sum of its 款, a 款 of its 项, the 合计 row of its 类;
  a row's 合计 the sum of its parts where the header names them (合计 基本支出 项目支出);
  收入总计 = 支出总计 in the two-sided tables;
- the tables against each other: 支出总表's and 一般公共预算支出表's 合计 against 收支总表,
  一般公共预算基本支出表 against the basic column of 一般公共预算支出表;
- the explanations: every change against last year's budget (“比上年预算增加 d 万元，增长 p%”:
  the percentage and the two direction words), and everything else the generic reader reads
  there, checked as in the final accounts (``audit.generic_checks``): shares (“占 p%”), sums of
  parts (政府采购 = 货物 + 工程 + 服务, 公务用车购置及运行费 = 购置费 + 运行费, 基本支出 =
  人员经费 + 公用经费), 收入总计 = 支出总计, the year a clause names; the totals a sentence
  names against the table that prints them (the profile's ``meanings.figures``), and the
  “三公” parts against their total;
- completeness: the profile's required tables and the explanations' topics.

A document published as two files (the explanations and the tables, as Jiangsu's 2019
budgets are) is audited as one when both are given (``juesuan audit A B --together``):
the tables are read from whichever file prints them and every finding names its own file.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.audit.budget_tables import BTable, norm, read_budget_tables
from juesuan.audit.checks_run import DocAudit
from juesuan.audit.document import SourceDoc
from juesuan.audit.kind import DocKind
from juesuan.audit.model import Skipped
from juesuan.model.findings import Finding, Location, Severity
from juesuan.model.money import ZERO, Interval, fmt_amount, isum
from juesuan.profiles.budget_profiles import (
    BudgetProfile,
    list_budget_profiles,
    load_budget_profile,
)
from juesuan.rules.registry import declare, get_rule

__all__ = ["audit_budget", "choose_profile"]

_R = "budget_doc."
declare(f"{_R}table_sum", Severity.ERROR, "公开表中合计与所含科目之和不符",
        "{table}：{row} 的合计 {found} 与{parts}之和 {expected} 不符",
        "预算公开表：类 = 所含款之和，款 = 所含项之和，合计行 = 各类之和，一行的合计 = 各组成列之和（表头列明时）。",
        ("budget_doc", "audit"))
declare(f"{_R}table_uncertain", Severity.WARNING, "预算公开表读取不确定",
        "{table}：读取的数字不能确定，表内和表间核对未使用此表（{why}）",
        "一张表按读取结果有两处以上不相加（或每行并列多组科目）时，多半是读错了列：只报告一次，不使用其数字。",
        ("budget_doc", "audit"))
declare(f"{_R}table_balance", Severity.ERROR, "公开表收入总计与支出总计不等",
        "{table}：收入{what} {expected} 与支出{what} {found} 不相等",
        "收支总表、财政拨款收支总表：收入总计等于支出总计，本年收入合计等于本年支出合计（无结转结余时）。",
        ("budget_doc", "audit"))
declare(f"{_R}cross_table", Severity.ERROR, "两张公开表的同一数字不符",
        "{table} 的{what} {found} 与{other} {expected} 不符",
        "支出总表、一般公共预算支出表、一般公共预算基本支出表的合计与收支总表、财政拨款收支总表的对应数字一致。",
        ("budget_doc", "audit"))
declare(f"{_R}narrative_amount", Severity.ERROR, "情况说明的数字与公开表不符",
        "情况说明中的{what} {found} 与{table}的 {expected} 不符",
        "情况说明中的收支总计、本年收入合计、本年支出合计与收支总表一致（样式的 meanings.figures 声明哪句对应哪格）。",
        ("budget_doc", "audit"))
declare(f"{_R}three_public_sum", Severity.ERROR, "“三公”经费合计与各项之和不符",
        "“三公”经费预算 {found} 与因公出国（境）费、公务用车购置及运行维护费、公务接待费之和 {expected} 不符",
        "“三公”经费预算 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费（公开表或情况说明）。",
        ("budget_doc", "audit"))
declare(f"{_R}missing_table", Severity.ERROR, "缺少预算公开表",
        "未找到公开表“{table}”（{why}）",
        "样式要求的预算公开表应在文档中（无数据时也应列出空表并说明）；按全国基准审核时只作警告。",
        ("budget_doc", "audit"))
declare(f"{_R}tables_absent", Severity.INFO, "文档中没有预算公开表",
        "文档中没有预算公开表：公开表可能另文公开，可用 juesuan audit 说明文件 公开表文件 --together 一起审核",
        "一个文件只有情况说明时，公开表的核对未运行（江苏省2019年的预算把说明和公开表分两个文件公开）。",
        ("budget_doc", "audit"))
declare(f"{_R}missing_section", Severity.WARNING, "情况说明缺少该项内容",
        "情况说明中没有提到“{title}”",
        "预算情况说明应说明收支总体情况、收入、支出、财政拨款、一般公共预算、“三公”经费、机关运行经费、"
        "政府采购、国有资产占用和绩效目标。", ("budget_doc", "audit"))



def _iv(v: Decimal) -> Interval:
    return Interval.printed(v)


def _fmt(v: Decimal | Interval, unit: str = "万元", pct: bool = False) -> str:
    if isinstance(v, Interval):
        a = f"{v.lo:.2f}" if pct else fmt_amount(v.lo)
        b = f"{v.hi:.2f}" if pct else fmt_amount(v.hi)
        return (a if a == b else f"{a}–{b}") + ("%" if pct else unit)
    return (f"{v}%" if pct else fmt_amount(v, max(2, -int(v.as_tuple().exponent)) if v == v else 2) + unit)


class _Emit:
    def __init__(self, select: tuple[str, ...], skip: tuple[str, ...]) -> None:
        self.findings: list[Finding] = []
        self.select, self.skip = select, skip
        self.run: set[str] = set()
        self.suspects: list[frozenset] = []

    def wanted(self, rule: str) -> bool:
        if self.select and not any(rule.startswith(s) for s in self.select):
            return False
        return not any(rule.startswith(s) for s in self.skip)

    def __call__(self, rule: str, loc: Location, expected: str | None = None, found: str | None = None,
                 related: tuple[Location, ...] = (), suffix: str = "", suspects: frozenset = frozenset(),
                 **params: str) -> None:
        self.suspects.append(suspects)  # the rows one wrong figure there would explain this by
        if not self.wanted(rule):
            return
        r = get_rule(rule)
        msg = r.message.format(expected=expected, found=found, **params) + suffix
        self.findings.append(Finding(rule, r.severity if "severity" not in params else Severity(params["severity"]),
                                     msg, loc, expected, found, related=related))

    # the two methods ``audit.generic_checks`` reports through, as ``audit.auditor.Auditor`` has them
    def emit(self, rule: str, loc: Location, expected: Any = None, found: Any = None,
             related: tuple[Location, ...] = (), suffix: str = "", **params: Any) -> None:
        self(rule, loc, None if expected is None else str(expected), None if found is None else str(found),
             related, suffix, **params)

    def ratio(self, rule: str, printed: tuple[Decimal, Location], num: Interval, den: Interval,
              related: tuple[Location, ...], **params: Any) -> Interval | None:
        from juesuan.audit.auditor import check_ratio

        return check_ratio(self.emit, rule, printed, num, den, related, **params)


# -- profile -------------------------------------------------------------------------------
def _all_names() -> dict[str, tuple[str, ...]]:
    """Every title any budget profile knows, by table id (tables are read with all of them)."""
    names: dict[str, list[str]] = {}
    for p in list_budget_profiles():
        for t in load_budget_profile(p).tables:
            names.setdefault(t.id, [])
            names[t.id] += [norm(n) for n in t.names if norm(n) not in names[t.id]]
    return {k: tuple(v) for k, v in names.items()}


def choose_profile(tables: dict[str, BTable], forced: str | None = None) -> tuple[BudgetProfile, float, str]:
    if forced:
        p = load_budget_profile(forced)
        return p, 1.0, "按指定的样式审核"
    best: tuple[float, BudgetProfile] | None = None
    for name in list_budget_profiles():
        p = load_budget_profile(name)
        if p.baseline:
            continue
        titles = [norm(t.title) for t in p.tables]
        hits = sum(1 for t in p.tables if t.id in tables and tables[t.id].title.endswith(norm(t.title)))
        score = hits / len(titles) if titles else 0.0
        if best is None or score > best[0]:
            best = (score, p)
    if best and best[0] >= best[1].match_threshold:
        return best[1], best[0], f"文档印有该样式 {round(best[0] * 100)}% 的公开表标题"
    score = best[0] if best else 0.0
    return load_budget_profile("national"), score, "未能确认省级样式，按全国基准样式（部门预算）审核"


# -- tables --------------------------------------------------------------------------------
def _first(row) -> tuple[Decimal, Location] | None:  # noqa: ANN001 - BRow
    return row.amounts[0] if row.amounts else None


def _check_hierarchy(t: BTable, emit: _Emit) -> bool:
    """类 = Σ 款, 款 = Σ 项, 合计 = Σ 类 on each row's first amount; True when the table adds up."""
    ok = True
    coded = [r for r in t.coded() if r.amounts]
    unread = [r.key for r in t.coded() if not r.amounts]  # a row whose figures were not read: not summed
    # figures among the rows that no code could be read for: any sum of rows may miss one
    for parent in coded if not t.stray else []:
        size = {3: 5, 5: 7}.get(len(parent.key))
        if size is None or any(k.startswith(parent.key) for k in unread):
            continue
        kids = [r for r in coded if len(r.key) == size and r.key.startswith(parent.key)]
        if not kids:
            continue
        total, loc = parent.amounts[0]
        parts = [k.amounts[0] for k in kids]
        if not _iv(total).overlaps(isum([_iv(v) for v, _ in parts])):
            ok = False
            emit(f"{_R}table_sum", loc, _fmt(sum((v for v, _ in parts), ZERO), t.unit), _fmt(total, t.unit),
                 tuple(lc for _, lc in parts), table=t.title, row=f"{parent.key} {parent.name}".strip(),
                 parts="所含下级科目", suspects=frozenset([parent.key, *(k.key for k in kids)]))
    tot = t.total()
    classes = [r for r in coded if len(r.key) == 3]
    if not classes and not any(len(r.key) == 5 for r in coded):
        classes = [r for r in coded if len(r.key) == 7]  # a table of 项 alone: they add up to 合计
    # an economic table's 类 start with 3 (301, 302 …); a function table's with 2: either adds up to 合计
    if tot is not None and tot.amounts and classes and not unread and not t.stray:
        total, loc = tot.amounts[0]
        parts = [r.amounts[0] for r in classes]
        if not _iv(total).overlaps(isum([_iv(v) for v, _ in parts])):
            ok = False
            emit(f"{_R}table_sum", loc, _fmt(sum((v for v, _ in parts), ZERO), t.unit), _fmt(total, t.unit),
                 tuple(lc for _, lc in parts), table=t.title, row="合计", parts="各科目",
                 suspects=frozenset(["合计", *(r.key for r in classes)]))
    if t.parts_header():
        for r in [*coded, *([tot] if tot else [])]:
            if len(r.amounts) < 2:
                continue
            total, loc = r.amounts[0]
            parts = r.amounts[1:]
            if not _iv(total).overlaps(isum([_iv(v) for v, _ in parts])):
                ok = False
                emit(f"{_R}table_sum", loc, _fmt(sum((v for v, _ in parts), ZERO), t.unit), _fmt(total, t.unit),
                     tuple(lc for _, lc in parts), table=t.title, row=f"{r.key} {r.name}".strip(),
                     parts="各列（基本支出、项目支出等）", suspects=frozenset([r.key]))
    return ok


def _check_balance(t: BTable, emit: _Emit) -> None:
    for a, b, what in (("收入总计", "支出总计", "总计"), ("收入合计", "支出合计", "合计")):
        if a in t.pairs and b in t.pairs:
            (x, lx), (y, ly) = t.pairs[a], t.pairs[b]
            if not _iv(x).overlaps(_iv(y)):
                emit(f"{_R}table_balance", ly, _fmt(x, t.unit), _fmt(y, t.unit), (lx,), table=t.title, what=what)
    if "本年收入合计" in t.pairs and "本年支出合计" in t.pairs and "上年结转结余" not in t.pairs \
            and "年终结转结余" not in t.pairs and "收入总计" in t.pairs:
        (x, lx), (y, ly) = t.pairs["本年收入合计"], t.pairs["本年支出合计"]
        (z, _) = t.pairs["收入总计"]
        if _iv(x).overlaps(_iv(z)) and not _iv(x).overlaps(_iv(y)):
            emit(f"{_R}table_balance", ly, _fmt(x, t.unit), _fmt(y, t.unit), (lx,), table=t.title, what="本年合计")


def _same(emit: _Emit, a: tuple[Decimal, Location] | None, b: tuple[Decimal, Location] | None, unit: str,
          **params: str) -> None:
    if a is None or b is None:
        return
    if not _iv(a[0]).overlaps(_iv(b[0])):
        emit(f"{_R}cross_table", a[1], _fmt(b[0], unit), _fmt(a[0], unit), (b[1],), **params)


def _cross(tables: dict[str, BTable], trusted: set[str], emit: _Emit) -> None:
    t01 = tables.get("t01")
    if t01 is None:
        return

    def total(tid: str, col: int = 0) -> tuple[Decimal, Location] | None:
        t = tables.get(tid)
        if t is None or tid not in trusted or t.unit != t01.unit or t.other_years():
            return None
        row = t.total()
        return row.amounts[col] if row is not None and len(row.amounts) > col else None

    _same(emit, total("t03"), t01.pairs.get("本年支出合计"), t01.unit, table=tables.get("t03", t01).title,
          what="合计", other=f"{t01.title}的本年支出合计")
    general = t01.pairs.get("一般公共预算拨款收入") or t01.pairs.get("一般公共预算拨款")
    if general is not None and not t01.pairs.get("上年结转结余"):
        _same(emit, total("t07"), general, t01.unit, table=tables.get("t07", t01).title, what="合计",
              other=f"{t01.title}的一般公共预算拨款收入")
    t07, t08 = tables.get("t07"), tables.get("t08")
    if t07 is not None and t08 is not None and "t07" in trusted and "t08" in trusted and t07.unit == t08.unit:
        h = t07.header
        row = t07.total()
        if row is not None and len(row.amounts) >= 3 and 0 <= h.find("基本支出") < h.find("项目支出") \
                and not t07.other_years():
            _same(emit, total("t08") if t08.unit == t01.unit else (t08.total().amounts[0] if t08.total() and
                  t08.total().amounts else None), row.amounts[1], t08.unit, table=t08.title, what="合计",
                  other=f"{t07.title}的基本支出")


# -- explanations --------------------------------------------------------------------------
def _claims(doc: SourceDoc, tables: list[BTable], profile: BudgetProfile, topic: str = "budget") -> list:
    """The generic reader's claims of the text outside the tables, with the budget's comparison words."""
    from juesuan.audit.budget_claims import budget_claims, outside_tables
    from juesuan.audit.claims import join_lines

    out = []
    for a, b in outside_tables(doc, [t for t in tables if t.doc is doc]):
        if b > a:
            out += budget_claims(join_lines(doc, a, b - 1), topic, profile.meanings)
    return out


def _check_figures(docs: list[SourceDoc], tables: dict[str, BTable], trusted: set[str], profile: BudgetProfile,
                   emit: _Emit) -> None:
    """The totals a sentence names (``meanings.figures``) against the table cell that prints them."""
    from juesuan.audit.budget_claims import named_amounts

    for fig in profile.meanings.get("figures", ()):
        t = tables.get(fig["table"])
        if t is None or fig["table"] not in trusted:
            continue
        cell = t.first_total() if fig["cell"] == "合计" else t.pairs.get(fig["cell"])
        if cell is None:
            continue
        value, tloc = cell
        wan = value.scaleb(-4) if t.unit == "元" else value
        for doc in docs:
            for amount, _, loc in named_amounts(doc, fig["says"], [tt for tt in tables.values() if tt.doc is doc],
                                                fig.get("not_after")):
                if not _iv(amount).overlaps(_iv(wan)):
                    emit(f"{_R}narrative_amount", loc, _fmt(wan), _fmt(amount), (tloc,), what=fig["says"][0],
                         table=t.title)


def _check_three_public(docs: list[SourceDoc], tables: dict[str, BTable], emit: _Emit) -> None:
    from juesuan.audit.budget_claims import three_public_sentence

    for doc in docs:
        got = three_public_sentence(doc, [t for t in tables.values() if t.doc is doc])
        if got is None:
            continue
        (total, tloc), parts = got
        if not _iv(total).overlaps(isum([_iv(v) for v, _ in parts])):
            emit(f"{_R}three_public_sum", tloc, _fmt(sum((v for v, _ in parts), ZERO)), _fmt(total),
                 tuple(lc for _, lc in parts))


def _check_complete(docs: list[SourceDoc], tables: dict[str, BTable], profile: BudgetProfile, emit: _Emit) -> None:
    if not tables:  # the tables may be published as another file: said once, not table by table
        emit(f"{_R}tables_absent", Location(file=docs[0].path))
        return
    for spec in profile.tables:
        if spec.required and spec.id not in tables:
            loc = Location(file=docs[0].path)
            why = "该省样式要求此表" if not profile.baseline else "全国基准样式的标准表，按基准审核只作警告"
            emit(f"{_R}missing_table", loc, table=spec.title, why=why)
            if profile.baseline and emit.findings and emit.findings[-1].rule == f"{_R}missing_table":
                f = emit.findings.pop()
                emit.findings.append(Finding(f.rule, Severity.WARNING, f.message, f.location))
    text = "".join(norm(line.text) for doc in docs for line in doc.lines)
    if not any(w in text for w in ("情况说明", "预算说明", "编制说明")):
        return  # a file of tables alone: its explanations are another file
    for s in profile.sections:
        if not any(norm(w) in text for w in s.get("words", ())):
            emit(f"{_R}missing_section", Location(file=docs[0].path), title=s["title"])


# -- entry ---------------------------------------------------------------------------------
def audit_budget(docs: list[SourceDoc], kind: DocKind, profile: str | None = None, select: tuple[str, ...] = (),
                 skip: tuple[str, ...] = ()) -> DocAudit:
    """Audit one budget disclosure (one file, or its explanations and tables as two)."""
    out = DocAudit(" + ".join(d.path for d in docs), kind.kind, kind.reason)
    out.department, out.year = kind.department, kind.year
    out.lines = [(line.page, line.number, line.text) for line in docs[0].lines]
    names = _all_names()
    tables: dict[str, BTable] = {}
    for d in docs:
        for tid, t in read_budget_tables(d, names).items():
            tables.setdefault(tid, t)
    if profile and profile.removeprefix("budget/") not in list_budget_profiles() and not profile.endswith(".yaml"):
        profile = None  # a 决算 style forced for a folder of documents: budgets choose their own
    try:
        prof, score, basis = choose_profile(tables, profile.removeprefix("budget/") if profile else None)
    except KeyError as exc:
        out.error = str(exc.args[0])
        return out
    out.profile, out.profile_score, out.profile_basis = f"budget/{prof.id}", round(score, 2), basis
    if out.year is None:  # a file of tables alone: a table's title may name the year (“2019年政府采购预算表”)
        out.year = next((int(m.group(1)) for t in tables.values() if (m := re.match(r"(20\d\d)年", t.title))), None)
    emit = _Emit(select, skip)
    trusted: set[str] = set()
    for tid, t in sorted(tables.items()):
        if t.scattered:  # one cell per line: its rows are a guess, its figures used nowhere
            out.skipped.append(Skipped(f"{_R}table_sum", f"{t.title}：文本中此表每行只有一格，无法确定各数字所在的行和列，"
                                       "表内合计和跨表核对未做", t.location))
            continue
        own = _Emit(select, skip)
        _check_hierarchy(t, own)
        _check_balance(t, own)
        common = frozenset.intersection(*own.suspects) if own.suspects else frozenset()
        if len(own.findings) >= 2 and not common:
            # a table that does not add up in places no one wrong figure explains was misread
            first = own.findings[0]
            emit(f"{_R}table_uncertain", t.location, table=t.title,
                 why=f"按读取结果有 {len(own.findings)} 处不相加，例如：{first.message}")
            continue
        emit.findings += own.findings
        if not own.findings:
            trusted.add(tid)
    _cross(tables, trusted, emit)
    claims = [c for d in docs for c in _claims(d, list(tables.values()), prof)]
    from juesuan.audit.generic_checks import check_generic_claims

    check_generic_claims(claims, out.year, emit)
    _check_figures(docs, tables, trusted, prof, emit)
    _check_three_public(docs, tables, emit)
    _check_complete(docs, tables, prof, emit)
    out.claims_generic = len(claims)
    out.tables = sorted(tables)
    out.tables_uncertain = sorted(set(tables) - trusted)
    out.findings = _dedupe(emit.findings)
    out.run = sorted(r.id for r in _rules() if emit.wanted(r.id))
    return out


def _rules() -> list:
    from juesuan.audit.generic_checks import GENERIC_RULES
    from juesuan.rules.registry import all_rules

    return [r for r in all_rules() if r.id.startswith(_R) and r.check is None or r.id in GENERIC_RULES]


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out = []
    for f in sorted(findings, key=lambda f: (f.severity.rank, f.location.file or "", f.location.page or 0,
                                             f.location.line or 0)):
        key = (f.location.file, f.location.page, f.location.line, f.found, f.rule)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def read_and_audit(paths: list[Path], profile: str | None = None, select: tuple[str, ...] = (),
                   skip: tuple[str, ...] = ()) -> DocAudit:
    """Read the files, tell their kind, and audit them as one budget disclosure (never raises)."""
    from juesuan.audit.document import read_document
    from juesuan.audit.kind import classify
    from juesuan.readers.errors import InputError

    docs = []
    try:
        docs = [read_document(Path(p)) for p in paths]
    except InputError as exc:
        out = DocAudit(" + ".join(str(p) for p in paths))
        out.error = exc.describe()
        return out
    kinds = [classify(d) for d in docs]
    kind = next((k for k in kinds if k.audit == "budget"), kinds[0])
    if kind.audit != "budget":
        from juesuan.audit.kind import NotAuditable

        out = DocAudit(" + ".join(str(p) for p in paths), kind.kind, kind.reason)
        out.error = NotAuditable(kind, docs[0].path).describe()
        return out
    dept = next((k.department for k in kinds if k.department), None)
    year = next((k.year for k in kinds if k.year), None)
    kind = DocKind(kind.kind, kind.label, kind.audit, kind.reason, kind.title, kind.line, dept, year)
    return audit_budget(docs, kind, profile, select, skip)

