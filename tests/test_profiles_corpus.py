"""The profiles of real templates: each document of ../shared/ is read with the right one.

central-2024 is the central-department template (国家信访局 2024 年度部门决算), university-2023
the 高等学校 template (西南大学 2023 年度部门决算).  The claims asserted are the figures the PDFs
print (page numbers are PDF pages).  Without ../shared/ the document tests skip.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from juesuan.audit.checks_run import audit_document
from juesuan.audit.claims import extract_claims
from juesuan.audit.document import read_document
from juesuan.audit.recognize import recognize
from juesuan.profiles import list_profiles, load_profile
from tests.conftest import shared_file

CENTRAL = "corpus/central-petition-bureau-2024-final.pdf"
SWU = "corpus/chongqing-swu-university-2023-final.pdf"
BUDGET = "corpus/central-petition-bureau-2026-budget.pdf"
SEED = "seed/000_1d4d631d9d557d27.txt"
PUTUO = "samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf"
TEMPLATE = "samples/shanghai-2024-juesuan-template.pdf"


def _read(relative: str):  # noqa: ANN202 - (doc, recognition, claims by key)
    doc = read_document(shared_file(relative))
    rec = recognize(doc)
    claims: dict[str, list] = {}
    for c in extract_claims(doc, rec, load_profile(rec.profile)):
        claims.setdefault(c.key, []).append(c)
    return doc, rec, claims


@pytest.fixture(scope="module")
def central():
    return _read(CENTRAL)


@pytest.fixture(scope="module")
def swu():
    return _read(SWU)


@pytest.fixture(scope="module")
def central_audit():
    return audit_document(shared_file(CENTRAL))


@pytest.fixture(scope="module")
def swu_audit():
    return audit_document(shared_file(SWU))


def one(claims: dict, key: str) -> dict:
    assert len(claims.get(key, [])) == 1, (key, claims.get(key))
    return claims[key][0].values


# --- every shipped profile --------------------------------------------------------------


@pytest.mark.parametrize("name", list_profiles())
def test_every_shipped_profile_loads_and_extends_national(name: str) -> None:
    prof = load_profile(name)
    assert prof.name == name
    if prof.baseline:
        assert name == "national"
    else:
        assert prof.extends == "national"
        assert 0 < prof.match_threshold <= 1


def test_the_new_profiles_are_for_the_audit_only() -> None:
    for name in ("central-2024", "university-2023"):
        prof = load_profile(name)
        assert not prof.build
        assert not prof.baseline


# --- which profile each document is read with -------------------------------------------


@pytest.mark.parametrize(("relative", "profile"), [
    (CENTRAL, "central-2024"),
    (SWU, "university-2023"),
    (SEED, "neimenggu-2023"),
    (PUTUO, "shanghai-2024"),
    (TEMPLATE, "shanghai-2024"),
])
def test_profile_chosen(relative: str, profile: str) -> None:
    rec = recognize(read_document(shared_file(relative)))
    assert rec.profile == profile


def test_the_2026_budget_is_not_taken_as_final_accounts() -> None:
    path = shared_file(BUDGET)
    rec = recognize(read_document(path))
    assert rec.profile not in ("central-2024", "university-2023")
    res = audit_document(path)
    assert res.kind == "部门预算" and res.error is None  # audited as a budget (audit.budget)
    assert res.profile.startswith("budget/")
    assert not any(f.rule.startswith(("identity.", "audit.", "hierarchy.")) for f in res.findings)


# --- central-2024: 国家信访局 2024 --------------------------------------------------------


def test_central_identity_and_score(central):
    _doc, rec, _claims = central
    assert (rec.department, rec.year) == ("国家信访局", 2024)
    assert rec.profile_score is not None and rec.profile_score > 0.9
    assert not rec.notes


def test_central_parts_sections_and_tables(central):
    _doc, rec, _claims = central
    assert {k: s.location.page for k, s in rec.parts.items()} == {
        "overview": 3, "tables": 6, "explanations": 16, "glossary": 38}
    assert {k: s.location.page for k, s in rec.sections.items()} == {
        "p1.functions": 4, "p1.units": 5, "s1": 17, "s2": 18, "s3": 19, "s4": 20, "s5": 20, "s6": 23,
        "s8": 24, "s11": 25, "s12": 26, "s13": 26, "s14": 26}
    assert {k: s.location.page for k, s in rec.tables.items()} == {
        "t01": 7, "t02": 8, "t03": 9, "t04": 10, "t05": 11, "t06": 12, "t08": 13, "t09": 14, "t10": 15}


def test_central_totals(central):
    _doc, _rec, claims = central
    assert one(claims, "s1.total") == {"dept": "国家信访局", "year": 2024, "total": D("22066.59")}
    first = claims["cmp.last_year"][0].values
    assert (first["diff"], first["pct"], first["dir"]) == (D("5834.37"), D("35.74"), 1)
    assert one(claims, "s1.opening")["amount"] == D("1615.24")
    assert one(claims, "s1.closing")["amount"] == D("7494.06")
    assert [c.values["amount"] for c in claims["s1.item"]] == [
        D("19572.91"), D("878.44"), D("10685.56"), D("180.03"), D("2228.57"), D("497.53"), D("980.85")]
    # the decreases are written “减少 … 万元，降低 x%”
    assert [c.values["pct"] for c in claims["cmp.than_last_year_down"]] == [D("31.85"), D("11.66"), D("4.8")]
    assert one(claims, "s4.total")["total"] == D("20727.53")


def test_central_income_and_spending_shares(central):
    _doc, _rec, claims = central
    assert one(claims, "s2.total")["total"] == D("20451.35")
    assert [(c.values["label"], c.values["amount"], c.values["share"]) for c in claims["s2.item"]] == [
        ("一般公共预算财政拨款收入", D("19572.91"), D("95.7")), ("其他收入", D("878.44"), D("4.3"))]
    assert one(claims, "s3.total")["total"] == D("14572.53")
    # the function classes only: the economic split is one claim of its own
    assert [c.values["share"] for c in claims["s3.item"]] == [D("73.33"), D("1.24"), D("15.29"), D("3.41"), D("6.73")]
    econ = one(claims, "s3.econ")
    assert (econ["basic"], econ["project"]) == (D("11073.11"), D("3499.42"))


def test_central_general_appropriation(central):
    _doc, _rec, claims = central
    assert one(claims, "s5.overall") == {"dept": "国家信访局", "year": 2024, "total": D("13733.8"), "share": D("94.24")}
    assert [c.values["amount"] for c in claims["s5.structure_item"]] == [
        D("9846.82"), D("180.03"), D("2228.57"), D("497.53"), D("980.85")]
    det = one(claims, "s5.detail")
    assert (det["budget"], det["actual"], det["rate"]) == (D("15068.55"), D("13733.8"), D("91.14"))
    items = claims["s5.item"]
    assert len(items) == 13
    assert (items[0].values["item"], items[0].values["budget"], items[0].values["actual"], items[0].values["rate"]) == (
        "行政运行", D("5717.32"), D("5757.63"), D("100.71"))
    none = one(claims, "s5.item_no_budget")
    assert (none["item"], none["budget"], none["actual"]) == ("行政单位医疗", D("0"), D("497.53"))
    assert len(claims["cmp.vs_budget_reason"]) == 15  # fourteen 项 and the “三公” total


def test_central_basic_spending(central):
    _doc, _rec, claims = central
    s6 = one(claims, "s6.total")
    assert (s6["total"], s6["personnel"], s6["public"]) == (D("10234.37"), D("7967.72"), D("2266.65"))
    assert s6["personnel_items"][:3] == ["基本工资", "津贴补贴", "奖金"]
    assert s6["public_items"][-1] == "其他资本性支出"


def test_central_three_public(central):
    _doc, _rec, claims = central
    s8 = one(claims, "s8.total")
    assert (s8["budget"], s8["actual"], s8["rate"]) == (D("76.43"), D("46.21"), D("60.46"))
    assert (s8["abroad"], s8["vehicle"], s8["reception"]) == (D("4.69"), D("40.61"), D("0.9"))
    assert (s8["abroad_rate"], s8["vehicle_rate"], s8["reception_rate"]) == (D("15.63"), D("99.95"), D("15.52"))
    abroad = one(claims, "s8.abroad")
    assert (abroad["groups"], abroad["people"], abroad["amount"]) == (1, 1, D("4.69"))
    assert one(claims, "s8.vehicle_operation")["held"] == 15
    rec = one(claims, "s8.reception_domestic")
    assert (rec["batches"], rec["people"]) == (10, 152)


def test_central_operating_cost_procurement_assets(central):
    _doc, _rec, claims = central
    assert one(claims, "s11.total")["amount"] == D("2266.65")
    change = [c for c in claims["cmp.than_last_year"] if c.section == "s11"]
    assert [(c.values["diff"], c.values["pct"]) for c in change] == [(D("318.58"), D("16.35"))]
    s12 = one(claims, "s12.total")
    assert (s12["total"], s12["goods"], s12["works"], s12["services"]) == (
        D("1967.42"), D("171.7"), D("3"), D("1792.72"))
    assert one(claims, "s12.sme_central")["sme"] == D("1820.69")
    v = one(claims, "s13.vehicles")
    assert (v["total"], v["ministerial"], v["confidential"], v["emergency"], v["special"], v["retired"],
            v["other"], v["equipment"]) == (15, 1, 2, 2, 1, 3, 6, 0)


def test_central_performance(central):
    _doc, _rec, claims = central
    se = one(claims, "s14.self_eval_general")
    assert (se["l1"], se["l2"], se["amount"], se["share"]) == (7, 16, D("5105.75"), D("100"))
    assert one(claims, "s14.dept_eval_general")["general"] == D("1639.34")
    assert one(claims, "s14.results_list")["n"] == 4
    assert [(c.values["name"], c.values["score"], c.values["rate"]) for c in claims["s14.project"]] == [
        ("信访研究宣传立法专项", D("94.7"), D("77.1")), ("资产运行维护", D("98.0"), D("100.0")),
        ("信息化运行维护", D("88.5"), D("63.0")), ("信访干部培训专项", D("98.0"), D("100.0"))]


def test_central_cover_is_read_once(central):
    _doc, _rec, claims = central
    assert [c.values["dept"] for c in claims["cover.title"]] == ["国家信访局"]


def test_central_findings(central_audit):
    res = central_audit
    assert res.error is None and res.profile == "central-2024"
    narrative = sorted((f.rule, f.found) for f in res.findings if f.rule.startswith("narrative."))
    # p.17: 5834.37 ÷ (22066.59 − 5834.37) = 35.94%, printed 35.74%
    assert ("narrative.change_pct", "35.74%") in narrative
    assert {r for r, _ in narrative} <= {"narrative.change_pct", "narrative.items_vs_table"}
    assert sum(1 for r, _ in narrative if r == "narrative.change_pct") == 1
    assert not [f for f in res.findings if f.rule.startswith("audit.")]
    assert "audit.check_crashed" not in res.run


# --- university-2023: 西南大学 2023 -------------------------------------------------------


def test_swu_identity_sections_and_tables(swu):
    _doc, rec, _claims = swu
    assert (rec.department, rec.year, rec.profile) == ("西南大学", 2023, "university-2023")
    assert rec.profile_score == 1.0
    assert rec.parts == {}  # the parts are numbered 一、二、三、四: only “第…部分” is recognised as a part
    assert {k: s.location.page for k, s in rec.sections.items()} == {
        "group.一": 3, "p1.functions": 3, "p1.units": 7, "group.二": 7, "group.三": 16,
        "s1": 16, "s2": 16, "s3": 17, "s5": 17, "group.四": 18}
    assert rec.sections["s5"].end == rec.sections["group.四"].start
    assert {k: s.location.page for k, s in rec.tables.items()} == {"t01": 8, "t02": 10, "t03": 12, "t05": 14}


def test_swu_claims(swu):
    _doc, _rec, claims = swu
    assert one(claims, "s1.income")["amount"] == D("430725.03")
    assert one(claims, "s1.expenditure")["amount"] == D("457676.75")
    down = one(claims, "cmp.last_year_down")
    assert (down["dir"], down["diff"], down["pct"]) == (-1, D("23616.80"), D("5.20"))
    assert one(claims, "s2.total")["total"] == D("430725.03")
    assert [(c.values["label"], c.values["share"]) for c in claims["s2.item"]] == [
        ("财政拨款收入", D("56.42")), ("事业收入", D("31.66")), ("其他收入", D("11.92"))]
    assert one(claims, "s3.total")["total"] == D("457676.75")
    assert [c.values["label"] for c in claims["s3.item"]] == [
        "教育支出", "科学技术支出", "社会保障和就业支出", "住房保障支出", "其他支出"]
    split = one(claims, "s3.split")
    assert (split["basic"], split["project"]) == (D("359781.59"), D("97895.15"))
    assert one(claims, "s5.structure")["total"] == D("237100.00")
    assert [c.values["amount"] for c in claims["s5.structure_item"]] == [D("199015.13"), D("38084.87")]
    items = claims["s5.item_change"]
    assert len(items) == 12
    assert sum(c.values["amount"] for c in items) == D("237100.00")
    assert (items[4].values["code"], items[4].values["trend"], items[4].values["pct"]) == (2050699, -1, D("4.50"))
    assert [c.values["dept"] for c in claims["cover.title"]] == ["西南大学"]


def test_swu_findings(swu_audit):
    res = swu_audit
    assert res.error is None and res.profile == "university-2023"
    narrative = [(f.rule, f.found) for f in res.findings if f.rule.startswith("narrative.")]
    # p.17: 2,536.65 ÷ 457,676.75 = 0.554%, printed 0.56%; rounded each, the five shares of 总支出 add up
    # to 99.99 %: moved by 0.01 to make 100 % (a warning)
    assert narrative == [("narrative.share_adjusted", "0.56%")]
    assert not [f for f in res.findings if f.rule.startswith("audit.")]
    assert "audit.check_crashed" not in res.run
