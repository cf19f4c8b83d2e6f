"""What a document is, before anything else: a department's or a unit's 决算 or 预算, a
government's own report, or something else (issue 7, requirement 1).

The cues are data (``profiles/_document-kinds.yaml``).  The title block decides first — the
cover lines before the table of contents name the document ("国家信访局 2024 年度部门决算",
"上海市2026年市级单位预算 预算单位：上海市审计局", "北京市2022年市级决算") — and
the body decides when the title is silent (a file of tables alone): the standard
tables' and explanations' phrases of one side must clearly outnumber the other.
A document with neither is not a disclosure, and the reason says what was missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from juesuan.audit.document import SourceDoc
from juesuan.model.findings import Location
from juesuan.readers.errors import InputError

__all__ = ["DocKind", "NotAuditable", "classify", "require_final", "title_names"]


@dataclass(frozen=True)
class DocKind:
    kind: str  # 部门决算, 单位决算, 部门预算, 单位预算, 政府决算, 政府预算, 其他
    label: str  # Chinese, for messages
    audit: str  # final (audited as 决算), budget, refuse
    reason: str  # what the decision rests on, in Chinese
    title: str  # the title block as read (normalised)
    line: int | None = None  # 1-based line of the title's first line
    department: str | None = None  # as the title names it
    year: int | None = None


class NotAuditable(InputError):
    """A readable document that is not a 决算 disclosure: its kind says what it is."""

    def __init__(self, kind: DocKind, path: str) -> None:
        if kind.audit == "budget":
            msg = (f"这是{kind.label}，不是决算公开文档（{kind.reason}）："
                   "预算公开文档的审核尚未支持，未按决算审核")
        else:
            msg = f"不是部门（单位）决算公开文档，未审核：{kind.reason}"
        super().__init__(msg, Location(file=path, line=kind.line))
        self.kind = kind


def require_final(doc: SourceDoc) -> DocKind:
    """The document's kind when it is audited as a 决算; NotAuditable otherwise."""
    kind = classify(doc)
    if kind.audit != "final":
        raise NotAuditable(kind, doc.path)
    return kind


@cache
def _cues() -> dict:
    text = (resources.files("juesuan.profiles") / "_document-kinds.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _norm(text: str) -> str:
    from juesuan.audit.headings import normalise

    return normalise(text)


_TOC = re.compile(r"^(?:目录|目次)$")


def _title_block(norms: list[str], limit: int) -> tuple[str, int | None]:
    """The cover's lines: non-empty lines before the table of contents (at most ``limit``)."""
    out: list[str] = []
    first: int | None = None
    for i, n in enumerate(norms[:200]):
        if not n:
            continue
        if _TOC.match(n) or re.match(r"^第[一二三四五六七八九十]+部分", n) or len(out) >= limit:
            break
        if re.fullmatch(r"[-—–－]?\d{1,4}[-—–－]?", n):
            continue  # a page number
        if first is None:
            first = i
        out.append(n)
    return "".join(out), first


def _without(text: str, words: list[str]) -> str:
    for w in words:
        text = text.replace(w, "")
    return text


def _count(text: str, phrases: list[str]) -> int:
    return sum(text.count(p) for p in phrases)


def _kind(name: str) -> dict:
    return next(k for k in _cues()["kinds"] if k["kind"] == name)


_NAMED = (  # who publishes, in the title: “预算单位：X”, “X2026年度部门预算”, “2026年度X部门预算”
    re.compile(r"(?:预算单位|部门名称|单位名称|(?<!金额)部门)[:：](?P<dept>[^:：\d]{2,40}?)(?=$|\d|部门|单位|目录)"),
    re.compile(r"^(?P<dept>[^\d]{2,40}?)(?P<year>20\d\d)年度?(?:部门|单位)?(?:决算|预算)"),
    re.compile(r"^(?P<year>20\d\d)年度?(?P<dept>[^\d]{2,40}?)(?:部门|单位)(?:决算|预算)"),
)
# a department's or a unit's name ends with what it is (局, 厅, 委员会, 学校, (本级) …)
_ORG = re.compile(r"(?:局|厅|院|委员会|委|会|办公室|办|室|中心|学校|大学|学院|政府|部|处|所|站|馆|队|社|团|"
                  r"协会|联合会|集团|公司|医院|监狱|本级\)|[A-ZＡ-Ｚ]{1,3}局)$")
_HEADER = re.compile(r"^(?:部门|部门名称|单位名称|预算单位|编制单位)[:：](?P<dept>[^:：\d]{2,40}?)(?:单位[:：].*|金额单位.*)?$")


def _plausible(name: str | None) -> str | None:
    name = re.sub(r"^(?:关于|公开|[(（]?\d+[)）]?)", "", (name or "").strip("：:，, "))
    return name if name and _ORG.search(name) else None


def _named(title: str, norms: list[str]) -> tuple[str | None, int | None]:
    """The department (or unit) and the year the title block names; without a name there,
    the first “部门：X” of a table header (a file of tables alone)."""
    dept = None
    for regex in _NAMED:
        m = regex.search(title)
        if m and (dept := _plausible(m.group("dept"))):
            break
    if dept is None:
        for n in norms[:200]:
            m = _HEADER.match(n)
            if m and (dept := _plausible(m.group("dept"))):
                break
    year = re.search(r"(20\d\d)年", title) or next(
        (m for n in norms[:200] if (m := re.search(r"(20\d\d)年", n))), None)
    return dept, int(year.group(1)) if year else None


def _result(name: str, reason: str, title: str, line: int | None, norms: list[str]) -> DocKind:
    k = _kind(name)
    dept, year = _named(title, norms)
    return DocKind(name, k["label"], k["audit"], reason, title, line, dept, year)


def title_names(doc: SourceDoc) -> tuple[str | None, int | None]:
    """The department and year the title block names (the recogniser's fallback when the
    cover matches none of its patterns)."""
    norms = [_norm(line.text) for line in doc.lines[:400]]
    title, _ = _title_block(norms, _cues()["title_lines"])
    return _named(title, norms)


def classify(doc: SourceDoc) -> DocKind:
    """The document's kind, with the reason (never raises)."""
    cues = _cues()
    norms = [_norm(line.text) for line in doc.lines]
    title, first = _title_block(norms, cues["title_lines"])
    line_no = doc.lines[first].number if first is not None else None
    head = _without(title, cues["fund_words"])
    if any(w in head for w in cues["government"]) and not any(w in head for w in cues["department_words"]):
        side = "决算" if any(w in head for w in cues["final_words"]) else "预算"
        return _result(f"政府{side}", f"标题为“{title[:40]}”：是一级政府的{side}报告，不是部门或单位的公开文档",
                       title, line_no, norms)
    final = any(w in head for w in cues["final_words"])
    budget = any(w in head for w in cues["budget_words"])
    body = "".join(norms)
    n_final = _count(_without(body, cues["fund_words"]), cues["final_phrases"])
    n_budget = _count(_without(body, cues["fund_words"]), cues["budget_phrases"])
    if final != budget:
        side = "决算" if final else "预算"
        basis = f"标题“{title[:40]}”"
    elif max(n_final, n_budget) >= cues["min_phrases"] and (n_final >= 3 * n_budget or n_budget >= 3 * n_final):
        side = "决算" if n_final > n_budget else "预算"
        basis = f"正文中“{side}表/{side}情况说明”等用语 {max(n_final, n_budget)} 处（另一方 {min(n_final, n_budget)} 处）"
    else:
        return _result("其他", "标题和正文都没有部门（单位）决算或预算公开文档的标志"
                       f"（决算表、决算情况说明等用语 {n_final} 处，预算表等用语 {n_budget} 处）", title, line_no, norms)
    unit = any(w in title for w in cues["unit_words"])
    scope = "单位" if unit else "部门"
    return _result(f"{scope}{side}", f"{basis}：{scope}{side}公开文档", title, line_no, norms)
