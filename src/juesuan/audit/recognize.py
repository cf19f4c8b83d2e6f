"""Recognise what a published disclosure is and where its pieces are.

``recognize(doc: SourceDoc, profile: str | None = None) -> Recognition`` finds
the department and the year on the cover, picks the profile (province style)
whose section and table titles the document prints, and locates the parts
(第一部分 …), the sections (一、… with the profile's topics s1 …) and the
standard tables (by their titles).  The table of contents (目录) prints the
same titles without content: its lines are never taken as a start.

Titles are compared in a normal form (NFKC, no spaces, no Markdown markers,
numbering cut off), so that “（三）” and “(三)”, “三、” and “三．”, ``## **六、…**``
and a title split over two PDF lines are all recognised.  Spans index
``SourceDoc.lines``; ``end`` is one past the last line.
"""

from __future__ import annotations

import re

from juesuan.audit.document import Line, SourceDoc
from juesuan.audit.headings import (
    CN_DIGITS,
    SLOT,
    TABLE_CODE,
    YEAR_PREFIX,
    Cand,
    candidates,
    cn_number,
    normalise,
    similar,
    strip_number,
    title_key,
    toc_range,
)
from juesuan.audit.model import Recognition, Span
from juesuan.profiles import Profile, baseline_profile, list_profiles, load_profile

__all__ = ["recognize", "normalise", "strip_number", "CN_DIGITS", "cn_number"]

_COVER_PATTERNS = (
    re.compile(r"^(?P<year>20\d\d)年度?(?P<dept>.+?)公开文档$"),
    re.compile(r"^(?P<dept>.*?)(?P<year>20\d\d)年度?部门决算(?:公开)?$"),
    re.compile(r"^(?P<dept>.*?)(?P<year>20\d\d)年度?部门决算公开文档$"),
    re.compile(r"^(?P<year>20\d\d)年度?(?P<dept>.+?)部门决算(?:公开)?$"),
)


def _clean_dept(name: str) -> str:
    """The name as the cover prints it, without “(部门)”, a template's “XX部门” left before it,
    or a label line (“更新时间：”) taken for it."""
    name = re.sub(r"[（(]部门[）)]$", "", name).strip("：:，,| ")
    name = re.sub(r"^[X×Ｘ]{2,}(?:部门|单位)", "", name)
    return "" if re.search(r"[:：]$", name) else name


def _cover(lines: list[Line], norms: list[str], stop: int) -> tuple[str | None, int | None, int | None]:
    """Department, year and the line index they were read from (cover lines before the contents)."""
    dept: str | None = None
    year: int | None = None
    where: int | None = None
    prev = ""
    for i, norm in enumerate(norms[: max(stop, 1)]):
        if not norm:
            continue
        m = re.match(r"^部门名称[:：](.+)$", norm)
        if m and not dept:
            dept, where = _clean_dept(m.group(1)), i
            continue
        for pat in _COVER_PATTERNS:
            m = pat.match(norm)
            if m:
                year = year or int(m.group("year"))
                found = _clean_dept(m.group("dept")) or _clean_dept(prev)
                if found and not dept:
                    dept = found
                where = i if where is None else where
                break
        prev = norm
    if year is None:
        counts: dict[int, int] = {}
        for line in lines[:300]:
            for y in re.findall(r"(20\d\d)\s*年度", line.text):
                counts[int(y)] = counts.get(int(y), 0) + 1
        if counts:
            year = max(counts, key=counts.__getitem__)
    return dept, year, where


def _span(doc: SourceDoc, key: str, title: str, start: int, end: int) -> Span:
    line = doc.lines[start]
    return Span(key, title, start, end, line.location(doc.path))


def _score_profile(profile: Profile, cands: list[Cand]) -> float:
    """The share of the profile's section and table titles the document prints (0 … 1)."""
    rests = {c.rest for c in cands}
    keys = [title_key(sec.title) for part in profile.parts for sec in _flat_sections(part.sections)
            if sec.topic]
    tables = [title_key(tab.title) for tab in profile.tables]
    if any(k in rests for k in tables):  # tables "见附件" (not printed) do not count against a style
        keys += tables
    if not keys:
        return 0.0
    return sum(1 for k in keys if k in rests) / len(keys)


def _flat_sections(sections):  # noqa: ANN001, ANN202 - list[Section] → iterator
    for sec in sections:
        yield sec
        yield from sec.subsections


def _choose_profile(cands: list[Cand], wanted: str | None) -> tuple[Profile, float | None, str, list[str]]:
    """The profile, its match score, and why it was chosen.

    A province profile is used only when the document prints at least its
    ``match_threshold`` share of that profile's titles; otherwise the national
    baseline, and the basis says which province came closest."""
    notes: list[str] = []
    if wanted:
        prof = load_profile(wanted)
        return prof, _score_profile(prof, cands), "指定样式（--profile）", notes
    scored = []
    for name in list_profiles():
        try:
            prof = load_profile(name)
        except Exception as exc:  # noqa: BLE001 - a broken profile must not stop the audit
            notes.append(f"样式 {name} 无法载入：{exc}")
            continue
        if not prof.baseline:
            scored.append((_score_profile(prof, cands), prof.year, prof))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    if scored and scored[0][0] >= scored[0][2].match_threshold:
        score, _, prof = scored[0]
        return prof, score, f"省级样式匹配：文档印有该样式 {score:.0%} 的章节和表格标题", notes
    base = baseline_profile()
    closest = f"（最接近的 {scored[0][2].name} 为 {scored[0][0]:.0%}，低于 {scored[0][2].match_threshold:.0%}）" if scored else ""
    return base, _score_profile(base, cands), f"未能确认省级样式{closest}：按全国基准样式审核", notes


def _find_parts(doc: SourceDoc, profile: Profile, cands: list[Cand]) -> dict[str, Span]:
    """The parts (第…部分): by their number in the profile's order, or by their keywords."""
    by_topic = profile.options.sections_by == "topic"
    starts: list[tuple[int, str, str]] = []
    seen: set[object] = set()
    for c in cands:
        if c.kind != "part" or c.joined and c.index in {s[0] for s in starts}:
            continue
        n = cn_number(c.number)
        if by_topic:
            text = c.rest if c.rest or not c.joined else ""
            kind = _part_by_keywords(profile, text or _next_title(doc, c.index))
            if kind is None or kind in seen:
                continue
            seen.add(kind)
            starts.append((c.index, kind, doc.lines[c.index].text.strip()))
            continue
        if n is None or not 1 <= n <= len(profile.parts) or n in seen:
            continue
        seen.add(n)
        starts.append((c.index, profile.parts[n - 1].kind, doc.lines[c.index].text.strip()))
    starts.sort()
    parts: dict[str, Span] = {}
    for k, (start, kind, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(doc.lines)
        parts[kind] = _span(doc, kind, title, start, end)
    return parts


def _next_title(doc: SourceDoc, i: int) -> str:
    """A 第…部分 printed alone on its line: its title is on the next non-empty lines."""
    out, taken = "", 0
    for line in doc.lines[i + 1:i + 6]:
        n = normalise(line.text)
        if n and not re.fullmatch(r"\d{1,4}", n):
            out += n
            taken += 1
            if taken == 2 or len(out) >= 16:
                break
    return out


def _part_by_keywords(profile: Profile, text: str) -> str | None:
    best: tuple[int, str] | None = None
    for part in profile.parts:
        for kw in part.keywords:
            if _has_keyword(text, kw) and (best is None or len(kw) > best[0]):
                best = (len(kw), part.kind)
    return best[1] if best else None


def _has_keyword(text: str, kw: str) -> bool:
    return all(k in text for k in kw.split("+"))


def _match_title(c: Cand, key: str, number: str) -> float:
    rest = c.rest
    sim = similar(rest, key)
    if sim < 0.8 and _contains(rest, key):
        sim = max(sim, 0.8)
    same_number = number and c.number == number
    if same_number:
        sim += 0.15
    return sim


def _contains(rest: str, key: str) -> bool:
    return len(key) >= 6 and len(rest) >= 6 and (key in rest or rest in key)


def _match_bound(c: Cand, key: str, number: str) -> float:
    """An upper bound of ``_match_title`` from the lengths alone (no SequenceMatcher).

    The similarity ratio 2·matches/(len a + len b) is at most 2·min/(len a + len b),
    so a candidate whose bound is under the threshold cannot match: most lines
    of a document are skipped without the quadratic comparison.
    """
    total = len(c.rest) + len(key)
    ratio = 2.0 * min(len(c.rest), len(key)) / total if total else 0.0
    if _contains(c.rest, key):
        ratio = max(ratio, 0.8)
    return ratio + 0.15 if number and c.number == number else ratio


def _find_sections(doc: SourceDoc, profile: Profile, parts: dict[str, Span],
                   cands: list[Cand]) -> dict[str, Span]:
    """Each profile section (and subsection) at its first matching title after the previous one."""
    found: list[tuple[int, str, str, int]] = []  # (start, key, title, level)
    for part in profile.parts:
        if not part.sections:
            continue
        span = parts.get(part.kind)
        lo, hi = (span.start, span.end) if span else (0, len(doc.lines))
        pool = [c for c in cands if lo <= c.index < hi and c.kind in ("top", "sub", "")]
        cursor = lo
        for sec in part.sections:
            start = _best(pool, sec.title, sec.number, "top", cursor)
            if start is None:
                continue
            key = sec.topic or f"group.{sec.number}"
            found.append((start, key, doc.lines[start].text.strip(), 1))
            cursor = start + 1
            sub_cursor = cursor
            for sub in sec.subsections:
                s = _best(pool, sub.title, sub.number.strip("（）()"), "sub", sub_cursor)
                if s is not None:
                    found.append((s, sub.topic or f"group.{sub.number}", doc.lines[s].text.strip(), 2))
                    sub_cursor = s + 1
    found.sort()
    sections: dict[str, Span] = {}
    part_ends = sorted(s.end for s in parts.values())
    for k, (start, key, title, level) in enumerate(found):
        end = len(doc.lines)
        for later in found[k + 1:]:
            if later[3] <= level:
                end = later[0]
                break
        end = min([end] + [e for e in part_ends if e > start])
        sections.setdefault(key, _span(doc, key, title, start, end))
    return sections


def _find_sections_by_topic(doc: SourceDoc, profile: Profile, parts: dict[str, Span],
                            cands: list[Cand]) -> dict[str, Span]:
    """Each topic at the first numbered heading that names it (its keywords), in any order.

    Documents number, merge, split and order their explanations in their own ways
    (一…十四 or fewer; 机关运行经费 as 八 or as （一） under 其他重要事项); a topic is
    found wherever a heading names it.  The longest keyword wins, so 财政拨款收入支出
    决算总体 is s4, not s1."""
    span = parts.get("explanations")
    lo, hi = (span.start, span.end) if span else (0, len(doc.lines))
    topics = [(sec.topic, kw, sec.exclude) for part in profile.parts if part.kind == "explanations"
              for sec in _flat_sections(part.sections) if sec.topic for kw in sec.keywords]
    found: list[tuple[int, str, str]] = []
    taken: set[str] = set()
    for c in cands:
        if not lo <= c.index < hi or c.kind not in ("top", "sub", "arabic") or len(c.rest) > 45:
            continue
        if "。" in c.rest:
            continue  # a sentence, not a heading
        best: tuple[int, str] | None = None
        for topic, kw, exclude in topics:
            if any(x in c.rest for x in exclude) or not _has_keyword(c.rest, kw):
                continue
            if best is None or len(kw) > best[0] or (len(kw) == best[0] and best[1] in taken):
                best = (len(kw), topic)
        if best is None or best[1] in taken or c.index in {f[0] for f in found}:
            continue
        taken.add(best[1])
        found.append((c.index, best[1], doc.lines[c.index].text.strip()))
    return _consecutive(doc, found, parts)


def _best(pool: list[Cand], title: str, number: str, kind: str, cursor: int) -> int | None:
    key = title_key(title)
    best: tuple[float, int] | None = None
    for c in pool:
        if c.index < cursor or (c.kind and c.kind != kind) or _match_bound(c, key, number) < 0.85:
            continue
        sim = _match_title(c, key, number)
        if sim >= 0.85 and (best is None or sim > best[0] + 1e-9):
            best = (sim, c.index)
            if sim >= 1.15:
                break
    return best[1] if best else None


def _find_tables(doc: SourceDoc, profile: Profile, parts: dict[str, Span],
                 cands: list[Cand], dept: str | None) -> dict[str, Span]:
    tids_by_key: dict[str, list[str]] = {}  # title → table ids, in the profile's order
    for t in profile.tables:
        for title in (t.title, *t.aliases):
            tids_by_key.setdefault(title_key(title), []).append(t.id)
    dept_n = normalise(dept or "")
    starts: list[tuple[int, str, str]] = []
    started: set[str] = set()
    taken: set[int] = set()
    for c in cands:
        if c.index in taken:
            continue
        rest = TABLE_CODE.sub("", c.rest) if "公开" in c.rest else c.rest
        if dept_n and rest.startswith(dept_n):
            rest = rest[len(dept_n):]
        rest = YEAR_PREFIX.sub("", rest)
        kind, _number, rest2 = strip_number(rest)
        if kind:
            rest = rest2
        for tid in tids_by_key.get(rest, ()):
            if tid not in started:
                starts.append((c.index, tid, doc.lines[c.index].text.strip()))
                started.add(tid)
                taken.add(c.index)
                break
    return _consecutive(doc, starts, parts)


def _consecutive(doc: SourceDoc, starts: list[tuple[int, str, str]], parts: dict[str, Span]) -> dict[str, Span]:
    """Spans that each run to the next one's start, never over a part's start or end."""
    starts = sorted(starts)
    limits = sorted({s.start for s in parts.values()} | {s.end for s in parts.values()})
    out: dict[str, Span] = {}
    for k, (start, key, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(doc.lines)
        end = min([end] + [p for p in limits if p > start])
        out[key] = _span(doc, key, title, start, end)
    return out


def recognize(doc: SourceDoc, profile: str | None = None) -> Recognition:
    """What the document is (department, year, profile) and where its parts, sections and tables are.

    ``profile`` forces a profile (a name or a YAML file); by default the province
    profile whose titles the document prints most is chosen when it clears its
    match threshold, and the national baseline otherwise (``profile_basis`` says
    which and why).  What is not found is said in ``notes``.
    """
    lines = doc.lines
    norms = [normalise(line.text) for line in lines]  # each line once: every step below compares these
    toc = toc_range(norms)
    cands = candidates(lines, norms, toc)
    dept, year, where = _cover(lines, norms, toc.start if toc else min(len(lines), 40))
    if where is None or dept is None:  # no cover pattern matched, or one without a name: the title block's words
        from juesuan.audit.kind import title_names

        t_dept, t_year = title_names(doc)
        dept, year = dept or t_dept, year if where is not None else (t_year or year)
    prof, score, basis, notes = _choose_profile(cands, profile)
    parts = _find_parts(doc, prof, cands)
    if prof.options.sections_by == "topic":
        sections = _find_sections_by_topic(doc, prof, parts, cands)
    else:
        sections = _find_sections(doc, prof, parts, cands)
    tables = _find_tables(doc, prof, parts, cands, dept)
    rec = Recognition(department=dept, year=year, profile=prof.name, profile_ref=profile or prof.name,
                      profile_score=score,
                      profile_basis=basis, parts=parts, sections=sections, tables=tables, notes=notes)
    if dept is None:
        rec.notes.append("封面上未找到部门名称")
    if year is None:
        rec.notes.append("未找到决算年度")
    for part in prof.parts:
        if part.kind not in parts:
            rec.notes.append(f"未找到部分：{SLOT.sub('', part.title)}")
        for sec in _flat_sections(part.sections):
            key = sec.topic or f"group.{sec.number}"
            if key not in sections and (sec.topic or prof.options.sections_by == "order"):
                rec.notes.append(f"未找到章节：{sec.number}{SLOT.sub('', sec.title)}")
    for tab in prof.tables:
        if tab.id not in tables:
            rec.notes.append(f"未找到表格：{tab.title}")
    return rec
