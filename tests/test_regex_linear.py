"""Every regex on document text ends on the worst inputs (issue 8): a hang fails, not a speed.

The sentence patterns of every shipped profile and the generic claim reader's
regexes are fed long digit and space runs, 、-lists without 万元 and the seed's
人员经费 sentence with a one-character typo at every position.  Before the
patterns were made linear, one typo (``10.71 万元`` written ``10,71 万元``) took
minutes; the whole set must now end under one alarm of 20 s (it takes a few).
"""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator

import pytest

from juesuan import patterns
from juesuan.audit import generic
from juesuan.profiles import list_profiles, load_profile

SENTENCE = ("（一）人员经费1,180.71万元。主要包括：基本工资315.82万元、津贴补贴262.08万元、奖金59.01万元、"
            "伙食补助费0.23万元、绩效工资111.91万元、其他工资福利支出10.71万元、退休费51.31万元、"
            "抚恤金168.32万元、生活补助0.1万元。")
TYPOS = (("10.71万元", "10,71 万元"), ("10.71万元", "10.71 万"), ("10.71万元", "10.7l"))


def _typos() -> Iterator[str]:
    for old, new in TYPOS:
        yield SENTENCE.replace(old, new)
    for i in range(len(SENTENCE)):
        for ch in (",", "万", "l", " ", "、"):
            yield SENTENCE[:i] + ch + SENTENCE[i:]


def _runs(items: int) -> list[str]:
    return [
        "1 " * 600, "1" * 2000 + "万", "1," * 600, " " * 2000 + "1", "-1." * 400,
        "、".join(["基本工资315.82"] * items),           # amounts without 万元
        "、".join(["基本工资"] * items),
        "、".join(["基本工资315.82万元"] * items) + "x",  # a list that does not end the sentence
        "、".join(["工资1.5万元其中3.5万元"] * items),
    ]


def _patterns() -> dict[str, str]:
    out = {}
    for name in list_profiles():
        for key, pat in load_profile(name).patterns.items():
            out[pat] = f"{name}:{key}"
    return out


def _generic() -> list[re.Pattern[str]]:
    return [v for v in vars(generic).values() if isinstance(v, re.Pattern)]


class _Hang(Exception):
    pass


@pytest.fixture
def alarm():
    def ring(*_):  # noqa: ANN002
        raise _Hang

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs SIGALRM")
def test_every_regex_on_document_text_ends(alarm) -> None:  # noqa: ARG001, ANN001
    typos = list(_typos())
    small, big = _runs(150), _runs(2000)
    current = ""
    try:
        for pat, where in _patterns().items():
            current = where
            regex = patterns._compiled(pat)[0]
            lists = big if patterns.slots(pat) and any(s.type == "items" for s in patterns.slots(pat)) else small
            for text in (*typos, *lists):
                for _ in regex.finditer(text):
                    pass
        for rx in _generic():
            current = f"audit/generic.py {rx.pattern[:60]}"
            for text in (*typos, *big):
                for _ in rx.finditer(text):
                    pass
    except _Hang:
        pytest.fail(f"a regex did not end on adversarial input: {current}")


def test_typo_in_the_list_still_reads_the_sentence_before_it() -> None:
    """The typo costs the list, not the rest: the amount before 主要包括 is read as before."""
    pat = load_profile("neimenggu-2023").pattern("s6.personnel")
    good = patterns.match(pat, SENTENCE)
    assert good is not None and len(good["items"][0]) == 9
    assert patterns.match(pat, SENTENCE.replace("10.71万元", "10,71 万元")) is None
