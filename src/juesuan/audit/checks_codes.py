"""Codes from printed names: the narrative names a 项 or an economic 款, the model wants its code.

Used by the extraction (juesuan.audit.extract) for documents without tables;
a name that matches no code, or several, gives None (the figure is skipped
and reported, never guessed).
"""

from __future__ import annotations

from functools import lru_cache

from juesuan.refdata import load_code_list
from juesuan.refdata.names import normalise_name

__all__ = ["econ_code", "func_code"]


@lru_cache(maxsize=4)
def _list(kind: str, year: int):  # noqa: ANN202 - CodeList
    return load_code_list(kind, year)  # type: ignore[arg-type]


def _key(name: str) -> str:
    k = normalise_name(name)
    return k[:-2] if k.endswith("支出") and len(k) > 2 else k  # “…补助支出” reads as “…补助”


@lru_cache(maxsize=4)
def _index(kind: str, year: int) -> dict[str, list]:
    """Normalised name → entries (one pass over the list instead of one per lookup)."""
    out: dict[str, list] = {}
    for e in _list(kind, year):
        out.setdefault(_key(e.name), []).append(e)
    return out


def _find(kind: str, year: int, name: str) -> list:
    return list(_index(kind, year).get(_key(name), []))


def func_code(year: int, cls: str, kuan: str, item: str) -> str | None:
    """The 7-digit code of 项 ``item`` under 款 ``kuan`` (under 类 ``cls`` when given)."""
    codes = _list("func", year)
    candidates = []
    for k in _find("func", year, kuan):
        if len(k.code) != 5:
            continue
        if cls and _key(cls) != _key(codes.name(k.code[:3]) or ""):
            continue
        candidates += [e.code for e in _find("func", year, item) if len(e.code) == 7 and e.parent == k.code]
    return candidates[0] if len(set(candidates)) == 1 else None


def econ_code(year: int, name: str, kind: str | None = None, cls: str | None = None) -> str | None:
    """The 5-digit economic code of ``name`` (of 人员经费/公用经费 ``kind`` or under 类 ``cls``)."""
    found = [e for e in _find("econ", year, name) if len(e.code) == 5]
    if cls:
        parents = {e.code for e in _find("econ", year, cls) if len(e.code) == 3}
        found = [e for e in found if e.code[:3] in parents] or found
    if kind and len(found) > 1:
        found = [e for e in found if e.kind == kind] or found
    return found[0].code if len({e.code for e in found}) == 1 else None
