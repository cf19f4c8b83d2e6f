"""Where a finding is, in the words a reviewer uses for the document they hold.

A PDF has pages and lines.  Word has neither in the file (its pages are
whatever the reviewer's Word lays out), so a finding in a Word document is
placed by the heading it stands under and the paragraph's number below that
heading: "“三、一般公共预算财政拨款支出决算情况说明”下第 2 段".  Table rows count
as paragraphs, as Word's own navigation does.
"""

from __future__ import annotations

import re

# a heading of these documents: 第一部分 …, 一、…, （一）…, 1. …  (short, no closing 。)
_HEADING = re.compile(r"^\s*(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]"
                      r"|附件|附表|[一二三四五六七八九十]+是)")


def is_heading(text: str) -> bool:
    t = text.strip()
    return bool(t) and len(t) <= 60 and not t.endswith(("。", "；", ";")) and bool(_HEADING.match(t))


def word_places(lines: list[tuple[int | None, int, str]]) -> dict[tuple[int | None, int], str]:
    """For each (page, line) of a Word document: the heading above it and its paragraph number there."""
    out: dict[tuple[int | None, int], str] = {}
    heading, k, seen = "", 0, 0
    for page, number, text in lines:
        if not text.strip():
            continue
        seen += 1
        if is_heading(text):
            heading, k = text.strip(), 0
            out[(page, number)] = f"标题“{_short(heading)}”（全文第 {seen} 段）"
            continue
        k += 1
        under = f"“{_short(heading)}”下第 {k} 段" if heading else f"开头第 {k} 段"
        out[(page, number)] = f"{under}（全文第 {seen} 段）"
    return out


def _short(text: str, n: int = 30) -> str:
    text = text.split("\t")[0].strip()
    return text if len(text) <= n else text[:n] + "…"


def where(page: int | None, line: int | None, places: dict[tuple[int | None, int], str] | None) -> str:
    """The place of a finding: heading and paragraph (Word), else page and line."""
    if places is not None and line is not None:
        place = places.get((page, line))
        if place:
            return place
    return "，".join(x for x in (f"第 {page} 页" if page else "", f"第 {line} 行" if line else "") if x) or "全文"
