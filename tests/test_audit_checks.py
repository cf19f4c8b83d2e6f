"""The audit finds the real inconsistencies of the two documents (NOTES.md), at the right line, and no others."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.audit.checks_run import audit_document
from juesuan.rules.registry import all_rules
from tests.conftest import shared_file

SEED = "seed/000_1d4d631d9d557d27.txt"
PUTUO = "samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf"


def _flat(audit) -> set[tuple[str, int | None, int | None]]:  # noqa: ANN001
    return {(f.rule, f.location.page, f.location.line) for f in audit.findings}


def test_seed_real_inconsistencies_found_at_their_lines() -> None:
    a = audit_document(shared_file(SEED))
    assert a.error is None
    assert _flat(a) == {
        ("narrative.budget_diff", None, 254),  # 215 增加 3,108.76 vs 3,379.76 from its 项
        ("budget.items", None, 212),  # 年初预算 1,348.37 vs Σ 项 1,077.34
        ("narrative.share", None, 342),  # 61.66 % / 38.34 %: goods ÷ total, not SME ÷ goods
        ("narrative.year", None, 106),  # "2022 年部门汇总决算"
        ("required.phone_format", None, 632),  # "0473-8991998-"
        ("narrative.rate_zero_budget", None, 310),  # 完成预算的0.00% of a zero budget
        ("audit.tables_absent", None, 634),  # 第五部分 says 见附件
    }
    shares = [f for f in a.findings if f.rule == "narrative.share"]
    assert {f.found for f in shares} == {"61.66%", "38.34%"}
    assert all("分子分母用错了" in f.message for f in shares)


def test_seed_rounding_never_fires() -> None:
    """The within-rounding cases of NOTES §4 (4,499.44 vs 4,499.46, 71.48 %, 9.87 % …) are silent."""
    a = audit_document(shared_file(SEED))
    assert not [f for f in a.findings if f.rule in ("narrative.sum", "narrative.rate", "narrative.change_pct")]
    assert "narrative.sum" in a.run and "narrative.change_pct" in a.run


def test_putuo_real_inconsistencies() -> None:
    a = audit_document(shared_file(PUTUO))
    # the exact set: each real problem once (the 0.3 total is one fact, once), nothing else
    assert {(f.rule, f.severity.value, f.location.page, f.location.line, f.found) for f in a.findings} == {
        ("narrative.amount", "error", 21, 14, "0.30万元"),  # 说明四 0.3 vs 表四 2,961.68
        ("narrative.flat_with_reason", "error", 21, 14, "持平"),  # 持平 with a reason for a decrease
        ("narrative.share", "error", 21, 25, "71.73%"),  # 71.73 % vs 71.65 %
        ("narrative.items_vs_table", "warning", 23, 3, None),  # 个人农业生产补贴 listed, 奖励金 left out
        ("narrative.rate_zero_budget", "warning", 23, 11, "0.00%"),  # 完成预算的0% of a blank budget
        ("narrative.rate_zero_budget", "warning", 23, 12, "0.00%"),
    }
    assert (a.kind, a.profile, a.department, a.year) == ("部门决算", "shanghai-2024", "上海市普陀区财政局", 2024)


def _audit_text(tmp_path: Path, replace: list[tuple[str, str]]):  # noqa: ANN202
    text = Path(shared_file(SEED)).read_text(encoding="utf-8")
    for old, new in replace:
        assert old in text
        text = text.replace(old, new, 1)
    p = tmp_path / "doc.txt"
    p.write_text(text, encoding="utf-8")
    return audit_document(p)


def test_fixing_an_inconsistency_loses_its_finding(tmp_path: Path) -> None:
    a = _audit_text(tmp_path, [("货物支出金额的61.66%", "货物支出金额的100.00%"),
                               ("服务支出金额的38.34%", "服务支出金额的100.00%")])
    assert not [f for f in a.findings if f.rule == "narrative.share"]
    b = _audit_text(tmp_path, [("我部门 2022 年部门汇总决算", "我部门 2023 年部门汇总决算")])
    assert not [f for f in b.findings if f.rule == "narrative.year"]


def test_changed_figure_detected_at_its_line(tmp_path: Path) -> None:
    a = _audit_text(tmp_path, [("本年基本支出1,235.35万元，占27.46%", "本年基本支出1,235.35万元，占27.66%")])
    assert ("narrative.share", None, 195) in _flat(a)
    b = _audit_text(tmp_path, [("公务接待费全年预算0.30万元，支出决算0.03万元，完成预算的9.87%",
                                "公务接待费全年预算0.30万元，支出决算0.03万元，完成预算的19.87%")])
    assert ("narrative.rate", None, 310) in _flat(b)
    c = _audit_text(tmp_path, [("与上年决算相比，减少 0.74 万元，减少 24.20%", "与上年决算相比，减少 0.74 万元，增长 24.20%")])
    assert ("narrative.direction", None, 322) in _flat(c)


def test_audit_rules_are_registered_and_documented() -> None:
    import juesuan.audit.checks_rules  # noqa: F401

    ids = {r.id: r for r in all_rules()}
    for rid in ("narrative.share", "narrative.budget_diff", "narrative.year", "audit.missing_section"):
        assert rid in ids and ids[rid].description and ids[rid].message


# --- every audit rule fires on a crafted document and stays quiet on the clean one ----------------

_CLEAN_SEED_RULES = {"narrative.budget_diff", "budget.items", "narrative.share", "narrative.year",
                     "required.phone_format", "narrative.rate_zero_budget", "audit.tables_absent"}


def _rules(audit) -> set[str]:  # noqa: ANN001
    return {f.rule for f in audit.findings}


def _lines(audit, rule: str) -> set[int | None]:  # noqa: ANN001
    return {f.location.line for f in audit.findings if f.rule == rule}


def test_clean_seed_has_none_of_the_crafted_rules() -> None:
    a = audit_document(shared_file(SEED))
    crafted = {"audit.missing_part", "audit.missing_contact", "audit.missing_counts", "narrative.appropriation_total",
               "narrative.count", "narrative.department", "narrative.truncated", "audit.row_total",
               "audit.missing_table", "audit.empty_table_statement"}
    assert not _rules(a) & crafted
    assert _rules(a) <= _CLEAN_SEED_RULES
    for rid in ("audit.missing_part", "audit.missing_contact", "audit.missing_counts",
                "narrative.appropriation_total", "narrative.count", "narrative.department"):
        assert rid in a.run, rid


def test_missing_part(tmp_path: Path) -> None:
    a = _audit_text(tmp_path, [("## 第三部分 名词解释\n\n**一、", "**一、")])
    assert "audit.missing_part" in _rules(a)
    assert any("名词解释" in f.message for f in a.findings if f.rule == "audit.missing_part")


def test_missing_contact(tmp_path: Path) -> None:
    a = _audit_text(tmp_path, [("联系人：白凌宇 \xa0\xa0\xa0\xa0 联系电话：0473-8991998-", "如有疑问请来函。")])
    assert "audit.missing_contact" in _rules(a)


def test_missing_counts(tmp_path: Path) -> None:
    a = _audit_text(tmp_path, [("截至 2023 年 12 月 31 日，使用财政拨款开支的公务用车保有量为 4 辆。", "")])
    assert "audit.missing_counts" in _rules(a)
    assert any("保有量" in f.message for f in a.findings if f.rule == "audit.missing_counts")


def test_appropriation_total(tmp_path: Path) -> None:
    a = _audit_text(tmp_path, [("财政拨款收入、支出决算总计4,499.46万元", "财政拨款收入、支出决算总计449.46万元")])
    assert _lines(a, "narrative.appropriation_total") == {212}
    f = next(f for f in a.findings if f.rule == "narrative.appropriation_total")
    assert f.found == "449.46万元" and f.related  # the spending it is compared with


def test_count(tmp_path: Path) -> None:
    a = _audit_text(tmp_path, [("等3个项目开展了部门评价", "等4个项目开展了部门评价")])
    assert _lines(a, "narrative.count") == {356}


def test_department(tmp_path: Path) -> None:
    a = _audit_text(tmp_path, [("乌海市工业和信息化局（部门）2023 年度政府性基金",
                                "乌海市住房和城乡建设局（部门）2023 年度政府性基金")])
    assert _lines(a, "narrative.department") == {327}


def test_truncated(tmp_path: Path) -> None:
    a = _audit_text(tmp_path, [("执行数为11.03万元，完成预算的36.77%。", "执行数为11.03万元")])
    assert _lines(a, "narrative.truncated") == {494}


def test_last_year_totals(tmp_path: Path) -> None:
    """The year-before figures the comparisons imply must add up too (年初结转 −3.70 → −37.00)."""
    a = _audit_text(tmp_path, [("3. 年初结转和结余0.00万元。与上年决算相比，减少3.70万元",
                                "3. 年初结转和结余0.00万元。与上年决算相比，减少37.00万元")])
    sums = [f for f in a.findings if f.rule == "narrative.sum"]
    assert sums and any(r.line == 154 for f in sums for r in f.related)


@pytest.fixture(scope="module")
def wuhai_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    from juesuan.readers.yaml_io import load_yaml
    from juesuan.render.build import assemble
    from juesuan.render.html import render_html

    ds, _ = load_yaml(Path(__file__).parents[1] / "examples" / "wuhai-gxj-2023" / "dataset.yaml")
    return render_html(assemble(ds))


def _audit_html(tmp_path: Path, html: str, replace: list[tuple[str, str]]):  # noqa: ANN202
    for old, new in replace:
        assert old in html, old
        html = html.replace(old, new, 1)
    p = tmp_path / "doc.html"
    p.write_text(html, encoding="utf-8")
    return audit_document(p)


def test_tables_clean_build(tmp_path: Path, wuhai_html: str) -> None:
    a = _audit_html(tmp_path, wuhai_html, [])
    assert not _rules(a) & {"audit.missing_table", "audit.empty_table_statement", "audit.row_total",
                            "audit.table_uncertain"}
    assert {"audit.missing_table", "audit.row_total", "audit.table_uncertain"} <= set(a.run)


def test_missing_table(tmp_path: Path, wuhai_html: str) -> None:
    import re

    cut = re.search(r'<h2 id="t09">.*?</section>', wuhai_html, re.S)
    assert cut is not None
    a = _audit_html(tmp_path, wuhai_html, [(cut.group(0), ""), ('<li class="toc-2"><a href="#t09">', '<li>')])
    assert "audit.missing_table" in _rules(a)
    assert any("国有资本经营" in f.message for f in a.findings if f.rule == "audit.missing_table")


def test_empty_table_statement(tmp_path: Path, wuhai_html: str) -> None:
    a = _audit_html(tmp_path, wuhai_html, [("本部门本年度无政府性基金预算财政拨款收支，故本表无数据。", "")])
    assert "audit.empty_table_statement" in _rules(a)
    assert "audit.empty_table_statement" not in _rules(_audit_html(tmp_path, wuhai_html, []))


def test_row_total(tmp_path: Path, wuhai_html: str) -> None:
    """A row whose 合计 is not the sum of its columns is found at that row (支出决算表, 2150517 产业发展)."""
    import re

    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*?产业发展(?:(?!</tr>).)*?</tr>", wuhai_html.split('id="t03"')[1], re.S)
    assert row is not None and "49.32" in row.group(0)
    changed = row.group(0).replace("49.32", "50.32", 1)
    a = _audit_html(tmp_path, wuhai_html, [(row.group(0), changed)])
    # a table that does not add up as read is reported once, as read uncertain, at the table,
    # naming the row; none of its figures is used by another check
    found = [f for f in a.findings if f.rule == "audit.table_uncertain"]
    assert len(found) == 1 and "支出决算表" in found[0].message and "2150517" in found[0].message
    assert found[0].related and found[0].location.line > found[0].related[0].line  # at the row, not the title
    assert "audit.row_total" not in _rules(a)
    assert any(s.check == "table.t03" and "读取不确定" in s.reason for s in a.skipped)


def test_table_not_found_against_the_national_baseline(tmp_path: Path, wuhai_html: str) -> None:
    """Forced to the baseline, a document that prints its tables but lacks one of the nine is told so."""
    import re

    cut = re.search(r'<h2 id="t09">.*?</section>', wuhai_html, re.S)
    assert cut is not None
    p = tmp_path / "doc.html"
    p.write_text(wuhai_html.replace(cut.group(0), "").replace('<li class="toc-2"><a href="#t09">', "<li>"),
                 encoding="utf-8")
    a = audit_document(p, profile="national")
    assert a.profile == "national"
    found = [f for f in a.findings if f.rule == "audit.table_not_found"]
    assert [f.severity.value for f in found] == ["warning"]
    assert "国有资本经营" in found[0].message
