"""One document's audit: extraction, the dataset rules on the recovered data, the narrative checks.

The dataset rules (``juesuan.rules.engine.run_rules``) check the table
identities of the recovered dataset; their findings point at page/line
through the extraction's Provenance.  Rules whose inputs the document does
not print (the basic/project split of each 项 when there are no tables …)
are skipped, and said so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from juesuan.audit.model import Extraction, Skipped
from juesuan.model.findings import Finding, Location, Severity
from juesuan.readers.errors import InputError

__all__ = ["DocAudit", "audit_document", "audit_extraction"]


@dataclass
class DocAudit:
    path: str
    kind: str | None = None  # 部门决算, 单位决算, 部门预算 … (audit.kind)
    kind_reason: str | None = None
    profile: str | None = None
    profile_score: float | None = None
    profile_basis: str | None = None
    year: int | None = None
    department: str | None = None
    findings: list[Finding] = field(default_factory=list)
    run: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    error: str | None = None  # the input could not be used (exit 2)
    claims: int = 0  # sentences read with the profile's patterns
    claims_generic: int = 0  # sentences read by the generic reader (audit.generic)
    tables: list[str] = field(default_factory=list)  # standard tables recognised (ids)
    tables_uncertain: list[str] = field(default_factory=list)  # read, but not adding up: not used
    lines: list[tuple[int | None, int, str]] = field(default_factory=list)  # (page, line, text) for HTML
    source_kind: str | None = None  # text | docx | pdf | html: how locations read to a reviewer
    boxes: dict[tuple[int, int], tuple] = field(default_factory=dict)  # PDF (page, line) → (words, baseline)
    dataset: object | None = None  # the recovered Dataset (juesuan extract's), when it could be formed
    provenance: object | None = None  # where each of its figures is printed (page and line)

    @property
    def has_errors(self) -> bool:
        return any(f.severity.value == "error" for f in self.findings)


# rules that need figures only the standard tables print
_NEEDS_TABLES = {
    "identity.basic_econ": "各项支出的基本/项目划分只在公开表中，文档未附公开表",
    "identity.project_econ": "各项支出的基本/项目划分只在公开表中，文档未附公开表",
    "identity.line_funds": "各项支出的资金来源只在公开表中，文档未附公开表",
    "perf.summary_figures": "项目支出按科目的划分只在公开表中，文档未附公开表",
    "hierarchy.function": "类、款合计只在公开表中，文档未附公开表",
    "stated.": "公开表中的合计数未读取",
}
_COVERED = ("year.",)  # narrative.year reports the same, located at the sentence


def audit_document(path: str | Path, profile: str | None = None, select: tuple[str, ...] = (),
                   skip: tuple[str, ...] = (), time_limit: float | None = None) -> DocAudit:
    """Audit one file within its time limit (``time_limit`` seconds; default ``JUESUAN_AUDIT_TIME_LIMIT``
    or 120 s; 0: none): past it the document is unusable (``error`` set), with no partial findings."""
    from juesuan.audit.deadline import TimeLimitExceeded
    from juesuan.audit.deadline import time_limit as limit

    try:
        with limit(time_limit):
            return _audit_document(path, profile, select, skip)
    except TimeLimitExceeded as exc:
        out = DocAudit(str(path))
        out.error = exc.message
        return out


def _audit_document(path: str | Path, profile: str | None, select: tuple[str, ...],
                    skip: tuple[str, ...]) -> DocAudit:
    """Audit one file; unusable input gives a DocAudit with ``error`` set (never raises).

    ``profile`` forces a profile (name or YAML file); ``select``/``skip`` keep or drop
    rules by id prefix, as ``juesuan check`` does.  A document that is not a
    决算 disclosure (a budget, a government's report …) is not audited: ``kind``
    says what it is and ``error`` why."""
    from juesuan.audit.document import read_document
    from juesuan.audit.extract import extract_doc
    from juesuan.audit.kind import NotAuditable

    out = DocAudit(str(path))
    try:
        doc = read_document(Path(path))
        out.lines = [(line.page, line.number, line.text) for line in doc.lines]
        out.source_kind = doc.kind
        if doc.kind == "pdf":
            out.boxes = {(line.page, line.number): (line.words, line.y) for line in doc.lines if line.words}
        ex = extract_doc(doc, profile)
    except NotAuditable as exc:
        if exc.kind.audit == "budget":  # a budget (部门预算, 单位预算): its own audit (audit.budget)
            from juesuan.audit.budget import audit_budget

            return audit_budget([doc], exc.kind, profile, select, skip)
        out.kind, out.kind_reason = exc.kind.kind, exc.kind.reason
        out.department, out.year = exc.kind.department, exc.kind.year
        out.error = exc.describe(str(path))
        return out
    except InputError as exc:
        out.error = exc.describe(str(path))  # the report names the file once, before the error
        return out
    except KeyError as exc:  # a forced profile that cannot be loaded
        out.error = str(exc.args[0]) if exc.args else "公开样式无法载入"
        return out
    out = audit_extraction(ex, out, select, skip)
    if doc.warnings:  # read with a caveat (a few bad bytes marked): said first
        from juesuan.audit.check_registry import selected
        from juesuan.audit.checks_rules import RULES

        rule = RULES["audit.bad_bytes"]
        if selected(rule.id, select, skip):
            out.findings[:0] = [Finding(rule.id, rule.severity, rule.message.format(what=msg), loc)
                                for msg, loc in doc.warnings]
    return out


def audit_extraction(ex: Extraction, out: DocAudit, select: tuple[str, ...] = (),
                     skip: tuple[str, ...] = ()) -> DocAudit:
    from juesuan.audit.checks import run_audit_checks
    from juesuan.audit.extract import to_dataset
    from juesuan.profiles import load_profile

    rec = ex.recognition
    out.profile, out.year, out.department = rec.profile, rec.year, rec.department
    out.kind, out.kind_reason = rec.kind, rec.kind_reason
    out.claims_generic = sum(1 for c in ex.claims if c.context.get("generic"))
    out.claims = len(ex.claims) - out.claims_generic
    out.tables = sorted(t for t in ex.tables if not t.startswith("se"))
    out.tables_uncertain = sorted(t for t, tbl in ex.tables.items() if tbl.uncertain)
    out.profile_score, out.profile_basis = rec.profile_score, rec.profile_basis
    profile = load_profile(rec.profile_ref or rec.profile or "national")
    findings: list[Finding] = []
    out.skipped += ex.skipped
    ds = None
    try:
        ds, prov = to_dataset(ex)
    except InputError as exc:
        out.skipped.append(Skipped("rules", f"恢复的数据无法组成数据集，表内勾稽关系未检查：{exc.message}"))
    else:
        findings += _dataset_rules(ex, ds, prov, profile, out, select, skip)
    res = run_audit_checks(ex, profile, [t for _, _, t in out.lines], ds, select, skip)
    findings += res.findings
    out.run += res.run
    out.skipped += res.skipped
    out.findings = _dedupe(findings)
    out.dataset = ds
    out.provenance = prov if ds is not None else None
    return out


def _dataset_rules(ex, ds, prov, profile, out: DocAudit, select: tuple[str, ...] = (),  # noqa: ANN001
                   user_skip: tuple[str, ...] = ()) -> list[Finding]:
    from juesuan.rules.engine import Context, Options, run_rules
    from juesuan.rules.registry import all_rules

    # the document's missing tables are reported by audit.tables_absent and the skips below
    skip: list[str] = [*_COVERED, "data.not_given"]
    trusted = {k for k, t in ex.tables.items() if t.usable}
    if not any(k.startswith("t") for k in trusted):
        for rid, why in _NEEDS_TABLES.items():
            skip.append(rid)
            out.skipped.append(Skipped(rid, why))
    balances_stated = any(m.figure == "balances.opening" for c in ex.claims
                          for m in profile.meanings.get(c.key.split("~")[0], {}).values())
    # 年初、年末结转和结余 are printed in 公开01/04表: without the table they are unknown, not 0
    if "t01" not in trusted and not balances_stated:
        skip.append("identity.balance")
        out.skipped.append(Skipped("identity.balance", "未读取到收入支出决算总表：年初、年末结转和结余未知"))
    elif "t03" not in trusted:
        # the 项 then come from the explanation's items, which list 一般公共预算财政拨款 only
        skip.append("identity.balance")
        out.skipped.append(Skipped("identity.balance", "未能可靠读取支出决算表：本年支出合计未知"))
    if "t04" not in trusted and (trusted or not balances_stated):
        skip.append("identity.appropriation_balance")
        out.skipped.append(Skipped("identity.appropriation_balance",
                                   "未读取到财政拨款收入支出决算总表：年初、年末财政拨款结转和结余未知"))
    if not ds.performance.self_evaluations:
        skip.append("perf.")
        out.skipped.append(Skipped("perf.*", "未读取到项目支出绩效自评表，自评表计分未复核"))
    from juesuan.audit.check_registry import selected
    from juesuan.audit.checks_locate import locate_findings

    ctx = Context(ds, prov, Options(select=select, skip=(*skip, *user_skip)))
    findings = locate_findings(run_rules(ctx), ds, prov)
    lacking = {rid for rid, _ in ctx.skipped}
    out.skipped += [Skipped(rid, why) for rid, why in ctx.skipped]  # computed from each rule's needs
    out.run += [r.id for r in all_rules() if r.check is not None and r.id not in lacking
                and selected(r.id, select, (*skip, *user_skip))]
    kept = []
    for f in findings:
        path = f.location.path or ""
        if f.rule.startswith(("codes.", "econ.")) and f.severity is Severity.ERROR:
            # a code read from a published table may be misread, and our lists are incomplete:
            # an unknown or misplaced code is never an error of the audit
            f = replace(f, severity=Severity.WARNING)
        if profile.baseline and f.rule == "required.field":
            # the baseline reads no template sentence for names, duties or contacts: a field
            # it did not read is not a field the document lacks
            out.skipped.append(Skipped("required.field", f"按全国基准样式审核时未从正文读取：{f.message}"))
            continue
        if profile.part("contact") is None and path.partition(".")[0] == "contact":
            continue  # this province's template has no contact part
        if f.rule in ("codes.name_mismatch", "econ.name_mismatch") and _glued_name(f):
            out.skipped.append(Skipped(f.rule, f"名称读取时与相邻的格粘连，未比较：{f.found}", f.location))
            continue
        if f.rule in ("codes.name_mismatch", "econ.name_mismatch") and _ELLIPSIS.search(f.found or ""):
            # no subject is named with an ellipsis: a template's placeholder row (“……”), or dots glued on
            out.skipped.append(Skipped(f.rule, f"名称含省略号（样表的占位行），未比较：{f.found}", f.location))
            continue
        if profile.part("overview") is not None and path == "department.units":
            out.skipped.append(Skipped("required.field", "决算单位构成表未能从文档读取", f.location))
            continue
        kept.append(f)
    if profile.part("contact") is None:
        out.skipped.append(Skipped("required.field(contact)", "该省样式没有联系方式部分"))
    return kept


_ELLIPSIS = re.compile(r"…|\.{3,}|。{3,}|·{3,}")


def _glued_name(f: Finding) -> bool:
    """A name read as the listed name with a neighbouring cell's text glued on (“购房补贴180.59合计”,
    a 类's name before its 款's): the published cell holds the listed name, our reading added
    the rest.  A real misnaming drops or changes words; it does not append another cell."""
    found, expected = (f.found or ""), (f.expected or "")
    return bool(expected) and len(found) > len(expected) and expected in found


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One fact, one finding: the same printed value at the same place is reported once
    (the most severe reading of it), whichever checks saw it."""
    seen: set[tuple] = set()
    out = []
    for f in sorted(findings, key=lambda f: (f.severity.rank, f.location.page or 0, f.location.line or 0)):
        key = (f.location.page, f.location.line, f.found)
        if f.found is not None and key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def location_key(loc: Location) -> tuple[int, int]:
    return (loc.page or 0, loc.line or 0)
