"""Sentence patterns: render then match gives the values back, also through extraction noise."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from juesuan import patterns
from juesuan.profiles import list_profiles, load_profile

ALL = sorted({(name, key) for name in list_profiles() for key in load_profile(name).patterns})
FREE = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"  # characters no pattern literal uses

amounts = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)
words = st.text(alphabet=FREE, min_size=1, max_size=12)


def value_for(slot: patterns.Slot):  # noqa: ANN201 - strategy
    t = slot.type
    if t in ("amount", "pct"):
        return amounts
    if t == "count":
        return st.integers(0, 100000)
    if t == "year":
        return st.integers(2000, 2100)
    if t == "cn":
        return st.integers(1, 99)
    if t.endswith("_flat"):
        return st.sampled_from([1, 0, -1])
    if t in ("incdec", "growth", "growdec", "gtlt"):
        return st.sampled_from([1, -1])
    if t == "items":
        return st.lists(st.tuples(words, amounts), min_size=1, max_size=4)
    if t == "names":
        return st.lists(words, min_size=1, max_size=4)
    if t == "phone":
        return st.from_regex(r"0[0-9]{3}-[0-9]{7}", fullmatch=True)
    return words


@st.composite
def case(draw, pattern: str):  # noqa: ANN001, ANN201
    return {s.name: draw(value_for(s)) for s in patterns.slots(pattern)}


def noisy(text: str, draw) -> str:  # noqa: ANN001
    """Insert spaces/newlines between random characters, swap punctuation widths."""
    out = []
    for ch in text:
        out.append(ch)
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from([" ", "\n", "  ", "\u3000"])))
    swapped = "".join(out).replace("（", "(").replace("）", ")") if draw(st.booleans()) else "".join(out)
    return swapped.replace("，", ",").replace("：", ":") if draw(st.booleans()) else swapped


def expected(slot: patterns.Slot, value):  # noqa: ANN001, ANN201
    t = slot.type
    if t in ("amount", "pct"):
        return Decimal(value).quantize(Decimal("0.01"))
    if t == "items":
        return [(n, Decimal(a).quantize(Decimal("0.01"))) for n, a in value]
    if t == "phone":
        return value.replace(" ", "")
    return value


def check(pattern: str, values: dict, text: str) -> None:
    got = patterns.match(pattern, text)
    assert got is not None, (pattern, text)
    for s in patterns.slots(pattern):
        assert got[s.name][0] == expected(s, values[s.name]), (s, text)


@pytest.mark.parametrize(("profile", "key"), ALL)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_round_trip(profile: str, key: str, data) -> None:  # noqa: ANN001
    pattern = load_profile(profile).patterns[key]
    values = data.draw(case(pattern))
    grouping = data.draw(st.booleans())
    text = patterns.render(pattern, values, grouping=grouping)
    check(pattern, values, text)
    check(pattern, values, noisy(text, data.draw))


def test_amount_forms() -> None:
    p = "总计{x:amount}万元。"
    for text in ("总计4,499.46万元。", "总计4499.46万元。", "总计 4 499.46 万元。", "总计４，４９９．４６万元。"):
        assert patterns.match(p, text)["x"][0] == Decimal("4499.46")


def test_render_rounds_half_up_and_groups() -> None:
    assert patterns.render("{x:amount}|{p:pct}", {"x": Decimal("1234.565"), "p": Decimal("233.695")}) == "1,234.57|233.70%"
    assert patterns.render("{x:amount}", {"x": Decimal("1234.5")}, grouping=False) == "1234.50"


def test_direction_words() -> None:
    p = "{d:incdec}{a:amount}万元，{t:growdec}{q:pct}"
    assert patterns.render(p, {"d": -1, "a": 1, "t": Decimal("-2.5"), "q": 2}) == "减少1.00万元，减少2.00%"
    assert patterns.render("{d:growth_flat}", {"d": 0}) == "持平"
    assert patterns.render("{d:incdec}", {"d": 0}) == "增加"  # the seed's wording for zero
    assert patterns.match("{d:growth_flat}了", "持 平了")["d"][0] == 0


def test_spans_point_into_the_text() -> None:
    text = "前言。本年收入合计12.50万元，占3.00%"
    got = patterns.match("本年收入合计{a:amount}万元，占{s:pct}", text)
    start, end = got["a"][1]
    assert text[start:end] == "12.50"


def test_finditer_reads_every_item() -> None:
    text = "本年基本支出1.00万元，占10.00%；本年项目支出9.00万元，占90.00%。"
    found = [r["label"][0] for _, r in patterns.finditer("本年{label:name}{a:amount}万元，占{s:pct}", text)]
    assert found == ["基本支出", "项目支出"]


def test_bad_patterns_are_rejected() -> None:
    with pytest.raises(patterns.PatternError):
        patterns.slots("{x:money}")
    with pytest.raises(patterns.PatternError):
        patterns.render("{x:amount}", {})


def test_regex_is_a_regex() -> None:
    assert isinstance(patterns.compile("{x:amount}万元"), re.Pattern)
