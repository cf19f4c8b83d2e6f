"""The declared checks: one walk over what the profile says each slot means.

The profile's ``meanings`` (profiles/meanings.py) say which figure a slot
prints, which share, rate, change or total it is; this module reads them and
no pattern key of its own.  One pass records every figure reading (figure id
→ value and place, from the narrative and from the tables' stated figures);
then the same figure read twice must agree (narrative.amount), and each
share, rate, change and total is computed from the figures it names, with the
rounding-aware comparisons of the Auditor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from juesuan.audit.auditor import Auditor, fmt, iv
from juesuan.audit.model import Claim, base_key
from juesuan.model.findings import Location
from juesuan.model.money import HUNDRED, ZERO, Interval, isum
from juesuan.profiles import Profile
from juesuan.profiles.meanings import Meaning

__all__ = ["Figures", "Reading", "figures_of", "fill", "meanings_of"]

_PLACEHOLDER = re.compile(r"\{(\w+)(?:\|(\w+))?\}")


@dataclass(frozen=True)
class Reading:
    """One printed value of a figure: where, in which sentence (None: a table's stated cell)."""

    figure: str
    value: Decimal
    location: Location
    what: str
    claim: Claim | None = None
    slot: str = ""


def fill(template: str, c: Claim, profile: Profile) -> str | None:
    """``template`` with ``{slot}`` and ``{slot|map}`` filled from the claim (None: a slot is
    missing, or its value is not in the map — the sentence is not about such a figure)."""
    missing = False

    def one(m: re.Match[str]) -> str:
        nonlocal missing
        v = c.values.get(m.group(1))
        if m.group(2):
            v = profile.labels.get(m.group(2), {}).get(str(v)) if v is not None else None
        if v is None:
            missing = True
            return ""
        return str(v)

    out = _PLACEHOLDER.sub(one, template)
    return None if missing else out


def meanings_of(c: Claim, profile: Profile) -> dict[str, Meaning]:
    """The declared meaning of each slot of a claim (its variant reads as its base key)."""
    return profile.meanings.get(base_key(c), {})


def _loc(c: Claim, slot: str) -> Location:
    return c.locations.get(slot, c.location)


def _order(r: Reading) -> tuple[int, int]:
    return (r.location.page or 0, r.location.line or 0)


class Figures:
    """Every figure reading of a document, by figure id, in reading order.

    Built from the claims alone (the dataset builder uses it before any table is trusted);
    the audit gives it the dataset and the tables too, for references the narrative does not
    print and for the tables' stated figures."""

    def __init__(self, claims: list[Claim], profile: Profile, ex: Any = None, dataset: Any = None) -> None:
        self.claims, self.profile, self.ex, self.dataset = claims, profile, ex, dataset
        self.narrative: dict[str, list[Reading]] = {}
        self._by_slot: dict[tuple[int, str], Reading] = {}
        for c in claims:
            for slot, m in meanings_of(c, self.profile).items():
                v = c.values.get(slot)
                if m.figure is None or not isinstance(v, Decimal):
                    continue
                fid = fill(m.figure, c, self.profile)
                if fid is not None:
                    what = fill(m.what, c, self.profile) if m.what else None
                    r = Reading(fid, v, _loc(c, slot), what or self.name(fid), c, slot)
                    self.narrative.setdefault(fid, []).append(r)
                    self._by_slot[(id(c), slot)] = r

    def name(self, fid: str) -> str:
        spec = self.profile.figures.get(fid)
        return spec.name if spec else fid

    def of_claim(self, c: Claim, slot: str) -> Reading | None:
        return self._by_slot.get((id(c), slot))

    def ref(self, c: Claim, ref: str) -> tuple[Decimal, Location, str] | None:
        """A reference of a declaration: a slot of the sentence, else a figure (its reading in
        the same section first, else its first reading), else the dataset's value at that path."""
        if "." not in ref:  # a slot name (figure ids always have a dot)
            v = c.values.get(ref)
            return (v, _loc(c, ref), ref) if isinstance(v, Decimal) else None
        fid = fill(ref, c, self.profile)
        if fid is None:
            return None
        rs = self.narrative.get(fid, [])
        r = next((x for x in rs if x.claim is not None and x.claim.section == c.section), rs[0] if rs else None)
        if r is not None:
            return r.value, r.location, r.what
        return self._from_dataset(fid)

    def tables(self) -> dict[tuple[str, str, str], tuple[Decimal, Location]]:
        """The tables' stated figures by (table, row, column)."""
        cells: dict[tuple[str, str, str], tuple[Decimal, Location]] = {}
        if self.ex is None or self.dataset is None:
            return cells
        for i, st in enumerate(self.dataset.stated):
            cells.setdefault((st.table, st.row, st.column), (st.value, self.ex.provenance.get(f"stated[{i}]")))
        return cells

    def _from_dataset(self, path: str) -> tuple[Decimal, Location, str] | None:
        """A figure the narrative does not print, as the dataset (the tables) holds it."""
        if self.ex is None or self.dataset is None:
            return None
        return _dataset_value(self.ex, self.profile, self.dataset, path)


def _dataset_value(ex: Any, profile: Profile, dataset: Any, path: str) -> tuple[Decimal, Location, str] | None:
    prov = ex.provenance
    recorded = [k for k, _ in prov.items() if k == path or k.startswith(path)]
    spec = profile.figures.get(path)
    table = ex.tables.get(spec.table) if spec and spec.table else None
    if not recorded and (table is None or not table.usable):
        return None  # not read: the model's 0 would be a placeholder, not the document's
    node: Any = dataset
    for part in path.split("."):
        node = getattr(node, part, None) if node is not None else None
    if not isinstance(node, Decimal):
        return None
    return node, prov.get(recorded[0] if recorded else path), path


def figures_of(a: Auditor) -> Figures:
    """The auditor's figure readings (made once per audit)."""
    f = getattr(a, "figures", None)
    if f is None:
        f = a.figures = Figures(a.ex.claims, a.profile, a.ex, getattr(a, "dataset", None))  # type: ignore[attr-defined]
    return f


# --- the walks ------------------------------------------------------------------------------


def check_amounts(a: Auditor, f: Figures) -> None:
    """The same figure printed twice agrees: in the narrative (each reading against the first
    one of the figure, or of the figure it is declared the same as) and with the tables."""
    groups: dict[str, list[Reading]] = {}
    for fid, rs in f.narrative.items():
        spec = f.profile.figures.get(fid)
        groups.setdefault(spec.same if spec and spec.same else fid, []).extend(rs)
    for rs in groups.values():
        rs = sorted(rs, key=_order)
        first = rs[0]
        for r in rs[1:]:
            if not iv(r.value).overlaps(iv(first.value)):
                a.emit("narrative.amount", r.location, fmt(first.value), fmt(r.value), (first.location,),
                       what=r.what, other=_where(f, first, r))
    cells = f.tables()
    if not cells:
        return
    for fid, rs in f.narrative.items():
        spec = f.profile.figures.get(fid)
        for cell in spec.tables if spec else ():
            got = cells.get(tuple(cell.split(".", 2)))  # type: ignore[arg-type]
            if got is None:
                continue
            tv, tloc = got
            for r in rs:
                if not iv(r.value).overlaps(iv(tv)):
                    a.emit("narrative.amount", r.location, fmt(tv), fmt(r.value), (tloc,), what=r.what,
                           other=f"公开表（第 {tloc.page} 页）中" if tloc.page else "公开表中")


def _where(f: Figures, first: Reading, r: Reading) -> str:
    """How the message names the place of the reading compared against."""
    sec = first.claim.section if first.claim else ""
    number = next((s.number for s in f.profile.sections() if s.topic == sec and s.number), "")
    place = "前文" if r.claim is None or r.claim.section == sec or not number else f"说明{number}中"
    return place if first.what == r.what else f"{place}的{first.what}"


def check_declared(a: Auditor, f: Figures) -> None:
    """Each declared share, rate and total of every sentence."""
    lists = _share_lists(a, f)
    for c in a.ex.claims:
        for slot, m in meanings_of(c, f.profile).items():
            if not isinstance(c.values.get(slot), Decimal):
                continue
            what = fill(m.what, c, f.profile) if m.what else None
            if m.share is not None:
                _share(a, f, c, slot, m, what, lists)
            if m.rate is not None:
                _rate(a, f, c, slot, m, what)
            if m.sum is not None:
                _sum(a, f, c, slot, m, what)
            if m.bound is not None:
                _bound(a, f, c, slot, m)


def _bound(a: Auditor, f: Figures, c: Claim, slot: str, m: Meaning) -> None:
    """The slot's amount is at most the bound's (a part of it, printed elsewhere)."""
    assert m.bound is not None
    whole = f.ref(c, m.bound.at_most)
    if whole is None:
        return
    if iv(c.values[slot]).lo > iv(whole[0]).hi:
        a.emit("narrative.amount", _loc(c, slot), f"不超过 {fmt(whole[0])}", fmt(c.values[slot]), (whole[1],),
               what=m.bound.what, other=m.bound.other)


def _share_lists(a: Auditor, f: Figures) -> dict[tuple, list[tuple[Decimal, Decimal]]]:
    """The (part, printed share) of every declared share, by the whole they are shares of and the
    sentence kind that prints them (a list of shares of one whole, whose 100 % may have been forced:
    ``generic_checks.balanced``)."""
    lists: dict[tuple, list[tuple[Decimal, Decimal]]] = {}
    for c in a.ex.claims:
        for slot, m in meanings_of(c, f.profile).items():
            if m.share is None or not isinstance(c.values.get(slot), Decimal):
                continue
            part, whole = f.ref(c, m.share.part), f.ref(c, m.share.whole)
            if part is not None and whole is not None:
                lists.setdefault((whole[0], whole[1], base_key(c)), []).append((part[0], c.values[slot]))
    return lists


def _share(a: Auditor, f: Figures, c: Claim, slot: str, m: Meaning, what: str | None,
           lists: dict[tuple, list[tuple[Decimal, Decimal]]]) -> None:
    from juesuan.audit.generic_checks import adjusted, balanced

    assert m.share is not None
    part, whole = f.ref(c, m.share.part), f.ref(c, m.share.whole)
    if part is None or whole is None:
        return
    rule = "narrative.share"
    if balanced(lists.get((whole[0], whole[1], base_key(c)), []), whole[0]) and \
            adjusted(c.values[slot], iv(part[0]), iv(whole[0])):
        rule = "narrative.share_adjusted"  # moved by a unit of the last place so that the shares add up to 100 %
    a.ratio(rule, (c.values[slot], _loc(c, slot)), iv(part[0]), iv(whole[0]), (part[1], whole[1]),
            what=what or part[2], part=fmt(part[0]), whole=fmt(whole[0]), hint=m.share.hint)


def _rate(a: Auditor, f: Figures, c: Claim, slot: str, m: Meaning, what: str | None) -> None:
    assert m.rate is not None
    actual, budget = f.ref(c, m.rate.actual), f.ref(c, m.rate.budget)
    if actual is None or budget is None:
        return
    name = what or actual[2]
    if budget[0] == 0:
        if m.rate.zero_budget == "ignore":
            return
        if m.rate.zero_budget == "warn" or actual[0] == 0:
            a.emit("narrative.rate_zero_budget", _loc(c, slot), None, fmt(c.values[slot], True), what=name)
        return
    a.ratio("narrative.rate", (c.values[slot], _loc(c, slot)), iv(actual[0]), iv(budget[0]),
            (actual[1], budget[1]), what=name, actual=fmt(actual[0]), budget=fmt(budget[0]))


# an amount or a share in the text after a listed share item: an item the text holds that no
# sentence read (a line lost in a text copy, “住房保障支出（类）445.69万元，占” with its share gone)
_UNREAD_ITEM = re.compile(r"\d[\d,]*(?:\.\d+)?(?:万元|%|％)")


def _parts(a: Auditor, f: Figures, c: Claim, refs: list[str]) -> list[tuple[Decimal, Location]] | None:
    """The references of a sum (None when one of them is not printed)."""
    out: list[tuple[Decimal, Location]] = []
    numbered: set[int] = set()  # the item numbers (1. 2. …) of the listed items read
    for ref in refs:
        if ref.startswith("each:"):
            key, _, slot = ref[5:].rpartition(".")
            mine = [x for x in a.ex.claims if base_key(x) == key and isinstance(x.values.get(slot), Decimal)]
            lost = next((t for x in mine if "share" in x.values for t in [x.context.get("tail", "")]
                         if _UNREAD_ITEM.search(t)), None)
            if lost:  # a list of shares goes on with an amount or a share no item sentence read
                a.skip("narrative.sum", f"列出的明细“{lost.lstrip('；;，,。')[:24]}”未能按句式读出，明细合计未核对",
                       c.location)
                return None
            out += [(x.values[slot], _loc(x, slot)) for x in mine]
            numbered.update(x.values["n"] for x in mine if isinstance(x.values.get("n"), int))
            continue
        items = c.values.get(ref)
        if isinstance(items, list) and items and all(isinstance(x, tuple) for x in items):
            out += [(v, _loc(c, ref)) for _, v in items]
            continue
        got = f.ref(c, ref)
        if got is None:
            return None
        out.append((got[0], got[1]))
    if numbered and numbered != set(range(1, max(numbered) + 1)):
        missing = "、".join(str(n) for n in sorted(set(range(1, max(numbered) + 1)) - numbered)[:5])
        a.skip("narrative.sum", f"列出的第 {missing} 项未能读出，明细合计未核对", c.location)
        return None
    return out


def _sum(a: Auditor, f: Figures, c: Claim, slot: str, m: Meaning, what: str | None) -> None:
    assert m.sum is not None
    parts = _parts(a, f, c, m.sum)
    if not parts:  # a part is not printed, or no item is
        return
    r = f.of_claim(c, slot)
    a.sum_check(what or (r.what if r else slot), (c.values[slot], _loc(c, slot)), parts)


def check_last_year_sums(a: Auditor, f: Figures, last: dict[str, tuple[Interval, Location, Location]]) -> None:
    """A declared total of figures holds for last year too: each figure's last-year value is its
    this-year reading minus the change printed after it."""
    for c in a.ex.claims:
        for slot, m in meanings_of(c, f.profile).items():
            r = f.of_claim(c, slot)
            if m.sum is None or r is None or r.figure not in last:
                continue
            parts = [last.get(fid) for fid in (fill(x, c, f.profile) for x in m.sum) if fid]
            if len(parts) != len(m.sum) or any(p is None for p in parts):
                continue
            total = last[r.figure]
            s = isum([p[0] for p in parts])  # type: ignore[index]
            if not total[0].overlaps(s):
                related = tuple(loc for p in parts for loc in p[1:]) + (total[2],)  # type: ignore[index]
                what = fill(m.what, c, f.profile) if m.what else r.what
                a.emit("narrative.sum", total[1], fmt(s), fmt(total[0]), related,
                       what=f"上年{what}（本年数减去“与上年决算相比”的增减额推算）")


def change_pct_interval(diff: Interval, base: Interval) -> Interval | None:
    """|diff ÷ base| in percent (a change's percentage is printed without its sign)."""
    q = diff / base
    if q is None:
        return None
    q = q.scale(HUNDRED)
    if q.lo >= 0 or q.hi <= 0:
        return Interval(min(abs(q.lo), abs(q.hi)), max(abs(q.lo), abs(q.hi)))
    return Interval(ZERO, max(abs(q.lo), abs(q.hi)))
