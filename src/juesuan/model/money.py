"""Money in explicit units, and the intervals that printed (rounded) figures stand for.

Every amount in a dataset is a ``Decimal`` in the dataset's declared unit.  The
number of decimal places it was written with is kept (``Decimal("4499.46")``
has exponent -2), so a figure carries its own rounding tolerance: a printed x
means the interval [x - 0.005, x + 0.005].  This is beancount's idea of
inferring tolerances from the input's precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class Unit(str, Enum):
    """The unit a dataset's amounts are written in."""

    YUAN = "元"
    WAN = "万元"

    @property
    def yuan(self) -> Decimal:
        """How many yuan one of this unit is."""
        return Decimal(1) if self is Unit.YUAN else Decimal(10000)

    @classmethod
    def parse(cls, text: str) -> Unit:
        t = str(text).strip().replace("单位：", "").replace("单位:", "").strip()
        for unit in cls:
            if t == unit.value:
                return unit
        if t.lower() in {"yuan", "cny"}:
            return cls.YUAN
        if t.lower() in {"wan", "10k"}:
            return cls.WAN
        raise ValueError(f"未知的金额单位“{text}”：只能是“元”或“万元”")


def convert(amount: Decimal, src: Unit, dst: Unit) -> Decimal:
    """Convert an amount between units without rounding."""
    if src is dst:
        return amount
    return amount * src.yuan / dst.yuan


def half_ulp(value: Decimal) -> Decimal:
    """Half a unit in the last place written: the rounding tolerance of a printed figure."""
    exp = value.as_tuple().exponent
    if not isinstance(exp, int):  # NaN / Infinity never reach here in valid data
        return ZERO
    if exp >= 0 and value == 0:
        return ZERO  # a blank or plain 0 is an exact zero, not "somewhere within ±0.5"
    return Decimal(5).scaleb(exp - 1)


def round2(value: Decimal, places: int = 2) -> Decimal:
    """Round half-up as Chinese financial statements do (0.005 -> 0.01); never a negative zero
    (-0.001 rounds to 0.00, printed without a sign)."""
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return q.copy_abs() if q.is_zero() else q


@dataclass(frozen=True)
class Interval:
    """A closed interval of possible true values behind a rounded figure."""

    lo: Decimal
    hi: Decimal

    @classmethod
    def exact(cls, value: Decimal) -> Interval:
        return cls(value, value)

    @classmethod
    def printed(cls, value: Decimal, tolerance: Decimal | None = None) -> Interval:
        """The interval a printed figure stands for (its own precision unless given)."""
        tol = half_ulp(value) if tolerance is None else tolerance
        return cls(value - tol, value + tol)

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    @property
    def width(self) -> Decimal:
        return self.hi - self.lo

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def scale(self, k: Decimal) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def __truediv__(self, other: Interval) -> Interval | None:
        """Quotient interval; None when the divisor may be zero."""
        if other.lo <= 0 <= other.hi:
            return None
        cands = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Interval(min(cands), max(cands))

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, value: Decimal) -> bool:
        return self.lo <= value <= self.hi

    def distance(self, other: Interval) -> Decimal:
        """How far apart two intervals are (0 when they overlap)."""
        if self.overlaps(other):
            return ZERO
        return other.lo - self.hi if other.lo > self.hi else self.lo - other.hi


def isum(values: list[Interval]) -> Interval:
    total = Interval.exact(ZERO)
    for v in values:
        total = total + v
    return total


def fmt_amount(value: Decimal, places: int = 2, grouping: bool = True) -> str:
    """4499.46 -> '4,499.46' (the way disclosures print 万元 amounts)."""
    q = round2(value, places)
    return f"{q:,.{places}f}" if grouping else f"{q:.{places}f}"


def fmt_pct(value: Decimal, places: int = 2) -> str:
    """A percentage value (already x100) to two decimals: 233.7 -> '233.70%'."""
    return f"{round2(value, places):.{places}f}%"
