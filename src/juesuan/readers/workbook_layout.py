"""The workbook layout: one description of every sheet, used to write and to read.

Two shapes of sheet cover the whole dataset:

* a *grid* (``Grid``): fixed rows found by their labels, value columns found by
  their headers (label→value sheets such as 基本信息 are grids of one column);
* a *table* (``Table``): one row per record (an expenditure line, an economic
  line, a project …) under a header row found by its labels.

Each cell maps to a model path.  A *group* is an optional sub-model (e.g.
``three_public.last_year``): it exists when any of its cells is filled, and
then its blank cells mean 0; when all are blank it is left out (None).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from types import UnionType
from typing import Annotated, Union, get_args, get_origin

from pydantic import BaseModel

from juesuan.compute.stated import COLUMN_LABELS, ROW_LABELS, TABLE_NAMES
from juesuan.model.accounts import (
    FUND_LABELS,
    INCOME_LABELS,
    REASON_KEYS,
    SPENDING_LABELS,
    VEHICLE_CATEGORIES,
    FundKind,
    InitialBudget,
    LastYear,
    OperatingCost,
    Performance,
    Procurement,
    ThreePublicAmounts,
    ThreePublicCounts,
)


class Kind(str, Enum):
    TEXT = "text"  # text; blank = ""
    OPT_TEXT = "opt_text"  # text; blank = None
    INT = "int"  # whole number; blank = missing
    COUNT = "count"  # whole number; blank = 0
    OPT_COUNT = "opt_count"  # whole number; blank = None
    AMOUNT = "amount"  # money; blank = 0
    OPT_AMOUNT = "opt_amount"  # money; blank = None
    UNIT = "unit"  # 元 / 万元
    CODE = "code"  # classification code, text


@dataclass(frozen=True)
class Field:
    """One cell's meaning: a model path (relative to the record in tables)."""

    path: str
    kind: Kind = Kind.AMOUNT
    group: str | None = None  # path of the optional sub-model this cell belongs to
    names: tuple[tuple[str, str], ...] = ()  # (stored key, the Chinese written in its place)

    def label_of(self, value: str) -> str:
        return dict(self.names).get(value, value)

    def key_of(self, text: str) -> str:
        """The stored key a written label stands for (a key itself is read as it is)."""
        return next((k for k, label in self.names if label == text), text)


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    field: Field | None = None  # None: derived/informative column (written, not read)
    width: int = 14
    choices: tuple[str, ...] = ()  # data-validation list

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Row:
    label: str
    cells: dict[str, Field]  # column key -> field
    aliases: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class At:
    """One cell of an official export layout, found by its row label and its column header.

    The row is the one labelled with one of ``row`` (below the row labelled ``after``, when
    given), or, with no ``row``, the first data row under the header.  The column is the nearest
    one right of the label whose header path (the header texts above it, merged cells included,
    top to bottom) ends with ``col``: one tuple of alternative labels per header level.
    """

    path: str
    col: tuple[tuple[str, ...], ...]
    row: tuple[str, ...] = ()
    after: str = ""
    group: str | None = None


@dataclass(frozen=True)
class Export:
    """The official export layout of a grid's table (as the national 决算 software writes it and
    the published documents print it), recognised by ``signature``: labels that all appear in it
    and not in the template's own layout."""

    signature: tuple[str, ...]
    cells: tuple[At, ...]
    lacks: tuple[str, ...] = ()  # NOT_GIVEN keys of what the layout does not carry


@dataclass(frozen=True)
class Grid:
    name: str
    title: str
    columns: tuple[Col, ...]
    rows: tuple[Row, ...]
    label_header: str = "项目"
    amounts: bool = True  # prints "单位：…" and converts declared units
    required: bool = False
    aliases: tuple[str, ...] = ()
    exports: tuple[Export, ...] = ()
    note: str = ""  # the instruction written under the title


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Col, ...]
    records: str  # "expenditure", "basic_econ", … or "@expenditure" (joined to lines by code)
    key: str = "code"  # column key identifying a record
    table_id: str | None = None  # stated-figure table id of 合计 rows
    amounts: bool = True
    required: bool = False
    aliases: tuple[str, ...] = ()
    note: str = ""


Sheet = Grid | Table

CODE_LABELS = ("科目编码", "功能分类科目编码", "支出功能分类科目编码", "编码", "科目代码")
ECON_CODE_LABELS = ("经济分类科目编码", "科目编码", "编码", "经济分类编码")
NAME_LABELS = ("科目名称", "名称")
SPLIT_CODE = ("类", "款", "项")
TOTAL_ROWS = {"合计": "total", "总计": "total", "本年支出合计": "total", "本年收入合计": "total",
              "人员经费合计": "personnel", "公用经费合计": "public"}


def kind_of(model: type[BaseModel], name: str) -> Kind | None:
    """The cell kind of a scalar model field (None for nested models, lists, dicts)."""
    info = model.model_fields[name]
    ann = info.annotation
    if get_origin(ann) in (Union, UnionType):
        args = [a for a in get_args(ann) if a is not type(None)]
        ann = args[0] if len(args) == 1 else None
    base = get_args(ann)[0] if get_origin(ann) is Annotated else ann
    optional = not info.is_required() and info.default is None
    if base is Decimal:
        return Kind.OPT_AMOUNT if optional else Kind.AMOUNT
    if base is int:
        return Kind.OPT_COUNT if optional else Kind.COUNT
    if base is str:
        return Kind.OPT_TEXT if optional else Kind.TEXT
    return None


def auto_rows(model: type[BaseModel], prefix: str, labels: dict[str, str] | None = None,
              skip: tuple[str, ...] = (), group: str | None = None) -> tuple[Row, ...]:
    """Label→value rows for the scalar fields of a sub-model, labelled by their descriptions."""
    out = []
    for name, info in model.model_fields.items():
        kind = kind_of(model, name)
        if kind is None or name in skip:
            continue
        label = (labels or {}).get(name) or str(info.description or name).split(" (")[0].split("; ")[0]
        out.append(Row(label, {"value": Field(f"{prefix}.{name}", kind, group)}))
    return tuple(out)


def _v(path: str, kind: Kind = Kind.AMOUNT, group: str | None = None) -> dict[str, Field]:
    return {"value": Field(path, kind, group)}


_VALUE = (Col("value", "数值", ("决算数", "内容", "金额", "数量"), width=40),)

# --- 基本信息 ---------------------------------------------------------------
INFO = Grid(
    "基本信息", "基本信息", _VALUE, label_header="项目", amounts=False, required=True,
    note="每行一项，填在“数值”列；金额单位从下拉列表选“元”或“万元”，全工作簿的金额都按此单位。",
    rows=(
        Row("决算年度", _v("year", Kind.INT), ("年度",)),
        Row("金额单位", _v("unit", Kind.UNIT), ("单位",)),
        Row("公开模板", _v("profile", Kind.TEXT)),
        Row("数据格式版本", _v("schema", Kind.TEXT)),
        Row("部门名称", _v("department.name", Kind.TEXT)),
        Row("正文中的部门称谓", _v("department.display_name", Kind.OPT_TEXT)),
        Row("单位负责人", _v("department.head", Kind.TEXT)),
        Row("财务负责人", _v("department.finance_head", Kind.TEXT)),
        Row("编制人", _v("department.preparer", Kind.TEXT)),
        Row("报送日期", _v("department.report_date", Kind.TEXT)),
        Row("联系人", _v("contact.person", Kind.TEXT)),
        Row("联系电话", _v("contact.phone", Kind.TEXT)),
        Row("联系地址", _v("contact.address", Kind.TEXT), ("地址",)),
        Row("电子邮箱", _v("contact.email", Kind.TEXT), ("邮箱",)),
    ),
)

# the natures the disclosures print (a list, not a rule: another text may be typed)
UNIT_NATURES = ("行政单位", "参照公务员法管理事业单位", "公益一类事业单位", "公益二类事业单位", "其他事业单位")
UNITS = Table(
    "决算单位构成", "决算单位构成", records="department.units", key="name", amounts=False,
    note="每个纳入部门决算的单位一行；单位性质可从下拉列表选，也可照原文填写。",
    columns=(
        Col("name", "单位名称", field=Field("name", Kind.TEXT), width=30),
        Col("nature", "单位性质", field=Field("nature", Kind.TEXT), width=24, choices=UNIT_NATURES),
        Col("note", "备注", field=Field("note", Kind.TEXT), width=24),
        Col("accounts", "单位数据文件", field=Field("accounts", Kind.OPT_TEXT), width=24),
    ),
)

# --- 收入支出决算总表 (01) ----------------------------------------------------
_INCOME_ORDINALS = "一二三四五六七八"
TOTALS = Grid(
    "收入支出决算总表", "收入支出决算总表", (Col("value", "决算数", ("金额", "数值"), width=18),),
    required=True, note="可直接粘贴决算软件导出的收入支出决算总表（左右两栏）；按项目名称识别，支出各类由“支出决算表”汇总。",
    rows=(
        *(Row(f"{_INCOME_ORDINALS[i]}、{label}", _v(f"income.{f}"), (label,))
          for i, (f, label) in enumerate(INCOME_LABELS.items())),
        Row("使用非财政拨款结余和专用结余", _v("balances.use_of_balance"),
            ("使用非财政拨款结余", "使用非财政拨款结余(含专用结余)")),
        Row("年初结转和结余", _v("balances.opening")),
        Row("结余分配", _v("balances.distribution")),
        Row("年末结转和结余", _v("balances.closing")),
        *auto_rows(InitialBudget, "budget", {"total": "年初预算收支总计",
                                             "appropriation_total": "年初预算财政拨款收支总计",
                                             "general": "一般公共预算财政拨款支出年初预算"}),
    ),
)

# --- 财政拨款收入支出决算总表 (04) ---------------------------------------------
_OPENING, _CLOSING = "年初财政拨款结转和结余", "年末财政拨款结转和结余"


def _fund_balance(k: FundKind, side: str) -> Field:
    return Field(f"appropriation_balances.{k.value}.{side}", group=f"appropriation_balances.{k.value}")


APPROPRIATION = Grid(
    "财政拨款收入支出决算总表", "财政拨款收入支出决算总表",
    note="各类财政拨款的年初、年末结转和结余；也可粘贴决算软件导出的财政拨款收入支出决算总表。",
    columns=(Col("opening", _OPENING, ("年初结转和结余",), width=22),
     Col("closing", _CLOSING, ("年末结转和结余",), width=22)),
    rows=tuple(Row(label, {c: _fund_balance(k, c) for c in ("opening", "closing")})
               for k, label in FUND_LABELS.items()),
    # the official table: 年初 balances by kind as rows under the income side's 年初 row; 年末
    # balances on the 年末 row under the kind columns (juesuan's own output), or as rows too
    exports=(Export(("本年收入合计", _OPENING), tuple(
        at for k, label in FUND_LABELS.items() for at in (
            At(_fund_balance(k, "opening").path, (("决算数", "金额"),), (label,), _OPENING,
               _fund_balance(k, "opening").group),
            At(_fund_balance(k, "closing").path, ((label,),), (_CLOSING,), "", _fund_balance(k, "closing").group),
            At(_fund_balance(k, "closing").path, (("决算数", "金额"),), (label,), _CLOSING,
               _fund_balance(k, "closing").group),
        ))),),
)

# --- 三公经费 -------------------------------------------------------------------
_TP_ALIASES = {"vehicle_operation": ("公务用车运行费",), "abroad": ("因公出国(境)费用",)}
_COUNT_UNITS = {"abroad_groups": "个", "abroad_people": "人次", "receptions": "批次",
                "reception_people": "人次", "foreign_receptions": "批次", "foreign_reception_people": "人次"}
_TP_ITEMS = tuple(Row(str(ThreePublicAmounts.model_fields[f].description), {
    "budget": Field(f"three_public.budget.{f}"),
    "actual": Field(f"three_public.actual.{f}"),
    "last_year": Field(f"three_public.last_year.{f}", group="three_public.last_year"),
}, _TP_ALIASES.get(f, ())) for f in ThreePublicAmounts.model_fields)
_TP_COLUMNS = (Col("budget", "预算数", ("全年预算数", "年初预算数")), Col("actual", "决算数"),
               Col("last_year", "上年决算数", ("上年数",)))
THREE_PUBLIC = Grid(
    "三公经费", "财政拨款“三公”经费支出决算表", _TP_COLUMNS,
    aliases=("财政拨款“三公”经费支出决算表", "三公经费支出决算表"),
    note="可按本表填写，也可粘贴决算软件导出的“三公”经费表（预算数、决算数各一栏）；数量（团组、车辆、批次等）只在本表填写。",
    # the official table: one data row, a 预算数/决算数 pair of columns under each item
    exports=(Export(("小计",), tuple(
        At(row.cells[c.key].path, (row.labels, c.labels)) for row in _TP_ITEMS for c in _TP_COLUMNS[:2]),
        lacks=("three_public_counts",)),),
    rows=(
        *_TP_ITEMS,
        Row("其中：国（境）外公务接待费", {"actual": Field("three_public.foreign_reception")},
            ("国(境)外公务接待费",)),
        *(Row(str(ThreePublicCounts.model_fields[f].description)
              + (f"（{_COUNT_UNITS[f]}）" if f in _COUNT_UNITS else ""),
              {"actual": Field(f"three_public.counts.{f}", Kind.COUNT)},
              (str(ThreePublicCounts.model_fields[f].description),))
          for f in ThreePublicCounts.model_fields),
    ),
)

# --- 其他数据: 机构运行经费, 政府采购, 资产, 绩效 -----------------------------------
OTHER = Grid(
    "其他数据", "机构运行经费、政府采购、国有资产占用和预算绩效", _VALUE,
    aliases=("机构运行经费", "机构运行经费政府采购资产", "机构运行经费支出、国有资产占用情况及政府采购支出信息表"),
    note="每行一项，填在“数值”列；车辆和设备填整数，金额按“基本信息”中的单位。",
    rows=(
        *auto_rows(OperatingCost, "operating_cost", {"amount": "机构运行经费", "last_year": "上年机构运行经费"}),
        *auto_rows(Procurement, "procurement"),
        Row("车辆总数（辆）", _v("assets.vehicles_total", Kind.OPT_COUNT), ("车辆总数",)),
        *(Row(f"{label}（辆）", _v(f"assets.vehicles.{k}", Kind.COUNT), (label,))
          for k, label in VEHICLE_CATEGORIES.items()),
        Row("单价100万元（含）以上设备（台、套）", _v("assets.equipment_1m", Kind.COUNT),
            ("单价100万元以上设备",)),
        Row("资产数据截至日期", _v("assets.as_of", Kind.TEXT)),
        *auto_rows(Performance, "performance", {
            "general_projects_l1": "自评一般公共预算一级项目个数",
            "general_projects_l2": "自评一般公共预算二级项目个数",
            "general_amount": "自评涉及一般公共预算资金",
            "fund_projects_l1": "自评政府性基金预算一级项目个数",
            "fund_projects_l2": "自评政府性基金预算二级项目个数",
        }, skip=("key_evaluation",)),
    ),
)

# --- 上年数 -----------------------------------------------------------------------
_BAL_NAMES = {"use_of_balance": "使用非财政拨款结余和专用结余", "opening": "年初结转和结余",
              "distribution": "结余分配", "closing": "年末结转和结余"}
LAST_YEAR = Grid(
    "上年数", "上年决算数", (Col("value", "上年决算数", ("决算数", "数值", "金额"), width=18),),
    note="上年决算数，用于与上年比较的说明；也可在“上年数据集文件”中写上年数据集的文件名。",
    rows=(
        *(Row(f"上年{label}", _v(f"last_year.income.{f}", group="last_year.income"))
          for f, label in INCOME_LABELS.items()),
        *(Row(f"上年{label}", _v(f"last_year.balances.{f}", group="last_year.balances"))
          for f, label in _BAL_NAMES.items()),
        *auto_rows(LastYear, "last_year", {"dataset": "上年数据集文件", "total": "上年收入总计",
                                           "expenditure": "上年本年支出合计"}),
    ),
)

# --- function-classification tables --------------------------------------------
_CODE = Col("code", "科目编码", CODE_LABELS, Field("code", Kind.CODE), width=12)
_NAME = Col("name", "科目名称", NAME_LABELS, Field("name", Kind.TEXT), width=30)
_NAME_INFO = Col("name", "科目名称", NAME_LABELS, None, width=30)

EXPENDITURE = Table(
    "支出决算表", "支出决算表", records="expenditure", table_id="t03", required=True,
    columns=(_CODE, _NAME, Col("total", "本年支出合计", ("合计", "支出合计")),
             *(Col(f, label, field=Field(f)) for f, label in SPENDING_LABELS.items())),
    note="每行一个功能分类科目（类 3 位、款 5 位、项 7 位）；数据以“项”为准，类、款行可不填。",
)

INCOME_BY_LINE = Table(
    "收入决算表", "收入决算表", records="@expenditure", table_id="t02",
    columns=(_CODE, _NAME_INFO, Col("total", "本年收入合计", ("合计", "收入合计")),
             *(Col(f, label, (label.removesuffix("收入"),) + (("财政拨款收入",) if f == "general_budget" else ()),
                   Field(f"income.{f}", group="income"))
               for f, label in INCOME_LABELS.items())),
    note="可选：各科目的收入来源；不填则视为与支出相同。",
)

GENERAL = Table(
    "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算表", records="@expenditure", table_id="t05",
    aliases=("一般公共预算财政拨款支出",),
    columns=(_CODE, _NAME_INFO,
             Col("budget", "年初预算数", ("年初预算",), Field("budget", Kind.OPT_AMOUNT)),
             Col("adjusted_budget", "全年预算数", ("调整预算数", "全年预算"), Field("adjusted_budget", Kind.OPT_AMOUNT)),
             Col("total", "合计", ("支出决算合计", "决算数合计")),
             Col("basic", "基本支出", field=Field("appropriation.general.basic", group="appropriation.general")),
             Col("project", "项目支出", field=Field("appropriation.general.project", group="appropriation.general")),
             Col("reason", "差异原因", ("决算数与年初预算数的差异原因", "变动原因"), Field("reason", Kind.TEXT), width=40)),
    note="基本支出、项目支出不填时，视为该科目的基本支出、项目支出全部来自一般公共预算财政拨款。",
)

GOV_FUND = Table(
    "政府性基金预算财政拨款支出决算表", "政府性基金预算财政拨款收入支出决算表", records="@expenditure", table_id="t08",
    aliases=("政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款"),
    note="可选：有政府性基金预算财政拨款的科目填写；科目编码须在“支出决算表”中。",
    columns=(_CODE, _NAME_INFO,
             Col("fund_opening", "年初结转和结余", field=Field("fund_opening", Kind.OPT_AMOUNT)),
             Col("basic", "基本支出", field=Field("appropriation.gov_fund.basic", group="appropriation.gov_fund")),
             Col("project", "项目支出", field=Field("appropriation.gov_fund.project", group="appropriation.gov_fund")),
             Col("fund_closing", "年末结转和结余", field=Field("fund_closing", Kind.OPT_AMOUNT))),
)

STATE_CAPITAL = Table(
    "国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款支出决算表", records="@expenditure", table_id="t09",
    aliases=("国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款"),
    note="可选：有国有资本经营预算财政拨款的科目填写；科目编码须在“支出决算表”中。",
    columns=(_CODE, _NAME_INFO,
             Col("basic", "基本支出", field=Field("appropriation.state_capital.basic",
                                               group="appropriation.state_capital")),
             Col("project", "项目支出", field=Field("appropriation.state_capital.project",
                                                 group="appropriation.state_capital"))),
)


def _econ(name: str, title: str, records: str, table_id: str, aliases: tuple[str, ...]) -> Table:
    return Table(
        name, title, records=records, table_id=table_id, aliases=aliases,
        columns=(Col("code", "经济分类科目编码", ECON_CODE_LABELS, Field("code", Kind.CODE), width=14),
                 _NAME, Col("amount", "决算数", ("金额", "合计"), Field("amount")),
                 Col("kind", "经费类型", ("人员经费/公用经费",), Field("kind", Kind.OPT_TEXT),
                     choices=("人员经费", "公用经费"))),
        note="一般公共预算财政拨款，按部门预算支出经济分类（类 3 位、款 5 位）；经费类型不填则按编码判断。",
    )


BASIC_ECON = _econ("基本支出明细", "一般公共预算财政拨款基本支出决算明细表", "basic_econ", "t06",
                   ("一般公共预算财政拨款基本支出决算明细表", "一般公共预算财政拨款基本支出决算表"))
PROJECT_ECON = _econ("项目支出明细", "一般公共预算财政拨款项目支出决算明细表", "project_econ", "t07",
                     ("一般公共预算财政拨款项目支出决算明细表", "一般公共预算财政拨款项目支出决算表"))

# --- performance ---------------------------------------------------------------------
_FUND_COLS = (("initial_budget", "年初预算数"), ("annual_budget", "全年预算数"), ("executed", "全年执行数"))


def _fund_cols(prefix: str, label: str, group: str | None = None) -> tuple[Col, ...]:
    return tuple(Col(f"{prefix}.{f}", f"{label}{text}", field=Field(f"{prefix}.{f}", group=group))
                 for f, text in _FUND_COLS)


SELF_EVAL = Table(
    "绩效自评", "项目支出绩效自评", records="performance.self_evaluations", key="name", amounts=False,
    columns=(
        Col("name", "项目名称", field=Field("name", Kind.TEXT), width=28),
        Col("department", "主管部门", field=Field("department", Kind.TEXT)),
        Col("implementer", "实施单位", field=Field("implementer", Kind.TEXT)),
        *_fund_cols("funds", "资金总额：", None),
        *_fund_cols("appropriation", "财政拨款：", "appropriation"),
        *_fund_cols("carryover", "上年结转资金：", None),
        *_fund_cols("other_funds", "其他资金：", None),
        Col("goal", "预期目标", ("年度总体目标",), Field("goal", Kind.TEXT), width=40),
        Col("achieved", "实际完成情况", field=Field("achieved", Kind.TEXT), width=40),
        Col("funds_rate", "执行率（%）", ("执行率",), Field("funds_rate", Kind.OPT_AMOUNT)),
        Col("funds_score", "预算执行率得分", ("执行率得分",), Field("funds_score", Kind.OPT_AMOUNT)),
        Col("total_score", "总分", ("自评总分",), Field("total_score", Kind.OPT_AMOUNT)),
        Col("summary", "绩效目标完成情况", field=Field("summary", Kind.TEXT), width=40),
        Col("problems", "发现的主要问题及原因", field=Field("problems", Kind.TEXT), width=40),
        Col("improvements", "下一步改进措施", field=Field("improvements", Kind.TEXT), width=40),
    ),
    note="每个项目一行，金额以万元计（与自评表一致）；“财政拨款”三栏不填则视为与资金总额相同。",
)

INDICATORS = Table(
    "绩效指标", "绩效自评指标", records="@self_evaluations", key="project", amounts=False,
    columns=(
        Col("project", "项目名称", width=28),
        Col("level1", "一级指标", field=Field("level1", Kind.TEXT), choices=("产出指标", "效益指标", "满意度指标")),
        Col("level2", "二级指标", field=Field("level2", Kind.TEXT)),
        Col("name", "三级指标", field=Field("name", Kind.TEXT), width=28),
        Col("nature", "指标性质", field=Field("nature", Kind.TEXT), choices=("正向", "反向", "定性")),
        Col("direction", "指标方向", field=Field("direction", Kind.TEXT), choices=("大于等于", "小于等于", "等于")),
        Col("target", "年度指标值", field=Field("target", Kind.TEXT)),
        Col("actual", "实际完成值", field=Field("actual", Kind.TEXT)),
        Col("unit", "计量单位", field=Field("unit", Kind.TEXT)),
        Col("weight", "分值", field=Field("weight")),
        Col("score", "得分", field=Field("score", Kind.OPT_AMOUNT)),
        Col("rating", "定性评级", field=Field("rating", Kind.TEXT), choices=("达成", "部分达成", "未达成")),
        Col("deviation", "偏差原因分析及改进措施", ("偏差原因",), Field("deviation", Kind.TEXT), width=40),
    ),
    note="每个指标一行，“项目名称”须与“绩效自评”表中的项目名称一致。",
)

def _unique(labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """(key, label) pairs whose label names one key only (so that it reads back)."""
    counts = Counter(labels.values())
    return tuple((k, v) for k, v in labels.items() if counts[v] == 1)


STATED = Table(
    "合计数", "各表合计数（按原表填写的合计，用于核对）", records="stated", key="table", amounts=False,
    columns=(Col("table", "表", ("表号",), field=Field("table", Kind.TEXT, names=_unique(TABLE_NAMES)), width=36),
             Col("row", "行", field=Field("row", Kind.TEXT, names=_unique(ROW_LABELS)), width=24),
             Col("column", "列", field=Field("column", Kind.TEXT, names=_unique(COLUMN_LABELS)), width=24),
             Col("value", "数值", field=Field("value"))),
    note="表写表名（如“支出决算表”）；行写科目编码或“合计/总计”“本年收入合计”等；列写“基本支出”“合计”等。",
)

# --- 文字说明 --------------------------------------------------------------------------
TEXTS_SHEET = "文字说明"
# “键” (a model path) was a column of older workbooks: still read, no longer written (the label says it)
TEXT_COLUMNS = (Col("label", "项目", width=36), Col("key", "键", width=30), Col("text", "内容", ("说明",), width=80))
TEXT_WRITTEN = (TEXT_COLUMNS[0], TEXT_COLUMNS[2])
TEXT_FIELDS: dict[str, tuple[str, bool]] = {  # path -> (label, is list)
    "department.functions": ("部门职能", False),
    "department.duties": ("部门主要职责", True),
    "department.structure": ("内设机构和下属单位", False),
    "department.scope": ("决算单位构成说明", False),
    "department.main_work": ("年度主要工作完成情况", True),
    "contact.feedback": ("信息反馈渠道", False),
    "performance.key_evaluation": ("部门项目绩效评价结果", False),
    "performance.dept_evaluations": ("部门评价项目", True),
    "not_given": ("数据来源未给出的部分（spending_split 等）", True),
}
REASON_LABELS = {k: f"变动原因：{v}" for k, v in REASON_KEYS.items()}
DICT_FIELDS: dict[str, tuple[str, Kind]] = {  # path -> (label prefix, value kind); one row per key
    "reasons": ("变动原因", Kind.TEXT),
    "texts": ("其他文字", Kind.TEXT),
    "performance.grade_counts": ("自评等级个数", Kind.COUNT),
}

TABLES: tuple[Table, ...] = (UNITS, EXPENDITURE, INCOME_BY_LINE, GENERAL, GOV_FUND, STATE_CAPITAL,
                             BASIC_ECON, PROJECT_ECON, SELF_EVAL, INDICATORS, STATED)
GRIDS: tuple[Grid, ...] = (INFO, TOTALS, APPROPRIATION, THREE_PUBLIC, OTHER, LAST_YEAR)

# Sheets of an export, or of juesuan's own 部门决算表.xlsx, that hold nothing the dataset reads:
# (marker in the sheet's name or title line, the note the check prints; "" for none).
SKIPPED_SHEETS: tuple[tuple[str, str], ...] = (
    ("草稿", ""),
    ("项目支出绩效自评表", "表格样式的项目支出绩效自评表未读取：绩效自评数据请填在“绩效自评”“绩效指标”工作表，"
                    "或写在 YAML 数据集中"),
)

INSTRUCTIONS_SHEET = "说明"
SHEET_ORDER: tuple[Sheet | str, ...] = (
    INSTRUCTIONS_SHEET, INFO, UNITS, TOTALS, INCOME_BY_LINE, EXPENDITURE, APPROPRIATION, GENERAL, GOV_FUND,
    STATE_CAPITAL, BASIC_ECON, PROJECT_ECON, THREE_PUBLIC, OTHER, LAST_YEAR, SELF_EVAL, INDICATORS,
    TEXTS_SHEET, STATED,
)

INSTRUCTIONS = (
    "部门决算数据工作簿（juesuan）",
    "",
    "1. 每个工作表对应一张决算公开表或一类数据；可将决算软件导出的表格直接粘贴到对应工作表。",
    "2. 表头按文字识别（在前 15 行中查找），列的顺序可以不同；科目编码可写 7 位编码，也可分“类/款/项”三列。",
    "3. 金额单位在“基本信息”中填写（元或万元）；某表上方写有“单位：万元”时按该表的单位换算。",
    "4. 金额可填数字或带千分位的文字（如 1,234.56），空白视为 0；金额不能为负数。",
    "5. 必需的工作表：基本信息、收入支出决算总表、支出决算表；其余工作表可留空。",
    "6. “文字说明”表每行一项：部门职能、主要职责（每条一行）、各项变动原因等，按“项目”列的文字识别，请勿改动该列；"
    "其他变动原因可写“变动原因：名称”。",
    "7. 填好后运行：juesuan check 本文件.xlsx",
)

