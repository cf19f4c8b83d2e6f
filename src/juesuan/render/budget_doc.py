"""The budget disclosure (部门预算公开) as a ``Document`` of blocks: every output format renders it.

The parts, the tables' titles and their order are the budget profile's (``profiles/budget``);
the explanations compare every figure with last year's budget in the words the audit
reads back (``meanings.against``: “与上年预算相比增加 d 万元，增长 p%”), so that a built
disclosure audits clean.  Pure: no I/O.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from juesuan.model.accounts import FundKind
from juesuan.model.budget import BUDGET_INCOME_LABELS, BUDGET_SPENDING_LABELS, BudgetDataset
from juesuan.model.money import ZERO, fmt_amount
from juesuan.profiles.budget_profiles import BudgetProfile, load_budget_profile
from juesuan.render.blocks import (
    Cell,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Row,
    TableBlock,
    TableView,
    Toc,
)

__all__ = ["assemble_budget", "budget_tables", "change_words"]

_CN = "一二三四五六七八九十"


def _num(i: int) -> str:
    if i <= 10:
        return _CN[i - 1]
    return ("十" if i < 20 else _CN[i // 10 - 1] + "十") + (_CN[i % 10 - 1] if i % 10 else "")


def _w(v: Decimal) -> str:
    """An amount as the explanations print it (thousands separators, its own decimals, at least two)."""
    return fmt_amount(v, max(2, -int(v.as_tuple().exponent)) if v.as_tuple().exponent < 0 else 2)  # type: ignore[operator]


def _pct(part: Decimal, whole: Decimal) -> str:
    if whole == 0:
        return "0.00"
    return str((part / whole * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def change_words(current: Decimal, last: Decimal | None) -> str:
    """“与上年预算相比增加 d 万元，增长 p%” (or 减少/下降, or 与上年预算数相同); empty without last year."""
    if last is None:
        return ""
    if current == last:
        return "与上年预算数相同"
    diff = current - last
    up = diff > 0
    text = f"与上年预算相比{'增加' if up else '减少'}{_w(abs(diff))}万元"
    if last > 0:
        text += f"，{'增长' if up else '下降'}{_pct(abs(diff), last)}%"
    return text


def _sentence(head: str, current: Decimal, last: Decimal | None) -> str:
    cmp = change_words(current, last)
    return f"{head}{_w(current)}万元" + (f"，{cmp}" if cmp else "") + "。"


# -- tables ---------------------------------------------------------------------------------
def _c(v: object, **kw: object) -> Cell:
    return Cell(v, **kw)  # type: ignore[arg-type]


def _hdr(*labels: str) -> tuple[Row, ...]:
    return (Row(tuple(_c(x, align="center", bold=True) for x in labels), "header"),)


def _view(ds: BudgetDataset, profile: BudgetProfile, tid: str, default: str, header: tuple[Row, ...],
          body: list[Row], empty: str = "", widths: tuple[float, ...] = ()) -> TableView | None:
    spec = profile.table(tid)
    if spec is None and not profile.baseline:
        return None
    title = spec.title if spec is not None else default
    return TableView(tid, f"公开{tid[1:]}表", title, ds.department.name, f"单位：{ds.unit.value}", header,
                     tuple(body), empty_statement=empty if not body else "", widths=widths)


def _func_rows(ds: BudgetDataset, pick) -> list[Row]:  # noqa: ANN001 - line → tuple of amounts
    """合计, then each 类, 款 and 项 with the amounts ``pick`` gives for a 项 (类/款 summed)."""
    items = ds.items()
    names = {e.code: e.name for e in ds.expenditure}
    codes = sorted({i.code[:3] for i in items} | {i.code[:5] for i in items} | {i.code for i in items})
    rows: list[Row] = []
    totals = [sum(col, ZERO) for col in zip(*(pick(i) for i in items), strict=True)] if items else []
    rows.append(Row((_c("合计", colspan=2, align="center", bold=True), *(_c(v, bold=True) for v in totals)), "total"))
    for code in codes:
        subs = [i for i in items if i.code.startswith(code)]
        vals = [sum(col, ZERO) for col in zip(*(pick(i) for i in subs), strict=True)]
        kind = {3: "class", 5: "kuan", 7: "item"}[len(code)]
        rows.append(Row((_c(code), _c(names.get(code, code), indent={3: 0, 5: 1, 7: 2}[len(code)]),
                         *(_c(v) for v in vals)), kind))  # type: ignore[arg-type]
    return rows


def budget_tables(ds: BudgetDataset, profile: BudgetProfile) -> list[TableView]:
    inc, car = ds.income, ds.carryover
    out: list[TableView | None] = []
    # t01 收支总表: income by source beside spending by function class
    left = [(f"{_num(k + 1)}、{label}", getattr(inc, f)) for k, (f, label) in enumerate(BUDGET_INCOME_LABELS.items())]
    right = [(f"{_num(k + 1)}、{name}", total) for k, (_, name, total) in enumerate(ds.classes())]
    n = max(len(left), len(right))
    body = [Row((_c(left[k][0] if k < len(left) else ""), _c(left[k][1] if k < len(left) else None),
                 _c(right[k][0] if k < len(right) else ""), _c(right[k][1] if k < len(right) else None)))
            for k in range(n)]
    body += [Row((_c("本年收入合计", bold=True), _c(inc.total), _c("本年支出合计", bold=True), _c(ds.expenditure_total)),
                 "total"),
             Row((_c("上年结转结余"), _c(car.total), _c("年终结转结余"), _c(ds.closing))),
             Row((_c("收入总计", bold=True), _c(ds.total), _c("支出总计", bold=True),
                  _c(ds.expenditure_total + ds.closing)), "total")]
    out.append(_view(ds, profile, "t01", "收支总表", _hdr("收入项目", "预算数", "支出项目", "预算数"), body,
                     widths=(3, 1.4, 3, 1.4)))
    # t02 收入总表
    fields = [f for f in BUDGET_INCOME_LABELS if getattr(inc, f) != 0] or ["general_budget"]
    head = _hdr("项目", "合计", *(BUDGET_INCOME_LABELS[f] for f in fields), "上年结转结余")
    vals = [inc.total + car.total, *(getattr(inc, f) for f in fields), car.total]
    out.append(_view(ds, profile, "t02", "收入总表", head,
                     [Row((_c("合计", bold=True), *(_c(v, bold=True) for v in vals)), "total")]))
    # t03 支出总表
    cols = [f for f in BUDGET_SPENDING_LABELS if f in ("basic", "project") or ds.spending(f) != 0]
    out.append(_view(ds, profile, "t03", "支出总表",
                     _hdr("科目编码", "科目名称", "合计", *(BUDGET_SPENDING_LABELS[f] for f in cols)),
                     _func_rows(ds, lambda i: (i.total, *(getattr(i, f) for f in cols))), widths=(1.2, 3, 1.3, 1.3, 1.3)))
    # t04 财政拨款收支总表
    appr = {k: ds.appropriation_of(k) for k in FundKind}
    spent = sum((b.total for b in appr.values()), ZERO)
    body = [Row((_c("一、本年收入"), _c(inc.appropriation), _c("一、本年支出"), _c(spent))),
            Row((_c("（一）一般公共预算拨款"), _c(inc.general_budget), _c(""), _c(None))),
            Row((_c("（二）政府性基金预算拨款"), _c(inc.gov_fund), _c(""), _c(None))),
            Row((_c("（三）国有资本经营预算拨款"), _c(inc.state_capital), _c(""), _c(None))),
            Row((_c("二、上年结转"), _c(car.appropriation), _c("二、年终结转结余"), _c(ZERO))),
            Row((_c("收入总计", bold=True), _c(inc.appropriation + car.appropriation), _c("支出总计", bold=True),
                 _c(spent)), "total")]
    out.append(_view(ds, profile, "t04", "财政拨款收支总表", _hdr("收入项目", "预算数", "支出项目", "预算数"), body,
                     widths=(3, 1.4, 3, 1.4)))
    # t05 财政拨款支出表（功能科目）: basic split into personnel and public
    out.append(_view(ds, profile, "t05", "财政拨款支出表（功能科目）",
                     _hdr("科目编码", "科目名称", "合计", "基本支出小计", "人员经费", "公用经费", "项目支出"),
                     _func_rows(ds, lambda i: (sum((i.fund(k).total for k in FundKind), ZERO),
                                               sum((i.fund(k).basic for k in FundKind), ZERO),
                                               i.personnel if i.personnel is not None else ZERO,
                                               i.public if i.public is not None else ZERO,
                                               sum((i.fund(k).project for k in FundKind), ZERO)))))
    # t07 一般公共预算支出表
    g = FundKind.GENERAL
    out.append(_view(ds, profile, "t07", "一般公共预算支出表", _hdr("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
                     _func_rows(ds, lambda i: (i.fund(g).total, i.fund(g).basic, i.fund(g).project)),
                     widths=(1.2, 3, 1.3, 1.3, 1.3)))
    # t08 一般公共预算基本支出表 (economic)
    econ = ds.basic_econ
    top = [e for e in econ if e.level == 1] or econ
    pers = sum((e.amount for e in top if e.econ_kind().value == "人员经费"), ZERO)
    body = [Row((_c("合计", colspan=2, align="center", bold=True), _c(sum((e.amount for e in top), ZERO), bold=True),
                 _c(pers, bold=True), _c(sum((e.amount for e in top), ZERO) - pers, bold=True)), "total")]
    for e in econ:
        personnel = e.econ_kind().value == "人员经费"
        body.append(Row((_c(e.code), _c(e.name, indent=e.level - 1), _c(e.amount),
                         _c(e.amount if personnel else None), _c(None if personnel else e.amount)),
                        "class" if e.level == 1 else "kuan"))
    if inc.gov_fund == 0 and inc.state_capital == 0:  # all 财政拨款 is 一般公共预算: the same economic rows
        out.append(_view(ds, profile, "t06", "财政拨款基本支出表（经济科目）",
                         _hdr("科目编码", "科目名称", "合计", "人员经费", "公用经费"), body if econ else []))
    out.append(_view(ds, profile, "t08", "一般公共预算基本支出表",
                     _hdr("科目编码", "科目名称", "合计", "人员经费", "公用经费"), body if econ else []))
    # t09 “三公”
    tp = ds.three_public.budget
    out.append(_view(ds, profile, "t09", "一般公共预算“三公”经费支出表",
                     _hdr("“三公”经费合计", "因公出国（境）费", "公务用车购置及运行维护费小计", "公务用车购置费",
                          "公务用车运行维护费", "公务接待费", "会议费", "培训费"),
                     [Row(tuple(_c(v) for v in (tp.total, tp.abroad, tp.vehicle, tp.vehicle_purchase,
                                                tp.vehicle_operation, tp.reception,
                                                ds.three_public.meetings or ZERO, ds.three_public.training or ZERO)))]))
    # t10, t11: the other fund kinds (empty with a statement when the department has none)
    for tid, kind, title in (("t10", FundKind.GOV_FUND, "政府性基金预算支出表"),
                             ("t11", FundKind.STATE_CAPITAL, "国有资本经营预算支出表")):
        has = appr[kind].total != 0
        label = "政府性基金预算" if kind is FundKind.GOV_FUND else "国有资本经营预算"
        out.append(_view(ds, profile, tid, title, _hdr("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
                         _func_rows(ds, lambda i, k=kind: (i.fund(k).total, i.fund(k).basic, i.fund(k).project))
                         if has else [], empty=f"注：本部门无{label}拨款安排的支出，故本表无数据。"))
    # t12 机关运行经费
    oc = ds.operating_cost.amount
    out.append(_view(ds, profile, "t12", "一般公共预算机关运行经费支出表", _hdr("项目", "机关运行经费支出"),
                     [Row((_c("合计", bold=True), _c(oc, bold=True)), "total")] if oc is not None else [],
                     empty="注：本部门无机关运行经费预算。"))
    # t13 政府采购
    pr = ds.procurement
    out.append(_view(ds, profile, "t13", "政府采购支出表", _hdr("采购品目大类", "预算金额"),
                     [Row((_c("合计", bold=True), _c(pr.total, bold=True)), "total"),
                      Row((_c("货物"), _c(pr.goods))), Row((_c("工程"), _c(pr.works))),
                      Row((_c("服务"), _c(pr.services)))] if pr.total else [],
                     empty="注：本部门无政府采购预算。"))
    # t14 绩效目标
    for k, t in enumerate(ds.performance.targets, 1):
        rows = [Row((_c(i.level1), _c(i.level2), _c(i.name), _c(f"{i.direction}{i.target}{i.unit}")))
                for i in t.indicators]
        view = _view(ds, profile, "t14", "项目支出绩效目标表", _hdr("一级指标", "二级指标", "三级指标", "指标值"), rows)
        if view is not None:
            out.append(TableView(f"t14-{k}", view.number, f"{view.title}（{t.project}，{_w(t.amount)}万元）",
                                 view.org, view.unit_label, view.header, view.body, note=f"年度绩效目标：{t.goal}"))
    return [t for t in out if t is not None]


# -- the explanations -----------------------------------------------------------------------
def _explanations(ds: BudgetDataset) -> list[tuple[str, list[str]]]:
    y, inc, ly = ds.year, ds.income, ds.last_year
    out: list[tuple[str, list[str]]] = []
    s = [_sentence(f"{y}年度收入、支出预算总计", ds.total, ly.total)]
    s.append(f"收入预算总计{_w(ds.total)}万元，其中本年收入合计{_w(inc.total)}万元，上年结转结余{_w(ds.carryover.total)}万元。")
    s.append(f"支出预算总计{_w(ds.expenditure_total + ds.closing)}万元，其中本年支出合计{_w(ds.expenditure_total)}万元，"
             f"年终结转结余{_w(ds.closing)}万元。")
    out.append(("收支预算总体情况说明", s))
    parts = [f"{label}{_w(getattr(inc, f))}万元，占{_pct(getattr(inc, f), inc.total)}%"
             for f, label in BUDGET_INCOME_LABELS.items() if getattr(inc, f) != 0]
    s = [f"{y}年度本部门本年收入预算{_w(inc.total)}万元，其中：" + "；".join(parts) + "。"] if parts else []
    last_inc = ly.income.total if ly.income is not None else None
    if last_inc is not None:
        s.append(_sentence("本年收入预算", inc.total, last_inc))
    out.append(("收入预算情况说明", s))
    total = ds.expenditure_total
    parts = [f"{label}{_w(ds.spending(f))}万元，占{_pct(ds.spending(f), total)}%"
             for f, label in BUDGET_SPENDING_LABELS.items() if ds.spending(f) != 0 or f in ("basic", "project")]
    out.append(("支出预算情况说明", [f"{y}年度本部门本年支出预算{_w(total)}万元，其中：" + "；".join(parts) + "。"]))
    appr = inc.appropriation + ds.carryover.appropriation
    out.append(("财政拨款收支预算总体情况说明",
                [_sentence(f"{y}年度财政拨款收、支总预算", appr, ly.appropriation_total)]))
    g = ds.appropriation_of(FundKind.GENERAL).total
    s = [_sentence(f"{y}年度本部门一般公共预算支出预算", g, ly.general_expenditure)]
    for code, name, amount in ds.classes():
        lasts = [i.last_year for i in ds.items() if i.code.startswith(code)]
        last = sum((v for v in lasts if v is not None), ZERO) if lasts and all(v is not None for v in lasts) else None
        s.append(_sentence(f"{name}（类）支出", amount, last))
    out.append(("一般公共预算支出预算情况说明", s))
    econ = [e for e in ds.basic_econ if e.level == 1] or ds.basic_econ
    if econ:
        pers = sum((e.amount for e in econ if e.econ_kind().value == "人员经费"), ZERO)
        whole = sum((e.amount for e in econ), ZERO)
        out.append(("一般公共预算基本支出预算情况说明",
                    [f"{y}年度本部门一般公共预算基本支出{_w(whole)}万元，其中：人员经费{_w(pers)}万元，"
                     f"公用经费{_w(whole - pers)}万元。"]))
    tp, tpl = ds.three_public.budget, ds.three_public.last_year
    s = [_sentence(f"{y}年度“三公”经费支出预算", tp.total, tpl.total if tpl else None)]
    s.append(f"其中，因公出国（境）费支出{_w(tp.abroad)}万元；公务用车购置及运行维护费支出{_w(tp.vehicle)}万元"
             f"（公务用车购置费{_w(tp.vehicle_purchase)}万元，公务用车运行维护费{_w(tp.vehicle_operation)}万元）；"
             f"公务接待费支出{_w(tp.reception)}万元。")
    for label, cur, last in (("会议费", ds.three_public.meetings, ds.three_public.meetings_last_year),
                             ("培训费", ds.three_public.training, ds.three_public.training_last_year)):
        if cur is not None:
            s.append(_sentence(f"{label}预算支出", cur, last))
    out.append(("一般公共预算“三公”经费、会议费、培训费支出预算情况说明", s))
    oc = ds.operating_cost
    if oc.amount is not None:
        out.append(("一般公共预算机关运行经费支出预算情况说明",
                    [_sentence(f"{y}年度本部门一般公共预算机关运行经费预算支出", oc.amount, oc.last_year)]))
    pr = ds.procurement
    out.append(("政府采购支出预算情况说明",
                [f"{y}年度政府采购支出预算总额{_w(pr.total)}万元，其中：拟采购货物支出{_w(pr.goods)}万元、"
                 f"拟采购工程支出{_w(pr.works)}万元、拟采购服务支出{_w(pr.services)}万元。"]))
    a = ds.assets
    out.append(("国有资产占用情况说明",
                [f"本部门共有车辆{a.vehicles_total if a.vehicles_total is not None else a.vehicles.total}辆；"
                 f"单价100万元（含）以上的设备{a.equipment_1m}台（套）。"]))
    pf = ds.performance
    s = []
    if pf.whole_amount is not None:
        s.append(f"{y}年度，本部门整体支出纳入绩效目标管理，涉及财政性资金{_w(pf.whole_amount)}万元。")
    if pf.projects is not None and pf.projects_amount is not None:
        s.append(f"本部门共{pf.projects}个项目纳入绩效目标管理，涉及财政性资金合计{_w(pf.projects_amount)}万元。")
    out.append(("预算绩效目标设置情况说明", s or ["本部门项目支出绩效目标见项目支出绩效目标表。"]))
    return out


def assemble_budget(ds: BudgetDataset, profile: str | None = None) -> Document:
    prof = load_budget_profile(profile or ds.profile)
    name = ds.department.label
    title = f"{name}{ds.year}年度部门预算公开"
    doc = Document(title, ds.department.name, ds.year, f"budget/{prof.id}")
    doc.add(Paragraph(title, "title"), Toc(), PageBreak())
    parts = {p["id"]: p["title"] for p in prof.parts} or {"overview": "部门概况", "tables": "部门预算表",
                                                           "explanations": "部门预算情况说明", "glossary": "名词解释"}
    k = 0

    def part(key: str) -> None:
        nonlocal k
        k += 1
        title = parts[key] if key != "tables" else f"{ds.year}年度{parts[key]}"
        doc.add(Heading(1, f"第{_num(k)}部分 {title}", anchor=key))

    part("overview")
    d = ds.department
    sections = [("主要职能", [d.functions] if d.functions else []),
                ("部门机构设置及预算单位构成情况", [x for x in (d.structure, d.scope) if x]
                 + ([f"纳入本部门{ds.year}年部门汇总预算编制范围的预算单位共计{len(d.units)}家，具体包括："
                     + "，".join(u.name for u in d.units) + "。"] if d.units else [])),
                (f"{ds.year}年度部门主要工作任务及目标", list(d.main_work))]
    for j, (head, paras) in enumerate(sections, 1):
        doc.add(Heading(2, f"{_num(j)}、{head}"), *(Paragraph(p) for p in paras or ["（无）"]))
    doc.add(PageBreak())
    part("tables")
    for t in budget_tables(ds, prof):
        doc.add(TableBlock(t))
    doc.add(PageBreak())
    part("explanations")
    for j, (head, sentences) in enumerate(_explanations(ds), 1):
        doc.add(Heading(2, f"{_num(j)}、{head}"))
        for text in sentences:
            doc.add(Paragraph(text, key=f"budget.{j}"))
    part("glossary")
    for j, (term, text) in enumerate(_GLOSSARY, 1):
        doc.add(Paragraph(f"{_num(j)}、{term}：{text}"))
    if ds.contact.person or ds.contact.phone:
        doc.add(Paragraph(f"联系人：{ds.contact.person}　联系电话：{ds.contact.phone}", "note"))
    return doc


_GLOSSARY = (
    ("财政拨款", "单位从同级财政部门取得的各类财政拨款，包括一般公共预算拨款、政府性基金预算拨款、国有资本经营预算拨款"),
    ("基本支出", "为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出"),
    ("项目支出", "在基本支出之外为完成特定行政任务和事业发展目标所发生的支出"),
    ("“三公”经费", "部门用一般公共预算财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费"),
    ("机关运行经费", "行政单位（含参照公务员法管理的事业单位）使用一般公共预算安排的基本支出中的日常公用经费支出"),
)
