"""Hypothesis strategies for valid datasets, for any round trip (workbook, YAML …).

Values are kept to what every input format can carry: amounts are Decimals
with 2 places, texts are stripped and free of control characters, list items
and dict texts are non-empty, codes are unique within their table, project
names are unique.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from juesuan.model.accounts import (
    INCOME_FIELDS,
    REASON_KEYS,
    SPENDING_FIELDS,
    AppropriationBalance,
    Assets,
    Balances,
    BasicProject,
    BudgetUnit,
    Contact,
    Dataset,
    Department,
    EconKind,
    EconLine,
    ExpenditureLine,
    FundKind,
    FundRow,
    Income,
    Indicator,
    InitialBudget,
    LastYear,
    Nature,
    OperatingCost,
    Performance,
    Procurement,
    Rating,
    SelfEvaluation,
    StatedFigure,
    ThreePublic,
    ThreePublicAmounts,
    ThreePublicCounts,
    Vehicles,
)
from juesuan.model.money import Unit

_CHARS = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "Zs"),
    exclude_characters="\r_",
)
_CJK = "财政部门预算支出收入项目工作会议经费管理服务保障人员公用基本一般公共"


def text(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    """Stripped text of letters, digits, punctuation and CJK (line breaks inside allowed)."""
    base = st.text(st.one_of(_CHARS, st.sampled_from(_CJK), st.just("\n")), min_size=min_size,
                   max_size=max_size)
    return base.map(str.strip).filter(lambda s: len(s) >= min_size)


def name() -> st.SearchStrategy[str]:
    return text(1, 20).filter(lambda s: "\n" not in s)


def amounts(max_value: int = 10**9) -> st.SearchStrategy[Decimal]:
    """Money with 2 places, 0 … max_value."""
    return st.integers(0, max_value * 100).map(lambda n: Decimal(n).scaleb(-2))


def counts() -> st.SearchStrategy[int]:
    return st.integers(0, 500)


def opt(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


def _model(cls, **fields: st.SearchStrategy) -> st.SearchStrategy:
    return st.fixed_dictionaries(fields).map(lambda kw: cls(**kw))


incomes = _model(Income, **{f: amounts() for f in INCOME_FIELDS})
balances = _model(Balances, **{f: amounts() for f in Balances.model_fields})
basic_projects = _model(BasicProject, basic=amounts(), project=amounts())


def function_codes() -> st.SearchStrategy[str]:
    """类 (3), 款 (5) or 项 (7) function codes; mostly 项."""
    lei = st.sampled_from(["201", "205", "208", "210", "211", "212", "213", "221", "229"])
    two = st.integers(1, 99).map(lambda n: f"{n:02d}")
    return st.one_of(lei, st.tuples(lei, two).map("".join),
                     st.tuples(lei, two, two).map("".join), st.tuples(lei, two, two).map("".join))


@st.composite
def expenditure_lines(draw: st.DrawFn, code: str) -> ExpenditureLine:
    approp = draw(opt(st.dictionaries(st.sampled_from(list(FundKind)), basic_projects, min_size=1)))
    return ExpenditureLine(
        code=code, name=draw(name()), budget=draw(opt(amounts())), adjusted_budget=draw(opt(amounts())),
        **{f: draw(amounts()) for f in SPENDING_FIELDS},
        appropriation=approp, income=draw(opt(incomes)),
        fund_opening=draw(opt(amounts())), fund_closing=draw(opt(amounts())),
        reason=draw(text()),
    )


@st.composite
def expenditures(draw: st.DrawFn, max_size: int = 6) -> list[ExpenditureLine]:
    codes = draw(st.lists(function_codes(), max_size=max_size, unique=True))
    return [draw(expenditure_lines(c)) for c in codes]


@st.composite
def econ_lines(draw: st.DrawFn, max_size: int = 5) -> list[EconLine]:
    lei = st.sampled_from(["301", "302", "303", "310", "312"])
    code = st.one_of(lei, st.tuples(lei, st.integers(1, 99).map(lambda n: f"{n:02d}")).map("".join))
    codes = draw(st.lists(code, max_size=max_size, unique=True))
    return [EconLine(code=c, name=draw(name()), amount=draw(amounts()),
                     kind=draw(opt(st.sampled_from(list(EconKind))))) for c in codes]


tp_amounts = _model(ThreePublicAmounts, **{f: amounts(10**6) for f in ThreePublicAmounts.model_fields})
three_publics = _model(
    ThreePublic, budget=tp_amounts, actual=tp_amounts, last_year=opt(tp_amounts),
    foreign_reception=amounts(10**5),
    counts=_model(ThreePublicCounts, **{f: counts() for f in ThreePublicCounts.model_fields}),
)
fund_rows = _model(FundRow, initial_budget=amounts(10**6), annual_budget=amounts(10**6),
                   executed=amounts(10**6))
indicators = _model(
    Indicator, level1=st.sampled_from(["产出指标", "效益指标", "满意度指标"]), level2=name(), name=name(),
    nature=st.sampled_from(list(Nature)), direction=st.sampled_from(["", "大于等于", "小于等于", "等于"]),
    target=text(0, 10), actual=text(0, 10), unit=text(0, 4), weight=amounts(100),
    score=opt(amounts(100)), rating=st.sampled_from(list(Rating)), deviation=text(),
)


@st.composite
def self_evaluations(draw: st.DrawFn, max_size: int = 3) -> list[SelfEvaluation]:
    names = draw(st.lists(name(), max_size=max_size, unique=True))
    return [SelfEvaluation(
        name=n, department=draw(text(0, 10)), implementer=draw(text(0, 10)), funds=draw(fund_rows),
        appropriation=draw(opt(fund_rows)), carryover=draw(fund_rows), other_funds=draw(fund_rows),
        goal=draw(text()), achieved=draw(text()), indicators=draw(st.lists(indicators, max_size=3)),
        funds_rate=draw(opt(amounts(100))), funds_score=draw(opt(amounts(10))), total_score=draw(opt(amounts(100))),
        summary=draw(text()), problems=draw(text()), improvements=draw(text()),
    ) for n in names]


performances = st.builds(
    Performance, general_projects_l1=counts(), general_projects_l2=counts(), general_amount=opt(amounts()),
    fund_projects_l1=counts(), fund_projects_l2=counts(), fund_amount=amounts(),
    dept_evaluations=st.lists(name(), max_size=3), dept_eval_general=amounts(), dept_eval_fund=amounts(),
    key_evaluation=text(), self_evaluations=self_evaluations(),
    targets_projects=opt(counts()), targets_amount=opt(amounts()), tracking_projects=opt(counts()),
    tracking_amount=opt(amounts()), self_eval_projects=opt(counts()), self_eval_amount=opt(amounts()),
    average_score=opt(amounts(100)), problems_found=opt(counts()), problems_fixed=opt(counts()),
    grade_counts=st.dictionaries(st.sampled_from(["优", "良", "中", "差", "合格"]), counts(), max_size=3),
)
last_years = st.builds(
    LastYear, dataset=opt(name()), total=opt(amounts()), income=opt(incomes), balances=opt(balances),
    **{f: opt(amounts()) for f in ("basic", "project", "expenditure", "appropriation_total",
                                   "general_expenditure", "gov_fund_expenditure",
                                   "state_capital_expenditure")},
)
departments = st.builds(
    Department, name=name(), display_name=opt(name()), head=text(0, 8), finance_head=text(0, 8),
    preparer=text(0, 8), report_date=st.sampled_from(["", "2024-06-30", "2024年7月1日"]),
    functions=text(), duties=st.lists(name(), max_size=3), structure=text(), scope=text(),
    units=st.lists(st.builds(BudgetUnit, name=name(), nature=text(0, 10), note=text(0, 10),
                             accounts=opt(name())), max_size=3),
    main_work=st.lists(name(), max_size=3),
)
contacts = st.builds(Contact, person=text(0, 6), phone=st.sampled_from(["", "0473-1234567", "13800000000"]),
                     address=text(0, 20), email=st.sampled_from(["", "a@b.cn"]), feedback=text())
_keys = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
stated_figures = st.builds(
    StatedFigure, table=st.sampled_from(["t01", "t02", "t03", "t05", "t06", "t10"]),
    row=st.sampled_from(["total", "2010101", "301", "income_total"]),
    column=st.sampled_from(["total", "basic", "project", "actual"]), value=amounts(),
)


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    """A valid (not necessarily consistent) dataset using every part of the model."""
    return Dataset(
        profile=draw(st.sampled_from(["neimenggu-2023", "shanghai-2024"])),
        year=draw(st.integers(2015, 2030)), unit=draw(st.sampled_from(list(Unit))),
        department=draw(departments), contact=draw(contacts), income=draw(incomes),
        balances=draw(balances),
        appropriation_balances=draw(st.dictionaries(
            st.sampled_from(list(FundKind)), _model(AppropriationBalance, opening=amounts(), closing=amounts()))),
        budget=draw(st.builds(InitialBudget, total=opt(amounts()), appropriation_total=opt(amounts()),
                                general=opt(amounts()))),
        expenditure=draw(expenditures()), basic_econ=draw(econ_lines()), project_econ=draw(econ_lines()),
        three_public=draw(three_publics),
        operating_cost=draw(st.builds(OperatingCost, amount=opt(amounts()), last_year=opt(amounts()))),
        procurement=draw(_model(Procurement, **{
            f: opt(amounts()) if f.startswith("reserved") else amounts() for f in Procurement.model_fields})),
        assets=draw(st.builds(
            Assets, vehicles_total=opt(counts()),
            vehicles=_model(Vehicles, **{f: counts() for f in Vehicles.model_fields}),
            equipment_1m=counts(), as_of=st.sampled_from(["", "2023年12月31日"]))),
        performance=draw(performances), last_year=draw(last_years),
        reasons=draw(st.dictionaries(st.sampled_from(list(REASON_KEYS)) | _keys, text(1), max_size=4)),
        stated=draw(st.lists(stated_figures, max_size=3)),
        texts=draw(st.dictionaries(_keys, text(1), max_size=3)),
    )
