"""The “三公” table (10) and the Inner Mongolia information table (11).

10: six column pairs 预算数 | 决算数 under 财政拨款“三公”经费; with
``options.counts`` the 相关统计数 rows of older and other provinces' tables
follow (trips, people, vehicles bought and held, receptions, visitors).
``options.labels = "shanghai"`` prints Putuo's wording (公务用车购置及运行费,
公务用车运行费) instead of the template's.

11: no published layout was found; this one lists, under 项目 | 计量单位 |
数值, the 机构运行经费, the 政府采购 split (goods, works, services, SME and
small/micro awards) and the 国有资产占用 (vehicles by category, equipment of
1,000,000 yuan and above).
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.compute import derive as d
from juesuan.model.accounts import VEHICLE_CATEGORIES, Dataset
from juesuan.render.blocks import Cell, Row, TableView
from juesuan.render.tables_common import (
    UNIT_LABEL,
    TableSpec,
    acell,
    empty_statement,
    hcell,
    icell,
    pick,
    tcell,
    wan,
)

LABELS_10 = {
    "template": ("公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费"),
    "shanghai": ("公务用车购置及运行费", "公务用车购置费", "公务用车运行费"),
}

ITEMS_10 = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")


def build_t10(ds: Dataset, spec: TableSpec, org: str) -> TableView:
    """财政拨款“三公”经费支出决算表."""
    veh, buy, run = LABELS_10.get(spec.options.get("labels", "template"), LABELS_10["template"])
    header = (
        Row((hcell("财政拨款“三公”经费", 12),), "header"),
        Row((hcell("合计", 2, 2), hcell("因公出国（境）费", 2, 2), hcell(veh, 6),
             hcell("公务接待费", 2, 2)), "header"),
        Row((hcell("小计", 2), hcell(buy, 2), hcell(run, 2)), "header"),
        Row(tuple(hcell(x) for _ in range(6) for x in ("预算数", "决算数")), "header"),
    )
    tp = ds.three_public
    cells: list[Cell] = []
    for item in ITEMS_10:
        for col, block in (("budget", tp.budget), ("actual", tp.actual)):
            cells.append(acell(pick(ds, "t10", item, col, wan(ds, getattr(block, item)), 4)))
    body = [Row(tuple(cells), "data")]
    if spec.options.get("counts"):
        body += _count_rows(ds)
    empty = tp.budget.total == 0 and tp.actual.total == 0
    return TableView(
        id=spec.id, number=spec.number, title=spec.title, org=org, unit_label=UNIT_LABEL,
        header=header, body=tuple(body), note=spec.note,
        empty_statement=empty_statement(ds, spec, org) if empty else "",
        widths=(1.0,) * 12, landscape=True,
    )


def _count_rows(ds: Dataset) -> list[Row]:
    c = ds.three_public.counts
    pairs = [
        ("因公出国（境）团组数（个）", c.abroad_groups, "因公出国（境）人数（人）", c.abroad_people),
        ("公务用车购置数（辆）", c.vehicles_bought, "公务用车保有量（辆）", c.vehicles_held),
        ("国内公务接待批次（批）", c.receptions, "国内公务接待人次（人）", c.reception_people),
        ("国（境）外公务接待批次（批）", c.foreign_receptions,
         "国（境）外公务接待人次（人）", c.foreign_reception_people),
    ]
    rows = [Row((tcell("相关统计数", 12, "center", bold=True),), "section")]
    for a, av, b, bv in pairs:
        rows.append(Row((tcell(a, 4), icell(av, 2), tcell(b, 4), icell(bv, 2)), "data"))
    return rows


def build_t11(ds: Dataset, spec: TableSpec, org: str) -> TableView:
    """机构运行经费支出、国有资产占用情况及政府采购支出信息表 (layout of our own)."""
    header = (Row((hcell("项目"), hcell("计量单位"), hcell("数值")), "header"),)
    p = ds.procurement
    a = ds.assets
    op = wan(ds, d.operating_cost(ds))
    total = pick(ds, "procurement", "total", "amount", wan(ds, p.total), 3)
    money: list[tuple[str, Decimal, int]] = [
        ("政府采购支出总额", total, 0),
        ("其中：政府采购货物支出", wan(ds, p.goods), 1),
        ("政府采购工程支出", wan(ds, p.works), 1),
        ("政府采购服务支出", wan(ds, p.services), 1),
        ("授予中小企业合同金额", wan(ds, p.sme), 0),
        ("其中：授予小微企业合同金额", wan(ds, p.small_micro), 1),
        ("货物采购授予中小企业合同金额", wan(ds, p.goods_sme), 1),
        ("工程采购授予中小企业合同金额", wan(ds, p.works_sme), 1),
        ("服务采购授予中小企业合同金额", wan(ds, p.services_sme), 1),
    ]
    held = a.vehicles_total if a.vehicles_total is not None else a.vehicles.total
    body = [
        _section("一、机构运行经费支出"),
        Row((tcell("机构运行经费支出", indent=1), tcell("万元", align="center"), acell(op)), "data"),
        _section("二、政府采购支出"),
        *[Row((tcell(label, indent=1 + lvl), tcell("万元", align="center"), acell(v)), "data")
          for label, v, lvl in money],
        _section("三、国有资产占用情况"),
        Row((tcell("车辆合计", indent=1), tcell("辆", align="center"), icell(held)), "data"),
        *[Row((tcell(("其中：" if i == 0 else "") + label, indent=2), tcell("辆", align="center"),
                icell(getattr(a.vehicles, key))), "data")
          for i, (key, label) in enumerate(VEHICLE_CATEGORIES.items())],
        Row((tcell("单价100万元（含）以上设备（不含车辆）", indent=1), tcell("台（套）", align="center"),
             icell(a.equipment_1m)), "data"),
    ]
    empty = op == 0 and total == 0 and held == 0 and a.equipment_1m == 0
    return TableView(
        id=spec.id, number=spec.number, title=spec.title, org=org, unit_label=UNIT_LABEL,
        header=header, body=tuple(body), note=spec.note,
        empty_statement=empty_statement(ds, spec, org) if empty else "",
        widths=(5.0, 1.2, 1.6), landscape=False,
    )


def _section(text: str) -> Row:
    return Row((tcell(text, 3, bold=True),), "section")
