"""The two summary tables with income on the left and spending on the right: 01 and 04.

The right side lists every function 类 of the year's 01表 (Putuo 2024 prints
26, the Shanghai template 24), blank where the department spent nothing; a
类 the data has and the list lacks is added in code order.
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.compute import derive as d
from juesuan.model.accounts import AppropriationBalance, Dataset, FundKind
from juesuan.model.money import ZERO
from juesuan.render.blocks import Cell, Row, TableView
from juesuan.render.tables_common import (
    UNIT_LABEL,
    TableSpec,
    acell,
    empty_statement,
    hcell,
    pick,
    tcell,
    wan,
)

CN_NUM = ("一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十 "
          "二十一 二十二 二十三 二十四 二十五 二十六 二十七 二十八 二十九 三十").split()

FUNC_CLASSES_01: tuple[tuple[str, str], ...] = (
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"),
    ("204", "公共安全支出"), ("205", "教育支出"), ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"), ("210", "卫生健康支出"),
    ("211", "节能环保支出"), ("212", "城乡社区支出"), ("213", "农林水支出"),
    ("214", "交通运输支出"), ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"),
    ("217", "金融支出"), ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"),
    ("221", "住房保障支出"), ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"), ("229", "其他支出"), ("231", "债务还本支出"),
    ("232", "债务付息支出"), ("234", "抗疫特别国债安排的支出"),
)
"""类 rows of 收入支出决算总表 as Putuo 2024 prints them (the template omits 231, 232)."""

INCOME_ROWS_01 = (
    ("general_budget", "一般公共预算财政拨款收入"),
    ("gov_fund", "政府性基金预算财政拨款收入"),
    ("state_capital", "国有资本经营预算财政拨款收入"),
    ("superior_subsidy", "上级补助收入"),
    ("business", "事业收入"),
    ("operating", "经营收入"),
    ("affiliated", "附属单位上缴收入"),
    ("other", "其他收入"),
)

FUND_ROWS = ((FundKind.GENERAL, "一般公共预算财政拨款"), (FundKind.GOV_FUND, "政府性基金预算财政拨款"),
             (FundKind.STATE_CAPITAL, "国有资本经营预算财政拨款"))


def class_list(ds: Dataset, spec: TableSpec) -> list[tuple[str, str]]:
    """The 类 rows of the right-hand side, numbered 一、二、…"""
    skip = set(spec.options.get("skip_classes", ()))
    base = [(c, n) for c, n in FUNC_CLASSES_01 if c not in skip]
    known = {c for c, _ in base}
    names = d.stated_names(ds)
    for item in ds.items():
        c = item.code[:3]
        if c not in known:
            base.append((c, names.get(c, c)))
            known.add(c)
    base.sort(key=lambda cn: cn[0])
    return [(c, f"{CN_NUM[i]}、{n}") for i, (c, n) in enumerate(base)]


def _class_amount(ds: Dataset, table: str, code: str, fn) -> Decimal:  # noqa: ANN001
    lines = [i for i in ds.items() if i.code.startswith(code)]
    computed = sum((wan(ds, fn(i)) for i in lines), ZERO)
    return pick(ds, table, code, "*", computed, len(lines)) if lines else ZERO


def _view(ds: Dataset, spec: TableSpec, org: str, header: tuple[Row, ...], body: list[Row],
          empty: bool, widths: tuple[float, ...]) -> TableView:
    return TableView(
        id=spec.id, number=spec.number, title=spec.title, org=org, unit_label=UNIT_LABEL,
        header=header, body=tuple(body), note=spec.note,
        empty_statement=empty_statement(ds, spec, org) if empty else "",
        widths=widths, landscape=len(widths) > 4,
    )


def build_t01(ds: Dataset, spec: TableSpec, org: str) -> TableView:
    """收入支出决算总表: income by source | spending by function 类, then the balances."""
    header = (
        Row((hcell("收入", 2), hcell("支出", 2)), "header"),
        Row((hcell("项目"), hcell("决算数"), hcell("项目"), hcell("决算数")), "header"),
    )
    left = [(f"{CN_NUM[i]}、{label}", wan(ds, getattr(ds.income, f)))
            for i, (f, label) in enumerate(INCOME_ROWS_01)]
    right = [(label, _class_amount(ds, "t01", c, lambda i: i.total))
             for c, label in class_list(ds, spec)]
    body = [Row((tcell(a), acell(av), tcell(b), acell(bv)), "data") for (a, av), (b, bv)
            in _zip_pad(left, right)]
    b = ds.balances
    inc_total = pick(ds, "t01", "income_total", "*", wan(ds, ds.income.total), 8)
    exp_total = pick(ds, "t01", "expenditure_total", "*", wan(ds, d.spending_total(ds)),
                     len(ds.items()))
    use_label = spec.options.get("use_of_balance_label", "使用非财政拨款结余（含专用结余）")
    in_all = pick(ds, "t01", "total", "income", inc_total + wan(ds, b.use_of_balance) + wan(ds, b.opening), 3)
    out_all = pick(ds, "t01", "total", "expenditure",
                   exp_total + wan(ds, b.distribution) + wan(ds, b.closing), 3)
    body += [
        _pair("本年收入合计", inc_total, "本年支出合计", exp_total, "total", center=True),
        _pair(use_label, wan(ds, b.use_of_balance), "结余分配", wan(ds, b.distribution)),
        _pair("年初结转和结余", wan(ds, b.opening), "年末结转和结余", wan(ds, b.closing)),
        _pair("总计", in_all, "总计", out_all, "total", center=True),
    ]
    empty = in_all == 0 and out_all == 0
    return _view(ds, spec, org, header, body, empty, (3.2, 1.2, 3.2, 1.2))


def _zip_pad(left: list, right: list) -> list:
    n = max(len(left), len(right))
    pad = ("", None)
    return list(zip(left + [pad] * (n - len(left)), right + [pad] * (n - len(right)), strict=True))


def _pair(a: str, av: Decimal | None, b: str, bv: Decimal | None, kind: str = "data",
          center: bool = False) -> Row:
    align = "center" if center else None
    bold = kind == "total"
    return Row((tcell(a, align=align, bold=bold), acell(av, bold=bold),
                tcell(b, align=align, bold=bold), acell(bv, bold=bold)), kind)  # type: ignore[arg-type]


def build_t04(ds: Dataset, spec: TableSpec, org: str) -> TableView:
    """财政拨款收入支出决算总表: appropriation income | spending by 类 and budget kind."""
    fund_labels = [label for _, label in FUND_ROWS]
    header = (
        Row((hcell("收入", 2), hcell("支出", 5)), "header"),
        Row((hcell("项目"), hcell("决算数"), hcell("项目"), hcell("合计"),
             *[hcell(x) for x in fund_labels]), "header"),
    )
    kinds = [k for k, _ in FUND_ROWS]
    left = [(f"{CN_NUM[i]}、{label}", wan(ds, d.appropriation_income(ds, k)))
            for i, (k, label) in enumerate(FUND_ROWS)]
    right = []
    for code, label in class_list(ds, spec):
        per = [_class_amount(ds, "t04", code, lambda i, k=k: i.funds().get(k).total
                             if k in i.funds() else ZERO) for k in kinds]
        right.append((label, per))
    body: list[Row] = []
    for (a, av), (b, per) in _zip_pad(left, right):
        body.append(_row04(a, av, b, per))
    bal = [ds.appropriation_balances.get(k, AppropriationBalance()) for k in kinds]
    n = len(ds.items())
    inc = pick(ds, "t04", "income_total", "total", wan(ds, ds.income.appropriation), 3)
    spent = [pick(ds, "t04", "expenditure_total", k.value, wan(ds, d.fund_spending(ds, k).total), n)
             for k in kinds]
    opening = [wan(ds, x.opening) for x in bal]
    closing = [wan(ds, x.closing) for x in bal]
    body.append(_row04("本年收入合计", inc, "本年支出合计", spent, "total"))
    body.append(_row04("年初财政拨款结转和结余", sum(opening, ZERO), "年末财政拨款结转和结余", closing))
    for i, (_, label) in enumerate(FUND_ROWS):
        body.append(_row04(f"{CN_NUM[i]}、{label}", opening[i], "", None))
    total_in = pick(ds, "t04", "income_grand_total", "total", inc + sum(opening, ZERO), 4)
    total_out = [pick(ds, "t04", "total", k.value, s + c, n + 1)
                 for k, s, c in zip(kinds, spent, closing, strict=True)]
    body.append(_row04("总计", total_in, "总计", total_out, "total"))
    empty = total_in == 0 and sum(total_out, ZERO) == 0
    return _view(ds, spec, org, header, body, empty, (3.0, 1.1, 3.0, 1.1, 1.1, 1.1, 1.1))


def _row04(a: str, av: Decimal | None, b: str, per: list[Decimal] | None, kind: str = "data") -> Row:
    bold = kind == "total"
    align = "center" if bold else None
    cells: list[Cell] = [tcell(a, align=align, bold=bold), acell(av, bold=bold),
                         tcell(b, align=align, bold=bold)]
    if per is None:
        cells += [acell(None)] * 4
    else:
        cells += [acell(sum(per, ZERO), bold=bold), *[acell(v, bold=bold) for v in per]]
    return Row(tuple(cells), kind)  # type: ignore[arg-type]
