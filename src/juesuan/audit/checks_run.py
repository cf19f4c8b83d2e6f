"""One document's audit: extraction, the dataset rules on the recovered data, the narrative checks.

The dataset rules (``juesuan.rules.engine.run_rules``) check the table
identities of the recovered dataset; their findings point at page/line
through the extraction's Provenance.  Rules whose inputs the document does
not print (the basic/project split of each 项 when there are no tables …)
are skipped, and said so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from juesuan.audit.model import Extraction, Skipped
from juesuan.model.findings import Finding, Location
from juesuan.readers.errors import InputError

__all__ = ["DocAudit", "audit_document", "audit_extraction"]


@dataclass
class DocAudit:
    path: str
    profile: str | None = None
    year: int | None = None
    department: str | None = None
    findings: list[Finding] = field(default_factory=list)
    run: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    error: str | None = None  # the input could not be used (exit 2)
    lines: list[tuple[int | None, int, str]] = field(default_factory=list)  # (page, line, text) for HTML

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


def audit_document(path: str | Path) -> DocAudit:
    """Audit one file; unusable input gives a DocAudit with ``error`` set (never raises)."""
    from juesuan.audit.document import read_document
    from juesuan.audit.extract import extract_doc

    out = DocAudit(str(path))
    try:
        doc = read_document(Path(path))
        out.lines = [(line.page, line.number, line.text) for line in doc.lines]
        ex = extract_doc(doc)
    except InputError as exc:
        out.error = exc.describe()
        return out
    return audit_extraction(ex, out)


def audit_extraction(ex: Extraction, out: DocAudit) -> DocAudit:
    from juesuan.audit.checks import run_audit_checks
    from juesuan.audit.extract import to_dataset
    from juesuan.profiles import load_profile

    rec = ex.recognition
    out.profile, out.year, out.department = rec.profile, rec.year, rec.department
    profile = load_profile(rec.profile or "neimenggu-2023")
    findings: list[Finding] = []
    out.skipped += ex.skipped
    ds = None
    try:
        ds, prov = to_dataset(ex)
    except InputError as exc:
        out.skipped.append(Skipped("rules", f"恢复的数据无法组成数据集，表内勾稽关系未检查：{exc.message}"))
    else:
        findings += _dataset_rules(ex, ds, prov, profile, out)
    res = run_audit_checks(ex, profile, [t for _, _, t in out.lines], ds)
    findings += res.findings
    out.run += res.run
    out.skipped += res.skipped
    out.findings = _dedupe(findings)
    return out


def _dataset_rules(ex, ds, prov, profile, out: DocAudit) -> list[Finding]:  # noqa: ANN001
    from juesuan.rules.engine import Context, Options, run_rules
    from juesuan.rules.registry import all_rules

    # the document's missing tables are reported by audit.tables_absent and the skips below
    skip: list[str] = [*_COVERED, "data.not_given"]
    if not any(k.startswith("t") for k in ex.tables):
        for rid, why in _NEEDS_TABLES.items():
            skip.append(rid)
            out.skipped.append(Skipped(rid, why))
        if not any(c.key.startswith("s1.opening") for c in ex.claims):
            for rid in ("identity.balance", "identity.appropriation_balance"):
                skip.append(rid)
                out.skipped.append(Skipped(rid, "年初、年末结转和结余只在公开表中，文档未附公开表"))
    if not ds.performance.self_evaluations:
        skip.append("perf.")
        out.skipped.append(Skipped("perf.*", "未读取到项目支出绩效自评表，自评表计分未复核"))
    from juesuan.audit.checks_locate import locate_findings

    findings = locate_findings(run_rules(Context(ds, prov, Options(skip=tuple(skip)))), ds, prov)
    out.run += [r.id for r in all_rules() if r.check is not None and not any(r.id.startswith(s) for s in skip)]
    kept = []
    for f in findings:
        path = f.location.path or ""
        if profile.part("contact") is None and path.startswith("contact."):
            continue  # this province's template has no contact part
        if profile.part("overview") is not None and path == "department.units":
            out.skipped.append(Skipped("required.field", "决算单位构成表未能从文档读取", f.location))
            continue
        kept.append(f)
    if profile.part("contact") is None:
        out.skipped.append(Skipped("required.field(contact)", "该省样式没有联系方式部分"))
    return kept


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out = []
    for f in sorted(findings, key=lambda f: (f.severity.rank, f.location.page or 0, f.location.line or 0)):
        key = (f.location.page, f.location.line, f.found, f.expected)
        if f.found is not None and key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def location_key(loc: Location) -> tuple[int, int]:
    return (loc.page or 0, loc.line or 0)
