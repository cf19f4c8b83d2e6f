"""The audit: the narrative agrees with itself, with the tables, and the document is complete.

Every comparison is rounding-aware: a printed figure stands for the interval
its precision allows, ratios are computed on those intervals (so a share the
writer computed from yuan is accepted whenever it can be right), and only a
printed value outside the computed interval is reported.  A check whose
figures were not found is recorded as skipped, with the reason.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Any

from juesuan.audit.auditor import Auditor, AuditResult, _fmt, iv, val
from juesuan.audit.changes import check_changes
from juesuan.audit.check_registry import AuditCheck, run_registered
from juesuan.audit.checks_complete import ROW_META as _ROW_META
from juesuan.audit.checks_complete import check_completeness
from juesuan.audit.checks_roles import (
    check_appropriation,
    check_assets,
    check_performance,
    check_three_public_counts,
    check_truncated,
    first_with_role,
    has_role,
)
from juesuan.audit.declared import check_amounts, check_last_year_sums, figures_of, meanings_of
from juesuan.audit.declared import check_declared as check_declared_ratios
from juesuan.audit.generic_checks import GENERIC_RULES, check_generic_claims
from juesuan.audit.model import Claim, Extraction
from juesuan.model.findings import Provenance
from juesuan.model.money import HUNDRED, ZERO, Interval, isum
from juesuan.profiles import Profile

__all__ = ["AuditResult", "run_audit_checks"]


# --- the checks ----------------------------------------------------------------------------


def check_general(a: Auditor) -> None:
    """Each 类 (role class_vs_items) against its 项 (role class_item): its 决算数 is their sum, and
    its difference from the 年初预算 is its 决算数 less their budgets, with the right word."""
    classes = [c for c in a.ex.claims if has_role(a, c, "class_vs_items")]
    items = [c for c in a.ex.claims if has_role(a, c, "class_item")]
    for cl in classes:
        mine = [c for c in items if c.context.get("class_n") == cl.context.get("class_n")]
        if not mine:
            a.skip("narrative.budget_diff", f"未找到“{cl.values['name']}”类下的各项", cl.location)
            continue
        a.sum_check(f"{cl.values['name']}类决算数", val(cl, "amount"), [val(c, "actual") for c in mine])
        _budget_diff(a, cl, mine)
    _vs_budget_words(a)


def _budget_diff(a: Auditor, cl: Claim, mine: list[Claim]) -> None:
    budget = isum([iv(c.values["budget"]) for c in mine])
    expected = iv(cl.values["amount"]) - budget
    printed = cl.values["diff"] * cl.values["dir"]
    if iv(printed).overlaps(expected):
        return
    exact = cl.values["amount"] - sum((c.values["budget"] for c in mine), ZERO)
    if printed != 0 and iv(-printed).overlaps(expected):
        a.emit("narrative.direction", cl.locations["dir"], what=f"{cl.values['name']}类",
               message=f"与年初预算相比写“{'增加' if printed > 0 else '减少'}”，实际为{'增加' if exact > 0 else '减少'}")
        return
    a.emit("narrative.budget_diff", cl.locations["diff"], _fmt(abs(exact)), _fmt(cl.values["diff"]),
           tuple(c.locations["budget"] for c in mine), what=f"{cl.values['name']}类",
           word="增加" if cl.values["dir"] > 0 else "减少",
           budget=_fmt(sum((c.values["budget"] for c in mine), ZERO)),
           exp_word="增加" if exact >= 0 else "减少")


def _vs_budget_words(a: Auditor) -> None:
    """“决算数大于/小于预算数” (role vs_budget_word) against the budget and actual of its subject."""
    for c in a.ex.claims:
        slot = has_role(a, c, "vs_budget_word")
        sv = c.context.get("subject_values") or {}
        if not slot or "budget" not in sv or "actual" not in sv:
            continue
        d = iv(sv["actual"]) - iv(sv["budget"])
        s = c.values[slot]
        if (s > 0 and d.hi <= 0) or (s < 0 and d.lo >= 0):
            a.emit("narrative.direction", c.locations[slot], what="决算数与预算数的比较",
                   message=f"写为“{'大于' if s > 0 else '小于'}”，而决算数 {_fmt(sv['actual'])}、预算数 {_fmt(sv['budget'])}")


def check_declared(a: Auditor) -> None:
    """The walk over the profile's declarations (audit/declared.py, audit/changes.py): every
    figure read twice, every share, rate, total and change; last year's totals."""
    f = figures_of(a)
    if not any(k.startswith("t") for k in a.ex.tables) or getattr(a, "dataset", None) is None:
        a.skip("narrative.amount(tables)", "文档没有可读取的公开表，说明中的数字未与表核对")
    check_amounts(a, f)
    check_declared_ratios(a, f)
    last = check_changes(a, f)
    check_last_year_sums(a, f, last)


def check_operating_cost(a: Auditor) -> None:
    """机构运行经费 against the 公用经费 of basic expenditure (DOMAIN §3)."""
    f = figures_of(a)
    cost, public = f.narrative.get("operating_cost.amount"), f.narrative.get("basic.public")
    if not cost or not public:
        return
    got, ref = iv(cost[0].value), iv(public[0].value)
    # 机关运行经费 is the 公用经费 of the administrative (and 参公) units only: with 事业单位 in
    # the department it is a part of the 公用经费, not all of it
    wrong = got.lo > ref.hi if _has_public_institutions(a) else not got.overlaps(ref)
    if wrong:
        a.emit("narrative.amount", cost[0].location, _fmt(public[0].value), _fmt(cost[0].value),
               (public[0].location,), what="机构运行经费", other="基本支出中的公用经费")


def _has_public_institutions(a: Auditor) -> bool:
    """Whether the department includes 事业单位 (its overview or units name one)."""
    rec = a.ex.recognition
    lines = getattr(a, "doc_lines", None) or []
    span = rec.parts.get("overview")
    text = "".join(lines[span.start:span.end]) if span else "".join(lines[:200])
    text = re.sub(r"\s+", "", text)
    for x in ("参照公务员法管理的事业单位", "参公事业单位", "参公管理事业单位"):
        text = text.replace(x, "")
    return "事业单位" in text


def check_procurement(a: Auditor) -> None:
    """The SME awards (role sme_award) within the procurement total, and each category's SME
    share (role sme_of_category, ``of`` the category's figure) within the bounds the printed
    figures allow: the award of a category is not printed, it lies between what the other
    categories cannot absorb and the smaller of the category and the SME total."""
    f = figures_of(a)
    totals = f.narrative.get("procurement.total")
    if not totals:
        a.skip("narrative.procurement", "未找到政府采购支出总额的句子")
        return
    total = totals[0]
    s = first_with_role(a, "sme_award")
    if s is None:
        return
    slot = has_role(a, s, "sme_award")
    if slot != "sme":
        _reserved_awards(a, s, total)
        return
    cats = {k: (m, f.ref(s, m.of)) for k, m in meanings_of(s, a.profile).items()
            if m.role == "sme_of_category" and m.of and isinstance(s.values.get(k), Decimal)}
    if not cats or any(r is None for _, r in cats.values()):
        return
    sme = iv(s.values[slot])
    for k, (m, ref) in cats.items():
        assert ref is not None
        cat = iv(ref[0])
        others = isum([iv(r[0]) for kk, (_, r) in cats.items() if kk != k and r is not None])
        lo, hi = max(ZERO, sme.lo - others.hi), min(cat.hi, sme.hi)
        if lo > hi:
            continue
        q = Interval(lo, hi) / cat
        printed = s.values[k]
        if q is None:
            continue
        q = q.scale(HUNDRED)
        if not iv(printed).overlaps(q):
            hint = ""
            alt = cat / iv(total.value)
            if alt is not None and iv(printed).overlaps(alt.scale(HUNDRED)):
                hint = f"（{_fmt(printed, True)} 恰是{m.what}支出占采购总额的比例，分子分母用错了）"
            a.emit("narrative.share", s.locations[k], _fmt(q, True), _fmt(printed, True),
                   (ref[1], s.locations[slot]), what=f"{m.what}采购授予中小企业合同金额",
                   part=f"{m.what}授予中小企业金额", whole=f"{m.what}支出 {_fmt(ref[0])}", hint=hint)


def _reserved_awards(a: Auditor, s: Claim, total: Any) -> None:
    """Shanghai: the awards of the reserved and of the other projects add to at most the total."""
    v = s.values
    awarded = iv(v["sme_reserved_awarded"]) + iv(v["sme_other_awarded"])
    if awarded.lo > iv(total.value).hi:
        a.emit("narrative.sum", s.locations["sme_other_awarded"], _fmt(total.value),
               _fmt(v["sme_reserved_awarded"] + v["sme_other_awarded"]), (total.location,),
               what="授予中小企业的采购金额（不应超过采购总额）")


def check_year_and_department(a: Auditor) -> None:
    year = a.ex.recognition.year
    if year is None:
        a.skip("narrative.year", "未识别决算年度")
        return
    for c in a.ex.claims:
        for slot, value in c.values.items():
            if slot not in ("year", "year2", "year3", "last_year") or not isinstance(value, int):
                continue
            want = year - 1 if slot == "last_year" else year
            if value != want:
                a.emit("narrative.year", c.locations[slot], want, value)
    names = [(c.values["dept"], c.locations["dept"]) for c in a.ex.claims if isinstance(c.values.get("dept"), str)]
    if not names:
        return
    common = Counter(n for n, _ in names).most_common(1)[0][0]
    for n, loc in names:
        if n != common and not (n in common or common in n):
            a.emit("narrative.department", loc, common, n)


def check_vs_tables(a: Auditor) -> None:
    """What the narrative lists against the tables (its amounts are declared figures)."""
    ds = getattr(a, "dataset", None)
    if not any(k.startswith("t") for k in a.ex.tables) or ds is None:
        return
    _items_vs_table(a, ds)


def _items_vs_table(a: Auditor, ds: Any) -> None:
    from juesuan.refdata.names import same_name

    if not ds.basic_econ:
        return
    for role_name, prefixes, what in (("listed_personnel", ("301", "303"), "人员经费"), ("listed_public", ("302", "310"), "公用经费")):
        s6 = first_with_role(a, role_name)
        if s6 is None:
            continue
        slot = has_role(a, s6, role_name)
        listed = s6.values[slot]
        table = [e for e in ds.basic_econ if len(e.code) == 5 and e.code[:3] in prefixes and e.amount != 0]
        missing = [e.name for e in table if not any(same_name(n, e.name) for n in listed)]
        extra = [n for n in listed if not any(same_name(n, e.name) for e in table)]
        bits = []
        if extra:
            bits.append(f"列出了表中无数的“{'、'.join(extra)}”")
        if missing:
            bits.append(f"漏列了表中有数的“{'、'.join(missing)}”")
        if bits:
            a.emit("narrative.items_vs_table", s6.locations[slot], what=f"{what}主要包括", message="，".join(bits))


# table id → the columns that add up to the row's 合计 (a row with any other column is not checked)
_ROW_PARTS: dict[str, tuple[str, ...]] = {
    "t02": ("appropriation", "superior_subsidy", "business", "operating", "affiliated", "other"),
    "t03": ("basic", "project", "to_superior", "operating", "affiliated"),
    "t04": ("general", "gov_fund", "state_capital"),
    "t05": ("basic", "project"),
}
_HALF_CENT = Decimal("0.005")


def check_tables_read(a: Auditor) -> None:
    """A table that does not add up as read is reported once, as read uncertain."""
    for tid, tbl in sorted(a.ex.tables.items()):
        if tid.startswith("se"):
            continue
        if tbl.uncertain:
            from juesuan.audit.tables_check import MISREADS, failing_cells

            if tbl.uncertain.endswith(MISREADS):  # our reading's failure, not the document's
                a.skip("audit.table_uncertain", f"“{tbl.title.strip()}”：{tbl.uncertain}，此表的数字未用于任何检查",
                       tbl.location)
                continue
            at, cells = failing_cells(tbl, tbl.uncertain)
            a.emit("audit.table_uncertain", at or tbl.location, related=(tbl.location, *cells),
                   table=tbl.title.strip(), reason=tbl.uncertain)


def check_table_rows(a: Auditor) -> None:
    """Each row of a standard table: its 合计 column is the sum of the columns after it."""
    for tid, cols in _ROW_PARTS.items():
        tbl = a.ex.tables.get(tid)
        if tbl is None or not tbl.rows or tbl.uncertain:
            continue
        for row in tbl.rows:
            total = row.get("total")
            keys = set(row) - _ROW_META - {"total"}
            if total is None or not isinstance(total.value, Decimal) or not keys or not keys <= set(cols):
                continue
            parts = [row[k] for k in cols if k in row and isinstance(row[k].value, Decimal)]
            if not parts:
                continue
            s = isum([iv(c.value) for c in parts])  # type: ignore[arg-type]
            if "code" not in row:  # a 合计 row may add rounded lines: widen by their rounding
                n = sum(1 for r in tbl.rows if "code" in r)
                s = Interval(s.lo - n * _HALF_CENT, s.hi + n * _HALF_CENT)
            if not iv(total.value).overlaps(s):
                label = row.get("code") or row.get("name")
                name = label.value if label is not None else ""
                a.emit("audit.row_total", total.location, _fmt(sum((c.value for c in parts), ZERO)),  # type: ignore[misc]
                       _fmt(total.value), tuple(c.location for c in parts), table=tbl.title.strip(), row=name)



def check_generic(a: Auditor) -> None:
    """The claims of the generic reader: each checked from its own sentence (``audit.generic_checks``)."""
    year = a.ex.recognition.year if a.ex.recognition is not None else None
    check_generic_claims(a.ex.claims, year, a)


_N = "narrative."
_RATIOS = (f"{_N}share", f"{_N}rate", f"{_N}change_pct", f"{_N}direction", f"{_N}pct_truncated", f"{_N}share_adjusted")

CHECKS: tuple[AuditCheck, ...] = (
    AuditCheck(check_generic, GENERIC_RULES, ("generic",)),
    AuditCheck(check_tables_read, ("audit.table_uncertain",), ("tables",)),
    AuditCheck(check_declared, (f"{_N}amount", f"{_N}sum", f"{_N}rate_zero_budget", *_RATIOS), ("claims",)),
    AuditCheck(check_vs_tables, (f"{_N}items_vs_table",), ("claims", "trusted_tables", "dataset")),
    AuditCheck(check_table_rows, ("audit.row_total",), ("trusted_tables",)),
    AuditCheck(check_general, (f"{_N}budget_diff", f"{_N}direction", f"{_N}sum"), ("claims",)),
    AuditCheck(check_operating_cost, (f"{_N}amount",), ("claims",)),
    AuditCheck(check_three_public_counts, ("audit.missing_counts",), ("sections",)),
    AuditCheck(check_procurement, (f"{_N}sum", f"{_N}share", f"{_N}pct_truncated"), ("claims",)),
    AuditCheck(check_assets, (f"{_N}count", f"{_N}sum"), ("claims",)),
    AuditCheck(check_performance, (f"{_N}count", f"{_N}rate", f"{_N}rate_zero_budget", f"{_N}sum",
                                   f"{_N}amount", f"{_N}pct_truncated"), ("claims",)),
    AuditCheck(check_truncated, (f"{_N}truncated",), ("claims",)),
    AuditCheck(check_appropriation, (f"{_N}appropriation_total", f"{_N}flat_with_reason"), ("claims",)),
    AuditCheck(check_year_and_department, (f"{_N}year", f"{_N}department"), ("claims",)),
    AuditCheck(check_completeness, ("audit.missing_section", "audit.missing_part", "audit.tables_absent",
                                    "audit.missing_table", "audit.empty_table_statement", "audit.missing_contact",
                                    "audit.topic_absent", "audit.table_not_found")),
)


def run_audit_checks(ex: Extraction, profile: Profile, doc_lines: list[str] | None = None,
                     dataset: Any = None, select: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> AuditResult:
    """Run every registered narrative and completeness check (``check_registry``)."""
    a = Auditor(ex, profile)
    a.doc_lines = doc_lines  # type: ignore[attr-defined]
    a.dataset = dataset  # type: ignore[attr-defined]
    run_registered(a, CHECKS, select, skip)
    return a.res


def provenance_of(ex: Extraction) -> Provenance:
    return ex.provenance
