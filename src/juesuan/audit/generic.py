"""The generic claim reader: the common claim shapes, in any province's wording.

A profile's patterns read the sentences of the templates the project knows.  A
document written in other words still states the same few kinds of fact, and
each can be checked from the sentence alone (issue 7, requirement 4):

- ``generic.rate`` — 年初预算 b 万元，支出决算 a 万元，完成（年初）预算的 r%
  (also 全年预算数 … 执行数 …): r = a ÷ b;
- ``generic.change`` — a 万元，比上年（决算数）增加/减少 d 万元，增长/下降 p%:
  last year = a ∓ d, p = d ÷ last year, and the two direction words agree;
- ``generic.share`` — X 万元，占（W 的）p%: the whole is the total of the same
  sentence's “T 万元，其中：…”, or the figure W names earlier in the section
  (“政府采购支出总额 1967.42 万元” for 占政府采购支出总额的 92.54%), or named at the
  sentence's head (“W 中，X 万元，占 p%”), or, for such a whole printed nowhere before, the sum of
  the sentence's parts when they are all of it (the three of “三公”, or shares adding up to 100 %);
- ``generic.totals`` — 收入总计 X 万元，支出总计 Y 万元: X = Y (both totals of the 总表), unless
  the sentence goes on with 结转/结余; and a next sentence “收支较上年决算数增加 D 万元、增长 p%”
  is a ``generic.change`` of that total;
- ``generic.parts`` — 政府采购支出总额 T 万元，其中：货物 a、工程 b、服务 c: T = a + b + c; “三公”经费
  T 万元，其中：its three parts (and no other figure): T = their sum; 基本支出 T 万元，其中：人员经费
  a 万元 … 公用经费 b 万元, no other figure between them: T = a + b; 公务用车购置及运行（维护）费 T 万元
  （其中：）公务用车购置费 a 万元 … 运行（维护）费 b 万元 (either order): T = a + b (all by definition).
  The budgets' wordings of 政府采购 are read too (政府采购预算总额 / 政府采购安排 T，其中：货物类采购预算 a …).

- ``generic.pct_blank`` — X 万元，占基本支出预算%: a share whose figure is missing.

A change printed after the last part of a “T 万元，其中：a，b” total may be of the total (梧州's
budgets write “总预算 T，其中：基本支出 a，项目支出 b，同比增加 d，增长 p%” of T): such a change
carries ``of_total`` and is not called wrong when it fits T.

Amounts may be printed in 万元 or in 元 (read as 万元).  Wordings read: 为年初预算的 r%, 决算数占年初
预算数的 r%, 预算执行率 r%; 与上年相比/同比/按同口径同比/较2024年的 X 万元/较2019年度决算数据 …, the
subject said again after the comparison (“收入合计 X，与2022年度相比，收入合计减少 D”), with 降低 and 减少了,
a share or 比预算 clause between the amount and its change, and a subject-less “较…” sentence after
“X 万元，为…。”; a total ending the sentence before “其中”, and “主要用于以下方面”.  Not read, being
ambiguous: a percentage with no amount of change or no budget figure, paired figures (各是 a、b 万元),
a share inside a second “其中”, a change whose amount is in another sentence, 较年初预算.

Each claim is a ``Claim`` with ``context["generic"] = True``, so the report says
it was read this way.  Nothing here names a profile's pattern key.
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal
from functools import lru_cache

from juesuan import runcache
from juesuan.audit.claims import Joined
from juesuan.audit.model import Claim
from juesuan.model.money import HUNDRED, Interval, isum
from juesuan.patterns import _NUMBER as AMT
from juesuan.patterns import parse_amount

__all__ = ["generic_claims"]

_W = r"\s*"
PCT = rf"{AMT}\s*[%％]"
_C = r"\s*[，,]\s*"  # a comma, with the spaces a PDF's text leaves around it


def _money(name: str) -> str:
    """An amount with its unit, 万元 or 元 (``name`` and ``name_u``): the ratios need one unit, not a given one."""
    return rf"(?P<{name}>{AMT})\s*(?P<{name}_u>万\s*元|元)"


def _lit(word: str) -> str:
    return _W.join(re.escape(c) for c in word)


def _alt(*words: str) -> str:
    return "(?:" + "|".join(_lit(w) for w in words) + ")"


_BUDGET = _alt("年初预算数", "年初预算", "全年预算数", "全年预算", "调整后预算数", "调整后预算", "调整预算数",
               "调整预算", "预算数", "预算")
_ACTUAL = _alt("支出决算数", "支出决算", "决算数", "决算", "执行数", "实际支出")
_IS = rf"(?:{_alt('为', '是')})?"
# “完成（年初）预算（数）的 r%”, “为（年初）预算的 r%”, “（决算数）占年初预算数的 r%”, “预算执行率（为）r%”
_DONE = (rf"(?:(?:{_alt('完成', '为', '达到')}|(?:{_alt('决算数', '决算')})?{_W}{_lit('占')}){_W}"
         rf"(?:{_alt('年初', '全年', '调整后', '调整')})?{_W}{_alt('预算数', '预算')}{_W}(?:{_alt('的')})?"
         rf"|(?:{_alt('预算')})?{_W}{_alt('执行率', '完成率')}{_W}(?:{_alt('为', '是', '达')})?)")

_RATE = runcache.compile(
    rf"{_BUDGET}{_W}{_IS}{_W}{_money('b')}[，,]?[^。；;%％]{{0,24}}?{_ACTUAL}{_W}{_IS}{_W}{_money('a')}"
    rf"{_C}{_DONE}{_W}(?P<r>{PCT})"
)
_RATE_REV = runcache.compile(
    rf"{_ACTUAL}{_W}{_IS}{_W}{_money('a')}[，,]?[^。；;%％]{{0,24}}?{_BUDGET}{_W}{_IS}{_W}{_money('b')}"
    rf"{_C}{_DONE}{_W}(?P<r>{PCT})"
)
# “…费支出决算为 a 万元，完成预算的 r%，比预算减少 d 万元”: the budget is a + d (a − d for 增加)
_RATE_DIFF = runcache.compile(
    rf"(?:{_ACTUAL}{_W}{_IS}{_W})?{_money('a')}{_C}{_DONE}{_W}(?P<r>{PCT}){_C}{_lit('比')}{_W}(?:{_alt('年初', '全年')})?"
    rf"{_W}{_alt('预算数', '预算')}{_W}(?P<dir>{_alt('增加', '减少')}){_W}{_money('d')}"
)
_LAST = rf"(?:{_alt('上年', '上一年', '上年度', '去年')}|20{_W}\d{_W}\d{_W}年{_W}(?:度)?)"
# what the amount is compared with: “比上年（决算数）（相比）”, “与2022年度决算相比”, “（按同口径）同比”,
# and last year's own figure when the sentence prints it (“较2024年的2190万元”, “比上年累计支出433万元”)
def _vs(last: str) -> str:
    return (rf"(?:{_lit('按')}{_W})?(?:{_lit('同口径')}{_W})?"
            rf"(?:{_lit('同比')}|{_alt('比', '较', '与')}{_W}{_LAST}{_W}"
            rf"(?:{_alt('决算数据', '决算数', '决算', '同期')})?{_W}(?:{_alt('相比', '比较')})?"
            rf"(?:{_W}(?:{_alt('的', '累计支出', '支出', '决算数', '决算')})?{_W}"
            rf"(?P<{last}>{AMT})(?:\s*(?P<{last}_u>万\s*元|元))?)?)")  # “较上年2.08减少0.03万元”: unit once


_VS = _vs("last")
# between the amount and its comparison: its share (“，占支出总预算 78.33%”), its budget comparison
# (“，比预算增加 0 万元”) or its rate (“，完成预算 100%”), or, for a change sentence with no subject of its own, the amount's
# definition (“，为市本级财政当年拨付的资金。较2020年度决算数…”)
_BETWEEN = (rf"(?:{_C}{_lit('占')}[^。；;，,%％]{{0,30}}?{PCT}"
            rf"|{_C}{_DONE}{_W}{PCT}"
            rf"|{_C}{_lit('比')}{_W}(?:{_lit('年初')})?{_W}{_alt('预算数', '预算')}{_W}{_alt('增加', '减少')}{_W}"
            rf"{AMT}\s*(?:万\s*元|元)"
            rf"|\s*[，,:：]\s*{_alt('为', '主要用于', '用于')}(?:[^。；;\d%％\n]|\n(?!\s*\n)){{2,60}}。)?")
_TREND = _alt("增长", "下降", "减少", "增加", "降低", "上升")
# a note after an amount: “3349.97万元（含使用非财政拨款结转结余和年初结转结余）”, “2883.63万元（详见部门预算公开表1,2）”
_PAREN = r"(?:\s*[（(][^（）()。]{1,30}[）)])?"
# “X 万元，与2021年度预算相比，增加 D 万元，增长 p%” (Anhui's 三公 items): the base is the budget, not last year
_VS_BUDGET = (rf"(?:(?:{_lit('与')})?{_W}(?:20{_W}\d{_W}\d{_W}年{_W}(?:度)?)?{_W}(?:{_alt('年初', '全年')})?{_W}"
              rf"{_alt('预算数', '预算')}{_W}{_alt('相比', '比较')}"
              rf"|{_alt('比', '较')}{_W}{_alt('年初', '全年')}{_W}{_alt('预算数', '预算')})")  # “比年初预算数增加”
# the national template's “T 万元，占本年支出合计的 s%。与2022年度相比，<subject> 增加 D 万元，增长 p%”: a
# change sentence without a figure whose subject is the one of the figure ending the sentence before
_CHANGE_NEXT = runcache.compile(
    rf"{_money('a')}(?P<mid>[^。；;\n\d]{{0,12}}(?:{_C}{_lit('占')}[^。；;\d%％]{{0,20}}{PCT})?)\s*。{_W}"
    rf"(?:{_alt('与', '比', '较')}{_W}{_LAST}{_W}(?:{_alt('决算数', '决算')})?{_W}{_alt('相比', '比较')}|{_lit('同比')})"
    rf"\s*[，,]{_W}(?P<subj>[^，,。；;\d%％\s]{{2,30}}?){_W}"
    rf"(?P<dir>{_alt('增加', '减少', '增长', '下降', '降低')}){_W}{_money('d')}{_C}"
    rf"(?P<trend>{_TREND}){_W}(?:{_lit('了')})?{_W}(?P<p>{PCT})"
)
_CHANGE_BUDGET = runcache.compile(
    rf"{_money('a')}\s*[，,]?{_W}{_VS_BUDGET}{_W}[，,]?{_W}"
    rf"(?P<dir>{_alt('增加', '减少', '增长', '下降', '降低')}){_W}{_money('d')}{_C}"
    rf"(?P<trend>{_TREND}){_W}(?:{_lit('了')})?{_W}(?P<p>{PCT})"
)
_CHANGE = runcache.compile(
    rf"{_money('a')}{_PAREN}{_BETWEEN}\s*[，,]?{_W}{_VS}{_W}[，,]?{_W}(?P<again>[^，,、。；;\d%％\s各]{{2,16}}?)??{_W}"
    rf"(?P<dir>{_alt('增加', '减少', '增长', '下降', '降低')}){_W}{_money('d')}{_C}"
    rf"(?P<trend>{_TREND}){_W}(?:{_lit('了')})?{_W}(?P<p>{PCT})"
)
_SHARE = runcache.compile(
    rf"{_money('x')}{_C}{_lit('占')}{_W}(?:{_lit('比')})?{_W}"
    rf"(?:(?P<whole>[^。；;，,\d%％]{{2,24}}?){_W}(?:{_lit('的')})?)?{_W}(?:{_lit('比重为')}|{_lit('比例为')})?{_W}"
    rf"(?P<p>{PCT})"
)
# “商品和服务支出预算 75800 元，占基本支出预算%，…”: a share whose figure was left out
_SHARE_BLANK = runcache.compile(rf"{_money('x')}{_C}{_lit('占')}[^。；;，,\d%％]{{1,24}}?(?<![\d.．\s])\s*(?P<p>[%％])")
# the total a list of parts follows: “T 万元，其中：”, “T 万元。其中”, “T 万元，主要用于以下方面：”
_OF_WHICH = runcache.compile(rf"{_money('t')}\s*[，,。]?{_W}(?:{_alt('其中', '主要用于以下方面')}){_W}[:：，,]?")
_OF_WHICH_WORD = re.compile(_alt("其中"))
# a sentence about the parts of a whole it names: “2023年“三公”经费财政拨款支出决算中，因公出国（境）费…”
_IN_WHOLE = re.compile(r"(?:20\d\d\s*年\s*度?)?(?P<name>[^\s，,。；;：:\d%％（）()、][^，,。；;：:\d%％\n（）()、]{1,23}?)"
                       r"(?<!其)\s*中\s*[，,：:]")
# 基本支出 and its two parts, by definition all of it: “基本支出 T 万元，其中：人员经费 a 万元，主要包括…；
# 公用经费 b 万元，…” (no other figure between them, so that nothing else is listed)
_BASIC = runcache.compile(
    rf"{_lit('基本支出')}{_W}(?:{_alt('决算数', '决算')})?{_W}{_IS}{_W}{_money('t')}[^\d%％。]{{0,12}}?"
    rf"{_lit('人员经费')}{_W}(?:{_alt('支出')})?{_W}{_IS}{_W}{_money('a')}"
    rf"(?:[^\d%％]|{_lit('占')}[^。；;\d%％]{{0,20}}{PCT}){{0,400}}?"  # its share may stand between
    rf"{_lit('公用经费')}{_W}(?:{_alt('支出')})?{_W}{_IS}{_W}{_money('b')}(?![\d.．])"
)
# “（财政拨款）收入总计 X 万元，支出总计 Y 万元”: the two totals of 收入支出决算总表 (and 财政拨款收入支出决算总表)
# are equal by definition; the next sentence's “收支较上年决算数增加 D 万元、增长 p%” (its subject 收支, no
# figure of its own), or the same sentence's “，与2019年度相比，各增加 D 万元”, is a change of that total
_BOTH_SUBJ = rf"(?:{_lit('财政拨款')})?{_W}{_lit('收')}{_W}(?:{_lit('入')})?{_W}、?{_W}{_lit('支')}{_W}(?:{_lit('出')})?{_W}"
_TOTALS = runcache.compile(
    rf"{_lit('收入')}{_W}(?:{_lit('支出')})?{_W}{_lit('总计')}{_W}{_IS}{_W}{_money('x')}{_PAREN}\s*[，,、]{_W}"
    rf"{_lit('支出')}{_W}{_lit('总计')}{_W}{_IS}{_W}{_money('y')}(?![\d.．])(?P<ynote>{_PAREN})"
    # “。收支较上年…”, “，与2019年度相比，各增加…” or “。与2023年相比，收、支总计各增加…”
    rf"(?P<rest>(?:[^。\n]{{0,40}}?[。；;]{_W}{_BOTH_SUBJ}(?:{_lit('总计')})?{_W}(?:{_lit('各')})?"
    rf"{_W}{_VS}|\s*[，,]{_W}{_vs('last2')}|[^。\n]{{0,40}}?[。；;]{_W}{_vs('last3')}{_W}[，,]?{_W}{_BOTH_SUBJ}"
    rf"{_lit('总计')})"
    rf"{_W}[，,]?{_W}(?:{_lit('各')})?{_W}"
    rf"(?P<dir>{_alt('增加', '减少', '增长', '下降', '降低')}){_W}{_money('d')}\s*[，,、]{_W}"
    rf"(?P<trend>{_TREND}){_W}(?:{_lit('了')})?{_W}(?P<p>{PCT}))?"
)
_CARRIED = re.compile(_alt("结转", "结余"))
# “（财政拨款）收、支总计 X 万元。与2021年相比，（财政拨款）收、支总计各增加 D 万元，增长 p%”: one figure for both
_BOTH = runcache.compile(
    rf"{_lit('收')}{_W}、{_W}{_lit('支')}{_W}{_lit('总计')}{_W}(?:{_alt('均为', '均是', '各为', '为', '是')})?{_W}"
    rf"{_money('x')}\s*[。；;，,]{_W}"
    rf"(?:{_VS}{_W}[，,]?{_W}(?:{_lit('财政拨款')})?{_W}(?:{_lit('收')}{_W}、?{_W}{_lit('支')}{_W}(?:{_lit('总计')})?)?"
    rf"|(?:{_lit('财政拨款')})?{_W}{_lit('收')}{_W}、?{_W}{_lit('支')}{_W}(?:{_lit('总计')})?{_W}{_vs('last2')})"
    rf"{_W}[，,]?{_W}(?:{_lit('各')})?{_W}"
    rf"(?P<dir>{_alt('增加', '减少', '增长', '下降', '降低')}){_W}{_money('d')}\s*[，,、]{_W}"
    rf"(?P<trend>{_TREND}){_W}(?:{_lit('了')})?{_W}(?P<p>{PCT})"
)
# “收、支总计各是 a，b 万元。与2021年相比，收、支总计各减少 d1，d2 万元，各下降 p1%、p2%” (四川's template): two
# changes in one sentence, paired in order
_PAIR_SEP = r"\s*[，,、]\s*"
_PAIRED = runcache.compile(
    rf"{_BOTH_SUBJ}{_lit('总计')}{_W}{_alt('各是', '各为', '分别是', '分别为')}{_W}(?P<a>{AMT})(?:\s*(?P<a_u>万\s*元|元))?"
    rf"{_PAIR_SEP}{_money('b')}\s*[。；;，,]{_W}"
    rf"(?:{_VS}{_W}[，,]?{_W})?{_BOTH_SUBJ}{_lit('总计')}{_W}{_alt('各', '分别')}{_W}"
    rf"(?P<dir>{_alt('增加', '减少')}){_W}(?P<d>{AMT})(?:\s*(?P<d_u>万\s*元|元))?{_PAIR_SEP}{_money('d2')}{_C}"
    rf"(?:{_alt('各', '分别')})?{_W}(?P<trend>{_TREND}){_W}(?P<p>{PCT}){_PAIR_SEP}(?P<p2>{PCT})"
)
# “收入支出总体与上年相比，增加 D 万元，增长 p%” after the two totals printed in sentences of their own
_TOTALS_CHANGE = runcache.compile(
    rf"{_alt('收入支出总体', '收入和支出总体', '收支总体', '收支总计', '收入支出总计')}{_W}{_vs('last4')}{_W}[，,]?{_W}"
    rf"(?P<dir>{_alt('增加', '减少', '增长', '下降', '降低')}){_W}{_money('d')}\s*[，,、]{_W}"
    rf"(?P<trend>{_TREND}){_W}(?:{_lit('了')})?{_W}(?P<p>{PCT})"
)
_TOTAL_OF = {side: re.compile(rf"{_lit(side)}{_W}{_lit('总计')}{_W}{_IS}{_W}{_money('x')}") for side in ("收入", "支出")}
_UP = {"增加": 1, "增长": 1, "上升": 1, "减少": -1, "下降": -1, "降低": -1}
# an amount right after one of these is itself a change or a comparison, never the subject's figure
_NOT_SUBJECT = re.compile(rf"(?:{_alt('增加', '减少', '增长', '下降', '降低', '上升', '相比', '比', '较', '同比')}|[\d.．])\s*$")


def _num(m: re.Match[str], name: str, unit: str | None = None) -> Decimal:
    """The amount of group ``name`` in 万元 (a figure printed in 元 is moved four places); ``unit``: its
    unit's text when the match has none of its own."""
    value = parse_amount(m.group(name))
    return value if "万" in (unit or m.group(f"{name}_u")) else value.scaleb(-4)


def _pct(text: str) -> Decimal:
    return parse_amount(re.sub(r"[%％]", "", text))


def _word(text: str) -> str:
    return re.sub(r"\s+", "", text)


_SECTION_MAX = 20000  # characters a figure a later sentence names is looked back for
_SENTENCE_MAX = 2000  # and the start or end of a sentence (no sentence of a disclosure is longer)
_ENDS: list = [None, [], []]  # the last text's sentence ends: (text, every “。”, every “。” or blank line)


def _ends(text: str) -> tuple[list[int], list[int]]:
    """The positions of the text's “。” and of its “。” and paragraph breaks, found once per text."""
    if _ENDS[0] is not text:
        stops = [m.start() for m in re.finditer("。", text)]
        _ENDS[:] = [text, stops, sorted(stops + [m.start() for m in re.finditer("\n\n", text)])]
    return _ENDS[1], _ENDS[2]


def _sentence_end(text: str, pos: int) -> int:
    """Where the sentence going on at ``pos`` ends: its “。”, or the end of the text (at most
    ``_SENTENCE_MAX`` on: a longer stretch without a “。” is no sentence)."""
    stops = _ends(text)[0]
    k = bisect.bisect_left(stops, pos)
    return min(stops[k] if k < len(stops) else len(text), pos + _SENTENCE_MAX)


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence going on at ``pos`` starts: after the “。” or paragraph break before it
    (at most ``_SENTENCE_MAX`` back)."""
    starts = _ends(text)[1]
    k = bisect.bisect_left(starts, pos)
    return max(starts[k - 1] + 1 if k else 0, pos - _SENTENCE_MAX)


def _clean_start(text: str, pos: int) -> bool:
    """Whether the amount at ``pos`` is a subject's figure: not a change, not the tail of a number."""
    return not _NOT_SUBJECT.search(text[max(0, pos - 8):pos])


_SUBJECT_CUT = re.compile(r"[，,。；;：:、\n]")


def _subject(text: str, pos: int) -> str:
    """What the claim is about: the words before it in its clause (“机关运行经费支出”)."""
    head = text[max(0, pos - 60):pos]
    tail = ""  # “（类）” alone on its line: the name it marks is on the line before
    for part in reversed(_SUBJECT_CUT.split(head)):
        words = re.sub(r"\s+", "", part)
        words = re.sub(r"^(?:20\d\d年度?|\d+|[.．、]|其中|主要是|包括|为|本部门)+", "", words)
        words = re.sub(r"(?:年初预算|全年预算|预算数|预算)?(?:为|是|共计|合计|总计)?$", "", words)
        if words and not tail and re.fullmatch(r"[（(][^（）()]{1,4}[）)]", words) and part.strip() == words:
            tail = words
            continue
        if words:
            return (words + tail)[-24:]
    return tail or "该项"


_CLAUSE_YEAR = re.compile(r"(20\d\d)\s*年\s*度?")


def _clause_year(text: str, pos: int) -> re.Match[str] | None:
    """The year the clause before ``pos`` names its subject with (“2022年“三公”经费…为”), when it
    names one year only and nothing compares (比/较/与/同比) in it."""
    cut = max((m.end() for m in _SUBJECT_CUT.finditer(text, max(0, pos - 60), pos)), default=max(0, pos - 60))
    years = list(_CLAUSE_YEAR.finditer(text, cut, pos))
    if len(years) != 1 or re.search(r"[比较与]|同比|上年", text[cut:pos]):
        return None
    return years[0]


def _claim(joined: Joined, topic: str, key: str, m: re.Match[str], values: dict, slots: dict[str, str],
           extra: dict | None = None) -> Claim:
    locs = {k: joined.location(*m.span(g)) for k, g in slots.items() if m.group(g) is not None}
    ctx = {"generic": True, "what": _subject(joined.text, m.start()), **(extra or {})}
    units = {_word(u) for k, u in m.groupdict().items() if k.endswith("_u") and u}
    if units == {"元"}:  # every figure in 元: the findings say them in 元 too
        ctx["unit"] = "元"
    year = _clause_year(joined.text, m.start())
    if year is not None:  # the year the sentence gives its subject (checked against the document's)
        ctx["stated_year"] = int(year.group(1))
        locs["stated_year"] = joined.location(*year.span(1))
    return Claim(key, topic, values, locs, joined.location(*m.span()), ctx)


def _rates(joined: Joined, topic: str) -> list[Claim]:
    out: list[Claim] = []
    seen: set[int] = set()
    for regex in (_RATE, _RATE_REV):
        for m in regex.finditer(joined.text):
            if m.start("r") in seen:
                continue
            seen.add(m.start("r"))
            values = {"budget": _num(m, "b"), "actual": _num(m, "a"), "rate": _pct(m.group("r"))}
            out.append(_claim(joined, topic, "generic.rate", m, values,
                              {"budget": "b", "actual": "a", "rate": "r"}))
    return out + _rates_by_difference(joined, topic, seen)


def _rates_by_difference(joined: Joined, topic: str, seen: set[int]) -> list[Claim]:
    out: list[Claim] = []
    for m in _RATE_DIFF.finditer(joined.text):
        if m.start("r") in seen or not _clean_start(joined.text, m.start("a")):
            continue
        sign = 1 if _word(m.group("dir")) == "减少" else -1  # 比预算减少 d: the budget is d more
        actual, diff = _num(m, "a"), _num(m, "d")
        values = {"budget": actual + sign * diff, "actual": actual, "rate": _pct(m.group("r")),
                  "budget_from": (actual, diff, sign)}
        out.append(_claim(joined, topic, "generic.rate", m, values, {"budget": "d", "actual": "a", "rate": "r"}))
    return out


def _changes(joined: Joined, topic: str) -> list[Claim]:
    out: list[Claim] = []
    for regex, vs in ((_CHANGE, "last_year"), (_CHANGE_BUDGET, "budget")):
        for m in regex.finditer(joined.text):
            if not _clean_start(joined.text, m.start("a")):
                continue
            again, subject = m.groupdict().get("again"), _subject(joined.text, m.start("a"))
            if again and subject not in _word(again) and not subject.endswith(_word(again)):
                continue  # “收入合计 X 万元，与上年相比，收入合计减少 D”: only the amount's own subject again
            out.append(_change(joined, topic, m, "a", {"vs": vs}))
    text = joined.text
    for m in _CHANGE_NEXT.finditer(text):
        subject = _subject(text, m.start("a"))
        if not _clean_start(text, m.start("a")) or _word(m.group("subj")) != subject:
            continue  # the change is of another subject (or of a figure read here only in part)
        out.append(_change(joined, topic, m, "a", {"vs": "last_year"}))
    return out + _changes_alone(joined, topic, {c.locations["pct"] for c in out})


# “其中：公务用车购置及运行费支出决算减少 2.6 万元，下降 86.69%” with no figure of its own: the figure is the one
# the section printed before under exactly the same subject (“公务用车购置及运行费支出决算为 0.4 万元”), when it
# printed exactly one in the 2,000 characters before (云南's 三公 sections)
_CHANGE_ALONE = runcache.compile(
    r"(?:^|(?<=[，,。；;：:\n]))\s*(?:其中\s*[:：，,]?\s*)?(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．]\s*)?"
    rf"(?P<subj>[^，,。；;：:\d%％\s（）()]{{4,30}}?){_W}(?P<dir>{_alt('增加', '减少')}){_W}{_money('d')}{_C}"
    rf"(?P<trend>{_TREND}){_W}(?:{_lit('了')})?{_W}(?P<p>{PCT})"
)
_ALONE_VS = re.compile(r"(?:比|较|与)(?:上年|上一年|上年度|去年|20\d\d年度?)(?:决算数|决算|同期)?(?:相比)?$|同比$")


def _changes_alone(joined: Joined, topic: str, taken: set) -> list[Claim]:
    out: list[Claim] = []
    text = joined.text
    for m in _CHANGE_ALONE.finditer(text):
        subject = _word(m.group("subj"))
        if joined.location(*m.span("p")) in taken or "预算" in subject[-8:] and re.search("[比较与]", subject):
            continue
        subject = _ALONE_VS.sub("", subject)
        if len(subject) < 4 or re.search(r"[比较与]|同比|其中", subject):
            continue
        figure = re.compile(rf"{_lit(subject)}{_W}{_IS}{_W}{_money('x')}")
        before = [f for f in figure.finditer(text, max(0, m.start() - _SENTENCE_MAX), m.start())
                  if _clean_start(text, f.start("x"))
                  and not _NOT_SUBJECT.search(text[max(0, f.start() - 8):f.start()])]
        if len(before) != 1:
            continue
        c = _change(joined, topic, m, "d", {"what": subject})
        c.values.pop("of_total", None)
        c.values["amount"] = _num(before[0], "x")
        c.locations["amount"] = joined.location(*before[0].span("x"))
        out.append(c)
    return out


def _change(joined: Joined, topic: str, m: re.Match[str], amount: str, extra: dict,
            signs: dict[str, int] | None = None) -> Claim:
    """The ``generic.change`` claim of a match: its amount (group ``amount``), change ``d`` and ``p``;
    ``signs``: the direction words' signs (a budget profile's), the generic reader's by default."""
    signs = signs or _UP
    values = {"amount": _num(m, amount), "diff": _num(m, "d"), "pct": _pct(m.group("p")),
              "dir": signs[_word(m.group("dir"))], "trend": signs[_word(m.group("trend"))],
              "dir_word": _word(m.group("dir")), "trend_word": _word(m.group("trend"))}
    # “总预算 T 元，其中：基本支出 a 元，项目支出 b 元，同比增加 d 元，增长 p%” (梧州市民政局 2022): the change
    # after the last part may be of the total; kept so that a change that fits the total is not called wrong
    text = joined.text
    start = _sentence_start(text, m.start(amount))
    totals = list(_OF_WHICH.finditer(text, start, m.start(amount)))
    if totals:
        values["of_total"] = _num(totals[-1], "t")
    return _claim(joined, topic, "generic.change", m, values,
                  {"amount": amount, "diff": "d", "pct": "p", "dir": "dir", "trend": "trend"}, extra)


def _named_whole(text: str, name: str, before: int, seen: dict[str, list[re.Match[str]]]) -> re.Match[str] | None:
    """The last “<name>（为）N 万元” that ends before ``before`` (the figure a share names as its whole);
    ``seen``: the text's figures by name, found once for all the shares of the text."""
    if name not in seen:
        regex = re.compile(rf"{_lit(name)}{_W}(?:{_alt('为', '是', '共计', '合计', '总计')})?{_W}{_money('t')}")
        seen[name] = list(regex.finditer(text))
    found = seen[name]
    k = bisect.bisect_right(found, before, key=lambda m: m.end())
    return found[k - 1] if k and found[k - 1].start() >= before - _SECTION_MAX else None


_TOTAL_WORD = re.compile(r"^(?:总支出|总收入|(?:收入|支出)?(?:总额|总计|合计))$")


def _own_total(text: str, start: int, end: int, name: str) -> re.Match[str] | None:
    """The “T 万元，其中” total of the sentence from ``start`` when the share's whole ``name`` is a word
    for a total (支出总额, 总支出, 收入合计 …) of the same side (收入 or 支出) as the words before T."""
    if not _TOTAL_WORD.match(name):
        return None
    totals = list(_OF_WHICH.finditer(text, start, end))
    if len(totals) != 1 or _OF_WHICH_WORD.search(text, totals[0].end(), end):
        return None
    side = next((w for w in ("收入", "支出") if w in name), None)
    what = _subject(text, totals[0].start())
    if side is not None and side not in what or side is None and not ("收入" in what) ^ ("支出" in what):
        return None
    return totals[0]


def _shares(joined: Joined, topic: str) -> list[Claim]:
    out: list[Claim] = []
    text = joined.text
    wholes: dict[str, list[re.Match[str]]] = {}
    for m in _SHARE.finditer(text):
        if not _clean_start(text, m.start("x")):
            continue
        whole_name = _word(m.group("whole") or "")
        start = _sentence_start(text, m.start())
        if re.match(rf"\s*{_lit('其中')}", text[start:m.start()]):
            start = _sentence_start(text, start - 1)  # “T 万元。其中：…”: the total ends the sentence before
        if whole_name:
            w = _named_whole(text, whole_name, m.start(), wholes)
            bare = re.sub(r"(?:预算|决算)数?$", "", whole_name)  # “占基本支出预算 90.86%”: of 基本支出
            if w is None and len(bare) >= 2 and bare != whole_name:
                w = _named_whole(text, bare, m.start(), wholes)
            basis = f"前文的{whole_name}"
            if w is None:  # “支出总计 T 万元，其中基本支出 X 万元，占支出总额 p%”: the sentence's own total
                w = _own_total(text, start, m.start(), whole_name)
                basis = f"同句“其中”之前的{whole_name}"
            if w is None:  # “教育支出 a 万元，占总支出的 p%；科学技术支出 …”: all of it, when the shares add to 100 %
                parts, basis, listed = _listed_whole(text, start, False, whole_name)
                if parts is not None:
                    out.append(_share_of_parts(joined, topic, m, parts, f"{whole_name}：{basis}", listed))
                continue
        else:
            totals = list(_OF_WHICH.finditer(text, start, m.start()))
            named = None if totals else next(reversed(list(_IN_WHOLE.finditer(text, start, m.start("x")))), None)
            if named is not None:  # “W 中，X 万元，占 p%”: of W, as the section printed it before
                whole_name = re.sub(r"^年度?", "", _word(named.group("name")))  # “2023 年 …”: the year's tail
                w = _named_whole(text, whole_name, start, wholes)
                if w is None:
                    parts, basis, listed = _listed_whole(text, named.end(), "三公" in whole_name)
                    if parts is not None:  # the parts listed are all of it: their sum is the whole
                        out.append(_share_of_parts(joined, topic, m, parts, basis, listed))
                    continue
                basis = f"前文的{whole_name}"
            elif not totals or _OF_WHICH_WORD.search(text, totals[-1].end(), m.start()):
                continue  # no total, or a “其中” inside a “其中”: which total the share is of is not said
            else:
                w = totals[-1]
                basis = "同句“其中”之前的合计"
                if "。" in text[w.end("t_u"):w.end()]:  # “T 万元。其中：…”: T is the sentence before's own figure
                    w = _sole_figure(text, w)
                    if w is None:
                        continue
        g = "t" if "t" in w.re.groupindex else "x"
        values = {"amount": _num(m, "x"), "share": _pct(m.group("p")), "whole": _num(w, g)}
        if basis.startswith("同句"):  # the printed shares of the whole list (their 100 % may be forced by 平差)
            values["listed"] = [(_num(x, "x"), _pct(x.group("p"))) for x in _SHARE.finditer(
                text, w.end(), _sentence_end(text, m.start())) if _clean_start(text, x.start("x"))]
        c = _claim(joined, topic, "generic.share", m, values, {"amount": "x", "share": "p"},
                   {"whole_basis": basis})
        c.locations["whole"] = joined.location(*w.span(g))
        out.append(c)
    return out


def _sole_figure(text: str, total: re.Match[str]) -> re.Match[str] | None:
    """The figure of the sentence ``total`` ends that the “其中” after it divides: its one figure (its
    amounts after 增加/减少/比 … are changes, not figures) — “收入合计 2828.33 万元，较上年增加 128.63 万元，…
    项目经费收入增加 91.01 万元。其中：…” gives 2828.33, not the 91.01 before “其中” —, or of several, the
    last one that the parts listed with their shares add up to (“预算为 44.52 万元，…决算为 22.62 万元。其中
    公务接待费为 20.10 万元，占 88.86%；公务用车运行维护费为 2.52 万元，占 11.14%”: 22.62).  None otherwise."""
    start = _sentence_start(text, total.start("t"))
    found = [a for a in _PART.finditer(text, start, total.end("t_u")) if _clean_start(text, a.start("x"))]
    if len(found) <= 1:
        return found[0] if found else None
    listed = [_num(m, "x") for m in _SHARE.finditer(text, total.end(), _sentence_end(text, total.end()))
              if _clean_start(text, m.start("x"))]
    parts = isum([Interval.printed(x) for x in listed]) if len(listed) >= 2 else None
    fits = [a for a in found if parts is not None and Interval.printed(_num(a, "x")).overlaps(parts)]
    return fits[-1] if fits else None


_PART = re.compile(rf"{_money('x')}")
_THREE_RX = tuple(re.compile(w) for w in (
    _alt("因公出国（境）", "因公出国(境)", "因公出国"),
    _alt("公务用车购置及运行维护费", "公务用车购置及运行费", "公务用车购置和运行维护费", "公务用车费"),
    _alt("公务接待费")))


def _three_parts(sentence: str) -> list[Decimal] | None:
    """因公出国（境）费, 公务用车购置及运行（维护）费 and 公务接待费, each printed once in ``sentence``
    with its amount (and maybe its share), and no other amount: by definition all of “三公”."""
    found: dict[int, Decimal] = {}
    for m in _PART.finditer(sentence):
        if not _clean_start(sentence, m.start("x")):
            continue
        what = _subject(sentence, m.start("x"))
        k = next((k for k, word in enumerate(_THREE_RX) if word.match(what)), None)
        if k is None or k in found:
            return None
        found[k] = _num(m, "x")
    return [found[k] for k in range(3)] if len(found) == 3 else None


def _share_of_parts(joined: Joined, topic: str, m: re.Match[str], parts: list[Decimal], basis: str,
                    listed: list[tuple[Decimal, Decimal]]) -> Claim:
    """The share claim of ``m`` whose whole is the sum of ``parts``; ``listed``: the (amount, share) printed."""
    values = {"amount": _num(m, "x"), "share": _pct(m.group("p")), "whole": sum(parts, Decimal(0)),
              "whole_parts": parts, "listed": listed}
    return _claim(joined, topic, "generic.share", m, values, {"amount": "x", "share": "p"}, {"whole_basis": basis})


@lru_cache(maxsize=1024)  # the same for every share of a sentence
def _listed_whole(text: str, start: int, three_public: bool, whole: str = "") \
        -> tuple[list[Decimal] | None, str, list[tuple[Decimal, Decimal]]]:
    """The amounts the sentence from ``start`` (after “W 中，”) lists with their shares, when they are
    all of W: for “三公”, exactly its three parts (因公出国（境）费, 公务用车购置及运行（维护）费,
    公务接待费, by definition the whole of it); for any W, parts whose printed shares add up to 100 %
    within their rounding.  ``whole``: the whole each share names (“占总支出的”), the same for all.
    With them, the (amount, share) pairs printed.  (None, "", []) otherwise."""
    end = _sentence_end(text, start)
    if end - start >= _SENTENCE_MAX:  # no sentence end: not a list of parts
        return None, "", []
    sentence = text[start:end]
    found = [m for m in _SHARE.finditer(sentence) if _clean_start(sentence, m.start("x"))]
    if len(found) < 2 or any(_word(m.group("whole") or "") != whole for m in found):
        return None, "", []
    amounts = [_num(m, "x") for m in found]
    listed = [(_num(m, "x"), _pct(m.group("p"))) for m in found]
    if three_public:
        parts = _three_parts(sentence)
        if parts is not None:
            return parts, "所列“三公”经费三项之和", listed
    shares = isum([Interval.printed(_pct(m.group("p"))) for m in found])
    if shares.lo <= HUNDRED <= shares.hi:
        return amounts, "所列各项之和，其占比合计为 100%", listed
    return None, "", []


def _totals(joined: Joined, topic: str) -> list[Claim]:
    out: list[Claim] = []
    text = joined.text
    for m in _TOTALS.finditer(text):
        if not _clean_start(text, m.start()):
            continue
        # (a note “（含结余分配和年末结转结余）” says the total includes them)
        tail = text[m.end("ynote"):_sentence_end(text, m.end("y"))]
        if not _CARRIED.search(tail):  # “…支出总计 Y 万元，年末结转和结余 Z 万元”: 支出总计 may be meant without it
            out.append(_claim(joined, topic, "generic.totals", m, {"income": _num(m, "x"), "spending": _num(m, "y")},
                              {"income": "x", "spending": "y"}))
        if m.group("rest") is not None and _num(m, "x") == _num(m, "y"):
            out.append(_change(joined, topic, m, "x", {"what": "收支总计"}))
    for m in _BOTH.finditer(text):
        if not _clean_start(text, m.start("x")):
            continue
        out.append(_change(joined, topic, m, "x", {"what": "收支总计"}))
    for m in _PAIRED.finditer(text):  # a unit printed once, after the second of each pair, is both's
        unit = {"a_u": m.group("a_u") or m.group("b_u"), "d_u": m.group("d_u") or m.group("d2_u")}
        for what, amount, diff, pct in (("收入总计", "a", "d", "p"), ("支出总计", "b", "d2", "p2")):
            values = {"amount": _num(m, amount, unit.get(f"{amount}_u")), "diff": _num(m, diff, unit.get(f"{diff}_u")),
                      "pct": _pct(m.group(pct)), "dir": _UP[_word(m.group("dir"))],
                      "trend": _UP[_word(m.group("trend"))], "dir_word": _word(m.group("dir")),
                      "trend_word": _word(m.group("trend"))}
            out.append(_claim(joined, topic, "generic.change", m, values,
                              {"amount": amount, "diff": diff, "pct": pct, "dir": "dir", "trend": "trend"},
                              {"what": what}))
    taken = {c.locations["pct"] for c in out if c.key == "generic.change"}
    for m in _TOTALS_CHANGE.finditer(text):
        if joined.location(*m.span("p")) in taken:
            continue
        both = [None, None]
        for k, side in enumerate(("收入", "支出")):  # the last of each within the few sentences before
            for t in _TOTAL_OF[side].finditer(text, max(0, m.start() - 300), m.start()):
                both[k] = t
        if both[0] is None or both[1] is None or _num(both[0], "x") != _num(both[1], "x") \
                or not _clean_start(text, both[0].start("x")):
            continue
        c = _change(joined, topic, m, "d", {"what": "收支总计"})
        c.values["amount"] = _num(both[0], "x")
        c.locations["amount"] = joined.location(*both[0].span("x"))
        out.append(c)
    return out


# 政府采购 is goods, works and services, by definition all of it: “政府采购支出总额 T 万元，其中：政府采购货物支出
# a 万元、政府采购工程支出 b 万元、政府采购服务支出 c 万元” (final accounts), “政府采购预算（总额）T 万元，其中：
# 政府采购货物预算 a 万元；…”, “政府采购安排 T 万元，其中：货物类采购预算 a 万元，…” (budgets)
_PROC_PART = rf"{_W}(?:{_lit('政府采购')})?{_W}{{kind}}{_W}(?:{_lit('类')})?{_W}(?:{_lit('采购')})?{_W}" \
    rf"(?:{_alt('支出', '预算')})?{_W}{_IS}{_W}{{money}}"
_PROCUREMENT = runcache.compile(
    rf"{_lit('政府采购')}{_W}(?:{_alt('支出预算', '预算支出', '支出', '预算')})?{_W}(?:{_alt('总额', '合计', '总计')})?"
    rf"{_W}(?:{_alt('为', '是', '安排', '共计')})?{_W}{_money('t')}\s*[，,]?{_W}{_lit('其中')}{_W}[:：，,]?"
    + _PROC_PART.format(kind=_lit("货物"), money=_money("a")) + r"\s*[、，,；;]"
    + _PROC_PART.format(kind=_lit("工程"), money=_money("b")) + r"\s*[、，,；;]"
    + _PROC_PART.format(kind=_lit("服务"), money=_money("c")) + r"(?![\d.．])"
)
# 公务用车购置及运行（维护）费 is its two parts: “…费 T 万元，…。其中：公务用车购置费 a 万元，…；公务用车运行
# （维护）费 b 万元” (either order), or “…费 T 万元（公务用车购置费 a 万元，…；公务用车运行维护费 b 万元…）”
_CAR_TOTAL = runcache.compile(
    rf"{_lit('公务用车购置')}{_W}{_alt('及', '和')}{_W}{_lit('运行')}{_W}(?:{_lit('维护')})?{_W}{_lit('费')}"
    rf"(?P<mid>(?:[^。；;\d%％]|20{_W}\d{_W}\d{_W}年){{0,16}}?){_IS}{_W}{_money('t')}"
)
# a figure of the year's budget before the final one (“…费年初预算为 T 万元，支出决算为 Y 万元”): not the total split
_CAR_NOT = re.compile(rf"{_alt('年初', '全年预算', '调整')}|{_ACTUAL}{_W}{_IS}{_W}{AMT}")
_CAR_BUY = runcache.compile(
    rf"{_lit('公务用车购置费')}{_W}(?:{_alt('支出', '预算')})?{_W}{_IS}{_W}{_money('x')}")
_CAR_RUN = runcache.compile(
    rf"{_lit('公务用车运行')}{_W}(?:{_lit('维护')})?{_W}{_lit('费')}{_W}(?:{_alt('支出', '预算')})?{_W}{_IS}{_W}"
    rf"{_money('x')}")
_THREE_TOTAL = runcache.compile(
    rf"{_lit('三公')}[”\"]?{_W}{_lit('经费')}[^。；;\d%％]{{0,24}}?{_IS}{_W}{_money('t')}(?P<of>[^。\d%％]{{0,6}}?"
    rf"{_lit('其中')}{_W}[:：，,]?)"
)


def _parts_sums(joined: Joined, topic: str) -> list[Claim]:
    """政府采购支出总额 = 货物 + 工程 + 服务, and “三公”经费 = its three parts, where a sentence lists them."""
    out: list[Claim] = []
    text = joined.text
    for m in _PROCUREMENT.finditer(text):
        parts = [_num(m, g) for g in "abc"]
        c = _claim(joined, topic, "generic.parts", m, {"total": _num(m, "t"), "parts": parts},
                   {"total": "t", "part0": "a", "part1": "b", "part2": "c"}, {"whole": "政府采购支出总额"})
        out.append(c)
    for m in _CAR_TOTAL.finditer(text):
        parts = _car_parts(text, m)
        if parts is not None and _clean_start(text, m.start("t")):
            c = _claim(joined, topic, "generic.parts", m, {"total": _num(m, "t"), "parts": [p for p, _ in parts]},
                       {"total": "t"}, {"whole": "公务用车购置及运行费",
                                        "note": "（公务用车购置及运行费 = 购置费 + 运行维护费）"})
            for k, (_, span) in enumerate(parts):
                c.locations[f"part{k}"] = joined.location(*span)
            out.append(c)
    for m in _THREE_TOTAL.finditer(text):
        if not _clean_start(text, m.start("t")):
            continue
        parts = _three_parts(text[m.end():_sentence_end(text, m.end())])
        if parts is not None:
            out.append(_claim(joined, topic, "generic.parts", m, {"total": _num(m, "t"), "parts": parts},
                              {"total": "t"}, {"whole": "“三公”经费"}))
    return out


def _car_parts(text: str, m: re.Match[str]) -> list[tuple[Decimal, tuple[int, int]]] | None:
    """The 购置费 and 运行（维护）费 the total ``m`` of 公务用车购置及运行费 is split into: each printed once,
    after the total's “（” or its “其中” (in its sentence or the next), before 公务接待费 (the next item)."""
    window = text[m.end():m.end() + 400]
    for stop in ("公务接待", "因公出国", "三公"):
        k = window.find(stop)
        if k >= 0:
            window = window[:k]
    if _CAR_NOT.search(m.group("mid")):
        return None
    head = re.match(r"\s*[（(]", window)
    if head is None:
        of = re.search(_lit("其中"), window)
        # the “其中” must follow the total in its own sentence or open the next one
        if of is None or window[:of.start()].count("。") > 1 or re.search("公务用车", window[:of.start()]) \
                or _CAR_NOT.search(window[:of.start()]):
            return None
        start = of.end()
    else:
        start = head.end()
    found = []
    for rx in (_CAR_BUY, _CAR_RUN):
        hits = [h for h in rx.finditer(window, start) if _clean_start(window, h.start("x"))]
        if len(hits) != 1:
            return None
        found.append((_num(hits[0], "x"), (m.end() + hits[0].start("x"), m.end() + hits[0].end("x"))))
    return found


def _basic(joined: Joined, topic: str) -> list[Claim]:
    out: list[Claim] = []
    for m in _BASIC.finditer(joined.text):
        c = _claim(joined, topic, "generic.parts", m, {"total": _num(m, "t"), "parts": [_num(m, "a"), _num(m, "b")]},
                   {"total": "t", "part0": "a", "part1": "b"}, {"note": "（基本支出 = 人员经费 + 公用经费）"})
        c.context["whole"] = f"{c.context['what']}基本支出"
        out.append(c)
    return out


def _blank_shares(joined: Joined, topic: str) -> list[Claim]:
    return [_claim(joined, topic, "generic.pct_blank", m, {}, {"pct": "p"}) for m in _SHARE_BLANK.finditer(joined.text)
            if _clean_start(joined.text, m.start("x"))]


def whole_of(values: dict) -> Interval:
    """The interval of a share's whole: its printed figure, or the sum of the parts it is made of."""
    parts = values.get("whole_parts")
    return isum([Interval.printed(x) for x in parts]) if parts else Interval.printed(values["whole"])


def generic_claims(joined: Joined, topic: str) -> list[Claim]:
    """Every rate, change, share, sum and total claim of a section's text, read by shape alone."""
    return (_rates(joined, topic) + _changes(joined, topic) + _shares(joined, topic) + _basic(joined, topic)
            + _totals(joined, topic) + _parts_sums(joined, topic) + _blank_shares(joined, topic))
