"""Correctly rounded data never fires a rounding-sensitive rule.

Accounts are generated exactly in 分 (so every identity holds exactly), then
every figure is printed as 万元 to two decimals, as disclosures do.  The
checks must accept the printed figures: differences of a few 0.01 are rounding.
"""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from juesuan.model.accounts import Dataset
from juesuan.model.money import round2
from tests.helpers import run

CODES = ["2010101", "2010102", "2010199", "2010501", "2010502", "2080501", "2080505", "2101101",
         "2210201", "2150801", "2150899"]
ECON = ["30101", "30102", "30108", "30201", "30211", "30231", "31002"]
WAN = D(1_000_000)  # 分 per 万元


def wan(fen: int) -> D:
    return round2(D(fen) / WAN)


def split(total: int, parts: int, draw) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, total]
    return [b - a for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


@st.composite
def rounded_accounts(draw) -> Dataset:
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=len(CODES), unique=True))
    cent = st.integers(0, 50_000_000_000)  # up to 5 亿元 in 分
    rows = [(c, draw(cent), draw(cent)) for c in sorted(codes)]
    basic = sum(r[1] for r in rows)
    project = sum(r[2] for r in rows)
    basic_parts = split(basic, draw(st.integers(1, len(ECON))), draw)
    project_parts = split(project, draw(st.integers(1, 3)), draw)
    total = basic + project
    classes: dict[str, list[tuple[str, int, int]]] = {}
    for r in rows:
        classes.setdefault(r[0][:3], []).append(r)
    stated = [{"table": "t01", "row": "income_total", "column": "amount", "value": wan(total)},
              {"table": "t03", "row": "total", "column": "total", "value": wan(total)},
              {"table": "t05", "row": "total", "column": "basic", "value": wan(basic)},
              {"table": "t06", "row": "total", "column": "amount", "value": wan(basic)}]
    stated += [{"table": "t03", "row": k, "column": "total", "value": wan(sum(r[1] + r[2] for r in v))}
               for k, v in classes.items()]
    expenditure = [{"code": k, "name": "类", "basic": wan(sum(r[1] for r in v)),
                    "project": wan(sum(r[2] for r in v))} for k, v in classes.items()]
    expenditure += [{"code": c, "name": "项", "basic": wan(b), "project": wan(p)} for c, b, p in rows]
    return Dataset.model_validate({
        "year": 2023,
        "department": {"name": "测试局"},
        "income": {"general_budget": wan(total)},
        "expenditure": expenditure,
        "basic_econ": [{"code": ECON[i], "name": "款", "amount": wan(a)} for i, a in enumerate(basic_parts)],
        "project_econ": [{"code": ["30201", "30202", "31002"][i], "name": "款", "amount": wan(a)}
                         for i, a in enumerate(project_parts)],
        "stated": stated,
    })


ROUNDING_RULES = ("identity", "hierarchy", "stated.total", "procurement", "operating_cost", "budget")


@settings(max_examples=150, deadline=None)
@given(rounded_accounts())
def test_correct_rounding_never_fires(ds):
    findings = run(ds, select=ROUNDING_RULES)
    assert findings == [], [f.message for f in findings]
