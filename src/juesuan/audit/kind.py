"""What a document is, before anything else: a department's or a unit's 决算 or 预算, a
government's own report, or something else (issue 7, requirement 1).

The cues are data (``profiles/_document-kinds.yaml``).  The title block decides first — the
cover lines before the table of contents name the document ("国家信访局 2024 年度部门决算",
"上海市2026年市级单位预算 预算单位：上海市审计局", "北京市2022年市级决算") — and
the body decides when the title is silent (a file of tables alone): the standard
tables' and explanations' phrases of one side must clearly outnumber the other.
A document with neither is not a disclosure, and the reason says what was missing.

What real openings print before the contents is read as a cover only when it is one: page
numbers, breadcrumbs (“当前位置：首页 > …”) and running text (a news item, a notice) are
skipped, a line flattened from a PDF is cut where the contents begin, and a year in Chinese
numerals (“二〇二三年度”) is read as digits.  A title names its side in a title's shape
(“部门决算”, “2022年度决算”, “市级决算”, “…小学决算”, “决算公开/报告/说明”) and names its
year — a headline (“…公开决算信息”) or a guide (“部门决算填报说明”) does not — and the
department's own name is left out first, so that a “预算评审中心” does not make its 决算 a 预算.
The department is read from the title over one, two or three lines (“X / 2022年度部门决算”),
else from the first parts' headings (“第一部分 X概况”), else from a table header
(“编制单位：X”, “单位：X”, a unit's code and name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from juesuan import runcache
from juesuan.audit.document import SourceDoc
from juesuan.model.findings import Location
from juesuan.profiles import safe_load
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
                   "未按决算读取（预算文档由 juesuan audit 按预算审核）")
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
    return runcache.parsed("profile", "_document-kinds", text, safe_load)


def _norm(text: str) -> str:
    from juesuan.audit.headings import normalise

    return normalise(text)


_TOC = runcache.compile(r"^(?:目录|目次)$")
# where a cover line runs into the contents (a PDF flattened to one line: “X2021年度决算公开说明(目录)第一部分…”)
_CUT = runcache.compile(r"[(（]?(?:目录|目次)[)）]?|第[一二三四五六七八九十]+部分")
_HEADING = runcache.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\([一二三四五六七八九十]+\))")
_PAGE = runcache.compile(r"[-—–－]?\d{1,4}[-—–－]?")
_BREADCRUMB = runcache.compile(r"^(?:当前位置|您的位置|您现在的位置|您现在所在的位置|你的位置)|首页\s*>|>>")
_LEADERS = runcache.compile(r"[.…·．-]{3,}.*$")
_CN_YEAR = runcache.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
_CN_DIGIT = str.maketrans("〇○零一二三四五六七八九", "000123456789")


def _arabic_years(text: str) -> str:
    """“二〇二三年” → “2023年” (a year printed in Chinese numerals)."""
    return _CN_YEAR.sub(lambda m: m.group().translate(_CN_DIGIT), text) if "年" in text else text


def _prose(text: str) -> bool:
    """A sentence of running text (a news item, a paragraph), not a cover line."""
    text = _LEADERS.sub("", text)  # a contents line's dots and page number
    return "。" in text or len(text) > 60


def _title_lines(norms: list[str], limit: int) -> tuple[list[str], int | None]:
    """The cover's lines: non-empty lines before the table of contents, the first part or the first
    numbered heading (at most ``limit``), without page numbers, breadcrumbs and running text."""
    out: list[str] = []
    first: int | None = None
    for i, n in enumerate(norms[:200]):
        if not n:
            continue
        n = _arabic_years(n)
        cut = _CUT.search(n)
        if _TOC.match(n) or (cut and cut.start() == 0) or _HEADING.match(n) or len(out) >= limit:
            break
        if _PAGE.fullmatch(n) or _BREADCRUMB.search(n):
            continue
        if cut:
            n = n[:cut.start()]
        if not cut and _prose(n):
            continue
        if first is None:
            first = i
        out.append(n)
        if cut:
            break
    return out, first


def _without(text: str, words: list[str]) -> str:
    for w in words:
        text = text.replace(w, "")
    return text


def _count(text: str, phrases: list[str]) -> int:
    return sum(text.count(p) for p in phrases)


def _kind(name: str) -> dict:
    return next(k for k in _cues()["kinds"] if k["kind"] == name)


# the accounts (决算) or the budget (预算) as a title names them: “部门决算”, “2022年度决算”,
# “市级决算”, “决算公开”, “…小学决算” at the line's end — not “公开决算信息”, “收支预算总体安排”
_SIDE = r"(?:(?<=部门|单位|年度|\d年)|(?<=级|\d))(?:{w})|(?:{w})(?=公开|报告|说明|情况说明|报表|表|草案|\(草案\)|$|\||\.)"
_FINAL = runcache.compile(_SIDE.format(w="决算"), re.M)
_BUDGET = runcache.compile(_SIDE.format(w="预算"), re.M)
# the accounts' year (“2022年度”, “2023年”, “2023部门预算”), not a date of publication (“2024年8月”)
_YEAR = runcache.compile(r"(20\d\d)(?:年度?(?!\d{1,2}月)|(?=部门|单位))")
_ANY_YEAR = runcache.compile(r"(20\d\d)年")
_LABEL = runcache.compile(r"^(?:标题|名称|题名|文件名称)[:：|]+")
# who publishes, in the title: “预算单位：X”, “部门名称：X”
_LABELLED = runcache.compile(r"(?:预算单位|部门名称|单位名称|(?<!金额)(?<!主办)(?<!承办)部门)[:：](?P<dept>[^:：\d|]{2,40}?)"
                       r"(?=$|\d|\||部门|单位|目录)")
# “X2026年度部门预算”, “X 2023 部门预算” (the year may lack 年 before 部门/单位)
_DEPT_YEAR = runcache.compile(r"^(?P<dept>[^\d]{2,40}?)(?P<year>20\d\d)(?:年度?)?(?:部门|单位)?(?:决算|预算)")
_YEAR_FIRST = runcache.compile(r"^(?P<year>20\d\d)年度?(?P<rest>[^\d]{2,60})")
_KIND_AT = runcache.compile(r"(?:部门|单位)(?:决算|预算)|(?:决算|预算)(?=公开|报告|说明|情况说明|报表|$)")
_NO_YEAR = runcache.compile(r"^(?P<dept>[^\d]{2,40}?)(?:部门|单位)(?:决算|预算)")
# the first parts' headings name the department when the cover does not: “第一部分 X概况”,
# “第二部分 X2022年度部门决算表”
_PART_NAMED = (
    runcache.compile(r"^第[一二三四五六七八九十]+部分[:：]?(?P<dept>[^\d]{2,40}?)(?:部门|单位|基本)?概况"),
    runcache.compile(r"^第[一二三四五六七八九十]+部分[:：]?(?P<dept>[^\d]{2,40}?)20\d\d年度?(?:部门|单位)(?:决算|预算)"),
)
# a department's or a unit's name ends with what it is (局, 厅, 委员会, 学校, (本级) …)
_ORG = runcache.compile(r"(?:局|厅|院|委员会|委|会|办公室|办|室|中心|学校|校|小学|中学|大学|学院|学区|幼儿园|政府|部|处|所|"
                  r"站|馆|队|社|团|协会|联合会|集团|公司|医院|监狱|乡|镇|街道|本级\)|[A-ZＡ-Ｚ]{1,3}局)$")
_HEADER = runcache.compile(r"^(?:部门|部门名称|单位名称|预算单位|编制单位|填报单位|单位)[:：](?P<dept>[^:：\d|]{2,40}?)"
                     r"(?=$|\||\d|(?:金额)?单位[:：])")
_CODED = runcache.compile(r"^\d{3,}(?P<dept>[^\d|:：]{2,40}?)\|?$")  # “920 某某镇财政所 |”: a unit's code and name
_PART_SCOPE = runcache.compile(r"第[一二三四五六七八九十]+部分[^第]{0,40}?(部门|单位)(?:决算|预算)")
_PLACEHOLDER = runcache.compile(r"^[X×Ｘ]{2,}(?:部门|单位)")  # a template's “XX部门” left before the name


def _plausible(name: str | None) -> str | None:
    name = (name or "").strip("：:，,|- ")
    name = re.sub(r"^(?:关于|公开|[(（]?\d+[)）]?)", "", name)
    name = _PLACEHOLDER.sub("", name)
    name = re.sub(r"^.*[:：]", "", name)  # a label before the name (“更新时间：”, “招标：”)
    return name if len(name) >= 2 and _ORG.search(name) else None


def _shape(text: str) -> tuple[str | None, int | None]:
    """The department and year of one title (a cover line, or two or three read as one)."""
    m = _DEPT_YEAR.match(text)
    if m and (dept := _plausible(m.group("dept"))):
        return dept, int(m.group("year"))
    m = _YEAR_FIRST.match(text)
    if m:
        rest = m.group("rest")
        kinds = list(_KIND_AT.finditer(rest))
        # “部门决算” before a bare “决算”: a name may itself hold 预算 (“预算评审中心”)
        for k in sorted(kinds, key=lambda k: (not k.group().startswith(("部门", "单位")), k.start())):
            if dept := _plausible(rest[:k.start()]):
                return dept, int(m.group("year"))
    return None, None


def _named(lines: list[str], norms: list[str]) -> tuple[str | None, int | None]:
    """The department (or unit) and the year the title block names; without a name there,
    the first parts' headings, then the first “部门：X” of a table header (a file of tables alone)."""
    lines = [_LABEL.sub("", n) for n in lines]
    dept = year = None
    for n in lines:
        m = _LABELLED.search(n)
        if m and (dept := _plausible(m.group("dept"))):
            break
    if dept is None:
        for i in range(len(lines)):
            for j in (i, i - 1, i - 2):  # the line alone, then over two or three lines
                if j >= 0:
                    dept, year = _shape("".join(lines[j:i + 1]))
                    if dept:
                        break
            if dept:
                break
    heads = [_arabic_years(n) for n in norms[:200]]
    if dept is None:
        for n in heads:
            for regex in _PART_NAMED:
                m = regex.match(n)
                if m and (dept := _plausible(m.group("dept"))):
                    break
            if dept:
                break
    if dept is None:
        for n in heads:
            m = _HEADER.match(n) or _CODED.match(n)
            if m and (dept := _plausible(m.group("dept"))):
                break
    if dept is None:
        for n in lines:
            m = _NO_YEAR.match(n)
            if m and (dept := _plausible(m.group("dept"))):
                break
    if year is None:
        title = "".join(lines)
        found = next((m for regex in (_YEAR, _ANY_YEAR) for n in [title, *heads] if (m := regex.search(n))), None)
        year = int(found.group(1)) if found else None
    return dept, year


def title_names(doc: SourceDoc) -> tuple[str | None, int | None]:
    """The department and year the title block names (the recogniser's fallback when the
    cover matches none of its patterns)."""
    norms = [_norm(line.text) for line in doc.lines[:400]]
    lines, _ = _title_lines(norms, _cues()["title_lines"])
    return _named(lines, norms)


def _short(norms: list[str]) -> str:
    """The body's headings, table titles and table-of-contents lines (not its running text): the
    standard phrases counted there tell a file of tables from a news item that lists them."""
    return "\n".join(n for n in norms if n and not _prose(n))


def classify(doc: SourceDoc) -> DocKind:
    """The document's kind, with the reason (never raises)."""
    cues = _cues()
    norms = [_norm(line.text) for line in doc.lines]
    lines, first = _title_lines(norms, cues["title_lines"])
    title = "".join(lines)
    line_no = doc.lines[first].number if first is not None else None
    dept, year = _named(lines, norms)

    def result(name: str, reason: str) -> DocKind:
        k = _kind(name)
        return DocKind(name, k["label"], k["audit"], reason, title, line_no, dept, year)

    # the title's words, without fund kinds (一般公共预算 …) and without the name (预算评审中心 …)
    head = "\n".join(_without(n.replace(dept, "") if dept else n, cues["fund_words"]) for n in lines)
    flat = head.replace("\n", "")
    body = _without(_short(norms), cues["fund_words"])
    whole = _without(title, cues["fund_words"])
    if not any(w in whole for w in cues["department_words"]) and (
            any(w in whole for w in cues["government"])
            or (any(w in whole for w in cues["government_titles"]) and "部门" not in whole and "单位" not in whole
                and _count("".join(norms), cues["government_phrases"]) >= 2)):
        side = "决算" if "决算" in whole else "预算"
        return result(f"政府{side}", f"标题为“{title[:40]}”：是一级政府的{side}报告，不是部门或单位的公开文档")
    dated = bool(_ANY_YEAR.search(title) or _YEAR.search(title))  # a disclosure's title names its year; a headline or a guide does not
    final = dated and bool(_FINAL.search(head))
    budget = dated and bool(_BUDGET.search(head))
    n_final = _count(body, cues["final_phrases"])
    n_budget = _count(body, cues["budget_phrases"])
    if final != budget:
        side = "决算" if final else "预算"
        basis = f"标题“{title[:40]}”"
    elif max(n_final, n_budget) >= cues["min_phrases"] and (n_final >= 3 * n_budget or n_budget >= 3 * n_final):
        side = "决算" if n_final > n_budget else "预算"
        basis = f"正文中“{side}表/{side}情况说明”等用语 {max(n_final, n_budget)} 处（另一方 {min(n_final, n_budget)} 处）"
    else:
        return result("其他", "标题和正文都没有部门（单位）决算或预算公开文档的标志"
                      f"（决算表、决算情况说明等用语 {n_final} 处，预算表等用语 {n_budget} 处）")
    if any(w in flat for w in cues["unit_words"]) or any(w in flat for w in cues["department_words"]):
        unit = any(w in flat for w in cues["unit_words"])
    else:  # the title does not say whose accounts these are: the parts' headings do
        parts = {m.group(1) for n in norms[:400] for m in _PART_SCOPE.finditer(n)}
        unit = parts == {"单位"}
    scope = "单位" if unit else "部门"
    return result(f"{scope}{side}", f"{basis}：{scope}{side}公开文档")
