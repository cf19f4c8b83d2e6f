"""A department's budget for one year (部门预算): the sister of the final accounts.

Pure data (pydantic, no I/O), in the same family as ``juesuan.model.accounts``: the same
department, contact, economic lines, “三公” amounts and assets types, the same units and
rounding (an amount keeps the decimals it is written with).  A dataset says which
document it is with the top-level ``kind``: ``预算`` here, ``决算`` (or nothing) for the
final accounts.

Every comparison a budget disclosure prints is against last year's *budget* (上年预算数),
never last year's final accounts: ``last_year`` holds those figures, and each function
row may carry its own ``last_year``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator

from juesuan.model.accounts import (
    Amount,
    Assets,
    BasicProject,
    Contact,
    Count,
    Department,
    EconLine,
    ExpenditureLine,
    FundKind,
    ThreePublicAmounts,
    _Model,
)
from juesuan.model.money import ZERO, Unit

__all__ = [
    "BUDGET_INCOME_FIELDS",
    "BUDGET_INCOME_LABELS",
    "BUDGET_SPENDING_LABELS",
    "BudgetDataset",
    "BudgetIncome",
    "BudgetLine",
    "Target",
    "TargetIndicator",
]


class BudgetIncome(_Model):
    """本年收入预算 by source (收支总表 left side, 收入总表 columns)."""

    general_budget: Amount = Field(ZERO, description="一般公共预算拨款收入")
    gov_fund: Amount = Field(ZERO, description="政府性基金预算拨款收入")
    state_capital: Amount = Field(ZERO, description="国有资本经营预算拨款收入")
    special_account: Amount = Field(ZERO, description="财政专户管理资金收入")
    business: Amount = Field(ZERO, description="事业收入")
    operating: Amount = Field(ZERO, description="事业单位经营收入")
    superior_subsidy: Amount = Field(ZERO, description="上级补助收入")
    affiliated: Amount = Field(ZERO, description="附属单位上缴收入")
    other: Amount = Field(ZERO, description="其他收入")

    @property
    def appropriation(self) -> Decimal:
        """财政拨款收入 (the three budget kinds)."""
        return self.general_budget + self.gov_fund + self.state_capital

    @property
    def total(self) -> Decimal:
        """本年收入合计."""
        return sum((getattr(self, f) for f in BUDGET_INCOME_FIELDS), ZERO)


BUDGET_INCOME_FIELDS = tuple(BudgetIncome.model_fields)
BUDGET_INCOME_LABELS = {f: BudgetIncome.model_fields[f].description for f in BUDGET_INCOME_FIELDS}


class Carryover(_Model):
    """上年结转结余 by source (收支总表, 财政拨款收支总表)."""

    general_budget: Amount = Field(ZERO, description="上年结转的一般公共预算拨款")
    gov_fund: Amount = Field(ZERO, description="上年结转的政府性基金预算拨款")
    state_capital: Amount = Field(ZERO, description="上年结转的国有资本经营预算拨款")
    other: Amount = Field(ZERO, description="上年结转结余的财政专户管理资金和单位资金")

    @property
    def appropriation(self) -> Decimal:
        return self.general_budget + self.gov_fund + self.state_capital

    @property
    def total(self) -> Decimal:
        return self.appropriation + self.other


BUDGET_SPENDING_LABELS = {
    "basic": "基本支出",
    "project": "项目支出",
    "operating": "事业单位经营支出",
    "to_superior": "上缴上级支出",
    "affiliated": "对附属单位补助支出",
}


class BudgetLine(_Model):
    """One row of the function classification in the budget (支出总表): 类, 款 or 项.

    Rows at 项 level (7 digits) carry the data; 类 and 款 rows are optional stated
    subtotals, checked against the sum of their 项.
    """

    code: str = Field(description="科目编码 (3, 5 or 7 digits)")
    name: str = Field(description="科目名称")
    basic: Amount = Field(ZERO, description="基本支出")
    personnel: Amount | None = Field(None, description="基本支出中的人员经费")
    public: Amount | None = Field(None, description="基本支出中的公用经费")
    project: Amount = Field(ZERO, description="项目支出")
    operating: Amount = Field(ZERO, description="事业单位经营支出")
    to_superior: Amount = Field(ZERO, description="上缴上级支出")
    affiliated: Amount = Field(ZERO, description="对附属单位补助支出")
    funds: dict[FundKind, BasicProject] | None = Field(
        None, description="财政拨款支出 of this row by budget kind; omitted = not given")
    last_year: Amount | None = Field(None, description="上年预算数 of this row (the explanations compare with it)")
    reason: str = Field("", description="与上年预算相比的变动原因")

    @field_validator("code", mode="before")
    @classmethod
    def _code_text(cls, v: Any) -> str:
        return ExpenditureLine._code_text(v)  # one rule for a function code, shared with the accounts

    @property
    def level(self) -> int:
        """1 = 类, 2 = 款, 3 = 项."""
        return {3: 1, 5: 2, 7: 3}[len(self.code)]

    @property
    def total(self) -> Decimal:
        return self.basic + self.project + self.operating + self.to_superior + self.affiliated

    def fund(self, kind: FundKind) -> BasicProject:
        """This row's 财政拨款 of one kind; without a split every row is 一般公共预算 when the
        department has no other income (see ``BudgetDataset.appropriation_of``)."""
        if self.funds is not None:
            return self.funds.get(kind, BasicProject())
        return BasicProject(basic=self.basic, project=self.project) if kind is FundKind.GENERAL else BasicProject()


class BudgetThreePublic(_Model):
    """一般公共预算“三公”经费、会议费、培训费支出预算."""

    budget: ThreePublicAmounts = Field(default_factory=ThreePublicAmounts, description="本年预算")
    last_year: ThreePublicAmounts | None = Field(None, description="上年预算")
    meetings: Amount | None = Field(None, description="会议费预算")
    training: Amount | None = Field(None, description="培训费预算")
    meetings_last_year: Amount | None = Field(None, description="上年会议费预算")
    training_last_year: Amount | None = Field(None, description="上年培训费预算")


class BudgetOperatingCost(_Model):
    amount: Amount | None = Field(None, description="一般公共预算机关运行经费预算")
    last_year: Amount | None = Field(None, description="上年机关运行经费预算")


class BudgetProcurement(_Model):
    goods: Amount = Field(ZERO, description="拟采购货物支出")
    works: Amount = Field(ZERO, description="拟采购工程支出")
    services: Amount = Field(ZERO, description="拟采购服务支出")

    @property
    def total(self) -> Decimal:
        return self.goods + self.works + self.services


class TargetIndicator(_Model):
    """一个绩效指标 of a project's 绩效目标表: a target value, no score (a budget is a plan)."""

    level1: str = Field(description="一级指标 (产出指标/效益指标/满意度指标/成本指标)")
    level2: str = Field(description="二级指标 (数量指标, 质量指标, 时效指标 …)")
    name: str = Field(description="三级指标")
    direction: str = Field("", description="指标方向: ≥, ≤, =, 定性")
    target: str = Field(description="指标值")
    unit: str = Field("", description="计量单位")


class Target(_Model):
    """项目支出绩效目标表 of one project."""

    project: str = Field(description="项目名称")
    amount: Amount = Field(description="项目预算金额")
    goal: str = Field("", description="年度绩效目标")
    indicators: list[TargetIndicator] = Field(default_factory=list)


class BudgetPerformance(_Model):
    """预算绩效目标设置情况."""

    whole_amount: Amount | None = Field(None, description="部门整体支出纳入绩效目标管理涉及的财政性资金")
    projects: Count | None = Field(None, description="纳入绩效目标管理的项目个数")
    projects_amount: Amount | None = Field(None, description="纳入绩效目标管理的项目涉及的财政性资金")
    targets: list[Target] = Field(default_factory=list, description="项目支出绩效目标表")


class BudgetLastYear(_Model):
    """上年预算数 for every comparison the explanations print."""

    total: Amount | None = Field(None, description="上年收支预算总计")
    income: BudgetIncome | None = Field(None, description="上年本年收入预算 by source")
    expenditure: Amount | None = Field(None, description="上年本年支出合计")
    basic: Amount | None = Field(None, description="上年基本支出")
    project: Amount | None = Field(None, description="上年项目支出")
    appropriation_total: Amount | None = Field(None, description="上年财政拨款收支总计")
    general_expenditure: Amount | None = Field(None, description="上年一般公共预算支出")


class BudgetDataset(_Model):
    """A department's budget for one year."""

    schema_: str = Field("juesuan/1", alias="schema")
    kind: Literal["预算"] = Field(description="文档类型：预算 (部门预算)")
    profile: str = Field("budget-national", description="budget disclosure profile (province style)")
    year: int = Field(ge=2000, le=2100, description="预算年度")
    unit: Unit = Field(Unit.WAN, description="unit of every amount in this dataset")
    department: Department
    contact: Contact = Field(default_factory=Contact)
    income: BudgetIncome = Field(default_factory=BudgetIncome)
    carryover: Carryover = Field(default_factory=Carryover, description="上年结转结余")
    closing: Amount = Field(ZERO, description="年终结转结余")
    expenditure: list[BudgetLine] = Field(default_factory=list)
    basic_econ: list[EconLine] = Field(
        default_factory=list, description="一般公共预算基本支出 by economic 类/款 (一般公共预算基本支出表)")
    three_public: BudgetThreePublic = Field(default_factory=BudgetThreePublic)
    operating_cost: BudgetOperatingCost = Field(default_factory=BudgetOperatingCost)
    procurement: BudgetProcurement = Field(default_factory=BudgetProcurement)
    assets: Assets = Field(default_factory=Assets)
    performance: BudgetPerformance = Field(default_factory=BudgetPerformance)
    last_year: BudgetLastYear = Field(default_factory=BudgetLastYear)
    reasons: dict[str, str] = Field(default_factory=dict, description="与上年预算相比的变动原因 by comparison")
    texts: dict[str, str] = Field(default_factory=dict, description="other free texts by key")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def items(self) -> list[BudgetLine]:
        """The 项 rows, in order."""
        return [e for e in self.expenditure if e.level == 3]

    # -- totals every table and explanation prints -------------------------------------
    @property
    def expenditure_total(self) -> Decimal:
        """本年支出合计."""
        return sum((i.total for i in self.items()), ZERO)

    @property
    def total(self) -> Decimal:
        """收入总计 (= 支出总计)."""
        return self.income.total + self.carryover.total

    def spending(self, field: str) -> Decimal:
        return sum((getattr(i, field) for i in self.items()), ZERO)

    def fund_split_given(self) -> bool:
        """Whether each row's 财政拨款 by kind is known: given per row, or implied because
        the department's whole income is 一般公共预算拨款."""
        if any(i.funds is not None for i in self.items()):
            return True
        other = self.income.total - self.income.general_budget + self.carryover.total - self.carryover.general_budget
        return other == 0

    def appropriation_of(self, kind: FundKind) -> BasicProject:
        rows = [i.fund(kind) for i in self.items()]
        return BasicProject(basic=sum((r.basic for r in rows), ZERO), project=sum((r.project for r in rows), ZERO))

    def classes(self) -> list[tuple[str, str, Decimal]]:
        """(类 code, name, total) for each function class with spending, in code order."""
        names = {e.code: e.name for e in self.expenditure if e.level == 1}
        totals: dict[str, Decimal] = {}
        for i in self.items():
            totals[i.code[:3]] = totals.get(i.code[:3], ZERO) + i.total
        return [(c, names.get(c, c), totals[c]) for c in sorted(totals)]
