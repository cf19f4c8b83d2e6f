from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from juesuan.model.money import Interval, Unit, convert, fmt_amount, fmt_pct, half_ulp, round2


def test_half_ulp_follows_written_precision():
    assert half_ulp(D("4499.46")) == D("0.005")
    assert half_ulp(D("3029.5")) == D("0.05")
    assert half_ulp(D("10")) == D("0.5")


def test_seed_class_sum_is_correct_rounding():
    # DOMAIN.md: the seed's function classes sum to 4,499.44 against a printed 4,499.46
    classes = [D("11.01"), D("161.28"), D("40.59"), D("285.75"), D("3929.26"), D("67.77"), D("3.78")]
    total = sum((Interval.printed(c) for c in classes), Interval.exact(D(0)))
    assert sum(classes) == D("4499.44")
    assert total.overlaps(Interval.printed(D("4499.46")))
    assert not total.overlaps(Interval.printed(D("4499.50")))


def test_division_interval():
    q = Interval.printed(D("2.31")) / Interval.printed(D("5.48"))
    assert q is not None and q.contains(D("0.4222"))
    assert Interval.printed(D("1")) / Interval.printed(D("0.00")) is None


def test_format():
    assert fmt_amount(D("4499.456")) == "4,499.46"
    assert fmt_amount(D("0.005")) == "0.01"  # half-up, as statements round
    assert fmt_pct(D("233.7")) == "233.70%"
    assert round2(D("2.345")) == D("2.35")


def test_units():
    assert convert(D("44994600"), Unit.YUAN, Unit.WAN) == D("4499.46")
    assert Unit.parse("单位：万元") is Unit.WAN
    with pytest.raises(ValueError):
        Unit.parse("千元")


@given(st.integers(min_value=0, max_value=10**12))
def test_rounded_value_interval_contains_exact(fen):
    exact = D(fen) / 1000000  # 分 → 万元
    printed = round2(exact)
    assert Interval.printed(printed).contains(exact)
