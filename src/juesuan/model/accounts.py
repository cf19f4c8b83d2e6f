"""The department's final accounts for one year: the one model every feature views.

Pure data (pydantic, no I/O).  Field names are English; each field's
description gives the official Chinese term, so that the YAML format, the
workbook and the documentation stay one source of truth.

All amounts are ``Decimal`` in ``Dataset.unit``.  Amounts keep the number of
decimal places they were written with; that precision is their rounding
tolerance (see ``juesuan.model.money``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from juesuan.model.money import ZERO, Unit


def _to_decimal(value: Any) -> Any:
    """Accept Decimal, int, float and numeric text ('1,234.50', '１２３'); reject the rest."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError("金额不能是真/假值")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip().translate(_FULLWIDTH).replace(",", "").replace(" ", "")
        if text in {"", "-", "—", "——"}:
            return ZERO
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{value}”不是数字") from None
    raise ValueError(f"“{value}”不是数字")


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")

Amount = Annotated[Decimal, BeforeValidator(_to_decimal), Field(ge=0)]
"""An amount in the dataset's unit (never negative in these accounts)."""

Count = Annotated[int, Field(ge=0)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False, defer_build=True)


class UnitNature(str, Enum):
    """单位性质 of a budget unit (as printed in disclosures)."""

    ADMIN = "行政单位"
    CIVIL_SERVICE_MANAGED = "参照公务员法管理事业单位"
    PUBLIC_WELFARE_1 = "公益一类事业单位"
    PUBLIC_WELFARE_2 = "公益二类事业单位"
    BUSINESS_LIKE = "生产经营类事业单位"
    OTHER = "其他"


class BudgetUnit(_Model):
    """A budget unit (预算单位) included in the department's accounts."""

    name: str
    nature: str = Field("", description="单位性质, as printed (e.g. 财政拨款的行政单位)")
    note: str = Field("", description="备注 (e.g. 预算不单列，并入本级)")
    accounts: str | None = Field(
        None, description="path of this unit's own dataset, summed into the department's (部门汇总)"
    )


class Department(_Model):
    name: str = Field(description="部门名称")
    display_name: str | None = Field(None, description="name as the narrative writes it, e.g. XX局（部门）")
    head: str = Field("", description="单位负责人")
    finance_head: str = Field("", description="财务负责人")
    preparer: str = Field("", description="编制人")
    report_date: str = Field("", description="报送日期")
    functions: str = Field("", description="部门职能")
    duties: list[str] = Field(default_factory=list, description="部门主要职责")
    structure: str = Field("", description="内设机构 and 下属单位")
    scope: str = Field("", description="决算单位构成 sentence")
    units: list[BudgetUnit] = Field(default_factory=list, description="决算单位构成")
    main_work: list[str] = Field(default_factory=list, description="年度主要工作完成情况")

    @property
    def label(self) -> str:
        return self.display_name or self.name


class Contact(_Model):
    person: str = Field("", description="联系人")
    phone: str = Field("", description="联系电话")
    address: str = ""
    email: str = ""
    feedback: str = Field("", description="信息反馈渠道 text")


class Income(_Model):
    """本年收入 by source (公开01表 left side, 02表 columns)."""

    general_budget: Amount = Field(ZERO, description="一般公共预算财政拨款收入")
    gov_fund: Amount = Field(ZERO, description="政府性基金预算财政拨款收入")
    state_capital: Amount = Field(ZERO, description="国有资本经营预算财政拨款收入")
    superior_subsidy: Amount = Field(ZERO, description="上级补助收入")
    business: Amount = Field(ZERO, description="事业收入")
    operating: Amount = Field(ZERO, description="经营收入")
    affiliated: Amount = Field(ZERO, description="附属单位上缴收入")
    other: Amount = Field(ZERO, description="其他收入")

    @property
    def appropriation(self) -> Decimal:
        """财政拨款收入 (the three budget kinds)."""
        return self.general_budget + self.gov_fund + self.state_capital

    @property
    def total(self) -> Decimal:
        """本年收入合计."""
        return sum((getattr(self, f) for f in INCOME_FIELDS), ZERO)


INCOME_FIELDS = tuple(Income.model_fields)
INCOME_LABELS = {f: Income.model_fields[f].description for f in INCOME_FIELDS}


class Balances(_Model):
    """The figures beside the year's income and expenditure (公开01表)."""

    use_of_balance: Amount = Field(ZERO, description="使用非财政拨款结余和专用结余")
    opening: Amount = Field(ZERO, description="年初结转和结余")
    distribution: Amount = Field(ZERO, description="结余分配")
    closing: Amount = Field(ZERO, description="年末结转和结余")


class FundKind(str, Enum):
    """财政拨款 budget kinds."""

    GENERAL = "general"  # 一般公共预算财政拨款
    GOV_FUND = "gov_fund"  # 政府性基金预算财政拨款
    STATE_CAPITAL = "state_capital"  # 国有资本经营预算财政拨款


FUND_LABELS = {
    FundKind.GENERAL: "一般公共预算财政拨款",
    FundKind.GOV_FUND: "政府性基金预算财政拨款",
    FundKind.STATE_CAPITAL: "国有资本经营预算财政拨款",
}


class AppropriationBalance(_Model):
    """年初/年末财政拨款结转和结余 for one budget kind (公开04表)."""

    opening: Amount = Field(ZERO, description="年初财政拨款结转和结余")
    closing: Amount = Field(ZERO, description="年末财政拨款结转和结余")


class BasicProject(_Model):
    basic: Amount = Field(ZERO, description="基本支出")
    project: Amount = Field(ZERO, description="项目支出")

    @property
    def total(self) -> Decimal:
        return self.basic + self.project


SPENDING_FIELDS = ("basic", "project", "to_superior", "operating", "affiliated")
_LEVELS = {3: 1, 5: 2, 7: 3}  # code length → level
SPENDING_LABELS = {
    "basic": "基本支出",
    "project": "项目支出",
    "to_superior": "上缴上级支出",
    "operating": "经营支出",
    "affiliated": "对附属单位补助支出",
}


class ExpenditureLine(_Model):
    """One row of the function classification (支出功能分类) at 类, 款 or 项 level.

    Rows at 项 level (7-digit codes) carry the data.  Rows at 类 (3 digits) and 款
    (5 digits) are optional *stated* subtotals, as a pasted official table has
    them; the checks compare them with the sum of their 项.
    """

    code: str = Field(description="科目编码 (3, 5 or 7 digits)")
    name: str = Field(description="科目名称")
    budget: Amount | None = Field(None, description="年初预算 (一般公共预算财政拨款)")
    adjusted_budget: Amount | None = Field(None, description="调整预算 (全年预算)")
    basic: Amount = Field(ZERO, description="基本支出")
    project: Amount = Field(ZERO, description="项目支出")
    to_superior: Amount = Field(ZERO, description="上缴上级支出")
    operating: Amount = Field(ZERO, description="经营支出")
    affiliated: Amount = Field(ZERO, description="对附属单位补助支出")
    appropriation: dict[FundKind, BasicProject] | None = Field(
        None,
        description=(
            "财政拨款支出 of this row by budget kind; when omitted the whole basic and "
            "project spending is 一般公共预算财政拨款"
        ),
    )
    income: Income | None = Field(
        None, description="本年收入 of this row by source (公开02表); omitted = equal to spending"
    )
    fund_opening: Amount | None = Field(None, description="年初结转和结余 (基金/国资 tables)")
    fund_closing: Amount | None = Field(None, description="年末结转和结余 (基金/国资 tables)")
    reason: str = Field("", description="决算数与年初预算数的差异原因")

    @field_validator("code", mode="before")
    @classmethod
    def _code_text(cls, v: Any) -> str:
        text = str(v).strip().replace(" ", "")
        if not text.isdigit() or len(text) not in (3, 5, 7):
            raise ValueError(f"科目编码“{v}”应为 3、5 或 7 位数字")
        return text

    @property
    def level(self) -> int:
        """1 = 类, 2 = 款, 3 = 项."""
        return _LEVELS[len(self.code)]

    @property
    def total(self) -> Decimal:
        """本年支出合计 of this row."""
        return sum((getattr(self, f) for f in SPENDING_FIELDS), ZERO)

    def funds(self) -> dict[FundKind, BasicProject]:
        """财政拨款支出 by budget kind (the default reading of an omitted split)."""
        if self.appropriation is not None:
            return self.appropriation
        return {FundKind.GENERAL: BasicProject(basic=self.basic, project=self.project)}

    def general(self) -> BasicProject:
        g = self.funds().get(FundKind.GENERAL)
        return g if g is not None else BasicProject()

    def row_income(self) -> Income:
        if self.income is not None:
            return self.income
        f = self.funds()
        pick = {k: (f[k].total if k in f else ZERO) for k in FundKind}
        non_approp = self.total - sum(pick.values(), ZERO)
        return Income(
            general_budget=pick[FundKind.GENERAL],
            gov_fund=pick[FundKind.GOV_FUND],
            state_capital=pick[FundKind.STATE_CAPITAL],
            other=non_approp,
        )


class EconKind(str, Enum):
    PERSONNEL = "人员经费"
    PUBLIC = "公用经费"


class EconLine(_Model):
    """One 部门预算支出经济分类 row (类 3 digits or 款 5 digits) with its amount."""

    code: str = Field(description="经济分类科目编码")
    name: str = Field(description="科目名称")
    amount: Amount = Field(description="决算数")
    kind: EconKind | None = Field(None, description="人员经费/公用经费; omitted = by code")

    @field_validator("code", mode="before")
    @classmethod
    def _code_text(cls, v: Any) -> str:
        text = str(v).strip().replace(" ", "")
        if not text.isdigit() or len(text) not in (3, 5):
            raise ValueError(f"经济分类编码“{v}”应为 3 或 5 位数字")
        return text

    @property
    def level(self) -> int:
        return 1 if len(self.code) == 3 else 2

    def econ_kind(self) -> EconKind:
        if self.kind is not None:
            return self.kind
        return EconKind.PERSONNEL if self.code[:3] in ("301", "303") else EconKind.PUBLIC


class ThreePublicAmounts(_Model):
    """“三公”经费 amounts, by item."""

    abroad: Amount = Field(ZERO, description="因公出国（境）费")
    vehicle_purchase: Amount = Field(ZERO, description="公务用车购置费")
    vehicle_operation: Amount = Field(ZERO, description="公务用车运行维护费")
    reception: Amount = Field(ZERO, description="公务接待费")

    @property
    def vehicle(self) -> Decimal:
        """公务用车购置及运行维护费."""
        return self.vehicle_purchase + self.vehicle_operation

    @property
    def total(self) -> Decimal:
        return self.abroad + self.vehicle + self.reception


class ThreePublicCounts(_Model):
    abroad_groups: Count = Field(0, description="因公出国（境）团组数")
    abroad_people: Count = Field(0, description="因公出国（境）人次")
    vehicles_bought: Count = Field(0, description="公务用车购置数（辆）")
    vehicles_held: Count = Field(0, description="公务用车保有量（辆）")
    receptions: Count = Field(0, description="国内公务接待批次")
    reception_people: Count = Field(0, description="国内公务接待人次")
    foreign_receptions: Count = Field(0, description="国（境）外公务接待批次")
    foreign_reception_people: Count = Field(0, description="国（境）外公务接待人次")


class ThreePublic(_Model):
    """财政拨款“三公”经费 (公开表 and explanation 八)."""

    budget: ThreePublicAmounts = Field(default_factory=ThreePublicAmounts, description="全年预算")
    actual: ThreePublicAmounts = Field(default_factory=ThreePublicAmounts, description="支出决算")
    last_year: ThreePublicAmounts | None = Field(None, description="上年决算")
    foreign_reception: Amount = Field(ZERO, description="国（境）外公务接待支出 (part of reception)")
    counts: ThreePublicCounts = Field(default_factory=ThreePublicCounts)


class OperatingCost(_Model):
    """机构运行经费 (机关运行经费)."""

    amount: Amount | None = Field(None, description="本年决算; omitted = 公用经费 of basic spending")
    last_year: Amount | None = Field(None, description="上年决算")


class Procurement(_Model):
    """政府采购支出."""

    goods: Amount = Field(ZERO, description="政府采购货物支出")
    works: Amount = Field(ZERO, description="政府采购工程支出")
    services: Amount = Field(ZERO, description="政府采购服务支出")
    sme: Amount = Field(ZERO, description="授予中小企业合同金额")
    small_micro: Amount = Field(ZERO, description="授予小微企业合同金额")
    goods_sme: Amount = Field(ZERO, description="货物采购授予中小企业合同金额")
    works_sme: Amount = Field(ZERO, description="工程采购授予中小企业合同金额")
    services_sme: Amount = Field(ZERO, description="服务采购授予中小企业合同金额")
    reserved_sme: Amount | None = Field(None, description="面向中小企业预留金额")
    reserved_small_micro: Amount | None = Field(None, description="其中面向小微企业预留金额")
    reserved_awarded_sme: Amount | None = Field(None, description="预留项目中由中小企业中标或成交的金额")
    reserved_awarded_small_micro: Amount | None = Field(None, description="小微企业预留项目中由小微企业中标或成交的金额")
    other_awarded_sme: Amount | None = Field(None, description="其他政府采购项目中由中小企业中标或成交的金额")

    @property
    def total(self) -> Decimal:
        return self.goods + self.works + self.services


VEHICLE_CATEGORIES = {
    "ministerial": "副部（省）级及以上领导用车",
    "principal": "主要负责人用车",
    "confidential": "机要通信用车",
    "emergency": "应急保障用车",
    "law_enforcement": "执法执勤用车",
    "special": "特种专业技术用车",
    "retired": "离退休干部服务用车",
    "other": "其他用车",
}


class Vehicles(_Model):
    ministerial: Count = Field(0, description=VEHICLE_CATEGORIES["ministerial"])
    principal: Count = Field(0, description=VEHICLE_CATEGORIES["principal"])
    confidential: Count = Field(0, description=VEHICLE_CATEGORIES["confidential"])
    emergency: Count = Field(0, description=VEHICLE_CATEGORIES["emergency"])
    law_enforcement: Count = Field(0, description=VEHICLE_CATEGORIES["law_enforcement"])
    special: Count = Field(0, description=VEHICLE_CATEGORIES["special"])
    retired: Count = Field(0, description=VEHICLE_CATEGORIES["retired"])
    other: Count = Field(0, description=VEHICLE_CATEGORIES["other"])

    @property
    def total(self) -> int:
        return sum(getattr(self, k) for k in VEHICLE_CATEGORIES)


class Assets(_Model):
    vehicles_total: Count | None = Field(None, description="车辆总数 as stated; omitted = sum")
    vehicles: Vehicles = Field(default_factory=Vehicles)
    equipment_1m: Count = Field(0, description="单价100万元（含）以上设备（不含车辆）台（套）")
    as_of: str = Field("", description="截至日期 (default: 12月31日 of the year)")


class Nature(str, Enum):
    """指标性质."""

    POSITIVE = "正向"
    NEGATIVE = "反向"
    QUALITATIVE = "定性"


class Rating(str, Enum):
    """定性 indicator grade (财预〔2020〕10号 bands)."""

    ACHIEVED = "达成"  # 100–80 %
    PARTLY = "部分达成"  # 80–60 %
    NOT_ACHIEVED = "未达成"  # 60–0 %


class Indicator(_Model):
    """A performance indicator of a self-evaluation table."""

    level1: str = Field(description="一级指标 (产出指标/效益指标/满意度指标)")
    level2: str = Field(description="二级指标 (数量指标, 质量指标, …)")
    name: str = Field(description="三级指标")
    nature: Nature = Field(description="指标性质")
    direction: str = Field("", description="指标方向: 大于等于/小于等于/等于 (empty for 定性)")
    target: str = Field("", description="年度指标值")
    actual: str = Field("", description="实际完成值")
    unit: str = Field("", description="计量单位")
    weight: Amount = Field(description="分值")
    score: Amount | None = Field(None, description="得分 as filled in; omitted = computed")
    rating: Rating = Field(Rating.ACHIEVED, description="定性 grade")
    deviation: str = Field("", description="偏差原因分析及改进措施")


class FundRow(_Model):
    initial_budget: Amount = Field(ZERO, description="年初预算数")
    annual_budget: Amount = Field(ZERO, description="全年预算数")
    executed: Amount = Field(ZERO, description="全年执行数")


class SelfEvaluation(_Model):
    """项目支出绩效自评表 of one project, with its summary in explanation 十四."""

    name: str = Field(description="项目名称")
    department: str = Field("", description="主管部门")
    implementer: str = Field("", description="实施单位")
    funds: FundRow = Field(description="年度资金总额 (amounts in 万元 as the table prints)")
    appropriation: FundRow | None = Field(None, description="其中：财政拨款; omitted = funds")
    carryover: FundRow = Field(default_factory=FundRow, description="上年结转资金")
    other_funds: FundRow = Field(default_factory=FundRow, description="其他资金")
    goal: str = Field("", description="年度总体目标：预期目标")
    achieved: str = Field("", description="年度总体目标：实际完成情况")
    indicators: list[Indicator] = Field(default_factory=list)
    funds_rate: Amount | None = Field(None, description="执行率（%） as filled in")
    funds_score: Amount | None = Field(None, description="预算执行率得分 as filled in")
    total_score: Amount | None = Field(None, description="总分 as filled in")
    summary: str = Field("", description="项目绩效目标完成情况")
    problems: str = Field("", description="发现的主要问题及原因")
    improvements: str = Field("", description="下一步改进措施")


class Performance(_Model):
    """预算绩效 (explanation 十四)."""

    general_projects_l1: Count = Field(0, description="一般公共预算 一级项目个数")
    general_projects_l2: Count = Field(0, description="一般公共预算 二级项目个数")
    general_amount: Amount | None = Field(None, description="自评涉及一般公共预算资金")
    fund_projects_l1: Count = Field(0, description="政府性基金预算 一级项目个数")
    fund_projects_l2: Count = Field(0, description="政府性基金预算 二级项目个数")
    fund_amount: Amount = Field(ZERO, description="自评涉及政府性基金资金")
    dept_evaluations: list[str] = Field(default_factory=list, description="部门评价项目")
    dept_eval_general: Amount = Field(ZERO, description="部门评价涉及一般公共预算支出")
    dept_eval_fund: Amount = Field(ZERO, description="部门评价涉及政府性基金支出")
    key_evaluation: str = Field("", description="部门项目绩效评价结果 text")
    targets_projects: Count | None = Field(None, description="编制绩效目标的项目个数")
    targets_amount: Amount | None = Field(None, description="编制绩效目标涉及金额")
    tracking_projects: Count | None = Field(None, description="开展绩效运行监控（跟踪）的项目个数")
    tracking_amount: Amount | None = Field(None, description="绩效运行监控涉及金额")
    self_eval_projects: Count | None = Field(None, description="开展绩效自评的项目个数")
    self_eval_amount: Amount | None = Field(None, description="绩效自评涉及金额")
    average_score: Amount | None = Field(None, description="自评平均得分")
    grade_counts: dict[str, Count] = Field(default_factory=dict, description="自评等级个数 (优/良/合格/不合格…)")
    problems_found: Count | None = Field(None, description="发现问题个数")
    problems_fixed: Count | None = Field(None, description="已整改问题个数")
    problems_fixing: Count | None = Field(None, description="正在整改问题个数")
    systems: str = Field("", description="预算绩效管理制度 (names of the rules the department adopted)")
    mechanism: str = Field("", description="预算绩效管理工作机制")
    self_evaluations: list[SelfEvaluation] = Field(default_factory=list)


class LastYear(_Model):
    """上年决算 figures wherever a comparison is published."""

    dataset: str | None = Field(None, description="path of last year's dataset to take figures from")
    total: Amount | None = Field(None, description="上年收入总计（= 支出总计）")
    income: Income | None = Field(None, description="上年本年收入 by source")
    balances: Balances | None = None
    basic: Amount | None = Field(None, description="上年基本支出")
    project: Amount | None = Field(None, description="上年项目支出")
    expenditure: Amount | None = Field(None, description="上年本年支出合计")
    appropriation_total: Amount | None = Field(None, description="上年财政拨款收支总计")
    general_expenditure: Amount | None = Field(None, description="上年一般公共预算财政拨款支出")
    gov_fund_expenditure: Amount | None = Field(None, description="上年政府性基金预算财政拨款支出")
    state_capital_expenditure: Amount | None = Field(None, description="上年国有资本经营预算财政拨款支出")


class InitialBudget(_Model):
    """年初预算 totals compared in explanations 一 and 四."""

    total: Amount | None = Field(None, description="收支总计 年初预算")
    appropriation_total: Amount | None = Field(None, description="财政拨款收支总计 年初预算")
    general: Amount | None = Field(None, description="一般公共预算财政拨款支出 年初预算")


class StatedFigure(_Model):
    """A total as the source states it (a 合计 row, a table cell), kept so it can be checked."""

    table: str = Field(description="table id, e.g. t03")
    row: str = Field(description="row key: a code, or 'total'")
    column: str = Field(description="column key, e.g. basic")
    value: Amount


class Dataset(_Model):
    """A department's final accounts for one year."""

    schema_: str = Field("juesuan/1", alias="schema")
    kind: Literal["决算"] = Field("决算", description="文档类型：决算 (the budget is model.budget, kind 预算)")
    profile: str = Field("neimenggu-2023", description="disclosure profile (province style)")
    year: int = Field(ge=2000, le=2100, description="决算年度")
    unit: Unit = Field(Unit.WAN, description="unit of every amount in this dataset")
    department: Department
    contact: Contact = Field(default_factory=Contact)
    income: Income = Field(default_factory=Income)
    balances: Balances = Field(default_factory=Balances)
    appropriation_balances: dict[FundKind, AppropriationBalance] = Field(default_factory=dict)
    budget: InitialBudget = Field(default_factory=InitialBudget)
    expenditure: list[ExpenditureLine] = Field(default_factory=list)
    basic_econ: list[EconLine] = Field(
        default_factory=list, description="一般公共预算财政拨款基本支出 by economic 款 (06表)"
    )
    project_econ: list[EconLine] = Field(
        default_factory=list, description="一般公共预算财政拨款项目支出 by economic 款 (07表)"
    )
    three_public: ThreePublic = Field(default_factory=ThreePublic)
    operating_cost: OperatingCost = Field(default_factory=OperatingCost)
    procurement: Procurement = Field(default_factory=Procurement)
    assets: Assets = Field(default_factory=Assets)
    performance: Performance = Field(default_factory=Performance)
    last_year: LastYear = Field(default_factory=LastYear)
    reasons: dict[str, str] = Field(
        default_factory=dict, description="free-text reasons keyed by comparison (see REASON_KEYS)"
    )
    stated: list[StatedFigure] = Field(default_factory=list, description="totals as the source states them")
    texts: dict[str, str] = Field(default_factory=dict, description="other free texts by key")
    not_given: list[str] = Field(
        default_factory=list,
        description="parts of the accounts the source does not give (see NOT_GIVEN); the checks "
        "that need them are listed as not run instead of firing on placeholder figures",
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def items(self) -> list[ExpenditureLine]:
        """The 项 rows, in order."""
        return [e for e in self.expenditure if len(e.code) == 7]


NOT_GIVEN: dict[str, str] = {
    "spending_split": "各项支出的基本支出/项目支出划分（只在公开表中）",
    "fund_split": "各项支出的资金来源（只在公开表中）",
    "econ_detail": "基本支出、项目支出的经济分类明细",
    "three_public": "“三公”经费的预算数和决算数",
    "three_public_counts": "“三公”经费的数量（出国团组和人次、购置和保有车辆、接待批次和人次）",
    "texts": "文字部分（部门职能、决算单位构成、联系方式、变动原因等，只在模板的“基本信息”“文字说明”表或 YAML 数据集中）",
}
"""What a dataset may declare it does not know (e.g. recovered from a text without tables)."""


REASON_KEYS: dict[str, str] = {
    "total_vs_budget": "收支总计与年初预算相比的变动原因",
    "total_vs_last_year": "收支总计与上年决算相比的变动原因",
    "income_vs_last_year": "本年收入合计与上年相比的变动原因",
    "use_of_balance_vs_last_year": "使用非财政拨款结余与上年相比的变动原因",
    "opening_vs_last_year": "年初结转和结余与上年相比的变动原因",
    "expenditure_vs_last_year": "本年支出合计与上年相比的变动原因",
    "distribution": "结余分配事项",
    "distribution_vs_last_year": "结余分配与上年相比的变动原因",
    "closing": "结转和结余事项",
    "closing_vs_last_year": "年末结转和结余与上年相比的变动原因",
    "appropriation_vs_budget": "财政拨款收支总计与年初预算相比的变动原因",
    "appropriation_vs_last_year": "财政拨款收支总计与上年相比的变动原因",
    "general_vs_budget": "一般公共预算财政拨款支出与年初预算相比的变动原因",
    "general_expenditure_vs_last_year": "一般公共预算财政拨款支出与上年相比的变动原因",
    "three_public_vs_budget": "“三公”经费决算与预算差异原因",
    "abroad_content": "因公出国（境）开支内容",
    "vehicle_operation_content": "公务用车运行维护费开支内容",
    "abroad_vs_last_year": "因公出国（境）费与上年相比的变动原因",
    "vehicle_purchase_content": "公务用车购置开支内容",
    "vehicle_purchase_vs_last_year": "公务用车购置费与上年相比的变动原因",
    "vehicle_operation_vs_last_year": "公务用车运行维护费与上年相比的变动原因",
    "reception_content": "国内公务接待开支内容",
    "foreign_reception_content": "国（境）外公务接待开支内容",
    "reception_vs_last_year": "公务接待费与上年相比的变动原因",
    "gov_fund_vs_last_year": "政府性基金预算财政拨款支出与上年相比的变动原因",
    "state_capital_vs_last_year": "国有资本经营预算财政拨款支出与上年相比的变动原因",
    "operating_cost_vs_last_year": "机构运行经费与上年相比的变动原因",
}
