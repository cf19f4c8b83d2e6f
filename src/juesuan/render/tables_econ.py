"""Tables by economic classification, two blocks side by side: 06 and 07.

06 (基本支出明细) prints the template's full list of 款 under 301+303 (left)
and 302+310 (right), blank where nothing was spent, with 人员经费合计 and
公用经费合计 underneath, as the Shanghai template and Putuo 2024 print it.
07 (项目支出明细, Inner Mongolia) has no published layout: it uses the same
two blocks but lists only the 款 with data, and one 合计 at the foot.
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.compute import derive as d
from juesuan.model.accounts import Dataset, EconKind, EconLine
from juesuan.model.money import ZERO
from juesuan.render.blocks import Cell, Row, TableView
from juesuan.render.tables_common import (
    UNIT_LABEL,
    TableSpec,
    acell,
    econ_names,
    empty_statement,
    hcell,
    pick,
    tcell,
    wan,
)

ECON_TEMPLATE: dict[str, tuple[tuple[str, str], ...]] = {
    "301": (
        ("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"),
        ("30106", "伙食补助费"), ("30107", "绩效工资"), ("30108", "机关事业单位基本养老保险缴费"),
        ("30109", "职业年金缴费"), ("30110", "职工基本医疗保险缴费"), ("30111", "公务员医疗补助缴费"),
        ("30112", "其他社会保障缴费"), ("30113", "住房公积金"), ("30114", "医疗费"),
        ("30199", "其他工资福利支出"),
    ),
    "302": (
        ("302", "商品和服务支出"), ("30201", "办公费"), ("30202", "印刷费"), ("30203", "咨询费"),
        ("30204", "手续费"), ("30205", "水费"), ("30206", "电费"), ("30207", "邮电费"),
        ("30208", "取暖费"), ("30209", "物业管理费"), ("30211", "差旅费"),
        ("30212", "因公出国（境）费用"), ("30213", "维修（护）费"), ("30214", "租赁费"),
        ("30215", "会议费"), ("30216", "培训费"), ("30217", "公务接待费"), ("30218", "专用材料费"),
        ("30224", "被装购置费"), ("30225", "专用燃料费"), ("30226", "劳务费"), ("30227", "委托业务费"),
        ("30228", "工会经费"), ("30229", "福利费"), ("30231", "公务用车运行维护费"),
        ("30239", "其他交通费用"), ("30240", "税金及附加费用"), ("30299", "其他商品和服务支出"),
    ),
    "303": (
        ("303", "对个人和家庭的补助"), ("30301", "离休费"), ("30302", "退休费"),
        ("30303", "退职（役）费"), ("30304", "抚恤金"), ("30305", "生活补助"), ("30306", "救济费"),
        ("30307", "医疗费补助"), ("30308", "助学金"), ("30309", "奖励金"),
        ("30310", "个人农业生产补贴"), ("30311", "代缴社会保险费"), ("30399", "其他对个人和家庭的补助"),
    ),
    "310": (
        ("310", "资本性支出"), ("31001", "房屋建筑物购建"), ("31002", "办公设备购置"),
        ("31003", "专用设备购置"), ("31007", "信息网络及软件购置更新"), ("31013", "公务用车购置"),
        ("31019", "其他交通工具购置"), ("31021", "文物和陈列品购置"), ("31022", "无形资产购置"),
        ("31099", "其他资本性支出"),
    ),
}
"""The 款 of 一般公共预算财政拨款基本支出决算表, verbatim from the Shanghai 2024 template."""

LEFT_CLASSES = ("301", "303")
RIGHT_CLASSES = ("302", "310")

Entry = tuple[str, str, Decimal]  # code, name, amount in 万元


def _class_blocks(ds: Dataset, table: str, lines: list[EconLine], full: bool) -> dict[str, list[Entry]]:
    """Per 类: its own row then its 款 rows (template list when ``full``, plus any extra)."""
    names = {**econ_names(ds.year), **{e.code: e.name for e in lines}}
    kuan = {e.code: wan(ds, e.amount) for e in d.econ_kuan(lines) if e.level == 2}
    stated_class = {e.code: wan(ds, e.amount) for e in lines if e.level == 1}
    classes: list[str] = list(ECON_TEMPLATE) if full else []
    for e in lines:
        if e.code[:3] not in classes:
            classes.append(e.code[:3])
    out: dict[str, list[Entry]] = {}
    for cls in classes:
        template = [c for c, _ in ECON_TEMPLATE.get(cls, ())[1:]] if full else []
        codes = template + sorted(c for c in kuan if c[:3] == cls and c not in template)
        parts = [kuan.get(c, ZERO) for c in codes]
        computed = sum(parts, ZERO) if codes else stated_class.get(cls, ZERO)
        amount = computed
        if cls in stated_class and codes:
            diff = abs(stated_class[cls] - computed)
            amount = stated_class[cls] if diff <= Decimal("0.005") * len(codes) else computed
        amount = pick(ds, table, cls, "*", amount, max(len(codes), 1))
        tname = dict(ECON_TEMPLATE.get(cls, ())).get(cls)
        rows: list[Entry] = [(cls, names.get(cls) or tname or "", amount)]
        tnames = dict(ECON_TEMPLATE.get(cls, ()))
        rows += [(c, names.get(c) or tnames.get(c, ""), kuan.get(c, ZERO)) for c in codes]
        out[cls] = rows
    return out


def _side(blocks: dict[str, list[Entry]], classes: list[str]) -> list[Entry]:
    return [row for c in classes if c in blocks for row in blocks[c]]


def _entry_cells(entry: Entry | None) -> list[Cell]:
    if entry is None:
        return [Cell(None), Cell(None), Cell(None), acell(None)]
    code, name, amount = entry
    is_class = len(code) == 3
    return [Cell(code[:3], align="center"), Cell(code[3:] or None, align="center"),
            tcell(name, indent=0 if is_class else 1, bold=is_class), acell(amount, bold=is_class)]


def _header() -> tuple[Row, ...]:
    block = [hcell("经济分类科目编码", 2), hcell("科目名称", rowspan=2), hcell("决算数", rowspan=2)]
    return (Row(tuple(block * 2), "header"),
            Row((hcell("类"), hcell("款"), hcell("类"), hcell("款")), "header"))


def _body(left: list[Entry], right: list[Entry]) -> list[Row]:
    n = max(len(left), len(right))
    rows = []
    for i in range(n):
        a = left[i] if i < len(left) else None
        b = right[i] if i < len(right) else None
        kind = "class" if (a and len(a[0]) == 3) or (b and len(b[0]) == 3) else "data"
        rows.append(Row(tuple(_entry_cells(a) + _entry_cells(b)), kind))  # type: ignore[arg-type]
    return rows


def _view(ds: Dataset, spec: TableSpec, org: str, body: list[Row], empty: bool) -> TableView:
    return TableView(
        id=spec.id, number=spec.number, title=spec.title, org=org, unit_label=UNIT_LABEL,
        header=_header(), body=tuple(body), note=spec.note,
        empty_statement=empty_statement(ds, spec, org) if empty else "",
        widths=(0.6, 0.6, 2.6, 1.2) * 2, landscape=False,
    )


def build_t06(ds: Dataset, spec: TableSpec, org: str) -> TableView:
    """一般公共预算财政拨款基本支出决算（明细）表: 301+303 | 302+310, 人员/公用经费合计."""
    lines = ds.basic_econ
    blocks = _class_blocks(ds, "t06", lines, full=spec.options.get("full_list", True))
    left_classes = [c for c in blocks if c not in RIGHT_CLASSES]
    body = _body(_side(blocks, left_classes), _side(blocks, list(RIGHT_CLASSES)))
    kinds = d.econ_by_kind(lines)
    n = len(d.econ_kuan(lines))
    personnel = pick(ds, "t06", "personnel", "*", wan(ds, kinds[EconKind.PERSONNEL]), n)
    public = pick(ds, "t06", "public", "*", wan(ds, kinds[EconKind.PUBLIC]), n)
    body.append(Row((tcell("人员经费合计", 3, "center", bold=True), acell(personnel, bold=True),
                     tcell("公用经费合计", 3, "center", bold=True), acell(public, bold=True)), "total"))
    return _view(ds, spec, org, body, not lines)


def build_t07(ds: Dataset, spec: TableSpec, org: str) -> TableView:
    """一般公共预算财政拨款项目支出决算明细表: the 款 with data, in two blocks, 合计."""
    lines = ds.project_econ
    blocks = _class_blocks(ds, "t07", lines, full=spec.options.get("full_list", False))
    left_classes = [c for c in blocks if c not in RIGHT_CLASSES]
    body = _body(_side(blocks, left_classes), _side(blocks, list(RIGHT_CLASSES)))
    total = sum((rows[0][2] for rows in blocks.values()), ZERO)
    total = pick(ds, "t07", "total", "*", total, len(blocks))
    body.append(Row((tcell("合计", 7, "center", bold=True), acell(total, bold=True)), "total"))
    return _view(ds, spec, org, body, not lines)
