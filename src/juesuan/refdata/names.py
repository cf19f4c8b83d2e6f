"""Normalising classification names so that equal names compare equal.

Disclosures copy names by hand: full-width and half-width brackets are mixed,
spaces creep in from PDF extraction, and the narrative appends the level
(“群众团体事务（款）”).  None of that makes a name wrong, so rules compare
normalised names and report only real differences.
"""

from __future__ import annotations

import re
import unicodedata

_LEVEL_SUFFIX = re.compile(r"[(\[]\s*[类款项]\s*[)\]]$")
_SPACES = re.compile(r"\s+")
_LEADERS = re.compile(r"[.…·]+$")  # a template's placeholder dots (“高等教育……”) are no part of the name
_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")"})


def normalise_name(name: str) -> str:
    """The comparable form of a 科目 name.

    NFKC folds full-width brackets, digits and letters to half-width; all
    whitespace goes; a trailing level marker such as “（类）” and trailing leader
    dots or ellipses are dropped.
    """
    text = unicodedata.normalize("NFKC", name).translate(_BRACKETS)
    text = _LEADERS.sub("", _SPACES.sub("", text))
    while True:
        cut = _LEVEL_SUFFIX.sub("", text)
        if cut == text:
            return text
        text = cut


def same_name(written: str, listed: str) -> bool:
    """Whether a written name stands for the listed one.

    Besides normalisation, a trailing “支出” added or left out is accepted:
    narratives write “其他对个人和家庭的补助支出” for the listed
    “其他对个人和家庭的补助” and a reader would not call that a different item.
    """
    a, b = normalise_name(written), normalise_name(listed)
    if a == b:
        return True
    return a.removesuffix("支出") == b.removesuffix("支出") and bool(a.removesuffix("支出"))
