"""The checks that are not a share, rate, change or total: each finds its sentences by the role
(or the figure, or the count) the profile declares for them, never by a pattern key.

Roles and the slots each role's sentence prints (the contract of the role):

- ``no_three_public``, ``no_gov_fund``, ``no_state_capital`` (sentence): “本部门无…”.
- ``vehicles_total`` (total): the count of vehicles; its parts are the slots declared
  ``count: assets.vehicles.*``.
- ``self_eval`` (amount, fund_amount, l1, l2, fund_n, fund_l1, fund_l2), ``dept_eval``
  (projects, n, general, fund), ``results`` (general_n, fund_n, n), ``project_summary``
  (name, score, budget, executed, rate): the performance explanation.
- ``appropriation_flat`` (sentence): “财政拨款收入支出总计与上年持平”; ``reason``: a clause
  giving the reason for what its subject says.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from juesuan.audit.auditor import Auditor, fmt, iv, val
from juesuan.audit.changes import this_of
from juesuan.audit.declared import figures_of, fill, meanings_of
from juesuan.audit.model import Claim
from juesuan.model.money import ZERO, isum

__all__ = ["check_appropriation", "check_assets", "check_performance", "check_three_public_counts", "check_truncated",
           "first_with_role", "has_role", "with_role"]

# the counts the 三公 explanation must state (dataset paths of the declared counts)
_NEEDED_COUNTS = (("three_public.counts.abroad_groups", "因公出国（境）团组数和人次"),
                  ("three_public.counts.vehicles_bought", "公务用车购置数"),
                  ("three_public.counts.vehicles_held", "公务用车保有量"),
                  ("three_public.counts.receptions", "公务接待批次和人次"))


def has_role(a: Auditor, c: Claim, role: str) -> str | None:
    """The slot of ``c`` declared with ``role`` (``sentence``: the whole sentence)."""
    return next((slot for slot, m in meanings_of(c, a.profile).items()
                 if m.role == role and (slot in c.values or slot == "sentence")), None)


def with_role(a: Auditor, role: str) -> list[Claim]:
    return [c for c in a.ex.claims if has_role(a, c, role)]


def first_with_role(a: Auditor, role: str) -> Claim | None:
    got = with_role(a, role)
    return got[0] if got else None


def _count_keys(a: Auditor, path: str) -> list[str]:
    """The profile's pattern keys that declare a count of ``path``."""
    return [k for k, slots in a.profile.meanings.items() if k in a.profile.patterns
            and any(m.count == path for m in slots.values())]


def check_three_public_counts(a: Auditor) -> None:
    """The counts the 三公 explanation must state (when the spending is explained at all)."""
    if first_with_role(a, "no_three_public"):
        return
    needs = [(keys, what) for path, what in _NEEDED_COUNTS if (keys := _count_keys(a, path))]
    if not needs:
        return
    span = a.ex.recognition.sections.get(needs[0][0][0].split(".")[0])
    if span is None:
        return
    det = first_with_role(a, "three_public_detail")
    loc = det.location if det else span.location
    read = {c.key.split("~")[0] for c in a.ex.claims}
    for keys, what in needs:
        if not read & set(keys):
            a.emit("audit.missing_counts", loc, what=what)


def check_assets(a: Auditor) -> None:
    """The vehicles held add up by category, and the 三公 vehicles are among them."""
    c = first_with_role(a, "vehicles_total")
    if not c:
        a.skip("narrative.vehicles", "未找到车辆情况的句子")
        return
    slot = has_role(a, c, "vehicles_total")
    cats = [s for s, m in meanings_of(c, a.profile).items()
            if m.count and m.count.startswith("assets.vehicles.") and isinstance(c.values.get(s), int)]
    total = c.values[slot]
    if sum(c.values[k] for k in cats) != total:
        a.emit("narrative.count", c.locations[slot], sum(c.values[k] for k in cats), total,
               tuple(c.locations[k] for k in cats), what="车辆总数与各类车辆之和")
    for x in a.ex.claims:
        for s, m in meanings_of(x, a.profile).items():
            if m.count == "three_public.counts.vehicles_held" and isinstance(x.values.get(s), int) \
                    and x.values[s] > total:
                a.emit("narrative.count", x.locations[s], f"不超过 {total}", x.values[s],
                       (c.locations[slot],), what="财政拨款公务用车保有量（不能超过车辆总数）")


def check_performance(a: Auditor) -> None:
    """The performance explanation's counts, and each project summary against its table."""
    se, de, res = first_with_role(a, "self_eval"), first_with_role(a, "dept_eval"), first_with_role(a, "results")
    projects = with_role(a, "project_summary")
    if se and se.values.get("fund_n") == 0 and isinstance(se.values.get("fund_amount"), Decimal):
        if se.values["fund_amount"] != 0:
            a.emit("narrative.count", se.locations["fund_amount"], "0", fmt(se.values["fund_amount"]),
                   (se.locations["fund_n"],), what="政府性基金预算自评项目为 0 个，涉及资金应为 0")
    if se and all(isinstance(se.values.get(k), int) for k in ("fund_n", "fund_l1", "fund_l2")):
        v = se.values
        if v["fund_l1"] + v["fund_l2"] != v["fund_n"]:
            a.emit("narrative.count", se.locations["fund_n"], v["fund_l1"] + v["fund_l2"], v["fund_n"],
                   (se.locations["fund_l1"], se.locations["fund_l2"]),
                   what="开展自评的政府性基金预算项目个数（与一级、二级项目个数之和）")
    if se and res and all(isinstance(se.values.get(k), int) for k in ("l1", "l2")):
        for slot, n, where in (("general_n", se.values["l1"] + se.values["l2"], se.locations["l2"]),
                               ("fund_n", se.values.get("fund_n"), se.locations.get("fund_n"))):
            if isinstance(n, int) and isinstance(res.values.get(slot), int) and res.values[slot] > n:
                a.emit("narrative.count", res.locations[slot], f"不超过 {n}", res.values[slot], (where,),
                       what="反映绩效自评结果的项目个数（不能多于开展自评的项目个数）")
    if res:
        _results_count(a, res, projects)
    if de:
        raw = "、".join(de.values["projects"])
        names = re.split(r"[”\"]\s*[、,，]\s*[“\"]", raw) if raw.startswith(("“", '"')) else de.values["projects"]
        if len(names) != de.values["n"]:
            a.emit("narrative.count", de.locations["n"], len(names), de.values["n"],
                   what="开展部门评价的项目个数（与列出的项目名称数）")
    _projects_vs_tables(a, projects)


def _results_count(a: Auditor, res: Claim, projects: list[Claim]) -> None:
    v = res.values
    if v["general_n"] + v["fund_n"] != v["n"]:
        a.emit("narrative.count", res.locations["n"], v["general_n"] + v["fund_n"], v["n"],
               what="绩效自评结果的项目个数")
    numbers = {p.values["n"] for p in projects if isinstance(p.values.get("n"), int)}
    if numbers and numbers != set(range(1, max(numbers) + 1)):
        gap = "、".join(str(n) for n in sorted(set(range(1, max(numbers) + 1)) - numbers)[:5])
        a.skip("narrative.count", f"逐项综述的第 {gap} 项未能读出，综述个数未核对", res.location)
    elif projects and len(projects) < v["n"] and _summaries_printed(a) > len(projects):
        a.skip("narrative.count", f"正文有 {_summaries_printed(a)} 处项目自评综述，只读出 {len(projects)} 处，"
               "综述个数未核对", res.location)
    elif projects and len(projects) != v["n"]:
        a.emit("narrative.count", res.locations["n"], len(projects), v["n"],
               tuple(p.location for p in projects), what="反映绩效自评结果的项目个数（与逐项综述的个数）")


_SUMMARY = re.compile(r"综述[:：]")


def _summaries_printed(a: Auditor) -> int:
    """How many project summaries (“…项目自评综述：”) the text prints, read or not."""
    text = re.sub(r"\s+", "", "".join(getattr(a, "doc_lines", None) or []))
    return len(_SUMMARY.findall(unicodedata.normalize("NFKC", text).replace(":", "：")))


def _projects_vs_tables(a: Auditor, projects: list[Claim]) -> None:
    """Each project summary: its score and money as its self-evaluation table prints them, its
    completion rate (on the table's more precise figures when they agree), and whole."""
    ds = getattr(a, "dataset", None)
    evals = {e.name: e for e in (ds.performance.self_evaluations if ds is not None else [])}
    for p in projects:
        e = evals.get(p.values["name"])
        if e is not None and e.total_score is not None:
            a.same(f"{p.values['name']}项目自评得分", val(p, "score"), (e.total_score, p.location), "自评表总分")
        if e is not None:
            a.same(f"{p.values['name']}项目全年预算数", val(p, "budget"), (e.funds.annual_budget, p.location), "自评表")
            a.same(f"{p.values['name']}项目执行数", val(p, "executed"), (e.funds.executed, p.location), "自评表")
        if "rate" in p.values:
            budget, executed = p.values["budget"], p.values["executed"]
            if e is not None and iv(budget).overlaps(iv(e.funds.annual_budget)) and \
                    iv(executed).overlaps(iv(e.funds.executed)):
                # the table prints the same figures with more precision (“10万元” against 10.00)
                budget, executed = e.funds.annual_budget, e.funds.executed
            _rate(a, p, budget, executed, f"{p.values['name']}项目")



def check_truncated(a: Auditor) -> None:
    """A sentence read with a variant the profile declares incomplete (it breaks off early)."""
    for c in a.ex.claims:
        base, _, why = c.key.partition("~")
        v = next((v for v in a.profile.variants.get(base, []) if v.why == why and v.incomplete), None) if why else None
        if v is not None:
            a.emit("narrative.truncated", c.location, what=fill(v.what, c, a.profile) or base, missing=v.incomplete)


def _rate(a: Auditor, c: Claim, budget: Decimal, actual: Decimal, what: str) -> None:
    if budget == 0:
        if actual == 0:
            a.emit("narrative.rate_zero_budget", c.locations["rate"], None, fmt(c.values["rate"], True), what=what)
        return
    a.ratio("narrative.rate", val(c, "rate"), iv(actual), iv(budget), (c.locations["executed"], c.locations["budget"]),
            what=what, actual=fmt(actual), budget=fmt(budget))


def check_appropriation(a: Auditor) -> None:
    """财政拨款收支总计 is at least the spending of each budget kind (and equals it when nothing is
    carried over); “持平” must not come with a reason or beside a changed general appropriation."""
    f = figures_of(a)
    s4, gen = f.narrative.get("appropriation.total"), f.narrative.get("general.total")
    if not (s4 and gen):
        a.skip("narrative.appropriation_total", "未找到财政拨款收支总计或一般公共预算财政拨款支出")
        return
    total = s4[0]
    spend = [(gen[0].value, gen[0].location)] + [(rs[0].value, rs[0].location) for fid in
                                                 ("funds.gov_fund", "funds.state_capital") if (rs := f.narrative.get(fid))]
    what = "一般公共预算财政拨款支出" if len(spend) == 1 else "各类财政拨款支出合计"
    s = isum([iv(v) for v, _ in spend])
    closing = f.narrative.get("balances.closing")
    if iv(total.value).hi < s.lo:
        a.emit("narrative.appropriation_total", total.location, fmt(sum((v for v, _ in spend), ZERO)),
               fmt(total.value), tuple(loc for _, loc in spend), what=what)
    elif closing and closing[0].value == 0 and len(spend) == 3:
        a.sum_check("财政拨款收入支出总计（年末结转和结余为 0，应等于一般公共预算、政府性基金、国有资本经营预算"
                    "财政拨款支出之和）", (total.value, total.location), spend + [(closing[0].value, closing[0].location)])
    _flat(a)


def _flat(a: Auditor) -> None:
    """持平 with a reason, or 持平 while the general appropriation changed."""
    flat = first_with_role(a, "appropriation_flat")
    if not flat:
        return
    reason = next((c for c in with_role(a, "reason") if c.context.get("subject_values") is flat.values), None)
    s5c = _change_of(a, "general.total")
    no_funds = first_with_role(a, "no_gov_fund") and first_with_role(a, "no_state_capital")
    bits = []
    if reason is not None:
        bits.append("却给出了变动原因")
    if s5c and s5c.values["diff"] != 0 and no_funds:
        word = "增加" if s5c.values["dir"] > 0 else "减少"
        bits.append(f"而一般公共预算财政拨款支出{word} {fmt(s5c.values['diff'])}（本部门无政府性基金和国有资本经营预算拨款）")
    if bits:
        a.emit("narrative.flat_with_reason", flat.location, None, "持平",
               tuple(x.location for x in (reason, s5c) if x), what="财政拨款收入支出总计与上年相比",
               message="，".join(bits))


def _change_of(a: Auditor, figure: str) -> Claim | None:
    """The first sentence declaring a change of ``figure`` against last year."""
    f = figures_of(a)
    for c in a.ex.claims:
        for m in meanings_of(c, a.profile).values():
            if m.change and m.change.vs == "last_year" and isinstance(c.values.get(m.change.diff), Decimal):
                _, fid, _ = this_of(f, c, m.change)
                if fid == figure:
                    return c
    return None
