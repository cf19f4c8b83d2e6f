"""Sentence patterns: one template both writes a sentence and reads it back.

A pattern is text with typed slots, ``{name:type}`` (type defaults to
``text``); ``{{`` and ``}}`` are literal braces::

    "{dept}{year:year}年度收入、支出决算总计{total:amount}万元。"

``render(pattern, values)`` writes the sentence; ``compile(pattern)`` gives a
regular expression that reads it back from extracted PDF/Word text, which
tolerates whitespace or line breaks between any two characters, full-width
digits, and the half-/full-width variants of the punctuation (（）(), ：:, ，,,
；;, “”"…); ``match`` and ``finditer`` return each slot's value and span.

Slot types (value type in brackets):

- ``amount`` [Decimal]: printed ``4,499.46`` (half-up, 2 places); read with or
  without thousands separators, with spaces and full-width digits.
- ``pct`` [Decimal]: printed ``233.70%``; read ``233.7 %``, ``0％`` …
- ``count`` [int], ``year`` [int], ``cn`` [int, printed 一 二 … 二十].
- ``incdec`` 增加/减少, ``growth`` 增长/下降, ``growdec`` 增长/减少,
  ``gtlt`` 大于/小于 [int sign]: the word chosen by the sign of the value
  (an int or a Decimal; 0 takes the first word); each has a ``_flat``
  variant (``incdec_flat`` …) that writes 持平 for 0.
- ``text`` [str]: free text up to a sentence end (。); read back without
  whitespace.  ``name`` [str]: a name (no ，。；：).  A free slot at the end
  of a pattern reads to the end of the text or the next 。.
- ``items`` [list of (name, Decimal)]: ``基本工资315.82万元、津贴补贴262.08万元``.
- ``names`` [list of str]: ``基本工资、津贴补贴``.
- ``phone`` [str]: digits, dashes, parentheses and spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from juesuan import runcache
from juesuan.model.money import fmt_amount, fmt_pct

__all__ = [
    "SLOT_TYPES",
    "PatternError",
    "Slot",
    "cn_number",
    "compile",
    "finditer",
    "match",
    "parse_amount",
    "render",
    "slots",
]


class PatternError(ValueError):
    """A malformed pattern or a value that does not fit its slot."""


@dataclass(frozen=True)
class Slot:
    name: str
    type: str


_SLOT_RE = re.compile(r"\{\{|\}\}|\{(\w+)(?::(\w+))?\}")

_D = "[0-9０-９]"
_WS = r"\s*"
_FULL = str.maketrans("０１２３４５６７８９．，－％", "0123456789.,-%")

# Every regex on document text runs in linear time per start position: no two
# quantifiers may share the characters they read.  A number's digit runs are
# possessive (``*+``: nothing after a number starts with a digit); a free slot
# right before a number may not end inside the number's digits (the guards
# below: the shorter reading has been tried already, so the longer one would
# fail the same way); the items of a list are atomic groups.  tests/test_patterns
# and tests/test_hostile prove the readings and the time on the worst inputs.
_NUMBER_BT = (
    rf"[-－]?{_WS}{_D}(?:{_WS}{_D})*(?:{_WS}[,，]{_WS}{_D}{_WS}{_D}{_WS}{_D})*"
    rf"(?:{_WS}[.．]{_WS}{_D}(?:{_WS}{_D})*)?"
)
# the same number, possessive: for a number followed by a unit, a % sign or any
# character that is not a digit, a space, a comma or a point (the amounts and
# percentages of every shipped pattern, and those of audit/generic.py)
_NUMBER = (
    rf"[-－]?{_WS}{_D}(?:{_WS}{_D})*+(?:{_WS}[,，]{_WS}{_D}{_WS}{_D}{_WS}{_D})*+"
    rf"(?:{_WS}[.．]{_WS}{_D}(?:{_WS}{_D})*+)?+"
)
# without thousands separators (a list item that another item's name runs over)
_NUMBER_NC = rf"[-－]?{_WS}{_D}(?:{_WS}{_D})*+(?:{_WS}[.．]{_WS}{_D}(?:{_WS}{_D})*+)?+"
_INT_BT = rf"{_D}(?:{_WS}{_D})*"
_INT = rf"{_D}(?:{_WS}{_D})*+"
# the end of a free slot (two characters or more) before an amount/percentage: not
# after a digit (unless a minus sign follows) nor after a space; before a count: not
# after a digit or a space; before anything else: not after a space
_GUARD_NUM = r"(?:(?<![\s0-9０-９])|(?<=[0-9０-９])(?=\s*[-－]))"
_GUARD_INT = r"(?<![\s0-9０-９])"
# what may follow a possessive number without changing its reading
_SAFE_AFTER_NUMBER = re.compile(r"[^\s0-9０-９,，.．\-－]")
_SAFE_AFTER_INT = re.compile(r"[^\s0-9０-９]")

# sign word pairs: (positive/zero word, negative word)
_DIRECTIONS: dict[str, tuple[str, str]] = {
    "incdec": ("增加", "减少"),
    "growth": ("增长", "下降"),
    "growdec": ("增长", "减少"),
    "gtlt": ("大于", "小于"),
}
FLAT_WORD = "持平"

_CN_DIGITS = "零一二三四五六七八九"

_PUNCT: dict[str, str] = {
    "（": "（(", "(": "（(", "）": "）)", ")": "）)",
    "：": "：:", ":": "：:", "，": "，,", ",": "，,",
    "；": "；;", ";": "；;", "！": "！!", "？": "？?",
    "“": "“”\"", "”": "“”\"", '"': "“”\"",
    "‘": "‘’'", "’": "‘’'", "'": "‘’'",
    "%": "%％", "％": "%％", "、": "、,，",
    "．": ".．", ".": ".．、",
}

SLOT_TYPES = (
    "amount", "pct", "count", "year", "cn", "text", "name", "items", "names", "phone",
    *_DIRECTIONS, *(f"{k}_flat" for k in _DIRECTIONS),
)  # fmt: skip


# a list of items, “基本工资315.82万元、津贴补贴262.08万元”: an item is its name and
# amount up to the first 万元 (atomic: one way only) or, when what follows does not
# fit, up to a later 万元 of the same stretch (a name that runs over an item
# without separators: “工资100万元其中绩效30万元”), first the nearest
_ITEM_SEP = "。、，,；;：:"
_ITEM_NAME = rf"[^{_ITEM_SEP}](?:|[^{_ITEM_SEP}]+?{_GUARD_NUM})"  # one character unguarded
_ITEM_ONE = rf"{_ITEM_NAME}{_WS}{_NUMBER}{_WS}万{_WS}元"
_ITEM_ONE_NC = rf"{_ITEM_NAME}{_WS}{_NUMBER_NC}{_WS}万{_WS}元"
_ITEM_MORE = rf"(?:|{_ITEM_NAME}){_WS}{_NUMBER}{_WS}万{_WS}元"
_ITEM_MORE_NC = rf"(?:|{_ITEM_NAME}){_WS}{_NUMBER_NC}{_WS}万{_WS}元"
_ITEM = rf"(?:(?>{_ITEM_ONE})|(?>{_ITEM_ONE_NC})(?>{_ITEM_MORE_NC})*?(?>{_ITEM_MORE}))"
_ITEMS = rf"{_ITEM}(?:{_WS}[、,，]{_WS}{_ITEM})*"
_ITEM_PARSE = re.compile(rf"\s*(?P<n>{_ITEM_NAME}){_WS}(?P<a>{_NUMBER}){_WS}万{_WS}元")


# --- parsing the template ---------------------------------------------------


@lru_cache(maxsize=2048)
def _tokens(pattern: str) -> tuple[str | Slot, ...]:
    """Literal strings and slots, in order."""
    out: list[str | Slot] = []
    pos = 0
    buf = ""
    for m in _SLOT_RE.finditer(pattern):
        buf += pattern[pos : m.start()]
        pos = m.end()
        if m.group(0) in ("{{", "}}"):
            buf += m.group(0)[0]
            continue
        if buf:
            out.append(buf)
            buf = ""
        stype = m.group(2) or "text"
        if stype not in SLOT_TYPES:
            raise PatternError(f"未知的槽位类型“{stype}”：{pattern}")
        out.append(Slot(m.group(1), stype))
    buf += pattern[pos:]
    if "{" in buf.replace("{{", "") or "}" in buf.replace("}}", ""):
        raise PatternError(f"花括号不成对：{pattern}")
    if buf:
        out.append(buf)
    return tuple(out)


def slots(pattern: str) -> list[Slot]:
    """The slots of a pattern, in order (a repeated name appears once)."""
    seen: dict[str, Slot] = {}
    for t in _tokens(pattern):
        if isinstance(t, Slot) and t.name not in seen:
            seen[t.name] = t
    return list(seen.values())


# --- rendering --------------------------------------------------------------


def _sign(value: Any) -> int:
    v = Decimal(value)
    return (v > 0) - (v < 0)


def cn_number(n: int) -> str:
    if not 0 < n < 100:
        raise PatternError(f"中文序号只支持 1–99：{n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def _render_slot(slot: Slot, value: Any, grouping: bool) -> str:
    t = slot.type
    if t == "amount":
        return fmt_amount(Decimal(value), grouping=grouping)
    if t == "pct":
        return fmt_pct(Decimal(value))
    if t in ("count", "year"):
        return str(int(value))
    if t == "cn":
        return cn_number(int(value))
    base = t.removesuffix("_flat")
    if base in _DIRECTIONS:
        s = _sign(value)
        if s == 0 and t.endswith("_flat"):
            return FLAT_WORD
        return _DIRECTIONS[base][0 if s >= 0 else 1]
    if t == "items":
        return "、".join(f"{n}{fmt_amount(Decimal(a), grouping=grouping)}万元" for n, a in value)
    if t == "names":
        return "、".join(str(v) for v in value)
    text = str(value)
    if t == "text":
        text = text.rstrip("。")
    return text


def render(pattern: str, values: dict[str, Any], *, grouping: bool = True) -> str:
    """Write the sentence: every slot filled from ``values`` (missing slot = error)."""
    out: list[str] = []
    for t in _tokens(pattern):
        if isinstance(t, str):
            out.append(t)
            continue
        if t.name not in values:
            raise PatternError(f"缺少槽位“{t.name}”的值：{pattern}")
        out.append(_render_slot(t, values[t.name], grouping))
    return "".join(out)


# --- reading ----------------------------------------------------------------


def _literal(text: str) -> str:
    """Regex for a literal: optional whitespace between characters, punctuation variants."""
    parts = []
    for ch in text:
        if ch.isspace():
            continue
        alts = _PUNCT.get(ch)
        if alts:
            parts.append("[" + re.escape(alts) + "]")
        elif "0" <= ch <= "9":
            parts.append("[" + ch + chr(ord(ch) - ord("0") + ord("０")) + "]")
        else:
            parts.append(re.escape(ch))
    return _WS.join(parts)


def _word(word: str) -> str:
    return _WS.join(re.escape(c) for c in word)


def _safe_before(follow: str | Slot | None, safe: re.Pattern[str]) -> bool:
    """Whether a possessive number reads the same before ``follow`` (the next token, None = the end)."""
    if follow is None:
        return True
    if isinstance(follow, Slot):
        return False
    ch = follow.lstrip()[:1]
    return bool(ch) and all(safe.match(c) for c in _PUNCT.get(ch, ch))


def _guard(follow: str | Slot | None) -> str:
    """The end guard of a free slot before ``follow`` (see _GUARD_NUM)."""
    if isinstance(follow, Slot):
        if follow.type in ("amount", "pct"):
            return _GUARD_NUM
        if follow.type == "count":
            return _GUARD_INT
    # not after a space: the join (\s*) reads the spaces, from the shorter reading already
    return r"(?<!\s)"


def _slot_regex(slot: Slot, last: bool, follow: str | Slot | None = None) -> str:
    t = slot.type
    if t == "amount":
        return _NUMBER if _safe_before(follow, _SAFE_AFTER_NUMBER) else _NUMBER_BT
    if t == "pct":
        return rf"{_NUMBER}{_WS}[%％]"
    if t in ("count",):
        return _INT if _safe_before(follow, _SAFE_AFTER_INT) else _INT_BT
    if t == "year":
        return rf"{_D}{_WS}{_D}{_WS}{_D}{_WS}{_D}"
    if t == "cn":
        return "[零一二三四五六七八九十](?:\\s*[零一二三四五六七八九十])*"
    base = t.removesuffix("_flat")
    if base in _DIRECTIONS:
        words = list(_DIRECTIONS[base]) + ([FLAT_WORD] if t.endswith("_flat") else [])
        return "|".join(_word(w) for w in words)
    if t == "items":
        return _ITEMS
    if t == "phone":
        return r"[0-9０-９][0-9０-９\-－—()（）\s]*[0-9０-９\-－]?" if last else r"[0-9０-９][0-9０-９\-－—()（）\s]*?"
    chars = {"names": "[^。；;：:]", "name": "[^。，,；;：:]"}.get(t, "[^。]")
    if last:
        return chars + ("*" if t == "text" else "+")
    guard = _guard(follow)
    if not guard:
        return chars + ("*?" if t == "text" else "+?")
    # shortest first, as ``*?``/``+?``; a reading of one character (or none) unguarded
    one = rf"{chars}(?:|{chars}+?{guard})"
    return rf"(?:|{one})" if t == "text" else one


class _Reader:
    """A compiled pattern whose ``search`` skips the starts that cannot be leftmost.

    When a pattern begins with a name (or a count), a match that starts inside a
    run of the name's characters also starts one character earlier, so the
    leftmost match starts at the search position or where such a run begins:
    ``search`` tries the first, then only the second (a lookbehind), and the
    name of a failed start is never read again from each of its characters
    (linear, not quadratic, on a long run).  Same matches as ``regex``.
    """

    def __init__(self, regex: re.Pattern[str], run_start: re.Pattern[str] | None) -> None:
        self.regex, self._run_start = regex, run_start
        self.pattern = regex.pattern

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        if self._run_start is None:
            return self.regex.search(text, pos, end)
        return self.regex.match(text, pos, end) or self._run_start.search(text, pos + 1, end)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):  # noqa: ANN201 - like re
        end = len(text) if endpos is None else endpos
        while pos <= end:
            m = self.search(text, pos, end)
            if m is None:
                return
            yield m
            pos = m.end() if m.end() > m.start() else m.end() + 1

    def __getattr__(self, name: str):  # noqa: ANN204 - everything else as re.Pattern
        return getattr(self.regex, name)


_RUN_CLASS = {"name": "[^。，,；;：:]", "names": "[^。；;：:]", "count": _D}


@lru_cache(maxsize=2048)
def _compiled(pattern: str) -> tuple[_Reader, tuple[tuple[str, Slot], ...]]:
    toks = [t for t in _tokens(pattern) if not (isinstance(t, str) and not _literal(t))]
    regex: list[str] = []
    groups: list[tuple[str, Slot]] = []
    for i, t in enumerate(toks):
        if isinstance(t, str):
            regex.append(_literal(t))
            continue
        gname = f"g{len(groups)}"
        groups.append((gname, t))
        follow = toks[i + 1] if i + 1 < len(toks) else None
        regex.append(f"(?P<{gname}>{_slot_regex(t, i == len(toks) - 1, follow)})")
    body = _WS.join(regex)
    first = toks[0] if toks else None
    run = _RUN_CLASS.get(first.type) if isinstance(first, Slot) else None
    compiled = runcache.compile
    return _Reader(compiled(body), compiled(f"(?<!{run}){body}") if run else None), tuple(groups)


def compile(pattern: str) -> re.Pattern[str]:  # noqa: A001 - the API name the audit expects
    """The regular expression that reads the pattern's sentences (group ``g<i>`` = i-th slot).

    Its ``search`` may read a long run of name characters once per start; ``match``
    and ``finditer`` below (and the audit) skip the starts that cannot be leftmost.
    """
    return _compiled(pattern)[0].regex


def _clean_digits(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_FULL).replace(",", "").replace("－", "-")


def parse_amount(text: str) -> Decimal:
    """'4,499.46', '4 499.46', '４４９９．４６', '3029.5' -> Decimal."""
    return Decimal(_clean_digits(text))


def _parse_cn(text: str) -> int:
    text = re.sub(r"\s+", "", text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.index(tens) if tens else 1) * 10 + (_CN_DIGITS.index(ones) if ones else 0)
    return _CN_DIGITS.index(text)


def _parse_slot(slot: Slot, raw: str) -> Any:
    t = slot.type
    if t == "amount":
        return parse_amount(raw)
    if t == "pct":
        return parse_amount(re.sub(r"[%％]", "", raw))
    if t in ("count", "year"):
        return int(_clean_digits(raw))
    if t == "cn":
        return _parse_cn(raw)
    base = t.removesuffix("_flat")
    if base in _DIRECTIONS:
        word = re.sub(r"\s+", "", raw)
        if word == FLAT_WORD:
            return 0
        return 1 if word == _DIRECTIONS[base][0] else -1
    if t == "items":
        return [(re.sub(r"\s+", "", m.group("n")), parse_amount(m.group("a"))) for m in _ITEM_PARSE.finditer(raw)]
    if t == "names":
        return [re.sub(r"\s+", "", p) for p in re.split(r"[、,，]", raw) if p.strip()]
    return re.sub(r"\s+", "", raw)


def _result(m: re.Match[str], groups: tuple[tuple[str, Slot], ...]) -> dict[str, tuple[Any, tuple[int, int]]]:
    out: dict[str, tuple[Any, tuple[int, int]]] = {}
    for gname, slot in groups:
        if slot.name in out:  # a repeated slot: the first occurrence stands
            continue
        out[slot.name] = (_parse_slot(slot, m.group(gname)), m.span(gname))
    return out


def match(pattern: str, text: str) -> dict[str, tuple[Any, tuple[int, int]]] | None:
    """The first sentence of ``text`` the pattern reads: {slot: (value, (start, end))}, or None."""
    regex, groups = _compiled(pattern)
    m = regex.search(text)
    return None if m is None else _result(m, groups)


def finditer(pattern: str, text: str):  # noqa: ANN201 - generator of (span, slots)
    """Every sentence of ``text`` the pattern reads: yields ((start, end), {slot: (value, span)})."""
    regex, groups = _compiled(pattern)
    for m in regex.finditer(text):
        yield m.span(), _result(m, groups)
