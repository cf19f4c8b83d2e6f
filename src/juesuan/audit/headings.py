"""Lines that may be titles: their normal form, their numbering, the table of contents.

The recogniser (``recognize``) and the document-kind test (``kind``) compare
lines in one normal form (NFKC, no spaces, no Markdown markers) and split a
title's numbering (第一部分, 一、, （一）, 表一, 1.) from its text; the table of
contents prints the same titles without content, so its lines are never taken
as a start.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from juesuan.audit.document import Line

__all__ = ["CN_DIGITS", "SLOT", "TABLE_CODE", "YEAR_PREFIX", "Cand", "candidates", "cn_number", "nfkc", "normalise", "similar", "strip_number",
           "title_key", "toc_range"]

CN_DIGITS = "一二三四五六七八九十"
_NUMBER = re.compile(
    r"^(?:第(?P<part>[一二三四五六七八九十]+)部分"
    r"|(?P<top>[一二三四五六七八九十]+)[、.,:;．，：]"
    r"|\((?P<sub>[一二三四五六七八九十]+)\)[、.]?"
    r"|表(?P<tab>[一二三四五六七八九十]+)[、.:：]?"
    r"|(?P<arabic>\d{1,2})[、.](?!\d))"
)
TABLE_CODE = re.compile(r"\(?公开\d{1,2}表\)?")
_LEADERS = re.compile(r"[.…·]{2,}\d*$|\d+$")
SLOT = re.compile(r"\{[^}]*\}")
YEAR_PREFIX = re.compile(r"^20\d\d年度?")


_MD_MARKS = str.maketrans("", "", "*_`")


def nfkc(text: str) -> str:
    """NFKC, skipping the (slower) normalisation of text that already is NFKC."""
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def normalise(text: str) -> str:
    """Comparable form of a line: NFKC, no Markdown markers, no whitespace.

    It runs on every line, so it uses str methods, not regex passes: ``split()``
    drops exactly the characters regex ``\\s`` matches, and removing all
    whitespace first, then the leading run of # > - * +, then every * _ and
    backquote gives the same text as the Markdown-prefix regex followed by
    whitespace removal.
    """
    text = "".join(nfkc(text).split()).lstrip("#>-*+")
    return text.translate(_MD_MARKS) if "*" in text or "_" in text or "`" in text else text


def cn_number(text: str) -> int | None:
    """一 … 九十九 → int."""
    if not text or any(ch not in CN_DIGITS for ch in text):
        return None
    if text == "十":
        return 10
    if "十" in text:
        tens, _, units = text.partition("十")
        return (CN_DIGITS.index(tens) + 1 if tens else 1) * 10 + (CN_DIGITS.index(units) + 1 if units else 0)
    return CN_DIGITS.index(text) + 1 if len(text) == 1 else None


def strip_number(norm: str) -> tuple[str, str, str]:
    """Split a normalised title into (kind, number, rest): kind part/top/sub/tab/arabic or ''."""
    m = _NUMBER.match(norm)
    if not m:
        return "", "", norm
    kind = m.lastgroup or ""
    return kind, m.group(kind), norm[m.end():]


def similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


@functools.cache
def title_key(pattern: str) -> str:
    """A profile title pattern without its slots, numbering and final punctuation.

    Cached: the patterns are the profiles' titles, the same for every document."""
    return normalise(SLOT.sub("", pattern)).rstrip("。.:：")


@dataclass
class Cand:
    index: int  # line index
    kind: str
    number: str
    rest: str  # normalised title text without numbering
    joined: bool  # title continued on the next line


def candidates(lines: list[Line], norms: list[str], skip: range) -> list[Cand]:
    """Lines that may be titles (short, outside the table of contents), with their next-line joins."""
    out: list[Cand] = []
    for i, norm in enumerate(norms):
        if not norm or len(norm) > 60 or i in skip:
            continue
        kind, number, rest = strip_number(norm)
        out.append(Cand(i, kind, number, rest.rstrip("。.:："), False))
        nxt = _next_text(lines, norms, i)
        if nxt and len(norm) >= 6 and len(nxt) <= 20 and not strip_number(nxt)[0]:
            out.append(Cand(i, kind, number, (rest + nxt).rstrip("。.:："), True))
    return out


def _next_text(lines: list[Line], norms: list[str], i: int) -> str:
    if i + 1 < len(lines) and lines[i + 1].page == lines[i].page:
        return norms[i + 1]
    return ""


_TOC_ENTRY = re.compile(r"(?:[.…·]{3,}|[.…·]{2,}\d+$)")


def _joined_from(norms: list[str], j: int, size: int) -> str:
    """Lines from ``j`` on, blank ones skipped, joined until ``size`` characters (at most 4 lines):
    a title the body prints over two lines (“第一部分” / “上海市普陀区财政局概况”)."""
    out, taken = "", 0
    for k in range(j, min(len(norms), j + 8)):
        if norms[k]:
            out += norms[k]
            taken += 1
        if len(out) >= size or taken == 4:
            break
    return out


def toc_range(norms: list[str]) -> range:
    """The lines of the table of contents: from 目录 to the body's repeat of its first entry,
    or, when the body never repeats it verbatim, to the last line with leader dots
    (“第四部分 名词解释 ……… 36”) before three lines without them."""
    start = next((i for i, norm in enumerate(norms[:400])
                  if norm in ("目录", "目次") or (norm == "目" and _joined_from(norms, i, 2) in ("目录", "目次"))), None)
    if start is None:
        return range(0)
    body = start
    if norms[start] == "目":  # “目” and “录” on lines of their own
        body = next(i for i in range(start + 1, len(norms)) if norms[i])
    first = None
    last_entry, misses = start, 0
    leader_end: int | None = None
    for j in range(body + 1, min(len(norms), body + 200)):
        raw = norms[j]
        norm = _LEADERS.sub("", raw)
        if not norm:
            continue
        if first is None:
            first = norm
            if _TOC_ENTRY.search(raw):
                last_entry = j
            continue
        if norm == first or (first.startswith(norm) and _joined_from(norms, j, len(first)) == first):
            return range(start, j)  # the body's repeat, on one line or split over a few
        if leader_end is None:
            if _TOC_ENTRY.search(raw):
                last_entry, misses = j, 0
            elif not re.fullmatch(r"\d{1,3}", norm):
                misses += 1
                if misses >= 3:
                    leader_end = last_entry + 1
    if leader_end is None and last_entry > start:
        leader_end = last_entry + 1
    return range(start, leader_end if leader_end is not None else start + 1)
