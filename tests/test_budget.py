"""Budget disclosures (部门预算公开): the model, its rules, the audit of real budgets, the example's round trip.

Real values come from the corpus budgets in ../shared/corpus (skipped when absent).
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan.audit.budget import read_and_audit
from juesuan.cli import app
from juesuan.model.budget import BudgetDataset
from juesuan.readers.loader import load_dataset
from juesuan.readers.yaml_io import parse_yaml
from juesuan.rules.engine import Context, run_rules
from tests.conftest import EXAMPLES, shared_file

EXAMPLE = EXAMPLES / "wuxi-tjj-2026-budget"
WUXI = "corpus/jiangsu-wuxi-stats-bureau-2026-budget.pdf"


def _example_raw() -> dict:
    data, _ = parse_yaml((EXAMPLE / "dataset.yaml").read_text(encoding="utf-8"), "dataset.yaml")
    return copy.deepcopy(data)


def _rules(data: dict) -> set[str]:
    return {f.rule for f in run_rules(Context(BudgetDataset.model_validate(data)))}


# -- model and rules -----------------------------------------------------------------------
def test_the_example_is_a_budget_with_the_documents_totals() -> None:
    ds, prov = load_dataset(EXAMPLE)
    assert isinstance(ds, BudgetDataset) and ds.kind == "预算"
    assert ds.total == Decimal("3210.10")  # 收入总计, 公开01表
    assert ds.spending("basic") == Decimal("2235.04") and ds.spending("project") == Decimal("975.06")
    assert [c for c, _, _ in ds.classes()] == ["201", "208", "210", "221"]
    assert ds.three_public.budget.total == Decimal("3.00")
    assert prov.get("income.general_budget").line is not None
    assert run_rules(Context(ds, prov)) == []  # the document is consistent, so is its transcription


def test_final_accounts_rules_do_not_run_on_a_budget_nor_the_reverse() -> None:
    ds, _ = load_dataset(EXAMPLE)
    assert all(f.rule.startswith("budget_doc.") for f in run_rules(Context(ds)))
    final, _ = load_dataset(EXAMPLES / "putuo-czj-2024")
    assert not any(f.rule.startswith("budget_doc.") for f in run_rules(Context(final)))


def test_budget_identities_fire_on_broken_data() -> None:
    data = _example_raw()
    data["income"]["general_budget"] = Decimal("3200.10")  # 收入总计 ≠ 支出总计
    data["expenditure"][2]["personnel"] = Decimal("1297.00")  # 行政运行 basic ≠ personnel + public
    data["basic_econ"][0]["amount"] = Decimal("1950.00")  # 301 ≠ its 款, and the econ total ≠ basic
    data["three_public"]["budget"]["reception"] = Decimal("2.00")  # below basic 30217 公务接待费 3.00
    data["operating_cost"]["amount"] = Decimal("140.00")  # above 公用经费 131.33
    got = _rules(data)
    assert {"budget_doc.balance", "budget_doc.personnel_public", "budget_doc.econ_hierarchy",
            "budget_doc.basic_econ", "budget_doc.three_public_econ", "budget_doc.operating_cost"} <= got


def test_performance_targets_must_be_well_formed() -> None:
    data = _example_raw()
    data["performance"]["targets"] = [
        {"project": "第四次全国农业普查", "amount": Decimal("315.58"), "goal": "完成普查综合试点",
         "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "试点任务完成数", "direction": "≥",
                         "target": "全部", "unit": "项"}]},
        {"project": "统计抽样调查", "amount": Decimal("77.76"), "indicators": []},
    ]
    findings = run_rules(Context(BudgetDataset.model_validate(data)))
    msgs = [f.message for f in findings if f.rule == "budget_doc.targets"]
    assert any("“全部”不是数字" in m for m in msgs)
    assert any("统计抽样调查" in m and "没有绩效指标" in m for m in msgs)


def test_rules_lists_the_budget_rules() -> None:
    r = CliRunner().invoke(app, ["rules", "-f", "json"])
    ids = {x["id"] for x in json.loads(r.output)}
    assert {"budget_doc.balance", "budget_doc.hierarchy", "budget_doc.targets", "budget_doc.table_sum",
            "budget_doc.narrative_amount"} <= ids


# -- audit of real budgets ----------------------------------------------------------------
def test_wuxi_statistics_budget_is_recognised_read_and_clean() -> None:
    a = read_and_audit([shared_file(WUXI)])
    assert (a.kind, a.department, a.year, a.profile) == ("部门预算", "无锡市统计局", 2026, "budget/jiangsu-2026")
    assert a.tables == [f"t{n:02d}" for n in range(1, 14)] and a.tables_uncertain == []
    # the 17 changes against last year's budget and the 20 shares (those of 收入 are of the figure their parts
    # add up to: “合计 3,210.1 万元，包括本年收入 3,210.1 万元，上年结转结余 0 万元。其中：…”)
    assert a.claims_generic >= 30
    assert [f for f in a.findings if f.severity.value == "error"] == []


def test_the_procuratorate_budget_prints_a_wrong_change_percentage() -> None:
    a = read_and_audit([shared_file("corpus/jiangsu-procuratorate-2019-budget.pdf")])
    f = next(f for f in a.findings if f.rule == "narrative.change_pct")
    # 住房公积金 1,442.74 万元, +368.97: last year 1,073.77, 368.97 ÷ 1,073.77 = 34.36 %, printed 34.38 %
    assert (f.location.page, f.location.line, f.found) == (29, 4, "34.38%")
    assert "34.36%" in f.message


def test_a_budget_in_two_files_is_audited_together() -> None:
    text = shared_file("corpus/jiangsu-npc-standing-committee-2019-budget.pdf")
    tables = shared_file("corpus/jiangsu-npc-standing-committee-2019-budget-tables.pdf")
    alone = read_and_audit([text])
    assert alone.tables == [] and any(f.rule == "budget_doc.tables_absent" for f in alone.findings)
    both = read_and_audit([text, tables])
    assert (both.kind, both.department, both.year) == ("部门预算", "江苏省人大常委会办公厅", 2019)
    assert len(both.tables) >= 12 and both.claims_generic == alone.claims_generic
    r = CliRunner().invoke(app, ["audit", str(text), str(tables), "--together", "-f", "json"])
    doc = json.loads(r.output)["documents"]
    assert len(doc) == 1 and doc[0]["kind"] == "部门预算" and r.exit_code == 0


def test_a_table_that_does_not_add_up_is_reported_at_its_line(tmp_path: Path) -> None:
    from juesuan.audit.document import read_document

    doc = read_document(shared_file(WUXI))
    lines = [line.text for line in doc.lines]
    i = next(k for k, t in enumerate(lines) if t.startswith("2010502 一般行政管理事务"))  # 公开03表
    lines[i] = "2010502 一般行政管理事务 319.72 319.72"
    path = tmp_path / "wuxi.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    a = read_and_audit([path])
    f = next(f for f in a.findings if f.rule == "budget_doc.table_sum")
    assert "20105" in f.message and f.location.line == lines.index("20105 统计信息事务 2,404.17 1,429.11 975.06") + 1


def test_government_reports_and_other_documents_stay_refused() -> None:
    for name in ("not-departmental-beijing-municipal-2022-final-report.pdf", "not-a-disclosure-ningbo-inspection-notice.pdf"):
        a = read_and_audit([shared_file(f"corpus/{name}")])
        assert a.error and a.findings == []


# -- build, round trip, compare -------------------------------------------------------------
def test_the_example_builds_in_four_formats_and_audits_clean(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["build", str(EXAMPLE), "-o", str(out)])
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    stem = "无锡市统计局_2026_部门预算"
    assert {f"{stem}.docx", f"{stem}.pdf", f"{stem}.html", f"{stem}表.xlsx"} <= set(names)
    for suffix in (".docx", ".pdf"):
        a = read_and_audit([out / f"{stem}{suffix}"])
        assert (a.kind, a.department, a.year) == ("部门预算", "无锡市统计局", 2026)
        assert len(a.tables) >= 12 and a.tables_uncertain == []
        assert a.claims_generic > 0
        assert [f for f in a.findings if f.severity.value != "info"] == [], a.findings


def test_compare_budget_with_the_final_accounts(tmp_path: Path) -> None:
    final = tmp_path / "final.yaml"
    final.write_text(
        "year: 2026\nunit: 万元\ndepartment: {name: 无锡市统计局}\nincome: {general_budget: 3210.10}\n"
        "expenditure:\n"
        "  - {code: '2010501', name: 行政运行, budget: 1429.11, basic: 1429.11}\n"
        "  - {code: '2010507', name: 专项普查活动, budget: 300.00, project: 315.58}\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["compare-budget", str(EXAMPLE), str(final), "-f", "json"])
    assert r.exit_code == 1, r.output
    rows = {x["code"]: x for x in json.loads(r.output)["rows"]}
    assert rows["2010501"]["differs"] is False
    assert rows["2010507"]["differs"] is True and rows["2010507"]["部门预算"] == "315.58"
    final.write_text(final.read_text(encoding="utf-8").replace("year: 2026", "year: 2025"), encoding="utf-8")
    chart = tmp_path / "c.png"
    r = CliRunner().invoke(app, ["compare-budget", str(EXAMPLE), str(final), "--chart", str(chart)])
    assert r.exit_code == 0, r.output
    assert chart.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("bad", ["kind: 预算\nyear: 2026\n", "kind: 预算\nyear: 2026\ndepartment: {name: x}\nincome: {general_budget: 壹}\n"])
def test_a_broken_budget_dataset_is_exit_2_with_its_line(tmp_path: Path, bad: str) -> None:
    p = tmp_path / "b.yaml"
    p.write_text(bad, encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(p)])
    assert r.exit_code == 2 and "Traceback" not in r.output and "预算数据集" in r.output


def test_the_budget_workbook_round_trips_the_example(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    r = CliRunner().invoke(app, ["template", "--from", str(EXAMPLE), str(book)])
    assert r.exit_code == 0, r.output
    back, prov = load_dataset(book)
    ds, _ = load_dataset(EXAMPLE)
    assert isinstance(back, BudgetDataset)
    for part in ("income", "carryover", "expenditure", "basic_econ", "three_public", "operating_cost", "procurement"):
        assert getattr(back, part) == getattr(ds, part), part
    assert back.last_year.total == Decimal("2967.80") and back.performance.projects == 12
    assert prov.get("income.general_budget").sheet == "金额"
    blank = tmp_path / "blank.xlsx"
    assert CliRunner().invoke(app, ["template", "--kind", "budget", str(blank)]).exit_code == 0
    r = CliRunner().invoke(app, ["check", str(blank)])
    assert r.exit_code == 2 and "department" in r.output  # a blank workbook names what is missing


def test_extract_recovers_the_wuxi_budget_from_its_tables(tmp_path: Path) -> None:
    out = tmp_path / "wuxi.yaml"
    r = CliRunner().invoke(app, ["extract", str(shared_file(WUXI)), "-o", str(out)])
    assert r.exit_code == 0, r.output
    got, _ = load_dataset(out)
    ds, _ = load_dataset(EXAMPLE)
    assert isinstance(got, BudgetDataset) and (got.department.name, got.year) == ("无锡市统计局", 2026)
    assert got.income.general_budget == Decimal("3210.10")
    # every 项 of 公开03表 with its basic or project amount, placed by the header words' positions
    assert [(i.code, i.basic, i.project) for i in got.items()] == [(i.code, i.basic, i.project) for i in ds.items()]
    assert got.basic_econ == ds.basic_econ and got.operating_cost.amount == Decimal("131.33")
    assert not any(f.severity.value == "error" for f in run_rules(Context(got)))


def test_a_sentence_whose_total_differs_from_its_table_is_reported(tmp_path: Path) -> None:
    from juesuan.audit.document import read_document

    lines = [line.text for line in read_document(shared_file(WUXI)).lines]
    changed = {}
    for k, t in enumerate(lines):
        for old, new in (("机关运行经费预算支出 131.33", "机关运行经费预算支出 131.38"),
                         ("费支出预算 3 万元", "费支出预算 4 万元"), ("政府采购支出预算总额 2.61", "政府采购支出预算总额 2.16")):
            if old in t:
                lines[k] = t.replace(old, new)
                changed[k + 1] = new
    path = tmp_path / "wuxi.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    a = read_and_audit([path])
    got = {f.location.line for f in a.findings if f.rule == "budget_doc.narrative_amount"}
    assert len(changed) == 3 and got == set(changed)  # each at the line it is printed on


def test_the_other_budget_rules_fire_where_they_should() -> None:
    data = _example_raw()
    del data["last_year"]["total"]
    data["performance"]["projects_amount"] = Decimal("2000.00")  # more than the 975.06 of project spending
    data["expenditure"][3]["funds"] = {"gov_fund": {"project": Decimal("391.72")}}  # no 政府性基金 income
    got = _rules(data)
    assert {"budget_doc.last_year", "budget_doc.targets_amount", "budget_doc.appropriation"} <= got
    empty = {"kind": "预算", "year": 2026, "department": {"name": " "}}
    assert "budget_doc.required" in _rules(empty)


def _mutated(tmp_path: Path, edit) -> object:  # noqa: ANN001 - a function of the lines
    from juesuan.audit.document import read_document

    lines = [line.text for line in read_document(shared_file(WUXI)).lines]
    path = tmp_path / "wuxi.txt"
    path.write_text("\n".join(edit(lines)), encoding="utf-8")
    return read_and_audit([path])


def test_the_audits_table_and_completeness_rules_on_a_changed_wuxi_budget(tmp_path: Path) -> None:
    def totals(lines: list[str]) -> list[str]:  # 公开01表's 本年支出合计 no longer its 本年收入合计
        return [t.replace("本年支出合计 3,210.10", "本年支出合计 3,210.20") for t in lines]

    rules = {f.rule for f in _mutated(tmp_path, totals).findings}
    assert {"budget_doc.table_balance", "budget_doc.cross_table"} <= rules

    def two_rows(lines: list[str]) -> list[str]:  # two unrelated rows of 支出总表: a misread table, said once
        out, seen = [], set()
        for t in lines:
            for old, new in (("2010502 一般行政管理事务 391.72 391.72", "2010502 一般行政管理事务 391.72 1.72"),
                             ("2210201 住房公积金 149.63 149.63", "2210201 住房公积金 149.63 9.63")):
                if t == old and old not in seen:
                    seen.add(old)
                    t = new
            out.append(t)
        return out

    a = _mutated(tmp_path, two_rows)
    assert "t03" in a.tables_uncertain and [f.rule for f in a.findings] == ["budget_doc.table_uncertain"]

    def no_procurement(lines: list[str]) -> list[str]:  # 公开13表 and 说明十三 taken out
        return [t for t in lines if "政府采购" not in t]

    rules = {f.rule for f in _mutated(tmp_path, no_procurement).findings}
    assert {"budget_doc.missing_table", "budget_doc.missing_section"} <= rules

    def reception(lines: list[str]) -> list[str]:  # the “三公” parts no longer add up to its total
        # (3 → 4 would still be within the rounding of four whole-万元 figures: 3 ± 0.5 against 4 ± 1.5)
        return [t.replace("公务接待费支出 3 万元", "公务接待费支出 6 万元") for t in lines]

    rules = {f.rule for f in _mutated(tmp_path, reception).findings}
    assert "budget_doc.three_public_sum" in rules


def test_the_explanations_after_the_last_table_are_read_and_their_sums_checked(tmp_path: Path) -> None:
    """上海市审计局 2026: the explanations follow the last table (三公经费和机关运行经费预算表) with no part
    heading between; its 政府采购 and 公务用车 sentences are sums of their parts (983.05 = 50.55 + 0 + 932.50,
    28.00 = 0.00 + 28.00)."""
    from juesuan.audit.document import read_document

    pdf = shared_file("corpus/shanghai-audit-bureau-2026-budget.pdf")
    a = read_and_audit([pdf])
    assert (a.kind, a.profile) == ("单位预算", "budget/shanghai-2026") and a.claims_generic >= 2
    assert [f for f in a.findings if f.severity.value == "error"] == []
    lines = [line.text.replace("932.50万元。", "923.50万元。") for line in read_document(pdf).lines]
    path = tmp_path / "shanghai-audit.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    f = next(f for f in read_and_audit([path]).findings if f.rule == "narrative.sum")
    assert (f.found, f.expected) == ("983.05万元", "974.05万元") and "政府采购" in f.message
    assert f.location.line == next(k for k, t in enumerate(lines) if "政府采购预算983.05" in t) + 1
