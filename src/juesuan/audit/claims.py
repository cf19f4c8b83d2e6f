"""Read the narrative back: every sentence of every section, with the profile's patterns.

The section's lines are joined with a newline (the patterns accept whitespace
between any two characters, so a sentence broken across lines or pages still
reads), Markdown markup is dropped, and a char → line map gives every slot its
page and line.  The patterns are the publish side's own (one source of truth);
the profile's ``variants`` add read-only wordings that real documents print
and the profile does not write (documented one by one in the YAML; they never
write anything).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from juesuan import patterns, runcache
from juesuan.audit.deadline import deadline_check
from juesuan.audit.document import SourceDoc
from juesuan.audit.model import Claim, Recognition, Span
from juesuan.model.findings import Location
from juesuan.profiles import Profile

__all__ = ["Joined", "extract_claims", "join_lines"]

_FOLIO = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4})\s*$")
_HEADING_LINE = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．](?!\d))")
_MARKUP = re.compile(r"^\s*(?:#{1,6}\s*|[-*]\s+)|\*\*|</?sup>|</?b>")


@dataclass
class Joined:
    """A span of lines as one string, with the line each character comes from."""

    text: str
    starts: list[int]  # offset of each joined line in text
    lines: list[int]  # index into SourceDoc.lines of each joined line
    doc: SourceDoc

    def line_at(self, offset: int) -> int:
        """Index into SourceDoc.lines of the character at ``offset``."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.lines[max(i, 0)]

    def location(self, start: int, end: int, excerpt: str | None = None) -> Location:
        line = self.doc.lines[self.line_at(start)]
        text = excerpt if excerpt is not None else self.text[start:end]
        return line.location(self.doc.path, _BLANKS.sub("", text) or line.text.strip())


def join_lines(doc: SourceDoc, start: int, end: int) -> Joined:
    """Lines ``start``…``end`` joined with newlines, markup removed, offsets kept."""
    parts: list[str] = []
    starts: list[int] = []
    idx: list[int] = []
    pos = 0
    paged = doc.kind == "pdf"
    deadline_check()
    lo, hi = max(start, 0), min(end, len(doc.lines))
    bridge = _page_bridges(doc, lo, hi) if doc.kind == "text" and doc.pages > 1 else None
    for i in range(lo, hi):
        line = doc.lines[i]
        if bridge is not None and bridge[i - lo]:
            continue  # a page's trailing blank lines: the sentence goes on over the page
        if _FOLIO.match(line.text) and (paged or _text_folio(doc, i)):
            continue  # a page number between two halves of a sentence
        # a table row (tab-separated text, Word cells) is not narrative: read it as a blank line
        t = "" if ("\t" in line.text or line.cells) else _MARKUP.sub("", line.text)
        starts.append(pos)
        idx.append(i)
        parts.append(t)
        pos += len(t) + 1
    return Joined("\n".join(parts), starts, idx, doc)


def _text_folio(doc: SourceDoc, i: int) -> bool:
    """Whether line ``i`` of a text document, a lone number, is a page number: the last or first
    line with text of its page (a PDF's text with form feeds), or set far in from the margin as
    a centred folio is (text laid out from a PDF, “                   20”)."""
    line = doc.lines[i]
    if len(line.text) - len(line.text.lstrip(" ")) >= 8:
        return True
    if line.page is None:
        return False
    near = [j for j in (_next_text(doc, i, 1), _next_text(doc, i, -1)) if j is not None]
    return any(doc.lines[j].page != line.page for j in near) or len(near) < 2


def _page_bridges(doc: SourceDoc, lo: int, hi: int) -> list[bool]:
    """For lines ``lo``…``hi`` of a text document with pages: whether each is a blank line from
    which only blank lines and page numbers lead to the next page (one backward pass)."""
    out = [False] * (hi - lo)
    after = False
    for i in range(hi - 1, lo - 1, -1):
        line = doc.lines[i]
        nxt = doc.lines[i + 1] if i + 1 < len(doc.lines) else None
        if nxt is not None and nxt.page != line.page:
            after = True  # the last line of its page
        elif not line.text.strip() or _FOLIO.match(line.text):
            pass  # a blank or a page number keeps what the line after it leads to
        else:
            after = False
        out[i - lo] = after and not line.text.strip()
        if line.text.strip() and not _FOLIO.match(line.text):
            after = False
    return out


def _next_text(doc: SourceDoc, i: int, step: int) -> int | None:
    j = i + step
    while 0 <= j < len(doc.lines) and not doc.lines[j].text.strip():
        j += step
    return j if 0 <= j < len(doc.lines) else None


_KEYS: dict[tuple[int, str], list[tuple[str, str]]] = {}


def _keys_for(topic: str, profile: Profile) -> list[tuple[str, str]]:
    """(key, pattern) of every pattern that may appear in a section of ``topic`` (once per process)."""
    ck = (id(profile.patterns), topic)
    got = _KEYS.get(ck)
    if got is None:
        got = _KEYS[ck] = _keys_uncached(topic, profile)
    return got


_PLAIN_BREAK = re.compile(r"[\s\d０-９%％,，.．。:：;；、()（）\[\]“”\"'‘’\-—－~～/！!？?]+")
_UNBOUNDED = {"name", "text", "names", "items", "phone"}
_FAR = 1500  # characters a sentence may run before its fixed words when a free slot precedes them
_AHEAD = 4000  # characters searched after the fixed words before searching to the section's end


@dataclass(frozen=True)
class _Anchor:
    """A pattern's longest run of plain literal characters: every match contains it (blanks
    removed), so the pattern runs only near its occurrences.  Computed once per pattern."""

    text: str
    regex: re.Pattern[str] | None
    back: int  # how far before the run a match may start
    types: dict[str, str]


_ANCHORS: dict[str, _Anchor] = {}


def _anchor(pat: str) -> _Anchor:
    got = _ANCHORS.get(pat)
    if got is not None:
        return got
    toks = patterns._tokens(pat)
    best, best_i = "", -1
    for i, t in enumerate(toks):
        if isinstance(t, str):
            for r in _PLAIN_BREAK.split(t):
                if len(r) > len(best):
                    best, best_i = r, i
    back = 0
    for t in toks[:best_i + 1] if best_i >= 0 else ():
        if isinstance(t, str):
            back += 2 * len(t) + 2
        elif t.type in _UNBOUNDED:
            back = _FAR
            break
        else:
            back += 40
    regex = runcache.compile(r"\s*".join(re.escape(c) for c in best)) if best else None
    got = _ANCHORS[pat] = _Anchor(best, regex, min(back, _FAR), {x.name: x.type for x in patterns.slots(pat)})
    return got


class _Search:
    """``regex.search(text, start, stop)`` that reuses its last answer when it must be the same.

    A search tries each position from ``start`` in turn, and whether a match
    starts at a position depends only on the text and ``stop``.  So after a
    search from ``lo`` found its first match at ``h`` (or none), a search with
    the same ``stop`` from any start in ``lo … h`` finds the same match.  The
    anchors of a sentence that does not match (an item with a budget, read by
    the no-budget pattern) all start before the next real match: without this
    each of them would scan the same stretch again.
    """

    def __init__(self, regex: re.Pattern[str], text: str) -> None:
        self.regex, self.text = regex, text
        self.last: tuple[int, int, re.Match[str] | None] | None = None

    def __call__(self, start: int, stop: int) -> re.Match[str] | None:
        if self.last is not None:
            lo, end, hit = self.last
            if end == stop and lo <= start and (hit is None or start <= hit.start()):
                return hit
        hit = self.regex.search(self.text, start, stop)
        self.last = (start, stop, hit)
        return hit


def _finditer(pat: str, text: str, anchor: _Anchor):  # noqa: ANN202 - generator like patterns.finditer
    """What ``patterns.finditer`` yields, searching only near the pattern's fixed words."""
    if anchor.regex is None:
        yield from patterns.finditer(pat, text)
        return
    regex, groups = patterns._compiled(pat)
    n = len(text)
    done = 0
    search = _Search(regex, text)
    for m in anchor.regex.finditer(text):
        q = m.start()
        if q < done:
            continue  # inside the previous match
        start = max(done, q - anchor.back)
        stop = min(n, m.end() + _AHEAD)
        hit = search(start, stop)
        if hit is not None and stop < n and hit.end() >= stop - 1:
            hit = search(start, n)  # it may run on: read it whole
        if hit is None or hit.start() > m.end():
            continue
        done = hit.end()
        yield hit.span(), patterns._result(hit, groups)


def _keys_uncached(topic: str, profile: Profile) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    rd = profile.reading
    shared = tuple(f"{p}." for p in rd.shared) if re.fullmatch(r"s\d+", topic) else ()
    fixed = tuple(f"{p}." for p in rd.fixed)
    for key, pat in profile.patterns.items():
        if not patterns.slots(pat) and not (fixed and key.startswith(fixed)):
            continue  # headings and fixed phrases carry no figure
        if re.fullmatch(r"\{\w+(?::\w+)?\}", pat.strip()):
            continue  # a bare slot (Shanghai's cover title) reads any line
        if topic in rd.only and key not in rd.only[topic]:
            continue  # free text (part one) except the sentences declared (the scope: year, units)
        if key.startswith(topic + ".") or (shared and key.startswith(shared)):
            out.append((key, pat))
            out.extend((f"{key}~{v.why}", v.pattern) for v in profile.variants.get(key, []))
    return out


_NAMEISH = {"name", "text", "phone", "names"}
_BLANKS = re.compile(r"\s+")
_PARA = re.compile(r"\n[ \t\u3000]*\n")


def _claims_in(joined: Joined, topic: str, keys: list[tuple[str, str]]) -> list[Claim]:
    found: list[tuple[int, int, int, Claim]] = []
    line_based = topic in ("cover", "contact")
    flat = _BLANKS.sub("", joined.text)
    for order, (key, pat) in enumerate(keys):
        anchor = _anchor(pat)
        types = anchor.types
        if anchor.text not in flat:
            continue  # the sentence's fixed words are not in this section
        for (s, e), slots in _finditer(pat, joined.text, anchor):
            s, slots = _trim_head(joined.text, s, slots, line_based)
            slots, e, ok = _clip(joined.text, slots, types, e, line_based)
            if not ok:
                continue
            values = {k: v for k, (v, _) in slots.items()}
            locs = {k: joined.location(a, b) for k, (_, (a, b)) in slots.items()}
            found.append((s, e, order, Claim(key, topic, values, locs, joined.location(s, e))))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0]), t[2]))
    kept: list[tuple[int, int, int, Claim]] = []
    for item in found:
        if kept and item[0] < kept[-1][1]:
            continue  # overlaps a longer (or earlier) reading of the same words
        kept.append(item)
    for k, (_, e, _, c) in enumerate(kept):
        # what the text holds between this sentence and the next one read, within its sentence
        # and paragraph: a listed item no pattern read (``declared._parts``), e.g. one whose
        # share a text copy lost
        gap = joined.text[e:kept[k + 1][0] if k + 1 < len(kept) else len(joined.text)]
        brk = _PARA.search(gap)
        gap = gap[:brk.start()] if brk else gap
        tail = _BLANKS.sub("", gap.split("。", 1)[0])[:80]
        if tail:
            c.context["tail"] = tail
    return [c for *_, c in kept]


def _clip(text: str, slots: dict[str, Any], types: dict[str, str], end: int,
          line_based: bool) -> tuple[dict[str, Any], int, bool]:
    """A name or free text never runs over a paragraph break (a line break, on the cover).

    A slot in the middle of a sentence that does is a misreading (the claim is
    dropped); a free slot at the end of the sentence is cut there.
    """
    out = dict(slots)
    for name, (_value, (a, b)) in slots.items():
        if types.get(name) not in _NAMEISH:
            continue
        raw = text[a:b]
        m = re.search(r"\n", raw) if line_based else _PARA.search(raw)
        if m is None:
            continue
        if b < end - 1 and not line_based:
            return slots, end, False
        cut = a + m.start()
        out[name] = (re.sub(r"\s+", "", text[a:cut]) if types[name] != "names"
                     else [p for p in re.split(r"[、,，]", re.sub(r"\s+", "", text[a:cut])) if p], (a, cut))
        end = min(end, cut) if b >= end - 1 else end
    return out, end, True


def _trim_head(text: str, start: int, slots: dict[str, Any], line_based: bool) -> tuple[int, dict[str, Any]]:
    """A leading name slot starts after the paragraph break before it (a heading is not a name)."""
    out = dict(slots)
    for name, (value, (a, b)) in slots.items():
        if a != start or not isinstance(value, str):
            continue
        breaks = list(re.finditer(r"\n" if line_based else _PARA.pattern, text[a:b]))
        if not breaks and not line_based:
            # a numbered heading on the line before (“（一）一般公共服务支出（类）”) is not part of the name
            breaks = [m for m in re.finditer(r"\n", text[a:b]) if _HEADING_LINE.match(text[a:a + m.start()].split("\n")[-1])]
        if breaks:
            cut = a + breaks[-1].end()
            out[name] = (re.sub(r"\s+", "", text[cut:b]), (cut, b))
            return cut, out
    return start, out


def _with_context(claims: list[Claim], profile: Profile) -> list[Claim]:
    """Attach what an item sentence is about: the subject of a clause (the sentence before it),
    the 类 of the sentences after a class heading (role class_heading)."""
    out: list[Claim] = []
    subject: Claim | None = None
    cls: dict[str, Any] = {}
    clauses = tuple(f"{p}." for p in profile.reading.clauses)
    for c in claims:
        base = c.key.split("~")[0]
        ctx = dict(c.context)
        if clauses and base.startswith(clauses):
            if subject is not None:
                ctx.update(subject=subject.key.split("~")[0], subject_values=subject.values,
                           subject_line=subject.location.line, subject_page=subject.location.page)
        else:
            subject = c
        if profile.has_role(base, "class_heading"):
            cls = {"class": c.values.get("name"), "class_n": c.values.get("n")}
        elif cls:
            ctx.update(cls)
        out.append(Claim(c.key, c.section, c.values, c.locations, c.location, ctx))
    return out


def extract_claims(doc: SourceDoc, recognition: Recognition, profile: Profile) -> list[Claim]:
    """Every sentence the profile's patterns read in the document, section by section."""
    from juesuan.audit.generic import generic_claims

    claims: list[Claim] = []
    for topic, span in _spans(doc, recognition):
        joined = join_lines(doc, span.start + 1 if topic.startswith("s") else span.start, span.end)
        mine = _with_context(_claims_in(joined, topic, _keys_for(topic, profile)), profile)
        claims += mine
        if topic.startswith("s"):
            claims += _uncovered(generic_claims(joined, topic), mine)
    return claims


def _lines_of(c: Claim) -> set[tuple[int | None, int | None]]:
    return {(c.location.page, c.location.line)} | {(x.page, x.line) for x in c.locations.values()}


def _uncovered(generic: list[Claim], read: list[Claim]) -> list[Claim]:
    """Generic readings of sentences no profile pattern read (one sentence, one reading)."""
    covered: set[tuple[int | None, int | None]] = set()
    for c in read:
        covered |= _lines_of(c)
    return [g for g in generic if not _lines_of(g) & covered]


def _spans(doc: SourceDoc, rec: Recognition) -> list[tuple[str, Span]]:
    """Sections to read: the explanations, part one, the cover and the contact part."""
    out = [(k, s) for k, s in rec.sections.items() if re.fullmatch(r"s\d+", k)]
    first = min((s.start for _, s in out), default=len(doc.lines))
    cover_end = min([first] + [p.start for p in rec.parts.values()])
    out.append(("cover", Span("cover", "", 0, max(cover_end, 1), Location(file=doc.path, line=1))))
    for kind, topic in (("overview", "p1"), ("contact", "contact")):
        part = rec.parts.get(kind)
        if part is not None:
            out.append((topic, part))
    return out
