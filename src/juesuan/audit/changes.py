"""The declared changes: “与上年相比 增加/减少 x 万元，增长/下降 y%” against the figure it is about.

A slot declared ``change`` prints the percentage of a change; the sentence
also prints the change's amount and direction word, and sometimes the
percentage's own direction word (or a fixed one: “降低”).  This year's figure
is the declaration's ``this``, else the figure the sentence itself prints,
else the one of the sentence the clause follows (its subject).  The
direction words must agree, the percentage is diff ÷ (this − diff), and each
figure's last-year value (this − diff) is kept for the checks of last year's
totals and for the dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from juesuan.audit.auditor import Auditor, fmt, iv
from juesuan.audit.declared import Figures, Reading, change_pct_interval, fill, meanings_of
from juesuan.audit.model import Claim
from juesuan.model.findings import Location
from juesuan.model.money import Interval
from juesuan.profiles.meanings import Change

__all__ = ["Implied", "LastYear", "check_changes", "implied", "subject_of", "this_of"]

LastYear = dict[str, tuple[Interval, Location, Location]]


@dataclass(frozen=True)
class Implied:
    """A value a change implies: this year's figure less the change (last year's, or the budget)."""

    figure: str
    vs: str
    value: Decimal
    claim: Claim
    slot: str  # the slot of the change's amount


def implied(f: Figures) -> list[Implied]:
    """Every figure's value implied by a declared change, in reading order."""
    out = []
    for c in f.claims:
        for m in meanings_of(c, f.profile).values():
            ch = m.change
            if ch is None or not isinstance(c.values.get(ch.diff), Decimal):
                continue
            this, fid, _ = this_of(f, c, ch)
            if this is not None and fid is not None:
                sign = -1 if c.values.get(ch.dir, 1) < 0 else 1
                out.append(Implied(fid, ch.vs, this[0] - c.values[ch.diff] * sign, c, ch.diff))
    return out


def subject_of(c: Claim, claims: list[Claim]) -> Claim | None:
    """The sentence a clause follows (claims.py attaches its values)."""
    sv = c.context.get("subject_values")
    return next((x for x in claims if x.values is sv), None) if sv is not None else None


def this_of(f: Figures, c: Claim, ch: Change) -> tuple[tuple[Decimal, Location, str] | None, str | None, bool]:
    """This year's figure of a change: (value, place, name), its figure id, and whether it is
    the subject's (the clause is about the sentence before it)."""
    if ch.this:
        got = f.ref(c, ch.this)
        fid = None if ch.this in c.values else fill(ch.this, c, f.profile)
        return got, fid, False
    own = _figure_reading(f, c)
    if own is not None:
        return (own.value, own.location, own.what), own.figure, False
    subj = subject_of(c, f.claims)
    if subj is not None:
        r = _figure_reading(f, subj)
        if r is not None:
            return (r.value, r.location, r.what), r.figure, True
    sv = c.context.get("subject_values") or {}
    for slot in ("amount", "total", "actual"):
        if isinstance(sv.get(slot), Decimal):
            loc = Location(page=c.context.get("subject_page"), line=c.context.get("subject_line"))
            return (sv[slot], loc, "该项"), None, True
    return None, None, True


def _figure_reading(f: Figures, c: Claim) -> Reading | None:
    for slot, m in meanings_of(c, f.profile).items():
        if m.figure:
            r = f.of_claim(c, slot)
            if r is not None:
                return r
    return None


def check_changes(a: Auditor, f: Figures) -> LastYear:
    """Every declared change against this year's figure; returns each figure's last-year value."""
    last: LastYear = {}
    for c in a.ex.claims:
        for slot, m in meanings_of(c, f.profile).items():
            ch = m.change
            if ch is None or not isinstance(c.values.get(ch.diff), Decimal):
                continue
            v = c.values
            this, fid, clause = this_of(f, c, ch)
            suffix = ("与年初预算相比" if ch.vs == "budget" else "与上年相比") if clause else ""
            what = fill(m.what, c, f.profile) if m.what else None
            if this is None:
                if isinstance(v.get(slot), Decimal):
                    a.skip("narrative.change_pct", f"未找到“{what or '该项' + suffix}”的本年数", c.location)
                continue
            what = what or this[2] + suffix
            sign = -1 if v.get(ch.dir, 1) < 0 else 1
            diff = iv(v[ch.diff]).scale(Decimal(sign))
            if fid is not None and ch.vs == "last_year":
                last.setdefault(fid, (iv(this[0]) - diff, c.locations.get(ch.diff, c.location), this[1]))
            if not isinstance(v.get(slot), Decimal):
                continue
            _direction(a, c, slot, ch, what)
            q = change_pct_interval(diff, iv(this[0]) - diff)
            if q is None:
                continue
            if not iv(v[slot]).overlaps(q):
                a.emit("narrative.change_pct", c.locations[slot], fmt(q, True), fmt(v[slot], True),
                       (c.locations.get(ch.diff, c.location), this[1]), what=what, diff=fmt(v[ch.diff]),
                       last=fmt(this[0] - v[ch.diff] * sign))
    return last


def _direction(a: Auditor, c: Claim, slot: str, ch: Change, what: str) -> None:
    """The change's direction word and the percentage's agree (a fixed 降低 is a decrease)."""
    v = c.values
    fixed = isinstance(ch.trend, int) and not isinstance(ch.trend, bool)
    trend = ch.trend if fixed else v.get(ch.trend) if isinstance(ch.trend, str) else None
    if not isinstance(trend, int) or not isinstance(v.get(ch.dir), int) or v[ch.dir] == trend or v[ch.diff] == 0:
        return
    word = "降低" if fixed else ("增长" if trend > 0 else "下降/减少")
    where = c.locations.get(ch.trend, c.locations[slot]) if isinstance(ch.trend, str) else c.locations[slot]
    a.emit("narrative.direction", where, what=what,
           message=f"增减额写“{'增加' if v[ch.dir] > 0 else '减少'}”，增减幅度却写“{word}”")
