"""Scorecards from a batch of audits, in the manner of the published fiscal-transparency
indices (清华大学公共管理学院、上海财经大学《中国财政透明度报告》): a score per dimension,
a total, and a rank — per document, per organisation and per region.

Two dimensions, each 0–100:

- **完整性 completeness**: the share of what the document's profile requires that the
  document prints — its parts and numbered sections (strict profiles) or the topics of
  its explanations (the national baseline), the contact, and its standard tables.  What
  is missing is what the audit reported (``audit.missing_part``, ``audit.missing_section``,
  ``audit.topic_absent``, ``audit.missing_contact``) and the profile's tables not among
  the tables read.
- **一致性 consistency**: from the error-level findings per figure checked (the figures
  of the recovered dataset plus the sentences read): ``100 / (1 + errors per 100
  figures)`` — no error 100, one error per hundred figures 50.  Completeness findings
  do not count here.

The total is their mean; ranks are competition ranks (equal totals share a rank).
An organisation's and a region's scores are the means of their documents'.  A region
is the store's ``organisation.region`` when known, else read from the department's
name (``上海市普陀区财政局`` → 上海市普陀区; a 国家/中央 department → 中央).
Only audited 决算 documents (status ``ok``) are scored.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["DocScore", "GroupScore", "Scorecard", "read_jsonl", "read_store", "region_of", "score"]

MISSING_RULES = ("audit.missing_part", "audit.missing_section", "audit.topic_absent", "audit.missing_contact")
COMPLETENESS_RULES = (*MISSING_RULES, "audit.missing_table", "audit.tables_absent", "audit.table_not_found",
                      "audit.empty_table_statement")

_LEVEL = r"[^省市县区旗州盟局委厅办院会处部]{1,9}?"
_REGION = re.compile(rf"^((?:{_LEVEL}(?:省|自治区|特别行政区))?(?:{_LEVEL}(?:市|自治州|州|盟|地区))?"
                     rf"(?:{_LEVEL}(?:区|县|旗|市))?)")
_CENTRAL = ("国家", "中华人民共和国", "中央", "全国", "中国")


def region_of(department: str | None) -> str:
    """The administrative region a department's name starts with, or 中央, or 未识别."""
    name = (department or "").strip()
    if not name:
        return "未识别"
    if name.startswith(_CENTRAL):
        return "中央"
    m = _REGION.match(name)
    return m.group(1) if m and m.group(1) else "未识别"


@lru_cache(maxsize=32)
def required_items(profile: str) -> tuple[int, tuple[str, ...]]:
    """(number of parts/sections/topics and the contact the profile requires, its table ids)."""
    from juesuan.audit.checks_complete import _flat
    from juesuan.profiles import load_profile

    prof = load_profile(profile)
    if prof.options.completeness == "mention":
        n = sum(1 for p in prof.parts if p.kind == "explanations" for s in _flat(p.sections) if s.topic)
    else:
        n = len(prof.parts) + sum(1 for p in prof.parts for s in _flat(p.sections)
                                  if s.topic and s.topic.startswith("s") and s.topic[1:].isdigit())
        n += prof.part("contact") is not None
    return n, tuple(t.id for t in prof.tables)


@dataclass
class DocScore:
    path: str
    sha256: str | None
    department: str
    region: str
    year: int | None
    profile: str
    required: int
    missing: int
    tables_required: int
    tables_present: int
    errors: int
    warnings: int
    figures: int
    completeness: float
    consistency: float | None
    total: float
    rank: int = 0
    missing_items: list[str] = field(default_factory=list)

    @property
    def errors_per_100(self) -> float | None:
        return None if not self.figures else round(100 * self.errors / self.figures, 2)


@dataclass
class GroupScore:
    name: str
    documents: int
    years: str
    completeness: float
    consistency: float | None
    total: float
    errors: int
    figures: int
    rank: int = 0


def _doc_score(rec: dict[str, Any], region: str | None = None) -> DocScore:
    profile = rec.get("profile") or "national"
    try:
        n, tables = required_items(profile)
    except (KeyError, OSError, ValueError):  # a profile file of the user's that is not here
        n, tables = required_items("national")
    findings = rec.get("findings") or []
    missing = [f for f in findings if f.get("rule") in MISSING_RULES]
    present = len(set(rec.get("tables_read") or ()) & set(tables))
    required = n + len(tables)
    lacking = min(len(missing), n) + len(tables) - present
    completeness = 100.0 if not required else 100.0 * (required - lacking) / required
    errors = sum(1 for f in findings if f.get("severity") == "error" and f.get("rule") not in COMPLETENESS_RULES)
    figures = int(rec.get("figures") or 0)
    consistency = None if not figures else 100.0 / (1 + 100.0 * errors / figures)
    total = completeness if consistency is None else (completeness + consistency) / 2
    dept = rec.get("department") or "（部门未识别）"
    return DocScore(
        path=str(rec.get("path")), sha256=rec.get("sha256"), department=dept, region=region or region_of(dept),
        year=rec.get("year"), profile=profile, required=required, missing=lacking, tables_required=len(tables),
        tables_present=present, errors=errors, warnings=int((rec.get("counts") or rec.get("summary") or {})
                                                             .get("warning", 0)),
        figures=figures, completeness=round(completeness, 1),
        consistency=None if consistency is None else round(consistency, 1), total=round(total, 1),
        missing_items=[str(f.get("message") or f.get("rule")) for f in missing])


def _rank(items: list[Any]) -> list[Any]:
    items.sort(key=lambda x: (-x.total, getattr(x, "name", None) or getattr(x, "path", "")))
    for i, x in enumerate(items):
        x.rank = items[i - 1].rank if i and items[i - 1].total == x.total else i + 1
    return items


def _mean(values: Iterable[float | None]) -> float | None:
    vs = [v for v in values if v is not None]
    return round(sum(vs) / len(vs), 1) if vs else None


def _groups(docs: list[DocScore], key: str) -> list[GroupScore]:
    by: dict[str, list[DocScore]] = defaultdict(list)
    for d in docs:
        by[getattr(d, key)].append(d)
    out = []
    for name, ds in by.items():
        years = sorted({d.year for d in ds if d.year})
        out.append(GroupScore(name=name, documents=len(ds), years="、".join(map(str, years)),
                              completeness=_mean(d.completeness for d in ds) or 0.0,
                              consistency=_mean(d.consistency for d in ds), total=_mean(d.total for d in ds) or 0.0,
                              errors=sum(d.errors for d in ds), figures=sum(d.figures for d in ds)))
    return _rank(out)


@dataclass
class Scorecard:
    documents: list[DocScore]
    organisations: list[GroupScore]
    regions: list[GroupScore]
    not_scored: int  # records that are not audited 决算 documents (refused, failed)


def score(records: Iterable[dict[str, Any]]) -> Scorecard:
    """The scorecard of audit records (``juesuan audit --format jsonl`` lines or the store's);
    the same document twice (by sha256) is scored once, the later record winning."""
    latest: dict[str, dict[str, Any]] = {}
    not_scored = 0
    for rec in records:
        if rec.get("status", "ok" if not rec.get("error") else "failed") != "ok" or rec.get("error"):
            not_scored += 1
            continue
        latest[rec.get("sha256") or rec.get("path") or str(len(latest))] = rec
    docs = _rank([_doc_score(r, r.get("region")) for r in latest.values()])
    return Scorecard(docs, _groups(docs, "department"), _groups(docs, "region"), not_scored)


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a results file; lines that are not whole JSON objects are passed over."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict):
                yield rec


def read_store(store: Any) -> Iterator[dict[str, Any]]:  # noqa: ANN401 - juesuan.store.Store
    """The store's audits as records: the report it keeps, its hash, and the organisation's region."""
    from sqlalchemy import select

    from juesuan.batch.jobs import count_figures
    from juesuan.model.accounts import Dataset
    from juesuan.store.schema import AuditRecord, Organisation

    with store.session() as s:
        regions = dict(s.execute(select(Organisation.name, Organisation.region)).all())
        for a in s.scalars(select(AuditRecord).order_by(AuditRecord.id)):
            try:
                rec = json.loads(a.report)
            except ValueError:
                continue
            figures = 0
            if a.extracted:
                try:
                    figures = count_figures(Dataset.model_validate_json(a.extracted).model_dump(by_alias=True))
                except ValueError:
                    figures = 0
            rec.update(sha256=a.doc_hash, path=a.path, status="ok" if not a.error and a.kind in ("部门决算", "单位决算")
                       else "refused", figures=figures + int(rec.get("claims_read") or 0)
                       + int(rec.get("claims_read_generic") or 0), region=regions.get(a.department or ""))
            yield rec
